//! The statements of one write, as data: run on SQLite by the writer thread, on PostgreSQL one
//! by one in a transaction of its own.
//!
//! sqlx runs every SQLite statement on the connection's own thread, and waking that thread (and
//! being woken by it) costs more than most statements on these machines; inside the writers'
//! serial turn those hand-offs, and the wait for a busy async worker to pick the writer up
//! again, were most of a household save. A write made only of statements whose rows it does not
//! read (an update guarded by the version read, members replaced, their search keys, the counts,
//! the audit record) is therefore a [`Script`]: its statements and values, handed whole to the
//! SQLite writer thread (`sqlite_writer`), which runs scripts back to back in one transaction
//! and commits them together. On PostgreSQL a script is a transaction of its own.
//!
//! Each statement is written with its own parameters `$1…$n`, in portable SQL, and its values
//! are encoded as sqlx encodes them for each backend, so a value written by a script reads back
//! like any other. A guard ([`Script::expect_one`]) stops the script when the statement before it
//! did not change exactly one row; the writer then undoes what the script did.

use std::borrow::Cow;

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Encode, Postgres, Sqlite, Type};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A value bound to a statement of a script: the same types the store binds elsewhere, encoded
/// as sqlx encodes them for each backend (so a value written by a script reads back like any
/// other), and typed even when NULL (PostgreSQL needs the type of a NULL parameter).
#[derive(Clone, Debug)]
pub(crate) enum Arg {
    Uuid(Option<Uuid>),
    Text(Option<String>),
    Int(Option<i64>),
    Int4(Option<i32>),
    Bool(Option<bool>),
    Date(Option<Date>),
    Time(Option<OffsetDateTime>),
    Bytes(Option<Vec<u8>>),
}

macro_rules! arg_from {
    ($variant:ident: $($t:ty => $conv:expr),* $(,)?) => {
        $(impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                #[allow(clippy::redundant_closure_call)]
                Arg::$variant(($conv)(v))
            }
        })*
    };
}
arg_from!(Uuid: Uuid => Some, Option<Uuid> => |v| v);
arg_from!(Text: &str => |v: &str| Some(v.to_string()), String => Some, &String => |v: &String| Some(v.clone()),
    Option<&str> => |v: Option<&str>| v.map(str::to_string), Option<String> => |v| v);
arg_from!(Int: i64 => Some, Option<i64> => |v| v);
arg_from!(Int4: i32 => Some, Option<i32> => |v| v);
arg_from!(Bool: bool => Some);
arg_from!(Date: Date => Some, Option<Date> => |v| v);
arg_from!(Time: OffsetDateTime => Some);
arg_from!(Bytes: &[u8] => |v: &[u8]| Some(v.to_vec()), Vec<u8> => Some);

/// Encodes an [`Arg`] by the encoding of the type it holds.
macro_rules! encode_arg {
    ($db:ty) => {
        impl<'q> Encode<'q, $db> for Arg {
            fn encode_by_ref(
                &self,
                buf: &mut <$db as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                match self {
                    Arg::Uuid(v) => <Option<Uuid> as Encode<'q, $db>>::encode_by_ref(v, buf),
                    Arg::Text(v) => <Option<String> as Encode<'q, $db>>::encode_by_ref(v, buf),
                    Arg::Int(v) => <Option<i64> as Encode<'q, $db>>::encode_by_ref(v, buf),
                    Arg::Int4(v) => <Option<i32> as Encode<'q, $db>>::encode_by_ref(v, buf),
                    Arg::Bool(v) => <Option<bool> as Encode<'q, $db>>::encode_by_ref(v, buf),
                    Arg::Date(v) => <Option<Date> as Encode<'q, $db>>::encode_by_ref(v, buf),
                    Arg::Time(v) => {
                        <Option<OffsetDateTime> as Encode<'q, $db>>::encode_by_ref(v, buf)
                    }
                    Arg::Bytes(v) => <Option<Vec<u8>> as Encode<'q, $db>>::encode_by_ref(v, buf),
                }
            }

            fn produces(&self) -> Option<<$db as Database>::TypeInfo> {
                Some(match self {
                    Arg::Uuid(_) => <Uuid as Type<$db>>::type_info(),
                    Arg::Text(_) => <String as Type<$db>>::type_info(),
                    Arg::Int(_) => <i64 as Type<$db>>::type_info(),
                    Arg::Int4(_) => <i32 as Type<$db>>::type_info(),
                    Arg::Bool(_) => <bool as Type<$db>>::type_info(),
                    Arg::Date(_) => <Date as Type<$db>>::type_info(),
                    Arg::Time(_) => <OffsetDateTime as Type<$db>>::type_info(),
                    Arg::Bytes(_) => <Vec<u8> as Type<$db>>::type_info(),
                })
            }
        }

        impl Type<$db> for Arg {
            // Every value names its own type (`produces`); this one is never used for binding.
            fn type_info() -> <$db as Database>::TypeInfo {
                <String as Type<$db>>::type_info()
            }
            fn compatible(_: &<$db as Database>::TypeInfo) -> bool {
                true
            }
        }
    };
}
encode_arg!(Sqlite);
encode_arg!(Postgres);

