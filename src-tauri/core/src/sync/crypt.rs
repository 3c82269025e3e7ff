//! End-to-end encryption of the shared storage: a [`Remote`] that wraps
//! another and encrypts every file before it leaves the computer, so that
//! the host of a folder or a WebDAV server sees only how many files there
//! are, in which folders, and their sizes.
//!
//! Contents are in the `age` format, so a user can read their own data with
//! the `age` command-line tool and no Gloss (docs/sync.md says how):
//!
//! - [`KEY_FILE`] at the root holds a random age key (an X25519 identity, in
//!   the text form `age-keygen` writes), itself encrypted with the passphrase
//!   (age's scrypt recipient, at age's own work factor: about a second).
//! - Every other file is encrypted to that key.
//!
//! Why a key file rather than the passphrase on every file: scrypt is slow on
//! purpose, and a sync writes and reads many files; with the key, each file
//! costs one X25519 exchange. A guess at the passphrase still costs the full
//! scrypt work, because the key file is the only thing a passphrase opens.
//!
//! Names are encrypted too. The layout names bodies and images by the sha256
//! of their content, and a host that can compute the hash of a known page
//! could otherwise tell that the user saved it. Each part of a path is
//! encrypted deterministically (the same name always gives the same stored
//! name, so that a listing maps back) with a synthetic IV: a 16-byte
//! HMAC-SHA256 of the name is both the tag and the ChaCha20 nonce, and the
//! stored name is the hex of tag and ciphertext. Both keys come from the age
//! key. What still shows: the depth of each path, how many files a folder
//! holds, the lengths of names, sizes, and when files change.
//!
//! A wrong passphrase fails [`Encrypted::open`] with
//! [`RemoteError::WrongPassphrase`] before anything is read. A file that does
//! not decrypt whole (damaged, cut short, or encrypted to another key) is
//! [`RemoteError::Damaged`], never bytes.

use std::io::{Read, Write};

use age::secrecy::{ExposeSecret, SecretString};
use chacha20::cipher::{KeyIvInit, StreamCipher};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::remote::{check_path, listed_path, Remote, RemoteError, RemoteFile};

/// The passphrase-encrypted key, at the root of the shared storage. Its name
/// says what it is, so that a user with only the `age` tool finds it.
pub const KEY_FILE: &str = "gloss-key.age";

/// Bytes of the synthetic IV at the front of each stored name.
const TAG_BYTES: usize = 16;

/// The largest scrypt work factor (log2 of N) accepted in a key file: age's
/// default for decryption. A larger one could be a host making Gloss spend
/// minutes of CPU.
const MAX_WORK_FACTOR: u8 = 22;

type HmacSha256 = Hmac<Sha256>;

/// Another [`Remote`], with every file and name encrypted.
pub struct Encrypted<R> {
    inner: R,
    identity: age::x25519::Identity,
    recipient: age::x25519::Recipient,
    name_mac_key: [u8; 32],
    name_cipher_key: [u8; 32],
}

impl<R> std::fmt::Debug for Encrypted<R> {
    /// Never shows a key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encrypted")
            .field("recipient", &self.recipient.to_string())
            .finish_non_exhaustive()
    }
}

impl<R: Remote> Encrypted<R> {
    /// Opens the encrypted storage in `inner` with `passphrase`.
    ///
    /// When `inner` has a key file, the passphrase must open it
    /// ([`RemoteError::WrongPassphrase`] otherwise). When it has none and holds
    /// nothing else, a new key is made and stored, encrypted with the
    /// passphrase. When it has none but holds files, it is an unencrypted
    /// sync folder and is refused: encrypting it would need every device to
    /// change at once.
    pub fn open(inner: R, passphrase: &str) -> Result<Encrypted<R>, RemoteError> {
        Encrypted::open_with_work_factor(inner, passphrase, None)
    }

