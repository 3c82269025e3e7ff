//! Nothing lost on the way in: items known by their id rather than their
//! link, entries that cannot be read skipped alone, feeds in legacy
//! encodings or without a version read. Against fixture servers on 127.0.0.1.

use super::tests::{
    feed_stories, no_images, refresh, rss_route, save_by_hand, subscribe_to, subscribe_with, titles,
};
use super::*;
use crate::testing::{FixtureServer, Route};
use crate::Library;

/// An RSS document with the given `<item>`s.
fn rss_items(items: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour</title>\
         <link>/</link>{items}</channel></rss>"
    )
}

/// Serves `body` anew (another ETag, so the refresh reads it).
fn publish(server: &FixtureServer, path: &str, body: &str) {
    let etag = format!("\"{}\"", crate::library::sha256_hex(body.as_bytes()));
    server.set_route(path, rss_route(body, &etag));
}

fn stories_of(lib: &Library, feed_id: i64) -> u32 {
    lib.feed(feed_id).unwrap().stories
}

#[tokio::test]
async fn a_changelog_whose_items_differ_by_fragment_shows_every_version() {
    let version = |v: u32| {
        format!(
            "<item><title>Version 1.{v}</title><link>/changelog#v1-{v}</link>\
             <description>Changes in 1.{v}.</description></item>"
        )
    };
    let server = FixtureServer::start(vec![]);
    publish(&server, "/changes.rss", &rss_items(&version(1)));
    let mut lib = Library::open_in_memory().unwrap();
    let (feed, first) = subscribe_to(&mut lib, &server.url("/changes.rss")).await;
    assert_eq!(first.new, 1);
    publish(
        &server,
        "/changes.rss",
        &rss_items(&[version(2), version(1)].concat()),
    );
    assert_eq!(refresh(&mut lib, &[]).await[0].new, 1);
    publish(
        &server,
        "/changes.rss",
        &rss_items(&[version(3), version(2), version(1)].concat()),
    );
    assert_eq!(refresh(&mut lib, &[]).await[0].new, 1);
    assert_eq!(
        titles(&lib, feed.id),
        ["Version 1.3", "Version 1.2", "Version 1.1"]
    );
    // Nothing comes back once more.
    publish(
        &server,
        "/changes.rss",
        &rss_items(&[version(3), version(2), version(1), String::new()].concat()),
    );
    assert_eq!(refresh(&mut lib, &[]).await[0].new, 0);
}

#[tokio::test]
async fn five_hundred_notices_that_share_one_link_are_five_hundred_stories() {
    let with_ids: String = (0..500)
        .map(|n| {
            format!(
                "<item><guid isPermaLink=\"false\">notice-{n}</guid><title>Notice {n}</title>\
                 <link>/notices</link><description>Harbour notice number {n}.</description></item>"
            )
        })
        .collect();
    // Without ids, told apart by their content.
    let without_ids: String = (0..3)
        .map(|n| {
            format!(
                "<item><title>Tide table {n}</title><link>/tides</link>\
                 <description>High water at {n} o'clock.</description></item>"
            )
        })
        .collect();
    let server = FixtureServer::start(vec![]);
    publish(&server, "/notices.rss", &rss_items(&with_ids));
    publish(&server, "/tides.rss", &rss_items(&without_ids));
    let mut lib = Library::open_in_memory().unwrap();
    let (notices, first) = subscribe_to(&mut lib, &server.url("/notices.rss")).await;
    assert_eq!(first.new, 500);
    assert_eq!(stories_of(&lib, notices.id), 500);
    let (tides, first) = subscribe_to(&mut lib, &server.url("/tides.rss")).await;
    assert_eq!(first.new, 3);
    assert_eq!(stories_of(&lib, tides.id), 3);
    // Every story opens the shared page.
    let listed = feed_stories(&lib, tides.id);
    assert!(
        listed.iter().all(|s| s.url == server.url("/tides")),
        "{listed:?}"
    );

    publish(
        &server,
        "/notices.rss",
        &format!("{}<!-- again -->", rss_items(&with_ids)),
    );
    publish(
        &server,
        "/tides.rss",
        &format!("{}<!-- again -->", rss_items(&without_ids)),
    );
    let again = refresh(&mut lib, &[]).await;
    assert!(
        again.iter().all(|r| r.new == 0 && r.error.is_none()),
        "{again:?}"
    );
    assert_eq!(stories_of(&lib, notices.id), 500);
    assert_eq!(stories_of(&lib, tides.id), 3);
}

