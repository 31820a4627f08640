//! The workbook for organisations: public orders (validated, rate-limited per client address,
//! with a honeypot), the staff queue that ships or rejects them, and the stock.

use retour_domain::children::{Edition, OrderInput};
use retour_domain::{Invalid, ValidationError, ValidationErrors};
use retour_store::{Audit, StockChange};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

use crate::authz::{require, Action};
use crate::{Actor, App, AppError, AppResult};

/// Orders (and honeypot hits) accepted from one client address per [`ORDER_WINDOW`].
pub const ORDERS_PER_WINDOW: usize = 5;
pub const ORDER_WINDOW: Duration = Duration::from_secs(3600);
/// The most addresses remembered; beyond it addresses whose window has passed are forgotten.
const MAX_TRACKED: usize = 100_000;
/// Orders per page of the staff queue.
pub const ORDER_PAGE: i64 = 20;
/// The largest stock level one form may set or add.
pub const MAX_STOCK_CHANGE: i64 = 100_000;

/// Counts public orders per client address in memory (like the sign-in throttle: a restart
/// forgets, which is acceptable for abuse protection).
#[derive(Default)]
pub struct OrderLimiter {
    seen: Mutex<HashMap<String, Vec<Instant>>>,
}

impl OrderLimiter {
    /// Takes one of the address's slots in the window, checking and recording under one lock so
    /// that parallel requests cannot all slip through. `false` when none is left.
    fn reserve(&self, key: &str) -> bool {
        let mut map = self.seen.lock().expect("order limiter lock");
        if map.len() >= MAX_TRACKED && !map.contains_key(key) {
            map.retain(|_, list| {
                list.retain(|t| t.elapsed() < ORDER_WINDOW);
                !list.is_empty()
            });
        }
        let list = map.entry(key.to_string()).or_default();
        list.retain(|t| t.elapsed() < ORDER_WINDOW);
        if list.len() >= ORDERS_PER_WINDOW {
            return false;
        }
        list.push(Instant::now());
        true
    }

    /// Gives a slot back: an order refused for invalid input does not count.
    fn release(&self, key: &str) {
        let mut map = self.seen.lock().expect("order limiter lock");
        if let Some(list) = map.get_mut(key) {
            list.pop();
        }
    }
}

/// Why a public order was not taken, besides invalid input.
#[derive(Debug)]
pub enum OrderError {
    /// Too many orders from this address lately.
    Throttled,
    /// The honeypot field was filled: a generic refusal, nothing stored.
    Refused,
    App(AppError),
}

impl From<AppError> for OrderError {
    fn from(e: AppError) -> Self {
        OrderError::App(e)
    }
}

/// A page of the staff queue.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrdersPage {
    pub status: String,
    pub orders: Vec<(
        crate::views::WorkbookOrder,
        Vec<crate::views::WorkbookOrderLine>,
    )>,
    pub next_after: Option<Uuid>,
    /// The central stock per edition.
    pub central: Vec<(Edition, i64)>,
}

/// The stock that public orders are shipped from.
pub const CENTRAL_STOCK: &str = retour_store::CENTRAL_STOCK;

pub const ORDER_STATUSES: [&str; 3] = ["pending", "shipped", "rejected"];

impl App {
    /// Takes a public order from `client` (its network address). Stores nothing when refused.
    pub async fn order_workbooks(
        &self,
        client: &str,
        input: &OrderInput,
        honeypot: &str,
    ) -> Result<crate::views::WorkbookOrder, OrderError> {
        if !self.order_limiter.reserve(client) {
            return Err(OrderError::Throttled);
        }
        if !honeypot.is_empty() {
            tracing::info!("workbook order refused: honeypot filled");
            return Err(OrderError::Refused);
        }
        let order = match input.parse() {
            Ok(o) => o,
            Err(e) => {
                self.order_limiter.release(client);
                return Err(AppError::Invalid(e).into());
            }
        };
        let row = self
            .store
            .create_order(
                &order,
                self.today().year(),
                &Audit::new(None, "workbook.order"),
            )
            .await;
        if row.is_err() {
            self.order_limiter.release(client);
        }
        Ok(row.map_err(AppError::from)?.into())
    }

