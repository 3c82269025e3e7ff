//! `gloss browser-setup`: writes (or with `--remove`, removes) the per-user
//! native messaging host manifests, so that the browser extension can
//! reach this `gloss`. On Linux and macOS a manifest goes in each browser's
//! own folder; on Windows it goes in Gloss's folder and a registry key
//! under HKEY_CURRENT_USER points the browser at it. By default only
//! browsers whose folder exists (installed and run once) get one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gloss_core::{Error, Result};
use serde::Serialize;

use crate::host_manifest::{Browser, Homes, Manifest, Platform, BROWSERS};
use crate::output;

#[derive(Debug, clap::Args)]
pub struct SetupArgs {
    /// Only this browser: chromium, chrome, brave, edge, vivaldi or firefox (repeat for several).
    #[arg(long = "browser", value_name = "NAME")]
    browsers: Vec<String>,
    /// Write for every browser, even those that seem not installed.
    #[arg(long)]
    all: bool,
    /// Remove Gloss's manifests (and registry keys) instead.
    #[arg(long)]
    remove: bool,
    /// Also print each manifest written.
    #[arg(long)]
    print: bool,
    #[arg(long)]
    json: bool,
}

/// What was done for one browser.
#[derive(Debug, Serialize)]
struct Done {
    browser: &'static str,
    /// `written`, `removed`, `not_installed` (skipped) or `absent` (nothing to remove).
    action: &'static str,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    registry_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manifest: Option<serde_json::Value>,
}

pub fn setup(args: SetupArgs, out: &mut impl Write) -> Result<ExitCode> {
    let browsers = chosen(&args.browsers)?;
    let platform = Platform::current();
    let homes = homes()?;
    let gloss = gloss_path()?;
    let mut done = Vec::new();
    for browser in browsers {
        let path = browser.manifest_path(platform, &homes);
        let registry_key = (platform == Platform::Windows).then(|| browser.registry_key());
        let action = if args.remove {
            remove(&path, registry_key.as_deref())?
        } else if !args.all && !installed(browser, platform, &homes, &args.browsers) {
            "not_installed"
        } else {
            let manifest = Manifest::new(browser.family, &gloss).to_json();
            write(&path, &manifest)?;
            if let Some(key) = &registry_key {
                registry::set(key, &path)?;
            }
            "written"
        };
        let manifest = (args.print && action == "written")
            .then(|| serde_json::to_value(Manifest::new(browser.family, &gloss)).ok())
            .flatten();
        done.push(Done {
            browser: browser.name,
            action,
            path: path.display().to_string(),
            registry_key,
            manifest,
        });
    }
    if args.json {
        output::json(out, &done)?;
        return Ok(ExitCode::SUCCESS);
    }
    for d in &done {
        let line = match d.action {
            "written" => format!("{}: wrote {}", d.browser, d.path),
            "removed" => format!("{}: removed {}", d.browser, d.path),
            "absent" => format!("{}: nothing to remove", d.browser),
            _ => format!(
                "{}: not installed, skipped (--all writes it anyway)",
                d.browser
            ),
        };
        output::text(out, &line)?;
        if let Some(key) = &d.registry_key {
            output::text(out, &format!("  registry: HKEY_CURRENT_USER\\{key}"))?;
        }
        if let Some(manifest) = &d.manifest {
            let text = serde_json::to_string_pretty(manifest)
                .map_err(|e| Error::InvalidInput(format!("the manifest: {e}")))?;
            output::text(out, &text)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The browsers asked for, or all of them.
fn chosen(names: &[String]) -> Result<Vec<&'static Browser>> {
    if names.is_empty() {
        return Ok(BROWSERS.iter().collect());
    }
    names
        .iter()
        .map(|name| {
            let name = name.trim().to_ascii_lowercase();
            BROWSERS.iter().find(|b| b.name == name).ok_or_else(|| {
                Error::InvalidInput(format!(
                    "{name} is not a browser Gloss knows; use chromium, chrome, brave, edge, vivaldi or firefox"
                ))
            })
        })
        .collect()
}

/// A browser named with `--browser` is taken as installed; otherwise its
/// folder must exist (Windows has none: every browser gets its key).
fn installed(browser: &Browser, platform: Platform, homes: &Homes, named: &[String]) -> bool {
    !named.is_empty()
        || browser
            .folder(platform, homes)
            .is_none_or(|folder| folder.is_dir())
}

fn write(path: &Path, text: &str) -> Result<()> {
    let context = || format!("writing {}", path.display());
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| Error::io(context(), e))?;
    }
    std::fs::write(path, text).map_err(|e| Error::io(context(), e))
}

fn remove(path: &Path, registry_key: Option<&str>) -> Result<&'static str> {
    if let Some(key) = registry_key {
        registry::delete(key)?;
    }
    match std::fs::remove_file(path) {
        Ok(()) => Ok("removed"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok("absent"),
        Err(e) => Err(Error::io(format!("removing {}", path.display()), e)),
    }
}

/// The user's folders, from the environment.
fn homes() -> Result<Homes> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let home = var("HOME").or_else(|| var("USERPROFILE")).ok_or_else(|| {
        Error::InvalidInput(
            "HOME is not set: Gloss cannot tell where your browsers keep their settings".into(),
        )
    })?;
    Ok(Homes {
        config: var("XDG_CONFIG_HOME").unwrap_or_else(|| home.join(".config")),
        local_data: var("LOCALAPPDATA").unwrap_or_else(|| home.join("AppData").join("Local")),
        home,
    })
}

/// The `gloss` the browsers are to start: this one, or the one beside
/// `gloss-app` when the app runs the command.
fn gloss_path() -> Result<PathBuf> {
    let exe = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map_err(|e| Error::io("finding where gloss is installed", e))?;
    let stem = exe.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if stem == "gloss-app" {
        let name = if cfg!(windows) { "gloss.exe" } else { "gloss" };
        return Ok(exe.with_file_name(name));
    }
    Ok(exe)
}

/// The registry keys of Windows, through `reg.exe` (its arguments are
/// fixed names and Gloss's own path, never page content).
#[cfg(windows)]
mod registry {
    use std::path::Path;
    use std::process::Command;

    use gloss_core::{Error, Result};

    pub fn set(key: &str, manifest: &Path) -> Result<()> {
        let full = format!(r"HKCU\{key}");
        let status = Command::new("reg")
            .args(["add", &full, "/ve", "/t", "REG_SZ", "/f", "/d"])
            .arg(manifest)
            .status()
            .map_err(|e| Error::io("running reg.exe", e))?;
        if status.success() {
            Ok(())
        } else {
            Err(Error::InvalidInput(format!(
                "reg.exe could not write HKEY_CURRENT_USER\\{key}"
            )))
        }
    }

    pub fn delete(key: &str) -> Result<()> {
        let full = format!(r"HKCU\{key}");
        // A key that is not there is not an error.
        Command::new("reg")
            .args(["delete", &full, "/f"])
            .status()
            .map(|_| ())
            .map_err(|e| Error::io("running reg.exe", e))
    }
}

/// Elsewhere the browsers read files only.
#[cfg(not(windows))]
mod registry {
    use std::path::Path;

    use gloss_core::Result;

    pub fn set(_key: &str, _manifest: &Path) -> Result<()> {
        Ok(())
    }

    pub fn delete(_key: &str) -> Result<()> {
        Ok(())
    }
}
