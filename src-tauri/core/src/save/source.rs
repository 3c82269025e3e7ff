//! What a save starts from: an http(s) URL or a local page file, checked
//! before any network or library work so a mistyped argument fails at once.

use std::path::{Path, PathBuf};

use url::Url;

use crate::{urls, Error, Result};

/// What the user asked to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Url(Url),
    File(PathBuf),
}

impl Source {
    /// Reads a command-line or drop argument: an http(s) URL, or a path to an
    /// `.html`, `.htm`, `.xhtml`, `.txt` or `.md` file. Other URL schemes
    /// (`file:`, `ftp:`, `javascript:`) are refused.
    pub fn parse(input: &str) -> Result<Source> {
        let input = input.trim();
        if input.is_empty() {
            return Err(Error::InvalidInput(
                "nothing to save: give a URL or a file".into(),
            ));
        }
        if looks_like_url(input) {
            return urls::parse_web_url(input).map(Source::Url);
        }
        let path = PathBuf::from(input);
        if !path.exists() {
            return Err(Error::NotFound(format!(
                "no such file: {input}; give an http(s) URL or the path of an .html, .txt or .md file"
            )));
        }
        if path.is_dir() {
            return Err(Error::InvalidInput(format!(
                "{input} is a folder; give a file or a URL"
            )));
        }
        file_kind(&path)?;
        Ok(Source::File(path))
    }

    /// How the source is shown in messages and progress events.
    pub fn display(&self) -> String {
        match self {
            Source::Url(u) => u.to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// `scheme:` at the start, as in `https://`, `file:///`, `mailto:` or
/// `javascript:` (a Windows drive letter like `C:\` is a path).
fn looks_like_url(input: &str) -> bool {
    match input.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileKind {
    Html,
    Text,
    Markdown,
}

pub(super) fn file_kind(path: &Path) -> Result<FileKind> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" | "xhtml" => Ok(FileKind::Html),
        "txt" | "text" => Ok(FileKind::Text),
        "md" | "markdown" => Ok(FileKind::Markdown),
        _ => Err(Error::Unsupported(format!(
            "{} is not a page Gloss can save; it saves .html, .htm, .txt and .md files and http(s) URLs",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_urls_or_existing_files_of_known_types() {
        assert!(matches!(
            Source::parse("https://example.com/a").unwrap(),
            Source::Url(_)
        ));
        for bad in [
            "file:///etc/passwd",
            "ftp://example.com/x",
            "javascript:alert(1)",
            "data:text/html,hi",
        ] {
            assert_eq!(
                Source::parse(bad).unwrap_err().kind(),
                crate::ErrorKind::InvalidInput,
                "{bad}"
            );
        }
        assert_eq!(
            Source::parse("/no/such/file.html").unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("paper.pdf");
        std::fs::write(&pdf, b"%PDF-1.4").unwrap();
        assert_eq!(
            Source::parse(pdf.to_str().unwrap()).unwrap_err().kind(),
            crate::ErrorKind::Unsupported
        );
        let txt = dir.path().join("note.TXT");
        std::fs::write(&txt, b"Title\n\nBody").unwrap();
        assert!(matches!(
            Source::parse(txt.to_str().unwrap()).unwrap(),
            Source::File(_)
        ));
        assert!(!looks_like_url("C:\\Users\\me\\page.html"));
    }
}
