//! The app's own commands (About, updates, launch requests) through
//! `tauri::test`: the mock runtime, the real core, a temporary library.

mod support;

use std::sync::mpsc;
use std::time::Duration;

use gloss_app::app::context;
use gloss_app::events::{APP_MESSAGE, SHOW_STORY};
use gloss_app::services::launches::Launches;
use gloss_cli::links::{self, OpenRequest};
use gloss_core::testing::{FixtureServer, Route};
use serde_json::json;
use support::TestApp;
use tauri::test::MockRuntime;
use tauri::{Listener, Manager};

impl TestApp {
    /// The payloads of `event`, as they come.
    fn events(&self, event: &str) -> mpsc::Receiver<String> {
        let (tx, rx) = mpsc::channel();
        self.app.listen(event, move |e| {
            let _ = tx.send(e.payload().to_string());
        });
        rx
    }
}

const WAIT: Duration = Duration::from_secs(20);

#[test]
fn about_names_the_version_library_licence_and_homepage() {
    let t = TestApp::new();
    let about = t.call("about_info", json!({})).unwrap();
    assert_eq!(about["name"], "Gloss");
    assert_eq!(about["version"], env!("CARGO_PKG_VERSION"));
    let library = t.path("library.gloss");
    assert_eq!(about["library_path"], library.display().to_string());
    assert_eq!(about["license"], "MIT");
    assert!(about["homepage"].as_str().unwrap().starts_with("https://"));
    // The updater plugin is not running here, so nothing may offer updates.
    assert_eq!(about["updates_configured"], false);
}

#[test]
fn without_the_updater_a_check_is_refused_and_asks_no_server() {
    let t = TestApp::new();
    let err = t.call("check_for_update", json!({})).unwrap_err();
    assert_eq!(err["kind"], "unsupported");
    assert!(err["message"].as_str().unwrap().contains("no update key"));
    let err = t.call("install_update", json!({})).unwrap_err();
    assert_eq!(err["kind"], "unsupported");
}

#[test]
fn the_release_config_has_an_update_key_and_a_https_endpoint() {
    let config = context::<MockRuntime>().config().clone();
    assert!(gloss_app::services::updates::updater_key_configured(
        &config
    ));
    let updater = &config.plugins.0["updater"];
    for endpoint in updater["endpoints"].as_array().unwrap() {
        assert!(endpoint.as_str().unwrap().starts_with("https://"));
    }
    let schemes = &config.plugins.0["deep-link"]["desktop"]["schemes"];
    assert_eq!(schemes, &json!(["gloss"]));
}

#[test]
fn links_wait_for_the_window_then_save_and_show_the_story() {
    let server = FixtureServer::start(vec![(
        "/story.html",
        Route::html(
            "<html><head><title>From the browser</title></head><body><article>\
             <h1>From the browser</h1><p>A story sent by the bookmarklet, long enough \
             for the extractor to keep it as the article of the page.</p></article></body></html>",
        ),
    )]);
    let t = TestApp::new();
    let shown = t.events(SHOW_STORY);
    let messages = t.events(APP_MESSAGE);
    let handle = t.app.handle().clone();
    let launches = handle.state::<Launches>();

    let link = format!(
        "gloss://save?url={}",
        url::form_urlencoded::byte_serialize(server.url("/story.html").as_bytes())
            .collect::<String>()
    );
    launches.submit(&handle, links::parse_link(&link).map(OpenRequest::SaveUrl));
    launches.submit(
        &handle,
        links::parse_link("gloss://save?url=file%3A%2F%2F%2Fetc%2Fpasswd")
            .map(OpenRequest::SaveUrl),
    );
    // Nothing happens before the front end is ready: it would miss it all.
    assert!(shown.recv_timeout(Duration::from_millis(300)).is_err());
    assert_eq!(t.call("list_stories", json!({"query": {"filter": "inbox", "tag": null, "feed_id": null, "limit": 10, "before": null}})).unwrap()["stories"], json!([]));

    t.call("launch_ready", json!({})).unwrap();
    let id: i64 = shown.recv_timeout(WAIT).unwrap().parse().unwrap();
    let story = t.call("get_story", json!({ "id": id })).unwrap();
    assert_eq!(story["title"], "From the browser");
    let refusal = messages.recv_timeout(WAIT).unwrap();
    assert!(refusal.contains("refused"), "{refusal}");

    // Once ready, a request is carried out at once.
    launches.submit(
        &handle,
        links::parse_link("gloss://delete?id=1").map(OpenRequest::SaveUrl),
    );
    assert!(messages.recv_timeout(WAIT).unwrap().contains("refused"));
}
