use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

use crate::StoreResult;

#[derive(Clone, Debug)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same body against whichever backend the store holds; the body is compiled once per
/// backend, so `$pool` has the concrete pool type in each arm.
macro_rules! on_db {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_db;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The storage API. Cheap to clone (pools are reference-counted).
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) db: Db,
    /// On SQLite, the case page's reads (see `fast_read`).
    pub(crate) reader: Option<FastReader>,
    /// On SQLite, the queue of this process's writers and their shared commit (see `writer`).
    pub(crate) batcher: Option<std::sync::Arc<crate::writer::Batcher<sqlx::Sqlite>>>,
    /// On SQLite, the thread that writes scripts (see `sqlite_writer`).
    pub(crate) script_writer: Option<std::sync::Arc<crate::sqlite_writer::ScriptWriter>>,
    /// The key of the audit trail's seals and links, set once by whoever holds the data key.
    pub(crate) audit_key: std::sync::Arc<std::sync::OnceLock<crate::audit_chain::ChainKey>>,
}

#[derive(Clone)]
pub(crate) struct FastReader(pub(crate) std::sync::Arc<crate::fast_read::Reader>);

impl std::fmt::Debug for FastReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FastReader")
    }
}

impl Store {
    /// Connects to `sqlite://path` (file created if missing, parent folders too) or
    /// `postgres://…`, and applies pending migrations.
    pub async fn open(url: &str) -> StoreResult<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?;
            // No ping before each acquire: it doubled the round trips of a one-statement page
            // (a broken connection still fails its statement and is replaced).
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .test_before_acquire(false)
                // A connection left inside a transaction would fail every write given to it:
                // it is closed instead (see `WriteTx::commit`, which no longer leaves one).
                .before_acquire(|conn, _| {
                    Box::pin(async move {
                        use sqlx::TransactionManager;
                        Ok(sqlx::postgres::PgTransactionManager::get_transaction_depth(conn) == 0)
                    })
                })
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Store {
                db: Db::Postgres(pool),
                reader: None,
                batcher: None,
                script_writer: None,
                audit_key: Default::default(),
            })
        } else if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or(path);
            if path == ":memory:" || path.is_empty() {
                // The writer thread and the fast reads open the file themselves.
                return Err(sqlx::Error::Configuration(
                    "an in-memory SQLite database is not supported: name a file (sqlite://path)"
                        .into(),
                )
                .into());
            }
            create_private_file(std::path::Path::new(path)).map_err(sqlx::Error::Io)?;
            // Durability: an acknowledged write survives a crash or power loss.
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // 32 MiB of page cache per connection (the default is 2 MiB): index pages of
                // the name keys stay in memory while households are written.
                .pragma("cache_size", "-32768");
            // A connection to a local file cannot go stale: no ping (a round trip to the
            // connection's thread) before every statement.
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .test_before_acquire(false)
                .connect_with(opts)
                .await?;
            let reader = Some(FastReader(std::sync::Arc::new(
                crate::fast_read::Reader::new(path.into()),
            )));
            let batcher = std::sync::Arc::new(crate::writer::Batcher::default());
            let script_writer = std::sync::Arc::new(crate::sqlite_writer::ScriptWriter::start(
                std::path::Path::new(path),
                batcher.clone(),
            ));
            Ok(Store {
                db: Db::Sqlite(pool),
                reader,
                batcher: Some(batcher),
                script_writer: Some(script_writer),
                audit_key: Default::default(),
            })
        } else {
            Err(sqlx::Error::Configuration(
                format!(
                    "unsupported database URL (expected sqlite://… or postgres://…): {}",
                    redact(url)
                )
                .into(),
            )
            .into())
        }
    }

    pub async fn migrate(&self) -> StoreResult<()> {
        match &self.db {
            Db::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Db::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        self.rebuild_name_keys_if_stale().await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs one administrative statement (such as `CREATE DATABASE`) outside any transaction.
    pub async fn execute_admin(&self, sql: &str) -> StoreResult<()> {
        on_db!(self, p => sqlx::raw_sql(sql).execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// Whether multi-row statements must number their placeholders (see `rows::placeholders`).
    pub(crate) fn numbered(&self) -> bool {
        matches!(self.db, Db::Postgres(_))
    }

    pub async fn close(&self) {
        on_db!(self, p => p.close().await)
    }

    /// Table → column names, in order, as the live database reports them (for the parity test).
    pub async fn schema(&self) -> StoreResult<Vec<(String, Vec<String>)>> {
        use sqlx::Row;
        let rows: Vec<(String, String)> = match &self.db {
            Db::Sqlite(p) => sqlx::query(
                "SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\' ORDER BY m.name, c.cid",
            )
            .fetch_all(p)
            .await?
            .into_iter()
            .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
            .collect(),
            Db::Postgres(p) => sqlx::query(
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%' ORDER BY table_name, ordinal_position",
            )
            .fetch_all(p)
            .await?
            .into_iter()
            .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
            .collect(),
        };
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for (t, c) in rows {
            match out.last_mut() {
                Some((lt, cols)) if *lt == t => cols.push(c),
                _ => out.push((t, vec![c])),
            }
        }
        Ok(out)
    }

    /// Size of the database in bytes (main file for SQLite, the database for PostgreSQL).
    pub async fn size_bytes(&self) -> StoreResult<i64> {
        Ok(match &self.db {
            Db::Sqlite(p) => {
                sqlx::query_scalar(
                    "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                )
                .fetch_one(p)
                .await?
            }
            Db::Postgres(p) => {
                sqlx::query_scalar("SELECT pg_database_size(current_database())")
                    .fetch_one(p)
                    .await?
            }
        })
    }
}

/// Creates the database file (and its folder) readable by Retour's user only, before SQLite
/// opens it: special-category data must not be world-readable, even briefly. SQLite creates its
/// `-wal` and `-shm` files with the main file's permissions.
fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            let mut dir = std::fs::DirBuilder::new();
            dir.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
            dir.create(parent)?;
        }
    }
    let mut file = std::fs::OpenOptions::new();
    file.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
    file.open(path).map(|_| ())
}

/// A database URL with any password hidden, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The same PostgreSQL URL pointing at another database on the server.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let authority_end = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    format!("{}/{database}{query}", &base[..authority_end])
}

