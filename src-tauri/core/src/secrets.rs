//! Secrets (WebDAV passwords, feed-account passwords and API keys, sync
//! passphrases) in the operating system's keyring, never in the library, a
//! plain file, a log, an error message or `--json` output.
//!
//! Where each platform keeps them:
//! - macOS: the login Keychain; Windows: the Credential Manager (both through
//!   the `keyring` crate).
//! - Linux: the Secret Service (GNOME Keyring, KWallet) when a session bus
//!   answers, else the kernel's key store (keyutils), so that Gloss works
//!   headless, over SSH and in tests. The kernel keeps the key in the user's
//!   keyring, linked into the user's persistent keyring when the kernel has
//!   one: it survives the programs that use it and, depending on the
//!   system's settings, lasts a few days without a login; after that Gloss
//!   asks for the password again ([`load`] answers `None`).
//!
//! A secret is named by a key such as `sync:<library id>` or `account:<id>`;
//! every key lives under the service name [`SERVICE`].

use crate::{Error, Result};

/// The service name every secret of Gloss is filed under.
pub const SERVICE: &str = "org.glossreader.gloss";

/// Keeps `secret` under `key`, replacing what was there.
pub fn store(key: &str, secret: &str) -> Result<()> {
    check_key(key)?;
    if secret.is_empty() {
        return Err(Error::InvalidInput(
            "an empty password or passphrase cannot be kept".into(),
        ));
    }
    platform::store(key, secret)
}

/// The secret kept under `key`, or `None` when there is none.
pub fn load(key: &str) -> Result<Option<String>> {
    check_key(key)?;
    platform::load(key)
}

/// Removes the secret kept under `key`; removing a secret that is not there
/// is not an error.
pub fn forget(key: &str) -> Result<()> {
    check_key(key)?;
    platform::forget(key)
}

fn check_key(key: &str) -> Result<()> {
    let fine = !key.is_empty()
        && key.len() <= 200
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'));
    if fine {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "{key:?} is not a name for a secret (letters, digits and : - _ . only)"
        )))
    }
}

fn keyring_error(doing: &str, e: keyring::Error) -> Error {
    Error::Io {
        context: format!("{doing} in the system keyring"),
        source: std::io::Error::other(e.to_string()),
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    use super::{keyring_error, SERVICE};
    use crate::Result;

    fn entry(key: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, key).map_err(|e| keyring_error("naming a secret", e))
    }

    pub fn store(key: &str, secret: &str) -> Result<()> {
        entry(key)?
            .set_password(secret)
            .map_err(|e| keyring_error("keeping a secret", e))
    }

    pub fn load(key: &str) -> Result<Option<String>> {
        match entry(key)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error("reading a secret", e)),
        }
    }

    pub fn forget(key: &str) -> Result<()> {
        match entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error("removing a secret", e)),
        }
    }
}

#[cfg(target_os = "linux")]
mod platform {
    //! The Secret Service first; the kernel's key store when no session bus
    //! answers. A secret is looked up in both, so one kept while the Secret
    //! Service was away is still found when it comes back.

    use keyring::credential::CredentialApi;
    use keyring::secret_service::SsCredential;
    use linux_keyutils::{KeyError, KeyRing, KeyRingIdentifier};

    use super::{keyring_error, SERVICE};
    use crate::{Error, Result};

