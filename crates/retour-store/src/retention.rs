//! Retention: the ended cases whose details are due for erasure, and the erasures themselves,
//! each one write with its audit record (see `retour_app::retention` for the rules).

use time::Date;
use uuid::Uuid;

use crate::cases::now;
use crate::db::on_db;
use crate::script::{Script, ScriptError};
use crate::{Audit, Store, StoreError, StoreResult};

/// A category of an ended case's details, erased on its own schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    Notes,
    Identity,
    Proofs,
}

impl Erasure {
    pub const ALL: [Erasure; 3] = [Erasure::Notes, Erasure::Identity, Erasure::Proofs];

    fn column(self) -> &'static str {
        match self {
            Erasure::Notes => "notes_erased_on",
            Erasure::Identity => "identity_erased_on",
            Erasure::Proofs => "proofs_erased_on",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Erasure::Notes => "notes",
            Erasure::Identity => "identity",
            Erasure::Proofs => "proofs",
        }
    }
}

/// A person as pseudonymisation needs them: their keys are computed by the application.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonForErasure {
    pub id: Uuid,
    pub family_name: String,
    pub given_names: String,
    pub birth_date: Date,
    pub birth_precision: String,
}

/// What pseudonymisation writes for one person.
#[derive(Debug, Clone)]
pub struct Pseudonym {
    pub person_id: Uuid,
    pub key_hash: String,
    /// The birth date kept: 1 January of the birth year.
    pub birth_year_start: Date,
    pub support_on: Option<Date>,
}

/// A pseudonymised person whose key matches, for the prior-support rule.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PseudonymHit {
    pub person_id: Uuid,
    pub case_id: Uuid,
    pub reference: String,
    pub office: String,
    pub status: String,
    pub support_on: Option<Date>,
}

fn failed(e: ScriptError) -> StoreError {
    match e {
        ScriptError::Stale => StoreError::Conflict { current: 0 },
        ScriptError::Failed { error, .. } => error.into(),
    }
}

