//! Writing transactions, and on SQLite the group commit that lets this process's writers share
//! one durable commit.
//!
//! SQLite has one writer at a time, and with `synchronous=FULL` every commit waits for the disk
//! (about 200 µs here, most of a single-row commit). Writers of this process therefore queue for
//! their turn in memory, and each works inside a savepoint of one shared `BEGIN IMMEDIATE`
//! transaction: when a writer finishes while others wait, it releases its savepoint and passes
//! the open transaction on; the last writer of the batch commits, once, for all of them. Nobody
//! is answered before the commit that holds their work is durable, a writer that fails rolls back
//! to its own savepoint only, and a batch is bounded so that other processes (a `retour`
//! command) get the lock between batches.
//!
//! Scripts (see `script`) take the same turn, from the SQLite writer thread (`sqlite_writer`),
//! which commits whatever batch of async writers it finds open before it begins its own.
//!
//! PostgreSQL runs writers in parallel, serialised by row locks: each writer has a plain
//! transaction of its own.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::TransactionManager;
use tokio::sync::{oneshot, Mutex, OwnedMutexGuard};

use crate::Store;

type Tm<DB> = <DB as sqlx::Database>::TransactionManager;

/// The most writers one commit acknowledges; past it the batch commits and the lock is free.
const MAX_BATCH: usize = 64;

/// How a backend starts a transaction that will write, and whether its writers batch.
pub(crate) trait WriteLock: sqlx::Database {
    const BEGIN_WRITE: &'static str;
    fn batcher(store: &Store) -> Option<&Arc<Batcher<Self>>>;
}

impl WriteLock for sqlx::Sqlite {
    // In WAL mode a deferred transaction that reads first cannot upgrade to a writer once another
    // connection has committed (SQLITE_BUSY_SNAPSHOT, not retried by the busy timeout): take the
    // write lock at BEGIN, where the busy timeout does wait for it.
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    fn batcher(store: &Store) -> Option<&Arc<Batcher<Self>>> {
        store.batcher.as_ref()
    }
}

impl WriteLock for sqlx::Postgres {
    // Row locks (`FOR UPDATE`, conditional `UPDATE … WHERE version = $n`) serialise writers.
    const BEGIN_WRITE: &'static str = "BEGIN";
    fn batcher(_: &Store) -> Option<&Arc<Batcher<Self>>> {
        None
    }
}

/// The writers' queue of one SQLite database in this process.
pub(crate) struct Batcher<DB: sqlx::Database> {
    /// Held by the writer whose turn it is (an async writer, or the SQLite writer thread).
    pub(crate) turn: Arc<Mutex<Batch<DB>>>,
    /// Writers waiting for their turn: while there are any, a finished writer passes the open
    /// transaction on instead of committing.
    waiting: AtomicUsize,
}

impl<DB: sqlx::Database> Default for Batcher<DB> {
    fn default() -> Self {
        Batcher {
            turn: Arc::new(Mutex::new(Batch {
                open: None,
                acks: Vec::new(),
            })),
            waiting: AtomicUsize::new(0),
        }
    }
}

impl<DB: sqlx::Database> std::fmt::Debug for Batcher<DB> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Batcher")
    }
}

/// The transaction a batch of writers shares, and those who wait for its commit.
pub(crate) struct Batch<DB: sqlx::Database> {
    /// A connection inside `BEGIN IMMEDIATE`, holding the released work of `acks`.
    open: Option<PoolConnection<DB>>,
    acks: Vec<oneshot::Sender<Result<(), String>>>,
}

impl<DB: sqlx::Database> Batch<DB> {
    /// Commits the shared transaction (if any) and tells everyone waiting for it.
    pub(crate) async fn commit(&mut self) -> Result<(), sqlx::Error> {
        let result = match self.open.take() {
            Some(mut conn) => {
                let r = Tm::<DB>::commit(&mut conn).await;
                if r.is_err() {
                    Tm::<DB>::start_rollback(&mut conn);
                }
                r
            }
            None => Ok(()),
        };
        let told = result.as_ref().map(|_| ()).map_err(|e| e.to_string());
        for ack in self.acks.drain(..) {
            let _ = ack.send(told.clone());
        }
        result
    }
}

