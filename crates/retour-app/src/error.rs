use retour_domain::{ValidationError, ValidationErrors};
use retour_store::StoreError;

/// What a use case can answer instead of a result. Handlers map these to HTTP statuses and
/// translated messages; the CLI to exit codes.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    /// Not allowed. Also used for records outside the actor's scope, so their existence is not revealed.
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("conflict: changed by someone else (now version {current})")]
    Conflict { current: i64 },
    #[error("{0}")]
    Invalid(ValidationErrors),
    #[error("already exists: {0}")]
    Duplicate(&'static str),
    /// Other people were saving at the same moment for longer than we wait; nothing was saved.
    #[error("busy: {0}")]
    Busy(String),
    /// The database cannot be reached or opened (at start-up).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { current } => AppError::Conflict { current },
            StoreError::Duplicate(what) => AppError::Duplicate(what),
            StoreError::Invalid(errs) => AppError::Invalid(errs),
            StoreError::Busy(detail) => {
                tracing::warn!(%detail, "database busy");
                AppError::Busy(detail)
            }
            other => {
                tracing::error!(error = %other, "storage failure");
                AppError::Internal(other.to_string())
            }
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl From<ValidationError> for AppError {
    fn from(e: ValidationError) -> Self {
        AppError::Invalid(e.into())
    }
}