/// A notices feed that shows one dated item at a time, always linking the
/// same page and giving no id: each notice arrives.
#[tokio::test]
async fn one_dated_notice_at_a_time_on_one_page_brings_each_notice() {
    let notice = |day: u32| {
        format!(
            "<item><title>Notice</title><link>/notices</link>\
             <pubDate>Tue, {day:02} Mar 2024 09:00:00 GMT</pubDate>\
             <description>Harbour notice of the {day}th.</description></item>"
        )
    };
    let server = FixtureServer::start(vec![]);
    publish(&server, "/notices.rss", &rss_items(&notice(5)));
    let mut lib = Library::open_in_memory().unwrap();
    let (feed, first) = subscribe_to(&mut lib, &server.url("/notices.rss")).await;
    assert_eq!(first.new, 1);
    for day in 6..=8 {
        publish(&server, "/notices.rss", &rss_items(&notice(day)));
        assert_eq!(refresh(&mut lib, &[]).await[0].new, 1, "day {day}");
    }
    publish(
        &server,
        "/notices.rss",
        &format!("{}<!-- again -->", rss_items(&notice(8))),
    );
    assert_eq!(refresh(&mut lib, &[]).await[0].new, 0);
    // Two notices on the page at once, then one alone: each arrives once.
    publish(
        &server,
        "/notices.rss",
        &rss_items(&[notice(9), notice(8)].concat()),
    );
    assert_eq!(refresh(&mut lib, &[]).await[0].new, 1);
    publish(&server, "/notices.rss", &rss_items(&notice(9)));
    assert_eq!(refresh(&mut lib, &[]).await[0].new, 0);
    assert_eq!(stories_of(&lib, feed.id), 5);
}

#[tokio::test]
async fn a_page_saved_by_hand_takes_the_first_item_and_the_others_get_their_own() {
    let items: String = (0..3)
        .map(|n| {
            format!(
                "<item><guid>n{n}</guid><title>Notice {n}</title><link>/notices</link>\
                 <description>Notice {n}.</description></item>"
            )
        })
        .collect();
    let server = FixtureServer::start(vec![]);
    publish(&server, "/notices.rss", &rss_items(&items));
    let mut lib = Library::open_in_memory().unwrap();
    let saved = save_by_hand(&mut lib, &server.url("/notices"));
    let (feed, first) = subscribe_to(&mut lib, &server.url("/notices.rss")).await;
    // The oldest item lands on the saved page, which stays as it was.
    assert_eq!(first.new, 2);
    assert_eq!(lib.story(saved).unwrap().summary.title, "Saved by hand");
    assert_eq!(titles(&lib, feed.id), ["Notice 0", "Notice 1"]);
}

/// The shape of feed-rs's `rss_2.0_spec_1.xml`: two items with only a
/// description, a date and a permalink guid that differ by fragment.
#[tokio::test]
async fn two_items_whose_permalinks_differ_by_fragment_are_two_stories() {
    let items =
        "<item><description>Joshua Allen: &lt;a href=&quot;http://127.0.0.1:9/x&quot;&gt;Who \
        loves namespaces?&lt;/a&gt;</description><pubDate>Sun, 29 Sep 2002 19:59:01 GMT</pubDate>\
        <guid>/backissues/2002/09/29#When:12:59:01PM</guid></item>\
        <item><description>Don Park: it is too easy to anticipate too much.</description>\
        <pubDate>Mon, 30 Sep 2002 01:52:02 GMT</pubDate>\
        <guid>/backissues/2002/09/29#When:6:52:02PM</guid></item>";
    let server = FixtureServer::start(vec![]);
    publish(&server, "/scripting.rss", &rss_items(items));
    let mut lib = Library::open_in_memory().unwrap();
    let (feed, first) = subscribe_to(&mut lib, &server.url("/scripting.rss")).await;
    assert_eq!(first.new, 2);
    assert_eq!(stories_of(&lib, feed.id), 2);
}

