//! Hostile images: SVG with script, decompression bombs, polyglots, lying
//! types and extensions, too many or too large images. An asset is only
//! ever a raster image typed from its own bytes (the app serves it with
//! that type and `nosniff`), and a refused image leaves its alt text.

use gloss_core::library::parse_asset_url;
use gloss_core::model::Story;
use gloss_core::testing::{FixtureServer, Route};
use gloss_core::Library;

use crate::oracle::assert_safe;
use crate::{fetcher, page, save_url};

/// A PNG of the given declared size with a tiny, valid image stream.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale
    chunk(&mut out, b"IHDR", &ihdr);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut z, &[0u8; 64]).unwrap();
    chunk(&mut out, b"IDAT", &z.finish().unwrap());
    chunk(&mut out, b"IEND", b"");
    out
}

/// A GIF header declaring `width` x `height`.
fn gif(width: u16, height: u16) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend_from_slice(&width.to_le_bytes());
    out.extend_from_slice(&height.to_le_bytes());
    out.extend_from_slice(&[
        0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3b,
    ]);
    out
}

/// Saves a page whose images are served from `images` (path, route), each
/// shown as `<img src=path alt="alt PATH">`.
fn save_with_images(images: Vec<(&str, Route)>) -> (Library, Story) {
    let tags: String = images
        .iter()
        .map(|(path, _)| format!("<p><img src=\"{path}\" alt=\"alt {path}\" width=\"300\" height=\"200\"> caption {path}</p>"))
        .collect();
    let mut routes = images;
    let html = page("Harbour pictures", "", &tags);
    routes.push(("/story.html", Route::html(&html)));
    let server = FixtureServer::start(routes);
    let mut lib = Library::open_in_memory().unwrap();
    let story = save_url(&mut lib, &fetcher(), &server.url("/story.html")).unwrap();
    server.stop();
    assert_safe("images", &story.html);
    (lib, story)
}

/// The stored type of the image at `path` in the story, or `None` when it
/// was not stored (its alt text stands in).
fn stored_type(lib: &Library, story: &Story, path: &str) -> Option<String> {
    let doc = dom_query::Document::fragment(story.html.as_str());
    let img = doc.select(&format!("img[alt=\"alt {path}\"]"));
    let src = img.attr("src")?;
    let sha = parse_asset_url(&src).unwrap_or_else(|| panic!("{path}: not an asset: {src}"));
    Some(lib.asset(sha).unwrap().expect("the asset is stored").mime)
}

/// Whether the image at `path` was replaced by its alt text.
fn replaced_by_alt(story: &Story, path: &str) -> bool {
    story.text.contains(&format!("alt {path}"))
        || !story.html.contains(&format!("alt {path}\" src"))
}

#[test]
fn svg_images_are_never_stored() {
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>".to_vec();
    let (lib, story) = save_with_images(vec![
        ("/a.svg", Route::bytes("image/svg+xml", svg.clone())),
        ("/b.png", Route::bytes("image/png", svg.clone())),
        (
            "/c",
            Route::untyped([b"<?xml version=\"1.0\"?>".as_slice(), &svg].concat()),
        ),
    ]);
    for path in ["/a.svg", "/b.png", "/c"] {
        assert_eq!(stored_type(&lib, &story, path), None, "{path}");
        assert!(replaced_by_alt(&story, path), "{path}: {}", story.html);
    }
}

/// A 100,000 x 100,000 PNG is a few hundred bytes that would take 10 GB to
/// decode in the reader: refused when saved, like a GIF of 65,535 x 65,535.
#[test]
fn decompression_bombs_are_refused() {
    let bomb = png(100_000, 100_000);
    assert!(bomb.len() < 200);
    let (lib, story) = save_with_images(vec![
        ("/bomb.png", Route::bytes("image/png", bomb)),
        ("/bomb.gif", Route::bytes("image/gif", gif(65_535, 65_535))),
        ("/ok.png", Route::bytes("image/png", png(640, 480))),
    ]);
    assert_eq!(
        stored_type(&lib, &story, "/bomb.png"),
        None,
        "{}",
        story.html
    );
    assert_eq!(
        stored_type(&lib, &story, "/bomb.gif"),
        None,
        "{}",
        story.html
    );
    assert_eq!(
        stored_type(&lib, &story, "/ok.png").as_deref(),
        Some("image/png")
    );
}

