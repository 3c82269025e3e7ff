//! CSV exports read leniently: any encoding (see [`super::decode`]), quoted
//! fields with commas, quotes and newlines, rows with missing or extra
//! fields. Columns are found by name, in any order and case.
//!
//! The reader is written here rather than taken from the `csv` crate because
//! of one failure that crate cannot report: a quote that opens a field and
//! is never closed. Read by the book, it swallows every following row into
//! one field, so a file with a stray quote loses rows without a word. Here
//! the quoting of a record is checked (a closing quote must be followed by a
//! comma or the end of the line, and the file must not end inside quotes);
//! a record that fails the check is read again as its one line, quotes as
//! written, with a warning naming the line, and the rows after it are read
//! as usual.

use super::decode;
use super::item::Parsed;

/// The rows of a CSV file, with its header names lowercased; each row with
/// the line it starts on (the header is line 1).
pub struct Csv {
    headers: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
}

impl Csv {
    /// Reads every row; a row whose quotes do not close is read as its own
    /// line and reported in `parsed.warnings`, as is an encoding that had to
    /// be guessed.
    pub fn read(bytes: &[u8], parsed: &mut Parsed) -> Csv {
        let text = decode::text(bytes, &mut parsed.warnings);
        let mut reader = Reader::new(&text);
        let headers: Vec<String> = reader
            .next_record(0)
            .map(|r| r.fields.iter().map(|h| h.trim().to_lowercase()).collect())
            .unwrap_or_default();
        let mut rows = Vec::new();
        while let Some(record) = reader.next_record(headers.len()) {
            if record.repaired {
                parsed.warnings.push(format!(
                    "line {}: a quote opens a field here and is never closed; this line was \
                     read on its own with its quotes as written, and the lines after it as rows",
                    record.line
                ));
            }
            rows.push((record.line, record.fields));
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
    pub fn get<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        self.headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| row.get(i))
            .map(|f| f.trim())
            .unwrap_or("")
    }

    pub fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h == name)
    }
}

/// One record as read: the line it starts on, its fields, and whether its
/// quotes were broken and it was read as its own line instead.
struct Record {
    line: u64,
    fields: Vec<String>,
    repaired: bool,
}

/// Reads records one after the other from decoded text.
struct Reader<'a> {
    text: &'a str,
    pos: usize,
    line: u64,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            line: 1,
        }
    }

    /// The next record; blank lines are passed over. `columns` is the
    /// header's width, which a line read on its own is fitted to.
    fn next_record(&mut self, columns: usize) -> Option<Record> {
        while self.pos < self.text.len() {
            let rest = &self.text[self.pos..];
            let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
            if !rest[..end].trim().is_empty() {
                break;
            }
            self.pos += end;
            self.line += 1;
        }
        if self.pos >= self.text.len() {
            return None;
        }
        let line = self.line;
        let rest = &self.text[self.pos..];
        match quoted_record(rest) {
            Some((fields, used)) => {
                self.line += rest[..used].matches('\n').count() as u64;
                self.pos += used;
                Some(Record {
                    line,
                    fields,
                    repaired: false,
                })
            }
            None => {
                let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
                self.pos += end;
                self.line += 1;
                Some(Record {
                    line,
                    fields: line_record(&rest[..end], columns),
                    repaired: true,
                })
            }
        }
    }
}

/// Where a line ends in `s` at `at`: the length of its line break (0 at the
/// end of the text), or `None` when `at` is not the end of a line.
fn line_break(s: &str, at: usize) -> Option<usize> {
    let rest = &s.as_bytes()[at..];
    match rest {
        [] => Some(0),
        [b'\n', ..] => Some(1),
        [b'\r', b'\n', ..] => Some(2),
        [b'\r'] => Some(1),
        _ => None,
    }
}

/// A quoted field at the start of `s` (which starts with `"`): its text,
/// doubled quotes undone, and the bytes up to and with its closing quote.
/// `None` when no quote closes it.
fn quoted_field(s: &str) -> Option<(String, usize)> {
    let mut field = String::new();
    let mut pos = 1;
    loop {
        let quote = pos + s[pos..].find('"')?;
        field.push_str(&s[pos..quote]);
        pos = quote + 1;
        if s.as_bytes().get(pos) != Some(&b'"') {
            return Some((field, pos));
        }
        field.push('"');
        pos += 1;
    }
}

/// One record read by RFC 4180 from the start of `s`: its fields and the
/// bytes it used (its line break included). `None` when a quoted field is
/// not closed properly: the file ends inside it, or its closing quote is
/// followed by something other than a comma or a line break.
fn quoted_record(s: &str) -> Option<(Vec<String>, usize)> {
    let mut fields = Vec::new();
    let mut pos = 0;
    loop {
        if s[pos..].starts_with('"') {
            let (field, used) = quoted_field(&s[pos..])?;
            pos += used;
            if !s[pos..].starts_with(',') && line_break(s, pos).is_none() {
                return None;
            }
            fields.push(field);
        } else {
            let end = s[pos..].find([',', '\n']).map_or(s.len(), |i| pos + i);
            fields.push(s[pos..end].trim_end_matches('\r').to_string());
            pos = end;
        }
        if s[pos..].starts_with(',') {
            pos += 1;
            continue;
        }
        let used = line_break(s, pos).unwrap_or(0);
        return Some((fields, pos + used));
    }
}

/// The most commas after a broken quote for which [`line_record`] looks for
/// the best place to end the field (a real row has a few dozen at most).
const MAX_FITTED_COMMAS: usize = 256;

