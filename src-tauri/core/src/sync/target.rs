//! Where a library syncs to, as kept in the library's sync settings (never
//! a secret), and the secrets that open it (a WebDAV password, an
//! encryption passphrase), kept in the system keyring: read by the command
//! line and by the app alike.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::crypt::{self, Encrypted};
use super::folder::Folder;
use super::remote::Remote;
use super::webdav::WebDav;
use crate::library::SyncState;
use crate::{secrets, Error, Library, Result};

/// The way to the shared storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "transport", rename_all = "lowercase")]
pub enum Target {
    Folder {
        path: PathBuf,
        /// Every file is encrypted with a key that the passphrase opens.
        #[serde(default)]
        encrypted: bool,
    },
    Webdav {
        /// The collection's address, without credentials.
        url: String,
        user: String,
        #[serde(default)]
        encrypted: bool,
    },
}

/// The secrets a target needs, as the user typed them at setup.
#[derive(Default)]
pub struct Secrets {
    /// The WebDAV password or app password.
    pub password: Option<String>,
    /// The end-to-end encryption passphrase.
    pub passphrase: Option<String>,
}

impl std::fmt::Debug for Secrets {
    /// Never shows a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("passphrase", &self.passphrase.as_ref().map(|_| "…"))
            .finish()
    }
}

impl Target {
    /// The transport that reaches the storage, opened with the secrets kept
    /// in the system keyring when this device (this library's sync id) was
    /// set up. Opening encrypted storage costs one scrypt (3.2 s in
    /// bench/sync.sh on the 2-core test machine): keep the result between
    /// syncs.
    pub fn remote(&self, device: &str) -> Result<Box<dyn Remote>> {
        let kept = Secrets {
            password: match self {
                Target::Webdav { .. } => Some(self.kept(&password_key(device), "password")?),
                Target::Folder { .. } => None,
            },
            passphrase: match self.encrypted() {
                true => Some(self.kept(&passphrase_key(device), "encryption passphrase")?),
                false => None,
            },
        };
        self.open(&kept)
    }

    /// The transport, opened with `secrets` (at setup, before they are kept).
    /// Refuses encrypted storage without a passphrase, so that it is never
    /// taken for an empty folder.
    pub fn open(&self, secrets: &Secrets) -> Result<Box<dyn Remote>> {
        let plain: Box<dyn Remote> = match self {
            Target::Folder { path, .. } => Box::new(Folder::new(path)),
            Target::Webdav { url, user, .. } => {
                let password = secrets.password.as_deref().ok_or_else(|| {
                    Error::InvalidInput(format!("the WebDAV password for {user} is missing"))
                })?;
                Box::new(WebDav::new(url, user, password)?)
            }
        };
        if !self.encrypted() {
            if crypt::is_encrypted(plain.as_ref())? {
                return Err(Error::InvalidInput(format!(
                    "{} holds an encrypted sync library: set sync up with --encrypt and its \
                     passphrase",
                    plain.describe()
                )));
            }
            return Ok(plain);
        }
        let passphrase = secrets
            .passphrase
            .as_deref()
            .ok_or_else(|| Error::InvalidInput("the encryption passphrase is missing".into()))?;
        Ok(Box::new(Encrypted::open(plain, passphrase)?))
    }

    /// Keeps `secrets` in the system keyring for this device's later syncs,
    /// in place of any it kept before.
    pub fn remember(&self, device: &str, secrets: &Secrets) -> Result<()> {
        forget(device)?;
        if let (Target::Webdav { .. }, Some(password)) = (self, &secrets.password) {
            secrets::store(&password_key(device), password)?;
        }
        if let (true, Some(passphrase)) = (self.encrypted(), &secrets.passphrase) {
            secrets::store(&passphrase_key(device), passphrase)?;
        }
        Ok(())
    }

    /// Whether every file on the storage is encrypted.
    pub fn encrypted(&self) -> bool {
        match self {
            Target::Folder { encrypted, .. } | Target::Webdav { encrypted, .. } => *encrypted,
        }
    }

    /// In words, for a status line.
    pub fn describe(&self) -> String {
        let place = match self {
            Target::Folder { path, .. } => format!("folder {}", path.display()),
            Target::Webdav { url, user, .. } => format!("WebDAV {url} as {user}"),
        };
        match self.encrypted() {
            true => format!("{place}, encrypted"),
            false => place,
        }
    }

    /// The folder's path, when the target is a folder (Settings › Sync shows it).
    pub fn folder(&self) -> Option<String> {
        match self {
            Target::Folder { path, .. } => Some(path.display().to_string()),
            Target::Webdav { .. } => None,
        }
    }

    /// The WebDAV address and user, when the target is a WebDAV server.
    pub fn webdav(&self) -> Option<(String, String)> {
        match self {
            Target::Webdav { url, user, .. } => Some((url.clone(), user.clone())),
            Target::Folder { .. } => None,
        }
    }