/// Counts a writer as waiting until it has its turn (or gives up, when its request is dropped).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A writer's turn: the shared batch, held, and the queue it came from.
type Turn<DB> = (OwnedMutexGuard<Batch<DB>>, Arc<Batcher<DB>>);

/// A writing transaction: every write starts here ([`begin_write`]), never with `begin()`.
/// Derefs to the connection for statements; ends with [`WriteTx::commit`], or rolls back when
/// dropped.
pub(crate) struct WriteTx<DB: sqlx::Database> {
    conn: Option<PoolConnection<DB>>,
    /// SQLite: this writer's turn (the shared batch), and the queue it belongs to.
    turn: Option<Turn<DB>>,
}

impl<DB: sqlx::Database> std::ops::Deref for WriteTx<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        self.conn.as_ref().expect("an open write transaction")
    }
}

impl<DB: sqlx::Database> std::ops::DerefMut for WriteTx<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        self.conn.as_mut().expect("an open write transaction")
    }
}

/// Begins a transaction that writes.
pub(crate) async fn begin_write<DB: WriteLock>(
    pool: &sqlx::Pool<DB>,
    store: &Store,
) -> Result<WriteTx<DB>, sqlx::Error> {
    let Some(batcher) = DB::batcher(store) else {
        let mut conn = pool.acquire().await?;
        Tm::<DB>::begin(&mut conn, Some(Cow::Borrowed(DB::BEGIN_WRITE))).await?;
        return Ok(WriteTx {
            conn: Some(conn),
            turn: None,
        });
    };
    // In a task of its own: a request dropped while it waits for its turn or for `BEGIN` / its
    // savepoint would otherwise leave a connection inside a transaction, outside the batch
    // (later writes on it fail) or with other writers' acknowledged work in it (lost). Run to
    // the end, an unwanted transaction is a `WriteTx`, and dropping it rolls back properly.
    let (pool, batcher) = (pool.clone(), batcher.clone());
    tokio::spawn(join_batch(pool, batcher))
        .await
        .unwrap_or_else(|e| Err(sqlx::Error::Protocol(format!("beginning a write: {e}"))))
}

/// Waits for this writer's turn and opens its part of the shared transaction.
async fn join_batch<DB: WriteLock>(
    pool: sqlx::Pool<DB>,
    batcher: Arc<Batcher<DB>>,
) -> Result<WriteTx<DB>, sqlx::Error> {
    let mut batch = {
        batcher.waiting.fetch_add(1, Ordering::AcqRel);
        let _waiting = Waiting(&batcher.waiting);
        batcher.turn.clone().lock_owned().await
    };
    let conn = match batch.open.take() {
        // Joining the batch: this writer's own savepoint inside the shared transaction.
        Some(mut conn) => match Tm::<DB>::begin(&mut conn, None).await {
            Ok(()) => conn,
            Err(e) => {
                batch.open = Some(conn);
                let _ = batch.commit().await;
                return Err(e);
            }
        },
        // The first writer of a batch has the transaction to itself until it passes it on: a
        // failure rolls back all of it, so it needs no savepoint.
        None => {
            let mut conn = pool.acquire().await?;
            Tm::<DB>::begin(&mut conn, Some(Cow::Borrowed(DB::BEGIN_WRITE))).await?;
            conn
        }
    };
    Ok(WriteTx {
        conn: Some(conn),
        turn: Some((batch, batcher)),
    })
}

