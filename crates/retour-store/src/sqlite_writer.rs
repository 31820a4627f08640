//! On SQLite, scripts (see `script`) are written by one thread that owns a write connection.
//!
//! Writers hand their script to the thread and wait for the answer. The thread takes the
//! writers' turn (the same turn the other writes of this process queue for, see `writer`),
//! opens one `BEGIN IMMEDIATE` transaction and runs every script waiting, each in its own
//! savepoint: a script that fails, or whose guard finds the version moved, is rolled back to
//! its savepoint and the others go on. Then it commits once for all of them, gives the turn
//! back, and answers each writer; nobody is answered before the commit holding their work is
//! durable. Nothing in this serial part waits for an async worker to be free, and no statement
//! is handed to another thread, which is what made a household save slow (see `script`).
//!
//! Values are encoded by sqlx's own SQLite encoders before they are bound here, so what this
//! thread writes is stored exactly as the rest of the store writes and reads it.

use std::borrow::Cow;
use std::path::Path;
use std::sync::mpsc;
use std::sync::Arc;

use rusqlite::types::Value;
use rusqlite::Connection;
use sqlx::sqlite::SqliteArgumentValue;
use sqlx::Encode;

use crate::script::{Arg, Script, ScriptError, Step};
use crate::writer::Batcher;

/// The most scripts one commit holds; past it the batch commits and the turn is given back.
const MAX_BATCH: usize = 64;

#[derive(Debug)]
struct Job {
    script: Script,
    reply: tokio::sync::oneshot::Sender<Result<Vec<u64>, ScriptError>>,
}

#[derive(Debug)]
/// The handle writers send their scripts through. The thread ends when the last handle (the
/// last clone of the store) is dropped.
pub(crate) struct ScriptWriter {
    jobs: mpsc::Sender<Job>,
}

impl ScriptWriter {
    /// Starts the thread on the database file at `path`; `batcher` is the turn this process's
    /// other writers queue for.
    pub(crate) fn start(path: &Path, batcher: Arc<Batcher<sqlx::Sqlite>>) -> ScriptWriter {
        let (jobs, queue) = mpsc::channel();
        let path = path.to_path_buf();
        let handle = tokio::runtime::Handle::current();
        std::thread::Builder::new()
            .name("retour-sqlite-writer".into())
            .spawn(move || {
                let conn = open(&path);
                while let Ok(first) = queue.recv() {
                    match &conn {
                        Ok(conn) => write_batch(conn, first, &queue, &batcher, &handle),
                        Err(e) => {
                            let _ = first.reply.send(Err(failed(usize::MAX, e)));
                        }
                    }
                }
            })
            .expect("start the SQLite writer thread");
        ScriptWriter { jobs }
    }

    /// Writes `script` and returns once it is durable (or refused), with each step's row count.
    pub(crate) async fn write(&self, script: Script) -> Result<Vec<u64>, ScriptError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let sent = self.jobs.send(Job { script, reply });
        let gone = || ScriptError::Failed {
            at: usize::MAX,
            error: sqlx::Error::WorkerCrashed,
        };
        sent.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

/// The write connection, with the settings every connection of the store has (see `db`).
fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
         PRAGMA cache_size = -32768;",
    )?;
    Ok(conn)
}

/// Runs `first` and every script that queues meanwhile (up to [`MAX_BATCH`]) in one
/// transaction, inside the writers' turn, and answers each writer after the commit.
fn write_batch(
    conn: &Connection,
    first: Job,
    queue: &mpsc::Receiver<Job>,
    batcher: &Batcher<sqlx::Sqlite>,
    handle: &tokio::runtime::Handle,
) {
    let mut turn = batcher.turn.blocking_lock();
    // Async writers may have left their batch open for the next in line: it is theirs to
    // keep, so it is committed before this thread's transaction begins.
    if let Err(e) = handle.block_on(turn.commit()) {
        tracing::warn!(error = %e, "committing the async writers' batch");
    }
    let mut done: Vec<(Job, Result<Vec<u64>, ScriptError>)> = Vec::new();
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        let _ = first.reply.send(Err(failed(usize::MAX, &e)));
        return;
    }
    let mut next = Some(first);
    while let Some(job) = next.take() {
        let result = run_in_savepoint(conn, &job.script);
        done.push((job, result));
        if done.len() < MAX_BATCH {
            next = queue.try_recv().ok();
        }
    }
    let committed = conn.execute_batch("COMMIT");
    if committed.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    drop(turn);
    for (job, result) in done {
        let answer = match (&committed, result) {
            (Ok(()), result) => result,
            // A script refused on its own merits stays refused; the others were not written.
            (Err(_), Err(e)) => Err(e),
            (Err(e), Ok(_)) => Err(failed(usize::MAX, e)),
        };
        // A writer that stopped waiting (its request dropped) is not told.
        let _ = job.reply.send(answer);
    }
}

/// Runs one script in its savepoint: released when every step passed, rolled back otherwise.
fn run_in_savepoint(conn: &Connection, script: &Script) -> Result<Vec<u64>, ScriptError> {
    conn.execute_batch("SAVEPOINT script")
        .map_err(|e| failed(usize::MAX, &e))?;
    let result = run_steps(conn, script);
    let end = if result.is_ok() {
        "RELEASE script"
    } else {
        "ROLLBACK TO script; RELEASE script"
    };
    conn.execute_batch(end)
        .map_err(|e| failed(usize::MAX, &e))?;
    result
}

