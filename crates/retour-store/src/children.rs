//! Children's welfare records of a case: best-interests assessments, unaccompanied minors'
//! guardians and reception checks, and parents' consent for the workbook. One row per child
//! and kind; recording again replaces the row (a correction), and the audit trail keeps both.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::db::on_db;
use crate::{Audit, Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct BestInterestsRow {
    pub case_id: Uuid,
    pub person_id: Uuid,
    pub assessed_on: Date,
    pub assessed_by: String,
    pub consulted_parents: bool,
    pub consulted_guardian: bool,
    pub consulted_child: bool,
    /// Encrypted by the application, like `summary` and `conclusion`.
    pub consulted_names: String,
    pub summary: String,
    pub conclusion: String,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct GuardianRow {
    pub case_id: Uuid,
    pub person_id: Uuid,
    /// Encrypted by the application, like `organisation`.
    pub name: String,
    pub organisation: String,
    pub appointed_on: Date,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ReceptionCheckRow {
    pub case_id: Uuid,
    pub person_id: Uuid,
    pub kind: String,
    /// Encrypted by the application.
    pub description: String,
    pub checked_on: Date,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct WorkbookConsentRow {
    pub case_id: Uuid,
    /// The child.
    pub person_id: Uuid,
    /// The consenting parent, a member of the same household.
    pub parent_id: Uuid,
    pub consented_on: Date,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct HandoutRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub person_id: Uuid,
    pub edition: String,
    pub handed_on: Date,
    pub handed_by: Uuid,
    /// The stock the book came from.
    pub location: String,
    pub recorded_at: OffsetDateTime,
}

/// Everything recorded about the children of one case.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ChildRecords {
    pub best_interests: Vec<BestInterestsRow>,
    pub guardians: Vec<GuardianRow>,
    pub reception_checks: Vec<ReceptionCheckRow>,
    pub consents: Vec<WorkbookConsentRow>,
    pub handouts: Vec<HandoutRow>,
}

const BI_COLS: &str = "case_id, person_id, assessed_on, assessed_by, consulted_parents, consulted_guardian, consulted_child, consulted_names, summary, conclusion, recorded_by, recorded_at";
const G_COLS: &str =
    "case_id, person_id, name, organisation, appointed_on, recorded_by, recorded_at";
const R_COLS: &str = "case_id, person_id, kind, description, checked_on, recorded_by, recorded_at";
const C_COLS: &str = "case_id, person_id, parent_id, consented_on, recorded_by, recorded_at";
pub(crate) const H_COLS: &str =
    "id, case_id, person_id, edition, handed_on, handed_by, location, recorded_at";

impl Store {
    pub async fn put_best_interests(&self, r: &BestInterestsRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query(&format!(
                "INSERT INTO best_interests ({BI_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                 ON CONFLICT (case_id, person_id) DO UPDATE SET assessed_on = $3, assessed_by = $4, consulted_parents = $5, \
                 consulted_guardian = $6, consulted_child = $7, consulted_names = $8, summary = $9, conclusion = $10, \
                 recorded_by = $11, recorded_at = $12"
            ))
            .bind(r.case_id).bind(r.person_id).bind(r.assessed_on).bind(&r.assessed_by)
            .bind(r.consulted_parents).bind(r.consulted_guardian).bind(r.consulted_child)
            .bind(&r.consulted_names).bind(&r.summary).bind(&r.conclusion).bind(r.recorded_by).bind(r.recorded_at)
            .execute(&mut *tx)
            .await?;
            insert_audit!(self, &mut *tx, audit, Some(r.case_id), r.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn put_guardian(&self, r: &GuardianRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query(&format!(
                "INSERT INTO guardians ({G_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (case_id, person_id) DO UPDATE SET name = $3, organisation = $4, appointed_on = $5, \
                 recorded_by = $6, recorded_at = $7"
            ))
            .bind(r.case_id).bind(r.person_id).bind(&r.name).bind(&r.organisation).bind(r.appointed_on)
            .bind(r.recorded_by).bind(r.recorded_at)
            .execute(&mut *tx)
            .await?;
            insert_audit!(self, &mut *tx, audit, Some(r.case_id), r.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn put_reception_check(
        &self,
        r: &ReceptionCheckRow,
        audit: &Audit,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query(&format!(
                "INSERT INTO reception_checks ({R_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (case_id, person_id) DO UPDATE SET kind = $3, description = $4, checked_on = $5, \
                 recorded_by = $6, recorded_at = $7"
            ))
            .bind(r.case_id).bind(r.person_id).bind(&r.kind).bind(&r.description).bind(r.checked_on)
            .bind(r.recorded_by).bind(r.recorded_at)
            .execute(&mut *tx)
            .await?;
            insert_audit!(self, &mut *tx, audit, Some(r.case_id), r.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn put_workbook_consent(
        &self,
        r: &WorkbookConsentRow,
        audit: &Audit,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query(&format!(
                "INSERT INTO workbook_consents ({C_COLS}) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (case_id, person_id) DO UPDATE SET parent_id = $3, consented_on = $4, \
                 recorded_by = $5, recorded_at = $6"
            ))
            .bind(r.case_id).bind(r.person_id).bind(r.parent_id).bind(r.consented_on)
            .bind(r.recorded_by).bind(r.recorded_at)
            .execute(&mut *tx)
            .await?;
            insert_audit!(self, &mut *tx, audit, Some(r.case_id), r.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Everything recorded about the children of a case.
    pub async fn child_records(&self, case_id: Uuid) -> StoreResult<ChildRecords> {
        Ok(on_db!(self, pool => ChildRecords {
            best_interests: sqlx::query_as(&format!("SELECT {BI_COLS} FROM best_interests WHERE case_id = $1"))
                .bind(case_id).fetch_all(pool).await?,
            guardians: sqlx::query_as(&format!("SELECT {G_COLS} FROM guardians WHERE case_id = $1"))
                .bind(case_id).fetch_all(pool).await?,
            reception_checks: sqlx::query_as(&format!("SELECT {R_COLS} FROM reception_checks WHERE case_id = $1"))
                .bind(case_id).fetch_all(pool).await?,
            consents: sqlx::query_as(&format!("SELECT {C_COLS} FROM workbook_consents WHERE case_id = $1"))
                .bind(case_id).fetch_all(pool).await?,
            handouts: sqlx::query_as(&format!("SELECT {H_COLS} FROM workbook_handouts WHERE case_id = $1 ORDER BY id"))
                .bind(case_id).fetch_all(pool).await?,
        }))
    }

    /// Each child with the parents' workbook consent (`None`) and each hand-out (its date): the
    /// case page reads this, so on SQLite it takes the same fast path as the case itself.
    pub async fn workbook_marks(&self, case_id: Uuid) -> StoreResult<Vec<(Uuid, Option<Date>)>> {
        if let Some(reader) = &self.reader {
            return reader.0.workbook(case_id);
        }
        Ok(
            on_db!(self, pool => sqlx::query_as(crate::fast_read::WORKBOOK_SQL)
            .bind(case_id).fetch_all(pool).await?),
        )
    }

    /// Children of a case with a best-interests assessment (for the plan-approval check).
    pub async fn assessed_children(&self, case_id: Uuid) -> StoreResult<Vec<Uuid>> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT person_id FROM best_interests WHERE case_id = $1")
            .bind(case_id).fetch_all(pool).await?),
        )
    }

    /// Children of a case with both a guardian and a reception check recorded.
    pub async fn protected_children(&self, case_id: Uuid) -> StoreResult<Vec<Uuid>> {
        Ok(on_db!(self, pool => sqlx::query_scalar(
            "SELECT g.person_id FROM guardians g JOIN reception_checks r \
             ON r.case_id = g.case_id AND r.person_id = g.person_id WHERE g.case_id = $1")
            .bind(case_id).fetch_all(pool).await?))
    }
}
