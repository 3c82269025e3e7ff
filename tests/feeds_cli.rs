//! `gloss feeds`, `gloss import` and `gloss export` as scripts use them: the
//! real binary, a temporary library, feeds served from fixtures on 127.0.0.1.

mod support;

use gloss_core::testing::{FixtureServer, Route};
use serde_json::Value;
use support::Gloss;

impl Gloss {
    fn feed_titles(&self, id: i64) -> Vec<String> {
        self.json(&["list", "--feed", &id.to_string(), "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap().to_string())
            .collect()
    }
}

fn rss(items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title)| {
            format!(
                "<item><title>{title}</title><link>/posts/{guid}</link><guid>{guid}</guid>\
                 <description>&lt;p&gt;{title} happened today.&lt;/p&gt;</description></item>"
            )
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Coast News</title><link>/</link>{items}</channel></rss>")
}

fn feed_route(content_type: &str, body: String, etag: &str) -> Route {
    Route::bytes(content_type, body.into_bytes()).with_header("ETag", etag)
}

#[test]
fn add_discovers_from_a_home_page_and_a_second_refresh_is_all_304s() {
    let home = r#"<!doctype html><html><head><title>Coast</title>
        <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml"></head>
        <body><p>Welcome</p></body></html>"#;
    let server = FixtureServer::start(vec![
        ("/", Route::html(home)),
        (
            "/rss.xml",
            feed_route(
                "application/rss+xml",
                rss(&[("1", "One"), ("2", "Two")]),
                "\"v1\"",
            ),
        ),
    ]);
    let g = Gloss::new();
    let added = g.json(&[
        "feeds",
        "add",
        &server.url("/"),
        "--folder",
        "Local",
        "--json",
    ]);
    assert_eq!(added["url"], server.url("/rss.xml"));
    assert_eq!(added["title"], "Coast News");
    let id = added["id"].as_i64().unwrap();
    assert_eq!(g.feed_titles(id), ["One", "Two"]);

    let list = g.json(&["feeds", "list", "--json"]);
    assert_eq!(list[0]["unread"], 2);
    assert_eq!(list[0]["folder"], "Local");
    assert_eq!(list[0]["last_error"], Value::Null);

    let refreshed = g.json(&["feeds", "refresh", "--json"]);
    assert_eq!(refreshed.as_array().unwrap().len(), 1);
    assert_eq!(refreshed[0]["id"], id);
    assert_eq!(refreshed[0]["new"], 0);
    assert_eq!(refreshed[0]["error"], Value::Null);
    assert_eq!(refreshed[0]["not_modified"], true);
    let log = server.requests("/rss.xml");
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(g.feed_titles(id).len(), 2);

    let text = g.ok(&["feeds", "list"]);
    assert!(text.contains("2 unread  Coast News [Local]"), "{text}");
}

#[test]
fn rss_atom_and_json_feed_items_arrive_once() {
    let atom = |n: usize| {
        let entries: String = (1..=n)
            .map(|i| format!("<entry><id>urn:a{i}</id><title>Atom {i}</title><link href=\"/a/{i}\"/><updated>2024-01-0{i}T00:00:00Z</updated><summary>Atom {i} text</summary></entry>"))
            .collect();
        format!("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom Feed</title><id>urn:x</id>{entries}</feed>")
    };
    let json = |n: usize| {
        let items: Vec<String> = (1..=n)
            .map(|i| format!("{{\"id\":\"{i}\",\"url\":\"/j/{i}\",\"title\":\"Json {i}\",\"content_html\":\"<p>Json {i} text</p>\"}}"))
            .collect();
        format!("{{\"version\":\"https://jsonfeed.org/version/1\",\"title\":\"Json Feed\",\"items\":[{}]}}", items.join(","))
    };
    let server = FixtureServer::start(vec![
        (
            "/rss",
            feed_route("application/rss+xml", rss(&[("1", "R1")]), "\"r1\""),
        ),
        (
            "/atom",
            Route::bytes("application/atom+xml", atom(1).into_bytes()),
        ),
        (
            "/json",
            Route::bytes("application/feed+json", json(1).into_bytes()),
        ),
    ]);
    let g = Gloss::new();
    let ids: Vec<i64> = ["/rss", "/atom", "/json"]
        .iter()
        .map(|p| {
            g.json(&["feeds", "add", &server.url(p), "--json"])["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    server.set_route(
        "/rss",
        feed_route(
            "application/rss+xml",
            rss(&[("2", "R2"), ("1", "R1")]),
            "\"r2\"",
        ),
    );
    server.set_route(
        "/atom",
        Route::bytes("application/atom+xml", atom(2).into_bytes()),
    );
    server.set_route(
        "/json",
        Route::bytes("application/feed+json", json(2).into_bytes()),
    );
    for expected in [1, 0] {
        let results = g.json(&["feeds", "refresh", "--json"]);
        let new: Vec<i64> = results
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["new"].as_i64().unwrap())
            .collect();
        assert_eq!(new, [expected; 3], "{results}");
    }
    assert_eq!(g.feed_titles(ids[0]), ["R2", "R1"]);
    assert_eq!(g.feed_titles(ids[1]), ["Atom 2", "Atom 1"]);
    assert_eq!(g.feed_titles(ids[2]), ["Json 2", "Json 1"]);
    // Refreshing one feed by id touches only that feed.
    let one = g.json(&["feeds", "refresh", &ids[1].to_string(), "--json"]);
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["id"], ids[1]);
}

#[test]
fn full_text_is_stored_and_reads_with_the_server_stopped() {
    let page = r#"<!doctype html><html><head><title>Ferry plan</title></head><body>
        <nav>Home Sport Weather</nav><article><h1>Ferry plan</h1>
        <p>The harbour committee met again on Tuesday to weigh the proposal for a new ferry terminal, and residents filled the hall.</p>
        <p>Supporters said the terminal would bring visitors all year, while opponents worried about traffic on the narrow coast road.</p>
        <p>The committee will vote next month after a final round of public comment on the plans and their cost.</p>
        </article></body></html>"#;
    let server = FixtureServer::start(vec![
        (
            "/rss",
            feed_route("application/rss+xml", rss(&[("1", "Ferry")]), "\"1\""),
        ),
        ("/posts/1", Route::html(page)),
    ]);
    let g = Gloss::new();
    let added = g.json(&["feeds", "add", &server.url("/rss"), "--full-text", "--json"]);
    let feed = added["id"].as_i64().unwrap();
    server.stop();
    let stories = g.json(&["list", "--feed", &feed.to_string(), "--json"]);
    let id = stories[0]["id"].as_i64().unwrap().to_string();
    let text = g.ok(&["show", &id]);
    assert!(text.contains("opponents worried about traffic"), "{text}");
    // The server is gone: a refresh fails for this feed, and says so, exit 0.
    let results = g.json(&["feeds", "refresh", "--json"]);
    assert!(
        results[0]["error"]
            .as_str()
            .unwrap()
            .contains("could not connect"),
        "{results}"
    );
    let list = g.json(&["feeds", "list", "--json"]);
    assert_eq!(list[0]["error_count"], 1);
}

#[test]
fn opml_round_trip_keeps_every_feed_and_folder() {
    let g = Gloss::new();
    let file = g.write(
        "subs.xml",
        r#"<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
        <outline text="Loose" xmlUrl="http://127.0.0.1:9/loose.xml" htmlUrl="http://127.0.0.1:9/"/>
        <outline text="News &amp; Views"><outline text="A" xmlurl="http://127.0.0.1:9/a.xml"/>
          <outline text="Deeper"><outline title="B" xmlUrl="http://127.0.0.1:9/b.xml"/></outline>
        </outline>
        <outline text="Empty"/></body></opml>"#,
    );
    let text = g.ok(&["import", &file]);
    assert!(text.starts_with("imported 3 feeds"), "{text}");
    let out = g.dir.path().join("out.opml");
    g.ok(&["export", "--format", "opml", "--out", out.to_str().unwrap()]);
    let other = Gloss::new();
    other.ok(&["import", out.to_str().unwrap()]);
    let shape = |g: &Gloss| {
        let mut feeds: Vec<String> = g
            .json(&["feeds", "list", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {}",
                    f["url"], f["title"], f["folder"], f["site_url"]
                )
            })
            .collect();
        feeds.sort();
        feeds
    };
    assert_eq!(shape(&g), shape(&other));
    assert_eq!(shape(&g).len(), 3);
    let exported = std::fs::read_to_string(&out).unwrap();
    for folder in ["News &amp; Views", "News &amp; Views / Deeper", "Empty"] {
        assert!(
            exported.contains(&format!("text=\"{folder}\"")),
            "{exported}"
        );
    }
    // Standard output without --out.
    assert!(other
        .ok(&["export", "--format", "opml"])
        .contains("<opml version=\"2.0\">"));
    let not_opml = g.write("notes.txt", "just some notes");
    assert!(g.fails(&["import", &not_opml]).contains("not an OPML file"));
}

#[test]
fn broken_feeds_give_per_feed_errors_and_the_others_still_refresh() {
    let mut bomb = String::from("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">");
    let mut prev = "a".to_string();
    for i in 0..10 {
        bomb.push_str(&format!(
            "<!ENTITY e{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
        prev = format!("e{i}");
    }
    bomb.push_str(&format!("]><rss version=\"2.0\"><channel><title>&{prev};</title><item><guid>1</guid><title>&{prev};</title></item></channel></rss>"));
    let server = FixtureServer::start(vec![
        (
            "/good",
            feed_route("application/rss+xml", rss(&[("1", "Good")]), "\"g\""),
        ),
        (
            "/broken",
            Route::bytes(
                "application/rss+xml",
                b"<rss><channel><item><title>x".to_vec(),
            ),
        ),
        (
            "/html",
            Route::html("<!doctype html><html><body>not a feed</body></html>"),
        ),
        (
            "/bomb",
            Route::bytes("application/rss+xml", bomb.into_bytes()),
        ),
        ("/missing", Route::status(404)),
    ]);
    let g = Gloss::new();
    let outlines: String = ["/good", "/broken", "/html", "/bomb", "/missing"]
        .iter()
        .map(|p| format!("<outline text=\"{p}\" xmlUrl=\"{}\"/>", server.url(p)))
        .collect();
    let file = g.write(
        "f.opml",
        format!("<opml version=\"2.0\"><body>{outlines}</body></opml>"),
    );
    g.ok(&["import", &file]);
    let results = g.json(&["feeds", "refresh", "--json"]);
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(results[0]["new"], 1);
    assert_eq!(results[0]["error"], Value::Null);
    for r in &results[2..] {
        if r["title"] == "/bomb" && r["error"].is_null() {
            continue; // read with its entities unexpanded
        }
        let error = r["error"].as_str().unwrap_or_else(|| panic!("{r}"));
        assert!(!error.contains('\n'));
    }
    assert!(results[4]["error"].as_str().unwrap().contains("404"));
    // Adding a page that is not a feed is one line and exit 1.
    let line = g.fails(&["feeds", "add", &server.url("/missing")]);
    assert!(line.contains("404"), "{line}");
    let line = g.fails(&["feeds", "refresh", "999"]);
    assert!(line.contains("no feed with id 999"), "{line}");
}

#[test]
fn retry_after_is_honoured() {
    let server = FixtureServer::start(vec![(
        "/busy",
        Route::status(429).with_header("Retry-After", "600"),
    )]);
    let g = Gloss::new();
    let file = g.write(
        "f.opml",
        format!(
            "<opml><body><outline text=\"Busy\" xmlUrl=\"{}\"/></body></opml>",
            server.url("/busy")
        ),
    );
    g.ok(&["import", &file]);
    let first = g.json(&["feeds", "refresh", "--json"]);
    assert!(first[0]["error"].as_str().unwrap().contains("429"));
    let second = g.json(&["feeds", "refresh", "--json"]);
    assert_eq!(second[0]["error"], Value::Null);
    assert!(second[0]["skipped_until"].is_string(), "{second}");
    let by_id = g.json(&["feeds", "refresh", "1", "--json"]);
    assert!(by_id[0]["skipped_until"].is_string(), "{by_id}");
    assert_eq!(server.hits("/busy"), 1);
    let list = g.json(&["feeds", "list", "--json"]);
    assert!(list[0]["next_check"].is_string());
}

#[test]
fn remove_keeps_starred_stories_and_deletes_the_rest() {
    let server = FixtureServer::start(vec![(
        "/rss",
        feed_route(
            "application/rss+xml",
            rss(&[("1", "One"), ("2", "Two")]),
            "\"1\"",
        ),
    )]);
    let g = Gloss::new();
    let feed = g.json(&["feeds", "add", &server.url("/rss"), "--json"])["id"]
        .as_i64()
        .unwrap();
    let stories = g.json(&["list", "--feed", &feed.to_string(), "--json"]);
    let keep = stories[0]["id"].as_i64().unwrap().to_string();
    g.ok(&["star", &keep]);
    let text = g.ok(&["feeds", "remove", &feed.to_string()]);
    assert!(text.contains("1 story deleted"), "{text}");
    let left = g.json(&["list", "--json"]);
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["title"], "One");
    assert_eq!(
        g.json(&["feeds", "list", "--json"]),
        Value::Array(Vec::new())
    );
    assert!(g
        .fails(&["feeds", "remove", &feed.to_string()])
        .contains("no feed with id"));
}

/// A feed with one entry feed-rs cannot read: the others are stored, the
/// feed works, and every output says what was skipped.
#[test]
fn a_broken_entry_is_skipped_and_said_everywhere() {
    let entries: String = (1..=6)
        .map(|n| {
            let title = if n == 4 {
                "<title type=\"\">Broken</title>".to_string()
            } else {
                format!("<title>Entry {n}</title>")
            };
            format!(
                "<entry><id>urn:e{n}</id>{title}<link href=\"/e/{n}\"/>\
                 <content type=\"html\">&lt;p&gt;Entry {n} of the tide log.&lt;/p&gt;</content></entry>"
            )
        })
        .collect();
    let atom = format!(
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Tide Log</title>\
         <id>urn:f</id>{entries}</feed>"
    );
    let server = FixtureServer::start(vec![(
        "/atom.xml",
        Route::bytes("application/atom+xml", atom.into_bytes()),
    )]);
    let g = Gloss::new();
    let warning = "1 entry skipped: unsupported title type \"\"";
    let added = g.json(&["feeds", "add", &server.url("/atom.xml"), "--json"]);
    assert_eq!(added["new"], 5);
    assert_eq!(added["warning"], warning);
    let id = added["id"].as_i64().unwrap();
    assert_eq!(g.feed_titles(id).len(), 5);

    let list = g.json(&["feeds", "list", "--json"]);
    assert_eq!(list[0]["warning"], warning);
    assert_eq!(list[0]["error_count"], 0);
    assert_eq!(list[0]["last_error"], Value::Null);
    let text = g.ok(&["feeds", "list"]);
    assert!(text.contains(&format!("warning: {warning}")), "{text}");

    let refreshed = g.ok(&["feeds", "refresh"]);
    assert!(
        refreshed.contains(&format!("Tide Log: 0 new; {warning}")),
        "{refreshed}"
    );
}
