//! Leaving the app for the system browser: which links may, and opening them.

use gloss_core::{Error, Result};

/// Links a story may open in the system browser.
pub fn is_browser_link(url: &url::Url) -> bool {
    matches!(url.scheme(), "http" | "https" | "mailto")
}

/// Opens a link in the system browser: http, https and mailto only, so a
/// story cannot make the app open a file or run a program.
pub fn open_external(url: &str) -> Result<()> {
    let parsed = url::Url::parse(url)
        .map_err(|_| Error::InvalidInput(format!("{url} is not a link that can be opened")))?;
    if !is_browser_link(&parsed) {
        return Err(Error::InvalidInput(format!(
            "only http, https and mailto links open from Gloss, not {}:",
            parsed.scheme()
        )));
    }
    hand_to_the_system(parsed.as_str()).map_err(|source| Error::Io {
        context: format!("opening {url}"),
        source,
    })
}

/// Starts the system's opener on a checked link and returns without waiting
/// for it (the first of xdg-open, gio, ... that starts).
#[cfg(target_os = "linux")]
fn hand_to_the_system(url: &str) -> std::io::Result<()> {
    let mut failed = std::io::Error::other("no program to open links with (xdg-open, gio)");
    for mut command in openers(url, crate::webview::variables_for_this_process()) {
        match command.spawn() {
            Ok(mut opener) => {
                // Reaped off the caller's thread: some openers run as long
                // as the browser they start.
                std::thread::spawn(move || opener.wait());
                return Ok(());
            }
            Err(e) => failed = e,
        }
    }
    Err(failed)
}

/// The programs that may open `url`, in the order to try them, each run
/// without the variables in `leave_out`: they tune WebKit in this process
/// (webview.rs), and a WebKitGTK browser started from Gloss would inherit
/// them and draw as Gloss does. Each in a process group of its own, so that
/// a Ctrl-C meant for Gloss in a terminal does not reach the browser.
#[cfg(target_os = "linux")]
fn openers(url: &str, leave_out: &[&str]) -> Vec<std::process::Command> {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;

    let mut commands = open::commands(url);
    for command in &mut commands {
        for name in leave_out {
            command.env_remove(name);
        }
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
    }
    commands
}

#[cfg(not(target_os = "linux"))]
fn hand_to_the_system(url: &str) -> std::io::Result<()> {
    open::that_detached(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn openers_run_without_the_variables_set_for_webkit() {
        let commands = openers(
            "https://example.com/a",
            &["GDK_GL", "WEBKIT_WEB_RENDER_DEVICE_FILE"],
        );
        assert!(!commands.is_empty());
        for command in &commands {
            let removed: Vec<_> = command
                .get_envs()
                .filter(|(_, value)| value.is_none())
                .map(|(name, _)| name.to_string_lossy().into_owned())
                .collect();
            assert_eq!(
                removed,
                ["GDK_GL", "WEBKIT_WEB_RENDER_DEVICE_FILE"],
                "{command:?}"
            );
            assert!(
                command.get_args().any(|a| a == "https://example.com/a"),
                "{command:?}"
            );
        }
    }

    #[test]
    fn only_web_and_mail_links_go_to_the_browser() {
        let link = |s: &str| is_browser_link(&url::Url::parse(s).unwrap());
        assert!(
            link("https://example.com/a") && link("http://example.com/") && link("mailto:a@b.c")
        );
        assert!(
            !link("file:///etc/passwd")
                && !link("javascript:alert(1)")
                && !link("gloss-asset://localhost/x")
        );
    }
}
