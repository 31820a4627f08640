//! The columns the application encrypts, and what key rotation needs of them.
//!
//! Every ciphertext is bound to its column and its row (the application uses [`Sealed::binding`]
//! as associated data), so a value copied to another row or column no longer opens. Rotation
//! walks each column in key order, a batch per statement, and replaces a value only if it is
//! still the one it read: a write made meanwhile by the running server is never overwritten.

use uuid::Uuid;

use crate::audit::insert_audit;
use crate::db::on_db;
use crate::writer::in_write;
use crate::{Audit, Store, StoreResult};

/// An encrypted column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sealed {
    CaseNote,
    ClosureNote,
    VisitObserved,
    VisitServices,
    BestInterestsNames,
    BestInterestsSummary,
    BestInterestsConclusion,
    GuardianName,
    GuardianOrganisation,
    ReceptionDescription,
    VulnerabilitySource,
    VulnerabilityEvidence,
    MedicalNeedLabel,
    CorrectionBefore,
    CorrectionAfter,
    MfaSecret,
    BreakGlassReason,
}

/// How a table's rows are named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Id,
    CasePerson,
}

impl Sealed {
    pub const ALL: [Sealed; 17] = [
        Sealed::CaseNote,
        Sealed::ClosureNote,
        Sealed::VisitObserved,
        Sealed::VisitServices,
        Sealed::BestInterestsNames,
        Sealed::BestInterestsSummary,
        Sealed::BestInterestsConclusion,
        Sealed::GuardianName,
        Sealed::GuardianOrganisation,
        Sealed::ReceptionDescription,
        Sealed::VulnerabilitySource,
        Sealed::VulnerabilityEvidence,
        Sealed::MedicalNeedLabel,
        Sealed::CorrectionBefore,
        Sealed::CorrectionAfter,
        Sealed::MfaSecret,
        Sealed::BreakGlassReason,
    ];

    pub fn table(self) -> &'static str {
        match self {
            Sealed::CaseNote => "case_notes",
            Sealed::ClosureNote => "cases",
            Sealed::VisitObserved | Sealed::VisitServices => "followups",
            Sealed::BestInterestsNames
            | Sealed::BestInterestsSummary
            | Sealed::BestInterestsConclusion => "best_interests",
            Sealed::GuardianName | Sealed::GuardianOrganisation => "guardians",
            Sealed::ReceptionDescription => "reception_checks",
            Sealed::VulnerabilitySource | Sealed::VulnerabilityEvidence => "vulnerabilities",
            Sealed::MedicalNeedLabel => "medical_needs",
            Sealed::CorrectionBefore | Sealed::CorrectionAfter => "corrections",
            Sealed::MfaSecret => "user_mfa",
            Sealed::BreakGlassReason => "break_glass",
        }
    }

    pub fn column(self) -> &'static str {
        match self {
            Sealed::CaseNote => "body",
            Sealed::ClosureNote => "outcome_note",
            Sealed::VisitObserved => "observed",
            Sealed::VisitServices => "services_in_progress",
            Sealed::BestInterestsNames => "consulted_names",
            Sealed::BestInterestsSummary => "summary",
            Sealed::BestInterestsConclusion => "conclusion",
            Sealed::GuardianName => "name",
            Sealed::GuardianOrganisation => "organisation",
            Sealed::ReceptionDescription => "description",
            Sealed::VulnerabilitySource => "source",
            Sealed::VulnerabilityEvidence => "evidence",
            Sealed::MedicalNeedLabel => "label",
            Sealed::CorrectionBefore => "before",
            Sealed::CorrectionAfter => "after",
            Sealed::MfaSecret => "secret",
            Sealed::BreakGlassReason => "reason",
        }
    }

    fn key(self) -> Key {
        match self {
            Sealed::BestInterestsNames
            | Sealed::BestInterestsSummary
            | Sealed::BestInterestsConclusion
            | Sealed::GuardianName
            | Sealed::GuardianOrganisation
            | Sealed::ReceptionDescription => Key::CasePerson,
            _ => Key::Id,
        }
    }

    /// Columns that also hold general text in the clear (a general note, a correction of a
    /// general fact): rotation leaves their clear values alone.
    pub fn mixed(self) -> bool {
        matches!(
            self,
            Sealed::CaseNote | Sealed::CorrectionBefore | Sealed::CorrectionAfter
        )
    }

    /// Columns written in the clear before they were encrypted: a clear value is read as it is
    /// until rotation encrypts it.
    pub fn was_clear(self) -> bool {
        matches!(self, Sealed::VulnerabilitySource)
    }

    /// What a ciphertext of this column in row `row` is bound to.
    pub fn binding(self, row: &RowKey) -> String {
        format!("retour/{}.{}/{row}", self.table(), self.column())
    }

    fn key_columns(self) -> &'static str {
        match self.key() {
            Key::Id => "id",
            Key::CasePerson => "case_id, person_id",
        }
    }
}

