//! A story's images: downloaded a few at a time, stored by their sha256 and
//! referenced from the article through the asset scheme.

use std::collections::HashMap;

use url::Url;

use super::Progress;
use crate::extract::{self, Extracted};
use crate::fetch::Fetcher;
use crate::library::{asset_url, sha256_hex, NewAsset};
use crate::model::SaveStage;

/// At most this many images are stored per story.
pub const MAX_IMAGES_PER_STORY: usize = 50;
/// Images downloaded at the same time for one story.
const IMAGE_CONCURRENCY: usize = 4;

/// Downloads the article's images (at most [`MAX_IMAGES_PER_STORY`], a few
/// at a time) and the lead image, and rewrites the HTML to the asset scheme.
/// An image that fails is replaced by its alt text; the story is still saved.
pub(super) async fn store_images(
    fetcher: &Fetcher,
    extracted: &Extracted,
    skip: bool,
    progress: Progress<'_>,
) -> (String, Vec<NewAsset>, Option<String>) {
    let mut wanted = extract::image_urls(&extracted.html);
    if let Some(lead) = &extracted.lead_image_url {
        if !wanted.contains(lead) {
            wanted.push(lead.clone());
        }
    }
    wanted.truncate(if skip { 0 } else { MAX_IMAGES_PER_STORY });
    let total = wanted.len() as u32;
    let mut stored: HashMap<String, Option<String>> = HashMap::new();
    let mut assets: Vec<NewAsset> = Vec::new();
    if total > 0 {
        progress(SaveStage::Images, 0, total);
    }
    for chunk in wanted.chunks(IMAGE_CONCURRENCY) {
        let mut tasks = tokio::task::JoinSet::new();
        for src in chunk {
            let fetcher = fetcher.clone();
            let src = src.clone();
            tasks.spawn(async move {
                let result = match Url::parse(&src) {
                    Ok(url) => fetcher.fetch_image(&url).await.ok(),
                    Err(_) => None,
                };
                (src, result)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let Ok((src, image)) = joined else { continue };
            let sha = image.map(|image| {
                let sha = sha256_hex(&image.bytes);
                if !assets.iter().any(|a| a.sha256 == sha) {
                    assets.push(NewAsset {
                        sha256: sha.clone(),
                        mime: image.mime.to_string(),
                        bytes: image.bytes,
                        source_url: src.clone(),
                    });
                }
                sha
            });
            stored.insert(src, sha.map(|s| asset_url(&s)));
        }
        progress(SaveStage::Images, stored.len() as u32, total);
    }
    let lead = extracted
        .lead_image_url
        .as_ref()
        .and_then(|u| stored.get(u).cloned().flatten())
        .and_then(|u| crate::library::parse_asset_url(&u).map(str::to_string));
    let html = extract::replace_images(&extracted.html, &stored);
    // Only keep the images the final HTML (or the lead) still uses.
    assets.retain(|a| html.contains(&a.sha256) || lead.as_deref() == Some(a.sha256.as_str()));
    (html, assets, lead)
}
