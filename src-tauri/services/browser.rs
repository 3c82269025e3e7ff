//! Leaving the app for the system browser: which links may, and opening them.

use gloss_core::{Error, Result};

/// Links a story may open in the system browser.
pub fn is_browser_link(url: &url::Url) -> bool {
    matches!(url.scheme(), "http" | "https" | "mailto")
}

/// Opens a link in the system browser: http, https and mailto only, so a
/// story cannot make the app open a file or run a program.
pub fn open_external(url: &str) -> Result<()> {
    let parsed = url::Url::parse(url)
        .map_err(|_| Error::InvalidInput(format!("{url} is not a link that can be opened")))?;
    if !is_browser_link(&parsed) {
        return Err(Error::InvalidInput(format!(
            "only http, https and mailto links open from Gloss, not {}:",
            parsed.scheme()
        )));
    }
    tauri_plugin_opener::open_url(parsed.as_str(), None::<&str>).map_err(|e| Error::Io {
        context: format!("opening {url}"),
        source: std::io::Error::other(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links_go_to_the_browser() {
        let link = |s: &str| is_browser_link(&url::Url::parse(s).unwrap());
        assert!(
            link("https://example.com/a") && link("http://example.com/") && link("mailto:a@b.c")
        );
        assert!(
            !link("file:///etc/passwd")
                && !link("javascript:alert(1)")
                && !link("gloss-asset://localhost/x")
        );
    }
}
