//! `gloss extract`: the readable article of a file or URL, printed and not
//! saved (the library is not opened).

use std::io::Write;
use std::process::ExitCode;

use gloss_core::fetch::Fetcher;
use gloss_core::save::{self, Source};
use gloss_core::{extract, Result};

use crate::args::ExtractFormat;
use crate::context::runtime;
use crate::output;

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    #[arg(value_name = "FILE|URL")]
    source: String,
    /// The page's URL, to resolve relative links of a local file.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
    format: ExtractFormat,
}

pub fn extract(args: ExtractArgs, out: &mut impl Write) -> Result<ExitCode> {
    let base_url = args
        .base_url
        .as_deref()
        .map(gloss_core::urls::parse_web_url)
        .transpose()?;
    let extracted = extract_only(&args.source, base_url.as_ref())?;
    match args.format {
        ExtractFormat::Text => output::text(out, &extracted.text)?,
        ExtractFormat::Html => output::text(out, &extracted.html)?,
        ExtractFormat::Json => output::json(out, &extracted)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn extract_only(input: &str, base_url: Option<&url::Url>) -> Result<extract::Extracted> {
    match Source::parse(input)? {
        Source::Url(url) => {
            let fetcher = Fetcher::new()?;
            let page = runtime()?.block_on(fetcher.fetch_page(&url))?;
            save::extract_page(&page)
        }
        Source::File(path) => save::extract_file(&path, base_url).map(|(e, _)| e),
    }
}