fn run_steps(conn: &Connection, script: &Script) -> Result<Vec<u64>, ScriptError> {
    let mut done = Vec::with_capacity(script.steps().len());
    for (at, step) in script.steps().iter().enumerate() {
        match step {
            Step::ExpectOne => {
                if done.last() != Some(&1) {
                    return Err(ScriptError::Stale);
                }
                done.push(0);
            }
            Step::Statement { sql, args } => {
                let n = execute(conn, sql, args).map_err(|e| failed(at, &e))?;
                done.push(n as u64);
            }
        }
    }
    Ok(done)
}

/// Runs one statement with its values; `$k` binds the k-th value wherever it appears.
fn execute(conn: &Connection, sql: &str, args: &[Arg]) -> rusqlite::Result<usize> {
    let mut stmt = conn.prepare_cached(sql)?;
    for i in 1..=stmt.parameter_count() {
        let k = stmt
            .parameter_name(i)
            .and_then(|name| name.strip_prefix('$'))
            .and_then(|k| k.parse::<usize>().ok())
            .filter(|k| (1..=args.len()).contains(k))
            .ok_or_else(|| rusqlite::Error::InvalidParameterName(format!("?{i} in {sql}")))?;
        stmt.raw_bind_parameter(i, value(&args[k - 1]))?;
    }
    stmt.raw_execute()
}

/// An [`Arg`] as sqlx would bind it on SQLite.
fn value(arg: &Arg) -> Value {
    let mut buf: Vec<SqliteArgumentValue<'_>> = Vec::with_capacity(1);
    match <Arg as Encode<'_, sqlx::Sqlite>>::encode_by_ref(arg, &mut buf) {
        Ok(sqlx::encode::IsNull::Yes) => return Value::Null,
        Ok(sqlx::encode::IsNull::No) => {}
        // Only a date or time outside what RFC 3339 can write fails here; such a value never
        // reaches the store (the domain refuses it first).
        Err(e) => return Value::Text(format!("unencodable value: {e}")),
    }
    match buf.pop() {
        None | Some(SqliteArgumentValue::Null) => Value::Null,
        Some(SqliteArgumentValue::Text(t)) => Value::Text(t.into_owned()),
        Some(SqliteArgumentValue::Blob(b)) => Value::Blob(b.into_owned()),
        Some(SqliteArgumentValue::Double(d)) => Value::Real(d),
        Some(SqliteArgumentValue::Int(i)) => Value::Integer(i.into()),
        Some(SqliteArgumentValue::Int64(i)) => Value::Integer(i),
    }
}

/// A rusqlite error as the sqlx error the rest of the store reads (unique violations, busy).
fn failed(at: usize, e: &rusqlite::Error) -> ScriptError {
    let (code, message) = match e {
        rusqlite::Error::SqliteFailure(f, m) => (
            Some(f.extended_code),
            m.clone().unwrap_or_else(|| f.to_string()),
        ),
        other => (None, other.to_string()),
    };
    ScriptError::Failed {
        at,
        error: sqlx::Error::Database(Box::new(WriteError { code, message })),
    }
}

/// A failure of the writer thread's connection, told as sqlx tells SQLite's.
#[derive(Debug)]
struct WriteError {
    code: Option<i32>,
    message: String,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WriteError {}

impl sqlx::error::DatabaseError for WriteError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        self.code.map(|c| Cow::Owned(c.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> sqlx::error::ErrorKind {
        use rusqlite::ffi;
        use sqlx::error::ErrorKind;
        match self.code {
            Some(ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY) => {
                ErrorKind::UniqueViolation
            }
            Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => ErrorKind::ForeignKeyViolation,
            Some(ffi::SQLITE_CONSTRAINT_NOTNULL) => ErrorKind::NotNullViolation,
            Some(ffi::SQLITE_CONSTRAINT_CHECK) => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_bound_as_sqlx_binds_them() {
        let id = uuid::Uuid::now_v7();
        assert_eq!(value(&id.into()), Value::Blob(id.as_bytes().to_vec()));
        assert_eq!(value(&Arg::Uuid(None)), Value::Null);
        let day = time::macros::date!(2026 - 12 - 04);
        assert_eq!(value(&day.into()), Value::Text("2026-12-04".into()));
        let at = time::macros::datetime!(2026-12-04 17:28:03.5 UTC);
        assert_eq!(
            value(&at.into()),
            Value::Text("2026-12-04T17:28:03.5Z".into())
        );
        assert_eq!(value(&true.into()), Value::Integer(1));
        assert_eq!(value(&7i32.into()), Value::Integer(7));
        assert_eq!(value(&"Miftari".into()), Value::Text("Miftari".into()));
    }

    #[test]
    fn a_value_is_bound_wherever_its_number_appears() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a INTEGER, b INTEGER, c INTEGER)")
            .unwrap();
        execute(
            &conn,
            "INSERT INTO t (a, b, c) VALUES ($2, $1, $2)",
            &[1i64.into(), 2i64.into()],
        )
        .unwrap();
        let row: (i64, i64, i64) = conn
            .query_row("SELECT a, b, c FROM t", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(row, (2, 1, 2));
    }
}
