//! Offices: the return desks and reception centres whose counsellors see their cases.

use crate::cases::now;
use crate::db::on_db;
use crate::writer::in_write;
use crate::{Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OfficeRow {
    pub id: String,
    pub name: String,
}

impl Store {
    /// Every office, by name (a handful: no page of them is needed).
    pub async fn offices(&self) -> StoreResult<Vec<OfficeRow>> {
        Ok(
            on_db!(self, pool => sqlx::query_as("SELECT id, name FROM offices ORDER BY name, id")
            .fetch_all(pool).await?),
        )
    }

    /// Adds an office; a code in use is `Duplicate("office")`.
    pub async fn create_office(&self, id: &str, name: &str) -> StoreResult<()> {
        in_write!(self, tx => sqlx::query("INSERT INTO offices (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(id).bind(name).bind(now())
            .execute(&mut *tx).await.map(|_| ()).map_err(|e| StoreError::unique(e, "office"))?);
        Ok(())
    }

    pub async fn rename_office(&self, id: &str, name: &str) -> StoreResult<()> {
        let n = in_write!(self, tx => sqlx::query("UPDATE offices SET name = $1 WHERE id = $2")
            .bind(name).bind(id).execute(&mut *tx).await?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
