//! Retour's use cases. Web pages, the JSON API and the CLI all call these functions; this is the
//! one place that decides who may do what ([`authz::can`]) and that writes the audit trail.

pub mod audit;
pub mod auth;
pub mod authz;
pub mod authz_doc;
pub mod break_glass;
pub mod cases;
pub mod children;
pub mod corrections;
pub mod crypto;
pub mod delivery;
pub mod demo;
mod demo_names;
mod demo_story;
pub mod entitlement_changes;
pub mod entitlements;
mod error;
pub mod files;
pub mod import;
pub mod keys;
pub mod links;
pub mod mfa;
pub mod monitoring;
pub mod offices;
pub mod partners;
pub mod plans;
pub mod policies;
pub mod public;
pub mod queues;
pub mod retention;
pub mod search;
pub mod sessions;
pub mod sharing;
pub mod simulate;
pub mod subject;
pub mod tasks;
#[cfg(feature = "testing")]
pub mod testing;
pub mod views;
pub mod workbook;

pub use auth::{Account, Actor, Page, Role};
pub use authz::Sensitivity;
pub use crypto::FieldCipher;
pub use error::{AppError, AppResult};

use retour_store::Store;
use std::sync::Arc;

/// Everything a use case needs. Cheap to clone.
#[derive(Clone)]
pub struct App {
    /// Private: pages, the API and the CLI reach the data only through the use cases below.
    pub(crate) store: Store,
    pub(crate) cipher: FieldCipher,
    pub(crate) sessions: Arc<sessions::SessionCache>,
    pub(crate) throttle: Arc<sessions::Throttle>,
    /// Sign-ins between the password and the second factor (see `mfa`).
    pub(crate) pending: Arc<mfa::PendingSignIns>,
    /// The roles that must sign in with a second factor.
    pub(crate) mfa_roles: Arc<Vec<Role>>,
    /// Break-glass settings (see `break_glass`).
    pub(crate) glass: Arc<break_glass::GlassSettings>,
    /// Public workbook orders per client address (abuse protection).
    pub(crate) order_limiter: Arc<workbook::OrderLimiter>,
    /// Parsed policy versions by content hash (a version never changes once stored).
    /// Where uploaded proofs are kept; uploads are refused until one is set.
    pub(crate) files: Option<files::FileStore>,
    /// Offices, read from memory (see `offices`).
    pub(crate) offices: Arc<offices::OfficeCache>,
    pub(crate) policies: Arc<
        std::sync::Mutex<std::collections::HashMap<String, Arc<retour_domain::policy::Policy>>>,
    >,
    /// Parsed instrument versions by content hash, like `policies`.
    pub(crate) instruments: Arc<
        std::sync::Mutex<
            std::collections::HashMap<String, Arc<retour_domain::instrument::Instrument>>,
        >,
    >,
}

impl App {
    /// Connects to `sqlite://path` (created if missing) or `postgres://…`, applies pending
    /// migrations and makes sure the reference policy is stored.
    pub async fn open(url: &str, cipher: FieldCipher) -> AppResult<App> {
        let store = Store::open(url)
            .await
            .map_err(|e| AppError::Unavailable(format!("{}: {e}", retour_store::redact(url))))?;
        let app = App::new(store, cipher);
        app.ensure_reference_policy().await?;
        Ok(app)
    }

    /// Over an open store (the benchmarks and this crate's tests build one themselves).
    pub fn new(store: Store, cipher: FieldCipher) -> App {
        store.set_audit_key(cipher.audit_key());
        App {
            store,
            cipher,
            sessions: Default::default(),
            throttle: Default::default(),
            pending: Default::default(),
            mfa_roles: Arc::new(mfa::DEFAULT_MFA_ROLES.to_vec()),
            glass: Default::default(),
            order_limiter: Default::default(),
            policies: Default::default(),
            instruments: Default::default(),
            offices: Default::default(),
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

/// A database URL with any password hidden, for messages and logs.
pub fn redact_url(url: &str) -> String {
    retour_store::redact(url)
}
