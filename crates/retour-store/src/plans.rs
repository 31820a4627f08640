//! Partner organisations, consent records, reintegration plans and their delivery: spending
//! with proofs, the administrative checklist, appointments, tasks and the final report.
//!
//! Rules that must hold under concurrency are enforced by the statements themselves: a partner
//! is assigned only while a consent exists, a line is never overspent, a task is raised once.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::cases::now;
use crate::db::on_db;
use crate::{Audit, Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PartnerOrgRow {
    /// A short code such as `iom-xk`; users and cases refer to it.
    pub id: String,
    pub name: String,
    pub kind: String,
    /// JSON array of country codes.
    pub countries: String,
    pub created_at: OffsetDateTime,
}

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

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PlanRow {
    pub case_id: Uuid,
    pub version: i32,
    pub status: String,
    /// JSON array of the ids of who wrote or submitted this version.
    pub authors: String,
    pub submitted_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PlanLineRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub category: String,
    pub employment_kind: Option<String>,
    pub description: String,
    pub provider: String,
    pub target_date: Option<Date>,
    pub planned_cents: i64,
    /// What was approved last; spending draws on this. `None` before the first approval.
    pub approved_cents: Option<i64>,
    pub removed: bool,
    pub expires_on: Option<Date>,
    pub expired: bool,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PlanVersionRow {
    pub case_id: Uuid,
    pub version: i32,
    pub approved_at: OffsetDateTime,
    pub total_cents: i64,
    /// JSON of the lines as approved.
    pub lines: String,
    /// JSON array of approver ids.
    pub approvers: String,
    pub policy_id: String,
    pub policy_hash: String,
}

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
pub struct TaskRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: String,
    /// What the task is about: the case, an appointment or a line. Unique per kind.
    pub subject_id: Uuid,
    pub due_on: Date,
    pub created_at: OffsetDateTime,
    pub done_at: Option<OffsetDateTime>,
    pub done_by: Option<Uuid>,
}

/// A task with the case reference it belongs to, for task lists.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct TaskListRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub reference: String,
    pub kind: String,
    pub subject_id: Uuid,
    pub due_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct FinalReportRow {
    pub case_id: Uuid,
    pub planned_cents: i64,
    pub spent_cents: i64,
    pub submitted_by: Uuid,
    pub submitted_at: OffsetDateTime,
}

/// A line whose deadline is near and which still has money left.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExpiringLine {
    pub id: Uuid,
    pub case_id: Uuid,
    pub expires_on: Date,
    pub left_cents: i64,
}

const LINE_COLS: &str = "id, case_id, category, employment_kind, description, provider, target_date, planned_cents, approved_cents, removed, expires_on, expired, created_at";
const SPEND_COLS: &str = "id, case_id, line_id, spent_on, amount, currency, rate, eur_cents, vendor, document_id, recorded_by, recorded_at";
const DOC_COLS: &str =
    "id, case_id, file_name, media_type, size_bytes, sha256, uploaded_by, uploaded_at";
const CONSENT_COLS: &str = "id, case_id, person_id, purpose, partner_org, given_on, withdrawn_on, recorded_by, recorded_at";
const APPT_COLS: &str =
    "id, case_id, person_id, kind, scheduled_on, status, outcome, updated_by, updated_at";

/// What one approval did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    /// The plan was no longer that submitted version: nothing recorded.
    Stale,
    /// Recorded; more approvals are needed.
    Recorded,
    /// Recorded, and the plan is now approved.
    Approved,
}

/// What a page that edits a plan line sends.
#[derive(Debug, Clone)]
pub struct LineValues {
    pub category: String,
    pub employment_kind: Option<String>,
    pub description: String,
    pub provider: String,
    pub target_date: Option<Date>,
    pub planned_cents: i64,
    pub expires_on: Option<Date>,
}

impl Store {
    // ---- partner organisations -------------------------------------------------------------