    /// [`Encrypted::open`], with the scrypt work factor (log2 of N) of a key
    /// file it makes, instead of age's calibrated one (about a second).
    /// For tests and benchmarks, which make many folders.
    #[doc(hidden)]
    pub fn open_with_work_factor(
        inner: R,
        passphrase: &str,
        work_factor: Option<u8>,
    ) -> Result<Encrypted<R>, RemoteError> {
        if passphrase.is_empty() {
            return Err(RemoteError::Refused(
                "the passphrase is empty; choose one to encrypt the sync folder".into(),
            ));
        }
        let passphrase = SecretString::from(passphrase.to_string());
        let identity = match inner.read(KEY_FILE)? {
            Some(sealed) => unseal_key(&sealed, &passphrase)?,
            None => {
                if !inner.list("")?.is_empty() {
                    return Err(RemoteError::Refused(format!(
                        "{} holds an unencrypted sync library; set up sync there without encryption, or choose an empty folder to start an encrypted one",
                        inner.describe()
                    )));
                }
                let identity = age::x25519::Identity::generate();
                inner.write(
                    KEY_FILE,
                    &seal_key(&identity, passphrase.clone(), work_factor)?,
                )?;
                // Two devices may have set up the same empty folder at once:
                // the key file that stayed is the one every device uses.
                match inner.read(KEY_FILE)? {
                    Some(stored) => unseal_key(&stored, &passphrase)?,
                    None => identity,
                }
            }
        };
        Ok(Encrypted::with_identity(inner, identity))
    }

    fn with_identity(inner: R, identity: age::x25519::Identity) -> Encrypted<R> {
        let secret = identity.to_string();
        let derive = |label: &[u8]| -> [u8; 32] {
            let mut mac = <HmacSha256 as Mac>::new_from_slice(secret.expose_secret().as_bytes())
                .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
            mac.update(label);
            mac.finalize().into_bytes().into()
        };
        Encrypted {
            recipient: identity.to_public(),
            name_mac_key: derive(b"gloss sync: name tags"),
            name_cipher_key: derive(b"gloss sync: name cipher"),
            identity,
            inner,
        }
    }

    /// The wrapped storage.
    pub fn inner(&self) -> &R {
        &self.inner
    }

    /// The stored form of a checked path: each part encrypted.
    fn seal_path(&self, path: &str) -> String {
        path.split('/')
            .map(|part| self.seal_name(part))
            .collect::<Vec<_>>()
            .join("/")
    }

    fn seal_name(&self, name: &str) -> String {
        let tag = self.name_tag(name.as_bytes());
        let mut sealed = name.as_bytes().to_vec();
        self.name_cipher(&tag).apply_keystream(&mut sealed);
        let mut stored = tag.to_vec();
        stored.extend_from_slice(&sealed);
        hex::encode(stored)
    }

    /// The name a stored name stands for, or `None` for a name this key did
    /// not make (the key file, another program's file).
    fn open_name(&self, stored: &str) -> Option<String> {
        let bytes = hex::decode(stored).ok()?;
        if bytes.len() <= TAG_BYTES {
            return None;
        }
        let (tag, sealed) = bytes.split_at(TAG_BYTES);
        let mut name = sealed.to_vec();
        self.name_cipher(tag).apply_keystream(&mut name);
        let expected = self.name_tag(&name);
        // Equal tags mean the name is authentic; the tag is not secret, so a
        // plain comparison leaks nothing.
        if expected.as_slice() != tag {
            return None;
        }
        String::from_utf8(name).ok()
    }

    fn name_tag(&self, name: &[u8]) -> [u8; TAG_BYTES] {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.name_mac_key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(name);
        let full = mac.finalize().into_bytes();
        let mut tag = [0; TAG_BYTES];
        tag.copy_from_slice(&full[..TAG_BYTES]);
        tag
    }

    fn name_cipher(&self, tag: &[u8]) -> chacha20::ChaCha20 {
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(&tag[..12]);
        chacha20::ChaCha20::new(&self.name_cipher_key.into(), &nonce.into())
    }

    fn encrypt(&self, plain: &[u8]) -> Result<Vec<u8>, RemoteError> {
        let failed = |e: &dyn std::fmt::Display| {
            RemoteError::Refused(format!(
                "could not encrypt a sync file: {e}; this is a bug in Gloss, please report it"
            ))
        };
        let recipient: &dyn age::Recipient = &self.recipient;
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(recipient)).map_err(|e| failed(&e))?;
        let mut out = Vec::with_capacity(plain.len() + 256);
        let mut writer = encryptor.wrap_output(&mut out).map_err(|e| failed(&e))?;
        writer.write_all(plain).map_err(|e| failed(&e))?;
        writer.finish().map_err(|e| failed(&e))?;
        Ok(out)
    }

    fn decrypt(&self, path: &str, sealed: &[u8]) -> Result<Vec<u8>, RemoteError> {
        let damaged = || RemoteError::Damaged(path.to_string());
        let decryptor = age::Decryptor::new_buffered(sealed).map_err(|_| damaged())?;
        let identity: &dyn age::Identity = &self.identity;
        let mut reader = decryptor
            .decrypt(std::iter::once(identity))
            .map_err(|_| damaged())?;
        let mut plain = Vec::with_capacity(sealed.len());
        // age checks each 64 KiB chunk and the end marker: a file cut short
        // or altered fails here rather than yielding a part.
        reader.read_to_end(&mut plain).map_err(|_| damaged())?;
        Ok(plain)
    }
}

