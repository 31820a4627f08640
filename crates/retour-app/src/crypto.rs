//! Encryption at rest of special-category fields, and hashing of secrets (session cookies, API
//! tokens) before they are stored.
//!
//! Fields are sealed with XChaCha20-Poly1305 under a key ring: every ciphertext names the key
//! that made it (`v2:<key id>:<hex>`) and is bound to its column and row (associated data), so
//! it cannot be moved to another record. The newest key encrypts; every key in the ring
//! decrypts. `v1:` values, written before the ring, were made by the first key without
//! binding; rotation (`crate::keys`) rewrites them.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use retour_store::{RowKey, Sealed};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use crate::{AppError, AppResult};

const LEGACY: &str = "v1:";
const BOUND: &str = "v2:";
const HEADER: &str =
    "# Retour data keys: one per line, \"id hex\". The last line encrypts, every line decrypts;\n\
# the first also derives pseudonyms and audit seals. Back this file up apart from the database.\n";

struct Ring {
    /// In order of addition: the last one encrypts.
    keys: Vec<(String, XChaCha20Poly1305)>,
    /// The first key's bytes, which the derived keys come from.
    first: [u8; 32],
    /// When the file was last read (to notice a key added by `retour keys rotate`).
    read_at: Option<SystemTime>,
}

impl Ring {
    fn parse(text: &str) -> AppResult<Ring> {
        let bad = |why: &str| AppError::Internal(format!("the data keys cannot be read: {why}"));
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .flat_map(|l| l.split(','))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let mut keys = Vec::new();
        let mut first = None;
        for line in &lines {
            let (id, hex_key) = match line.split_once(char::is_whitespace) {
                Some((id, k)) => (id.to_string(), k.trim()),
                // A file written before the ring: its one key is k1.
                None if lines.len() == 1 => ("k1".to_string(), *line),
                None => return Err(bad("each line is a key id and 64 hexadecimal digits")),
            };
            if !valid_id(&id) {
                return Err(bad("a key id is up to 16 lowercase letters and digits"));
            }
            if keys.iter().any(|(k, _)| *k == id) {
                return Err(bad(&format!("key id {id} appears twice")));
            }
            let key = parse_key(hex_key)?;
            first.get_or_insert(key);
            keys.push((id, XChaCha20Poly1305::new((&key).into())));
        }
        let first = first.ok_or_else(|| bad("there is no key"))?;
        Ok(Ring {
            keys,
            first,
            read_at: None,
        })
    }

    fn active(&self) -> &(String, XChaCha20Poly1305) {
        self.keys.last().expect("a ring has a key")
    }

    fn get(&self, id: &str) -> Option<&XChaCha20Poly1305> {
        self.keys.iter().find(|(k, _)| k == id).map(|(_, a)| a)
    }
}

fn valid_id(id: &str) -> bool {
    (1..=16).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// The keys that encrypt sensitive fields. Lose them and those fields are unreadable: back the
/// key file up apart from the database.
#[derive(Clone)]
pub struct FieldCipher {
    ring: Arc<RwLock<Ring>>,
    /// The key file, when the ring came from one (it can then grow and be reread).
    file: Option<Arc<PathBuf>>,
    /// Derived from the first key, for pseudonyms that must not be reversible without it.
    pseudonym_key: [u8; 32],
    /// Derived from the first key: the audit trail's seals and links.
    audit_key: [u8; 32],
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(**)")
    }
}

impl FieldCipher {
    fn from_ring(ring: Ring, file: Option<PathBuf>) -> FieldCipher {
        let mut h = Sha256::new();
        h.update(b"retour pseudonym key v1");
        h.update(ring.first);
        let mut a = Sha256::new();
        a.update(b"retour audit key v1");
        a.update(ring.first);
        FieldCipher {
            ring: Arc::new(RwLock::new(ring)),
            file: file.map(Arc::new),
            pseudonym_key: h.finalize().into(),
            audit_key: a.finalize().into(),
        }
    }

    /// A ring of one key, `k1`.
    pub fn from_key(key: &[u8; 32]) -> FieldCipher {
        FieldCipher::from_ring(
            Ring::parse(&format!("k1 {}", hex::encode(key))).expect("a valid key"),
            None,
        )
    }

    /// The key of the audit trail's seals and links: whoever can write to the database but does
    /// not hold the data key cannot forge them.
    pub fn audit_key(&self) -> [u8; 32] {
        self.audit_key
    }

    /// A pseudonym of `data` (hex): the same for the same data under the same key, and
    /// unlinkable to it without the key. Inputs are fixed-length ids, so a plain keyed hash
    /// suffices.
    pub fn keyed_hash(&self, data: &[u8]) -> String {
        let mut h = Sha256::new();
        h.update(self.pseudonym_key);
        h.update(data);
        hex::encode(h.finalize())
    }

