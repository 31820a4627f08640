//! Stored policy versions. The store keeps the source text; parsing is the domain's job.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::cases::now;
use crate::db::on_db;
use crate::writer::in_write;
use crate::{Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct StoredPolicy {
    pub id: Uuid,
    pub policy_id: String,
    pub effective_from: Date,
    pub content_hash: String,
    pub source: String,
    pub loaded_at: OffsetDateTime,
    pub loaded_by: Option<Uuid>,
}

const COLUMNS: &str = "id, policy_id, effective_from, content_hash, source, loaded_at, loaded_by";

impl Store {
    /// Stores a policy version; the same content twice is refused with `Duplicate("policy")`.
    pub async fn insert_policy(
        &self,
        policy_id: &str,
        effective_from: Date,
        content_hash: &str,
        source: &str,
        loaded_by: Option<Uuid>,
    ) -> StoreResult<StoredPolicy> {
        let rec = StoredPolicy {
            id: Uuid::now_v7(),
            policy_id: policy_id.into(),
            effective_from,
            content_hash: content_hash.into(),
            source: source.into(),
            loaded_at: now(),
            loaded_by,
        };
        in_write!(self, tx => sqlx::query(&format!("INSERT INTO policies ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
            .bind(rec.id)
            .bind(&rec.policy_id)
            .bind(rec.effective_from)
            .bind(&rec.content_hash)
            .bind(&rec.source)
            .bind(rec.loaded_at)
            .bind(rec.loaded_by)
            .execute(&mut *tx)
            .await
            .map(|_| ())
            .map_err(|e| StoreError::unique(e, "policy"))?);
        Ok(rec)
    }

    /// The policy in force on `day`: the latest loaded version effective on or before it.
    pub async fn policy_in_force(&self, day: Date) -> StoreResult<Option<StoredPolicy>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM policies WHERE effective_from <= $1 ORDER BY effective_from DESC, loaded_at DESC LIMIT 1"
        ))
        .bind(day)
        .fetch_optional(pool)
        .await?))
    }

    /// A stored version by its policy id and content hash: the exact text a snapshot was computed with.
    pub async fn policy_version(
        &self,
        policy_id: &str,
        content_hash: &str,
    ) -> StoreResult<Option<StoredPolicy>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM policies WHERE policy_id = $1 AND content_hash = $2 ORDER BY loaded_at LIMIT 1"
        ))
        .bind(policy_id)
        .bind(content_hash)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn policies(&self) -> StoreResult<Vec<StoredPolicy>> {
        Ok(
            on_db!(self, pool => sqlx::query_as(&format!("SELECT {COLUMNS} FROM policies ORDER BY effective_from, loaded_at"))
            .fetch_all(pool)
            .await?),
        )
    }
}
