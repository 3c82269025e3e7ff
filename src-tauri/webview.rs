//! The web view's engine settings for what Gloss shows: a handful of local
//! documents, one at a time, never a history to go back through.
//!
//! WebKitGTK's defaults suit a browser: a large memory cache of decoded
//! pages and images (cache model `WebBrowser`) and a back/forward page
//! cache that keeps whole documents alive after they are left. Neither
//! serves a reader whose page never navigates and whose stories are
//! replaced in one frame; both cost the web process memory
//! (docs/benchmarks.md, "Start-up and memory", has what each saves).
//! WKWebView and WebView2 choose for themselves; there is nothing to set.

use std::sync::OnceLock;

use tauri::{Runtime, WebviewWindow};

/// For measuring what each setting saves (`bench/startup.sh`): the settings
/// named here (comma-separated: `cache-model`, `page-cache`,
/// `acceleration`, or `all`) keep WebKit's defaults.
pub const DEFAULTS_ENV: &str = "GLOSS_WEBVIEW_DEFAULTS";

/// Which of the settings to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub cache_model: bool,
    pub page_cache: bool,
    pub acceleration: bool,
}

impl Choice {
    /// All of them, less those named in `defaults` (the value of [`DEFAULTS_ENV`]).
    pub fn from_defaults(defaults: &str) -> Choice {
        let kept: Vec<&str> = defaults.split(',').map(str::trim).collect();
        let keep = |name: &str| kept.contains(&name) || kept.contains(&"all");
        Choice {
            cache_model: !keep("cache-model"),
            page_cache: !keep("page-cache"),
            acceleration: !keep("acceleration"),
        }
    }
}

/// The variables [`prepare_environment`] set (none a user had set), for the
/// programs Gloss starts to leave out: they tune WebKit and GTK in this
/// process, and a browser started from it must not inherit them.
static SET_FOR_WEBKIT: OnceLock<Vec<&'static str>> = OnceLock::new();

/// What WebKitGTK and GTK read from the environment when they start, set
/// before any web view (and any thread) exists; a value the user set wins.
/// Elsewhere nothing.
pub fn prepare_environment() {
    let choice = Choice::from_defaults(&std::env::var(DEFAULTS_ENV).unwrap_or_default());
    #[cfg(target_os = "linux")]
    let set: Vec<&'static str> =
        linux::drawing_on_the_cpu(choice, std::path::Path::new("/dev/dri"))
            .into_iter()
            .filter(|(name, _)| std::env::var_os(name).is_none())
            .map(|(name, value)| {
                std::env::set_var(name, value);
                name
            })
            .collect();
    #[cfg(not(target_os = "linux"))]
    let set = {
        let _ = choice;
        Vec::new()
    };
    let _ = SET_FOR_WEBKIT.set(set);
}

/// The variables [`prepare_environment`] set, to remove from the
/// environment of a program Gloss starts.
pub fn variables_for_this_process() -> &'static [&'static str] {
    SET_FOR_WEBKIT.get().map_or(&[], Vec::as_slice)
}

