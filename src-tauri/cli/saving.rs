//! `gloss save`: hands the sources to the window when one is open on the
//! library (it saves and shows them), else saves them here through the
//! core's save pipeline, opening the library only when the first story is
//! ready. One line per story on standard output, one per failure on
//! standard error; the exit code is 1 if any source failed.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use gloss_core::fetch::Fetcher;
use gloss_core::model::SaveStage;
use gloss_core::save::{self, SaveOptions, Saved};
use gloss_core::text::one_line;
use gloss_core::{paths, Error, Result};

use crate::context::{runtime, LazyLibrary};
use crate::{handoff, output};

#[derive(Debug, clap::Args)]
pub struct SaveArgs {
    #[arg(required = true, value_name = "URL|FILE|-")]
    sources: Vec<String>,
    /// Tag the saved stories (repeat for several tags).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Don't download images (their alt text is kept).
    #[arg(long)]
    no_images: bool,
    /// Base URL to resolve relative links and images of local HTML files.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Print nothing on success.
    #[arg(long, short)]
    quiet: bool,
    #[arg(long)]
    json: bool,
}

/// A save's result, from the window or from this process alike.
type SaveOutcome = Result<Saved>;

/// Saves every source in turn. A source that fails is reported on its own
/// line and the rest are still saved; the exit code is 1 if any failed.
pub fn save(library: Option<PathBuf>, args: SaveArgs, out: &mut impl Write) -> Result<ExitCode> {
    let base_url = args
        .base_url
        .as_deref()
        .map(gloss_core::urls::parse_web_url)
        .transpose()?;
    let options = SaveOptions {
        tags: args.tags,
        skip_images: args.no_images,
        base_url,
        feed_id: None,
    };
    let (quiet, json) = (args.quiet, args.json);
    // Check every named source before touching the library, so a typo in a
    // single-source save leaves no trace.
    let inputs = read_inputs(args.sources)?;
    let mut saved = Vec::new();
    let mut failed = 0usize;
    let many = inputs.len() > 1;
    let mut report = |source: &str, result: SaveOutcome| -> Result<()> {
        match result {
            Ok(Saved { created, story }) => {
                if !quiet && !json {
                    let verb = if created { "saved" } else { "updated" };
                    output::text(out, &format!("{verb} {}: {}", story.id, story.title))?;
                }
                saved.push(output::SavedJson::from(&story));
            }
            Err(e) => {
                failed += 1;
                let prefix = if many {
                    format!("{source}: ")
                } else {
                    String::new()
                };
                eprintln!("gloss: {prefix}{}", one_line(&e.to_string()));
            }
        }
        Ok(())
    };
    let library_path = paths::resolve_library_path(library)?;
    if !hand_to_window(&library_path, &inputs, &options, &mut report)? {
        save_here(library_path, &inputs, &options, &mut report)?;
    }
    if json {
        output::json(out, &saved)?;
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The sources as given, with `-` replaced by the lines of standard input
/// (blank lines and `#` comments left out).
fn read_inputs(sources: Vec<String>) -> Result<Vec<String>> {
    let mut inputs = Vec::new();
    for source in sources {
        if source == "-" {
            for line in std::io::stdin().lock().lines() {
                let line = line.map_err(|e| Error::io("reading standard input", e))?;
                let line = line.trim();
                if !line.is_empty() && !line.starts_with('#') {
                    inputs.push(line.to_string());
                }
            }
        } else {
            inputs.push(source);
        }
    }
    Ok(inputs)
}

/// While the window is open on this library, it does the saves and shows
/// them; this reports what it answers. False when no window took them.
fn hand_to_window(
    library: &std::path::Path,
    inputs: &[String],
    options: &SaveOptions,
    report: &mut dyn FnMut(&str, SaveOutcome) -> Result<()>,
) -> Result<bool> {
    let request = handoff::SaveRequest {
        token: String::new(),
        sources: handoff::absolute_sources(inputs),
        tags: options.tags.clone(),
        skip_images: options.skip_images,
        base_url: options.base_url.as_ref().map(|u| u.to_string()),
        page: None,
    };
    let handed = handoff::hand_off(library, request, |reply| match reply {
        handoff::SaveReply::Saved {
            source,
            created,
            story,
            ..
        } => report(
            &source,
            Ok(Saved {
                created,
                story: *story,
            }),
        ),
        handoff::SaveReply::Failed { source, message } => {
            report(&source, Err(Error::InvalidInput(message)))
        }
    })?;
    Ok(handed.is_some())
}

/// Saves in this process (no window is open on the library), one source
/// after the other through the core's pipeline.
fn save_here(
    library: PathBuf,
    inputs: &[String],
    options: &SaveOptions,
    report: &mut dyn FnMut(&str, SaveOutcome) -> Result<()>,
) -> Result<()> {
    let mut library = LazyLibrary::new(library, inputs.len() > 1);
    let fetcher = Fetcher::new()?;
    let rt = runtime()?;
    let quiet_progress = |_: SaveStage, _: u32, _: u32| {};
    for input in inputs {
        let result = rt.block_on(save::save_into(
            &mut library,
            &fetcher,
            input,
            options,
            &quiet_progress,
        ));
        report(input, result)?;
    }
    Ok(())
}