    /// The Secret Service's credential for `key`, or `None` when no Secret
    /// Service runs (no session bus, or nothing answers on it).
    fn secret_service(key: &str) -> Option<SsCredential> {
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS")?;
        let credential = SsCredential::new_with_target(None, SERVICE, key).ok()?;
        match credential.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Some(credential),
            Err(_) => None,
        }
    }

    fn description(key: &str) -> String {
        format!("{SERVICE}:{key}")
    }

    fn kernel_error(doing: &str, e: KeyError) -> Error {
        Error::Io {
            context: format!("{doing} in the kernel's key store"),
            source: std::io::Error::other(format!("{e:?}")),
        }
    }

    fn user_keyring() -> Result<KeyRing> {
        KeyRing::from_special_id(KeyRingIdentifier::User, true)
            .map_err(|e| kernel_error("opening the user's keyring", e))
    }

    pub fn store(key: &str, secret: &str) -> Result<()> {
        if let Some(credential) = secret_service(key) {
            return credential
                .set_password(secret)
                .map_err(|e| keyring_error("keeping a secret", e));
        }
        let user = user_keyring()?;
        let stored = user
            .add_key(&description(key), secret.as_bytes())
            .map_err(|e| kernel_error("keeping a secret", e))?;
        // Best effort: the persistent keyring outlives the user's last
        // process; a kernel without it still keeps the key in the user's.
        if let Ok(persistent) = KeyRing::get_persistent(KeyRingIdentifier::User) {
            let _ = persistent.link_key(stored);
        }
        Ok(())
    }

    pub fn load(key: &str) -> Result<Option<String>> {
        if let Some(credential) = secret_service(key) {
            match credential.get_password() {
                Ok(secret) => return Ok(Some(secret)),
                Err(keyring::Error::NoEntry) => {}
                Err(e) => return Err(keyring_error("reading a secret", e)),
            }
        }
        let user = user_keyring()?;
        let found = match user.search(&description(key)) {
            Ok(found) => found,
            // A key `forget` revoked stays findable until the kernel
            // collects it: it is gone all the same.
            Err(KeyError::KeyDoesNotExist | KeyError::KeyRevoked | KeyError::KeyExpired) => {
                // Not in the user's keyring: perhaps only in the persistent one.
                match KeyRing::get_persistent(KeyRingIdentifier::User)
                    .and_then(|persistent| persistent.search(&description(key)))
                {
                    Ok(found) => found,
                    Err(_) => return Ok(None),
                }
            }
            Err(e) => return Err(kernel_error("reading a secret", e)),
        };
        let bytes = match found.read_to_vec() {
            Ok(bytes) => bytes,
            Err(KeyError::KeyRevoked | KeyError::KeyExpired) => return Ok(None),
            Err(e) => return Err(kernel_error("reading a secret", e)),
        };
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| Error::InvalidInput(format!("the secret kept as {key} is not text")))
    }

    pub fn forget(key: &str) -> Result<()> {
        if let Some(credential) = secret_service(key) {
            match credential.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(e) => return Err(keyring_error("removing a secret", e)),
            }
        }
        let rings = [
            user_keyring().ok(),
            KeyRing::get_persistent(KeyRingIdentifier::User).ok(),
        ];
        for ring in rings.into_iter().flatten() {
            while let Ok(found) = ring.search(&description(key)) {
                if ring.unlink_key(found).is_err() {
                    // Not linked from this ring (found through another):
                    // revoking it ends it everywhere.
                    found
                        .invalidate()
                        .map_err(|e| kernel_error("removing a secret", e))?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key of its own per test run, so that runs side by side never meet.
    fn test_key(name: &str) -> String {
        format!("test:{name}:{}", std::process::id())
    }

    #[test]
    fn a_secret_is_kept_read_replaced_and_forgotten() {
        let key = test_key("round-trip");
        assert_eq!(load(&key).unwrap(), None);
        store(&key, "correct horse battery staple").unwrap();
        assert_eq!(
            load(&key).unwrap().as_deref(),
            Some("correct horse battery staple")
        );
        store(&key, "a newer one").unwrap();
        assert_eq!(load(&key).unwrap().as_deref(), Some("a newer one"));
        forget(&key).unwrap();
        assert_eq!(load(&key).unwrap(), None);
        // Forgetting what is not there is fine.
        forget(&key).unwrap();
    }

    #[test]
    fn bad_names_and_empty_secrets_are_refused() {
        assert!(store("", "x").is_err());
        assert!(store("has space", "x").is_err());
        assert!(store("../etc", "x").is_err());
        assert!(store(&test_key("empty"), "").is_err());
    }
}
