//! Retour's use cases. Web pages, the JSON API and the CLI all call these functions; this is the
//! one place that decides who may do what ([`authz::can`]) and that writes the audit trail.

pub mod auth;
pub mod authz;
pub mod cases;
pub mod demo;
mod error;

pub use auth::{Actor, Role};
pub use error::{AppError, AppResult};

use retour_store::Store;

/// Everything a use case needs: the store (and, later, caches and keys).
#[derive(Clone)]
pub struct App {
    pub store: Store,
}

impl App {
    pub fn new(store: Store) -> App {
        App { store }
    }

    /// Today's date in UTC: the bound for birth dates and booking dates.
    pub fn today(&self) -> time::Date {
        time::OffsetDateTime::now_utc().date()
    }
}
