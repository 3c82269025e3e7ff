//! The TypeScript types in `ui/src/bindings/` are generated from the Rust
//! types that cross IPC. This test fails when they are stale; run it with
//! `GLOSS_UPDATE_BINDINGS=1` to write them anew.

use std::path::PathBuf;

use gloss_core::annotate::{
    Annotation, AnnotationQuery, Color, NewAnnotation, NotebookEntry, TextPositionSelector,
    TextQuoteSelector,
};
use gloss_core::error::{ErrorKind, ErrorPayload};
use gloss_core::model::*;
use gloss_core::portability::export::{ExportFormat, ExportProgress, ExportReport, ExportRequest};
use gloss_core::portability::item::{Failure, ImportProgress, ImportReport, ImportStage};
use gloss_core::sync::{SyncReport, SyncStatus};
use ts_rs::TS;

fn bindings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings")
}

/// Each exported type's file name and its generated text.
fn generated() -> Vec<(String, String)> {
    let cfg = ts_rs::Config::default();
    let mut out = Vec::new();
    macro_rules! add {
        ($($t:ty),* $(,)?) => {$(
            out.push((
                format!("{}.ts", <$t as TS>::name(&cfg)),
                <$t as TS>::export_to_string(&cfg).expect("ts-rs renders the type"),
            ));
        )*};
    }
    add!(
        SyncReport,
        SyncStatus,
        ErrorKind,
        ErrorPayload,
        StorySummary,
        Story,
        Origin,
        ListFilter,
        ListQuery,
        ListCursor,
        StoryPage,
        SidebarCounts,
        TagCount,
        SearchHit,
        SearchQuery,
        CheckReport,
        BackupKind,
        BackupInfo,
        HealthState,
        LibraryHealth,
        LibraryInfo,
        SaveStage,
        SaveProgress,
        LibraryChanged,
        FeedInfo,
        FolderInfo,
        AccountKind,
        AccountInfo,
        AccountSyncResult,
        FeedSettings,
        FeedRefreshResult,
        FeedStage,
        FeedProgress,
        ImportSummary,
        Annotation,
        AnnotationQuery,
        Color,
        NewAnnotation,
        NotebookEntry,
        TextPositionSelector,
        TextQuoteSelector,
        Failure,
        ImportReport,
        ImportStage,
        ImportProgress,
        ExportFormat,
        ExportRequest,
        ExportReport,
        ExportProgress,
        AboutInfo,
        UpdateCheck,
        MenuAction,
    );
    out
}

#[test]
fn typescript_bindings_are_current() {
    let dir = bindings_dir();
    let update = std::env::var_os("GLOSS_UPDATE_BINDINGS").is_some();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for (file, text) in generated() {
        let path = dir.join(&file);
        if update {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale TypeScript bindings in ui/src/bindings: {stale:?}; run \
         `GLOSS_UPDATE_BINDINGS=1 cargo test -p gloss-core --test bindings` and commit the result"
    );
}
