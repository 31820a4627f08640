//! Sign-in sessions and personal API tokens. Only hashes of the secrets are stored.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::cases::now;
use crate::db::on_db;
use crate::writer::in_write;
use crate::{Store, StoreError, StoreResult, User};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRecord {
    pub token_hash: String,
    pub user_id: Uuid,
    pub csrf: String,
    pub created_at: OffsetDateTime,
    pub last_seen: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ApiTokenRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

/// The active user holding a token that is not revoked.
pub(crate) const TOKEN_USER_SQL: &str = "SELECT u.id, u.email, u.display_name, u.role, u.office, u.partner_org, u.locale, u.password_hash, u.active, u.created_at \
     FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active";

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: Uuid,
        csrf: &str,
    ) -> StoreResult<SessionRecord> {
        let at = now();
        in_write!(self, tx => sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen) VALUES ($1, $2, $3, $4, $4)")
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map(|_| ())?);
        Ok(SessionRecord {
            token_hash: token_hash.into(),
            user_id,
            csrf: csrf.into(),
            created_at: at,
            last_seen: at,
        })
    }

    pub async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>> {
        Ok(
            on_db!(self, pool => sqlx::query_as("SELECT token_hash, user_id, csrf, created_at, last_seen FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(pool)
            .await?),
        )
    }

    pub async fn touch_session(&self, token_hash: &str, at: OffsetDateTime) -> StoreResult<()> {
        in_write!(self, tx => sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2").bind(at).bind(token_hash).execute(&mut *tx).await.map(|_| ())?);
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        in_write!(self, tx => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await.map(|_| ())?);
        Ok(())
    }

    /// Removes sessions idle since before `cutoff`; returns how many.
    pub async fn delete_idle_sessions(&self, cutoff: OffsetDateTime) -> StoreResult<u64> {
        Ok(
            in_write!(self, tx => sqlx::query("DELETE FROM sessions WHERE last_seen < $1").bind(cutoff).execute(&mut *tx).await?.rows_affected()),
        )
    }

    pub async fn create_api_token(
        &self,
        user_id: Uuid,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<ApiTokenRecord> {
        let rec = ApiTokenRecord {
            id: Uuid::now_v7(),
            user_id,
            name: name.into(),
            created_at: now(),
            revoked_at: None,
        };
        in_write!(self, tx => sqlx::query("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, NULL)")
            .bind(rec.id)
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(rec.created_at)
            .execute(&mut *tx)
            .await
            .map(|_| ())?);
        Ok(rec)
    }

    /// The active user holding a token that is not revoked.
    pub async fn user_by_api_token(&self, token_hash: &str) -> StoreResult<Option<User>> {
        // Every API request asks this: on SQLite on the calling thread (see `fast_read`).
        if let Some(reader) = &self.reader {
            return reader.0.user_by_api_token(token_hash);
        }
        Ok(on_db!(self, pool => sqlx::query_as(TOKEN_USER_SQL)
        .bind(token_hash)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn revoke_api_token(&self, id: Uuid) -> StoreResult<()> {
        let n = in_write!(self, tx => sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL").bind(now()).bind(id).execute(&mut *tx).await?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn api_tokens_of(&self, user_id: Uuid) -> StoreResult<Vec<ApiTokenRecord>> {
        Ok(
            on_db!(self, pool => sqlx::query_as("SELECT id, user_id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id")
            .bind(user_id)
            .fetch_all(pool)
            .await?),
        )
    }

    /// Accounts ordered by e-mail, `limit` after `after` (keyset).
    pub async fn users_page(&self, after: Option<&str>, limit: i64) -> StoreResult<Vec<User>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, email, display_name, role, office, partner_org, locale, password_hash, active, created_at \
             FROM users WHERE email > $1 ORDER BY email LIMIT $2",
        )
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }

    pub async fn set_user_active(&self, id: Uuid, active: bool) -> StoreResult<()> {
        // Deactivating and ending the account's sessions is one change.
        let n = in_write!(self, tx => {
            let n = sqlx::query("UPDATE users SET active = $1 WHERE id = $2").bind(active).bind(id).execute(&mut *tx).await?.rows_affected();
            if n > 0 && !active {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            }
            n
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn set_user_locale(&self, id: Uuid, locale: &str) -> StoreResult<()> {
        in_write!(self, tx => sqlx::query("UPDATE users SET locale = $1 WHERE id = $2").bind(locale).bind(id).execute(&mut *tx).await.map(|_| ())?);
        Ok(())
    }
}
