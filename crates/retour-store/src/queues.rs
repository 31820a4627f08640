//! Work queues: what is waiting for someone, a page at a time by key, each from one statement
//! that walks an index (never a table).

use time::Date;
use uuid::Uuid;

use crate::db::on_db;
use crate::search::Scope;
use crate::{Store, StoreResult};

/// One case in a queue, with what it waits on.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QueueRow {
    /// The key of the next page: the case id, or the appointment's for visits.
    pub key: Uuid,
    pub case_id: Uuid,
    pub reference: String,
    pub status: String,
    pub destination_country: String,
    pub family_name: String,
    pub given_names: String,
    /// The plan's total, for plans waiting for approval.
    pub amount_cents: Option<i64>,
    /// The day something is due (a visit).
    pub due_on: Option<Date>,
}

const CASE_COLS: &str = "c.id AS case_id, c.reference, c.status, c.destination_country, \
    p.family_name, p.given_names";
const PRINCIPAL: &str = "JOIN persons p ON p.case_id = c.id AND p.relationship = 'principal'";

impl Store {
    /// Cases of the scope in `status`, by id after `after`.
    pub async fn cases_in_status(
        &self,
        scope: &Scope,
        status: &str,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<QueueRow>> {
        let after = after.unwrap_or(Uuid::nil());
        let (filter, key) = match scope {
            Scope::Nothing => return Ok(Vec::new()),
            Scope::All => ("", None),
            Scope::Office(o) => ("c.office = $4 AND ", Some(o.as_str())),
            Scope::Partner(p) => ("c.partner_org = $4 AND ", Some(p.as_str())),
        };
        let sql = format!(
            "SELECT c.id AS key, {CASE_COLS}, NULL AS amount_cents, NULL AS due_on FROM cases c {PRINCIPAL} \
             WHERE {filter}c.status = $1 AND c.id > $2 ORDER BY c.id LIMIT $3"
        );
        Ok(on_db!(self, pool => {
            let q = sqlx::query_as(&sql).bind(status).bind(after).bind(limit);
            let q = match key {
                Some(k) => q.bind(k),
                None => q,
            };
            q.fetch_all(pool).await?
        }))
    }

    /// Submitted plans that `approver` did not write and has not approved yet, with their total.
    pub async fn plans_awaiting(
        &self,
        approver: Uuid,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<QueueRow>> {
        let sql = format!(
            "SELECT c.id AS key, {CASE_COLS}, \
             (SELECT CAST(SUM(l.planned_cents) AS BIGINT) FROM plan_lines l WHERE l.case_id = c.id AND l.removed = $4) AS amount_cents, \
             NULL AS due_on \
             FROM plans pl JOIN cases c ON c.id = pl.case_id {PRINCIPAL} \
             WHERE pl.status = 'submitted' AND pl.case_id > $2 \
             AND NOT EXISTS (SELECT 1 FROM plan_authors a WHERE a.case_id = pl.case_id AND a.version = pl.version AND a.user_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM plan_approvals ap WHERE ap.case_id = pl.case_id AND ap.version = pl.version AND ap.approver_id = $1) \
             ORDER BY pl.case_id LIMIT $3"
        );
        Ok(on_db!(self, pool => sqlx::query_as(&sql)
            .bind(approver)
            .bind(after.unwrap_or(Uuid::nil()))
            .bind(limit)
            .bind(false)
            .fetch_all(pool)
            .await?))
    }

    /// Cases with an open review of their frozen entitlement (one per case, by its index).
    pub async fn open_reviews(
        &self,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<QueueRow>> {
        let sql = format!(
            "SELECT c.id AS key, {CASE_COLS}, NULL AS amount_cents, NULL AS due_on \
             FROM entitlement_reviews r JOIN cases c ON c.id = r.case_id {PRINCIPAL} \
             WHERE r.status = 'open' AND r.case_id > $1 ORDER BY r.case_id LIMIT $2"
        );
        Ok(on_db!(self, pool => sqlx::query_as(&sql)
            .bind(after.unwrap_or(Uuid::nil()))
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    /// Open cases with a complex medical vulnerability and no itemised medical need yet.
    pub async fn medical_unpriced(
        &self,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<QueueRow>> {
        let sql = format!(
            "SELECT DISTINCT c.id AS key, {CASE_COLS}, NULL AS amount_cents, NULL AS due_on \
             FROM vulnerabilities v JOIN cases c ON c.id = v.case_id {PRINCIPAL} \
             WHERE v.kind = 'complex_medical' AND v.case_id > $1 \
             AND c.status NOT IN ('closed', 'withdrawn', 'no_show') \
             AND NOT EXISTS (SELECT 1 FROM medical_needs m WHERE m.case_id = v.case_id) \
             ORDER BY c.id LIMIT $2"
        );
        Ok(on_db!(self, pool => sqlx::query_as(&sql)
            .bind(after.unwrap_or(Uuid::nil()))
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    /// Planned appointments of the partner's cases due on or before `until`, soonest first,
    /// after the appointment `after` (its day and id).
    pub async fn visits_due(
        &self,
        partner_org: &str,
        until: Date,
        after: Option<(Date, Uuid)>,
        limit: i64,
    ) -> StoreResult<Vec<QueueRow>> {
        // Before any appointment, and a day both databases can store.
        let first = Date::from_calendar_date(1, time::Month::January, 1).expect("a valid day");
        let (from_day, from_id) = after.unwrap_or((first, Uuid::nil()));
        let sql = format!(
            "SELECT a.id AS key, {CASE_COLS}, NULL AS amount_cents, a.scheduled_on AS due_on \
             FROM appointments a JOIN cases c ON c.id = a.case_id AND c.partner_org = $1 {PRINCIPAL} \
             WHERE a.status = 'planned' AND a.scheduled_on <= $2 \
             AND (a.scheduled_on > $3 OR (a.scheduled_on = $3 AND a.id > $4)) \
             ORDER BY a.scheduled_on, a.id LIMIT $5"
        );
        Ok(on_db!(self, pool => sqlx::query_as(&sql)
            .bind(partner_org)
            .bind(until)
            .bind(from_day)
            .bind(from_id)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }
}