impl<DB: sqlx::Database> WriteTx<DB> {
    /// Makes this writer's work durable; returns once it is (on SQLite, with its batch).
    pub(crate) async fn commit(mut self) -> Result<(), sqlx::Error> {
        // The connection stays in `self` until its commit has succeeded: should the commit fail
        // or this future be dropped while it waits (a client gone mid-request), `Drop` rolls
        // back. Taken out first, it went back to the pool still inside its transaction, and
        // every later write on it failed ("begin_with at non-zero transaction depth").
        let conn = self.conn.as_mut().expect("an open write transaction");
        if self.turn.is_none() {
            Tm::<DB>::commit(conn).await?;
            self.conn = None;
            return Ok(());
        }
        if Tm::<DB>::get_transaction_depth(conn) > 1 {
            // Releasing this writer's savepoint; on failure `Drop` undoes this writer's work
            // and keeps the batch's.
            Tm::<DB>::commit(conn).await?;
        }
        let conn = self.conn.take().expect("an open write transaction");
        let (mut batch, batcher) = self.turn.take().expect("a writer's turn");
        batch.open = Some(conn);
        if batcher.waiting.load(Ordering::Acquire) == 0 || batch.acks.len() >= MAX_BATCH {
            return commit_detached(batch).await;
        }
        let (ack, mut done) = oneshot::channel();
        batch.acks.push(ack);
        drop(batch);
        // The next writer commits for us. Should it vanish before taking its turn (its request
        // dropped), whoever finds the turn free with a batch left open commits it.
        loop {
            match tokio::time::timeout(Duration::from_millis(20), &mut done).await {
                Ok(Ok(told)) => return told.map_err(sqlx::Error::Protocol),
                Ok(Err(_)) => {
                    return Err(sqlx::Error::Protocol(
                        "the shared commit was abandoned".into(),
                    ))
                }
                Err(_) => {
                    if let Ok(batch) = batcher.turn.clone().try_lock_owned() {
                        let _ = commit_detached(batch).await;
                    }
                }
            }
        }
    }
}

/// Commits the shared transaction in a task of its own: were the request that commits it
/// dropped half-way, the writers waiting on it would be told nothing true and the connection
/// would go back to the pool inside its transaction.
async fn commit_detached<DB: sqlx::Database>(
    mut batch: OwnedMutexGuard<Batch<DB>>,
) -> Result<(), sqlx::Error> {
    tokio::spawn(async move { batch.commit().await })
        .await
        .unwrap_or_else(|e| Err(sqlx::Error::Protocol(format!("the shared commit: {e}"))))
}

/// Ends a turn that leaves the batch's transaction open: the next writer takes it, or, when
/// nobody waits, it is committed for those already in it.
fn pass_on<DB: sqlx::Database>(mut batch: OwnedMutexGuard<Batch<DB>>, batcher: &Batcher<DB>) {
    if batcher.waiting.load(Ordering::Acquire) > 0 {
        return;
    }
    if batch.acks.is_empty() {
        if let Some(mut conn) = batch.open.take() {
            // Nobody else's work is in it: roll the whole transaction back.
            Tm::<DB>::start_rollback(&mut conn);
        }
        return;
    }
    tokio::spawn(async move {
        let _ = batch.commit().await;
    });
}

impl<DB: sqlx::Database> Drop for WriteTx<DB> {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else {
            return;
        };
        let joined = Tm::<DB>::get_transaction_depth(&conn) > 1;
        // Queued on the connection: back to this writer's savepoint when it joined a batch,
        // else the whole transaction, which held nobody else's work.
        Tm::<DB>::start_rollback(&mut conn);
        if let Some((mut batch, batcher)) = self.turn.take() {
            if joined {
                batch.open = Some(conn);
                pass_on(batch, &batcher);
            }
        }
    }
}

/// Runs `$body` (statements on `&mut *$tx`) as a writing transaction of its own, for writes of
/// one statement: on SQLite they queue and batch with every other writer instead of waiting in
/// SQLite's busy handler.
macro_rules! in_write {
    ($store:expr, $tx:ident => $body:expr) => {
        $crate::db::on_db!($store, pool => {
            let mut $tx = $crate::writer::begin_write(pool, $store).await?;
            let out = $body;
            $tx.commit().await?;
            out
        })
    };
}
pub(crate) use in_write;
