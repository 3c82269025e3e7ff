//! The native messaging host manifests: the files that tell a browser
//! that Gloss's extension, and only it, may start `gloss` and talk to it.
//! Chromium-family browsers name the extension by its origin (its id comes
//! from the fixed public key in the extension's manifest), Firefox by its
//! add-on id. `gloss browser-setup` writes them per user; the .deb and .rpm
//! install the system ones (`packaging/native-messaging/`, checked against
//! this file by a test).

use std::path::{Path, PathBuf};

use serde::Serialize;

/// The host's name, as the extension calls `connectNative`.
pub const HOST_NAME: &str = "org.glossreader.gloss";
/// The Chromium id of Gloss's extension: the sha256 of the public key in
/// its manifest's `key`, first 32 hex digits written with the letters a–p.
pub const CHROMIUM_EXTENSION_ID: &str = "fbeanmkoadplglpjkmmhbbncacmokpgj";
/// That public key (base64 DER SubjectPublicKeyInfo), as the extension's
/// manifest carries it; kept here so a test can check the id.
pub const CHROMIUM_EXTENSION_KEY: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA3Ij816lq3OZ8xAdOB03Px2Qd5xsIgFc2gpUeus+uv/95vqyqlICHDb72Fzrv+DBgF9m5uuLtZ+CzsGcFk9HLcJOypxScWGlmYJ7pOo8/FtEsPXtU1pL3F3xkxbxcT9T8LdRcuM483ySLy8G1dmyGM3FtFQBk5QUnfd6A84w3aMBjXrXwIH7N29RNp0spvaMGvRQmWVuNp9y8oPLoi4mDi0gnv3B5QCsmTE+i/T4O/n+9Cq6Shnd2H4L4sjMFL0xsntQZt3+JHsTFfTFkRjK2dWkl614/xC7kfAgN+0NjEUDnpLH5CMMY4R3+qeZ0nczq4FGDPmJfYaxkYB0XJ6wM9QIDAQAB";
/// Gloss's Firefox add-on id.
pub const FIREFOX_EXTENSION_ID: &str = "gloss@glossreader.org";
/// What Chromium passes as the first argument of a host it starts.
pub const CHROMIUM_ORIGIN_PREFIX: &str = "chrome-extension://";
/// The file name of a manifest (the browsers look it up by the host's name).
pub const MANIFEST_FILE: &str = "org.glossreader.gloss.json";
/// Where the .deb and .rpm install `gloss`.
pub const SYSTEM_GLOSS: &str = "/usr/bin/gloss";

/// Which of the two manifest forms a browser reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Chromium,
    Firefox,
}

/// A host manifest.
#[derive(Debug, Serialize)]
pub struct Manifest {
    name: &'static str,
    description: &'static str,
    path: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_origins: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_extensions: Option<Vec<String>>,
}

impl Manifest {
    /// The manifest for `family` that starts the `gloss` at `gloss`.
    pub fn new(family: Family, gloss: &Path) -> Manifest {
        let (allowed_origins, allowed_extensions) = match family {
            Family::Chromium => (
                Some(vec![format!(
                    "{CHROMIUM_ORIGIN_PREFIX}{CHROMIUM_EXTENSION_ID}/"
                )]),
                None,
            ),
            Family::Firefox => (None, Some(vec![FIREFOX_EXTENSION_ID.to_string()])),
        };
        Manifest {
            name: HOST_NAME,
            description: "Gloss: save the page you are reading to your Gloss library",
            path: gloss.to_string_lossy().into_owned(),
            kind: "stdio",
            allowed_origins,
            allowed_extensions,
        }
    }

    /// The file's text: pretty JSON and a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A browser Gloss writes a per-user manifest for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Browser {
    /// The name `--browser` takes and the output shows.
    pub name: &'static str,
    pub family: Family,
    /// The browser's own folder under the user's configuration folder
    /// (Linux) and under `~/Library/Application Support` (macOS): the
    /// manifest is written only where it exists, unless asked for all.
    linux: &'static str,
    macos: &'static str,
    /// The registry key under HKEY_CURRENT_USER (Windows).
    windows_key: &'static str,
}

