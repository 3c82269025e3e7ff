//! `gloss backup --out FILE` and `gloss restore FILE`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gloss_core::library::durability::restore::{replace_library, KeepOld, Replacement};
use gloss_core::{paths, Result};

use super::{open_existing_library, output};

pub fn backup(library: Option<PathBuf>, target: &Path, out: &mut impl Write) -> Result<ExitCode> {
    let lib = open_existing_library(library)?;
    lib.backup_to(target)?;
    output::text(
        out,
        &format!("backed up {} to {}", lib.path().display(), target.display()),
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn restore(library: Option<PathBuf>, from: &Path, out: &mut impl Write) -> Result<ExitCode> {
    let path = paths::resolve_library_path(library)?;
    let done = replace_library(&path, Replacement::Backup(from), KeepOld::BeforeRestore)?;
    let kept = done
        .previous
        .map(|p| format!("; the previous library is kept as {}", p.display()))
        .unwrap_or_default();
    output::text(
        out,
        &format!(
            "restored {} ({} stories) from {}{kept}",
            path.display(),
            done.stories,
            from.display()
        ),
    )?;
    Ok(ExitCode::SUCCESS)
}