    /// A fresh random key (tests, and the first start of a new installation).
    pub fn random() -> ([u8; 32], FieldCipher) {
        let key = random_key();
        (key, FieldCipher::from_key(&key))
    }

    /// `RETOUR_DATA_KEY` if set (64 hex digits, or `id hex` pairs separated by commas);
    /// otherwise the key file, created (mode 0600) with one key when missing.
    pub fn load(env_key: Option<&str>, key_file: &Path) -> AppResult<FieldCipher> {
        if let Some(text) = env_key.filter(|k| !k.trim().is_empty()) {
            return Ok(FieldCipher::from_ring(Ring::parse(text)?, None));
        }
        match read_ring(key_file) {
            Ok(ring) => Ok(FieldCipher::from_ring(ring, Some(key_file.to_path_buf()))),
            Err(None) => {
                if let Some(dir) = key_file.parent().filter(|d| !d.as_os_str().is_empty()) {
                    let mut builder = std::fs::DirBuilder::new();
                    builder.recursive(true);
                    #[cfg(unix)]
                    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
                    builder.create(dir).map_err(|e| {
                        AppError::Internal(format!("cannot create {}: {e}", dir.display()))
                    })?;
                }
                let text = format!("{HEADER}k1 {}\n", hex::encode(random_key()));
                write_private(key_file, &text, true)?;
                let ring = read_ring(key_file).map_err(|e| {
                    e.unwrap_or_else(|| AppError::Internal("the data key vanished".into()))
                })?;
                Ok(FieldCipher::from_ring(ring, Some(key_file.to_path_buf())))
            }
            Err(Some(e)) => Err(e),
        }
    }

    /// The id of the key that encrypts.
    pub fn active_key(&self) -> String {
        self.ring.read().expect("ring lock").active().0.clone()
    }

    /// Every key id, oldest first.
    pub fn key_ids(&self) -> Vec<String> {
        let ring = self.ring.read().expect("ring lock");
        ring.keys.iter().map(|(k, _)| k.clone()).collect()
    }

    /// How the ciphertexts of key `id` begin.
    pub fn prefix_of(id: &str) -> String {
        format!("{BOUND}{id}:")
    }

    /// How ciphertexts written before the ring begin.
    pub const LEGACY_PREFIX: &'static str = LEGACY;
    /// How every ciphertext of the ring begins.
    pub const BOUND_PREFIX: &'static str = BOUND;

    /// Encrypts `plain` for `column` of `row`, under the active key.
    pub fn encrypt(&self, column: Sealed, row: RowKey, plain: &str) -> String {
        let ring = self.ring.read().expect("ring lock");
        let (id, aead) = ring.active();
        let mut nonce = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut nonce);
        let aad = column.binding(&row);
        let ct = aead
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .expect("encryption of a string cannot fail");
        let mut out = Vec::with_capacity(24 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        format!("{BOUND}{id}:{}", hex::encode(out))
    }

    /// Decrypts a value of `column` of `row`. A value made for another row or column, by a key
    /// not in the ring, or altered, is refused.
    pub fn decrypt(&self, column: Sealed, row: RowKey, stored: &str) -> AppResult<String> {
        let bad = || {
            AppError::Internal(format!(
                "an encrypted value of {}.{} cannot be decrypted with these data keys",
                column.table(),
                column.column()
            ))
        };
        if column.was_clear() && !stored.starts_with(LEGACY) && !stored.starts_with(BOUND) {
            return Ok(stored.to_string());
        }
        if let Some(hex_ct) = stored.strip_prefix(LEGACY) {
            let ring = self.ring.read().expect("ring lock");
            let (nonce, ct) = split(hex_ct).ok_or_else(bad)?;
            let plain = ring.keys[0]
                .1
                .decrypt(XNonce::from_slice(&nonce), ct.as_slice())
                .map_err(|_| bad())?;
            return String::from_utf8(plain).map_err(|_| bad());
        }
        let (id, hex_ct) = stored
            .strip_prefix(BOUND)
            .and_then(|r| r.split_once(':'))
            .ok_or_else(bad)?;
        let known = self.ring.read().expect("ring lock").get(id).is_some();
        if !known {
            // Another process may have added it (a rotation in progress).
            self.reread(true)?;
        }
        let ring = self.ring.read().expect("ring lock");
        let aead = ring.get(id).ok_or_else(bad)?;
        let (nonce, ct) = split(hex_ct).ok_or_else(bad)?;
        let aad = column.binding(&row);
        let plain = aead
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &ct,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }

    /// Rereads the key file if it changed since it was read; returns whether the ring changed.
    /// A file whose first key differs is refused: pseudonyms and seals depend on it.
    pub fn reload(&self) -> AppResult<bool> {
        self.reread(false)
    }