/// A GIF that is also JavaScript, and a PNG with HTML after its end: stored
/// as the image their bytes start with, never as script or a page.
#[test]
fn polyglots_are_stored_as_images_only() {
    let gif_js = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(1);/*\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b*/".to_vec();
    let png_html = [
        png(2, 2),
        b"<html><script>alert(1)</script></html>".to_vec(),
    ]
    .concat();
    let (lib, story) = save_with_images(vec![
        ("/poly.gif", Route::bytes("text/javascript", gif_js)),
        ("/poly.png", Route::bytes("text/html", png_html)),
    ]);
    assert_eq!(
        stored_type(&lib, &story, "/poly.gif").as_deref(),
        Some("image/gif")
    );
    assert_eq!(
        stored_type(&lib, &story, "/poly.png").as_deref(),
        Some("image/png")
    );
}

/// The type comes from the bytes, not the extension or the header; bytes
/// that are no image are refused whatever they are called.
#[test]
fn lying_types_and_extensions_are_typed_by_their_bytes() {
    let (lib, story) = save_with_images(vec![
        ("/photo.jpg", Route::bytes("image/jpeg", png(4, 4))),
        (
            "/x.png",
            Route::bytes(
                "image/png",
                b"<html><body>not an image</body></html>".to_vec(),
            ),
        ),
        (
            "/y.gif",
            Route::bytes("application/octet-stream", gif(4, 4)),
        ),
        (
            "/z.png",
            Route::bytes("image/png", b"MZ\x90\x00 an executable".to_vec()),
        ),
    ]);
    assert_eq!(
        stored_type(&lib, &story, "/photo.jpg").as_deref(),
        Some("image/png")
    );
    assert_eq!(stored_type(&lib, &story, "/x.png"), None);
    assert_eq!(
        stored_type(&lib, &story, "/y.gif").as_deref(),
        Some("image/gif")
    );
    assert_eq!(stored_type(&lib, &story, "/z.png"), None);
}

/// An image that redirects to a local file or a data: URL is not stored.
#[test]
fn image_redirects_out_of_the_web_are_refused() {
    let (lib, story) = save_with_images(vec![
        ("/r1.png", Route::redirect("file:///etc/passwd")),
        (
            "/r2.png",
            Route::redirect("data:image/png;base64,iVBORw0KGgo="),
        ),
    ]);
    assert_eq!(stored_type(&lib, &story, "/r1.png"), None);
    assert_eq!(stored_type(&lib, &story, "/r2.png"), None);
}

/// A Gloss export whose asset claims a type its bytes are not (HTML and SVG
/// called images) brings no such asset into the library.
#[test]
fn imported_assets_are_typed_by_their_bytes() {
    use gloss_core::library::sha256_hex;
    use gloss_core::portability::import::{apply, prepare};
    use gloss_core::portability::zipread::{write_for_tests, ZipLimits};
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let real = png(3, 3);
    let (h1, h2) = (sha256_hex(&html), sha256_hex(&real));
    let story = serde_json::json!({
        "url": "https://e.example/a", "url_key": "https://e.example/a", "title": "A", "byline": null,
        "site": null, "language": null, "dir": null, "excerpt": null, "published_at": null,
        "saved_at": "2024-01-01T00:00:00.000Z", "read_at": null, "starred": false, "archived": false,
        "progress": 0.0, "word_count": 1, "readerable": true, "lead_image": null, "feed": null, "tags": [],
        "html": format!("<p>x<img src=\"gloss-asset://localhost/{h1}\" alt=\"a\"><img src=\"gloss-asset://localhost/{h2}\" alt=\"b\"></p>"),
        "text": "x", "annotations": [],
        "assets": [{"sha256": h1, "mime": "image/png", "source_url": "https://e.example/1.png"},
                   {"sha256": h2, "mime": "text/html", "source_url": "https://e.example/2.png"}]
    });
    let doc = serde_json::json!({"format": "gloss-export", "version": 1, "feeds": [], "stories": [story]});
    let zip = write_for_tests(&[
        ("library.json", doc.to_string().as_bytes()),
        (&format!("assets/{h1}"), &html),
        (&format!("assets/{h2}"), &real),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    apply(&mut lib, prepare(&zip, None, ZipLimits::default()).unwrap()).unwrap();
    assert!(
        lib.asset(&h1).unwrap().is_none(),
        "an HTML file is not an image"
    );
    assert_eq!(
        lib.asset(&h2).unwrap().map(|a| a.mime).as_deref(),
        Some("image/png")
    );
}