impl<R: Remote> Remote for Encrypted<R> {
    fn describe(&self) -> String {
        format!("{} (encrypted)", self.inner.describe())
    }

    fn list(&self, dir: &str) -> Result<Vec<RemoteFile>, RemoteError> {
        let stored_dir = if dir.is_empty() {
            String::new()
        } else {
            check_path(dir)?;
            self.seal_path(dir)
        };
        let mut files = Vec::new();
        for file in self.inner.list(&stored_dir)? {
            let stored_name = file.path.rsplit('/').next().unwrap_or(&file.path);
            let Some(name) = self.open_name(stored_name) else {
                continue;
            };
            let Some(path) = listed_path(dir, &name) else {
                continue;
            };
            files.push(RemoteFile {
                path,
                size: file.size,
                version: file.version,
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
        check_path(path)?;
        match self.inner.read(&self.seal_path(path))? {
            Some(sealed) => self.decrypt(path, &sealed).map(Some),
            None => Ok(None),
        }
    }

    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        check_path(path)?;
        let sealed = self.encrypt(bytes)?;
        self.inner.write(&self.seal_path(path), &sealed)
    }

    fn delete(&self, path: &str) -> Result<(), RemoteError> {
        check_path(path)?;
        self.inner.delete(&self.seal_path(path))
    }
}

/// Whether `remote` holds an encrypted sync library (its key file), so that
/// opening it without a passphrase can be refused instead of taking it for
/// an empty folder.
pub fn is_encrypted(remote: &dyn Remote) -> Result<bool, RemoteError> {
    Ok(remote.list("")?.iter().any(|f| f.path == KEY_FILE))
}

/// The key file's content: the identity as `age-keygen` writes it, encrypted
/// with the passphrase.
fn seal_key(
    identity: &age::x25519::Identity,
    passphrase: SecretString,
    work_factor: Option<u8>,
) -> Result<Vec<u8>, RemoteError> {
    let failed = |e: &dyn std::fmt::Display| {
        RemoteError::Refused(format!(
            "could not encrypt the sync key: {e}; this is a bug in Gloss, please report it"
        ))
    };
    let text = format!(
        "# Gloss sync key: decrypt any other file of this folder with `age -d -i KEYFILE`\n# public key: {}\n{}\n",
        identity.to_public(),
        identity.to_string().expose_secret()
    );
    let mut recipient = age::scrypt::Recipient::new(passphrase);
    if let Some(log_n) = work_factor {
        recipient.set_work_factor(log_n);
    }
    let recipient: &dyn age::Recipient = &recipient;
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(recipient)).map_err(|e| failed(&e))?;
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).map_err(|e| failed(&e))?;
    writer.write_all(text.as_bytes()).map_err(|e| failed(&e))?;
    writer.finish().map_err(|e| failed(&e))?;
    Ok(out)
}