/// The shapes of feed-rs's `rss_0.92_spec_1.xml` and `rss_2.0_ghost_1.xml`:
/// items with neither link nor id, only a description (one with an
/// enclosure) or only `content:encoded`.
#[tokio::test]
async fn items_with_neither_link_nor_id_arrive_once() {
    let old = "<?xml version=\"1.0\"?><rss version=\"0.92\"><channel><title>Dead</title>\
        <link>/dead</link><description>A song a day.</description>\
        <item><description>Kevin started a &lt;a href=&quot;/weblog&quot;&gt;weblog&lt;/a&gt;.</description>\
        <source url=\"/other.xml\">Scripting News</source></item>\
        <item><description>The Other One, live instrumental.</description>\
        <enclosure url=\"/mp3s/theOtherOne.mp3\" length=\"6666097\" type=\"audio/mpeg\"/></item>\
        <item><description>This is a test of a change I just made.</description></item>\
        </channel></rss>";
    let ghost = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss \
        xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
        xmlns:media=\"http://search.yahoo.com/mrss/\" version=\"2.0\"><channel>\
        <item><media:content url=\"/pic.jpg\"/><content:encoded>Example</content:encoded></item>\
        <item><content:encoded>Another example</content:encoded></item></channel></rss>";
    let server = FixtureServer::start(vec![]);
    publish(&server, "/old.rss", old);
    publish(&server, "/ghost.rss", ghost);
    let mut lib = Library::open_in_memory().unwrap();
    let (old_feed, first) = subscribe_to(&mut lib, &server.url("/old.rss")).await;
    assert_eq!(first.new, 3);
    let (ghost_feed, first) = subscribe_to(&mut lib, &server.url("/ghost.rss")).await;
    assert_eq!(first.new, 2);
    for round in 1..=2 {
        publish(&server, "/old.rss", &format!("{old}<!-- {round} -->"));
        publish(&server, "/ghost.rss", &format!("{ghost}<!-- {round} -->"));
        let again = refresh(&mut lib, &[]).await;
        assert!(
            again.iter().all(|r| r.new == 0 && !r.not_modified),
            "round {round}: {again:?}"
        );
    }
    assert_eq!(stories_of(&lib, old_feed.id), 3);
    assert_eq!(stories_of(&lib, ghost_feed.id), 2);
}

/// Items stored by earlier versions of Gloss, under feed-rs's generated
/// id, are not taken for new ones now that items are known by link.
#[tokio::test]
async fn items_stored_under_their_former_ids_do_not_come_back() {
    let items: String = (1..=3)
        .map(|v| {
            format!(
                "<item><title>Version 1.{v}</title><link>/changelog#v1-{v}</link>\
                 <description>Changes in 1.{v}.</description></item>"
            )
        })
        .collect();
    let doc = rss_items(&items);
    let server = FixtureServer::start(vec![]);
    publish(&server, "/changes.rss", &doc);
    let url = url::Url::parse(&server.url("/changes.rss")).unwrap();
    let mut lib = Library::open_in_memory().unwrap();
    let feed = lib
        .add_feed(&crate::library::NewFeed {
            url: url.to_string(),
            title: "Changes".into(),
            ..Default::default()
        })
        .unwrap();
    // What an earlier version stored: feed-rs's ids, one story per item.
    let before = feed_rs::parser::Builder::new()
        .base_uri(Some(url.as_str()))
        .build()
        .parse(doc.as_bytes())
        .unwrap();
    let items = before
        .entries
        .iter()
        .enumerate()
        .map(|(n, entry)| NewFeedItem {
            guid: entry.id.clone(),
            former_guid: None,
            item_key: format!("{url}#gloss-item-{n}"),
            story: crate::library::NewStory {
                url: server.url("/changelog"),
                url_key: format!("{url}#gloss-item-{n}"),
                title: format!("Stored {n}"),
                html: "<p>stored</p>".into(),
                text: "stored".into(),
                feed_id: Some(feed.id),
                ..Default::default()
            },
        })
        .collect();
    lib.apply_feed_outcome(&FeedOutcome {
        feed_id: feed.id,
        result: FetchResult::Updated(Box::new(FeedUpdate {
            items,
            ..Default::default()
        })),
    })
    .unwrap();
    assert_eq!(stories_of(&lib, feed.id), 3);
    let results = refresh(&mut lib, &[]).await;
    assert_eq!(results[0].new, 0, "{results:?}");
    // Their ids are now recorded: a new title (another former id) changes nothing.
    publish(
        &server,
        "/changes.rss",
        &doc.replace("Version 1.", "Release 1."),
    );
    let results = refresh(&mut lib, &[]).await;
    assert_eq!(results[0].new, 0, "{results:?}");
    assert_eq!(stories_of(&lib, feed.id), 3);
}

