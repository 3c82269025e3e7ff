//! Highlights and notes as a reader would notice them.

use super::*;
use crate::annotate::{AnnotationQuery, Color, NewAnnotation, TextQuoteSelector};
use crate::model::{ListFilter, ListQuery, SearchQuery};

fn text_story(key: &str, text: &str) -> NewStory {
    NewStory {
        url: format!("https://example.com/{key}"),
        url_key: format!("https://example.com/{key}"),
        title: format!("Story {key}"),
        html: format!("<p>{text}</p>"),
        text: text.into(),
        word_count: 10,
        ..Default::default()
    }
}

fn quote(exact: &str) -> NewAnnotation {
    NewAnnotation {
        quote: TextQuoteSelector {
            exact: exact.into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

const TEXT: &str =
    "Putin said the talks went well.\nA bilateral guarantee is not enough, he added.\nKim agreed.";

#[test]
fn a_highlight_is_placed_kept_and_counted() {
    let mut lib = Library::open_in_memory().unwrap();
    let id = lib.store_story(text_story("a", TEXT)).unwrap().id;
    let mut new = quote("bilateral guarantee is not enough");
    new.color = Color::Green;
    new.note = "The **key** point".into();
    new.tags = vec!["security".into()];
    let a = lib.add_annotation(id, new).unwrap();
    let p = a.position.unwrap();
    let chars: Vec<char> = TEXT.chars().collect();
    assert_eq!(
        chars[p.start as usize..p.end as usize]
            .iter()
            .collect::<String>(),
        "bilateral guarantee is not enough"
    );
    assert_eq!(
        a.quote.prefix, "tin said the talks went well.\nA ",
        "32 characters of context"
    );
    assert_eq!(a.tags, vec!["security"]);
    assert_eq!(lib.summary(id).unwrap().annotation_count, 1);
    assert_eq!(lib.counts().unwrap().annotated, 1);
    let q = ListQuery {
        filter: ListFilter::Annotated,
        ..Default::default()
    };
    assert_eq!(lib.list(&q).unwrap().stories.len(), 1);
    // The note is searchable.
    let hits = lib
        .search(&SearchQuery {
            text: "key point".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![id]);

    let changed = lib
        .update_annotation(a.id, Some(Color::Pink), Some("changed".into()), None)
        .unwrap();
    assert_eq!(
        (changed.color, changed.note.as_str()),
        (Color::Pink, "changed")
    );
    assert!(lib
        .search(&SearchQuery {
            text: "key point".into(),
            ..Default::default()
        })
        .unwrap()
        .is_empty());

    let gone = lib.delete_annotation(a.id).unwrap();
    assert_eq!(gone.id, a.id);
    assert_eq!(lib.counts().unwrap().annotated, 0);
    assert!(lib.annotations_of(id).unwrap().is_empty());
    assert!(lib.counts().unwrap().tags.is_empty());
}

#[test]
fn a_quote_that_is_not_in_the_story_is_refused() {
    let mut lib = Library::open_in_memory().unwrap();
    let id = lib.store_story(text_story("a", TEXT)).unwrap().id;
    let err = lib
        .add_annotation(id, quote("never said this"))
        .unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
    assert_eq!(
        lib.add_annotation(999, quote("Kim")).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
}

#[test]
fn saving_a_story_again_moves_its_highlights_or_orphans_them() {
    let mut lib = Library::open_in_memory().unwrap();
    let id = lib.store_story(text_story("a", TEXT)).unwrap().id;
    let kept = lib
        .add_annotation(id, quote("bilateral guarantee"))
        .unwrap();
    let lost = lib.add_annotation(id, quote("Kim agreed")).unwrap();
    let new_text = format!(
        "A new first paragraph appears.\n{}",
        TEXT.replace("Kim agreed.", "Nobody else spoke.")
    );
    lib.store_story(text_story("a", &new_text)).unwrap();
    let now = lib.annotations_of(id).unwrap();
    let moved = now.iter().find(|a| a.id == kept.id).unwrap();
    let p = moved.position.unwrap();
    let chars: Vec<char> = new_text.chars().collect();
    assert_eq!(
        chars[p.start as usize..p.end as usize]
            .iter()
            .collect::<String>(),
        "bilateral guarantee"
    );
    let orphan = now.iter().find(|a| a.id == lost.id).unwrap();
    assert!(orphan.orphaned(), "kept, shown as orphaned");
    assert_eq!(now.last().unwrap().id, lost.id, "orphans come last");
    assert_eq!(lib.counts().unwrap().annotated, 1);
}

#[test]
fn the_notebook_filters_by_colour_tag_story_and_words() {
    let mut lib = Library::open_in_memory().unwrap();
    let a = lib.store_story(text_story("a", TEXT)).unwrap().id;
    let b = lib
        .store_story(text_story(
            "b",
            "Another story with 100% of the words_here.",
        ))
        .unwrap()
        .id;
    let mut one = quote("talks went well");
    one.color = Color::Blue;
    one.tags = vec!["diplomacy".into()];
    lib.add_annotation(a, one).unwrap();
    let mut two = quote("100% of the words_here");
    two.note = "percent sign and underscore".into();
    lib.add_annotation(b, two).unwrap();
    let n = |q: AnnotationQuery| {
        lib.notebook(&q)
            .unwrap()
            .iter()
            .map(|e| e.story_title.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(n(AnnotationQuery::default()).len(), 2);
    assert_eq!(
        n(AnnotationQuery {
            color: Some(Color::Blue),
            ..Default::default()
        }),
        vec!["Story a"]
    );
    assert_eq!(
        n(AnnotationQuery {
            tag: Some("diplomacy".into()),
            ..Default::default()
        }),
        vec!["Story a"]
    );
    assert_eq!(
        n(AnnotationQuery {
            story_id: Some(b),
            ..Default::default()
        }),
        vec!["Story b"]
    );
    assert_eq!(
        n(AnnotationQuery {
            text: Some("0% of".into()),
            ..Default::default()
        }),
        vec!["Story b"]
    );
    assert_eq!(
        n(AnnotationQuery {
            text: Some("%_".into()),
            ..Default::default()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        n(AnnotationQuery {
            text: Some("UNDERSCORE".into()),
            ..Default::default()
        }),
        vec!["Story b"]
    );
}

#[test]
fn deleting_a_story_deletes_its_highlights() {
    let mut lib = Library::open_in_memory().unwrap();
    let id = lib.store_story(text_story("a", TEXT)).unwrap().id;
    lib.add_annotation(id, quote("Kim agreed")).unwrap();
    lib.delete(&[id]).unwrap();
    assert!(lib
        .notebook(&AnnotationQuery::default())
        .unwrap()
        .is_empty());
    assert!(lib.check().unwrap().ok);
}
