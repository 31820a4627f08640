//! Encryption at rest of special-category fields (XChaCha20-Poly1305, random nonce per value),
//! and hashing of secrets (session cookies, API tokens) before they are stored.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::path::Path;

use crate::{AppError, AppResult};

const PREFIX: &str = "v1:";

/// The key that encrypts sensitive fields. Lose it and those fields are unreadable: back it up
/// apart from the database.
#[derive(Clone)]
pub struct FieldCipher {
    aead: XChaCha20Poly1305,
    /// Derived from the field key, for pseudonyms that must not be reversible without it.
    pseudonym_key: [u8; 32],
    /// Derived from the field key: the audit trail's seals and links.
    audit_key: [u8; 32],
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(**)")
    }
}

impl FieldCipher {
    pub fn from_key(key: &[u8; 32]) -> FieldCipher {
        let mut h = Sha256::new();
        h.update(b"retour pseudonym key v1");
        h.update(key);
        let mut a = Sha256::new();
        a.update(b"retour audit key v1");
        a.update(key);
        FieldCipher {
            aead: XChaCha20Poly1305::new(key.into()),
            pseudonym_key: h.finalize().into(),
            audit_key: a.finalize().into(),
        }
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
        let mut key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        (key, FieldCipher::from_key(&key))
    }

    /// `RETOUR_DATA_KEY` (64 hex digits) if set; otherwise the key file, created (mode 0600) when missing.
    pub fn load(env_key: Option<&str>, key_file: &Path) -> AppResult<FieldCipher> {
        if let Some(hex_key) = env_key.filter(|k| !k.is_empty()) {
            return parse_key(hex_key.trim()).map(|k| FieldCipher::from_key(&k));
        }
        match std::fs::read_to_string(key_file) {
            Ok(text) => parse_key(text.trim()).map(|k| FieldCipher::from_key(&k)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let (key, cipher) = FieldCipher::random();
                if let Some(dir) = key_file.parent().filter(|d| !d.as_os_str().is_empty()) {
                    let mut builder = std::fs::DirBuilder::new();
                    builder.recursive(true);
                    #[cfg(unix)]
                    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
                    builder.create(dir).map_err(|e| {
                        AppError::Internal(format!("cannot create {}: {e}", dir.display()))
                    })?;
                }
                write_private(key_file, &hex::encode(key))?;
                Ok(cipher)
            }
            Err(e) => Err(AppError::Internal(format!(
                "cannot read the data key {}: {e}",
                key_file.display()
            ))),
        }
    }

    pub fn encrypt(&self, plain: &str) -> String {
        let mut nonce = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = self
            .aead
            .encrypt(XNonce::from_slice(&nonce), plain.as_bytes())
            .expect("encryption of a string cannot fail");
        let mut out = Vec::with_capacity(24 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        format!("{PREFIX}{}", hex::encode(out))
    }

    pub fn decrypt(&self, stored: &str) -> AppResult<String> {
        let bad = || {
            AppError::Internal("an encrypted field cannot be decrypted with this data key".into())
        };
        let bytes = hex::decode(stored.strip_prefix(PREFIX).ok_or_else(bad)?).map_err(|_| bad())?;
        if bytes.len() < 24 {
            return Err(bad());
        }
        let (nonce, ct) = bytes.split_at(24);
        let plain = self
            .aead
            .decrypt(XNonce::from_slice(nonce), ct)
            .map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }
}

fn parse_key(hex_key: &str) -> AppResult<[u8; 32]> {
    let bytes = hex::decode(hex_key)
        .map_err(|_| AppError::Internal("the data key must be 64 hexadecimal digits".into()))?;
    bytes
        .try_into()
        .map_err(|_| AppError::Internal("the data key must be 64 hexadecimal digits".into()))
}

fn write_private(path: &Path, text: &str) -> AppResult<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| {
        AppError::Internal(format!(
            "cannot create the data key {}: {e}",
            path.display()
        ))
    })?;
    f.write_all(text.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| AppError::Internal(e.to_string()))
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

    #[test]
    fn values_round_trip_and_ciphertexts_differ() {
        let (_, c) = FieldCipher::random();
        let a = c.encrypt("diabetes type 1");
        let b = c.encrypt("diabetes type 1");
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.contains("diabetes"));
        assert_eq!(c.decrypt(&a).unwrap(), "diabetes type 1");
        let (_, other) = FieldCipher::random();
        assert!(other.decrypt(&a).is_err(), "another key cannot read it");
        let mut tampered = a.clone();
        tampered.replace_range(a.len() - 2.., "00");
        assert!(c.decrypt(&tampered).is_err() || tampered == a);
    }

    #[test]
    fn the_key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/retour.key");
        let c1 = FieldCipher::load(None, &path).unwrap();
        let c2 = FieldCipher::load(None, &path).unwrap();
        assert_eq!(c2.decrypt(&c1.encrypt("x")).unwrap(), "x");
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
}