/// The identity in a key file, opened with `passphrase`.
fn unseal_key(
    sealed: &[u8],
    passphrase: &SecretString,
) -> Result<age::x25519::Identity, RemoteError> {
    let damaged = || RemoteError::Damaged(KEY_FILE.into());
    let decryptor = age::Decryptor::new_buffered(sealed).map_err(|_| damaged())?;
    let mut identity = age::scrypt::Identity::new(passphrase.clone());
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    let identity: &dyn age::Identity = &identity;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity))
        .map_err(|e| match e {
            age::DecryptError::ExcessiveWork { .. } => RemoteError::Refused(format!(
                "{KEY_FILE} asks for more work to open than Gloss allows; was it made by another program?"
            )),
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                RemoteError::WrongPassphrase
            }
            _ => damaged(),
        })?;
    let mut text = String::new();
    reader.read_to_string(&mut text).map_err(|_| damaged())?;
    let text = SecretString::from(text);
    text.expose_secret()
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("AGE-SECRET-KEY-"))
        .and_then(|line| line.parse::<age::x25519::Identity>().ok())
        .ok_or_else(damaged)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    use super::*;

    /// Shared storage in memory, for the wrapper's own logic.
    #[derive(Default)]
    struct Memory(Mutex<BTreeMap<String, Vec<u8>>>);

    impl Remote for Memory {
        fn describe(&self) -> String {
            "memory".into()
        }
        fn list(&self, dir: &str) -> Result<Vec<RemoteFile>, RemoteError> {
            let prefix = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            let files = self.0.lock().expect("lock");
            Ok(files
                .iter()
                .filter(|(p, _)| p.starts_with(&prefix) && !p[prefix.len()..].contains('/'))
                .map(|(p, b)| RemoteFile {
                    path: p.clone(),
                    size: b.len() as u64,
                    version: None,
                })
                .collect())
        }
        fn read(&self, path: &str) -> Result<Option<Vec<u8>>, RemoteError> {
            Ok(self.0.lock().expect("lock").get(path).cloned())
        }
        fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RemoteError> {
            self.0
                .lock()
                .expect("lock")
                .insert(path.into(), bytes.to_vec());
            Ok(())
        }
        fn delete(&self, path: &str) -> Result<(), RemoteError> {
            self.0.lock().expect("lock").remove(path);
            Ok(())
        }
    }

    fn open(memory: Memory, passphrase: &str) -> Result<Encrypted<Memory>, RemoteError> {
        Encrypted::open_with_work_factor(memory, passphrase, Some(10))
    }

    #[test]
    fn names_are_sealed_per_part_and_open_back() {
        let remote = open(Memory::default(), "pass phrase").expect("opened");
        let names: Vec<String> = (0..2000).map(|i| format!("name-{i}.pack")).collect();
        let mut sealed_names = std::collections::HashSet::new();
        for name in &names {
            let sealed = remote.seal_name(name);
            assert!(check_path(&sealed).is_ok(), "{sealed}");
            assert_eq!(
                sealed,
                remote.seal_name(name),
                "the same name seals the same"
            );
            assert_eq!(remote.open_name(&sealed).as_deref(), Some(name.as_str()));
            assert!(sealed_names.insert(sealed));
        }
        let sealed = remote.seal_path("packs/ab/name-1.pack");
        assert_eq!(sealed.split('/').count(), 3);
        assert!(sealed.starts_with(&remote.seal_name("packs")));
        // A name another key made, an altered one, and the key file do not open.
        let other = open(Memory::default(), "pass phrase").expect("opened");
        assert_eq!(remote.open_name(&other.seal_name("name-1.pack")), None);
        let mut altered = remote.seal_name("name-1.pack").into_bytes();
        let last = altered.len() - 1;
        altered[last] = if altered[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(
            remote.open_name(&String::from_utf8(altered).expect("hex")),
            None
        );
        assert_eq!(remote.open_name(KEY_FILE), None);
    }

    #[test]
    fn files_open_only_with_the_passphrase_and_only_whole() {
        let remote = open(Memory::default(), "pass phrase").expect("opened");
        remote.write("changes/a.ops", b"a change").expect("written");
        assert_eq!(
            remote.read("changes/a.ops").expect("read"),
            Some(b"a change".to_vec())
        );
        assert_eq!(remote.read("changes/b.ops").expect("read"), None);
        assert_eq!(
            remote.list("changes").expect("listed")[0].path,
            "changes/a.ops"
        );
        remote.delete("changes/a.ops").expect("deleted");
        assert!(remote.list("changes").expect("listed").is_empty());
        remote.write("changes/a.ops", b"a change").expect("written");

        let memory = remote.inner;
        let again = open(memory, "pass phrase").expect("reopened");
        assert_eq!(
            again.read("changes/a.ops").expect("read"),
            Some(b"a change".to_vec())
        );
        let memory = again.inner;
        let wrong = open(memory, "pass phrase!").expect_err("refused");
        assert_eq!(wrong, RemoteError::WrongPassphrase);
        assert!(matches!(
            open(Memory::default(), "").expect_err("refused"),
            RemoteError::Refused(_)
        ));
    }
}
