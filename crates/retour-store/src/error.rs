use retour_domain::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// Someone else saved the record first; the caller must reload and retry.
    #[error("conflict: the record was changed by someone else (now at version {current})")]
    Conflict { current: i64 },
    #[error("already exists: {0}")]
    Duplicate(&'static str),
    #[error("invalid: {0}")]
    Invalid(#[from] ValidationErrors),
    /// Stored data that no longer parses: a bug or manual tampering, never user input.
    #[error("corrupt stored data in {table}: {detail}")]
    Corrupt { table: &'static str, detail: String },
    /// Other writers held the database past the wait limit, or PostgreSQL picked this
    /// transaction as a deadlock or serialisation victim. Nothing was written; a retry may pass.
    #[error("database busy: {0}")]
    Busy(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    pub(crate) fn corrupt(table: &'static str, detail: impl ToString) -> Self {
        StoreError::Corrupt {
            table,
            detail: detail.to_string(),
        }
    }

    /// Maps a unique-constraint violation to [`StoreError::Duplicate`].
    pub(crate) fn unique(e: sqlx::Error, what: &'static str) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(what),
            _ => StoreError::from(e),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if is_busy(&e) {
            StoreError::Busy(e.to_string())
        } else {
            StoreError::Database(e)
        }
    }
}

/// SQLite `BUSY`/`LOCKED` (and their extended codes), PostgreSQL serialisation failure,
/// deadlock and lock-not-available, and a pool that had no free connection in time.
fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => match db.code() {
            Some(code) => {
                let code = code.as_ref();
                // SQLite extended codes keep the primary code in the low byte.
                let sqlite_busy = code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6));
                sqlite_busy || matches!(code, "40001" | "40P01" | "55P03")
            }
            None => false,
        },
        _ => false,
    }
}
