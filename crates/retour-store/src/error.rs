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
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
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
            _ => StoreError::Database(e),
        }
    }
}
