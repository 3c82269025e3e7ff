//! Readwise CSVs. The highlights export (`Highlight,Book Title,Book
//! Author,...,Note,Color,Tags,...,Highlighted at,Document tags`, with a URL
//! column in some exports) is grouped into one story per title and URL.
//! Highlights without a URL are from books (Kindle, Apple Books): Gloss
//! keeps web pages, each known by its address, so a book is skipped, once
//! per book with its highlight count and the reason "no URL (book
//! highlight)" (docs/portability.md says why).
//! The Reader documents export (`Title,URL,ID,Document tags,Saved date,
//! Reading progress,Location,Seen`) is one story per row; `feed` items are
//! left out, as Readwise's own importers do.

use super::csvread::{self, Csv};
use super::dates;
use super::item::{Highlight, Item, Parsed};
use crate::annotate::Color;

pub fn is_highlights(header: &str) -> bool {
    header.starts_with("highlight,booktitle")
}

pub fn is_reader(header: &str) -> bool {
    header.starts_with("title,url,id,documenttags")
}

/// Why a book's highlights are left out.
pub const BOOK_SKIPPED: &str = "no URL (book highlight)";

/// Why a Reader row in the Feed is left out: Reader lists there what the
/// user's subscriptions brought, not what they saved.
pub const FEED_SKIPPED: &str = "in Reader's Feed (not saved by you); Gloss follows feeds itself";

pub fn read_highlights(bytes: &[u8], parsed: &mut Parsed) {
    let csv = Csv::read(bytes, parsed);
    let url_col = ["url", "source url", "highlight url", "book url"]
        .into_iter()
        .find(|c| csv.has(c));
    // Books in the order first seen, with their highlight counts.
    let mut books: Vec<(String, String, u32)> = Vec::new();
    for (line, row) in &csv.rows {
        let shown = format!("line {line}");
        let title = csv.get(row, "book title");
        let url = url_col.map(|c| csv.get(row, c)).unwrap_or("");
        if url.is_empty() {
            let author = csv.get(row, "book author");
            match books.iter_mut().find(|b| b.0 == title && b.1 == author) {
                Some(book) => book.2 += 1,
                None => books.push((title.to_string(), author.to_string(), 1)),
            }
            continue;
        }
        let quote = csv.get(row, "highlight");
        let highlight = Highlight {
            quote: quote.to_string(),
            note: csv.get(row, "note").to_string(),
            color: color(csv.get(row, "color")),
            tags: csvread::tags(csv.get(row, "tags"), ','),
            created: dates::field(csv.get(row, "highlighted at"), &shown, &mut parsed.warnings),
        };
        let doc_tags = csvread::tags(csv.get(row, "document tags"), ',');
        match parsed
            .items
            .iter_mut()
            .find(|i| i.url == url && i.title.as_deref().unwrap_or("") == title)
        {
            Some(item) => {
                item.highlights.push(highlight);
                for t in doc_tags {
                    if !item.tags.contains(&t) {
                        item.tags.push(t);
                    }
                }
            }
            None => parsed.items.push(Item {
                place: Some(shown),
                url: url.to_string(),
                title: Some(title.to_string()).filter(|t| !t.is_empty()),
                byline: Some(csv.get(row, "book author").to_string()).filter(|t| !t.is_empty()),
                tags: doc_tags,
                highlights: vec![highlight],
                ..Default::default()
            }),
        }
    }
    for (title, author, count) in books {
        let title = if title.is_empty() {
            "(untitled)"
        } else {
            &title
        };
        let by = if author.is_empty() {
            String::new()
        } else {
            format!(" by {author}")
        };
        let what = if count == 1 {
            "highlight"
        } else {
            "highlights"
        };
        parsed.skip(format!("{title}{by} ({count} {what})"), BOOK_SKIPPED);
    }
}

pub fn read_reader(bytes: &[u8], parsed: &mut Parsed) {
    let csv = Csv::read(bytes, parsed);
    for (line, row) in &csv.rows {
        let shown = format!("line {line}");
        let location = csv.get(row, "location").to_lowercase();
        if location == "feed" {
            parsed.skip(shown, FEED_SKIPPED);
            continue;
        }
        let progress = csv
            .get(row, "reading progress")
            .parse::<f64>()
            .unwrap_or(0.0);
        let progress = if progress > 1.0 {
            progress / 100.0
        } else {
            progress
        };
        let archived = location == "archive";
        parsed.items.push(Item {
            place: Some(shown.clone()),
            url: csv.get(row, "url").to_string(),
            title: Some(csv.get(row, "title").to_string()).filter(|t| !t.is_empty()),
            saved_at: dates::field(csv.get(row, "saved date"), &shown, &mut parsed.warnings),
            tags: csvread::tags(csv.get(row, "document tags"), ','),
            archived,
            read: archived || progress >= 0.99,
            starred: location == "shortlist",
            progress: progress.clamp(0.0, 1.0),
            ..Default::default()
        });
    }
}

/// Readwise's colour names on Gloss's five.
fn color(name: &str) -> Color {
    match name.trim().to_lowercase().as_str() {
        "green" => Color::Green,
        "blue" => Color::Blue,
        "pink" | "red" => Color::Pink,
        "purple" | "violet" => Color::Purple,
        _ => Color::Yellow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_grouped_by_title_and_url() {
        let csv = "Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,Document tags,URL\n\
            one,T,A,,n1,blue,,offset,1,2023-01-05 10:00:00,\"['x']\",https://e.com/t\n\
            two,T,A,,,yellow,,offset,2,2023-01-05 10:01:00,,https://e.com/t\n\
            three,Book,A,B00X,,yellow,,location,3,2023-01-05 10:01:00,,\n\
            four,Book,A,B00X,,yellow,,location,9,2023-01-05 10:02:00,,\n\
            five,Other,,B00Y,,yellow,,location,1,2023-01-05 10:02:00,,\n";
        let mut p = Parsed::default();
        read_highlights(csv.as_bytes(), &mut p);
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.items[0].highlights.len(), 2);
        assert_eq!(p.items[0].highlights[0].color, Color::Blue);
        assert_eq!(p.items[0].tags, ["x"]);
        // Book highlights: skipped (not failed), one line per book.
        assert!(p.failed.is_empty());
        let skipped: Vec<_> = p.skipped.iter().map(|s| s.item.as_str()).collect();
        assert_eq!(skipped, ["Book by A (2 highlights)", "Other (1 highlight)"]);
        assert!(p.skipped.iter().all(|s| s.reason == BOOK_SKIPPED));
    }
}