#[tokio::test]
async fn one_broken_entry_is_skipped_with_a_warning_and_the_feed_works() {
    let entry = |n: u32, title: &str| {
        format!(
            "<entry><id>urn:e{n}</id>{title}<link href=\"/e/{n}\"/>\
             <updated>2024-03-0{n}T09:00:00Z</updated><content type=\"html\">&lt;p&gt;Entry {n}&lt;/p&gt;</content></entry>"
        )
    };
    let mut entries = String::new();
    for n in 1..=6 {
        let title = if n == 4 {
            "<title type=\"\">Broken</title>".to_string()
        } else {
            format!("<title>Entry {n}</title>")
        };
        entries.push_str(&entry(n, &title));
    }
    let atom = format!(
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom</title>\
         <id>urn:f</id><updated>2024-03-06T09:00:00Z</updated>{entries}</feed>"
    );
    let server = FixtureServer::start(vec![(
        "/atom",
        Route::bytes("application/atom+xml", atom.into_bytes()).with_header("ETag", "\"a\""),
    )]);
    let mut lib = Library::open_in_memory().unwrap();
    let (feed, first) = subscribe_to(&mut lib, &server.url("/atom")).await;
    assert_eq!(first.new, 5);
    assert_eq!(first.error, None);
    let warning = "1 entry skipped: unsupported title type \"\"";
    assert_eq!(first.warning.as_deref(), Some(warning));
    let feed = lib.feed(feed.id).unwrap();
    assert_eq!(feed.warning.as_deref(), Some(warning));
    assert_eq!((feed.error_count, feed.last_error.as_deref()), (0, None));
    assert_eq!(
        titles(&lib, feed.id),
        ["Entry 1", "Entry 2", "Entry 3", "Entry 5", "Entry 6"]
    );
    // A 304 keeps the warning: the document still has the entry.
    let again = refresh(&mut lib, &[]).await;
    assert!(again[0].not_modified);
    assert_eq!(lib.feed(feed.id).unwrap().warning.as_deref(), Some(warning));
}

/// At size: 500 entries, every tenth one broken in another way.
#[tokio::test]
async fn fifty_broken_entries_among_five_hundred_leave_four_hundred_and_fifty_stories() {
    let items: String = (0..500)
        .map(|n| match n % 20 {
            0 => format!(
                "<item><guid>i{n}</guid><title>Item {n}</title><link>/i/{n}</link>\
                 <media:content xmlns:media=\"http://search.yahoo.com/mrss/\" url=\"/v.mp4\">\
                 <media:title type=\"bogus\">x</media:title></media:content></item>"
            ),
            // Markup that is not XML.
            10 => format!(
                "<item><guid>i{n}</guid><title>Item {n}</title><link>/i/{n}</link>\
                 <description>Entry <b>{n}</description></item>"
            ),
            _ => format!(
                "<item><guid>i{n}</guid><title>Item {n}</title><link>/i/{n}</link>\
                 <description>Entry {n} of the harbour log.</description></item>"
            ),
        })
        .collect();
    let server = FixtureServer::start(vec![]);
    publish(&server, "/big.rss", &rss_items(&items));
    let mut lib = Library::open_in_memory().unwrap();
    let (feed, first) = subscribe_to(&mut lib, &server.url("/big.rss")).await;
    let warning = first.warning.unwrap_or_default();
    assert_eq!(first.new, 450, "{warning}");
    assert!(
        warning.starts_with(
            "50 entries skipped: unsupported title type \"bogus\"; broken XML (expected `</b>`, \
             but `</description>` was found)"
        ),
        "{warning}"
    );
    assert!(!warning.contains("position"), "{warning}");
    assert_eq!(stories_of(&lib, feed.id), 450);
}