impl Store {
    /// Up to `limit` cases (after `after`, in id order) that ended before `cutoff` and whose
    /// `what` is not erased yet.
    pub async fn due_for_erasure(
        &self,
        what: Erasure,
        cutoff: Date,
        after: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<Uuid>> {
        let sql = format!(
            "SELECT id FROM cases WHERE ended_on IS NOT NULL AND ended_on < $1 AND {} IS NULL \
             AND id > $2 ORDER BY id LIMIT $3",
            what.column()
        );
        let rows: Vec<(Uuid,)> = on_db!(self, pool => sqlx::query_as(&sql)
            .bind(cutoff).bind(after).bind(limit).fetch_all(pool).await?);
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Deletes a case's free-text notes and special-category details (what the notes rule
    /// covers), once: `false` when they were erased already.
    pub async fn erase_notes(&self, case_id: Uuid, on: Date, audit: &Audit) -> StoreResult<bool> {
        let at = now();
        let mut s = Script::new();
        s.push(
            "UPDATE cases SET notes_erased_on = $1, outcome_note = NULL \
             WHERE id = $2 AND notes_erased_on IS NULL",
            vec![on.into(), case_id.into()],
        );
        s.expect_one();
        let id = || vec![case_id.into()];
        s.push("DELETE FROM case_notes WHERE case_id = $1", id());
        s.push("DELETE FROM corrections WHERE case_id = $1", id());
        s.push(
            "UPDATE medical_needs SET label = '' WHERE case_id = $1",
            id(),
        );
        s.push(
            "UPDATE vulnerabilities SET source = '', evidence = '' WHERE case_id = $1",
            id(),
        );
        s.push(
            "UPDATE best_interests SET assessed_by = '', consulted_names = '', summary = '', \
             conclusion = '' WHERE case_id = $1",
            id(),
        );
        s.push(
            "UPDATE guardians SET name = '', organisation = '' WHERE case_id = $1",
            id(),
        );
        s.push(
            "UPDATE reception_checks SET description = '' WHERE case_id = $1",
            id(),
        );
        s.push(
            "UPDATE followups SET met = '', observed = '', services_in_progress = '' \
             WHERE case_id = $1",
            id(),
        );
        s.push(
            "UPDATE appointments SET outcome = NULL WHERE case_id = $1",
            id(),
        );
        s.push(
            "UPDATE final_reports SET comment = '', open_items = '' WHERE case_id = $1",
            id(),
        );
        self.push_audit(&mut s, audit, Some(case_id), at);
        erased(self.write_script(s).await)
    }

    /// The members of a case, as pseudonymisation needs them.
    pub async fn persons_for_erasure(&self, case_id: Uuid) -> StoreResult<Vec<PersonForErasure>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, family_name, given_names, birth_date, birth_precision FROM persons \
             WHERE case_id = $1 ORDER BY position",
        )
        .bind(case_id)
        .fetch_all(pool)
        .await?))
    }

    /// The last day a case received support (the departure premium, or spending on its plan).
    pub async fn last_support(&self, case_id: Uuid) -> StoreResult<Option<Date>> {
        Ok(on_db!(self, pool => sqlx::query_scalar(
            "SELECT MAX(d) FROM (SELECT paid_on AS d FROM premium_payments WHERE case_id = $1 \
             UNION ALL SELECT spent_on FROM spendings WHERE case_id = $1) s",
        )
        .bind(case_id)
        .fetch_one(pool)
        .await?))
    }

    /// Replaces the names, other spellings, documents and birth day of a case's members by
    /// nothing (the birth year stays), removes their search keys and the names in their
    /// possible-duplicate reasons, and keeps each one's keyed hash; once: `false` when done
    /// already.
    pub async fn pseudonymise(
        &self,
        case_id: Uuid,
        on: Date,
        persons: &[Pseudonym],
        audit: &Audit,
    ) -> StoreResult<bool> {
        let at = now();
        let mut s = Script::new();
        s.push(
            "UPDATE cases SET identity_erased_on = $1 WHERE id = $2 AND identity_erased_on IS NULL",
            vec![on.into(), case_id.into()],
        );
        s.expect_one();
        for p in persons {
            s.push(
                "UPDATE persons SET family_name = '', given_names = '', other_names = '[]', \
                 name_folded = '', name_key = '', documents = '[]', birth_date = $1, \
                 birth_precision = 'year' WHERE id = $2",
                vec![p.birth_year_start.into(), p.person_id.into()],
            );
            s.push(
                "DELETE FROM name_keys WHERE person_id = $1",
                vec![p.person_id.into()],
            );
            s.push(
                "UPDATE person_links SET reasons = '[]' WHERE person_id = $1 OR other_person_id = $1",
                vec![p.person_id.into()],
            );
            s.push(
                "INSERT INTO person_pseudonyms (person_id, case_id, key_hash, support_on) \
                 VALUES ($1, $2, $3, $4)",
                vec![
                    p.person_id.into(),
                    case_id.into(),
                    (&p.key_hash).into(),
                    p.support_on.into(),
                ],
            );
        }
        self.push_audit(&mut s, audit, Some(case_id), at);
        erased(self.write_script(s).await)
    }

    /// The proofs of a case not erased yet: (document id).
    pub async fn proofs_to_erase(&self, case_id: Uuid) -> StoreResult<Vec<Uuid>> {
        let rows: Vec<(Uuid,)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id FROM documents WHERE case_id = $1 AND erased_on IS NULL ORDER BY id",
        )
        .bind(case_id)
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Marks a case's proofs erased (their files are deleted by the application first).
    pub async fn erase_proofs(&self, case_id: Uuid, on: Date, audit: &Audit) -> StoreResult<bool> {
        let at = now();
        let mut s = Script::new();
        s.push(
            "UPDATE cases SET proofs_erased_on = $1 WHERE id = $2 AND proofs_erased_on IS NULL",
            vec![on.into(), case_id.into()],
        );
        s.expect_one();
        s.push(
            "UPDATE documents SET erased_on = $1, file_name = '' WHERE case_id = $2 \
             AND erased_on IS NULL",
            vec![on.into(), case_id.into()],
        );
        self.push_audit(&mut s, audit, Some(case_id), at);
        erased(self.write_script(s).await)
    }

    /// Pseudonymised persons whose keyed hash is `key_hash`.
    pub async fn pseudonyms(&self, key_hash: &str) -> StoreResult<Vec<PseudonymHit>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT p.person_id, p.case_id, c.reference, c.office, c.status, p.support_on \
             FROM person_pseudonyms p JOIN cases c ON c.id = p.case_id WHERE p.key_hash = $1 \
             ORDER BY p.person_id LIMIT 20",
        )
        .bind(key_hash)
        .fetch_all(pool)
        .await?))
    }

    /// Sets the day a case ended (tests of retention, which cannot wait years).
    pub async fn set_ended_on(&self, case_id: Uuid, on: Date) -> StoreResult<()> {
        let mut s = Script::new();
        s.push(
            "UPDATE cases SET ended_on = $1 WHERE id = $2",
            vec![on.into(), case_id.into()],
        );
        self.write_script(s).await.map_err(failed)?;
        Ok(())
    }
}

fn erased(r: Result<Vec<u64>, ScriptError>) -> StoreResult<bool> {
    match r {
        Ok(_) => Ok(true),
        Err(ScriptError::Stale) => Ok(false),
        Err(e) => Err(failed(e)),
    }
}
