//! Bulk loading of many households (demo populations, benchmarks, migrations from other tools).
//! Multi-row `INSERT`s, one transaction per batch: statement count is what costs here.

use retour_domain::lifecycle::Status;
use retour_domain::{CaseReference, Household};
use uuid::Uuid;

use crate::cases::now;
use crate::db::on_db;
use crate::rows::{
    bind_person, bump_count, insert_keys, key_rows, placeholders, to_json, PersonValues,
    PERSON_INSERT_ARITY, PERSON_INSERT_COLUMNS,
};
use crate::{Store, StoreResult};

pub struct NewBulkCase {
    pub household: Household,
    pub status: Status,
    pub counsellor_id: Option<Uuid>,
}

const CASE_ARITY: usize = 15;
/// Rows per statement, kept under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
pub(crate) const MAX_PARAMS: usize = 30_000;

/// When a bulk insert writes the search keys of its persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKeys {
    Now,
    Later,
}

impl Store {
    /// Inserts the households as cases of `year` in one transaction, with consecutive references.
    /// With [`NameKeys::Later`] their search keys are left for [`Store::rebuild_name_keys_if_stale`]
    /// (marked stale in the same transaction): millions of random index entries cost far more
    /// one batch at a time than built sorted once.
    /// Each case gets its initial transition into `intake`, recorded for `actor`.
    pub async fn insert_cases_bulk(
        &self,
        cases: &[NewBulkCase],
        year: i32,
        actor: Uuid,
        keys: NameKeys,
    ) -> StoreResult<()> {
        if cases.is_empty() {
            return Ok(());
        }
        let at = now();
        let ids: Vec<Uuid> = cases.iter().map(|_| Uuid::now_v7()).collect();
        let persons: Vec<PersonValues> = cases
            .iter()
            .zip(&ids)
            .flat_map(|(c, id)| {
                c.household
                    .members
                    .iter()
                    .enumerate()
                    .map(move |(i, m)| PersonValues::new(*id, i, m))
            })
            .collect();
        let names: Vec<_> = if keys == NameKeys::Later {
            Vec::new()
        } else {
            cases
                .iter()
                .flat_map(|c| key_rows(&c.household.office, &c.household.members))
                .collect()
        };
        let mut counts: std::collections::BTreeMap<(&str, &str), i64> = Default::default();
        for c in cases {
            *counts
                .entry((c.household.office.as_str(), c.status.as_str()))
                .or_default() += 1;
        }
        let history: Vec<String> = cases
            .iter()
            .map(|c| to_json(&c.household.asylum_history))
            .collect();
        let numbered = self.numbered();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let last: i64 = sqlx::query_scalar(
                "INSERT INTO case_reference_counters (year, last_number) VALUES ($1, $2) \
                 ON CONFLICT (year) DO UPDATE SET last_number = case_reference_counters.last_number + $2 RETURNING last_number",
            )
            .bind(year)
            .bind(cases.len() as i64)
            .fetch_one(&mut *tx)
            .await?;
            let first = last - cases.len() as i64 + 1;
            let refs: Vec<String> = (0..cases.len())
                .map(|i| CaseReference { year, number: (first + i as i64) as u32 }.to_string())
                .collect();
            let per = MAX_PARAMS / CASE_ARITY;
            for (chunk_no, chunk) in cases.chunks(per).enumerate() {
                let base = chunk_no * per;
                let sql = format!(
                    "INSERT INTO cases (id, reference, status, version, destination_country, destination_place, location_kind, \
                     location_name, office, counsellor_id, application_date, planned_departure_date, asylum_history, created_at, updated_at) VALUES {}",
                    placeholders(chunk.len(), CASE_ARITY, self.numbered())
                );
                let mut q = sqlx::query(&sql);
                for (i, c) in chunk.iter().enumerate() {
                    let h = &c.household;
                    q = q
                        .bind(ids[base + i])
                        .bind(&refs[base + i])
                        .bind(c.status.as_str())
                        .bind(1_i64)
                        .bind(h.destination_country.as_str())
                        .bind(&h.destination_place)
                        .bind(h.location_kind.as_str())
                        .bind(&h.location_name)
                        .bind(&h.office)
                        .bind(c.counsellor_id)
                        .bind(h.application_date)
                        .bind(h.planned_departure_date)
                        .bind(&history[base + i])
                        .bind(at)
                        .bind(at);
                }
                q.execute(&mut *tx).await?;
            }
            for chunk in persons.chunks(MAX_PARAMS / PERSON_INSERT_ARITY) {
                let sql = format!("INSERT INTO persons ({PERSON_INSERT_COLUMNS}) VALUES {}", placeholders(chunk.len(), PERSON_INSERT_ARITY, self.numbered()));
                let mut q = sqlx::query(&sql);
                for v in chunk {
                    q = bind_person!(q, v);
                }
                q.execute(&mut *tx).await?;
            }
            for chunk in ids.chunks(MAX_PARAMS / 7) {
                // One placeholder set per row: (id, case_id, to_status, actor, at, reason) with from NULL.
                let sql = format!(
                    "INSERT INTO case_transitions (id, case_id, from_status, to_status, actor_id, at, reason) VALUES {}",
                    placeholders(chunk.len(), 7, numbered)
                );
                let mut q = sqlx::query(&sql);
                for id in chunk {
                    q = q.bind(Uuid::now_v7()).bind(*id).bind(None::<&str>).bind(Status::Intake.as_str()).bind(actor).bind(at).bind("bulk load");
                }
                q.execute(&mut *tx).await?;
            }
            match keys {
                NameKeys::Now => insert_keys!(tx, &names, numbered)?,
                NameKeys::Later => {
                    sqlx::query("UPDATE name_keys_version SET version = 0 WHERE id = 1").execute(&mut *tx).await?;
                }
            }
            for ((office, status), n) in &counts {
                bump_count!(&mut *tx, office, status, *n)?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
