//! Delivery in the country of return: spending with proofs, the administrative checklist,
//! appointments and the final report.
//!
//! A line is never overspent: a spending is inserted only while the approved amount covers it,
//! after the line row is locked.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::cases::now;
use crate::db::on_db;
use crate::{Audit, Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct DocumentRow {
    pub id: Uuid,
    pub case_id: Uuid,
    /// The name the file was uploaded with (checked; never used as a path).
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: Uuid,
    pub uploaded_at: OffsetDateTime,
}

/// What decides who may read a proof besides the case: whether it proves a medical payment,
/// and the partner organisation of whoever uploaded it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProofAccess {
    pub medical: bool,
    pub uploader_org: Option<String>,
    /// The day the file was deleted under the retention rules (the row stays, for the amounts).
    pub erased_on: Option<Date>,
}

const ACCESS_COLS: &str =
    "EXISTS (SELECT 1 FROM spendings s JOIN plan_lines l ON l.id = s.line_id \
     WHERE s.document_id = d.id AND l.category = 'medical') AS medical, \
     (SELECT u.partner_org FROM users u WHERE u.id = d.uploaded_by) AS uploader_org, d.erased_on";

#[derive(sqlx::FromRow)]
struct DocumentWithAccess {
    #[sqlx(flatten)]
    doc: DocumentRow,
    #[sqlx(flatten)]
    access: ProofAccess,
}

