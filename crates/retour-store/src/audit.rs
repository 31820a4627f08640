//! The audit trail. Rows are only ever inserted; writes insert theirs in the same transaction.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit_chain::{extend, Break, ChainKey, Head, RecordContent, SealedRecord, Walker};
use crate::cases::now;
use crate::db::on_db;
use crate::writer::in_write;
use crate::{Store, StoreResult};

/// What is recorded about one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// `None` for the operator's command line.
    pub actor_id: Option<Uuid>,
    pub action: &'static str,
    /// Free detail without special-category values (never a diagnosis, only which field was read).
    pub detail: String,
}

impl Audit {
    pub fn new(actor_id: Option<Uuid>, action: &'static str) -> Audit {
        Audit {
            actor_id,
            action,
            detail: String::new(),
        }
    }
    pub fn detail(mut self, d: impl Into<String>) -> Audit {
        self.detail = d.into();
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct AuditRecord {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub case_id: Option<Uuid>,
    pub detail: String,
}

macro_rules! insert_audit {
    ($store:expr, $exec:expr, $audit:expr, $case:expr, $at:expr) => {{
        let id = uuid::Uuid::now_v7();
        let case: Option<uuid::Uuid> = $case;
        let seal = $crate::audit_chain::seal(
            &$store.audit_key(),
            &$crate::audit_chain::RecordContent {
                id,
                at: $at,
                actor_id: $audit.actor_id,
                action: $audit.action,
                case_id: case,
                detail: &$audit.detail,
            },
        );
        sqlx::query("INSERT INTO audit_log (id, at, actor_id, action, case_id, detail, seal) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id)
            .bind($at)
            .bind($audit.actor_id)
            .bind($audit.action)
            .bind(case)
            .bind(&$audit.detail)
            .bind(&seal[..])
            .execute($exec)
            .await
    }};
}
pub(crate) use insert_audit;

const AUDIT_INSERT: &str =
    "INSERT INTO audit_log (id, at, actor_id, action, case_id, detail, seal) VALUES ($1, $2, $3, $4, $5, $6, $7)";

impl Store {
    /// The audit record of a write, as a statement of the write's script; returns its index.
    pub(crate) fn push_audit(
        &self,
        script: &mut crate::script::Script,
        audit: &Audit,
        case_id: Option<Uuid>,
        at: OffsetDateTime,
    ) -> usize {
        let id = Uuid::now_v7();
        let seal = crate::audit_chain::seal(
            &self.audit_key(),
            &RecordContent {
                id,
                at,
                actor_id: audit.actor_id,
                action: audit.action,
                case_id,
                detail: &audit.detail,
            },
        );
        script.push(
            AUDIT_INSERT,
            vec![
                id.into(),
                at.into(),
                audit.actor_id.into(),
                audit.action.into(),
                case_id.into(),
                (&audit.detail).into(),
                seal.to_vec().into(),
            ],
        )
    }
}

impl Store {
    /// Records an action that wrote nothing else (a read of a sensitive field, a sign-in).
    pub async fn append_audit(&self, audit: &Audit, case_id: Option<Uuid>) -> StoreResult<()> {
        let at = now();
        in_write!(self, tx => insert_audit!(self, &mut *tx, audit, case_id, at).map(|_| ())?);
        Ok(())
    }

    /// The trail of one case, newest first, `limit` rows from before `before` (keyset pagination).
    pub async fn audit_for_case(
        &self,
        case_id: Uuid,
        before: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<AuditRecord>> {
        let before = before.unwrap_or(Uuid::max());
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, at, actor_id, action, case_id, detail FROM audit_log WHERE case_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(case_id)
        .bind(before)
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }
}

/// Which audit records to list: every condition given must hold. Dates bound the time of the
/// record (`from` inclusive, `until` exclusive).
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub case_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub action: Option<String>,
    pub from: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    /// Keyset pagination: records older than this one.
    pub before: Option<Uuid>,
    pub limit: i64,
}

/// An audit record with the names a reader needs: who (display name) and which case (reference).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntryRow {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    pub action: String,
    pub case_id: Option<Uuid>,
    pub case_reference: Option<String>,
    pub detail: String,
}

/// The smallest (`max = false`) or largest UUID v7 of the millisecond `t`: record ids are
/// UUID v7, so a time range is an id range and every filter walks one index.
fn v7_bound(t: OffsetDateTime, max: bool) -> Uuid {
    let ms = (t.unix_timestamp_nanos() / 1_000_000).max(0) as u64;
    let mut bytes = if max { [0xff; 16] } else { [0u8; 16] };
    bytes[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    Uuid::from_bytes(bytes)
}

impl Store {
    /// One page of the audit trail, newest first, in one statement that walks an index on
    /// `(filter column, id)`, joined with the actor's name and the case's reference.
    pub async fn audit_page(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEntryRow>> {
        let mut upper = q.before.unwrap_or(Uuid::max());
        if let Some(until) = q.until {
            upper = upper.min(v7_bound(until, false));
        }
        let lower = q.from.map(|f| v7_bound(f, false)).unwrap_or(Uuid::nil());
        let mut sql = String::from(
            "SELECT a.id, a.at, a.actor_id, u.display_name AS actor_name, a.action, a.case_id, \
             c.reference AS case_reference, a.detail FROM audit_log a \
             LEFT JOIN users u ON u.id = a.actor_id LEFT JOIN cases c ON c.id = a.case_id \
             WHERE a.id < $1 AND a.id >= $2",
        );
        let mut n = 2;
        let mut cond = |col: &str, present: bool| {
            if present {
                n += 1;
                sql.push_str(&format!(" AND a.{col} = ${n}"));
            }
        };
        cond("case_id", q.case_id.is_some());
        cond("actor_id", q.actor_id.is_some());
        cond("action", q.action.is_some());
        sql.push_str(&format!(" ORDER BY a.id DESC LIMIT ${}", n + 1));
        Ok(on_db!(self, pool => {
            let mut query = sqlx::query_as::<_, AuditEntryRow>(&sql).bind(upper).bind(lower);
            if let Some(c) = q.case_id {
                query = query.bind(c);
            }
            if let Some(a) = q.actor_id {
                query = query.bind(a);
            }
            if let Some(a) = &q.action {
                query = query.bind(a.clone());
            }
            query.bind(q.limit).fetch_all(pool).await?
        }))
    }
}

/// A numbered record as read for the walk.
#[derive(sqlx::FromRow)]
struct ChainRow {
    id: Uuid,
    at: OffsetDateTime,
    actor_id: Option<Uuid>,
    action: String,
    case_id: Option<Uuid>,
    detail: String,
    seal: Option<Vec<u8>>,
    seq: Option<i64>,
    link: Option<Vec<u8>>,
}

impl ChainRow {
    fn content(&self) -> RecordContent<'_> {
        RecordContent {
            id: self.id,
            at: self.at,
            actor_id: self.actor_id,
            action: &self.action,
            case_id: self.case_id,
            detail: &self.detail,
        }
    }
}

fn hash32(v: &Option<Vec<u8>>) -> Option<[u8; 32]> {
    v.as_deref().and_then(|b| b.try_into().ok())
}

/// What walking the whole trail found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    /// Numbered records that were checked before the walk ended.
    pub checked: u64,
    /// Where the walk stopped, or `None` when the chain is intact.
    pub broken: Option<Break>,
    /// Records written but not numbered yet (the sealing job numbers them within seconds).
    pub pending: u64,
    /// Among those, records Retour did not write or that changed since: their ids.
    pub pending_bad: Vec<Uuid>,
    pub head: Option<Head>,
}

/// Records read per statement while walking or sealing.
const CHAIN_BATCH: i64 = 5_000;
/// Records numbered per statement (three parameters each).
const SEAL_CHUNK: usize = 1_000;

const CHAIN_COLUMNS: &str = "id, at, actor_id, action, case_id, detail, seal, seq, link";

impl Store {
    /// Sets the key of the seals and links (once; later calls keep the first key).
    pub fn set_audit_key(&self, key: [u8; 32]) {
        let _ = self.audit_key.set(ChainKey(key));
    }

    pub(crate) fn audit_key(&self) -> ChainKey {
        self.audit_key.get().copied().unwrap_or(ChainKey([0; 32]))
    }

    /// The newest numbered record, read from the table.
    pub async fn audit_head(&self) -> StoreResult<Option<Head>> {
        let row: Option<(i64, Vec<u8>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT seq, link FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
        )
        .fetch_optional(pool)
        .await?);
        Ok(row.and_then(|(seq, link)| {
            Some(Head {
                seq,
                link: link.try_into().ok()?,
            })
        }))
    }

    async fn legacy_until(&self) -> StoreResult<Option<Uuid>> {
        let row: Option<(Option<Uuid>,)> = on_db!(self, pool => sqlx::query_as(
            "SELECT legacy_until FROM audit_chain WHERE id = 1",
        )
        .fetch_optional(pool)
        .await?);
        Ok(row.and_then(|r| r.0))
    }

    /// Numbers up to [`CHAIN_BATCH`] records written since the last call, oldest first, and
    /// links them to the chain; returns how many and the new head. One sealer at a time: the
    /// SQLite writer's turn, or an advisory lock on PostgreSQL (several servers may run this).
    pub async fn seal_audit(&self) -> StoreResult<(u64, Option<Head>)> {
        // Most calls find nothing to do: a read through the partial index, no write turn.
        let pending: Option<(Uuid,)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT 1",
        )
        .fetch_optional(pool)
        .await?);
        if pending.is_none() {
            return Ok((0, self.audit_head().await?));
        }
        let key = self.audit_key();
        let legacy_until = self.legacy_until().await?;
        let postgres = self.backend() == crate::Backend::Postgres;
        let numbered_params = self.numbered();
        Ok(in_write!(self, tx => {
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock(7262001)")
                    .execute(&mut *tx)
                    .await?;
            }
            let head: Option<(i64, Vec<u8>)> = sqlx::query_as(
                "SELECT seq, link FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
            )
            .fetch_optional(&mut *tx)
            .await?;
            let head = head.and_then(|(seq, link)| Some(Head { seq, link: link.try_into().ok()? }));
            let rows: Vec<ChainRow> = sqlx::query_as(&format!(
                "SELECT {CHAIN_COLUMNS} FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT $1"
            ))
            .bind(CHAIN_BATCH)
            .fetch_all(&mut *tx)
            .await?;
            let judge = Walker::new(key, legacy_until, None);
            let seals: Vec<[u8; 32]> = rows
                .iter()
                .map(|r| judge.seal_to_link(&r.content(), hash32(&r.seal)))
                .collect();
            let numbered = extend(&key, head, &seals);
            // One statement per chunk: the numbers and links joined in as a VALUES list (its
            // columns are called column1.. on both backends).
            for (chunk_rows, chunk) in rows.chunks(SEAL_CHUNK).zip(numbered.chunks(SEAL_CHUNK)) {
                let sql = format!(
                    "UPDATE audit_log SET seq = v.column2, link = v.column3 FROM (VALUES {}) AS v \
                     WHERE audit_log.id = v.column1",
                    crate::rows::placeholders(chunk.len(), 3, numbered_params)
                );
                let mut q = sqlx::query(&sql);
                for (r, (seq, link)) in chunk_rows.iter().zip(chunk) {
                    q = q.bind(r.id).bind(*seq).bind(link.to_vec());
                }
                q.execute(&mut *tx).await?;
            }
            let new_head = numbered.last().map(|&(seq, link)| Head { seq, link }).or(head);
            (rows.len() as u64, new_head)
        }))
    }

    /// Walks the whole trail in order of number, a batch per statement, and checks every seal
    /// and link, then the records not numbered yet. `checkpoint` is the head recorded outside
    /// the database; `progress` is told how many records were checked so far.
    pub async fn verify_audit(
        &self,
        checkpoint: Option<Head>,
        mut progress: impl FnMut(u64),
    ) -> StoreResult<AuditVerification> {
        let key = self.audit_key();
        let mut walker = Walker::new(key, self.legacy_until().await?, checkpoint);
        let mut after = 0i64;
        let mut broken = None;
        'walk: loop {
            let rows: Vec<ChainRow> = on_db!(self, pool => sqlx::query_as(&format!(
                "SELECT {CHAIN_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
            ))
            .bind(after)
            .bind(CHAIN_BATCH)
            .fetch_all(pool)
            .await?);
            let Some(last) = rows.last() else { break };
            after = last.seq.unwrap_or(after);
            for r in &rows {
                let record = SealedRecord {
                    content: r.content(),
                    seal: hash32(&r.seal),
                    seq: r.seq.unwrap_or(0),
                    link: hash32(&r.link),
                };
                if let Err(b) = walker.feed(&record) {
                    broken = Some(b);
                    break 'walk;
                }
            }
            progress(walker.count);
        }
        let head = match broken {
            Some(_) => None,
            None => walker.finish().map_err(|b| broken = Some(b)).ok().flatten(),
        };
        // A numbered record carrying a number the walk already passed (or zero or less) was
        // never reached by `seq > after`: numbers below one are inserted records too.
        if broken.is_none() {
            let odd: Option<(i64,)> = on_db!(self, pool => sqlx::query_as(
                "SELECT seq FROM audit_log WHERE seq < 1 ORDER BY seq LIMIT 1",
            )
            .fetch_optional(pool)
            .await?);
            if let Some((seq,)) = odd {
                broken = Some(Break::Inserted { seq });
            }
        }
        let mut pending = 0;
        let mut pending_bad = Vec::new();
        let mut after_id = Uuid::nil();
        loop {
            let rows: Vec<ChainRow> = on_db!(self, pool => sqlx::query_as(&format!(
                "SELECT {CHAIN_COLUMNS} FROM audit_log WHERE seq IS NULL AND id > $1 ORDER BY id LIMIT $2"
            ))
            .bind(after_id)
            .bind(CHAIN_BATCH)
            .fetch_all(pool)
            .await?);
            let Some(last) = rows.last() else { break };
            after_id = last.id;
            for r in &rows {
                pending += 1;
                if !walker.unsealed_intact(&r.content(), hash32(&r.seal)) {
                    pending_bad.push(r.id);
                }
            }
        }
        Ok(AuditVerification {
            checked: walker.count,
            broken,
            pending,
            pending_bad,
            head,
        })
    }
}