    fn reread(&self, force: bool) -> AppResult<bool> {
        let Some(file) = &self.file else {
            return Ok(false);
        };
        let modified = std::fs::metadata(file.as_path())
            .and_then(|m| m.modified())
            .ok();
        if !force && modified.is_some() && self.ring.read().expect("ring lock").read_at == modified
        {
            return Ok(false);
        }
        let ring = read_ring(file).map_err(|e| {
            e.unwrap_or_else(|| AppError::Internal(format!("{} is missing", file.display())))
        })?;
        let mut current = self.ring.write().expect("ring lock");
        if ring.first != current.first {
            return Err(AppError::Internal(format!(
                "{}: the first key changed; it must stay",
                file.display()
            )));
        }
        let changed = ring.keys.len() != current.keys.len()
            || ring.keys.iter().zip(&current.keys).any(|(a, b)| a.0 != b.0);
        *current = ring;
        Ok(changed)
    }

    /// Adds a new key to the key file and makes it the one that encrypts. Returns its id.
    pub fn add_key(&self) -> AppResult<String> {
        let file = self.key_file()?;
        self.reread(true)?;
        let ids = self.key_ids();
        let next = ids
            .iter()
            .filter_map(|k| k.strip_prefix('k')?.parse::<u32>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        let id = format!("k{next}");
        let text = std::fs::read_to_string(file)
            .map_err(|e| AppError::Internal(format!("cannot read {}: {e}", file.display())))?;
        let text = format!(
            "{}{id} {}\n",
            if text.ends_with('\n') {
                text
            } else {
                text + "\n"
            },
            hex::encode(random_key())
        );
        replace_private(file, &text)?;
        self.reread(true)?;
        Ok(id)
    }

    /// Removes key `id` from the key file (the caller has checked nothing uses it). The first
    /// and the active key stay.
    pub fn remove_key(&self, id: &str) -> AppResult<()> {
        let file = self.key_file()?;
        self.reread(true)?;
        let ids = self.key_ids();
        if ids.first().map(String::as_str) == Some(id) || self.active_key() == id {
            return Err(AppError::Internal(format!("key {id} must stay")));
        }
        let text = std::fs::read_to_string(file)
            .map_err(|e| AppError::Internal(format!("cannot read {}: {e}", file.display())))?;
        let kept: String = text
            .lines()
            .filter(|l| l.split_whitespace().next() != Some(id))
            .map(|l| format!("{l}\n"))
            .collect();
        replace_private(file, &kept)?;
        self.reread(true)?;
        Ok(())
    }

    /// Whether keys can be added and removed here (they live in a file, not the environment).
    pub fn key_file(&self) -> AppResult<&Path> {
        self.file.as_deref().map(PathBuf::as_path).ok_or_else(|| {
            AppError::Internal(
                "the data keys come from RETOUR_DATA_KEY: add or remove keys there".into(),
            )
        })
    }
}

fn split(hex_ct: &str) -> Option<([u8; 24], Vec<u8>)> {
    let bytes = hex::decode(hex_ct).ok()?;
    if bytes.len() < 24 {
        return None;
    }
    let (nonce, ct) = bytes.split_at(24);
    Some((nonce.try_into().ok()?, ct.to_vec()))
}

fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    key
}

/// The ring in `path`; `Err(None)` when there is no file.
fn read_ring(path: &Path) -> Result<Ring, Option<AppError>> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let mut ring = Ring::parse(&text).map_err(Some)?;
            ring.read_at = modified;
            Ok(ring)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(None),
        Err(e) => Err(Some(AppError::Internal(format!(
            "cannot read the data keys {}: {e}",
            path.display()
        )))),
    }
}

fn parse_key(hex_key: &str) -> AppResult<[u8; 32]> {
    let bytes = hex::decode(hex_key)
        .map_err(|_| AppError::Internal("a data key must be 64 hexadecimal digits".into()))?;
    bytes
        .try_into()
        .map_err(|_| AppError::Internal("a data key must be 64 hexadecimal digits".into()))
}