/// The row a value lives in: its id, or its case and person for per-person records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowKey(pub Uuid, pub Option<Uuid>);

impl RowKey {
    pub fn id(id: Uuid) -> RowKey {
        RowKey(id, None)
    }
    pub fn case_person(case_id: Uuid, person_id: Uuid) -> RowKey {
        RowKey(case_id, Some(person_id))
    }
}

impl std::fmt::Display for RowKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.1 {
            None => write!(f, "{}", self.0),
            Some(p) => write!(f, "{}/{p}", self.0),
        }
    }
}

/// A stored value and its row.
#[derive(Clone, Debug)]
pub struct SealedValue {
    pub row: RowKey,
    pub value: String,
}

/// A value to replace, if it is still `old`.
#[derive(Clone, Debug)]
pub struct Reseal {
    pub row: RowKey,
    pub old: String,
    pub new: String,
}

impl Store {
    /// Up to `limit` non-empty values of `column` after `after` in key order, other than those
    /// starting with `current` (the prefix of the active key's ciphertexts).
    pub async fn sealed_batch(
        &self,
        column: Sealed,
        after: Option<RowKey>,
        current: &str,
        limit: i64,
    ) -> StoreResult<Vec<SealedValue>> {
        let (table, col, keys) = (column.table(), column.column(), column.key_columns());
        let like = format!("{current}%");
        let rows: Vec<(Uuid, Option<Uuid>, String)> = match (column.key(), after) {
            (Key::Id, None) => {
                let sql = format!(
                    "SELECT id, NULL, {col} FROM {table} WHERE {col} <> '' AND {col} NOT LIKE $1 \
                     ORDER BY id LIMIT $2"
                );
                on_db!(self, pool => sqlx::query_as(&sql)
                    .bind(&like).bind(limit).fetch_all(pool).await?)
            }
            // Separate statements for the first and later batches: a plan for `$2 IS NULL OR
            // id > $2` cannot seek the index.
            (Key::Id, Some(k)) => {
                let sql = format!(
                    "SELECT id, NULL, {col} FROM {table} WHERE {col} <> '' AND {col} NOT LIKE $1 \
                     AND id > $2 ORDER BY id LIMIT $3"
                );
                on_db!(self, pool => sqlx::query_as(&sql)
                    .bind(&like).bind(k.0).bind(limit).fetch_all(pool).await?)
            }
            (Key::CasePerson, None) => {
                let sql = format!(
                    "SELECT {keys}, {col} FROM {table} WHERE {col} <> '' AND {col} NOT LIKE $1 \
                     ORDER BY {keys} LIMIT $2"
                );
                on_db!(self, pool => sqlx::query_as(&sql)
                    .bind(&like).bind(limit).fetch_all(pool).await?)
            }
            (Key::CasePerson, Some(k)) => {
                let sql = format!(
                    "SELECT {keys}, {col} FROM {table} WHERE {col} <> '' AND {col} NOT LIKE $1 \
                     AND (case_id > $2 OR (case_id = $2 AND person_id > $3)) \
                     ORDER BY {keys} LIMIT $4"
                );
                on_db!(self, pool => sqlx::query_as(&sql)
                    .bind(&like).bind(k.0).bind(k.1).bind(limit).fetch_all(pool).await?)
            }
        };
        Ok(rows
            .into_iter()
            .map(|(a, b, value)| SealedValue {
                row: RowKey(a, b),
                value,
            })
            .collect())
    }

    /// Replaces each value that is still the one read, in one write transaction; returns how
    /// many were replaced.
    pub async fn reseal(&self, column: Sealed, values: &[Reseal]) -> StoreResult<u64> {
        if values.is_empty() {
            return Ok(0);
        }
        let (table, col) = (column.table(), column.column());
        let numbered = self.numbered();
        // One statement per chunk, the new and old values joined in as a VALUES list (its
        // columns are called column1.. on both backends).
        let chunk_sql = |n: usize| match column.key() {
            Key::Id => format!(
                "UPDATE {table} SET {col} = v.column2 FROM (VALUES {}) AS v \
                 WHERE {table}.id = v.column1 AND {table}.{col} = v.column3",
                crate::rows::placeholders(n, 3, numbered)
            ),
            Key::CasePerson => format!(
                "UPDATE {table} SET {col} = v.column2 FROM (VALUES {}) AS v \
                 WHERE {table}.case_id = v.column1 AND {table}.person_id = v.column4 \
                 AND {table}.{col} = v.column3",
                crate::rows::placeholders(n, 4, numbered)
            ),
        };
        Ok(in_write!(self, tx => {
            let mut changed = 0;
            for chunk in values.chunks(500) {
                let sql = chunk_sql(chunk.len());
                let mut q = sqlx::query(&sql);
                for v in chunk {
                    q = q.bind(v.row.0).bind(&v.new).bind(&v.old);
                    if column.key() == Key::CasePerson {
                        q = q.bind(v.row.1);
                    }
                }
                changed += q.execute(&mut *tx).await?.rows_affected();
            }
            changed
        }))
    }

