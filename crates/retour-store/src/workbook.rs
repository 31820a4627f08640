//! The children's workbook: stock per location and edition, hand-outs to children, and orders
//! from organisations. Stock only ever moves through a conditional `UPDATE … WHERE quantity >= n`
//! in the same transaction as what consumes it, so two concurrent hand-outs can never take the
//! last book twice (and the `CHECK (quantity >= 0)` is the last line of defence).

use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::cases::now;
use crate::children::{HandoutRow, H_COLS};
use crate::db::on_db;
use crate::{Audit, Store, StoreError, StoreResult};
use retour_domain::children::{codes, order_number, Order};
use retour_domain::{Invalid, ValidationError};

/// Where orders are shipped from.
pub const CENTRAL_STOCK: &str = "central";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct StockRow {
    pub location: String,
    pub edition: String,
    pub quantity: i64,
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct OrderRow {
    pub id: Uuid,
    pub number: String,
    pub organisation: String,
    pub contact_name: String,
    pub email: String,
    pub address: String,
    /// `pending`, `shipped` or `rejected`.
    pub status: String,
    /// Why it was rejected (empty otherwise).
    pub reason: String,
    pub created_at: OffsetDateTime,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct OrderLineRow {
    pub order_id: Uuid,
    pub edition: String,
    pub quantity: i64,
}

/// How a stock level changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockChange {
    /// Books received.
    Add(i64),
    /// A count: the quantity is now this.
    Set(i64),
}

const O_COLS: &str = "id, number, organisation, contact_name, email, address, status, reason, created_at, decided_by, decided_at";

fn out_of_stock(edition: &str) -> StoreError {
    StoreError::Invalid(
        ValidationError::new(Invalid::Other {
            code: codes::OUT_OF_STOCK,
            value: edition.to_string(),
        })
        .at("edition")
        .into(),
    )
}

/// Takes `n` books of `edition` from `location` inside the transaction, or fails without change.
macro_rules! take_stock {
    ($tx:expr, $location:expr, $edition:expr, $n:expr, $at:expr) => {{
        let taken = sqlx::query(
            "UPDATE workbook_stock SET quantity = quantity - $1, updated_at = $4 \
             WHERE location = $2 AND edition = $3 AND quantity >= $1",
        )
        .bind($n)
        .bind($location)
        .bind($edition)
        .bind($at)
        .execute($tx)
        .await?
        .rows_affected();
        if taken != 1 {
            return Err(out_of_stock($edition));
        }
    }};
}

impl Store {
    /// Every stock level, by location then edition.
    pub async fn stock(&self) -> StoreResult<Vec<StockRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT location, edition, quantity, updated_at FROM workbook_stock ORDER BY location, edition")
            .fetch_all(pool).await?))
    }

    /// The stock of one edition at one location (0 when never stocked).
    pub async fn stock_of(&self, location: &str, edition: &str) -> StoreResult<i64> {
        let q: Option<i64> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT quantity FROM workbook_stock WHERE location = $1 AND edition = $2")
            .bind(location).bind(edition).fetch_optional(pool).await?);
        Ok(q.unwrap_or(0))
    }

    /// Adds to or sets a stock level; returns the new quantity.
    pub async fn change_stock(
        &self,
        location: &str,
        edition: &str,
        change: StockChange,
        audit: &Audit,
    ) -> StoreResult<i64> {
        let at = now();
        let sql = match change {
            StockChange::Add(_) => "INSERT INTO workbook_stock (location, edition, quantity, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (location, edition) DO UPDATE SET quantity = workbook_stock.quantity + $3, updated_at = $4 RETURNING quantity",
            StockChange::Set(_) => "INSERT INTO workbook_stock (location, edition, quantity, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (location, edition) DO UPDATE SET quantity = $3, updated_at = $4 RETURNING quantity",
        };
        let n = match change {
            StockChange::Add(n) | StockChange::Set(n) => n,
        };
        Ok(on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let q: i64 = sqlx::query_scalar(sql)
                .bind(location).bind(edition).bind(n).bind(at)
                .fetch_one(&mut *tx)
                .await?;
            insert_audit!(self, &mut *tx, audit, None::<Uuid>, at)?;
            tx.commit().await?;
            q
        }))
    }

    /// Records a hand-out and takes the book from `h.location`'s stock, in one transaction.
    /// No stock: `Invalid(out-of-stock)`; the child already has the book: `Duplicate`.
    pub async fn hand_out_workbook(&self, h: &HandoutRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            // The stock update comes first so that SQLite takes its write lock before reading.
            take_stock!(&mut *tx, &h.location, &h.edition, 1i64, h.recorded_at);
            sqlx::query(&format!("INSERT INTO workbook_handouts ({H_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
                .bind(h.id).bind(h.case_id).bind(h.person_id).bind(&h.edition).bind(h.handed_on)
                .bind(h.handed_by).bind(&h.location).bind(h.recorded_at)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::unique(e, "workbook handout"))?;
            insert_audit!(self, &mut *tx, audit, Some(h.case_id), h.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Stores an order with the next number of `year` (`WB-2026-000123`); returns the row.
    pub async fn create_order(
        &self,
        order: &Order,
        year: i32,
        audit: &Audit,
    ) -> StoreResult<OrderRow> {
        let id = Uuid::now_v7();
        let at = now();
        let number = on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let n: i64 = sqlx::query_scalar(
                "INSERT INTO workbook_order_counters (year, last_number) VALUES ($1, 1) \
                 ON CONFLICT (year) DO UPDATE SET last_number = workbook_order_counters.last_number + 1 RETURNING last_number",
            )
            .bind(year)
            .fetch_one(&mut *tx)
            .await?;
            let number = order_number(year, n);
            sqlx::query(&format!("INSERT INTO workbook_orders ({O_COLS}) VALUES ($1, $2, $3, $4, $5, $6, 'pending', '', $7, NULL, NULL)"))
                .bind(id).bind(&number).bind(&order.organisation).bind(&order.contact_name)
                .bind(&order.email).bind(&order.address).bind(at)
                .execute(&mut *tx)
                .await?;
            for (edition, quantity) in &order.lines {
                sqlx::query("INSERT INTO workbook_order_lines (order_id, edition, quantity) VALUES ($1, $2, $3)")
                    .bind(id).bind(edition.as_str()).bind(*quantity)
                    .execute(&mut *tx)
                    .await?;
            }
            let audit = audit.clone().detail(number.clone());
            insert_audit!(self, &mut *tx, audit, None::<Uuid>, at)?;
            tx.commit().await?;
            number
        });
        self.order(id).await.map(|(o, _)| o).map_err(|e| match e {
            StoreError::NotFound => StoreError::corrupt("workbook_orders", number),
            e => e,
        })
    }

    /// One order and its lines.
    pub async fn order(&self, id: Uuid) -> StoreResult<(OrderRow, Vec<OrderLineRow>)> {
        on_db!(self, pool => {
            let o: Option<OrderRow> = sqlx::query_as(&format!("SELECT {O_COLS} FROM workbook_orders WHERE id = $1"))
                .bind(id).fetch_optional(pool).await?;
            let o = o.ok_or(StoreError::NotFound)?;
            let lines = sqlx::query_as("SELECT order_id, edition, quantity FROM workbook_order_lines WHERE order_id = $1 ORDER BY edition")
                .bind(id).fetch_all(pool).await?;
            Ok((o, lines))
        })
    }

    /// Orders of one status, oldest first, `limit` of them after `after` (keyset), with their lines.
    pub async fn orders(
        &self,
        status: &str,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<(OrderRow, Vec<OrderLineRow>)>> {
        let after = after.unwrap_or(Uuid::nil());
        let (orders, lines): (Vec<OrderRow>, Vec<OrderLineRow>) = on_db!(self, pool => {
            let orders: Vec<OrderRow> = sqlx::query_as(&format!(
                "SELECT {O_COLS} FROM workbook_orders WHERE status = $1 AND id > $2 ORDER BY id LIMIT $3"))
                .bind(status).bind(after).bind(limit).fetch_all(pool).await?;
            let lines = match (orders.first(), orders.last()) {
                (Some(first), Some(last)) => sqlx::query_as(
                    "SELECT order_id, edition, quantity FROM workbook_order_lines WHERE order_id >= $1 AND order_id <= $2 ORDER BY order_id, edition")
                    .bind(first.id).bind(last.id).fetch_all(pool).await?,
                _ => Vec::new(),
            };
            (orders, lines)
        });
        Ok(orders
            .into_iter()
            .map(|o| {
                let mine = lines
                    .iter()
                    .filter(|l| l.order_id == o.id)
                    .cloned()
                    .collect();
                (o, mine)
            })
            .collect())
    }

    /// Marks a pending order shipped and takes its books from the central stock, all or nothing.
    pub async fn ship_order(&self, id: Uuid, by: Uuid, audit: &Audit) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let changed = sqlx::query("UPDATE workbook_orders SET status = 'shipped', decided_by = $2, decided_at = $3 WHERE id = $1 AND status = 'pending'")
                .bind(id).bind(by).bind(at)
                .execute(&mut *tx).await?.rows_affected();
            if changed != 1 {
                return Err(StoreError::Conflict { current: 0 });
            }
            let lines: Vec<OrderLineRow> = sqlx::query_as("SELECT order_id, edition, quantity FROM workbook_order_lines WHERE order_id = $1 ORDER BY edition")
                .bind(id).fetch_all(&mut *tx).await?;
            for l in &lines {
                take_stock!(&mut *tx, CENTRAL_STOCK, &l.edition, l.quantity, at);
            }
            insert_audit!(self, &mut *tx, audit, None::<Uuid>, at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Marks a pending order rejected with the reason given.
    pub async fn reject_order(
        &self,
        id: Uuid,
        by: Uuid,
        reason: &str,
        audit: &Audit,
    ) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let changed = sqlx::query("UPDATE workbook_orders SET status = 'rejected', reason = $4, decided_by = $2, decided_at = $3 WHERE id = $1 AND status = 'pending'")
                .bind(id).bind(by).bind(at).bind(reason)
                .execute(&mut *tx).await?.rows_affected();
            if changed != 1 {
                return Err(StoreError::Conflict { current: 0 });
            }
            insert_audit!(self, &mut *tx, audit, None::<Uuid>, at)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