impl DocumentWithAccess {
    fn split(self) -> (DocumentRow, ProofAccess) {
        (self.doc, self.access)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct SpendingRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub line_id: Uuid,
    pub spent_on: Date,
    /// Exact decimal text in `currency`.
    pub amount: String,
    pub currency: String,
    /// Euro per unit of `currency` on `spent_on`, exact decimal text.
    pub rate: String,
    pub eur_cents: i64,
    pub vendor: String,
    pub document_id: Option<Uuid>,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ChecklistRow {
    pub case_id: Uuid,
    pub item: String,
    /// The child for a per-child item; the nil id for the household.
    pub person_id: Uuid,
    pub done_on: Date,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct AppointmentRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub person_id: Uuid,
    pub kind: String,
    pub scheduled_on: Date,
    pub status: String,
    pub outcome: Option<String>,
    pub updated_by: Uuid,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct FinalReportRow {
    pub case_id: Uuid,
    pub planned_cents: i64,
    pub spent_cents: i64,
    pub submitted_by: Uuid,
    pub submitted_at: OffsetDateTime,
    pub comment: String,
    /// What was still open and confirmed (`2 visits planned; 1 line with money left`), or empty.
    pub open_items: String,
}

const SPEND_COLS: &str = "id, case_id, line_id, spent_on, amount, currency, rate, eur_cents, vendor, document_id, recorded_by, recorded_at";
const DOC_COLS: &str =
    "id, case_id, file_name, media_type, size_bytes, sha256, uploaded_by, uploaded_at";
pub(crate) const APPT_COLS: &str =
    "id, case_id, person_id, kind, scheduled_on, status, outcome, updated_by, updated_at";

impl Store {
    /// Records a spending (and its proof) unless it would take the line above its approved
    /// amount, or the line is expired. The line row is locked first, so two concurrent
    /// spendings cannot both pass the check. `false` when refused.
    pub async fn add_spending(
        &self,
        s: &SpendingRow,
        document: Option<&DocumentRow>,
        audit: &Audit,
    ) -> StoreResult<bool> {
        Ok(on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query("UPDATE plan_lines SET expired = expired WHERE id = $1").bind(s.line_id).execute(&mut *tx).await?;
            if let Some(d) = document {
                sqlx::query(&format!("INSERT INTO documents ({DOC_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
                    .bind(d.id).bind(d.case_id).bind(&d.file_name).bind(&d.media_type).bind(d.size_bytes)
                    .bind(&d.sha256).bind(d.uploaded_by).bind(d.uploaded_at)
                    .execute(&mut *tx).await?;
            }
            let n = sqlx::query(&format!(
                "INSERT INTO spendings ({SPEND_COLS}) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 \
                 WHERE EXISTS (SELECT 1 FROM plan_lines l WHERE l.id = $3 AND l.case_id = $2 AND l.removed = $13 \
                 AND l.expired = $13 AND l.approved_cents IS NOT NULL AND l.approved_cents >= $8 + \
                 (SELECT COALESCE(SUM(x.eur_cents), 0) FROM spendings x WHERE x.line_id = $3))"))
                .bind(s.id).bind(s.case_id).bind(s.line_id).bind(s.spent_on).bind(&s.amount).bind(&s.currency)
                .bind(&s.rate).bind(s.eur_cents).bind(&s.vendor).bind(s.document_id).bind(s.recorded_by)
                .bind(s.recorded_at).bind(false)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                // Dropping the transaction rolls back the document row too.
                return Ok(false);
            }
            insert_audit!(self, &mut *tx, audit, Some(s.case_id), s.recorded_at)?;
            tx.commit().await?;
            true
        }))
    }

    pub async fn spendings(&self, case_id: Uuid) -> StoreResult<Vec<SpendingRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {SPEND_COLS} FROM spendings WHERE case_id = $1 ORDER BY spent_on, id"))
            .bind(case_id).fetch_all(pool).await?))
    }

    pub async fn document(&self, id: Uuid) -> StoreResult<Option<(DocumentRow, ProofAccess)>> {
        let row: Option<DocumentWithAccess> = on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {DOC_COLS}, {ACCESS_COLS} FROM documents d WHERE d.id = $1")).bind(id).fetch_optional(pool).await?);
        Ok(row.map(DocumentWithAccess::split))
    }

    pub async fn documents(&self, case_id: Uuid) -> StoreResult<Vec<(DocumentRow, ProofAccess)>> {
        let rows: Vec<DocumentWithAccess> = on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {DOC_COLS}, {ACCESS_COLS} FROM documents d WHERE d.case_id = $1 ORDER BY d.id")).bind(case_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(DocumentWithAccess::split).collect())
    }

    // ---- checklist and appointments -----------------------------------------------------------

    pub async fn set_checklist(&self, c: &ChecklistRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query("INSERT INTO checklist (case_id, item, person_id, done_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) \
                         ON CONFLICT (case_id, item, person_id) DO UPDATE SET done_on = $4, recorded_by = $5, recorded_at = $6")
                .bind(c.case_id).bind(&c.item).bind(c.person_id).bind(c.done_on).bind(c.recorded_by).bind(c.recorded_at)
                .execute(&mut *tx).await?;
            insert_audit!(self, &mut *tx, audit, Some(c.case_id), c.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn checklist(&self, case_id: Uuid) -> StoreResult<Vec<ChecklistRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT case_id, item, person_id, done_on, recorded_by, recorded_at FROM checklist WHERE case_id = $1")
            .bind(case_id).fetch_all(pool).await?))
    }

    pub async fn add_appointments(
        &self,
        rows: &[AppointmentRow],
        audit: &Audit,
    ) -> StoreResult<()> {
        let Some(first) = rows.first() else {
            return Ok(());
        };
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            for a in rows {
                sqlx::query(&format!("INSERT INTO appointments ({APPT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
                    .bind(a.id).bind(a.case_id).bind(a.person_id).bind(&a.kind).bind(a.scheduled_on)
                    .bind(&a.status).bind(&a.outcome).bind(a.updated_by).bind(a.updated_at)
                    .execute(&mut *tx).await?;
            }
            insert_audit!(self, &mut *tx, audit, Some(first.case_id), first.updated_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records what happened at an appointment of this case.
    pub async fn set_appointment(
        &self,
        case_id: Uuid,
        id: Uuid,
        status: &str,
        outcome: Option<&str>,
        by: Uuid,
        audit: &Audit,
    ) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let n = sqlx::query("UPDATE appointments SET status = $1, outcome = $2, updated_by = $3, updated_at = $4 WHERE id = $5 AND case_id = $6")
                .bind(status).bind(outcome).bind(by).bind(at).bind(id).bind(case_id)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            insert_audit!(self, &mut *tx, audit, Some(case_id), at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn appointments(&self, case_id: Uuid) -> StoreResult<Vec<AppointmentRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {APPT_COLS} FROM appointments WHERE case_id = $1 ORDER BY scheduled_on, id"))
            .bind(case_id).fetch_all(pool).await?))
    }

    pub async fn submit_final_report(&self, r: &FinalReportRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query("INSERT INTO final_reports (case_id, planned_cents, spent_cents, submitted_by, submitted_at, comment, open_items) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(r.case_id).bind(r.planned_cents).bind(r.spent_cents).bind(r.submitted_by).bind(r.submitted_at)
                .bind(&r.comment).bind(&r.open_items)
                .execute(&mut *tx).await.map_err(|e| StoreError::unique(e, "final report"))?;
            insert_audit!(self, &mut *tx, audit, Some(r.case_id), r.submitted_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn final_report(&self, case_id: Uuid) -> StoreResult<Option<FinalReportRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT case_id, planned_cents, spent_cents, submitted_by, submitted_at, comment, open_items FROM final_reports WHERE case_id = $1")
            .bind(case_id).fetch_optional(pool).await?))
    }
}
