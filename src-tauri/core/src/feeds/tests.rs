//! Feeds end to end against fixture servers on 127.0.0.1: subscribe,
//! refresh, politeness, malformed feeds, full text, retention, reading.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::*;
use crate::fetch::{FetchLimits, Fetcher};
use crate::model::{FeedStage, ListQuery};
use crate::testing::{FixtureServer, Route};
use crate::Library;

pub(crate) fn rss(items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title)| {
            format!(
                "<item><title>{title}</title><link>/posts/{guid}</link><guid>{guid}</guid>\
                 <pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate>\
                 <description>&lt;p&gt;Story {title} has a body of its own.&lt;/p&gt;</description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour News</title>\
         <link>/</link>{items}</channel></rss>"
    )
}

pub(super) fn rss_route(body: &str, etag: &str) -> Route {
    Route::bytes("application/rss+xml", body.as_bytes().to_vec()).with_header("ETag", etag)
}

pub(super) fn fetcher() -> Fetcher {
    Fetcher::new().unwrap()
}

pub(super) fn no_images() -> RefreshOptions {
    RefreshOptions {
        images: false,
        ..Default::default()
    }
}

pub(super) async fn refresh(lib: &mut Library, ids: &[i64]) -> Vec<FeedRefreshResult> {
    refresh_library(
        lib,
        &fetcher(),
        ids,
        &no_images(),
        &CancellationToken::new(),
        &mut |_| {},
    )
    .await
    .unwrap()
}

pub(super) async fn subscribe_to(lib: &mut Library, url: &str) -> (FeedInfo, FeedRefreshResult) {
    subscribe_with(lib, url, SubscribeOptions::default(), &no_images()).await
}

pub(super) async fn subscribe_with(
    lib: &mut Library,
    url: &str,
    options: SubscribeOptions,
    refresh: &RefreshOptions,
) -> (FeedInfo, FeedRefreshResult) {
    subscribe(lib, &fetcher(), url, &options, refresh)
        .await
        .unwrap()
}

/// The first page of a feed's stories, newest first.
pub(super) fn feed_stories(lib: &Library, feed_id: i64) -> Vec<crate::model::StorySummary> {
    lib.list(&ListQuery {
        feed_id: Some(feed_id),
        ..Default::default()
    })
    .unwrap()
    .stories
}

pub(super) fn titles(lib: &Library, feed_id: i64) -> Vec<String> {
    feed_stories(lib, feed_id)
        .into_iter()
        .map(|s| s.title)
        .collect()
}

/// Stores a page at `url` as if the user had saved it, titled "Saved by hand".
pub(super) fn save_by_hand(lib: &mut Library, url: &str) -> crate::model::StoryId {
    lib.store_story(crate::library::NewStory {
        url: url.into(),
        url_key: url.into(),
        title: "Saved by hand".into(),
        html: "<p>the whole article</p>".into(),
        text: "the whole article".into(),
        ..Default::default()
    })
    .unwrap()
    .id
}

