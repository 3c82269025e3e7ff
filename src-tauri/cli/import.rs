//! `gloss import FILE` and `gloss fetch-pending`: any supported export in,
//! then the content of stories that came as links fetched with a progress
//! line on standard error. The file is read and understood before the
//! library is opened, so a file that cannot be read leaves no trace.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use gloss_core::feeds::{CancellationToken, FeedsInLibrary};
use gloss_core::fetch::Fetcher;
use gloss_core::portability::fetch::{fetch_missing, FetchReport};
use gloss_core::portability::import::{self, Prepared};
use gloss_core::portability::item::{ImportProgress, ImportReport, ImportStage};
use gloss_core::portability::zipread::ZipLimits;
use gloss_core::{Library, Result};

use crate::context::{open_existing_library, open_library, runtime};
use crate::feeds::import_lines;
use crate::output::{self, plural};

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Force the format: pocket, instapaper, omnivore, wallabag, readwise, netscape, opml, gloss.
    #[arg(long, value_name = "NAME")]
    format: Option<String>,
    /// Don't fetch the content of imported links now (`gloss import --fetch-pending` later).
    #[arg(long)]
    no_fetch: bool,
    #[arg(long)]
    json: bool,
}

pub fn import(
    library: Option<PathBuf>,
    args: ImportArgs,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let ImportArgs {
        file,
        format,
        no_fetch,
        json,
    } = args;
    let prepared = import::read_file(&file, format.as_deref(), ZipLimits::default())?;
    let mut lib = open_library(library)?;
    if let (Prepared::Opml(doc), false) = (&prepared, json) {
        // Subscriptions keep the feeds' own summary line.
        let summary = lib.import_opml(doc)?;
        import_lines(out, &summary)?;
        return Ok(ExitCode::SUCCESS);
    }
    // With the network: images of the content in the export, then the
    // pages of the stories that came as links, with a progress line.
    let fetcher = if no_fetch {
        None
    } else {
        Some(Fetcher::new()?)
    };
    let mut progress = |p: &ImportProgress| {
        if p.stage == ImportStage::Fetching {
            eprint!("\rgloss: fetching content {}/{}", p.done, p.total);
            if p.done == p.total {
                eprintln!();
            }
        }
    };
    let report = runtime()?.block_on(import::run(
        &mut lib,
        prepared,
        fetcher.as_ref(),
        &CancellationToken::new(),
        &mut progress,
    ))?;
    if json {
        output::json(out, &report)?;
    } else {
        report_lines(out, &report, no_fetch)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn fetch_pending(
    library: Option<PathBuf>,
    json: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut lib = open_existing_library(library)?;
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
        &CancellationToken::new(),
        &mut |done, total| {
            eprint!("\rgloss: fetching content {done}/{total}");
            if done == total {
                eprintln!();
            }
        },
    ))?;
    Ok(report)
}

fn report_lines(out: &mut impl Write, r: &ImportReport, no_fetch: bool) -> Result<()> {
    let mut text = format!(
        "imported {} {} from {} ({} merged with stories already here or earlier in the file, {} \
         failed, {} {} added)",
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
    } else if r.fetched > 0 || !r.fetch_failed.is_empty() {
        text.push_str(&format!(
            "; fetched {} {}, {} could not be fetched",
            r.fetched,
            plural(r.fetched, "page", "pages"),
            r.fetch_failed.len()
        ));
    }
    if !r.skipped.is_empty() {
        text.push_str(&format!("; {} skipped", r.skipped.len()));
    }
    output::text(out, &text)?;
    for f in &r.failed {
        output::text(out, &format!("failed {}: {}", f.item, f.reason))?;
    }
    for s in &r.skipped {
        output::text(out, &format!("skipped {}: {}", s.item, s.reason))?;
    }
    for w in &r.warnings {
        output::text(out, &format!("warning {w}"))?;
    }
    for f in &r.fetch_failed {
        output::text(out, &format!("not fetched {}: {}", f.item, f.reason))?;
    }
    Ok(())
}