    /// How many values of `column` start with `prefix` (a full scan: for the keys command).
    pub async fn count_sealed(&self, column: Sealed, prefix: &str) -> StoreResult<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM {} WHERE {} LIKE $1",
            column.table(),
            column.column()
        );
        let (n,): (i64,) = on_db!(self, pool => sqlx::query_as(&sql)
            .bind(format!("{prefix}%")).fetch_one(pool).await?);
        Ok(n as u64)
    }

    /// How many non-empty values of `column` start with none of `prefixes`.
    pub async fn count_sealed_other(&self, column: Sealed, prefixes: &[&str]) -> StoreResult<u64> {
        let mut sql = format!(
            "SELECT COUNT(*) FROM {} WHERE {c} IS NOT NULL AND {c} <> ''",
            column.table(),
            c = column.column()
        );
        for i in 0..prefixes.len() {
            sql.push_str(&format!(" AND {} NOT LIKE ${}", column.column(), i + 1));
        }
        let (n,): (i64,) = on_db!(self, pool => {
            let mut q = sqlx::query_as(&sql);
            for p in prefixes {
                q = q.bind(format!("{p}%"));
            }
            q.fetch_one(pool).await?
        });
        Ok(n as u64)
    }

    /// Benchmarks: gives every case a closing note, `encrypt(case id)`, 1,000 per statement.
    pub async fn bench_fill_closure_notes(
        &self,
        encrypt: impl Fn(Uuid) -> String,
        mut progress: impl FnMut(u64),
    ) -> StoreResult<u64> {
        let mut after = Uuid::nil();
        let mut done = 0;
        loop {
            let ids: Vec<(Uuid,)> = on_db!(self, pool => sqlx::query_as(
                "SELECT id FROM cases WHERE id > $1 ORDER BY id LIMIT 1000",
            )
            .bind(after)
            .fetch_all(pool)
            .await?);
            let Some(last) = ids.last() else {
                return Ok(done);
            };
            after = last.0;
            let sql = format!(
                "UPDATE cases SET outcome_note = v.column2 FROM (VALUES {}) AS v \
                 WHERE cases.id = v.column1",
                crate::rows::placeholders(ids.len(), 2, self.numbered())
            );
            let notes: Vec<(Uuid, String)> = ids.iter().map(|(id,)| (*id, encrypt(*id))).collect();
            in_write!(self, tx => {
                let mut q = sqlx::query(&sql);
                for (id, note) in &notes {
                    q = q.bind(*id).bind(note);
                }
                q.execute(&mut *tx).await?;
            });
            done += ids.len() as u64;
            progress(done);
        }
    }

    /// Writes a key operation to the audit trail.
    pub async fn audit_keys(&self, audit: &Audit) -> StoreResult<()> {
        let at = time::OffsetDateTime::now_utc();
        in_write!(self, tx => {
            insert_audit!(self, &mut *tx, audit, None, at)?;
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The data-protection officer's page lists exactly the columns that are encrypted.
    #[test]
    fn the_data_protection_page_lists_every_encrypted_column_and_no_other() {
        let page = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/data-protection.md"
        ))
        .expect("docs/data-protection.md");
        let section = page
            .split("## Encryption at rest and the data keys")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("the encryption section");
        let listed: Vec<&str> = section
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .collect();
        let encrypted: Vec<String> = Sealed::ALL
            .iter()
            .map(|c| format!("{}.{}", c.table(), c.column()))
            .collect();
        assert_eq!(listed, encrypted);
    }

    #[test]
    fn a_binding_names_table_column_and_row() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(
            Sealed::GuardianName.binding(&RowKey::case_person(a, b)),
            format!("retour/guardians.name/{a}/{b}")
        );
        let all: std::collections::HashSet<String> = Sealed::ALL
            .iter()
            .map(|c| c.binding(&RowKey::id(a)))
            .collect();
        assert_eq!(
            all.len(),
            Sealed::ALL.len(),
            "no two columns share a binding"
        );
    }
}
