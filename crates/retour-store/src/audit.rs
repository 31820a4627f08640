//! The audit trail. Rows are only ever inserted; writes insert theirs in the same transaction.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::cases::now;
use crate::db::on_db;
use crate::writer::in_write;
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
        in_write!(self, tx => insert_audit!(&mut *tx, audit, case_id, at).map(|_| ())?);
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

/// Which audit records to list: every condition given must hold. Dates bound the time of the
/// record (`from` inclusive, `until` exclusive).
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub case_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub action: Option<String>,
    pub from: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    /// Keyset pagination: records older than this one.
    pub before: Option<Uuid>,
    pub limit: i64,
}

/// An audit record with the names a reader needs: who (display name) and which case (reference).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntryRow {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub action: String,
    pub case_id: Option<Uuid>,
    pub case_reference: Option<String>,
    pub detail: String,
}

/// The smallest (`max = false`) or largest UUID v7 of the millisecond `t`: record ids are
/// UUID v7, so a time range is an id range and every filter walks one index.
fn v7_bound(t: OffsetDateTime, max: bool) -> Uuid {
    let ms = (t.unix_timestamp_nanos() / 1_000_000).max(0) as u64;
    let mut bytes = if max { [0xff; 16] } else { [0u8; 16] };
    bytes[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    Uuid::from_bytes(bytes)
}

impl Store {
    /// One page of the audit trail, newest first, in one statement that walks an index on
    /// `(filter column, id)`, joined with the actor's name and the case's reference.
    pub async fn audit_page(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEntryRow>> {
        let mut upper = q.before.unwrap_or(Uuid::max());
        if let Some(until) = q.until {
            upper = upper.min(v7_bound(until, false));
        }
        let lower = q.from.map(|f| v7_bound(f, false)).unwrap_or(Uuid::nil());
        let mut sql = String::from(
            "SELECT a.id, a.at, a.actor_id, u.display_name AS actor_name, a.action, a.case_id, \
             c.reference AS case_reference, a.detail FROM audit_log a \
             LEFT JOIN users u ON u.id = a.actor_id LEFT JOIN cases c ON c.id = a.case_id \
             WHERE a.id < $1 AND a.id >= $2",
        );
        let mut n = 2;
        let mut cond = |col: &str, present: bool| {
            if present {
                n += 1;
                sql.push_str(&format!(" AND a.{col} = ${n}"));
            }
        };
        cond("case_id", q.case_id.is_some());
        cond("actor_id", q.actor_id.is_some());
        cond("action", q.action.is_some());
        sql.push_str(&format!(" ORDER BY a.id DESC LIMIT ${}", n + 1));
        Ok(on_db!(self, pool => {
            let mut query = sqlx::query_as::<_, AuditEntryRow>(&sql).bind(upper).bind(lower);
            if let Some(c) = q.case_id {
                query = query.bind(c);
            }
            if let Some(a) = q.actor_id {
                query = query.bind(a);
            }
            if let Some(a) = &q.action {
                query = query.bind(a.clone());
            }
            query.bind(q.limit).fetch_all(pool).await?
        }))
    }
}
