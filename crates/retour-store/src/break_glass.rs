//! Break-glass grants: what a user opened in an emergency, on which case, why, until when.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::cases::now;
use crate::db::on_db;
use crate::script::{Script, ScriptError};
use crate::{Audit, Store, StoreError, StoreResult};

/// The task that tells a case's counsellor and the programme managers of a break-glass grant.
pub const BREAK_GLASS_TASK: &str = "break_glass";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GlassRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub case_id: Uuid,
    /// `None`: the case itself; else one special-category class.
    pub class: Option<String>,
    /// Encrypted by the application (`Sealed::BreakGlassReason`).
    pub reason: String,
    pub opened_at: OffsetDateTime,
    pub until: OffsetDateTime,
}

/// A grant with the names its readers need.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GlassEntryRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    pub case_id: Uuid,
    pub reference: String,
    pub class: Option<String>,
    pub reason: String,
    pub opened_at: OffsetDateTime,
    pub until: OffsetDateTime,
}

const ENTRY: &str = "SELECT g.id, g.user_id, u.display_name AS user_name, g.case_id, c.reference, \
    g.class, g.reason, g.opened_at, g.until \
    FROM break_glass g JOIN users u ON u.id = g.user_id JOIN cases c ON c.id = g.case_id";

impl Store {
    /// Records a grant, the task that tells the case's counsellor and the programme managers,
    /// and the audit record, in one write.
    pub async fn open_break_glass(
        &self,
        g: &GlassRow,
        due_on: time::Date,
        audit: &Audit,
    ) -> StoreResult<()> {
        let at = now();
        let mut script = Script::new();
        script.push(
            "INSERT INTO break_glass (id, user_id, case_id, class, reason, opened_at, until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![
                g.id.into(),
                g.user_id.into(),
                g.case_id.into(),
                g.class.clone().into(),
                (&g.reason).into(),
                g.opened_at.into(),
                g.until.into(),
            ],
        );
        script.push(
            "INSERT INTO tasks (id, case_id, kind, subject_id, due_on, created_at, done_at, done_by) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)",
            vec![
                Uuid::now_v7().into(),
                g.case_id.into(),
                BREAK_GLASS_TASK.into(),
                g.id.into(),
                due_on.into(),
                at.into(),
            ],
        );
        self.push_audit(&mut script, audit, Some(g.case_id), at);
        self.write_script(script).await.map_err(|e| match e {
            ScriptError::Stale => StoreError::Conflict { current: 0 },
            ScriptError::Failed { error, .. } => error.into(),
        })?;
        Ok(())
    }

    /// A user's grants that still run at `at`.
    pub async fn running_grants(
        &self,
        user_id: Uuid,
        at: OffsetDateTime,
    ) -> StoreResult<Vec<GlassRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, user_id, case_id, class, reason, opened_at, until FROM break_glass \
             WHERE user_id = $1 AND until > $2 ORDER BY until",
        )
        .bind(user_id)
        .bind(at)
        .fetch_all(pool)
        .await?))
    }

    /// The grants on one case, newest first.
    pub async fn grants_on_case(&self, case_id: Uuid) -> StoreResult<Vec<GlassEntryRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "{ENTRY} WHERE g.case_id = $1 ORDER BY g.opened_at DESC LIMIT 100"
        ))
        .bind(case_id)
        .fetch_all(pool)
        .await?))
    }

    /// Every grant, newest first, `limit` opened before grant `before` (keyset pagination on
    /// the ids, which are UUID v7: in the order they were opened).
    pub async fn recent_grants(
        &self,
        before: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<GlassEntryRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "{ENTRY} WHERE g.id < $1 ORDER BY g.id DESC LIMIT $2"
        ))
        .bind(before.unwrap_or(Uuid::max()))
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }

    /// Whether the case has a vulnerability of one of `kinds` recorded (such cases are closed
    /// to break-glass access).
    pub async fn has_vulnerability_of(&self, case_id: Uuid, kinds: &[String]) -> StoreResult<bool> {
        for kind in kinds {
            let found: Option<i32> = on_db!(self, pool => sqlx::query_scalar(
                "SELECT 1 FROM vulnerabilities WHERE case_id = $1 AND kind = $2 LIMIT 1",
            )
            .bind(case_id)
            .bind(kind)
            .fetch_optional(pool)
            .await?);
            if found.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
