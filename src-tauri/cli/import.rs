//! `gloss import FILE` and `gloss fetch-pending`: any supported export in,
//! then the content of stories that came as links fetched with a progress
//! line on standard error. The file is read and understood before the
//! library is opened, so a file that cannot be read leaves no trace.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gloss_core::fetch::Fetcher;
use gloss_core::portability::fetch::{fetch_missing, FetchReport};
use gloss_core::portability::import::{self, Prepared};
use gloss_core::portability::item::{Failure, ImportReport};
use gloss_core::portability::zipread::ZipLimits;
use gloss_core::{Library, Result};
use serde::Serialize;

use super::feeds::{import_lines, plural};
use super::{open_library, output, runtime};

/// `gloss import --json`.
#[derive(Debug, Serialize)]
struct ImportJson<'a> {
    #[serde(flatten)]
    report: &'a ImportReport,
    /// Stories whose content was fetched after the import.
    fetched: u32,
    /// Stories whose content could not be fetched (they keep waiting).
    fetch_failed: &'a [Failure],
}

pub fn import(
    library: Option<PathBuf>,
    file: &Path,
    format: Option<&str>,
    no_fetch: bool,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let prepared = import::read_file(file, format, ZipLimits::default())?;
    let mut lib = open_library(library)?;
    if let (Prepared::Opml(doc), false) = (&prepared, json) {
        // Subscriptions keep the feeds' own summary line.
        let summary = lib.import_opml(doc)?;
        import_lines(out, &summary)?;
        return Ok(ExitCode::SUCCESS);
    }
    let report = import::apply(&mut lib, prepared)?;
    let fetch = if no_fetch || report.waiting_for_content == 0 {
        FetchReport::default()
    } else {
        fetch_all(&mut lib)?
    };
    if json {
        output::json(
            out,
            &ImportJson {
                report: &report,
                fetched: fetch.fetched,
                fetch_failed: &fetch.failed,
            },
        )?;
    } else {
        report_lines(out, &report, &fetch, no_fetch)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn fetch_pending(
    library: Option<PathBuf>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut lib = open_library(library)?;
    let fetch = fetch_all(&mut lib)?;
    if json {
        output::json(out, &fetch)?;
    } else {
        let text = format!(
            "fetched {} {}, {} failed",
            fetch.fetched,
            plural(fetch.fetched, "story", "stories"),
            fetch.failed.len()
        );
        output::text(out, &text)?;
        for f in &fetch.failed {
            output::text(out, &format!("failed {}: {}", f.item, f.reason))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Fetches every waiting story, one progress line on standard error
/// rewritten in place.
fn fetch_all(lib: &mut Library) -> Result<FetchReport> {
    let fetcher = Fetcher::new()?;
    let rt = runtime()?;
    let report = rt.block_on(fetch_missing(
        lib,
        &fetcher,
        u32::MAX,
        false,
        &mut |done, total| {
            eprint!("\rgloss: fetching content {done}/{total}");
            if done == total {
                eprintln!();
            }
        },
    ))?;
    Ok(report)
}

fn report_lines(
    out: &mut impl Write,
    r: &ImportReport,
    fetch: &FetchReport,
    no_fetch: bool,
) -> Result<()> {
    let mut text = format!(
        "imported {} {} from {} ({} merged with stories already here, {} failed, {} {})",
        r.imported,
        plural(r.imported, "story", "stories"),
        r.format,
        r.merged,
        r.failed.len(),
        r.highlights,
        plural(r.highlights, "highlight", "highlights")
    );
    if no_fetch && r.waiting_for_content > 0 {
        text.push_str(&format!(
            "; {} wait for their content: `gloss fetch-pending` fetches it",
            r.waiting_for_content
        ));
    } else if fetch.fetched > 0 || !fetch.failed.is_empty() {
        text.push_str(&format!(
            "; fetched {} {}, {} could not be fetched",
            fetch.fetched,
            plural(fetch.fetched, "page", "pages"),
            fetch.failed.len()
        ));
    }
    output::text(out, &text)?;
    for f in &r.failed {
        output::text(out, &format!("failed {}: {}", f.item, f.reason))?;
    }
    for w in &r.warnings {
        output::text(out, &format!("warning {w}"))?;
    }
    for f in &fetch.failed {
        output::text(out, &format!("not fetched {}: {}", f.item, f.reason))?;
    }
    Ok(())
}