    /// As kept in the library.
    pub fn settings(&self) -> Result<String> {
        serde_json::to_string(self)
            .map_err(|e| Error::InvalidInput(format!("the sync settings: {e}")))
    }

    /// The target a library's sync state names.
    pub fn of(state: &SyncState) -> Result<Target> {
        serde_json::from_str(&state.settings).map_err(|_| {
            Error::Unsupported(
                "this library syncs in a way this Gloss does not know: update Gloss, or set \
                 sync up again"
                    .into(),
            )
        })
    }

    fn kept(&self, key: &str, what: &str) -> Result<String> {
        secrets::load(key)?.ok_or_else(|| {
            Error::InvalidInput(format!(
                "the {what} for {} is not in the system keyring (it may have expired): set \
                 sync up again (`gloss sync setup`, or Settings › Sync)",
                self.describe()
            ))
        })
    }
}

/// Removes the sync secrets of `device` (this library's sync id) from the
/// system keyring.
pub fn forget(device: &str) -> Result<()> {
    secrets::forget(&password_key(device))?;
    secrets::forget(&passphrase_key(device))
}

/// The secrets are filed by device, the id each library gets when sync is
/// set up: two libraries on one computer never share or remove each
/// other's, even when they sync to the same place.
fn password_key(device: &str) -> String {
    format!("sync-password:{device}")
}

fn passphrase_key(device: &str) -> String {
    format!("sync-passphrase:{device}")
}

/// Ties `lib` to `target`: opens the storage with `secrets` (a wrong
/// password or passphrase is an error and nothing changes), joins or
/// starts the library there (see [`super::setup`]), then keeps the secrets
/// in the system keyring. Returns the open transport for the first sync.
pub fn set_up(
    lib: &mut Library,
    target: &Target,
    secrets: &Secrets,
    merge: bool,
) -> Result<(SyncState, Box<dyn Remote>)> {
    let remote = target.open(secrets)?;
    // Reaches the storage before anything is written: a wrong address or
    // password fails here.
    remote.list("")?;
    let before = lib.sync_state()?.map(|state| state.device);
    let state = super::setup(lib, remote.as_ref(), &target.settings()?, merge)?;
    target.remember(&state.device, secrets)?;
    // Joining another library gave this one a new device id: the old id's
    // secrets are of no more use.
    if let Some(old) = before.filter(|old| *old != state.device) {
        forget(&old)?;
    }
    Ok((state, remote))
}

/// The library's sync state and where it syncs to, or a plain error when
/// sync is off.
pub fn configured(lib: &Library) -> Result<(SyncState, Target)> {
    let state = lib.sync_state()?.ok_or_else(|| {
        Error::InvalidInput(
            "sync is off: set it up first (`gloss sync setup folder PATH` or `gloss sync setup \
             webdav URL`)"
                .into(),
        )
    })?;
    let target = Target::of(&state)?;
    Ok((state, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_written_before_encryption_still_read() {
        let state_settings = r#"{"transport":"folder","path":"/srv/sync"}"#;
        let target: Target = serde_json::from_str(state_settings).unwrap();
        assert_eq!(
            target,
            Target::Folder {
                path: "/srv/sync".into(),
                encrypted: false
            }
        );
    }

    #[test]
    fn webdav_settings_hold_no_secret_and_round_trip() {
        let target = Target::Webdav {
            url: "https://dav.example.org/gloss".into(),
            user: "ann".into(),
            encrypted: true,
        };
        let settings = target.settings().unwrap();
        assert!(!settings.contains("password"), "{settings}");
        assert_eq!(serde_json::from_str::<Target>(&settings).unwrap(), target);
        assert_eq!(
            target.describe(),
            "WebDAV https://dav.example.org/gloss as ann, encrypted"
        );
    }

    #[test]
    fn secrets_are_filed_by_device_and_never_shown() {
        assert_ne!(password_key("0a1b"), password_key("2c3d"));
        assert_ne!(password_key("0a1b"), passphrase_key("0a1b"));
        let debug = format!(
            "{:?}",
            Secrets {
                password: Some("hunter2".into()),
                passphrase: None
            }
        );
        assert!(!debug.contains("hunter2"), "{debug}");
    }

    #[test]
    fn a_secret_missing_from_the_keyring_says_to_set_up_again() {
        let target = Target::Webdav {
            url: "https://dav.example.org/gloss".into(),
            user: "ann".into(),
            encrypted: false,
        };
        let Err(err) = target.remote("00ffee00deadbeef") else {
            panic!("opened without a password")
        };
        let err = err.to_string();
        assert!(err.contains("not in the system keyring"), "{err}");
        assert!(err.contains("set sync up again"), "{err}");
    }
}
