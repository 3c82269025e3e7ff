//! `gloss check`: the library's integrity and what it holds; exit 1 when
//! it is damaged, so scripts can act on it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use gloss_core::Result;

use crate::context::open_existing_library;
use crate::output;

pub fn check(library: Option<PathBuf>, json: bool, out: &mut impl Write) -> Result<ExitCode> {
    let lib = open_existing_library(library)?;
    let report = lib.check()?;
    if json {
        output::json(out, &report)?;
    } else {
        output::check_report(out, &report)?;
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