/// The shape of feedparser's iTunes tests: an `<rss>` without `version`
/// and items with iTunes elements.
#[tokio::test]
async fn rss_without_a_version_and_itunes_items_are_read() {
    let podcast = "<rss xmlns:itunes=\"http://www.itunes.com/DTDs/Podcast-1.0.dtd\"><channel>\
        <title>Harbour Radio</title><itunes:category text=\"News\"><itunes:category text=\"Local\"/></itunes:category>\
        <itunes:image href=\"/cover.jpg\"/><itunes:explicit>no</itunes:explicit>\
        <item><title>Episode 2</title><guid>ep2</guid><link>/ep/2</link><itunes:duration>3:00</itunes:duration>\
        <itunes:image href=\"/ep2.jpg\"/><itunes:explicit>yes</itunes:explicit>\
        <itunes:category text=\"News\"><itunes:category text=\"Politics\"/></itunes:category>\
        <description>The ferry debate.</description></item>\
        <item><title>Episode 1</title><guid>ep1</guid><link>/ep/1</link><itunes:duration>1:02:03</itunes:duration>\
        <itunes:author>Harbour Radio</itunes:author><description>The first one.</description></item>\
        </channel></rss>";
    let odd_version = podcast.replace("<rss ", "<rss version=\"0.94\" ");
    let server = FixtureServer::start(vec![]);
    publish(&server, "/podcast", podcast);
    publish(&server, "/odd", &odd_version);
    for path in ["/podcast", "/odd"] {
        let mut lib = Library::open_in_memory().unwrap();
        let (feed, first) = subscribe_to(&mut lib, &server.url(path)).await;
        assert_eq!((first.new, first.warning.as_deref()), (2, None), "{path}");
        assert_eq!(feed.title, "Harbour Radio");
        assert_eq!(titles(&lib, feed.id), ["Episode 2", "Episode 1"]);
    }
}

#[tokio::test]
async fn feeds_in_koi8r_and_big5_without_a_declared_encoding_are_read() {
    let russian = (
        "Новости гавани",
        "Паром отправляется в девять часов утра",
        "Городской совет обсудил новый причал, и жители заполнили зал. Сторонники говорят, \
         что причал привлечёт туристов круглый год, а противники опасаются пробок на узкой дороге.",
    );
    let chinese = ("港口新聞", "渡輪早上九點出發",
        "市議會討論了新的碼頭計劃，居民擠滿了會堂。支持者說碼頭全年都會吸引遊客，反對者擔心狹窄的海岸公路會塞車。");
    let doc = |(channel, title, body): (&str, &str, &str)| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{channel}</title>\
             <item><guid>1</guid><title>{title}</title><description>{body}</description></item>\
             </channel></rss>"
        )
    };
    let encode = |text: &str, encoding: &'static encoding_rs::Encoding| {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    };
    let server = FixtureServer::start(vec![
        (
            "/koi8",
            Route::bytes(
                "application/rss+xml",
                encode(&doc(russian), encoding_rs::KOI8_R),
            ),
        ),
        (
            "/big5",
            Route::bytes("text/xml", encode(&doc(chinese), encoding_rs::BIG5)),
        ),
        (
            "/labelled",
            Route::bytes(
                "application/rss+xml; charset=koi8-r",
                encode(&doc(("Гавань", "Паром", "Коротко.")), encoding_rs::KOI8_R),
            ),
        ),
    ]);
    let mut lib = Library::open_in_memory().unwrap();
    for (path, channel, title) in [
        ("/koi8", russian.0, russian.1),
        ("/big5", chinese.0, chinese.1),
        ("/labelled", "Гавань", "Паром"),
    ] {
        let (feed, first) = subscribe_to(&mut lib, &server.url(path)).await;
        assert_eq!(first.new, 1, "{path}");
        assert_eq!(feed.title, channel);
        assert_eq!(titles(&lib, feed.id), [title]);
    }
}

/// A `--full-text` item whose page has no title keeps the item's title.
#[tokio::test]
async fn a_full_text_page_without_a_title_keeps_the_items_title() {
    let page = "<!doctype html><html><body><article>\
        <p>The harbour committee met again on Tuesday to weigh the proposal for a new ferry terminal, and residents filled the hall.</p>\
        <p>Supporters said the terminal would bring visitors all year, while opponents worried about traffic on the narrow coast road.</p>\
        </article></body></html>";
    let items = "<item><guid>1</guid><title>Ferry terminal vote</title><link>/posts/1</link>\
        <author>desk@harbour.example (Harbour Desk)</author><description>Short.</description></item>";
    let server = FixtureServer::start(vec![("/posts/1", Route::html(page))]);
    publish(&server, "/rss", &rss_items(items));
    let mut lib = Library::open_in_memory().unwrap();
    let options = SubscribeOptions {
        folder: None,
        full_text: true,
    };
    let (feed, first) = subscribe_with(&mut lib, &server.url("/rss"), options, &no_images()).await;
    assert_eq!(first.new, 1);
    let listed = feed_stories(&lib, feed.id);
    let story = lib.story(listed[0].id).unwrap();
    assert_eq!(story.summary.title, "Ferry terminal vote");
    assert!(
        story.text.contains("opponents worried"),
        "the page was stored"
    );
    assert_eq!(story.byline.as_deref(), Some("Harbour Desk"));
}
