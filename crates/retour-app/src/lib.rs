//! Retour's use cases. Web pages, the JSON API and the CLI all call these functions; this is the
//! one place that decides who may do what ([`authz::can`]) and that writes the audit trail.

pub mod auth;
pub mod authz;
pub mod cases;
pub mod children;
pub mod crypto;
pub mod delivery;
pub mod demo;
pub mod entitlements;
mod error;
pub mod files;
pub mod plans;
pub mod policies;
pub mod public;
pub mod search;
pub mod sessions;
pub mod simulate;
pub mod tasks;
pub mod workbook;

pub use auth::{Actor, Role};
pub use authz::Sensitivity;
pub use crypto::FieldCipher;
pub use error::{AppError, AppResult};

use retour_store::Store;
use std::sync::Arc;

/// Everything a use case needs. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub(crate) cipher: FieldCipher,
    pub(crate) sessions: Arc<sessions::SessionCache>,
    pub(crate) throttle: Arc<sessions::Throttle>,
    /// Public workbook orders per client address (abuse protection).
    pub(crate) order_limiter: Arc<workbook::OrderLimiter>,
    /// Parsed policy versions by content hash (a version never changes once stored).
    /// Where uploaded proofs are kept; uploads are refused until one is set.
    pub(crate) files: Option<files::FileStore>,
    pub(crate) policies: Arc<
        std::sync::Mutex<std::collections::HashMap<String, Arc<retour_domain::policy::Policy>>>,
    >,
}

impl App {
    pub fn new(store: Store, cipher: FieldCipher) -> App {
        App {
            store,
            cipher,
            sessions: Default::default(),
            throttle: Default::default(),
            order_limiter: Default::default(),
            policies: Default::default(),
            files: None,
        }
    }

    /// Keeps uploaded proofs under `root`.
    pub fn with_files(mut self, root: impl Into<std::path::PathBuf>) -> App {
        self.files = Some(files::FileStore::new(root));
        self
    }

    /// Today's date in UTC: the bound for birth dates and booking dates.
    pub fn today(&self) -> time::Date {
        time::OffsetDateTime::now_utc().date()
    }
}
