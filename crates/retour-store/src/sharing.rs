//! Consent records and the assignment of a case to a partner.
//!
//! A partner is assigned only while a consent exists: the assignment is a conditional `UPDATE`,
//! and withdrawing the consent clears it in the same transaction.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::cases::now;
use crate::db::on_db;
use crate::{Audit, Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ConsentRow {
    pub id: Uuid,
    pub case_id: Uuid,
    /// The member who consented.
    pub person_id: Uuid,
    pub purpose: String,
    /// For whom: the partner organisation the data goes to.
    pub partner_org: Option<String>,
    pub given_on: Date,
    pub withdrawn_on: Option<Date>,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

const CONSENT_COLS: &str = "id, case_id, person_id, purpose, partner_org, given_on, withdrawn_on, recorded_by, recorded_at";

impl Store {
    pub async fn add_consent(&self, c: &ConsentRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query(&format!("INSERT INTO consents ({CONSENT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
                .bind(c.id).bind(c.case_id).bind(c.person_id).bind(&c.purpose).bind(&c.partner_org)
                .bind(c.given_on).bind(c.withdrawn_on).bind(c.recorded_by).bind(c.recorded_at)
                .execute(&mut *tx).await?;
            insert_audit!(self, &mut *tx, audit, Some(c.case_id), c.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn consents(&self, case_id: Uuid) -> StoreResult<Vec<ConsentRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {CONSENT_COLS} FROM consents WHERE case_id = $1 ORDER BY id"))
            .bind(case_id).fetch_all(pool).await?))
    }

    /// Withdraws a consent. When it was the consent to share with the partner the case is
    /// assigned to, the assignment ends in the same transaction: the partner loses access at once.
    /// Returns whether the case was unassigned.
    pub async fn withdraw_consent(
        &self,
        case_id: Uuid,
        consent_id: Uuid,
        on: Date,
        audit: &Audit,
    ) -> StoreResult<bool> {
        let at = now();
        Ok(on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            // Lock the case row first, so an assignment running at the same time waits for us.
            sqlx::query("UPDATE cases SET version = version WHERE id = $1").bind(case_id).execute(&mut *tx).await?;
            let row: Option<(String, Option<String>)> = sqlx::query_as(
                "SELECT purpose, partner_org FROM consents WHERE id = $1 AND case_id = $2 AND withdrawn_on IS NULL")
                .bind(consent_id).bind(case_id).fetch_optional(&mut *tx).await?;
            let Some((purpose, org)) = row else { return Err(StoreError::NotFound) };
            sqlx::query("UPDATE consents SET withdrawn_on = $1 WHERE id = $2")
                .bind(on).bind(consent_id).execute(&mut *tx).await?;
            let mut unassigned = 0;
            if purpose == "partner_transfer" {
                // Another consent still in force for the same partner keeps the assignment.
                unassigned = sqlx::query(
                    "UPDATE cases SET partner_org = NULL, version = version + 1, updated_at = $1 \
                     WHERE id = $2 AND partner_org = $3 AND NOT EXISTS (SELECT 1 FROM consents \
                     WHERE case_id = $2 AND purpose = 'partner_transfer' AND partner_org = $3 AND withdrawn_on IS NULL)")
                    .bind(at).bind(case_id).bind(&org).execute(&mut *tx).await?.rows_affected();
            }
            insert_audit!(self, &mut *tx, audit, Some(case_id), at)?;
            tx.commit().await?;
            unassigned > 0
        }))
    }

    /// Assigns the case to a partner organisation, only while a consent to share with it is in
    /// force (checked by the statement itself). `false` when there is none.
    pub async fn assign_partner(
        &self,
        case_id: Uuid,
        org: &str,
        audit: &Audit,
    ) -> StoreResult<bool> {
        let at = now();
        Ok(on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            // Lock the case row first: a withdrawal running at the same time is then seen.
            sqlx::query("UPDATE cases SET version = version WHERE id = $1").bind(case_id).execute(&mut *tx).await?;
            let n = sqlx::query(
                "UPDATE cases SET partner_org = $1, version = version + 1, updated_at = $2 WHERE id = $3 \
                 AND EXISTS (SELECT 1 FROM consents WHERE case_id = $3 AND purpose = 'partner_transfer' \
                 AND partner_org = $1 AND withdrawn_on IS NULL)")
                .bind(org).bind(at).bind(case_id).execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                insert_audit!(self, &mut *tx, audit, Some(case_id), at)?;
            }
            tx.commit().await?;
            n > 0
        }))
    }
}
