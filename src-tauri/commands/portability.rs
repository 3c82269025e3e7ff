//! Import and Export from the window: each one call into the core's
//! `portability`, off the async runtime for the library, with progress as
//! events (`import-progress`, `export-progress`) and a cancel command.
//! One import and one export at a time; a second gets a clear error.

use std::sync::Mutex;

use gloss_core::feeds::CancellationToken;
use gloss_core::portability::export::{self, ExportProgress, ExportReport, ExportRequest};
use gloss_core::portability::import;
use gloss_core::portability::item::{ImportProgress, ImportReport, ImportStage};
use gloss_core::portability::zipread::ZipLimits;
use gloss_core::{Error, Library};
use tauri::{AppHandle, Runtime, State};

use super::CommandResult;
use crate::events;
use crate::state::{blocking, Shared, WriterAccess};

/// The token of the job under way in `slot`, cleared when the job ends
/// (however it ends: the guard is dropped).
struct Job<'a> {
    slot: &'a Mutex<Option<CancellationToken>>,
    token: CancellationToken,
}

impl<'a> Job<'a> {
    fn start(slot: &'a Mutex<Option<CancellationToken>>, what: &str) -> Result<Self, Error> {
        let mut current = slot.lock().unwrap_or_else(|p| p.into_inner());
        if current.is_some() {
            return Err(Error::InvalidInput(format!(
                "an {what} is already running; wait for it to finish or cancel it"
            )));
        }
        let token = CancellationToken::new();
        *current = Some(token.clone());
        Ok(Job { slot, token })
    }
}

impl Drop for Job<'_> {
    fn drop(&mut self) {
        *self.slot.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

fn cancel_job(slot: &Mutex<Option<CancellationToken>>) {
    if let Some(token) = slot.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
        token.cancel();
    }
}

/// Imports an export file of another reader (or Gloss's own), its format
/// detected or given as `format`. With `fetch`, the images of content in
/// the file and then the pages of stories that came as links are downloaded
/// (what `gloss import` does; without it, `gloss import --no-fetch`).
#[tauri::command]
pub async fn import_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
    path: String,
    format: Option<String>,
    fetch: bool,
) -> CommandResult<ImportReport> {
    let job = Job::start(&state.import_cancel, "import")?;
    let emit = |p: &ImportProgress| events::emit(&app, p);
    emit(&ImportProgress {
        stage: ImportStage::Reading,
        done: 0,
        total: 0,
        imported: 0,
        merged: 0,
        failed: 0,
    });
    let format = format.filter(|f| !f.trim().is_empty());
    let prepared = blocking(&state, move |_| {
        import::read_file(
            path.trim().as_ref(),
            format.as_deref(),
            ZipLimits::default(),
        )
    })
    .await?;
    // The list follows the import: the library's door tells it of each
    // batch written (see `relay_library_changes`).
    let mut progress = |p: &ImportProgress| emit(p);
    let fetcher = fetch.then_some(&state.fetcher);
    let result = import::run(
        &mut WriterAccess(&state),
        prepared,
        fetcher,
        &job.token,
        &mut progress,
    )
    .await;
    if let Ok(report) = &result {
        let body = format!(
            "{} imported, {} merged, {} failed.",
            report.imported,
            report.merged,
            report.failed.len()
        );
        crate::notify::background_done(&app, "Gloss import finished", &body);
    }
    Ok(result?)
}

/// Stops the import under way between two stories; what was written stays.
#[tauri::command]
pub fn cancel_import(state: State<'_, Shared>) {
    cancel_job(&state.import_cancel);
}

/// Writes an export: the stories of a list or chosen ones, in a format, to
/// a file (a folder for Markdown). It reads through a connection of its own,
/// so the window's list and reader are not held up while it writes.
#[tauri::command]
pub async fn export_library<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, Shared>,
    request: ExportRequest,
) -> CommandResult<ExportReport> {
    let job = Job::start(&state.export_cancel, "export")?;
    let token = job.token.clone();
    let report = blocking(&state, move |s| {
        let path = s.reader().path().to_path_buf();
        let lib = Library::open(&path)?;
        let mut progress = |done: u32, total: u32| {
            events::emit(&app, &ExportProgress { done, total });
        };
        export::export(&lib, &request, &token, &mut progress)
    })
    .await?;
    drop(job);
    Ok(report)
}

/// Stops the export under way; nothing half-written is left.
#[tauri::command]
pub fn cancel_export(state: State<'_, Shared>) {
    cancel_job(&state.export_cancel);
}
