//! Every import parser. The first byte picks the parser (so each one gets
//! fuzzed on its own, not only the one detection would pick); the rest is
//! the file. Byte 0 mod 11 = 10 runs detection and writes what it read into
//! an in-memory library, where everything stored must pass the oracle.
#![no_main]

use std::cell::RefCell;

use gloss_core::feeds::opml::read_opml;
use gloss_core::model::ListQuery;
use gloss_core::portability::item::Parsed;
use gloss_core::portability::zipread::ZipLimits;
use gloss_core::portability::{
    gloss_json, import, instapaper, netscape, omnivore, pocket, readwise, wallabag,
};
use gloss_core::Library;
use libfuzzer_sys::fuzz_target;

/// Small limits: a fuzzer's input is small, and a bomb must stop early.
const LIMITS: ZipLimits = ZipLimits {
    entry_bytes: 4 * 1024 * 1024,
    total_bytes: 16 * 1024 * 1024,
    entries: 1000,
};

thread_local! {
    static LIBRARY: RefCell<Option<Library>> = const { RefCell::new(None) };
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let mut parsed = Parsed::default();
    match which % 11 {
        0 => parsed = pocket::read_html(bytes),
        1 => pocket::read_csv(bytes, &mut parsed),
        2 => {
            if let Ok(p) = pocket::read_zip(bytes, LIMITS) {
                parsed = p;
            }
        }
        3 => instapaper::read(bytes, &mut parsed),
        4 => {
            if let Ok(p) = omnivore::read_zip(bytes, LIMITS) {
                parsed = p;
            }
        }
        5 => {
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes) {
                parsed = wallabag::read(&v);
            }
        }
        6 => readwise::read_highlights(bytes, &mut parsed),
        7 => readwise::read_reader(bytes, &mut parsed),
        8 => parsed = netscape::read(bytes),
        9 => {
            let _ = read_opml(bytes);
            let _ = gloss_json::read(bytes, LIMITS);
        }
        _ => {
            let Ok(prepared) = import::prepare(bytes, None, LIMITS) else {
                return;
            };
            LIBRARY.with(|cell| {
                let mut slot = cell.borrow_mut();
                if slot.is_none() {
                    *slot = Library::open_in_memory().ok();
                }
                let Some(lib) = slot.as_mut() else { return };
                if import::apply(lib, prepared).is_err() {
                    return;
                }
                let list = lib.list(&ListQuery {
                    limit: Some(10_000),
                    ..Default::default()
                });
                let ids: Vec<i64> = list
                    .map(|p| p.stories.iter().map(|s| s.id).collect())
                    .unwrap_or_default();
                for id in &ids {
                    if let Ok(story) = lib.story(*id) {
                        gloss_fuzz::assert_safe("imported", &story.html);
                    }
                }
                // Start the next input from an empty library.
                let _ = lib.delete(&ids);
            });
        }
    }
    // What a parser read is turned into rows only by `import::apply` (the
    // last branch); reading alone must simply never panic or hang.
    drop(parsed);
});
