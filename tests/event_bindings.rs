//! The event names the UI may listen to are generated from
//! `gloss_app::events::EventName` into `ui/src/bindings/EventName.ts`, like
//! the core's types (`src-tauri/core/tests/bindings.rs`); so is the one type
//! the app shell itself answers with (`FirstScreen`). These tests fail when
//! a file is stale; run them with `GLOSS_UPDATE_BINDINGS=1` to write it anew.

use std::path::PathBuf;

use gloss_app::commands::FirstScreen;
use gloss_app::events::EventName;
use ts_rs::TS;

/// Compares (or, asked to, rewrites) the generated file of one type.
fn binding_is_current<T: TS + 'static>() {
    let cfg = ts_rs::Config::default();
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("ui/src/bindings")
        .join(format!("{}.ts", T::name(&cfg)));
    let text = T::export_to_string(&cfg).expect("ts-rs renders the type");
    if std::env::var_os("GLOSS_UPDATE_BINDINGS").is_some() {
        std::fs::write(&file, &text).expect("the bindings folder is writable");
    }
    assert_eq!(
        std::fs::read_to_string(&file).ok().as_deref(),
        Some(text.as_str()),
        "stale {}; run `GLOSS_UPDATE_BINDINGS=1 cargo test --test event_bindings` and commit it",
        file.display()
    );
}

#[test]
fn event_names_binding_is_current() {
    binding_is_current::<EventName>();
}

#[test]
fn first_screen_binding_is_current() {
    binding_is_current::<FirstScreen>();
}

#[test]
fn every_event_name_is_in_the_binding() {
    let text = EventName::export_to_string(&ts_rs::Config::default()).expect("renders");
    for name in EventName::ALL {
        assert!(
            text.contains(&format!("\"{}\"", name.as_str())),
            "{} missing from {text}",
            name.as_str()
        );
    }
}
