//! The hottest reads on SQLite (the case page, and the API token behind every API request),
//! through rusqlite on the calling thread.
//!
//! sqlx hands every statement and every row of SQLite to a worker thread, and waking a thread on
//! the other core costs about as much as the read itself on these machines. These reads run
//! here instead, on read-only connections (WAL readers never wait for the writer). Everything
//! else, and everything on PostgreSQL, goes through sqlx. The SQL is the same as the sqlx
//! path's; the store's tests run through this path on SQLite.

use rusqlite::{Connection, OpenFlags, Row};
use std::path::PathBuf;
use std::sync::Mutex;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::rows::{CaseRow, PersonRow};
use crate::sessions::TOKEN_USER_SQL;
use crate::User;
use crate::{StoreError, StoreResult};

pub(crate) struct Reader {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(format!("SQLite read: {e}")))
}

fn uuid(row: &Row, i: usize) -> rusqlite::Result<Uuid> {
    let b: Vec<u8> = row.get(i)?;
    Uuid::from_slice(&b).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Blob, Box::new(e))
    })
}

fn opt_uuid(row: &Row, i: usize) -> rusqlite::Result<Option<Uuid>> {
    let b: Option<Vec<u8>> = row.get(i)?;
    b.map(|b| {
        Uuid::from_slice(&b).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Blob, Box::new(e))
        })
    })
    .transpose()
}

fn conv<E: std::error::Error + Send + Sync + 'static>(i: usize, e: E) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
}

fn date(row: &Row, i: usize) -> rusqlite::Result<Date> {
    let s: String = row.get(i)?;
    retour_domain::parse_date(&s).map_err(|e| conv(i, e))
}

fn opt_date(row: &Row, i: usize) -> rusqlite::Result<Option<Date>> {
    let s: Option<String> = row.get(i)?;
    s.map(|s| retour_domain::parse_date(&s).map_err(|e| conv(i, e)))
        .transpose()
}

/// Prepares one of this module's statements, announcing it as sqlx announces its own (the suite's
/// query-plan check reads both).
fn prepare<'c>(
    c: &'c Connection,
    sql: &'static str,
) -> rusqlite::Result<rusqlite::CachedStatement<'c>> {
    tracing::debug!(target: "retour_store::read", statement = sql);
    c.prepare_cached(sql)
}

fn ts(row: &Row, i: usize) -> rusqlite::Result<OffsetDateTime> {
    let s: String = row.get(i)?;
    OffsetDateTime::parse(&s, &Rfc3339).map_err(|e| conv(i, e))
}

/// The case with its members, one row per member (a case always has a principal). The `p_`
/// aliases let sqlx decode by name; rusqlite reads by position.
pub(crate) const CASE_SQL: &str = "SELECT c.id, c.reference, c.status, c.version, c.destination_country, c.destination_place, \
    c.location_kind, c.location_name, c.office, c.counsellor_id, c.partner_org, c.application_date, \
    c.planned_departure_date, c.departure_date, c.transport, c.travel_document, c.asylum_history, c.created_at, \
    c.updated_at, c.departed_on, a.arrived_on, p.id AS p_id, p.relationship AS p_relationship, p.family_name AS p_family_name, \
    p.given_names AS p_given_names, p.other_names AS p_other_names, p.birth_date AS p_birth_date, \
    p.birth_precision AS p_birth_precision, p.sex AS p_sex, p.nationalities AS p_nationalities, \
    p.languages AS p_languages, p.documents AS p_documents \
    FROM cases c JOIN persons p ON p.case_id = c.id LEFT JOIN arrivals a ON a.case_id = c.id \
    WHERE c.id = $1 ORDER BY p.position";

pub(crate) const HISTORY_SQL: &str = "SELECT 'T' AS kind, id, at, from_status AS a, to_status AS b, actor_id AS who, reason, departure_date \
    FROM case_transitions WHERE case_id = $1 \
    UNION ALL SELECT 'N' AS kind, id, at, sensitivity AS a, body AS b, author_id AS who, NULL AS reason, NULL AS departure_date \
    FROM case_notes WHERE case_id = $1 ORDER BY at, id";

/// Workbook consents (no date) and hand-outs (their date) of one case's children: what the case
/// page's workbook summary needs, in one statement.
pub(crate) const WORKBOOK_SQL: &str =
    "SELECT person_id, NULL AS handed_on FROM workbook_consents WHERE case_id = $1 \
    UNION ALL SELECT person_id, handed_on FROM workbook_handouts WHERE case_id = $1";