    /// The staff queue: orders of one status, oldest first, keyset-paginated.
    pub async fn workbook_orders(
        &self,
        actor: &Actor,
        status: &str,
        after: Option<Uuid>,
    ) -> AppResult<OrdersPage> {
        require(actor, Action::ManageWorkbooks, None)?;
        let status = ORDER_STATUSES
            .iter()
            .find(|s| **s == status)
            .copied()
            .unwrap_or("pending");
        let mut orders = self.store.orders(status, after, ORDER_PAGE + 1).await?;
        let next_after =
            (orders.len() as i64 > ORDER_PAGE).then(|| orders[ORDER_PAGE as usize - 1].0.id);
        orders.truncate(ORDER_PAGE as usize);
        let mut central = Vec::new();
        for e in Edition::ALL {
            central.push((
                *e,
                self.store
                    .stock_of(retour_store::CENTRAL_STOCK, e.as_str())
                    .await?,
            ));
        }
        Ok(OrdersPage {
            status: status.into(),
            orders: orders
                .into_iter()
                .map(|(o, lines)| (o.into(), crate::views::all(lines)))
                .collect(),
            next_after,
            central,
        })
    }

    /// Marks an order shipped and takes its books from the central stock (all or nothing).
    pub async fn ship_order(&self, actor: &Actor, id: Uuid) -> AppResult<()> {
        require(actor, Action::ManageWorkbooks, None)?;
        let (order, _) = self.store.order(id).await?;
        self.store
            .ship_order(
                id,
                actor.id,
                &Audit::new(Some(actor.id), "workbook.ship").detail(order.number),
            )
            .await?;
        Ok(())
    }

    /// Marks an order rejected; the reason is required.
    pub async fn reject_order(&self, actor: &Actor, id: Uuid, reason: &str) -> AppResult<()> {
        require(actor, Action::ManageWorkbooks, None)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ValidationError::new(Invalid::Required).at("reason").into());
        }
        if reason.chars().count() > 1000 {
            return Err(ValidationError::new(Invalid::TooLong { max: 1000 })
                .at("reason")
                .into());
        }
        let (order, _) = self.store.order(id).await?;
        self.store
            .reject_order(
                id,
                actor.id,
                reason,
                &Audit::new(Some(actor.id), "workbook.reject").detail(order.number),
            )
            .await?;
        Ok(())
    }

    /// Every stock level.
    pub async fn workbook_stock(&self, actor: &Actor) -> AppResult<Vec<crate::views::StockLevel>> {
        require(actor, Action::ManageWorkbooks, None)?;
        Ok(crate::views::all(self.store.stock().await?))
    }

    /// Adds books to a location's stock (`mode` `add`) or records a count (`set`).
    pub async fn change_workbook_stock(
        &self,
        actor: &Actor,
        location: &str,
        edition: &str,
        mode: &str,
        quantity: &str,
    ) -> AppResult<i64> {
        require(actor, Action::ManageWorkbooks, None)?;
        let mut errors = ValidationErrors::default();
        let location = location.trim().to_lowercase();
        // The central stock, or an office's: a location typed wrong is refused, never created.
        if location.is_empty() {
            errors.push(ValidationError::new(Invalid::Required).at("location"));
        } else if location != CENTRAL_STOCK && !self.offices().await?.contains(&location) {
            errors.push(
                ValidationError::new(Invalid::UnknownValue {
                    value: location.clone(),
                })
                .at("location"),
            );
        }
        let edition: Option<Edition> = edition
            .trim()
            .parse()
            .map_err(|e: ValidationError| errors.push(e.at("edition")))
            .ok();
        let q = quantity.trim();
        let n = match q.parse::<i64>() {
            Ok(n) if (0..=MAX_STOCK_CHANGE).contains(&n) && q.len() <= 6 => Some(n),
            _ => {
                errors.push(
                    ValidationError::new(Invalid::Other {
                        code: retour_domain::children::codes::BAD_QUANTITY,
                        value: q.chars().take(20).collect(),
                    })
                    .at("quantity"),
                );
                None
            }
        };
        let change = match (mode, n) {
            ("add", Some(n)) if n > 0 => Some(StockChange::Add(n)),
            ("set", Some(n)) => Some(StockChange::Set(n)),
            ("add" | "set", _) => None,
            (other, _) => {
                errors.push(
                    ValidationError::new(Invalid::UnknownValue {
                        value: other.chars().take(20).collect(),
                    })
                    .at("mode"),
                );
                None
            }
        };
        if n == Some(0) && mode == "add" {
            errors.push(
                ValidationError::new(Invalid::Other {
                    code: retour_domain::children::codes::BAD_QUANTITY,
                    value: "0".into(),
                })
                .at("quantity"),
            );
        }
        errors.into_result(())?;
        let edition = edition.expect("checked");
        let change = change.expect("checked");
        Ok(self
            .store
            .change_stock(
                &location,
                edition.as_str(),
                change,
                &Audit::new(Some(actor.id), "workbook.stock")
                    .detail(format!("{location} {edition} {change:?}")),
            )
            .await?)
    }
}
