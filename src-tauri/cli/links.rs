//! What Gloss is asked to open when it starts with no subcommand: a
//! `gloss://save?url=…` link (from the browser's bookmarklet), a web page or
//! OPML file (the desktop's "Open with Gloss"), or an http(s) address.
//!
//! A `gloss://` link can be written by any web page, so it is treated as
//! hostile: the only action is `save`, its only parameter is an http(s)
//! `url`, and it can never name a file. Files come only from arguments the
//! user's own desktop passed (`file://` URLs or paths).

use std::path::{Path, PathBuf};

use gloss_core::{urls, Error, Result};
use url::Url;

/// The scheme of links that browsers hand to Gloss.
pub const LINK_SCHEME: &str = "gloss";

/// One thing the running app is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenRequest {
    /// Save a web page (from a `gloss://save` link or an http(s) argument).
    SaveUrl(Url),
    /// Save a local .html, .htm, .txt or .md file.
    SaveFile(PathBuf),
    /// Import the feeds of an OPML file.
    ImportOpml(PathBuf),
}

/// Extensions of files "Open with Gloss" saves as stories.
const SAVEABLE: [&str; 4] = ["html", "htm", "txt", "md"];

/// True when `arg` is a `gloss:` link (whatever it asks for).
pub fn is_link(arg: &str) -> bool {
    arg.split_once(':')
        .is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case(LINK_SCHEME))
}

/// The page a `gloss://save?url=…` link asks to save; anything else is refused.
pub fn parse_link(link: &str) -> Result<Url> {
    let refused = |why: &str| {
        Error::InvalidInput(format!(
            "Gloss refused the link {}: {why}. Only gloss://save?url=… with an http or https address is accepted.",
            shorten(link)
        ))
    };
    let parsed = Url::parse(link).map_err(|_| refused("it is not a valid link"))?;
    if !parsed.scheme().eq_ignore_ascii_case(LINK_SCHEME) {
        return Err(refused("it is not a gloss:// link"));
    }
    if parsed.host_str() != Some("save") || !matches!(parsed.path(), "" | "/") {
        return Err(refused("it asks for something other than saving a page"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() || parsed.port().is_some() {
        return Err(refused("it is not a plain gloss://save link"));
    }
    let mut target = None;
    for (key, value) in parsed.query_pairs() {
        match key.as_ref() {
            "url" if target.is_none() => target = Some(value.into_owned()),
            "url" => return Err(refused("it names more than one page")),
            _ => return Err(refused(&format!("it has an unknown parameter “{key}”"))),
        }
    }
    let target = target.ok_or_else(|| refused("it names no page"))?;
    urls::parse_web_url(&target).map_err(|_| refused("the page is not an http or https address"))
}

/// What one argument asks for. Relative paths are taken from `cwd` (the
/// launching process's folder, which the running app does not share).
pub fn parse_argument(arg: &str, cwd: &Path) -> Result<OpenRequest> {
    if is_link(arg) {
        return parse_link(arg).map(OpenRequest::SaveUrl);
    }
    let lower = arg.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return urls::parse_web_url(arg).map(OpenRequest::SaveUrl);
    }
    let path = if lower.starts_with("file:") {
        Url::parse(arg)
            .ok()
            .and_then(|u| u.to_file_path().ok())
            .ok_or_else(|| Error::InvalidInput(format!("{arg} is not a local file")))?
    } else {
        cwd.join(arg)
    };
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !path.is_file() {
        return Err(Error::NotFound(format!(
            "{arg} is neither a command nor a file (see gloss --help)"
        )));
    }
    if extension == "opml" {
        Ok(OpenRequest::ImportOpml(path))
    } else if SAVEABLE.contains(&extension.as_str()) {
        Ok(OpenRequest::SaveFile(path))
    } else {
        Err(Error::Unsupported(format!(
            "Gloss opens .html, .htm, .txt, .md and .opml files; {} is not one of them",
            path.display()
        )))
    }
}

/// A link as it may be quoted in a message: hostile text kept short.
fn shorten(link: &str) -> String {
    const MAX: usize = 120;
    let one_line: String = link.chars().filter(|c| !c.is_control()).collect();
    if one_line.chars().count() <= MAX {
        one_line
    } else {
        one_line.chars().take(MAX).chain("…".chars()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_link_gives_its_web_page() {
        let url = parse_link("gloss://save?url=https%3A%2F%2Fexample.com%2Fa%3Fb%3D1").unwrap();
        assert_eq!(url.as_str(), "https://example.com/a?b=1");
        let url = parse_link("GLOSS://save/?url=http://127.0.0.1:8080/story.html").unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/story.html");
    }

    #[test]
    fn every_other_link_is_refused_with_a_reason() {
        for link in [
            "gloss://save?url=file:///etc/passwd",
            "gloss://save?url=javascript:alert(1)",
            "gloss://save",
            "gloss://delete?id=1",
            "gloss://import?path=/tmp/x.opml",
            "gloss://save/../import?url=https://a.b/",
            "gloss://save?url=https://a.b/&url=https://c.d/",
            "gloss://save?url=https://a.b/&library=/tmp/other.gloss",
            "gloss://user@save?url=https://a.b/",
            "gloss:save?url=https://a.b/",
            "gloss://",
        ] {
            let err = parse_link(link).expect_err(link);
            assert!(matches!(err, Error::InvalidInput(_)), "{link}: {err}");
            assert!(err.to_string().contains("gloss://save?url="), "{err}");
        }
    }

    #[test]
    fn a_refusal_quotes_at_most_a_short_line_of_the_link() {
        let long = format!("gloss://evil?x={}\n\u{7}", "a".repeat(5000));
        let message = parse_link(&long).unwrap_err().to_string();
        assert!(message.len() < 400 && !message.contains('\n') && !message.contains('\u{7}'));
    }

    #[test]
    fn arguments_are_links_pages_or_files_of_known_kinds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("page.HTML"), "<p>x</p>").unwrap();
        std::fs::write(dir.path().join("feeds.opml"), "<opml/>").unwrap();
        std::fs::write(dir.path().join("photo.png"), "x").unwrap();
        let cwd = dir.path();
        assert_eq!(
            parse_argument("page.HTML", cwd).unwrap(),
            OpenRequest::SaveFile(cwd.join("page.HTML"))
        );
        let file_url = Url::from_file_path(cwd.join("feeds.opml")).unwrap();
        assert_eq!(
            parse_argument(file_url.as_str(), cwd).unwrap(),
            OpenRequest::ImportOpml(cwd.join("feeds.opml"))
        );
        assert!(matches!(
            parse_argument("https://example.com/x", cwd).unwrap(),
            OpenRequest::SaveUrl(_)
        ));
        assert!(matches!(
            parse_argument("photo.png", cwd),
            Err(Error::Unsupported(_))
        ));
        // A mistyped subcommand is not silently a file to open.
        assert!(matches!(
            parse_argument("lst", cwd),
            Err(Error::NotFound(_))
        ));
        assert!(parse_argument("ftp://example.com/x", cwd).is_err());
    }
}