/// One row of [`HISTORY_SQL`].
#[derive(sqlx::FromRow)]
pub(crate) struct HistoryRow {
    pub kind: String,
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub a: Option<String>,
    pub b: Option<String>,
    pub who: Uuid,
    pub reason: Option<String>,
    pub departure_date: Option<Date>,
}

impl Reader {
    pub(crate) fn new(path: PathBuf) -> Reader {
        Reader {
            path,
            idle: Mutex::new(Vec::new()),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> StoreResult<T> {
        let conn = self.idle.lock().expect("reader lock").pop();
        let conn = match conn {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    &self.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(db_err)?;
                c.busy_timeout(std::time::Duration::from_secs(10))
                    .map_err(db_err)?;
                c
            }
        };
        let result = f(&conn).map_err(db_err);
        self.idle.lock().expect("reader lock").push(conn);
        result
    }

    /// The case row and its members (the same statement as the sqlx path).
    pub(crate) fn case(&self, id: Uuid) -> StoreResult<Vec<(CaseRow, PersonRow)>> {
        self.with(|c| {
            let mut stmt = prepare(c, CASE_SQL)?;
            let rows = stmt.query_map([id.as_bytes().as_slice()], |r| {
                Ok((
                    CaseRow {
                        id: uuid(r, 0)?,
                        reference: r.get(1)?,
                        status: r.get(2)?,
                        version: r.get(3)?,
                        destination_country: r.get(4)?,
                        destination_place: r.get(5)?,
                        location_kind: r.get(6)?,
                        location_name: r.get(7)?,
                        office: r.get(8)?,
                        counsellor_id: opt_uuid(r, 9)?,
                        partner_org: r.get(10)?,
                        application_date: opt_date(r, 11)?,
                        planned_departure_date: opt_date(r, 12)?,
                        departure_date: opt_date(r, 13)?,
                        transport: r.get(14)?,
                        travel_document: r.get(15)?,
                        asylum_history: r.get(16)?,
                        created_at: ts(r, 17)?,
                        updated_at: ts(r, 18)?,
                        departed_on: opt_date(r, 19)?,
                        arrived_on: opt_date(r, 20)?,
                    },
                    PersonRow {
                        id: uuid(r, 21)?,
                        relationship: r.get(22)?,
                        family_name: r.get(23)?,
                        given_names: r.get(24)?,
                        other_names: r.get(25)?,
                        birth_date: date(r, 26)?,
                        birth_precision: r.get(27)?,
                        sex: r.get(28)?,
                        nationalities: r.get(29)?,
                        languages: r.get(30)?,
                        documents: r.get(31)?,
                    },
                ))
            })?;
            rows.collect()
        })
    }

    pub(crate) fn workbook(&self, case_id: Uuid) -> StoreResult<Vec<(Uuid, Option<Date>)>> {
        self.with(|c| {
            let mut stmt = prepare(c, WORKBOOK_SQL)?;
            let rows = stmt.query_map([case_id.as_bytes().as_slice()], |r| {
                Ok((uuid(r, 0)?, opt_date(r, 1)?))
            })?;
            rows.collect()
        })
    }

    pub(crate) fn history(&self, case_id: Uuid) -> StoreResult<Vec<HistoryRow>> {
        self.with(|c| {
            let mut stmt = prepare(c, HISTORY_SQL)?;
            let rows = stmt.query_map([case_id.as_bytes().as_slice()], |r| {
                Ok(HistoryRow {
                    kind: r.get(0)?,
                    id: uuid(r, 1)?,
                    at: ts(r, 2)?,
                    a: r.get(3)?,
                    b: r.get(4)?,
                    who: uuid(r, 5)?,
                    reason: r.get(6)?,
                    departure_date: opt_date(r, 7)?,
                })
            })?;
            rows.collect()
        })
    }

    pub(crate) fn user_by_api_token(&self, token_hash: &str) -> StoreResult<Option<User>> {
        self.with(|c| {
            let mut stmt = prepare(c, TOKEN_USER_SQL)?;
            let mut rows = stmt.query_map([token_hash], |r| {
                Ok(User {
                    id: uuid(r, 0)?,
                    email: r.get(1)?,
                    display_name: r.get(2)?,
                    role: r.get(3)?,
                    office: r.get(4)?,
                    partner_org: r.get(5)?,
                    locale: r.get(6)?,
                    password_hash: r.get(7)?,
                    active: r.get(8)?,
                    created_at: ts(r, 9)?,
                })
            })?;
            rows.next().transpose()
        })
    }
}