/// A line whose quotes are broken, read on its own: well-quoted fields as
/// usual; the broken field (its stray opening quote removed) runs to the
/// comma after which the rest of the line has the fields the header's
/// `columns` still want, or else to the first comma. A title with a stray
/// quote usually has commas too, and the fields after it are often quoted
/// well (Instapaper's `Tags`).
fn line_record(line: &str, columns: usize) -> Vec<String> {
    let line = line.trim_end_matches(['\r', '\n']);
    let mut fields = Vec::new();
    let mut rest = line;
    loop {
        let (field, after) = if let Some(quoted) = rest.strip_prefix('"') {
            match quoted_field(rest)
                .filter(|(_, used)| rest[*used..].is_empty() || rest[*used..].starts_with(','))
            {
                Some((field, used)) => (field, &rest[used..]),
                None => {
                    let wanted = columns.saturating_sub(fields.len() + 1);
                    let commas = || quoted.match_indices(',').map(|(i, _)| i);
                    let end = if wanted == 0 {
                        None
                    } else if commas().nth(MAX_FITTED_COMMAS).is_some() {
                        // Fitting costs a pass per comma: not on a hostile line.
                        commas().next()
                    } else {
                        commas()
                            .find(|&c| line_record(&quoted[c + 1..], 0).len() == wanted)
                            .or_else(|| commas().next())
                    };
                    let Some(end) = end else {
                        fields.push(quoted.to_string());
                        return fields;
                    };
                    fields.push(quoted[..end].to_string());
                    fields.extend(line_record(&quoted[end + 1..], 0));
                    return fields;
                }
            }
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        };
        fields.push(field);
        match after.strip_prefix(',') {
            Some(next) => rest = next,
            None => return fields,
        }
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

    /// The rows as (line, fields) for comparing.
    fn rows(csv: &Csv) -> Vec<(u64, Vec<&str>)> {
        csv.rows
            .iter()
            .map(|(line, row)| (*line, row.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn an_unclosed_quote_costs_no_row_and_names_its_line() {
        // Line 3 opens a quote it never closes; line 5 has a well-quoted
        // field whose opening quote the broken one would end at.
        let file = "URL,Title,Folder\r\n\
            https://e.com/1,One,Unread\r\n\
            https://e.com/2,\"Two, broken,Unread\r\n\
            https://e.com/3,Three,Unread\r\n\
            https://e.com/4,\"Four, \"\"quoted\"\"\",Archive\r\n\
            https://e.com/5,\"Five\non two lines\",Unread\r\n\
            https://e.com/6,Six,Unread\r\n";
        let mut parsed = Parsed::default();
        let csv = Csv::read(file.as_bytes(), &mut parsed);
        assert_eq!(
            rows(&csv),
            vec![
                (2, vec!["https://e.com/1", "One", "Unread"]),
                (3, vec!["https://e.com/2", "Two, broken", "Unread"]),
                (4, vec!["https://e.com/3", "Three", "Unread"]),
                (5, vec!["https://e.com/4", "Four, \"quoted\"", "Archive"]),
                (6, vec!["https://e.com/5", "Five\non two lines", "Unread"]),
                (8, vec!["https://e.com/6", "Six", "Unread"]),
            ]
        );
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].starts_with("line 3: a quote opens a field"));
    }

    #[test]
    fn a_quote_left_open_to_the_end_of_the_file_costs_no_row() {
        let mut file = String::from("title,url\n\"Open,https://e.com/0\n");
        for i in 1..=500 {
            file.push_str(&format!("T{i},https://e.com/{i}\n"));
        }
        let mut parsed = Parsed::default();
        let csv = Csv::read(file.as_bytes(), &mut parsed);
        assert_eq!(csv.rows.len(), 501);
        assert_eq!(csv.get(&csv.rows[0].1, "url"), "https://e.com/0");
        assert_eq!(csv.get(&csv.rows[0].1, "title"), "Open");
        assert_eq!(csv.rows[500].0, 502);
        assert_eq!(csv.get(&csv.rows[500].1, "url"), "https://e.com/500");
        assert_eq!(parsed.warnings.len(), 1);
    }

    #[test]
    fn fields_left_of_a_broken_quote_are_read_as_usual() {
        assert_eq!(
            line_record("\"a, b\",c,\"broken, d\r\n", 4),
            ["a, b", "c", "broken", " d"]
        );
        // Too many fields for the header: the broken one keeps the commas.
        assert_eq!(
            line_record("\"a, b\",c,\"broken, d, e,f", 4),
            ["a, b", "c", "broken, d, e", "f"]
        );
        assert_eq!(line_record("a,\"b\"x,c", 3), ["a", "b\"x", "c"]);
        // A hostile line: 200,000 commas after a stray quote is read at
        // once, the field ending at the first comma.
        let hostile = format!("a,\"b{}", ",".repeat(200_000));
        assert_eq!(line_record(&hostile, 3).len(), 200_002);
        assert_eq!(line_record("a,", 2), ["a", ""]);
    }

    #[test]
    fn blank_lines_are_passed_over_and_counted() {
        let mut parsed = Parsed::default();
        let csv = Csv::read(b"a,b\n\n  \n1,2\n\n3,4", &mut parsed);
        assert_eq!(rows(&csv), vec![(4, vec!["1", "2"]), (6, vec!["3", "4"])]);
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn tags_in_every_spelling() {
        assert_eq!(tags("a|b| c", '|'), ["a", "b", "c"]);
        assert_eq!(tags(r#"["a","b"]"#, ','), ["a", "b"]);
        assert_eq!(tags("['a', 'b c']", ','), ["a", "b c"]);
        assert!(tags("", '|').is_empty());
    }
}
