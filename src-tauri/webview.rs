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

/// What WebKitGTK reads from the environment when it starts, set before any
/// web view (and any thread) exists; a value the user set wins. With
/// drawing on the CPU (below), frames reach the window through shared
/// memory rather than DMA-BUF buffers: the total RSS after 50 stories went
/// from 471 to 453–460 MiB in bench/startup.sh (docs/benchmarks.md).
/// Elsewhere nothing.
pub fn prepare_environment() {
    let choice = Choice::from_defaults(&std::env::var(DEFAULTS_ENV).unwrap_or_default());
    #[cfg(target_os = "linux")]
    if choice.acceleration && std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = choice;
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
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebView, WebViewExt,
    };

    use super::Choice;

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