impl Store {
    /// The benchmarks' baseline: `n` single-row durable commits one after another on this
    /// database, with Retour's own connection settings (WAL and `synchronous=FULL` on SQLite).
    /// Works in a table of its own, dropped afterwards.
    pub async fn raw_commits(&self, n: u64) -> StoreResult<std::time::Duration> {
        on_db!(self, pool => {
            sqlx::raw_sql("DROP TABLE IF EXISTS bench_commits; CREATE TABLE bench_commits (id INTEGER PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO bench_commits VALUES (1, 0)")
                .execute(pool).await.map(|_| ())?;
        });
        let started = std::time::Instant::now();
        for _ in 0..n {
            on_db!(self, pool => sqlx::query("UPDATE bench_commits SET n = n + 1 WHERE id = 1").execute(pool).await.map(|_| ())?);
        }
        let took = started.elapsed();
        on_db!(self, pool => sqlx::raw_sql("DROP TABLE bench_commits").execute(pool).await.map(|_| ())?);
        Ok(took)
    }
}

/// A stored person as the search benchmark samples it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SampledPerson {
    pub person_id: uuid::Uuid,
    pub case_id: uuid::Uuid,
    pub office: String,
    pub family_name: String,
    pub given_names: String,
    pub birth_date: time::Date,
    pub birth_precision: String,
    pub sex: String,
}

impl Store {
    /// The person at position `offset` in id order (benchmarks only: the offset scans).
    pub async fn person_at(&self, offset: i64) -> StoreResult<Option<SampledPerson>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT p.id AS person_id, p.case_id, c.office, p.family_name, p.given_names, p.birth_date, \
             p.birth_precision, p.sex FROM (SELECT id FROM persons ORDER BY id LIMIT 1 OFFSET $1) s \
             JOIN persons p ON p.id = s.id JOIN cases c ON c.id = p.case_id")
            .bind(offset).fetch_optional(pool).await?))
    }

    pub async fn count_persons(&self) -> StoreResult<i64> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM persons").fetch_one(pool).await?),
        )
    }

    /// The persons having any of `keys`, found by reading every key row (no index): the
    /// benchmark's baseline for the indexed lookup.
    pub async fn persons_by_keys_scan(&self, keys: &[String]) -> StoreResult<i64> {
        let list = (0..keys.len())
            .map(|i| format!("${}", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        // `key || ''` is an expression, so neither backend can use an index on `key`.
        let sql =
            format!("SELECT COUNT(DISTINCT person_id) FROM name_keys WHERE key || '' IN ({list})");
        Ok(on_db!(self, pool => {
            let mut q = sqlx::query_scalar(&sql);
            for k in keys {
                q = q.bind(k);
            }
            q.fetch_one(pool).await?
        }))
    }
}
