//! Reviews of a frozen entitlement after the household changed: raised with their task, kept up
//! to date while the household keeps changing, and decided by a programme manager.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::cases::now;
use crate::db::on_db;
use crate::{Audit, Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ReviewRow {
    pub id: Uuid,
    pub case_id: Uuid,
    /// `open`, `confirmed`, `kept` or `lapsed`.
    pub status: String,
    /// Raised by one on every update, so a decision is taken on what the manager saw.
    pub revision: i64,
    /// The quote request the household amounts to now (JSON).
    pub input: String,
    /// The entitlement computed again (JSON quote).
    pub quote: String,
    /// The frozen entitlement it would replace (JSON quote).
    pub frozen_quote: String,
    /// The lines that differ (JSON).
    pub changes: String,
    pub raised_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    pub decided_by: Option<Uuid>,
    pub reason: Option<String>,
}

/// A review with the name of who decided it, for the entitlement's history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ReviewEntry {
    #[sqlx(flatten)]
    pub review: ReviewRow,
    pub decided_by_name: Option<String>,
}

const COLS: &str = "id, case_id, status, revision, input, quote, frozen_quote, changes, raised_at, updated_at, decided_at, decided_by, reason";

/// What the household amounts to after a change: its recomputed entitlement and the differing lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub input: String,
    pub quote: String,
    pub frozen_quote: String,
    pub changes: String,
}

/// What bringing a case's review up to date did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewSync {
    /// Nothing to review, and nothing was open.
    Nothing,
    /// A review and its task were raised.
    Raised(Uuid),
    /// The open review now shows the latest change.
    Updated(Uuid),
    /// The household is back to what was frozen: the open review lapsed, its task is done.
    Lapsed(Uuid),
    /// The manager already kept the frozen entitlement against exactly this change.
    AlreadyKept,
}

/// A programme manager's decision on an open review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewDecision {
    /// Freeze the recomputed entitlement (the review's input and quote) in place of the old one.
    Confirm,
    /// Keep the frozen entitlement, for this reason.
    Keep(String),
}

/// The task kind a review raises (its subject is the review): `TaskKind::EntitlementChanged`.
pub const REVIEW_TASK: &str = "entitlement_changed";

