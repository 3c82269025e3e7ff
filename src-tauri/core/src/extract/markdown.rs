//! Markdown files (`.md`) as articles, and articles as Markdown.
//!
//! Markdown is rendered with `pulldown-cmark` (CommonMark plus tables,
//! strikethrough and footnotes) and then sanitized like any page: raw HTML in
//! Markdown is allowed by the format, so it is as hostile as a web page.
//! A local file has no base URL, so relative links become text and relative
//! images their alt text.

use pulldown_cmark::{html::push_html, Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::dom::parse_fragment;
use super::sanitize::sanitize;
use super::{assemble, html_to_text, Extracted, Parts};

/// Turns a Markdown file into an article.
///
/// The title is the `title:` of a YAML front matter block, else the first
/// heading, else the first line of the text; `fallback_title` (the file name)
/// when the file is empty. A heading that opens the document and gives the
/// title is not repeated in the body.
pub fn extract_markdown(markdown: &str, fallback_title: &str) -> Extracted {
    let markdown = markdown.strip_prefix('\u{feff}').unwrap_or(markdown);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();

    let front_matter_title = front_matter(&events).and_then(|yaml| yaml_title(&yaml));
    let heading = first_heading(&events);
    let mut body = events;
    let mut title = front_matter_title;
    if let Some(h) = &heading {
        if title.is_none() {
            title = Some(h.text.clone());
            if h.opens_document {
                body.drain(h.start..=h.end);
            }
        }
    }

    let mut rendered = String::new();
    push_html(&mut rendered, body.into_iter());
    let html = sanitize(&rendered, None);
    let title = title
        .filter(|t| !t.trim().is_empty())
        .or_else(|| html_to_text(&html).lines().next().map(str::to_string));

    assemble(
        Parts {
            title,
            html,
            ..Parts::default()
        },
        fallback_title,
        None,
    )
}

/// Markdown of (sanitized) article HTML, for `gloss show --format markdown`.
/// Uses `dom_query`'s serializer, so the build keeps one HTML parser.
pub fn html_to_markdown(html: &str) -> String {
    let doc = parse_fragment(html);
    doc.root().md(None).trim().to_string()
}

/// The first heading of a Markdown document: its text, where its events
/// are, and whether it is the first block.
struct Heading {
    text: String,
    start: usize,
    end: usize,
    opens_document: bool,
}

fn first_heading(events: &[Event]) -> Option<Heading> {
    let mut depth = 0usize;
    let mut seen_block = false;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                let mut text = String::new();
                let mut end = i;
                for (j, inner) in events.iter().enumerate().skip(i + 1) {
                    match inner {
                        Event::End(TagEnd::Heading(_)) => {
                            end = j;
                            break;
                        }
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        Event::SoftBreak | Event::HardBreak => text.push(' '),
                        _ => {}
                    }
                }
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                return Some(Heading {
                    text,
                    start: i,
                    end,
                    opens_document: depth == 0 && !seen_block,
                });
            }
            Event::Start(Tag::MetadataBlock(_)) => depth += 1,
            Event::End(TagEnd::MetadataBlock(_)) => depth = depth.saturating_sub(1),
            Event::Start(_) => {
                if depth == 0 {
                    seen_block = true;
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Rule | Event::Html(_) if depth == 0 => seen_block = true,
            _ => {}
        }
    }
    None
}

/// The text of a YAML front matter block, if the document opens with one.
fn front_matter(events: &[Event]) -> Option<String> {
    let mut inside = false;
    let mut yaml = String::new();
    for event in events {
        match event {
            Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle)) => inside = true,
            Event::End(TagEnd::MetadataBlock(_)) => return Some(yaml),
            Event::Text(t) if inside => yaml.push_str(t),
            _ if !inside => return None,
            _ => {}
        }
    }
    None
}

/// The `title:` of front matter (a plain or quoted single-line value).
fn yaml_title(yaml: &str) -> Option<String> {
    yaml.lines()
        .find_map(|l| l.strip_prefix("title:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).trim().to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_markdown_file_becomes_a_sanitized_article() {
        let md = "# Field Notes\n\nSome *emphasis* and a [link](https://ok.example/) and a \
                  [relative one](other.md).\n\n## Section\n\n- one\n- two\n\n\
                  <script>alert(1)</script><img src=x onerror=alert(2)>\n\n\
                  | a | b |\n|---|---|\n| 1 | 2 |\n\n[bad](javascript:alert(3))\n";
        let e = extract_markdown(md, "notes.md");
        assert_eq!(e.title, "Field Notes");
        assert!(
            !e.html.contains("Field Notes"),
            "title not repeated: {}",
            e.html
        );
        assert!(e.html.contains("<em>emphasis</em>"), "{}", e.html);
        assert!(
            e.html
                .contains(r#"<a href="https://ok.example/" rel="noopener noreferrer">link</a>"#),
            "{}",
            e.html
        );
        assert!(e.html.contains("relative one"), "{}", e.html);
        assert!(!e.html.contains("other.md"), "{}", e.html);
        assert!(e.html.contains("<h2>Section</h2>"), "{}", e.html);
        assert!(e.html.contains("<td>1</td>"), "{}", e.html);
        for bad in ["script", "alert", "onerror", "javascript"] {
            assert!(!e.html.contains(bad), "{bad}: {}", e.html);
        }
        assert_eq!(
            e.text,
            "Some emphasis and a link and a relative one.\nSection\none\ntwo\na b\n1 2\nbad"
        );
    }

    #[test]
    fn front_matter_gives_the_title_and_is_not_shown() {
        let md = "---\ntitle: \"From Front Matter\"\ndate: 2024-01-01\n---\n\n# Heading\n\nBody.\n";
        let e = extract_markdown(md, "f.md");
        assert_eq!(e.title, "From Front Matter");
        assert_eq!(e.text, "Heading\nBody.");
    }

    #[test]
    fn without_headings_the_first_line_is_the_title_and_the_body_is_whole() {
        let e = extract_markdown("Plain first line\nstill the paragraph.\n\nNext.\n", "p.md");
        assert_eq!(e.title, "Plain first line still the paragraph.");
        assert_eq!(e.text, "Plain first line still the paragraph.\nNext.");
        let e = extract_markdown("", "empty.md");
        assert_eq!(e.title, "empty.md");
    }

    #[test]
    fn a_later_heading_is_the_title_but_stays_in_the_body() {
        let e = extract_markdown("Intro paragraph.\n\n## Part One\n\nText.\n", "x.md");
        assert_eq!(e.title, "Part One");
        assert_eq!(e.text, "Intro paragraph.\nPart One\nText.");
    }

    #[test]
    fn html_becomes_markdown() {
        let md = html_to_markdown(
            r#"<h2>Title</h2><p>Some <strong>bold</strong> and <a href="https://a.example/">a link</a>.</p><ul><li>one</li><li>two</li></ul><blockquote><p>quoted</p></blockquote>"#,
        );
        assert!(md.contains("## Title"), "{md}");
        assert!(md.contains("**bold**"), "{md}");
        assert!(md.contains("[a link](https://a.example/)"), "{md}");
        assert!(md.contains("- one"), "{md}");
        assert!(md.contains("> quoted"), "{md}");
    }
}
