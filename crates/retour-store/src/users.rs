//! Staff accounts. Passwords arrive here already hashed: hashing is the app layer's job.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::cases::now;
use crate::db::on_db;
use crate::writer::in_write;
use crate::{Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub office: Option<String>,
    pub partner_org: Option<String>,
    pub locale: String,
    pub password_hash: String,
    pub active: bool,
    pub created_at: OffsetDateTime,
}

pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub office: Option<String>,
    pub partner_org: Option<String>,
    pub locale: String,
    pub password_hash: String,
}

const USER_COLUMNS: &str =
    "id, email, display_name, role, office, partner_org, locale, password_hash, active, created_at";

impl Store {
    /// Adds an account; an e-mail address already in use is refused with `Duplicate("user")`.
    pub async fn create_user(&self, new: NewUser) -> StoreResult<User> {
        let user = User {
            id: Uuid::now_v7(),
            email: new.email.trim().to_lowercase(),
            display_name: new.display_name,
            role: new.role,
            office: new.office,
            partner_org: new.partner_org,
            locale: new.locale,
            password_hash: new.password_hash,
            active: true,
            created_at: now(),
        };
        in_write!(self, tx => sqlx::query(&format!("INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
            .bind(user.id)
            .bind(&user.email)
            .bind(&user.display_name)
            .bind(&user.role)
            .bind(&user.office)
            .bind(&user.partner_org)
            .bind(&user.locale)
            .bind(&user.password_hash)
            .bind(user.active)
            .bind(user.created_at)
            .execute(&mut *tx)
            .await
            .map(|_| ())
            .map_err(|e| StoreError::unique(e, "user"))?);
        Ok(user)
    }

    pub async fn user_by_email(&self, email: &str) -> StoreResult<User> {
        let email = email.trim().to_lowercase();
        let u: Option<User> = on_db!(self, pool => sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"))
            .bind(&email)
            .fetch_optional(pool)
            .await?);
        u.ok_or(StoreError::NotFound)
    }

    pub async fn user(&self, id: Uuid) -> StoreResult<User> {
        let u: Option<User> = on_db!(self, pool => sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await?);
        u.ok_or(StoreError::NotFound)
    }

    pub async fn set_password_hash(&self, id: Uuid, hash: &str) -> StoreResult<()> {
        let n = in_write!(self, tx => sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

/// What an admin may change about an account.
pub struct UserChange {
    pub display_name: String,
    pub role: String,
    pub office: Option<String>,
    pub partner_org: Option<String>,
}

impl Store {
    /// Changes role, office, partner and name; a new role or scope takes effect at once, so the
    /// account's stored sessions end in the same transaction (it signs in again).
    pub async fn update_user(&self, id: Uuid, c: &UserChange) -> StoreResult<User> {
        let n = in_write!(self, tx => {
            let n = sqlx::query("UPDATE users SET display_name = $1, role = $2, office = $3, partner_org = $4 WHERE id = $5")
                .bind(&c.display_name).bind(&c.role).bind(&c.office).bind(&c.partner_org).bind(id)
                .execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            }
            n
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        self.user(id).await
    }

    /// A new password for an account, ending its sessions other than `keep` (the one that
    /// changed it, if any).
    pub async fn change_password(
        &self,
        id: Uuid,
        hash: &str,
        keep: Option<&str>,
    ) -> StoreResult<()> {
        let n = in_write!(self, tx => {
            let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(hash).bind(id).execute(&mut *tx).await?.rows_affected();
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(id).bind(keep.unwrap_or("")).execute(&mut *tx).await?;
            n
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Stores a reset link's secret (hashed) for `user_id`, valid until `expires_at`; earlier
    /// unused links of the account stop working.
    pub async fn create_password_reset(
        &self,
        user_id: Uuid,
        token_hash: &str,
        created_by: Option<Uuid>,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        let at = now();
        in_write!(self, tx => {
            sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
                .bind(at).bind(user_id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, NULL)")
                .bind(token_hash).bind(user_id).bind(created_by).bind(at).bind(expires_at)
                .execute(&mut *tx).await?;
        });
        Ok(())
    }

    /// The account a reset link is for, while it is unused and in time.
    pub async fn password_reset_user(&self, token_hash: &str) -> StoreResult<Option<User>> {
        let cols = USER_COLUMNS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {cols} FROM password_resets r JOIN users u ON u.id = r.user_id \
             WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.active"))
            .bind(token_hash).bind(now()).fetch_optional(pool).await?))
    }

    /// Uses a reset link: sets the password and ends every session of the account, once. Two
    /// uses at once: one sets the password, the other finds the link used (`NotFound`).
    pub async fn use_password_reset(&self, token_hash: &str, hash: &str) -> StoreResult<Uuid> {
        let at = now();
        let user: Option<Uuid> = in_write!(self, tx => {
            let user: Option<Uuid> = sqlx::query_scalar(
                "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id")
                .bind(at).bind(token_hash).fetch_optional(&mut *tx).await?;
            if let Some(u) = user {
                sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash).bind(u).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(u).execute(&mut *tx).await?;
            }
            user
        });
        user.ok_or(StoreError::NotFound)
    }
}
