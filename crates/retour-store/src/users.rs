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