/// id, actor, action, case, detail, seal.
type BenchRecord = (
    Uuid,
    Option<Uuid>,
    &'static str,
    Option<Uuid>,
    String,
    [u8; 32],
);

/// The audit benchmark (`retour-bench audit`): a trail of realistic size, and the baseline read.
impl Store {
    /// Appends `n` sealed records, as the application writes them, a thousand per statement.
    pub async fn bench_fill_audit(&self, n: u64, mut progress: impl FnMut(u64)) -> StoreResult<()> {
        const ACTIONS: &[(&str, &str)] = &[
            ("case.update", "planned_departure_date"),
            ("sensitive.read", "medical"),
            ("plan.line", "line 3 housing"),
            ("session.sign_in", ""),
            ("spending.record", "line 1"),
            ("case.transition", "preparing_departure -> departed"),
        ];
        let key = self.audit_key();
        let actors: Vec<Uuid> = (0..40).map(|_| Uuid::now_v7()).collect();
        let mut written = 0u64;
        while written < n {
            let k = (n - written).min(1_000) as usize;
            let at = now();
            let rows: Vec<BenchRecord> = (0..k)
                .map(|i| {
                    let id = Uuid::now_v7();
                    let (action, detail) = ACTIONS[(written as usize + i) % ACTIONS.len()];
                    let actor = Some(actors[(written as usize + i * 7) % actors.len()]);
                    let case = (action != "session.sign_in").then(Uuid::now_v7);
                    let detail = detail.to_string();
                    let seal = crate::audit_chain::seal(
                        &key,
                        &RecordContent {
                            id,
                            at,
                            actor_id: actor,
                            action,
                            case_id: case,
                            detail: &detail,
                        },
                    );
                    (id, actor, action, case, detail, seal)
                })
                .collect();
            let sql = format!(
                "INSERT INTO audit_log (id, at, actor_id, action, case_id, detail, seal) VALUES {}",
                crate::rows::placeholders(k, 7, self.numbered())
            );
            in_write!(self, tx => {
                let mut q = sqlx::query(&sql);
                for (id, actor, action, case, detail, seal) in &rows {
                    q = q.bind(*id).bind(at).bind(*actor).bind(*action).bind(*case).bind(detail).bind(seal.to_vec());
                }
                q.execute(&mut *tx).await?;
            });
            written += k as u64;
            progress(written);
        }
        Ok(())
    }

    /// The baseline of verification: the same rows read in the same batches, nothing checked.
    pub async fn bench_read_audit(&self) -> StoreResult<u64> {
        let mut after = 0i64;
        let mut n = 0u64;
        loop {
            let rows: Vec<ChainRow> = on_db!(self, pool => sqlx::query_as(&format!(
                "SELECT {CHAIN_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
            ))
            .bind(after)
            .bind(CHAIN_BATCH)
            .fetch_all(pool)
            .await?);
            let Some(last) = rows.last() else {
                return Ok(n);
            };
            after = last.seq.unwrap_or(after);
            n += rows.len() as u64;
        }
    }
}