/// Every browser `gloss browser-setup` knows.
pub const BROWSERS: [Browser; 6] = [
    Browser {
        name: "chromium",
        family: Family::Chromium,
        linux: "chromium",
        macos: "Chromium",
        windows_key: r"Software\Chromium\NativeMessagingHosts",
    },
    Browser {
        name: "chrome",
        family: Family::Chromium,
        linux: "google-chrome",
        macos: "Google/Chrome",
        windows_key: r"Software\Google\Chrome\NativeMessagingHosts",
    },
    Browser {
        name: "brave",
        family: Family::Chromium,
        linux: "BraveSoftware/Brave-Browser",
        macos: "BraveSoftware/Brave-Browser",
        windows_key: r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts",
    },
    Browser {
        name: "edge",
        family: Family::Chromium,
        linux: "microsoft-edge",
        macos: "Microsoft Edge",
        windows_key: r"Software\Microsoft\Edge\NativeMessagingHosts",
    },
    Browser {
        name: "vivaldi",
        family: Family::Chromium,
        linux: "vivaldi",
        macos: "Vivaldi",
        windows_key: r"Software\Vivaldi\NativeMessagingHosts",
    },
    Browser {
        name: "firefox",
        family: Family::Firefox,
        linux: "",
        macos: "Mozilla",
        windows_key: r"Software\Mozilla\NativeMessagingHosts",
    },
];

/// The platform whose per-user locations are wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Linux,
    MacOs,
    Windows,
}

impl Platform {
    pub fn current() -> Platform {
        if cfg!(target_os = "macos") {
            Platform::MacOs
        } else if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Linux
        }
    }
}

/// The user's folders the locations are under.
#[derive(Debug, Clone)]
pub struct Homes {
    pub home: PathBuf,
    /// `$XDG_CONFIG_HOME`, else `~/.config` (Linux).
    pub config: PathBuf,
    /// `%LOCALAPPDATA%` (Windows).
    pub local_data: PathBuf,
}

impl Browser {
    /// The browser's own folder, whose presence says it is installed. On
    /// Windows the browsers read the registry: there is no such folder.
    pub fn folder(&self, platform: Platform, homes: &Homes) -> Option<PathBuf> {
        match (platform, self.family) {
            (Platform::Linux, Family::Firefox) => Some(homes.home.join(".mozilla")),
            (Platform::Linux, Family::Chromium) => Some(homes.config.join(self.linux)),
            (Platform::MacOs, _) => Some(
                homes
                    .home
                    .join("Library/Application Support")
                    .join(self.macos),
            ),
            (Platform::Windows, _) => None,
        }
    }

    /// Where the manifest file goes. On Windows it sits in Gloss's own
    /// folder and the registry key points at it.
    pub fn manifest_path(&self, platform: Platform, homes: &Homes) -> PathBuf {
        let folder = match (platform, self.family) {
            (Platform::Linux, Family::Firefox) => {
                homes.home.join(".mozilla/native-messaging-hosts")
            }
            (Platform::MacOs, Family::Firefox) => homes
                .home
                .join("Library/Application Support/Mozilla/NativeMessagingHosts"),
            (Platform::Windows, _) => homes
                .local_data
                .join("Gloss")
                .join("NativeMessagingHosts")
                .join(self.name),
            _ => self
                .folder(platform, homes)
                .unwrap_or_default()
                .join("NativeMessagingHosts"),
        };
        folder.join(MANIFEST_FILE)
    }

    /// The registry key (under HKEY_CURRENT_USER) whose default value is
    /// the manifest's path, on Windows.
    pub fn registry_key(&self) -> String {
        format!(r"{}\{HOST_NAME}", self.windows_key)
    }
}

/// The system-wide manifests the Linux packages install: where, and for
/// which family.
pub const SYSTEM_MANIFESTS: [(&str, Family); 3] = [
    (
        "/etc/chromium/native-messaging-hosts/org.glossreader.gloss.json",
        Family::Chromium,
    ),
    (
        "/etc/opt/chrome/native-messaging-hosts/org.glossreader.gloss.json",
        Family::Chromium,
    ),
    (
        "/usr/lib/mozilla/native-messaging-hosts/org.glossreader.gloss.json",
        Family::Firefox,
    ),
];

