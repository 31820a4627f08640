//! Partner organisations (IOM, Caritas, Enabel, local NGOs) and the countries they serve.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::db::on_db;
use crate::{Audit, Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PartnerOrgRow {
    /// A short code such as `iom-xk`; users and cases refer to it.
    pub id: String,
    pub name: String,
    pub kind: String,
    /// JSON array of country codes.
    pub countries: String,
    pub created_at: OffsetDateTime,
}

impl Store {
    pub async fn insert_partner_org(&self, p: &PartnerOrgRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query("INSERT INTO partner_orgs (id, name, kind, countries, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(&p.id).bind(&p.name).bind(&p.kind).bind(&p.countries).bind(p.created_at)
                .execute(&mut *tx).await.map_err(|e| StoreError::unique(e, "partner organisation"))?;
            insert_audit!(self, &mut *tx, audit, None::<Uuid>, p.created_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Partner organisations in code order, a page of `limit` after `after`.
    pub async fn partner_orgs(
        &self,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<PartnerOrgRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, name, kind, countries, created_at FROM partner_orgs WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after.unwrap_or("")).bind(limit).fetch_all(pool).await?))
    }

    pub async fn partner_org(&self, id: &str) -> StoreResult<Option<PartnerOrgRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, name, kind, countries, created_at FROM partner_orgs WHERE id = $1")
            .bind(id).fetch_optional(pool).await?))
    }
}