    pub async fn insert_partner_org(&self, p: &PartnerOrgRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool).await?;
            sqlx::query("INSERT INTO partner_orgs (id, name, kind, countries, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(&p.id).bind(&p.name).bind(&p.kind).bind(&p.countries).bind(p.created_at)
                .execute(&mut *tx).await.map_err(|e| StoreError::unique(e, "partner organisation"))?;
            insert_audit!(&mut *tx, audit, None::<Uuid>, p.created_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Partner organisations in code order, a page of `limit` after `after`.
    pub async fn partner_orgs(
        &self,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<PartnerOrgRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, name, kind, countries, created_at FROM partner_orgs WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after.unwrap_or("")).bind(limit).fetch_all(pool).await?))
    }

    pub async fn partner_org(&self, id: &str) -> StoreResult<Option<PartnerOrgRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, name, kind, countries, created_at FROM partner_orgs WHERE id = $1")
            .bind(id).fetch_optional(pool).await?))
    }

    // ---- consent and assignment -------------------------------------------------------------

    pub async fn add_consent(&self, c: &ConsentRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool).await?;
            sqlx::query(&format!("INSERT INTO consents ({CONSENT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
                .bind(c.id).bind(c.case_id).bind(c.person_id).bind(&c.purpose).bind(&c.partner_org)
                .bind(c.given_on).bind(c.withdrawn_on).bind(c.recorded_by).bind(c.recorded_at)
                .execute(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, Some(c.case_id), c.recorded_at)?;
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
            let mut tx = crate::db::begin_write(pool).await?;
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
            insert_audit!(&mut *tx, audit, Some(case_id), at)?;
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
            let mut tx = crate::db::begin_write(pool).await?;
            // Lock the case row first: a withdrawal running at the same time is then seen.
            sqlx::query("UPDATE cases SET version = version WHERE id = $1").bind(case_id).execute(&mut *tx).await?;
            let n = sqlx::query(
                "UPDATE cases SET partner_org = $1, version = version + 1, updated_at = $2 WHERE id = $3 \
                 AND EXISTS (SELECT 1 FROM consents WHERE case_id = $3 AND purpose = 'partner_transfer' \
                 AND partner_org = $1 AND withdrawn_on IS NULL)")
                .bind(org).bind(at).bind(case_id).execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                insert_audit!(&mut *tx, audit, Some(case_id), at)?;
            }
            tx.commit().await?;
            n > 0
        }))
    }

    // ---- plans --------------------------------------------------------------------------------

    pub async fn plan(&self, case_id: Uuid) -> StoreResult<Option<PlanRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT case_id, version, status, authors, submitted_at, updated_at FROM plans WHERE case_id = $1")
            .bind(case_id).fetch_optional(pool).await?))
    }

    /// The plan's lines (removed ones excluded) with what was spent on each, in creation order.
    pub async fn plan_lines(&self, case_id: Uuid) -> StoreResult<Vec<(PlanLineRow, i64)>> {
        let (lines, spent): (Vec<PlanLineRow>, Vec<(Uuid, i64)>) = on_db!(self, pool => {
            let lines = sqlx::query_as(&format!(
                "SELECT {LINE_COLS} FROM plan_lines WHERE case_id = $1 AND removed = $2 ORDER BY id"))
                .bind(case_id).bind(false).fetch_all(pool).await?;
            let spent = sqlx::query_as(
                "SELECT line_id, CAST(SUM(eur_cents) AS BIGINT) FROM spendings WHERE case_id = $1 GROUP BY line_id")
                .bind(case_id).fetch_all(pool).await?;
            (lines, spent)
        });
        Ok(lines
            .into_iter()
            .map(|l| {
                let s = spent
                    .iter()
                    .find(|(id, _)| *id == l.id)
                    .map(|(_, c)| *c)
                    .unwrap_or(0);
                (l, s)
            })
            .collect())
    }

    /// Starts a plan (version 1, draft), or returns the existing one untouched.
    pub async fn ensure_plan(
        &self,
        case_id: Uuid,
        author: Uuid,
        audit: &Audit,
    ) -> StoreResult<PlanRow> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool).await?;
            let n = sqlx::query(
                "INSERT INTO plans (case_id, version, status, authors, submitted_at, updated_at) \
                 VALUES ($1, 1, 'draft', $2, NULL, $3) ON CONFLICT (case_id) DO NOTHING")
                .bind(case_id).bind(serde_json::json!([author]).to_string()).bind(at)
                .execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                insert_audit!(&mut *tx, audit, Some(case_id), at)?;
            }
            tx.commit().await?;
        });
        self.plan(case_id).await?.ok_or(StoreError::NotFound)
    }

    /// Adds, changes or removes a line while the plan is editable (`draft` or `amended`), and
    /// records `authors`. Refused (`NotFound`) when the plan is not editable or the line unknown;
    /// a line with spending is never removed.
    pub async fn write_line(
        &self,
        case_id: Uuid,
        line_id: Uuid,
        values: Option<&LineValues>,
        authors: &str,
        audit: &Audit,
    ) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool).await?;
            let editable = sqlx::query("UPDATE plans SET authors = $1, updated_at = $2 WHERE case_id = $3 AND status IN ('draft', 'amended')")
                .bind(authors).bind(at).bind(case_id).execute(&mut *tx).await?.rows_affected();
            if editable == 0 {
                return Err(StoreError::NotFound);
            }
            let n = match values {
                Some(v) => {
                    let updated = sqlx::query(
                        "UPDATE plan_lines SET category = $1, employment_kind = $2, description = $3, provider = $4, \
                         target_date = $5, planned_cents = $6 WHERE id = $7 AND case_id = $8 AND removed = $9")
                        .bind(&v.category).bind(&v.employment_kind).bind(&v.description).bind(&v.provider)
                        .bind(v.target_date).bind(v.planned_cents).bind(line_id).bind(case_id).bind(false)
                        .execute(&mut *tx).await?.rows_affected();
                    if updated > 0 {
                        updated
                    } else {
                        sqlx::query(&format!("INSERT INTO plan_lines ({LINE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, $11, $12)"))
                            .bind(line_id).bind(case_id).bind(&v.category).bind(&v.employment_kind).bind(&v.description)
                            .bind(&v.provider).bind(v.target_date).bind(v.planned_cents).bind(false).bind(v.expires_on)
                            .bind(false).bind(at)
                            .execute(&mut *tx).await.map_err(|e| StoreError::unique(e, "plan line"))?.rows_affected()
                    }
                }
                None => sqlx::query(
                    "UPDATE plan_lines SET removed = $1 WHERE id = $2 AND case_id = $3 \
                     AND NOT EXISTS (SELECT 1 FROM spendings WHERE line_id = $2)")
                    .bind(true).bind(line_id).bind(case_id).execute(&mut *tx).await?.rows_affected(),
            };
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            insert_audit!(&mut *tx, audit, Some(case_id), at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Moves the plan from one status to another (`submit`, send back, `amend`), `false` when it
    /// was not in `from` any more. `version_step` is 1 when an amendment opens a new version.
    pub async fn move_plan(
        &self,
        case_id: Uuid,
        from: &[&str],
        to: &str,
        authors: &str,
        version_step: i32,
        audit: &Audit,
    ) -> StoreResult<bool> {
        let at = now();
        let submitted_at = (to == "submitted").then_some(at);
        let (a, b) = (from[0], from.get(1).copied().unwrap_or(from[0]));
        Ok(on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool).await?;
            let n = sqlx::query(
                "UPDATE plans SET status = $1, authors = $2, version = version + $3, updated_at = $4, \
                 submitted_at = COALESCE($5, submitted_at) WHERE case_id = $6 AND status IN ($7, $8)")
                .bind(to).bind(authors).bind(version_step).bind(at).bind(submitted_at).bind(case_id).bind(a).bind(b)
                .execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                // Approvals belong to the submitted version; a plan sent back starts over.
                if to != "submitted" {
                    sqlx::query("DELETE FROM plan_approvals WHERE case_id = $1 AND version = (SELECT version FROM plans WHERE case_id = $1)")
                        .bind(case_id).execute(&mut *tx).await?;
                }
                insert_audit!(&mut *tx, audit, Some(case_id), at)?;
            }
            tx.commit().await?;
            n > 0
        }))
    }

    pub async fn plan_approvals(&self, case_id: Uuid, version: i32) -> StoreResult<Vec<Uuid>> {
        let rows: Vec<(Uuid,)> = on_db!(self, pool => sqlx::query_as(
            "SELECT approver_id FROM plan_approvals WHERE case_id = $1 AND version = $2 ORDER BY at")
            .bind(case_id).bind(version).fetch_all(pool).await?);
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Records one approval of the submitted `version`. When it is the `needed`-th distinct one
    /// (counted inside the transaction, so two managers approving at once cannot both fall
    /// short), the plan becomes approved: each line's approved amount becomes its planned amount,
    /// lines get their deadlines (`expiry`: medical, general) and the version is kept in the
    /// history with its approvers.
    #[allow(clippy::too_many_arguments)]
    pub async fn approve_plan(
        &self,
        case_id: Uuid,
        version: i32,
        approver: Uuid,
        needed: usize,
        history: &PlanVersionRow,
        expiry: Option<(Date, Date)>,
        audit: &Audit,
    ) -> StoreResult<Approval> {
        let at = now();
        Ok(on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool).await?;
            let still = sqlx::query("UPDATE plans SET updated_at = $1 WHERE case_id = $2 AND version = $3 AND status = 'submitted'")
                .bind(at).bind(case_id).bind(version).execute(&mut *tx).await?.rows_affected();
            if still == 0 {
                return Ok(Approval::Stale);
            }
            sqlx::query("INSERT INTO plan_approvals (case_id, version, approver_id, at) VALUES ($1, $2, $3, $4)")
                .bind(case_id).bind(version).bind(approver).bind(at)
                .execute(&mut *tx).await.map_err(|e| StoreError::unique(e, "approval"))?;
            let approvers: Vec<(Uuid,)> = sqlx::query_as("SELECT approver_id FROM plan_approvals WHERE case_id = $1 AND version = $2 ORDER BY at, approver_id")
                .bind(case_id).bind(version).fetch_all(&mut *tx).await?;
            let complete = approvers.len() >= needed;
            if complete {
                sqlx::query("UPDATE plans SET status = 'approved' WHERE case_id = $1").bind(case_id).execute(&mut *tx).await?;
                sqlx::query("UPDATE plan_lines SET approved_cents = planned_cents WHERE case_id = $1 AND removed = $2")
                    .bind(case_id).bind(false).execute(&mut *tx).await?;
                if let Some((medical, general)) = expiry {
                    sqlx::query("UPDATE plan_lines SET expires_on = CASE WHEN category = 'medical' THEN $1 ELSE $2 END WHERE case_id = $3")
                        .bind(medical).bind(general).bind(case_id).execute(&mut *tx).await?;
                }
                let ids: Vec<Uuid> = approvers.iter().map(|a| a.0).collect();
                sqlx::query("INSERT INTO plan_versions (case_id, version, approved_at, total_cents, lines, approvers, policy_id, policy_hash) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(case_id).bind(version).bind(at).bind(history.total_cents).bind(&history.lines)
                    .bind(serde_json::to_string(&ids).expect("ids serialise"))
                    .bind(&history.policy_id).bind(&history.policy_hash)
                    .execute(&mut *tx).await?;
            }
            insert_audit!(&mut *tx, audit, Some(case_id), at)?;
            tx.commit().await?;
            if complete { Approval::Approved } else { Approval::Recorded }
        }))
    }

    /// Approved versions, newest first.
    pub async fn plan_versions(&self, case_id: Uuid) -> StoreResult<Vec<PlanVersionRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT case_id, version, approved_at, total_cents, lines, approvers, policy_id, policy_hash \
             FROM plan_versions WHERE case_id = $1 ORDER BY version DESC")
            .bind(case_id).fetch_all(pool).await?))
    }

    pub async fn arrival(&self, case_id: Uuid) -> StoreResult<Option<Date>> {
        let r: Option<(Date,)> = on_db!(self, pool => sqlx::query_as(
            "SELECT arrived_on FROM arrivals WHERE case_id = $1").bind(case_id).fetch_optional(pool).await?);
        Ok(r.map(|r| r.0))
    }

    // ---- spending and proofs ------------------------------------------------------------------

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
            let mut tx = crate::db::begin_write(pool).await?;
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
            insert_audit!(&mut *tx, audit, Some(s.case_id), s.recorded_at)?;
            tx.commit().await?;
            true
        }))
    }

    pub async fn spendings(&self, case_id: Uuid) -> StoreResult<Vec<SpendingRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {SPEND_COLS} FROM spendings WHERE case_id = $1 ORDER BY spent_on, id"))
            .bind(case_id).fetch_all(pool).await?))
    }

    pub async fn document(&self, id: Uuid) -> StoreResult<Option<DocumentRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {DOC_COLS} FROM documents WHERE id = $1")).bind(id).fetch_optional(pool).await?))
    }

    pub async fn documents(&self, case_id: Uuid) -> StoreResult<Vec<DocumentRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {DOC_COLS} FROM documents WHERE case_id = $1 ORDER BY id")).bind(case_id).fetch_all(pool).await?))
    }

    // ---- checklist and appointments -----------------------------------------------------------

    pub async fn set_checklist(&self, c: &ChecklistRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool).await?;
            sqlx::query("INSERT INTO checklist (case_id, item, person_id, done_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) \
                         ON CONFLICT (case_id, item, person_id) DO UPDATE SET done_on = $4, recorded_by = $5, recorded_at = $6")
                .bind(c.case_id).bind(&c.item).bind(c.person_id).bind(c.done_on).bind(c.recorded_by).bind(c.recorded_at)
                .execute(&mut *tx).await?;
            insert_audit!(&mut *tx, audit, Some(c.case_id), c.recorded_at)?;
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
            let mut tx = crate::db::begin_write(pool).await?;
            for a in rows {
                sqlx::query(&format!("INSERT INTO appointments ({APPT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
                    .bind(a.id).bind(a.case_id).bind(a.person_id).bind(&a.kind).bind(a.scheduled_on)
                    .bind(&a.status).bind(&a.outcome).bind(a.updated_by).bind(a.updated_at)
                    .execute(&mut *tx).await?;
            }
            insert_audit!(&mut *tx, audit, Some(first.case_id), first.updated_at)?;
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
            let mut tx = crate::db::begin_write(pool).await?;
            let n = sqlx::query("UPDATE appointments SET status = $1, outcome = $2, updated_by = $3, updated_at = $4 WHERE id = $5 AND case_id = $6")
                .bind(status).bind(outcome).bind(by).bind(at).bind(id).bind(case_id)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            insert_audit!(&mut *tx, audit, Some(case_id), at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn appointments(&self, case_id: Uuid) -> StoreResult<Vec<AppointmentRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {APPT_COLS} FROM appointments WHERE case_id = $1 ORDER BY scheduled_on, id"))
            .bind(case_id).fetch_all(pool).await?))
    }

    // ---- tasks and the deadline job -----------------------------------------------------------

    /// Marks lines whose deadline has passed as expired; returns how many changed.
    pub async fn expire_lines(&self, today: Date) -> StoreResult<u64> {
        Ok(on_db!(self, pool => sqlx::query(
            "UPDATE plan_lines SET expired = $1 WHERE expires_on < $2 AND expired = $3")
            .bind(true).bind(today).bind(false).execute(pool).await?.rows_affected()))
    }

    /// Raises tasks; one per kind and subject ever, so running the job again adds nothing.
    /// Returns how many were new.
    pub async fn raise_tasks(&self, tasks: &[TaskRow]) -> StoreResult<u64> {
        let mut n = 0;
        on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool).await?;
            for t in tasks {
                n += sqlx::query("INSERT INTO tasks (id, case_id, kind, subject_id, due_on, created_at, done_at, done_by) \
                                  VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL) ON CONFLICT (kind, subject_id) DO NOTHING")
                    .bind(t.id).bind(t.case_id).bind(&t.kind).bind(t.subject_id).bind(t.due_on).bind(t.created_at)
                    .execute(&mut *tx).await?.rows_affected();
            }
            tx.commit().await?;
        });
        Ok(n)
    }

    /// Cases that arrived on or before `cutoff` without a submitted plan, `limit` after `after`.
    pub async fn arrivals_without_plan(
        &self,
        cutoff: Date,
        after: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<(Uuid, Date)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT a.case_id, a.arrived_on FROM arrivals a LEFT JOIN plans p ON p.case_id = a.case_id \
             WHERE a.arrived_on <= $1 AND a.case_id > $2 AND p.submitted_at IS NULL ORDER BY a.case_id LIMIT $3")
            .bind(cutoff).bind(after).bind(limit).fetch_all(pool).await?))
    }

    /// Missed appointments, `limit` after `after`.
    pub async fn missed_appointments(
        &self,
        after: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<AppointmentRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {APPT_COLS} FROM appointments WHERE status = 'missed' AND id > $1 ORDER BY id LIMIT $2"))
            .bind(after).bind(limit).fetch_all(pool).await?))
    }

    /// Approved, unexpired lines whose deadline is in `[from, to]` and that have money left.
    pub async fn lines_expiring(
        &self,
        from: Date,
        to: Date,
        after: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<ExpiringLine>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT l.id, l.case_id, l.expires_on, \
             CAST(l.approved_cents - (SELECT COALESCE(SUM(s.eur_cents), 0) FROM spendings s WHERE s.line_id = l.id) AS BIGINT) AS left_cents \
             FROM plan_lines l WHERE l.expires_on >= $1 AND l.expires_on <= $2 AND l.id > $3 AND l.expired = $4 \
             AND l.removed = $4 AND l.approved_cents IS NOT NULL \
             AND l.approved_cents > (SELECT COALESCE(SUM(s.eur_cents), 0) FROM spendings s WHERE s.line_id = l.id) \
             ORDER BY l.id LIMIT $5")
            .bind(from).bind(to).bind(after).bind(false).bind(limit).fetch_all(pool).await?))
    }

    /// Open tasks on the cases of a counsellor or partner (or of everyone), `limit` after `after`.
    pub async fn open_tasks(
        &self,
        assignee: Option<&crate::Assignee>,
        case_id: Option<Uuid>,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<TaskListRow>> {
        let after = after.unwrap_or(Uuid::nil());
        let base = "SELECT t.id, t.case_id, c.reference, t.kind, t.subject_id, t.due_on FROM tasks t JOIN cases c ON c.id = t.case_id \
                    WHERE t.done_at IS NULL AND t.id > $1";
        Ok(on_db!(self, pool => match (assignee, case_id) {
            (_, Some(case_id)) => sqlx::query_as(&format!("{base} AND t.case_id = $2 ORDER BY t.id LIMIT $3"))
                .bind(after).bind(case_id).bind(limit).fetch_all(pool).await?,
            (Some(crate::Assignee::Counsellor(id)), None) => sqlx::query_as(&format!("{base} AND c.counsellor_id = $2 ORDER BY t.id LIMIT $3"))
                .bind(after).bind(id).bind(limit).fetch_all(pool).await?,
            (Some(crate::Assignee::Partner(org)), None) => sqlx::query_as(&format!("{base} AND c.partner_org = $2 ORDER BY t.id LIMIT $3"))
                .bind(after).bind(org).bind(limit).fetch_all(pool).await?,
            (None, None) => sqlx::query_as(&format!("{base} ORDER BY t.id LIMIT $2"))
                .bind(after).bind(limit).fetch_all(pool).await?,
        }))
    }

    pub async fn task(&self, id: Uuid) -> StoreResult<Option<TaskRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, case_id, kind, subject_id, due_on, created_at, done_at, done_by FROM tasks WHERE id = $1")
            .bind(id).fetch_optional(pool).await?))
    }

    pub async fn complete_task(&self, id: Uuid, by: Uuid, audit: &Audit) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool).await?;
            let case: Option<(Uuid,)> = sqlx::query_as("UPDATE tasks SET done_at = $1, done_by = $2 WHERE id = $3 AND done_at IS NULL RETURNING case_id")
                .bind(at).bind(by).bind(id).fetch_optional(&mut *tx).await?;
            let Some((case_id,)) = case else { return Err(StoreError::NotFound) };
            insert_audit!(&mut *tx, audit, Some(case_id), at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    // ---- final report -------------------------------------------------------------------------

    pub async fn submit_final_report(&self, r: &FinalReportRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::db::begin_write(pool).await?;
            sqlx::query("INSERT INTO final_reports (case_id, planned_cents, spent_cents, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(r.case_id).bind(r.planned_cents).bind(r.spent_cents).bind(r.submitted_by).bind(r.submitted_at)
                .execute(&mut *tx).await.map_err(|e| StoreError::unique(e, "final report"))?;
            insert_audit!(&mut *tx, audit, Some(r.case_id), r.submitted_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn final_report(&self, case_id: Uuid) -> StoreResult<Option<FinalReportRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT case_id, planned_cents, spent_cents, submitted_by, submitted_at FROM final_reports WHERE case_id = $1")
            .bind(case_id).fetch_optional(pool).await?))
    }
}
