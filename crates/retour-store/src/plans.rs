//! Reintegration plans: lines, versions, authors and approvals.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::cases::now;
use crate::cases::{apply_transition, insert_transition, TransitionEffect};
use crate::db::on_db;
use crate::rows::bump_count;
use crate::{Audit, Store, StoreError, StoreResult};
use retour_domain::lifecycle::Status;
use retour_domain::ValidationErrors;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PlanRow {
    pub case_id: Uuid,
    pub version: i32,
    pub status: String,
    /// JSON array of the ids of who wrote or submitted this version.
    pub submitted_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
    /// Why a programme manager sent this version back, until the plan moves again.
    pub sent_back_reason: Option<String>,
}

/// A move of a plan between statuses.
#[derive(Debug, Clone, Copy)]
pub struct PlanMove<'a> {
    /// The statuses it may move from (one or two).
    pub from: &'a [&'a str],
    pub to: &'a str,
    /// Who becomes an author of the version (whoever submits it).
    pub author: Option<Uuid>,
    /// 1 when an amendment opens a new version.
    pub version_step: i32,
    /// What to change, when a programme manager sends the plan back.
    pub sent_back_reason: Option<&'a str>,
}

/// A line with what was spent on it.
#[derive(sqlx::FromRow)]
struct LineSpent {
    #[sqlx(flatten)]
    line: PlanLineRow,
    spent: i64,
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

/// The lifecycle move that the approval completing a case's first plan makes in the same
/// transaction: `assessed → plan_approved`, freezing the entitlement the plan was checked against.
#[derive(Debug, Clone)]
pub struct BudgetMove {
    /// The case must still be at this version (nobody changed the household meanwhile).
    pub case_version: i64,
    pub actor: Uuid,
    pub request: retour_domain::lifecycle::TransitionRequest,
    pub freeze: crate::TransitionEffect,
    pub audit: Audit,
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

const LINE_COLS: &str = "id, case_id, category, employment_kind, description, provider, target_date, planned_cents, approved_cents, removed, expires_on, expired, created_at";

/// Records `$author` as an author of the plan's current version (once).
macro_rules! add_author {
    ($exec:expr, $case:expr, $author:expr) => {
        sqlx::query(
            "INSERT INTO plan_authors (case_id, version, user_id) \
             SELECT case_id, version, $1 FROM plans WHERE case_id = $2 ON CONFLICT DO NOTHING",
        )
        .bind($author)
        .bind($case)
        .execute($exec)
        .await
    };
}

impl Store {
    pub async fn plan(&self, case_id: Uuid) -> StoreResult<Option<PlanRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT case_id, version, status, submitted_at, updated_at, sent_back_reason FROM plans WHERE case_id = $1")
            .bind(case_id).fetch_optional(pool).await?))
    }

    /// The plan's lines (removed ones excluded) with what was spent on each, in creation order.
    pub async fn plan_lines(&self, case_id: Uuid) -> StoreResult<Vec<(PlanLineRow, i64)>> {
        // One statement (a page pays per statement): the sum per line through `spendings_line`.
        let rows: Vec<LineSpent> = on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {LINE_COLS}, CAST(COALESCE((SELECT SUM(s.eur_cents) FROM spendings s \
             WHERE s.line_id = plan_lines.id), 0) AS BIGINT) AS spent \
             FROM plan_lines WHERE case_id = $1 AND removed = $2 ORDER BY id"))
            .bind(case_id).bind(false).fetch_all(pool).await?);
        Ok(rows.into_iter().map(|r| (r.line, r.spent)).collect())
    }

    /// Starts a plan (version 1, draft), or returns the existing one untouched.
    pub async fn ensure_plan(&self, case_id: Uuid, audit: &Audit) -> StoreResult<PlanRow> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let n = sqlx::query(
                "INSERT INTO plans (case_id, version, status, submitted_at, updated_at) \
                 VALUES ($1, 1, 'draft', NULL, $2) ON CONFLICT (case_id) DO NOTHING")
                .bind(case_id).bind(at)
                .execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                insert_audit!(self, &mut *tx, audit, Some(case_id), at)?;
            }
            tx.commit().await?;
        });
        self.plan(case_id).await?.ok_or(StoreError::NotFound)
    }

    /// Adds, changes or removes a line while the plan is editable (`draft` or `amended`), and
    /// records `author` as an author of the version being edited. Refused (`NotFound`) when the plan is not editable or the line unknown;
    /// a line with spending is never removed.
    pub async fn write_line(
        &self,
        case_id: Uuid,
        line_id: Uuid,
        values: Option<&LineValues>,
        author: Uuid,
        audit: &Audit,
    ) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let editable = sqlx::query("UPDATE plans SET updated_at = $1 WHERE case_id = $2 AND status IN ('draft', 'amended')")
                .bind(at).bind(case_id).execute(&mut *tx).await?.rows_affected();
            if editable == 0 {
                return Err(StoreError::NotFound);
            }
            add_author!(&mut *tx, case_id, author)?;
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
            insert_audit!(self, &mut *tx, audit, Some(case_id), at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Moves the plan from one status to another (`submit`, send back, `amend`), `false` when it
    /// was not in `from` any more.
    pub async fn move_plan(
        &self,
        case_id: Uuid,
        m: &PlanMove<'_>,
        audit: &Audit,
    ) -> StoreResult<bool> {
        let PlanMove {
            from,
            to,
            author,
            version_step,
            sent_back_reason,
        } = *m;
        let at = now();
        let submitted_at = (to == "submitted").then_some(at);
        let (a, b) = (from[0], from.get(1).copied().unwrap_or(from[0]));
        Ok(on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let n = sqlx::query(
                "UPDATE plans SET status = $1, version = version + $2, updated_at = $3, \
                 submitted_at = COALESCE($4, submitted_at), sent_back_reason = $8 WHERE case_id = $5 AND status IN ($6, $7)")
                .bind(to).bind(version_step).bind(at).bind(submitted_at).bind(case_id).bind(a).bind(b).bind(sent_back_reason)
                .execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                if let Some(author) = author {
                    add_author!(&mut *tx, case_id, author)?;
                }
                // Approvals belong to the submitted version; a plan sent back starts over.
                if to != "submitted" {
                    sqlx::query("DELETE FROM plan_approvals WHERE case_id = $1 AND version = (SELECT version FROM plans WHERE case_id = $1)")
                        .bind(case_id).execute(&mut *tx).await?;
                }
                insert_audit!(self, &mut *tx, audit, Some(case_id), at)?;
            }
            tx.commit().await?;
            n > 0
        }))
    }

    /// Who wrote or submitted `version` of the plan. A row that does not read as a person is
    /// corrupt data and fails the whole read: the four-eyes rule must never see "nobody".
    pub async fn plan_authors(&self, case_id: Uuid, version: i32) -> StoreResult<Vec<Uuid>> {
        let rows: Vec<(Uuid,)> = on_db!(self, pool => sqlx::query_as(
            "SELECT user_id FROM plan_authors WHERE case_id = $1 AND version = $2 ORDER BY user_id")
            .bind(case_id).bind(version).fetch_all(pool).await
            .map_err(|e| match e {
                sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => StoreError::corrupt("plan_authors", e),
                e => StoreError::from(e),
            })?);
        Ok(rows.into_iter().map(|r| r.0).collect())
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
        budget: Option<&BudgetMove>,
    ) -> StoreResult<Approval> {
        let at = now();
        Ok(on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
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
                if let Some(m) = budget {
                    let effect = Some(&m.freeze);
                    apply_transition!(self, &mut tx, case_id, m.case_version, m.actor, &m.request, &m.audit, effect, at);
                }
            }
            insert_audit!(self, &mut *tx, audit, Some(case_id), at)?;
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
}
