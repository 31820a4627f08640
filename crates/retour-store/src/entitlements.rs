//! Inputs of entitlements stored per case, the frozen snapshot, and the premium payment.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::db::on_db;
use crate::{Audit, Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct VulnerabilityRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub person_id: Uuid,
    pub kind: String,
    pub recorded_on: Date,
    pub source: String,
    /// Encrypted by the application.
    pub evidence: String,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct MedicalNeedRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub person_id: Uuid,
    /// Encrypted by the application.
    pub label: String,
    /// `monthly` or `one_off`.
    pub frequency: String,
    pub amount_cents: i64,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct SnapshotRow {
    pub case_id: Uuid,
    pub policy_id: String,
    pub policy_hash: String,
    pub input: String,
    pub quote: String,
    pub frozen_at: OffsetDateTime,
    pub frozen_by: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PremiumPayment {
    pub case_id: Uuid,
    pub amount_cents: i64,
    pub paid_on: Date,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

const V_COLS: &str =
    "id, case_id, person_id, kind, recorded_on, source, evidence, recorded_by, recorded_at";
const M_COLS: &str =
    "id, case_id, person_id, label, frequency, amount_cents, recorded_by, recorded_at";

impl Store {
    pub async fn add_vulnerability(&self, v: &VulnerabilityRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query(&format!("INSERT INTO vulnerabilities ({V_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
                .bind(v.id).bind(v.case_id).bind(v.person_id).bind(&v.kind).bind(v.recorded_on).bind(&v.source).bind(&v.evidence).bind(v.recorded_by).bind(v.recorded_at)
                .execute(&mut *tx)
                .await?;
            insert_audit!(self, &mut *tx, audit, Some(v.case_id), v.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn add_medical_need(&self, m: &MedicalNeedRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query(&format!("INSERT INTO medical_needs ({M_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
                .bind(m.id).bind(m.case_id).bind(m.person_id).bind(&m.label).bind(&m.frequency).bind(m.amount_cents).bind(m.recorded_by).bind(m.recorded_at)
                .execute(&mut *tx)
                .await?;
            insert_audit!(self, &mut *tx, audit, Some(m.case_id), m.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn vulnerabilities(&self, case_id: Uuid) -> StoreResult<Vec<VulnerabilityRow>> {
        Ok(
            on_db!(self, pool => sqlx::query_as(&format!("SELECT {V_COLS} FROM vulnerabilities WHERE case_id = $1 ORDER BY id")).bind(case_id).fetch_all(pool).await?),
        )
    }

    pub async fn medical_needs(&self, case_id: Uuid) -> StoreResult<Vec<MedicalNeedRow>> {
        Ok(
            on_db!(self, pool => sqlx::query_as(&format!("SELECT {M_COLS} FROM medical_needs WHERE case_id = $1 ORDER BY id")).bind(case_id).fetch_all(pool).await?),
        )
    }

    /// Vulnerabilities and medical needs of every case with an id in `[first, last]` (one range scan each).
    pub async fn entitlement_inputs_in_range(
        &self,
        first: Uuid,
        last: Uuid,
    ) -> StoreResult<(Vec<VulnerabilityRow>, Vec<MedicalNeedRow>)> {
        Ok(on_db!(self, pool => {
            let v = sqlx::query_as(&format!("SELECT {V_COLS} FROM vulnerabilities WHERE case_id >= $1 AND case_id <= $2")).bind(first).bind(last).fetch_all(pool).await?;
            let m = sqlx::query_as(&format!("SELECT {M_COLS} FROM medical_needs WHERE case_id >= $1 AND case_id <= $2")).bind(first).bind(last).fetch_all(pool).await?;
            (v, m)
        }))
    }

    pub async fn snapshot(&self, case_id: Uuid) -> StoreResult<Option<SnapshotRow>> {
        Ok(
            on_db!(self, pool => sqlx::query_as("SELECT case_id, policy_id, policy_hash, input, quote, frozen_at, frozen_by FROM entitlement_snapshots WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(pool)
            .await?),
        )
    }

    /// Records the premium paid at departure; a second payment for the same case is refused.
    pub async fn record_premium(&self, p: &PremiumPayment, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query("INSERT INTO premium_payments (case_id, amount_cents, paid_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(p.case_id).bind(p.amount_cents).bind(p.paid_on).bind(p.recorded_by).bind(p.recorded_at)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::unique(e, "premium payment"))?;
            insert_audit!(self, &mut *tx, audit, Some(p.case_id), p.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn premium_payment(&self, case_id: Uuid) -> StoreResult<Option<PremiumPayment>> {
        Ok(
            on_db!(self, pool => sqlx::query_as("SELECT case_id, amount_cents, paid_on, recorded_by, recorded_at FROM premium_payments WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(pool)
            .await?),
        )
    }
}

/// What an entitlement is computed from, for one case: no names, no documents. Streaming jobs
/// read these instead of whole cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub id: Uuid,
    pub destination_country: String,
    pub application_date: Option<Date>,
    pub planned_departure_date: Option<Date>,
    pub members: Vec<MemberFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MemberFacts {
    pub id: Uuid,
    pub case_id: Uuid,
    pub relationship: String,
    pub birth_date: Date,
    pub birth_precision: String,
    /// JSON array of country codes, as stored.
    pub nationalities: String,
}

#[derive(sqlx::FromRow)]
struct CaseFactsRow {
    id: Uuid,
    destination_country: String,
    application_date: Option<Date>,
    planned_departure_date: Option<Date>,
}

impl Store {
    /// `limit` cases after `after` in id order, with their members' facts: two statements.
    pub async fn case_facts_after(
        &self,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<CaseFacts>> {
        let (rows, members): (Vec<CaseFactsRow>, Vec<MemberFacts>) = on_db!(self, pool => {
            let rows: Vec<CaseFactsRow> = sqlx::query_as(
                "SELECT id, destination_country, application_date, planned_departure_date FROM cases WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(after.unwrap_or(Uuid::nil()))
            .bind(limit)
            .fetch_all(pool)
            .await?;
            let members = match (rows.first(), rows.last()) {
                (Some(f), Some(l)) => sqlx::query_as(
                    "SELECT id, case_id, relationship, birth_date, birth_precision, nationalities FROM persons \
                     WHERE case_id >= $1 AND case_id <= $2 ORDER BY case_id, position",
                )
                .bind(f.id)
                .bind(l.id)
                .fetch_all(pool)
                .await?,
                _ => Vec::new(),
            };
            (rows, members)
        });
        let mut members = members.into_iter().peekable();
        Ok(rows
            .into_iter()
            .map(|r| {
                let mut m = Vec::new();
                while members.peek().is_some_and(|p| p.case_id == r.id) {
                    m.push(members.next().expect("peeked"));
                }
                CaseFacts {
                    id: r.id,
                    destination_country: r.destination_country,
                    application_date: r.application_date,
                    planned_departure_date: r.planned_departure_date,
                    members: m,
                }
            })
            .collect())
    }
}
