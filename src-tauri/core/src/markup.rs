//! Escaping text for the HTML and XML that Gloss writes: exports (EPUB,
//! bookmarks, OPML), feeds' plain-text content and text files read as
//! stories. One routine; the formats differ only in the few choices an
//! [`Escaping`] names, so a writer says which rules it follows instead of
//! carrying its own copy.

/// What a format escapes besides `&`, `<` and `>` (always escaped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escaping {
    /// `"` as `&quot;`, for double-quoted attribute values.
    pub double_quote: bool,
    /// What `'` becomes, if anything (`&#39;` in HTML, `&apos;` in XML).
    pub apostrophe: Option<&'static str>,
    /// Tab, newline and carriage return as character references, so an
    /// attribute keeps them (an XML parser turns them into spaces).
    pub line_breaks_as_references: bool,
    /// Drop the characters XML 1.0 cannot hold: controls other than tab,
    /// newline and carriage return, U+FFFE and U+FFFF.
    pub drop_xml_forbidden: bool,
}

impl Escaping {
    /// HTML text and double-quoted attributes: `& < > "`.
    pub const HTML: Escaping = Escaping {
        double_quote: true,
        apostrophe: None,
        line_breaks_as_references: false,
        drop_xml_forbidden: false,
    };
    /// HTML that may also land in single-quoted attributes: `'` as well.
    pub const HTML_ALL_QUOTES: Escaping = Escaping {
        apostrophe: Some("&#39;"),
        ..Escaping::HTML
    };
    /// XML (XHTML) element content: `& < >`, forbidden characters dropped.
    pub const XML_TEXT: Escaping = Escaping {
        double_quote: false,
        apostrophe: None,
        line_breaks_as_references: false,
        drop_xml_forbidden: true,
    };
    /// XML double-quoted attribute values: `"` as well.
    pub const XML_ATTRIBUTE: Escaping = Escaping {
        double_quote: true,
        ..Escaping::XML_TEXT
    };
    /// XML attributes that must keep every character as written (OPML
    /// titles): both quotes, and line breaks and tabs as references.
    pub const XML_ATTRIBUTE_EXACT: Escaping = Escaping {
        apostrophe: Some("&apos;"),
        line_breaks_as_references: true,
        ..Escaping::XML_ATTRIBUTE
    };
}

/// `text` escaped by the `rules` of the format it is written into.
pub fn escape(text: &str, rules: Escaping) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if rules.double_quote => out.push_str("&quot;"),
            '\'' => match rules.apostrophe {
                Some(reference) => out.push_str(reference),
                None => out.push(c),
            },
            '\t' | '\n' | '\r' if rules.line_breaks_as_references => {
                out.push_str(&format!("&#{};", u32::from(c)));
            }
            c if rules.drop_xml_forbidden && xml_forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters an XML 1.0 document cannot contain, even as references.
fn xml_forbidden(c: char) -> bool {
    (u32::from(c) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "a&b<c>d\"e'f\tg\nh\u{1}i\u{ffff}";

    #[test]
    fn each_format_escapes_what_it_must() {
        let expected = [
            (
                Escaping::HTML,
                "a&amp;b&lt;c&gt;d&quot;e'f\tg\nh\u{1}i\u{ffff}",
            ),
            (
                Escaping::HTML_ALL_QUOTES,
                "a&amp;b&lt;c&gt;d&quot;e&#39;f\tg\nh\u{1}i\u{ffff}",
            ),
            (Escaping::XML_TEXT, "a&amp;b&lt;c&gt;d\"e'f\tg\nhi"),
            (Escaping::XML_ATTRIBUTE, "a&amp;b&lt;c&gt;d&quot;e'f\tg\nhi"),
            (
                Escaping::XML_ATTRIBUTE_EXACT,
                "a&amp;b&lt;c&gt;d&quot;e&apos;f&#9;g&#10;hi",
            ),
        ];
        for (rules, escaped) in expected {
            assert_eq!(escape(SAMPLE, rules), escaped, "{rules:?}");
        }
        assert_eq!(escape("\r", Escaping::XML_ATTRIBUTE_EXACT), "&#13;");
    }
}
