//! Instapaper's CSV: `URL,Title,Selection,Folder[,Timestamp[,Tags]]`. The
//! folder is `Unread`, `Archive`, `Starred` or one of the user's, which
//! becomes a tag; tags are a JSON array. Rows without a URL are text notes
//! Gloss cannot keep as stories.

use super::csvread::{self, Csv};
use super::dates;
use super::item::{Item, Parsed};

pub fn is_instapaper(header: &str) -> bool {
    header.starts_with("url,title,selection,folder")
}

pub fn read(bytes: &[u8], parsed: &mut Parsed) {
    let csv = Csv::read(bytes, parsed);
    for (line, row) in &csv.rows {
        let shown = format!("line {line}");
        let url = csv.get(row, "url");
        if url.is_empty() {
            parsed.fail(shown, "no URL (a text note); Gloss keeps web pages only");
            continue;
        }
        let folder = csv.get(row, "folder");
        let mut tags = csvread::tags(csv.get(row, "tags"), ',');
        let (mut archived, mut starred) = (false, false);
        match folder.to_lowercase().as_str() {
            "" | "unread" => {}
            "archive" => archived = true,
            "starred" => starred = true,
            _ => tags.push(folder.to_string()),
        }
        parsed.items.push(Item {
            url: url.to_string(),
            title: Some(csv.get(row, "title").to_string()).filter(|t| !t.is_empty()),
            saved_at: dates::field(csv.get(row, "timestamp"), &shown, &mut parsed.warnings),
            archived,
            read: archived,
            starred,
            tags,
            excerpt: Some(csv.get(row, "selection").to_string()).filter(|t| !t.is_empty()),
            place: Some(shown),
            ..Default::default()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_states_or_tags() {
        let csv = "URL,Title,Selection,Folder,Timestamp,Tags\n\
            https://e.com/a,A,,Unread,1700000000,\"[\"\"x\"\"]\"\n\
            https://e.com/b,B,,Archive,1700000000,\n\
            https://e.com/c,C,,Starred,1700000000,\n\
            https://e.com/d,D,,Recipes,1700000000,\n\
            ,Note,Just some text,Unread,1700000000,\n";
        let mut p = Parsed::default();
        read(csv.as_bytes(), &mut p);
        assert_eq!(p.items.len(), 4);
        assert_eq!(p.items[0].tags, ["x"]);
        assert!(p.items[1].archived && p.items[2].starred);
        assert_eq!(p.items[3].tags, ["Recipes"]);
        assert_eq!(p.failed.len(), 1);
    }
}