impl Store {
    /// Brings the case's review in line with `proposal` (`None`: the household gives exactly the
    /// frozen entitlement), in one transaction with the task it raises or completes.
    pub async fn sync_review(
        &self,
        case_id: Uuid,
        proposal: Option<&Proposal>,
        due_on: time::Date,
        actor: Option<Uuid>,
    ) -> StoreResult<ReviewSync> {
        let at = now();
        let out = on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let open: Option<(Uuid,)> = sqlx::query_as("SELECT id FROM entitlement_reviews WHERE case_id = $1 AND status = 'open'")
                .bind(case_id).fetch_optional(&mut *tx).await?;
            let out = match (open, proposal) {
                (None, None) => ReviewSync::Nothing,
                (Some((id,)), Some(p)) => {
                    sqlx::query("UPDATE entitlement_reviews SET input = $1, quote = $2, frozen_quote = $3, changes = $4, updated_at = $5, revision = revision + 1 \
                                 WHERE id = $6 AND (quote <> $2 OR frozen_quote <> $3)")
                        .bind(&p.input).bind(&p.quote).bind(&p.frozen_quote).bind(&p.changes).bind(at).bind(id)
                        .execute(&mut *tx).await?;
                    ReviewSync::Updated(id)
                }
                (Some((id,)), None) => {
                    sqlx::query("UPDATE entitlement_reviews SET status = 'lapsed', decided_at = $1, updated_at = $1 WHERE id = $2")
                        .bind(at).bind(id).execute(&mut *tx).await?;
                    sqlx::query("UPDATE tasks SET done_at = $1, done_by = $2 WHERE kind = $3 AND subject_id = $4 AND done_at IS NULL")
                        .bind(at).bind(actor).bind(REVIEW_TASK).bind(id).execute(&mut *tx).await?;
                    insert_audit!(self, &mut *tx, &Audit::new(actor, "entitlement.review_lapsed"), Some(case_id), at)?;
                    ReviewSync::Lapsed(id)
                }
                (None, Some(p)) => {
                    let last: Option<(String, String)> = sqlx::query_as(
                        "SELECT status, quote FROM entitlement_reviews WHERE case_id = $1 AND status <> 'lapsed' ORDER BY id DESC LIMIT 1")
                        .bind(case_id).fetch_optional(&mut *tx).await?;
                    // The latest decision kept the frozen entitlement against this very result.
                    if last.is_some_and(|(s, q)| s == "kept" && q == p.quote) {
                        ReviewSync::AlreadyKept
                    } else {
                        let id = Uuid::now_v7();
                        sqlx::query(&format!("INSERT INTO entitlement_reviews ({COLS}) VALUES ($1, $2, 'open', 1, $3, $4, $5, $6, $7, $7, NULL, NULL, NULL)"))
                            .bind(id).bind(case_id).bind(&p.input).bind(&p.quote).bind(&p.frozen_quote).bind(&p.changes).bind(at)
                            .execute(&mut *tx).await
                            .map_err(|e| StoreError::unique(e, "entitlement review"))?;
                        sqlx::query("INSERT INTO tasks (id, case_id, kind, subject_id, due_on, created_at, done_at, done_by) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)")
                            .bind(Uuid::now_v7()).bind(case_id).bind(REVIEW_TASK).bind(id).bind(due_on).bind(at)
                            .execute(&mut *tx).await?;
                        insert_audit!(self, &mut *tx, &Audit::new(actor, "entitlement.review_raised"), Some(case_id), at)?;
                        ReviewSync::Raised(id)
                    }
                }
            };
            tx.commit().await?;
            out
        });
        Ok(out)
    }

    /// The open review of a case, if any.
    pub async fn open_review(&self, case_id: Uuid) -> StoreResult<Option<ReviewRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {COLS} FROM entitlement_reviews WHERE case_id = $1 AND status = 'open'"))
            .bind(case_id).fetch_optional(pool).await?))
    }

    /// Every review of a case, newest first, with who decided it.
    pub async fn reviews(&self, case_id: Uuid) -> StoreResult<Vec<ReviewEntry>> {
        let cols = COLS
            .split(", ")
            .map(|c| format!("r.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {cols}, u.display_name AS decided_by_name FROM entitlement_reviews r \
             LEFT JOIN users u ON u.id = r.decided_by WHERE r.case_id = $1 ORDER BY r.id DESC LIMIT 100"))
            .bind(case_id).fetch_all(pool).await?))
    }

    /// Decides the open review `id` as it stood at `revision`: a confirmation freezes its
    /// entitlement in place of the old one. The review, the snapshot, the task and the audit
    /// change together; a review decided or changed since is a conflict.
    pub async fn decide_review(
        &self,
        id: Uuid,
        revision: i64,
        decision: &ReviewDecision,
        by: Uuid,
        audit: &Audit,
    ) -> StoreResult<()> {
        let at = now();
        let (status, reason) = match decision {
            ReviewDecision::Confirm => ("confirmed", None),
            ReviewDecision::Keep(r) => ("kept", Some(r.as_str())),
        };
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let row: Option<ReviewRow> = sqlx::query_as(&format!(
                "UPDATE entitlement_reviews SET status = $1, decided_at = $2, decided_by = $3, reason = $4, updated_at = $2 \
                 WHERE id = $5 AND status = 'open' AND revision = $6 RETURNING {COLS}"))
                .bind(status).bind(at).bind(by).bind(reason).bind(id).bind(revision)
                .fetch_optional(&mut *tx).await?;
            let Some(row) = row else {
                let current: Option<(i64,)> = sqlx::query_as("SELECT revision FROM entitlement_reviews WHERE id = $1")
                    .bind(id).fetch_optional(&mut *tx).await?;
                return Err(match current {
                    Some((current,)) => StoreError::Conflict { current },
                    None => StoreError::NotFound,
                });
            };
            if *decision == ReviewDecision::Confirm {
                let changed = sqlx::query("UPDATE entitlement_snapshots SET input = $1, quote = $2, frozen_at = $3, frozen_by = $4 WHERE case_id = $5")
                    .bind(&row.input).bind(&row.quote).bind(at).bind(by).bind(row.case_id)
                    .execute(&mut *tx).await?.rows_affected();
                if changed != 1 {
                    return Err(StoreError::NotFound);
                }
            }
            sqlx::query("UPDATE tasks SET done_at = $1, done_by = $2 WHERE kind = $3 AND subject_id = $4 AND done_at IS NULL")
                .bind(at).bind(by).bind(REVIEW_TASK).bind(id).execute(&mut *tx).await?;
            insert_audit!(self, &mut *tx, audit, Some(row.case_id), at)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