fn write_private(path: &Path, text: &str, new: bool) -> AppResult<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true);
    if new {
        opts.create_new(true);
    } else {
        opts.create(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| {
        AppError::Internal(format!(
            "cannot write the data keys {}: {e}",
            path.display()
        ))
    })?;
    f.write_all(text.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Replaces the key file without ever leaving it half-written: a crash leaves the old or the
/// new ring.
fn replace_private(path: &Path, text: &str) -> AppResult<()> {
    let tmp = path.with_extension("new");
    let _ = std::fs::remove_file(&tmp);
    write_private(&tmp, text, true)?;
    std::fs::rename(&tmp, path)
        .map_err(|e| AppError::Internal(format!("cannot replace {}: {e}", path.display())))
}

/// A new random secret for a cookie or token: 32 bytes as 64 hex digits.
pub fn new_secret() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// What is stored instead of a secret.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn row() -> RowKey {
        RowKey::id(Uuid::now_v7())
    }

    #[test]
    fn values_round_trip_and_ciphertexts_differ() {
        let (_, c) = FieldCipher::random();
        let r = row();
        let a = c.encrypt(Sealed::CaseNote, r, "diabetes type 1");
        let b = c.encrypt(Sealed::CaseNote, r, "diabetes type 1");
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(a.starts_with("v2:k1:"), "{a}");
        assert!(!a.contains("diabetes"));
        assert_eq!(
            c.decrypt(Sealed::CaseNote, r, &a).unwrap(),
            "diabetes type 1"
        );
        let (_, other) = FieldCipher::random();
        assert!(
            other.decrypt(Sealed::CaseNote, r, &a).is_err(),
            "another key cannot read it"
        );
        let mut tampered = a.clone();
        tampered.replace_range(a.len() - 2.., "00");
        assert!(c.decrypt(Sealed::CaseNote, r, &tampered).is_err() || tampered == a);
    }

    #[test]
    fn a_ciphertext_opens_only_in_its_own_row_and_column() {
        let (_, c) = FieldCipher::random();
        let (r1, r2) = (row(), row());
        let a = c.encrypt(Sealed::VulnerabilityEvidence, r1, "shelter De Haven");
        assert!(c.decrypt(Sealed::VulnerabilityEvidence, r2, &a).is_err());
        assert!(c.decrypt(Sealed::VulnerabilitySource, r1, &a).is_err());
        let cp = RowKey::case_person(r1.0, r2.0);
        let g = c.encrypt(Sealed::GuardianName, cp, "Mevr. Peeters");
        assert!(c
            .decrypt(Sealed::GuardianName, RowKey::case_person(r2.0, r1.0), &g)
            .is_err());
        assert_eq!(
            c.decrypt(Sealed::GuardianName, cp, &g).unwrap(),
            "Mevr. Peeters"
        );
    }

    #[test]
    fn the_key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/retour.key");
        let c1 = FieldCipher::load(None, &path).unwrap();
        let c2 = FieldCipher::load(None, &path).unwrap();
        let r = row();
        let x = c1.encrypt(Sealed::CaseNote, r, "x");
        assert_eq!(c2.decrypt(Sealed::CaseNote, r, &x).unwrap(), "x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert!(FieldCipher::load(Some("abc"), &path).is_err());
    }

    #[test]
    fn a_key_file_of_one_bare_key_is_read_as_k1_and_its_old_values_still_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("retour.key");
        let key = random_key();
        std::fs::write(&path, hex::encode(key)).unwrap();
        let c = FieldCipher::load(None, &path).unwrap();
        assert_eq!(c.key_ids(), vec!["k1".to_string()]);
        // A value as the cipher before the ring wrote it: v1, no binding.
        let aead = XChaCha20Poly1305::new((&key).into());
        let nonce = [7u8; 24];
        let ct = aead
            .encrypt(XNonce::from_slice(&nonce), b"old".as_ref())
            .unwrap();
        let old = format!("v1:{}{}", hex::encode(nonce), hex::encode(ct));
        assert_eq!(c.decrypt(Sealed::CaseNote, row(), &old).unwrap(), "old");
        // The derived keys did not change with the file's format.
        assert_eq!(c.audit_key(), FieldCipher::from_key(&key).audit_key());
    }

    #[test]
    fn a_new_key_encrypts_while_the_old_one_still_decrypts_and_other_processes_learn_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("retour.key");
        let server = FieldCipher::load(None, &path).unwrap();
        let cli = FieldCipher::load(None, &path).unwrap();
        let r = row();
        let before = server.encrypt(Sealed::CaseNote, r, "before");
        assert_eq!(cli.add_key().unwrap(), "k2");
        let after = cli.encrypt(Sealed::CaseNote, r, "after");
        assert!(after.starts_with("v2:k2:"));
        // The server has not reread the file: an unknown key id makes it.
        assert_eq!(
            server.decrypt(Sealed::CaseNote, r, &after).unwrap(),
            "after"
        );
        assert_eq!(server.active_key(), "k2");
        assert_eq!(cli.decrypt(Sealed::CaseNote, r, &before).unwrap(), "before");
        assert_eq!(server.audit_key(), cli.audit_key());
        assert!(cli.remove_key("k1").is_err(), "the first key stays");
        assert!(cli.remove_key("k2").is_err(), "the active key stays");
        assert_eq!(cli.add_key().unwrap(), "k3");
        cli.remove_key("k2").unwrap();
        assert_eq!(cli.key_ids(), vec!["k1".to_string(), "k3".to_string()]);
        assert!(
            FieldCipher::from_key(&random_key()).add_key().is_err(),
            "keys from the environment cannot grow here"
        );
    }
}