/// The checked-in files the packages take them from, by family.
pub fn packaged_file(family: Family) -> &'static str {
    match family {
        Family::Chromium => "packaging/native-messaging/chromium.json",
        Family::Firefox => "packaging/native-messaging/firefox.json",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifests_name_only_glosss_extension() {
        let chromium: serde_json::Value = serde_json::from_str(
            &Manifest::new(Family::Chromium, Path::new("/usr/bin/gloss")).to_json(),
        )
        .unwrap();
        assert_eq!(chromium["name"], HOST_NAME);
        assert_eq!(chromium["type"], "stdio");
        assert_eq!(chromium["path"], "/usr/bin/gloss");
        assert_eq!(
            chromium["allowed_origins"],
            serde_json::json!(["chrome-extension://fbeanmkoadplglpjkmmhbbncacmokpgj/"])
        );
        assert!(chromium.get("allowed_extensions").is_none());
        let firefox: serde_json::Value = serde_json::from_str(
            &Manifest::new(Family::Firefox, Path::new("/usr/bin/gloss")).to_json(),
        )
        .unwrap();
        assert_eq!(
            firefox["allowed_extensions"],
            serde_json::json!(["gloss@glossreader.org"])
        );
        assert!(firefox.get("allowed_origins").is_none());
    }

    /// The files the .deb and .rpm install are what this module makes; run
    /// with GLOSS_UPDATE_MANIFESTS=1 to write them anew.
    #[test]
    fn the_packaged_manifests_are_up_to_date() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for family in [Family::Chromium, Family::Firefox] {
            let path = root.join(packaged_file(family));
            let want = Manifest::new(family, Path::new(SYSTEM_GLOSS)).to_json();
            if std::env::var_os("GLOSS_UPDATE_MANIFESTS").is_some() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &want).unwrap();
            }
            let have = std::fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(
                have,
                want,
                "{} is stale: run GLOSS_UPDATE_MANIFESTS=1 cargo test -p gloss-cli --lib host_manifest",
                path.display()
            );
        }
        // And tauri.conf.json installs each at its system path.
        let conf: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root.join("tauri.conf.json")).unwrap())
                .unwrap();
        for bundle in ["deb", "rpm"] {
            let files = &conf["bundle"]["linux"][bundle]["files"];
            for (target, family) in SYSTEM_MANIFESTS {
                assert_eq!(files[target], packaged_file(family), "{bundle} {target}");
            }
        }
        // The Windows installer runs `gloss browser-setup` (docs/browser.md).
        let hooks = conf["bundle"]["windows"]["nsis"]["installerHooks"]
            .as_str()
            .unwrap();
        let hooks = std::fs::read_to_string(root.join(hooks)).unwrap();
        assert!(hooks.contains(r#""$INSTDIR\gloss.exe" browser-setup --all"#));
        assert!(hooks.contains(r#""$INSTDIR\gloss.exe" browser-setup --remove"#));
    }

    /// Standard base64, enough for the key.
    fn base64_decode(text: &str) -> Vec<u8> {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut bits = 0u32;
        let mut count = 0;
        let mut out = Vec::new();
        for c in text.bytes().filter(|&c| c != b'=') {
            let value = ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
            bits = (bits << 6) | value;
            count += 6;
            if count >= 8 {
                count -= 8;
                out.push((bits >> count) as u8);
                bits &= (1 << count) - 1;
            }
        }
        out
    }

    #[test]
    fn the_chromium_id_is_the_one_chromium_computes_from_the_key() {
        let der = base64_decode(CHROMIUM_EXTENSION_KEY);
        assert_eq!(der.len(), 294, "an RSA 2048 SubjectPublicKeyInfo");
        let hex = gloss_core::library::sha256_hex(&der);
        let id: String = hex[..32]
            .chars()
            .map(|c| (b'a' + c.to_digit(16).unwrap() as u8) as char)
            .collect();
        assert_eq!(id, CHROMIUM_EXTENSION_ID);
    }

    #[test]
    fn each_browser_has_its_own_place_on_each_platform() {
        let homes = Homes {
            home: PathBuf::from("/home/ann"),
            config: PathBuf::from("/home/ann/.config"),
            local_data: PathBuf::from(r"C:\Users\ann\AppData\Local"),
        };
        let place = |name: &str, platform| {
            BROWSERS
                .iter()
                .find(|b| b.name == name)
                .unwrap()
                .manifest_path(platform, &homes)
        };
        let file = |dir: &str| PathBuf::from(dir).join(MANIFEST_FILE);
        assert_eq!(
            place("chrome", Platform::Linux),
            file("/home/ann/.config/google-chrome/NativeMessagingHosts")
        );
        assert_eq!(
            place("firefox", Platform::Linux),
            file("/home/ann/.mozilla/native-messaging-hosts")
        );
        assert_eq!(
            place("brave", Platform::MacOs),
            file("/home/ann/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts")
        );
        assert_eq!(
            place("firefox", Platform::MacOs),
            file("/home/ann/Library/Application Support/Mozilla/NativeMessagingHosts")
        );
        let mut paths: Vec<PathBuf> = BROWSERS
            .iter()
            .map(|b| b.manifest_path(Platform::Windows, &homes))
            .collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), BROWSERS.len(), "one file per browser");
        assert_eq!(
            BROWSERS[1].registry_key(),
            r"Software\Google\Chrome\NativeMessagingHosts\org.glossreader.gloss"
        );
    }
}
