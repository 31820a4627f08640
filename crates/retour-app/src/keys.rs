//! The data keys' life: which key each stored value uses, rotation onto a new key while the
//! server runs, and retiring a key nothing uses any more. Operators only (the command line).

use retour_store::{Audit, Reseal, RowKey, Sealed};
use std::time::Duration;

use crate::crypto::FieldCipher;
use crate::{App, AppError, AppResult};

/// How many stored values each key encrypts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyStatus {
    /// Oldest first; the last one encrypts.
    pub keys: Vec<(String, u64)>,
    /// Values written before the key ring (no key id, not bound to their row).
    pub legacy: u64,
    /// Values of columns encrypted since (a vulnerability's source) still in the clear.
    pub clear: u64,
}

impl KeyStatus {
    /// Values not yet under the active key: what a rotation still has to do.
    pub fn pending(&self) -> u64 {
        self.under_older_keys() + self.legacy + self.clear
    }

    /// Values under a key of the ring other than the active one: a rotation was interrupted.
    pub fn under_older_keys(&self) -> u64 {
        self.keys.iter().rev().skip(1).map(|(_, n)| n).sum()
    }
}

/// Why a key cannot be retired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    /// Pseudonyms and audit seals derive from it.
    First,
    /// It encrypts new values.
    Active,
    /// This many values are still encrypted with it.
    InUse(u64),
}

/// What a rotation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rotation {
    pub key: String,
    /// Whether this run added the key (otherwise it finished an earlier, interrupted run).
    pub added: bool,
    pub resealed: u64,
}

impl App {
    /// How many values each key encrypts (scans every encrypted column).
    pub async fn key_status(&self) -> AppResult<KeyStatus> {
        self.cipher.reload()?;
        let ids = self.cipher.key_ids();
        let mut keys: Vec<(String, u64)> = ids.iter().map(|k| (k.clone(), 0)).collect();
        let (mut legacy, mut clear) = (0, 0);
        for column in Sealed::ALL {
            for (id, n) in keys.iter_mut() {
                *n += self
                    .store
                    .count_sealed(column, &FieldCipher::prefix_of(id))
                    .await?;
            }
            legacy += self
                .store
                .count_sealed(column, FieldCipher::LEGACY_PREFIX)
                .await?;
            if column.was_clear() {
                clear += self
                    .store
                    .count_sealed_other(
                        column,
                        &[FieldCipher::LEGACY_PREFIX, FieldCipher::BOUND_PREFIX],
                    )
                    .await?;
            }
        }
        Ok(KeyStatus {
            keys,
            legacy,
            clear,
        })
    }

    /// Re-encrypts every stored value under a new key, `batch` values per write, while the
    /// server goes on. When an earlier run was interrupted (values still under older keys) it
    /// finishes that run instead of adding another key. `settle` is how long running servers
    /// take to notice the new key (they reread the key file every two seconds); values they
    /// wrote meanwhile under the old key are picked up by a last pass. `progress` hears
    /// (done, total).
    pub async fn rotate_keys(
        &self,
        batch: i64,
        settle: Duration,
        mut progress: impl FnMut(u64, u64),
    ) -> AppResult<Rotation> {
        let status = self.key_status().await?;
        let added = status.under_older_keys() == 0;
        let key = if added {
            self.cipher.add_key()?
        } else {
            self.cipher.active_key()
        };
        let total = if added {
            status.keys.iter().map(|(_, n)| n).sum::<u64>() + status.legacy + status.clear
        } else {
            status.pending()
        };
        self.store
            .audit_keys(&Audit::new(None, "keys.rotate").detail(format!(
                "{key} {}: {total} values",
                if added { "added" } else { "resumed" }
            )))
            .await?;
        let mut done = 0;
        progress(0, total);
        let mut settled = false;
        loop {
            let n = self
                .reseal_all(batch, &mut |n| {
                    done += n;
                    progress(done.min(total), total)
                })
                .await?;
            if n == 0 {
                if settled {
                    break;
                }
                tokio::time::sleep(settle).await;
                settled = true;
            }
        }
        self.store
            .audit_keys(
                &Audit::new(None, "keys.rotate")
                    .detail(format!("{key} done: {done} values re-encrypted")),
            )
            .await?;
        Ok(Rotation {
            key,
            added,
            resealed: done,
        })
    }

    /// One pass over every encrypted column; returns how many values were re-encrypted.
    async fn reseal_all(&self, batch: i64, progress: &mut impl FnMut(u64)) -> AppResult<u64> {
        let active = FieldCipher::prefix_of(&self.cipher.active_key());
        let mut total = 0;
        for column in Sealed::ALL {
            let mut after: Option<RowKey> = None;
            loop {
                let values = self
                    .store
                    .sealed_batch(column, after, &active, batch)
                    .await?;
                let Some(last) = values.last() else { break };
                after = Some(last.row);
                let mut out = Vec::with_capacity(values.len());
                for v in &values {
                    let sealed = v.value.starts_with(FieldCipher::LEGACY_PREFIX)
                        || v.value.starts_with(FieldCipher::BOUND_PREFIX);
                    let plain = match (sealed, column.mixed()) {
                        (true, _) => match self.cipher.decrypt(column, v.row, &v.value) {
                            Ok(p) => p,
                            // General text that happens to look like a ciphertext.
                            Err(_) if column.mixed() => continue,
                            Err(e) => {
                                return Err(AppError::Internal(format!(
                                    "{e} (row {}); rotation stopped, nothing was lost",
                                    v.row
                                )))
                            }
                        },
                        (false, true) => continue,
                        (false, false) => v.value.clone(),
                    };
                    out.push(Reseal {
                        row: v.row,
                        old: v.value.clone(),
                        new: self.cipher.encrypt(column, v.row, &plain),
                    });
                }
                let n = self.store.reseal(column, &out).await?;
                total += n;
                progress(n);
                if (values.len() as i64) < batch {
                    break;
                }
            }
        }
        Ok(total)
    }

    /// Removes key `id` from the key file, unless a value still uses it, or it is the first
    /// key (pseudonyms and audit seals derive from it) or the active one.
    pub async fn retire_key(&self, id: &str) -> AppResult<Result<(), Refusal>> {
        let status = self.key_status().await?;
        let Some(position) = status.keys.iter().position(|(k, _)| k == id) else {
            return Ok(Err(Refusal::Unknown));
        };
        if position == 0 {
            return Ok(Err(Refusal::First));
        }
        if position + 1 == status.keys.len() {
            return Ok(Err(Refusal::Active));
        }
        if status.keys[position].1 > 0 {
            return Ok(Err(Refusal::InUse(status.keys[position].1)));
        }
        self.cipher.remove_key(id)?;
        self.store
            .audit_keys(&Audit::new(None, "keys.retire").detail(id.to_string()))
            .await?;
        Ok(Ok(()))
    }

    /// Rereads the key file if it changed (the server, every two seconds, to learn a key added
    /// by a rotation).
    pub fn reload_keys(&self) -> AppResult<bool> {
        self.cipher.reload()
    }
}