/// One step of a script.
#[derive(Debug)]
pub(crate) enum Step {
    Statement {
        sql: Cow<'static, str>,
        args: Vec<Arg>,
    },
    /// The statement before changed exactly one row, or the script stops here as stale.
    ExpectOne,
}

/// Why a script stopped. Nothing after the step named ran, and the caller undoes what did.
#[derive(Debug)]
pub(crate) enum ScriptError {
    /// A guarded statement ([`Script::expect_one`]) did not change exactly one row: the version
    /// it was guarded by has moved on, or its row is gone.
    Stale,
    /// Step `at` failed.
    Failed { at: usize, error: sqlx::Error },
}

/// Statements run in order as one write, with their values. See the module's text.
#[derive(Debug, Default)]
pub(crate) struct Script {
    steps: Vec<Step>,
}

impl Script {
    pub fn new() -> Script {
        Script::default()
    }

    /// Appends a statement; returns its index.
    pub fn push(&mut self, sql: impl Into<Cow<'static, str>>, args: Vec<Arg>) -> usize {
        self.steps.push(Step::Statement {
            sql: sql.into(),
            args,
        });
        self.steps.len() - 1
    }

    /// The statement just pushed must change exactly one row (an update guarded by the version
    /// read): otherwise the script stops with [`ScriptError::Stale`].
    pub fn expect_one(&mut self) {
        self.steps.push(Step::ExpectOne);
    }

    /// The steps, in order.
    pub(crate) fn steps(&self) -> &[Step] {
        &self.steps
    }
}

impl Script {
    /// Runs the steps in order on PostgreSQL, inside the caller's transaction, and returns each
    /// step's row count (0 for a guard).
    pub(crate) async fn run_pg(
        &self,
        conn: &mut sqlx::PgConnection,
    ) -> Result<Vec<u64>, ScriptError> {
        {
            let mut done: Vec<u64> = Vec::with_capacity(self.steps.len());
            for (at, s) in self.steps.iter().enumerate() {
                match s {
                    Step::ExpectOne => {
                        if done.last() != Some(&1) {
                            return Err(ScriptError::Stale);
                        }
                        done.push(0);
                    }
                    Step::Statement { sql, args } => {
                        let mut query = sqlx::query(sql);
                        for a in args {
                            query = query.bind(a.clone());
                        }
                        match query.execute(&mut *conn).await {
                            Ok(r) => done.push(r.rows_affected()),
                            Err(error) => return Err(ScriptError::Failed { at, error }),
                        }
                    }
                }
            }
            Ok(done)
        }
    }
}

impl crate::Store {
    /// Writes `script` as a transaction of its own and returns once it is durable (or
    /// refused), with each step's row count. Transaction errors (begin, commit) are
    /// [`ScriptError::Failed`] at `usize::MAX`.
    pub(crate) async fn write_script(&self, script: Script) -> Result<Vec<u64>, ScriptError> {
        match &self.db {
            crate::db::Db::Sqlite(_) => {
                let writer = self
                    .script_writer
                    .as_ref()
                    .expect("a SQLite store has a writer");
                writer.write(script).await
            }
            crate::db::Db::Postgres(pool) => {
                let fail = |error| ScriptError::Failed {
                    at: usize::MAX,
                    error,
                };
                let mut tx = crate::writer::begin_write(pool, self).await.map_err(fail)?;
                let done = script.run_pg(&mut tx).await?;
                tx.commit().await.map_err(fail)?;
                Ok(done)
            }
        }
    }
}
