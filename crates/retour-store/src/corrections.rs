//! Corrections and withdrawals of recorded facts. The live row changes and the earlier value
//! stays in `corrections`, in one transaction with the audit entry. Each change is guarded in
//! its statement (still there, not frozen by an approval or a final report, still planned, same
//! case version), so a correction racing another or an approval changes nothing and reports a
//! conflict instead.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::db::on_db;
use crate::{Audit, Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct CorrectionRow {
    pub id: Uuid,
    pub case_id: Uuid,
    /// `medical_need`, `vulnerability`, `payment`, `appointment` or `booking`.
    pub kind: String,
    pub subject_id: Uuid,
    /// `corrected` or `withdrawn`.
    pub action: String,
    /// The sensitivity class of the fact; `general` is stored in the clear.
    pub sensitivity: String,
    /// JSON written by the application (encrypted when sensitive).
    pub before: String,
    pub after: Option<String>,
    pub reason: String,
    pub actor_id: Uuid,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CorrectionEntry {
    #[sqlx(flatten)]
    pub row: CorrectionRow,
    pub actor_name: String,
}

/// The change to the live record that a correction makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    WithdrawVulnerability,
    WithdrawMedicalNeed,
    UpdateMedicalNeed {
        label: String,
        frequency: String,
        amount_cents: i64,
    },
    WithdrawPayment,
    RescheduleAppointment {
        on: Date,
    },
    WithdrawAppointment,
    ChangeBooking {
        version: i64,
        date: Date,
        transport: String,
        travel_document: String,
    },
}

const COLS: &str =
    "id, case_id, kind, subject_id, action, sensitivity, before, after, reason, actor_id, at";

impl Store {
    /// Applies `change` to the record `c.subject_id` of case `c.case_id` and keeps `c`.
    /// `Conflict` when the guard no longer holds (withdrawn meanwhile, version moved).
    pub async fn correct(
        &self,
        c: &CorrectionRow,
        change: &Change,
        audit: &Audit,
    ) -> StoreResult<()> {
        let (id, case_id, at) = (c.subject_id, c.case_id, c.at);
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let n = match change {
                // After the freeze too: the app then opens a review of the entitlement.
                Change::WithdrawVulnerability => sqlx::query(
                    "DELETE FROM vulnerabilities WHERE id = $1 AND case_id = $2")
                    .bind(id).bind(case_id).execute(&mut *tx).await?,
                Change::WithdrawMedicalNeed => sqlx::query(
                    "DELETE FROM medical_needs WHERE id = $1 AND case_id = $2")
                    .bind(id).bind(case_id).execute(&mut *tx).await?,
                Change::UpdateMedicalNeed { label, frequency, amount_cents } => sqlx::query(
                    "UPDATE medical_needs SET label = $3, frequency = $4, amount_cents = $5 \
                     WHERE id = $1 AND case_id = $2")
                    .bind(id).bind(case_id).bind(label).bind(frequency).bind(amount_cents)
                    .execute(&mut *tx).await?,
                Change::WithdrawPayment => sqlx::query(
                    "DELETE FROM spendings WHERE id = $1 AND case_id = $2 \
                     AND NOT EXISTS (SELECT 1 FROM final_reports f WHERE f.case_id = $2)")
                    .bind(id).bind(case_id).execute(&mut *tx).await?,
                Change::RescheduleAppointment { on } => sqlx::query(
                    "UPDATE appointments SET scheduled_on = $3, updated_by = $4, updated_at = $5 \
                     WHERE id = $1 AND case_id = $2 AND status = 'planned'")
                    .bind(id).bind(case_id).bind(on).bind(c.actor_id).bind(at)
                    .execute(&mut *tx).await?,
                Change::WithdrawAppointment => sqlx::query(
                    "DELETE FROM appointments WHERE id = $1 AND case_id = $2 AND status = 'planned'")
                    .bind(id).bind(case_id).execute(&mut *tx).await?,
                Change::ChangeBooking { version, date, transport, travel_document } => sqlx::query(
                    "UPDATE cases SET departure_date = $3, transport = $4, travel_document = $5, \
                     version = version + 1, updated_at = $6 \
                     WHERE id = $1 AND id = $2 AND version = $7 AND status = 'departure_booked'")
                    .bind(id).bind(case_id).bind(date).bind(transport).bind(travel_document).bind(at).bind(version)
                    .execute(&mut *tx).await?,
            }
            .rows_affected();
            if n == 0 {
                return Err(StoreError::Conflict { current: 0 });
            }
            sqlx::query(&format!("INSERT INTO corrections ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"))
                .bind(c.id).bind(case_id).bind(&c.kind).bind(id).bind(&c.action).bind(&c.sensitivity)
                .bind(&c.before).bind(&c.after).bind(&c.reason).bind(c.actor_id).bind(at)
                .execute(&mut *tx).await?;
            insert_audit!(self, &mut *tx, audit, Some(case_id), at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The corrections of a case, oldest first, with who made them.
    pub async fn corrections(&self, case_id: Uuid) -> StoreResult<Vec<CorrectionEntry>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT c.id, c.case_id, c.kind, c.subject_id, c.action, c.sensitivity, c.before, c.after, \
             c.reason, c.actor_id, c.at, u.display_name AS actor_name \
             FROM corrections c JOIN users u ON u.id = c.actor_id WHERE c.case_id = $1 ORDER BY c.id")
            .bind(case_id).fetch_all(pool).await?))
    }
}
