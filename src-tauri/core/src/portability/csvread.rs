//! CSV exports read leniently: a BOM, quoted fields with commas, quotes and
//! newlines, rows with missing or extra fields, bytes that are not UTF-8.
//! Columns are found by name, in any order and case.

use super::item::Parsed;

/// The rows of a CSV file, with its header names lowercased.
pub struct Csv {
    headers: Vec<String>,
    pub rows: Vec<(u64, csv::StringRecord)>,
}

impl Csv {
    /// Reads every row; a row that cannot be read is reported in `parsed`.
    pub fn read(bytes: &[u8], parsed: &mut Parsed) -> Csv {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = String::from_utf8_lossy(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map(|h| h.iter().map(|s| s.trim().to_lowercase()).collect())
            .unwrap_or_default();
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            match record {
                Ok(r) => rows.push((r.position().map_or(i as u64 + 2, |p| p.line()), r)),
                Err(e) => parsed.fail(format!("row {}", i + 2), format!("unreadable CSV: {e}")),
            }
        }
        Csv { headers, rows }
    }

    /// The first line of a CSV file, lowercased, without a BOM.
    pub fn header_line(bytes: &[u8]) -> String {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let end = bytes
            .iter()
            .position(|b| *b == b'\n')
            .unwrap_or(bytes.len().min(4096));
        String::from_utf8_lossy(&bytes[..end])
            .trim()
            .to_lowercase()
            .replace(['"', ' '], "")
    }

    /// The field of `row` under the column `name` (lowercase), or "".
    pub fn get<'a>(&self, row: &'a csv::StringRecord, name: &str) -> &'a str {
        self.headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| row.get(i))
            .map(str::trim)
            .unwrap_or("")
    }

    pub fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h == name)
    }
}

/// Tags written as a JSON array (`["a","b"]`), a Python list (`['a', 'b']`)
/// or separated by `sep`.
pub fn tags(field: &str, sep: char) -> Vec<String> {
    let field = field.trim();
    if field.is_empty() || field == "[]" {
        return Vec::new();
    }
    if field.starts_with('[') {
        if let Ok(list) = serde_json::from_str::<Vec<String>>(field) {
            return clean(list);
        }
        let inner = field.trim_start_matches('[').trim_end_matches(']');
        return clean(
            inner
                .split(',')
                .map(|t| t.trim().trim_matches(['\'', '"']).to_string())
                .collect(),
        );
    }
    clean(field.split(sep).map(str::to_string).collect())
}

fn clean(tags: Vec<String>) -> Vec<String> {
    tags.into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_newlines_and_a_bom_are_read() {
        let file = "\u{feff}Title,URL\n\"A \"\"quoted\"\", title, with\nnewline\",https://e.com/a\nshort\n";
        let mut parsed = Parsed::default();
        let csv = Csv::read(file.as_bytes(), &mut parsed);
        assert!(csv.has("title"));
        assert_eq!(csv.rows.len(), 2);
        assert_eq!(
            csv.get(&csv.rows[0].1, "title"),
            "A \"quoted\", title, with\nnewline"
        );
        assert_eq!(csv.get(&csv.rows[1].1, "url"), "");
        assert_eq!(Csv::header_line(file.as_bytes()), "title,url");
    }

    #[test]
    fn tags_in_every_spelling() {
        assert_eq!(tags("a|b| c", '|'), ["a", "b", "c"]);
        assert_eq!(tags(r#"["a","b"]"#, ','), ["a", "b"]);
        assert_eq!(tags("['a', 'b c']", ','), ["a", "b c"]);
        assert!(tags("", '|').is_empty());
    }
}
