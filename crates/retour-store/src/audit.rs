//! The audit trail. Rows are only ever inserted; writes insert theirs in the same transaction.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::cases::now;
use crate::db::on_db;
use crate::{Store, StoreResult};

/// What is recorded about one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// `None` for the operator's command line.
    pub actor_id: Option<Uuid>,
    pub action: &'static str,
    /// Free detail without special-category values (never a diagnosis, only which field was read).
    pub detail: String,
}

impl Audit {
    pub fn new(actor_id: Option<Uuid>, action: &'static str) -> Audit {
        Audit {
            actor_id,
            action,
            detail: String::new(),
        }
    }
    pub fn detail(mut self, d: impl Into<String>) -> Audit {
        self.detail = d.into();
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct AuditRecord {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub case_id: Option<Uuid>,
    pub detail: String,
}

macro_rules! insert_audit {
    ($exec:expr, $audit:expr, $case:expr, $at:expr) => {
        sqlx::query("INSERT INTO audit_log (id, at, actor_id, action, case_id, detail) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(uuid::Uuid::now_v7())
            .bind($at)
            .bind($audit.actor_id)
            .bind($audit.action)
            .bind($case)
            .bind(&$audit.detail)
            .execute($exec)
            .await
    };
}
pub(crate) use insert_audit;

impl Store {
    /// Records an action that wrote nothing else (a read of a sensitive field, a sign-in).
    pub async fn append_audit(&self, audit: &Audit, case_id: Option<Uuid>) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => insert_audit!(pool, audit, case_id, at).map(|_| ())?);
        Ok(())
    }

    /// The trail of one case, newest first, `limit` rows from before `before` (keyset pagination).
    pub async fn audit_for_case(
        &self,
        case_id: Uuid,
        before: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<AuditRecord>> {
        let before = before.unwrap_or(Uuid::max());
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, at, actor_id, action, case_id, detail FROM audit_log WHERE case_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(case_id)
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }
}