/// Applies the settings to the window's web view (Linux; elsewhere nothing).
/// A web view that cannot be reached keeps WebKit's defaults: the app
/// works the same, with more memory.
pub fn tune<R: Runtime>(window: &WebviewWindow<R>) {
    let choice = Choice::from_defaults(&std::env::var(DEFAULTS_ENV).unwrap_or_default());
    #[cfg(target_os = "linux")]
    if let Err(e) = window.with_webview(move |webview| linux::tune(&webview.inner(), choice)) {
        eprintln!("gloss: the web view keeps its default memory settings: {e}");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (window, choice);
}

#[cfg(target_os = "linux")]
mod linux {
    use std::path::Path;

    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebView, WebViewExt,
    };

    use super::Choice;

    /// Where no render node exists: WebKit then asks no EGL display for one.
    const NO_RENDER_NODE: &str = "/dev/dri/none";

    /// The environment that goes with drawing on the CPU (see [`tune`]),
    /// when `choice` draws so: what WebKit and GTK would otherwise open
    /// OpenGL for in this process, only to learn what drawing on a GPU
    /// would need (docs/benchmarks.md, "Start-up and memory", has each
    /// measurement).
    ///
    /// - Frames reach the window through shared memory rather than DMA-BUF
    ///   buffers: the total RSS after 50 stories went from 471 to 453–460
    ///   MiB.
    /// - GTK opens no OpenGL (`GDK_GL`), and WebKit takes the GPU's render
    ///   node from the variable it reads for that instead of asking an EGL
    ///   display: without both, this process loads Mesa, and Mesa loads
    ///   LLVM (the app's RSS on the list: 169 MiB with Mesa loaded, 118
    ///   without, bench/webview_memory.sh). The node named is
    ///   the first in `dri` (`/dev/dri`), the one WebKit falls back to;
    ///   without any, a path that names none, so nothing opens a device
    ///   that is not there.
    pub fn drawing_on_the_cpu(choice: Choice, dri: &Path) -> Vec<(&'static str, String)> {
        if !choice.acceleration {
            return Vec::new();
        }
        vec![
            ("WEBKIT_DISABLE_DMABUF_RENDERER", "1".to_owned()),
            ("GDK_GL", "disable".to_owned()),
            ("WEBKIT_WEB_RENDER_DEVICE_FILE", first_render_node(dri)),
        ]
    }

    fn first_render_node(dri: &Path) -> String {
        let mut nodes: Vec<String> = std::fs::read_dir(dri)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
            .map(|entry| entry.path().to_string_lossy().into_owned())
            .collect();
        nodes.sort();
        nodes
            .into_iter()
            .next()
            .unwrap_or_else(|| NO_RENDER_NODE.to_owned())
    }

    pub fn tune(view: &WebView, choice: Choice) {
        if let Some(context) = view.context().filter(|_| choice.cache_model) {
            // The smallest memory cache: resources are local, and a story
            // read once is rarely shown again soon.
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if let Some(settings) = WebViewExt::settings(view) {
            // The window never goes back: keep no left pages alive.
            if choice.page_cache {
                settings.set_enable_page_cache(false);
            }
            // Draw on the CPU, never through OpenGL. Gloss's documents
            // (text, a few images, no 3-D, video or canvas) gain nothing
            // from compositing, and where there is no GPU (a virtual
            // machine, a remote desktop, this project's test machine)
            // WebKit composites through Mesa's llvmpipe, a software GPU:
            // measured with bench/startup.sh, the web process's PSS after
            // 50 stories went from 262 to 147 MiB without it, and it had
            // rendered for ~8 s of CPU after they were opened
            // (docs/benchmarks.md). WebKitWebDriver's screenshots need
            // compositing, so tests/e2e/run.sh keeps WebKit's own policy
            // (`GLOSS_WEBVIEW_DEFAULTS=acceleration`) for the e2e suite.
            if choice.acceleration {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Choice;

    #[cfg(target_os = "linux")]
    #[test]
    fn drawing_on_the_cpu_names_the_first_render_node_or_none() {
        let all = Choice::from_defaults("");
        let dri = tempfile::tempdir().unwrap();
        let device = |dri: &std::path::Path| {
            super::linux::drawing_on_the_cpu(all, dri)
                .into_iter()
                .find(|(name, _)| *name == "WEBKIT_WEB_RENDER_DEVICE_FILE")
                .map(|(_, value)| value)
                .unwrap()
        };
        assert_eq!(device(dri.path()), "/dev/dri/none");
        for name in ["card0", "renderD129", "renderD128"] {
            std::fs::write(dri.path().join(name), "").unwrap();
        }
        assert_eq!(
            device(dri.path()),
            dri.path().join("renderD128").to_string_lossy()
        );
        let kept = Choice::from_defaults("acceleration");
        assert!(super::linux::drawing_on_the_cpu(kept, dri.path()).is_empty());
    }

    #[test]
    fn every_setting_applies_unless_named_to_keep_its_default() {
        let all = Choice {
            cache_model: true,
            page_cache: true,
            acceleration: true,
        };
        assert_eq!(Choice::from_defaults(""), all);
        assert_eq!(
            Choice::from_defaults("page-cache, acceleration"),
            Choice {
                page_cache: false,
                acceleration: false,
                ..all
            }
        );
        assert_eq!(
            Choice::from_defaults("all"),
            Choice {
                cache_model: false,
                page_cache: false,
                acceleration: false,
            }
        );
    }
}
