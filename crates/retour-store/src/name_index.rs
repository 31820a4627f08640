//! Keeps `name_keys` in step with the key computation of `retour_domain::names`: a database
//! written before that computation changed (or before the table existed) is re-keyed at start-up.

use time::Date;
use uuid::Uuid;

use crate::db::on_db;
use crate::rows::{insert_keys, KeyValues};
use crate::{Store, StoreResult};

/// The version of the key computation the application writes. Raise it whenever
/// `retour_domain::names::name_keys` changes, so that stored keys are rebuilt.
pub const NAME_KEYS_VERSION: i64 = 1;

const BATCH: i64 = 2000;

type PersonNames = (Uuid, Uuid, String, String, String, String, Date);

impl Store {
    /// Rebuilds every person's search keys when they were computed by an older version; returns
    /// the number of persons re-keyed (0 when the keys were current).
    pub async fn rebuild_name_keys_if_stale(&self) -> StoreResult<u64> {
        let version: i64 = on_db!(self, pool => sqlx::query_scalar("SELECT CAST(version AS BIGINT) FROM name_keys_version WHERE id = 1")
            .fetch_one(pool).await?);
        if version >= NAME_KEYS_VERSION {
            return Ok(0);
        }
        tracing::info!(
            from = version,
            to = NAME_KEYS_VERSION,
            "rebuilding person search keys"
        );
        on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool, &self.write_turn).await?;
            sqlx::query("DELETE FROM name_keys").execute(&mut *tx).await?;
            tx.commit().await?;
        });
        let mut after = Uuid::nil();
        let mut done = 0u64;
        loop {
            let batch: Vec<PersonNames> = on_db!(self, pool => sqlx::query_as(
                "SELECT p.id, p.case_id, c.office, p.family_name, p.given_names, p.other_names, p.birth_date \
                 FROM persons p JOIN cases c ON c.id = p.case_id WHERE p.id > $1 ORDER BY p.id LIMIT $2")
                .bind(after).bind(BATCH).fetch_all(pool).await?);
            let Some(last) = batch.last() else { break };
            after = last.0;
            let mut rows: Vec<KeyValues> = Vec::new();
            for (id, case_id, office, family, given, others, birth) in &batch {
                let others: Vec<String> = serde_json::from_str(others).unwrap_or_default();
                let names = [family.as_str(), given.as_str()]
                    .into_iter()
                    .chain(others.iter().map(String::as_str));
                for key in retour_domain::names::name_keys(names) {
                    rows.push(KeyValues {
                        key,
                        birth_year: birth.year(),
                        person_id: *id,
                        case_id: *case_id,
                        office,
                    });
                }
            }
            on_db!(self, pool => {
                let mut tx = crate::db::begin_write(pool, &self.write_turn).await?;
                insert_keys!(tx, &rows, true)?;
                tx.commit().await?;
            });
            done += batch.len() as u64;
        }
        on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool, &self.write_turn).await?;
            sqlx::query("UPDATE name_keys_version SET version = $1 WHERE id = 1").bind(NAME_KEYS_VERSION).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        tracing::info!(persons = done, "person search keys rebuilt");
        Ok(done)
    }
}