#[tokio::test]
async fn discovery_from_a_home_page_then_a_second_refresh_is_a_304() {
    let home = r#"<!doctype html><html><head><title>Harbour</title>
        <link rel="icon" href="/favicon.png">
        <link rel="alternate" type="application/rss+xml" href="/news.rss"></head>
        <body><p>Welcome</p></body></html>"#;
    let png = {
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        b.extend_from_slice(&[0; 60]);
        b
    };
    let server = FixtureServer::start(vec![
        ("/", Route::html(home)),
        ("/favicon.png", Route::bytes("image/png", png)),
        (
            "/news.rss",
            rss_route(&rss(&[("1", "One"), ("2", "Two")]), "\"v1\""),
        ),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    let (feed, first) = subscribe_to(&mut lib, &server.url("/")).await;
    assert_eq!(feed.url, server.url("/news.rss"));
    assert_eq!(feed.title, "Harbour News");
    assert!(feed.icon.is_some(), "the icon is stored");
    assert_eq!(first.new, 2);
    assert_eq!(feed.unread, 2);
    // Newest (first in the feed) first in the list.
    assert_eq!(titles(&lib, feed.id), ["One", "Two"]);

    let again = refresh(&mut lib, &[]).await;
    assert_eq!(again.len(), 1);
    assert!(again[0].not_modified, "{again:?}");
    assert_eq!(again[0].new, 0);
    let requests = server.requests("/news.rss");
    assert_eq!(requests.len(), 2, "discovery's response is reused");
    assert_eq!(requests[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(titles(&lib, feed.id).len(), 2);
}

#[tokio::test]
async fn rss_atom_and_json_items_arrive_once() {
    let atom = |n: usize| {
        let entries: String = (1..=n)
            .map(|i| {
                format!(
                    "<entry><id>urn:a{i}</id><title>Atom {i}</title><link href=\"/a/{i}\"/>\
                     <updated>2024-03-0{i}T09:00:00Z</updated><content type=\"html\">&lt;p&gt;Atom body {i}&lt;/p&gt;</content></entry>"
                )
            })
            .collect();
        format!("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom</title><id>urn:f</id>{entries}</feed>")
    };
    let json = |n: usize| {
        let items: Vec<String> = (1..=n)
            .map(|i| format!("{{\"id\":\"j{i}\",\"url\":\"/j/{i}\",\"title\":\"Json {i}\",\"content_text\":\"Json body {i}\"}}"))
            .collect();
        format!(
            "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Json\",\"items\":[{}]}}",
            items.join(",")
        )
    };
    let server = FixtureServer::start(vec![
        (
            "/rss",
            rss_route(&rss(&[("1", "R1"), ("2", "R2")]), "\"r1\""),
        ),
        (
            "/atom",
            Route::bytes("application/atom+xml", atom(2).into_bytes()),
        ),
        (
            "/json",
            Route::bytes("application/feed+json", json(2).into_bytes()),
        ),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    let mut ids = Vec::new();
    for path in ["/rss", "/atom", "/json"] {
        let (feed, first) = subscribe_to(&mut lib, &server.url(path)).await;
        assert_eq!(first.new, 2, "{path}");
        ids.push(feed.id);
    }
    // Each feed gains one item; the old ones are not added again.
    server.set_route(
        "/rss",
        rss_route(&rss(&[("3", "R3"), ("1", "R1"), ("2", "R2")]), "\"r2\""),
    );
    server.set_route(
        "/atom",
        Route::bytes("application/atom+xml", atom(3).into_bytes()),
    );
    server.set_route(
        "/json",
        Route::bytes("application/feed+json", json(3).into_bytes()),
    );
    let results = refresh(&mut lib, &[]).await;
    assert_eq!(results.iter().map(|r| r.new).collect::<Vec<_>>(), [1, 1, 1]);
    let results = refresh(&mut lib, &[]).await;
    assert_eq!(results.iter().map(|r| r.new).collect::<Vec<_>>(), [0, 0, 0]);
    assert_eq!(titles(&lib, ids[0]), ["R3", "R1", "R2"]);
    let story = lib
        .story(
            lib.list(&ListQuery {
                feed_id: Some(ids[2]),
                ..Default::default()
            })
            .unwrap()
            .stories[0]
                .id,
        )
        .unwrap();
    assert!(story.text.contains("Json body"), "{}", story.text);
    assert_eq!(story.summary.url, server.url("/j/3"));
    assert!(
        story.summary.readerable,
        "a feed's own content is its story, however short"
    );
}

#[tokio::test]
async fn a_story_already_saved_is_linked_not_overwritten() {
    let server = FixtureServer::start(vec![("/rss", rss_route(&rss(&[("1", "One")]), "\"a\""))]);
    let mut lib = Library::open_in_memory().unwrap();
    let saved = save_by_hand(&mut lib, &server.url("/posts/1"));
    let (_, first) = subscribe_to(&mut lib, &server.url("/rss")).await;
    assert_eq!(first.new, 0);
    let story = lib.story(saved).unwrap();
    assert_eq!(story.summary.title, "Saved by hand");
    assert_eq!(story.summary.feed_id, None);
}

#[tokio::test]
async fn malformed_feeds_fail_alone_and_quirky_ones_still_work() {
    let mut bomb = String::from("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\">");
    let mut prev = "a".to_string();
    for i in 0..12 {
        let name = format!("e{i}");
        bomb.push_str(&format!(
            "<!ENTITY {name} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
        prev = name;
    }
    bomb.push_str(&format!(
        "]><rss version=\"2.0\"><channel><title>&{prev};</title><item><guid>b</guid><title>&{prev};</title></item></channel></rss>"
    ));
    let quirky = "<rss version=\"2.0\"><channel><title>Q &amp; A &eacute;</title>\
        <item><guid>d</guid><title>Dup one</title><link>rel/1</link><pubDate>32 Smarch 2024</pubDate></item>\
        <item><guid>d</guid><title>Dup two</title><link>rel/2</link></item>\
        <item><title>No guid &lt;b&gt;bold&lt;/b&gt;</title><link>../up</link><description>x &amp;amp; y</description></item>\
        </channel></rss>";
    let server = FixtureServer::start(vec![
        (
            "/broken",
            Route::bytes(
                "application/rss+xml",
                b"<rss version=\"2.0\"><channel><title>x</title><item><title>a</ti".to_vec(),
            ),
        ),
        (
            "/bomb",
            Route::bytes("application/rss+xml", bomb.into_bytes()),
        ),
        (
            "/dir/quirky",
            Route::bytes("application/rss+xml", quirky.into()),
        ),
        ("/gone", Route::status(404)),
        (
            "/binary",
            Route::bytes("application/rss+xml", vec![0xff, 0xfe, 0, 1, 2, 3]),
        ),
        ("/slow", rss_route(&rss(&[("s", "Slow")]), "\"s\"")),
    ]);
    server.set_delay("/slow", Duration::from_secs(3));
    let mut lib = Library::open_in_memory().unwrap();
    let mut ids = Vec::new();
    for path in [
        "/broken",
        "/bomb",
        "/dir/quirky",
        "/gone",
        "/binary",
        "/slow",
    ] {
        let feed = lib
            .add_feed(&crate::library::NewFeed {
                url: server.url(path),
                title: path.into(),
                ..Default::default()
            })
            .unwrap();
        ids.push(feed.id);
    }
    let quick = Fetcher::with_limits(FetchLimits {
        total_timeout: Duration::from_secs(1),
        ..Default::default()
    })
    .unwrap();
    let started = std::time::Instant::now();
    let results = refresh_library(
        &mut lib,
        &quick,
        &[],
        &no_images(),
        &CancellationToken::new(),
        &mut |_| {},
    )
    .await
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "no hang");
    let by_path: std::collections::HashMap<&str, &FeedRefreshResult> = [
        "/broken",
        "/bomb",
        "/dir/quirky",
        "/gone",
        "/binary",
        "/slow",
    ]
    .into_iter()
    .zip(results.iter())
    .collect();
    for bad in ["/gone", "/binary", "/slow"] {
        let error = by_path[bad]
            .error
            .as_deref()
            .unwrap_or_else(|| panic!("{bad} should fail"));
        assert!(!error.contains('\n'), "{error}");
    }
    assert!(by_path["/gone"].error.as_deref().unwrap().contains("404"));
    // A cut-off document: an error, or the items read before the cut.
    assert!(by_path["/broken"].error.is_some() || by_path["/broken"].new <= 1);
    // The bomb's entities stay unexpanded: no huge title, no hang.
    if by_path["/bomb"].error.is_none() {
        for s in lib
            .list(&ListQuery {
                feed_id: Some(ids[1]),
                ..Default::default()
            })
            .unwrap()
            .stories
        {
            assert!(s.title.len() < 200, "{}", s.title);
        }
    }
    let quirky = by_path["/dir/quirky"];
    assert_eq!(quirky.error, None);
    assert_eq!(quirky.new, 2, "a repeated id is one story");
    let stories = lib
        .list(&ListQuery {
            feed_id: Some(ids[2]),
            ..Default::default()
        })
        .unwrap()
        .stories;
    let urls: Vec<&str> = stories.iter().map(|s| s.url.as_str()).collect();
    assert!(
        urls.contains(&server.url("/dir/rel/1").as_str()),
        "{urls:?}"
    );
    assert!(urls.contains(&server.url("/up").as_str()), "{urls:?}");
    assert!(
        stories.iter().any(|s| s.title == "No guid bold"),
        "{stories:?}"
    );
    let feed = lib.feed(ids[3]).unwrap();
    assert_eq!(feed.error_count, 1);
    assert!(feed.last_error.unwrap().contains("404"));
    assert!(feed.next_check.is_some(), "backing off");
}

#[tokio::test]
async fn retry_after_is_honoured_and_backoff_skips_only_whole_refreshes() {
    let server = FixtureServer::start(vec![
        (
            "/busy",
            Route::status(503).with_header("Retry-After", "3600"),
        ),
        ("/down", Route::status(500)),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    let busy = lib
        .add_feed(&crate::library::NewFeed {
            url: server.url("/busy"),
            title: "Busy".into(),
            ..Default::default()
        })
        .unwrap();
    let down = lib
        .add_feed(&crate::library::NewFeed {
            url: server.url("/down"),
            title: "Down".into(),
            ..Default::default()
        })
        .unwrap();
    let first = refresh(&mut lib, &[]).await;
    assert!(first.iter().all(|r| r.error.is_some()), "{first:?}");

    let mut stages = Vec::new();
    let second = refresh_library(
        &mut lib,
        &fetcher(),
        &[],
        &no_images(),
        &CancellationToken::new(),
        &mut |p| stages.push(p.stage),
    )
    .await
    .unwrap();
    assert!(
        second.iter().all(|r| r.skipped_until.is_some()),
        "{second:?}"
    );
    assert_eq!(stages, [FeedStage::Skipped, FeedStage::Skipped]);
    assert_eq!((server.hits("/busy"), server.hits("/down")), (1, 1));

    // Asked for by id: the backoff gives way, Retry-After does not.
    let third = refresh(&mut lib, &[busy.id, down.id]).await;
    assert!(third[0].skipped_until.is_some());
    assert!(third[1].error.is_some());
    assert_eq!((server.hits("/busy"), server.hits("/down")), (1, 2));
    assert_eq!(lib.feed(down.id).unwrap().error_count, 2);
}

#[tokio::test]
async fn at_most_two_requests_per_host_and_hosts_go_in_parallel() {
    let a = FixtureServer::start(Vec::new());
    let b = FixtureServer::start(Vec::new());
    let mut lib = Library::open_in_memory().unwrap();
    for server in [&a, &b] {
        for i in 0..5 {
            let path = format!("/f{i}");
            server.set_route(&path, rss_route(&rss(&[(&format!("{i}"), "T")]), "\"x\""));
            server.set_delay(&path, Duration::from_millis(150));
            lib.add_feed(&crate::library::NewFeed {
                url: server.url(&path),
                title: path.clone(),
                ..Default::default()
            })
            .unwrap();
        }
    }
    let started = std::time::Instant::now();
    let results = refresh(&mut lib, &[]).await;
    assert!(
        results.iter().all(|r| r.error.is_none() && r.new == 1),
        "{results:?}"
    );
    assert_eq!(a.max_concurrent(), 2);
    assert_eq!(b.max_concurrent(), 2);
    // 5 slow requests per host, 2 at a time, both hosts at once: ~3 rounds, not 10.
    assert!(
        started.elapsed() < Duration::from_millis(1400),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn cancelling_stops_the_refresh() {
    let server = FixtureServer::start(vec![("/slow", rss_route(&rss(&[("1", "One")]), "\"1\""))]);
    server.set_delay("/slow", Duration::from_secs(2));
    let mut lib = Library::open_in_memory().unwrap();
    lib.add_feed(&crate::library::NewFeed {
        url: server.url("/slow"),
        title: "S".into(),
        ..Default::default()
    })
    .unwrap();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        trigger.cancel();
    });
    let started = std::time::Instant::now();
    let results = refresh_library(
        &mut lib,
        &fetcher(),
        &[],
        &no_images(),
        &cancel,
        &mut |_| {},
    )
    .await
    .unwrap();
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(results[0].error.as_deref(), Some("cancelled"));
    assert_eq!(
        lib.feeds().unwrap()[0].error_count,
        0,
        "a cancel is no error"
    );
}

#[tokio::test]
async fn full_text_stories_read_with_the_server_gone() {
    let page = r#"<!doctype html><html><head><title>Ferry plan | Harbour</title></head><body>
        <nav>Home Sport Weather</nav><article><h1>Ferry plan</h1>
        <p>The harbour committee met again on Tuesday to weigh the proposal for a new ferry terminal, and residents filled the hall.</p>
        <p><img src="/pic.png" alt="The terminal" width="800" height="600"></p>
        <p>Supporters said the terminal would bring visitors all year, while opponents worried about traffic on the narrow coast road.</p>
        <p>The committee will vote next month after a final round of public comment on the plans and their cost.</p>
        </article></body></html>"#;
    let png = {
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        b.extend_from_slice(&[0; 200]);
        b
    };
    let server = FixtureServer::start(vec![
        ("/rss", rss_route(&rss(&[("1", "Ferry")]), "\"f\"")),
        ("/posts/1", Route::html(page)),
        ("/pic.png", Route::bytes("image/png", png)),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    let options = SubscribeOptions {
        folder: Some("Local".into()),
        full_text: true,
    };
    let (feed, first) = subscribe_with(
        &mut lib,
        &server.url("/rss"),
        options,
        &RefreshOptions::default(),
    )
    .await;
    assert!(feed.full_text);
    assert_eq!(feed.folder.as_deref(), Some("Local"));
    assert_eq!(first.new, 1);
    server.stop();
    let id = lib
        .list(&ListQuery {
            feed_id: Some(feed.id),
            ..Default::default()
        })
        .unwrap()
        .stories[0]
        .id;
    let story = lib.story(id).unwrap();
    assert!(
        story.text.contains("opponents worried about traffic"),
        "{}",
        story.text
    );
    assert!(!story.text.contains("Sport Weather"));
    let sha = story
        .html
        .split(crate::library::ASSET_URL_PREFIX)
        .nth(1)
        .map(|rest| &rest[..64])
        .expect("the image points at a stored asset");
    assert!(lib.asset(sha).unwrap().is_some());
}

#[tokio::test]
async fn retention_prunes_what_was_not_kept_and_it_does_not_come_back() {
    let server = FixtureServer::start(vec![(
        "/rss",
        rss_route(&rss(&[("1", "One"), ("2", "Two"), ("3", "Three")]), "\"1\""),
    )]);
    let mut lib = Library::open_in_memory().unwrap();
    let (feed, _) = subscribe_to(&mut lib, &server.url("/rss")).await;
    let ids: Vec<i64> = lib
        .list(&ListQuery {
            feed_id: Some(feed.id),
            ..Default::default()
        })
        .unwrap()
        .stories
        .iter()
        .map(|s| s.id)
        .collect();
    lib.set_starred(&[ids[0]], true).unwrap();
    lib.set_tags(ids[1], &["keep".into()], &[]).unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    assert_eq!(lib.prune_feed_stories(90, now).unwrap(), 0);
    let later = now + 91 * 24 * 60 * 60 * 1000;
    assert_eq!(lib.prune_feed_stories(90, later).unwrap(), 1);
    assert_eq!(titles(&lib, feed.id), ["One", "Two"]);
    // The feed still lists the pruned item, with a new ETag: it is not re-added.
    server.set_route(
        "/rss",
        rss_route(&rss(&[("1", "One"), ("2", "Two"), ("3", "Three")]), "\"2\""),
    );
    let again = refresh(&mut lib, &[]).await;
    assert_eq!(again[0].new, 0);
    assert!(lib.check().unwrap().ok);
}

#[tokio::test]
async fn unread_counts_mark_all_read_with_undo_and_next_unread() {
    let server = FixtureServer::start(vec![
        ("/a", rss_route(&rss(&[("1", "A1"), ("2", "A2")]), "\"a\"")),
        ("/b", rss_route(&rss(&[("3", "B1")]), "\"b\"")),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    let (a, _) = subscribe(
        &mut lib,
        &fetcher(),
        &server.url("/a"),
        &SubscribeOptions {
            folder: Some("News".into()),
            full_text: false,
        },
        &no_images(),
    )
    .await
    .unwrap();
    let (b, _) = subscribe(
        &mut lib,
        &fetcher(),
        &server.url("/b"),
        &SubscribeOptions {
            folder: Some("news".into()),
            full_text: false,
        },
        &no_images(),
    )
    .await
    .unwrap();
    let folders = lib.folders().unwrap();
    assert_eq!(folders.len(), 1, "folder names ignore case");
    assert_eq!((folders[0].feeds, folders[0].unread), (2, 3));
    let folder = ListQuery {
        folder_id: Some(folders[0].id),
        ..Default::default()
    };
    assert_eq!(lib.list(&folder).unwrap().stories.len(), 3);

    let first = lib.next_unread(&folder, None).unwrap().unwrap();
    assert_eq!(first.title, "B1", "newest first");
    let second = lib.next_unread(&folder, Some(first.id)).unwrap().unwrap();
    assert_eq!(second.title, "A1");
    lib.set_read(&[second.id], true).unwrap();
    let third = lib.next_unread(&folder, Some(second.id)).unwrap().unwrap();
    assert_eq!(third.title, "A2");
    // From the last one it wraps round to the top.
    assert_eq!(
        lib.next_unread(&folder, Some(third.id))
            .unwrap()
            .unwrap()
            .title,
        "B1"
    );

    let changed = lib
        .mark_all_read(&ListQuery {
            feed_id: Some(a.id),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(changed.len(), 1, "only what was unread");
    assert_eq!(lib.feed(a.id).unwrap().unread, 0);
    assert_eq!(lib.feed(b.id).unwrap().unread, 1);
    lib.set_read(&changed, false).unwrap();
    assert_eq!(lib.feed(a.id).unwrap().unread, 1);
    let all = lib.mark_all_read(&folder).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(lib.next_unread(&folder, None).unwrap(), None);
}

#[tokio::test]
async fn opml_round_trip_keeps_every_feed_and_folder() {
    let mut lib = Library::open_in_memory().unwrap();
    let doc = read_opml(
        br#"<opml version="1.0"><body>
        <outline text="Loose" xmlUrl="http://a.test/feed" htmlUrl="http://a.test/"/>
        <outline text="Tech"><outline text="T" xmlUrl="http://t.test/rss"/>
          <outline text="Deep"><outline text="D" xmlUrl="http://d.test/rss"/></outline></outline>
        <outline text="Empty"/>
        <outline text="Bad" xmlUrl="ftp://x.test/feed"/>
        </body></opml>"#,
    )
    .unwrap();
    let summary = lib.import_opml(&doc).unwrap();
    assert_eq!(
        (summary.added, summary.folders, summary.skipped.len()),
        (3, 3, 1)
    );
    let exported = lib.export_opml().unwrap();
    let mut other = Library::open_in_memory().unwrap();
    other
        .import_opml(&read_opml(exported.as_bytes()).unwrap())
        .unwrap();
    let shape = |lib: &Library| {
        let mut feeds: Vec<(String, String, Option<String>, Option<String>)> = lib
            .feeds()
            .unwrap()
            .into_iter()
            .map(|f| (f.url, f.title, f.folder, f.site_url))
            .collect();
        feeds.sort();
        let folders: Vec<String> = lib.folders().unwrap().into_iter().map(|f| f.name).collect();
        (feeds, folders)
    };
    assert_eq!(shape(&lib), shape(&other));
    assert_eq!(shape(&lib).1, ["Empty", "Tech", "Tech / Deep"]);
    // Importing again adds nothing.
    let again = other
        .import_opml(&read_opml(exported.as_bytes()).unwrap())
        .unwrap();
    assert_eq!((again.added, again.existing), (0, 3));
}

#[tokio::test]
async fn removing_a_feed_keeps_only_what_was_kept() {
    let server = FixtureServer::start(vec![(
        "/rss",
        rss_route(&rss(&[("1", "One"), ("2", "Two")]), "\"1\""),
    )]);
    let mut lib = Library::open_in_memory().unwrap();
    let (feed, _) = subscribe_to(&mut lib, &server.url("/rss")).await;
    let ids: Vec<i64> = lib
        .list(&ListQuery {
            feed_id: Some(feed.id),
            ..Default::default()
        })
        .unwrap()
        .stories
        .iter()
        .map(|s| s.id)
        .collect();
    lib.set_starred(&[ids[1]], true).unwrap();
    assert_eq!(lib.remove_feed(feed.id, false).unwrap(), 1);
    assert!(lib.feeds().unwrap().is_empty());
    let left = lib.summary(ids[1]).unwrap();
    assert_eq!((left.title.as_str(), left.feed_id), ("Two", None));
    assert_eq!(
        lib.remove_feed(feed.id, false).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
    assert!(lib.check().unwrap().ok);
}

#[tokio::test]
async fn a_page_without_feeds_and_a_feed_followed_twice_are_clear_errors() {
    let server = FixtureServer::start(vec![
        (
            "/",
            Route::html(
                "<!doctype html><html><head><title>x</title></head><body>no feeds</body></html>",
            ),
        ),
        ("/feed", rss_route(&rss(&[("1", "One")]), "\"1\"")),
        (
            "/plain",
            Route::html("<!doctype html><html><body>nothing</body></html>"),
        ),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    // The home page names no feed, but /feed exists.
    let (feed, _) = subscribe_to(&mut lib, &server.url("/")).await;
    assert_eq!(feed.url, server.url("/feed"));
    let err = subscribe(
        &mut lib,
        &fetcher(),
        &server.url("/feed"),
        &SubscribeOptions::default(),
        &no_images(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("already follow"), "{err}");
    server.set_route("/feed", Route::status(404));
    let err = subscribe(
        &mut lib,
        &fetcher(),
        &server.url("/plain"),
        &SubscribeOptions::default(),
        &no_images(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::NotFound);
    assert!(err.to_string().contains("found no feed"), "{err}");
}
