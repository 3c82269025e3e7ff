//! The adversarial suite: hostile pages, feeds, import files, URLs and
//! search strings driven through the core's public API end to end, each
//! case asserting the safe behaviour (not only that nothing crashed).
//!
//! Pages and feeds come from a fixture server on 127.0.0.1 and are saved
//! into a temporary library; what the library stores is then checked by
//! [`oracle`], which parses it again the way the reader's frame will.
//! `docs/security.md` maps each family to the layer it tests.
//!
//! Families, one module each: [`markup`] (script and mutation XSS),
//! [`urls`], [`network`], [`xml`], [`unicode`], [`injection`] (SQL, FTS5
//! and LIKE syntax in stored fields and searches), [`imports`], [`images`].

mod images;
mod imports;
mod injection;
mod markup;
mod network;
mod oracle;
mod unicode;
mod urls;
mod xml;

use std::time::Duration;

use gloss_core::feeds::{subscribe, RefreshOptions, SubscribeOptions};
use gloss_core::fetch::{FetchLimits, Fetcher};
use gloss_core::model::Story;
use gloss_core::save::{self, SaveOptions, Source};
use gloss_core::testing::{FixtureServer, Route};
use gloss_core::{Library, Result};
use url::Url;

/// A runtime for one test: the core's network work is async.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a test runtime")
}

/// The app's limits with shorter time-outs, so that a case that waits on a
/// silent server ends in seconds.
pub fn quick_limits() -> FetchLimits {
    FetchLimits {
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(3),
        ..FetchLimits::default()
    }
}

pub fn fetcher() -> Fetcher {
    Fetcher::with_limits(quick_limits()).expect("a fetcher")
}

/// Words of real-looking prose, so that Readability sees an article around
/// the hostile markup (a page of nothing but traps is not an article).
pub fn prose(topic: &str, n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| {
            format!(
                "Paragraph {i} about {topic}: the harbour master kept a careful log of every \
                 vessel that came in on the evening tide, noting the weather, the cargo and \
                 the names of the crew, because the insurers in the city wanted to know."
            )
        })
        .collect()
}

/// A whole page: `payload` (raw, hostile) between paragraphs of prose, plus
/// `head` markup in the head.
pub fn page(title: &str, head: &str, payload: &str) -> String {
    let p = prose("the harbour", 6);
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>{head}</head>\
         <body><article><h1>{title}</h1><p>{}</p><p>{}</p>{payload}<p>{}</p><p>{}</p>\
         <p>{} <span>{payload}</span></p><p>{}</p></article></body></html>",
        p[0], p[1], p[2], p[3], p[4], p[5]
    )
}

/// Saves the page at `url` into `lib` the way `gloss save` does.
pub fn save_url(lib: &mut Library, fetcher: &Fetcher, url: &str) -> Result<Story> {
    let source = Source::Url(Url::parse(url).expect("a test URL"));
    let story = runtime().block_on(save::prepare(
        fetcher,
        &source,
        &SaveOptions::default(),
        &|_, _, _| {},
    ))?;
    let id = lib.store_story(story)?.id;
    lib.story(id)
}

/// Serves `html` as `/story.html` and saves it into a new library.
pub fn save_html(html: &str) -> Story {
    save_routes(vec![("/story.html", Route::html(html))], "/story.html")
        .unwrap_or_else(|e| panic!("saving the page failed: {e}"))
}

/// Serves `routes` and saves `path` into a new library.
pub fn save_routes(routes: Vec<(&str, Route)>, path: &str) -> Result<Story> {
    let server = FixtureServer::start(routes);
    let mut lib = Library::open_in_memory().expect("an in-memory library");
    let result = save_url(&mut lib, &fetcher(), &server.url(path));
    server.stop();
    result
}

/// Serves `feed` (RSS, Atom or JSON Feed bytes) and subscribes to it in
/// `lib`; returns the stories it brought, with their content.
pub fn subscribe_to(lib: &mut Library, content_type: &str, feed: &[u8]) -> Result<Vec<Story>> {
    let server = FixtureServer::start(vec![("/feed", Route::bytes(content_type, feed.to_vec()))]);
    let refresh = RefreshOptions {
        images: false,
        ..Default::default()
    };
    let result = runtime().block_on(subscribe(
        lib,
        &fetcher(),
        &server.url("/feed"),
        &SubscribeOptions::default(),
        &refresh,
    ));
    server.stop();
    let (feed, _) = result?;
    let ids: Vec<i64> = lib
        .list(&gloss_core::model::ListQuery {
            feed_id: Some(feed.id),
            limit: Some(1000),
            ..Default::default()
        })?
        .stories
        .into_iter()
        .map(|s| s.id)
        .collect();
    ids.into_iter().map(|id| lib.story(id)).collect()
}

/// Every story of the library with its content.
pub fn all_stories(lib: &Library) -> Vec<Story> {
    lib.list(&gloss_core::model::ListQuery {
        limit: Some(10_000),
        ..Default::default()
    })
    .expect("the story list")
    .stories
    .into_iter()
    .map(|s| lib.story(s.id).expect("a listed story"))
    .collect()
}

/// Asserts the error is of `kind` and its message is one line a person can read.
pub fn assert_error(what: &str, err: &gloss_core::Error, kind: gloss_core::ErrorKind) {
    let msg = err.to_string();
    assert_eq!(err.kind(), kind, "{what}: {msg}");
    assert!(!msg.is_empty() && !msg.contains('\n'), "{what}: {msg:?}");
}

/// The control for every case above: the oracle does flag what it forbids,
/// including markup that only turns hostile when parsed again.
#[test]
fn the_oracle_sees_what_it_forbids() {
    for bad in [
        "<script>alert(1)</script>",
        "<p onclick=\"x\">p</p>",
        "<a href=\"javascript:alert(1)\">a</a>",
        "<a href=\"relative/path\">a</a>",
        "<img src=\"data:image/png;base64,AAAA\">",
        "<svg><a>t</a></svg>",
        "<math><mi>x</mi></math>",
        "<p style=\"color:red\">s</p>",
        "<!-- c -->",
        "<iframe srcdoc=\"x\"></iframe>",
        // Serialized text that a second parse turns into an element.
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    ] {
        assert!(!oracle::violations(bad).is_empty(), "not flagged: {bad}");
    }
    oracle::assert_safe(
        "clean",
        "<p dir=\"rtl\">t <a href=\"https://e.example/\" rel=\"noopener noreferrer\">l</a>\
         <img src=\"gloss-asset://localhost/00\" alt=\"a\"></p>",
    );
}
