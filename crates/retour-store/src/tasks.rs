//! Tasks and the deadline job's queries. A task is raised once (`ON CONFLICT DO NOTHING`).

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::cases::now;
use crate::db::on_db;
use crate::delivery::{AppointmentRow, APPT_COLS};
use crate::writer::in_write;
use crate::{Audit, Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct TaskRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: String,
    /// What the task is about: the case, an appointment or a line. Unique per kind.
    pub subject_id: Uuid,
    pub due_on: Date,
    pub created_at: OffsetDateTime,
    pub done_at: Option<OffsetDateTime>,
    pub done_by: Option<Uuid>,
}

/// A task with the case reference it belongs to, for task lists.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct TaskListRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub reference: String,
    pub kind: String,
    pub subject_id: Uuid,
    pub due_on: Date,
    /// For a missed appointment: its kind, day and person.
    pub appointment_kind: Option<String>,
    pub appointment_on: Option<Date>,
    pub person: Option<String>,
    /// For a line about to expire: what it is for.
    pub line: Option<String>,
}

/// A line whose deadline is near and which still has money left.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExpiringLine {
    pub id: Uuid,
    pub case_id: Uuid,
    pub expires_on: Date,
    pub left_cents: i64,
}

impl Store {
    /// Marks lines whose deadline has passed as expired; returns how many changed.
    pub async fn expire_lines(&self, today: Date) -> StoreResult<u64> {
        Ok(in_write!(self, tx => sqlx::query(
            "UPDATE plan_lines SET expired = $1 WHERE expires_on < $2 AND expired = $3")
            .bind(true).bind(today).bind(false).execute(&mut *tx).await?.rows_affected()))
    }

    /// Raises tasks; one per kind and subject ever, so running the job again adds nothing.
    /// Returns how many were new.
    pub async fn raise_tasks(&self, tasks: &[TaskRow]) -> StoreResult<u64> {
        let mut n = 0;
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            for t in tasks {
                n += sqlx::query("INSERT INTO tasks (id, case_id, kind, subject_id, due_on, created_at, done_at, done_by) \
                                  VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL) ON CONFLICT (kind, subject_id) DO NOTHING")
                    .bind(t.id).bind(t.case_id).bind(&t.kind).bind(t.subject_id).bind(t.due_on).bind(t.created_at)
                    .execute(&mut *tx).await?.rows_affected();
            }
            tx.commit().await?;
        });
        Ok(n)
    }

    /// Cases that arrived on or before `cutoff` without a submitted plan, `limit` after `after`.
    pub async fn arrivals_without_plan(
        &self,
        cutoff: Date,
        after: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<(Uuid, Date)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT a.case_id, a.arrived_on FROM arrivals a LEFT JOIN plans p ON p.case_id = a.case_id \
             JOIN cases c ON c.id = a.case_id AND c.status NOT IN ('closed', 'withdrawn', 'no_show') \
             WHERE a.arrived_on <= $1 AND a.case_id > $2 AND p.submitted_at IS NULL ORDER BY a.case_id LIMIT $3")
            .bind(cutoff).bind(after).bind(limit).fetch_all(pool).await?))
    }

    /// Missed appointments, `limit` after `after`.
    pub async fn missed_appointments(
        &self,
        after: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<AppointmentRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {APPT_COLS} FROM appointments WHERE status = 'missed' AND id > $1 \
             AND case_id IN (SELECT c.id FROM cases c WHERE c.id = appointments.case_id AND c.status NOT IN ('closed', 'withdrawn', 'no_show')) \
             ORDER BY id LIMIT $2"))
            .bind(after).bind(limit).fetch_all(pool).await?))
    }

    /// Approved, unexpired lines whose deadline is in `[from, to]` and that have money left.
    pub async fn lines_expiring(
        &self,
        from: Date,
        to: Date,
        after: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<ExpiringLine>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT l.id, l.case_id, l.expires_on, \
             CAST(l.approved_cents - (SELECT COALESCE(SUM(s.eur_cents), 0) FROM spendings s WHERE s.line_id = l.id) AS BIGINT) AS left_cents \
             FROM plan_lines l JOIN cases c ON c.id = l.case_id AND c.status NOT IN ('closed', 'withdrawn', 'no_show') \
             WHERE l.expires_on >= $1 AND l.expires_on <= $2 AND l.id > $3 AND l.expired = $4 \
             AND l.removed = $4 AND l.approved_cents IS NOT NULL \
             AND l.approved_cents > (SELECT COALESCE(SUM(s.eur_cents), 0) FROM spendings s WHERE s.line_id = l.id) \
             ORDER BY l.id LIMIT $5")
            .bind(from).bind(to).bind(after).bind(false).bind(limit).fetch_all(pool).await?))
    }

    /// Open tasks on the cases of a counsellor or partner (or of everyone), `limit` after `after`.
    pub async fn open_tasks(
        &self,
        assignee: Option<&crate::Assignee>,
        case_id: Option<Uuid>,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<TaskListRow>> {
        let after = after.unwrap_or(Uuid::nil());
        // With what a task is about: the appointment (whose, which kind, which day) or the line.
        let base = "SELECT t.id, t.case_id, c.reference, t.kind, t.subject_id, t.due_on, \
                    ap.kind AS appointment_kind, ap.scheduled_on AS appointment_on, \
                    CASE WHEN p.id IS NULL THEN NULL ELSE p.given_names || ' ' || p.family_name END AS person, \
                    pl.description AS line \
                    FROM tasks t JOIN cases c ON c.id = t.case_id \
                    LEFT JOIN appointments ap ON ap.id = t.subject_id LEFT JOIN persons p ON p.id = ap.person_id \
                    LEFT JOIN plan_lines pl ON pl.id = t.subject_id \
                    WHERE t.done_at IS NULL AND c.status NOT IN ('closed', 'withdrawn', 'no_show') AND t.id > $1";
        Ok(on_db!(self, pool => match (assignee, case_id) {
            (_, Some(case_id)) => sqlx::query_as(&format!("{base} AND t.case_id = $2 ORDER BY t.id LIMIT $3"))
                .bind(after).bind(case_id).bind(limit).fetch_all(pool).await?,
            (Some(crate::Assignee::Counsellor(id)), None) => sqlx::query_as(&format!("{base} AND c.counsellor_id = $2 ORDER BY t.id LIMIT $3"))
                .bind(after).bind(id).bind(limit).fetch_all(pool).await?,
            (Some(crate::Assignee::Partner(org)), None) => sqlx::query_as(&format!("{base} AND c.partner_org = $2 ORDER BY t.id LIMIT $3"))
                .bind(after).bind(org).bind(limit).fetch_all(pool).await?,
            (None, None) => sqlx::query_as(&format!("{base} ORDER BY t.id LIMIT $2"))
                .bind(after).bind(limit).fetch_all(pool).await?,
        }))
    }

    pub async fn task(&self, id: Uuid) -> StoreResult<Option<TaskRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, case_id, kind, subject_id, due_on, created_at, done_at, done_by FROM tasks WHERE id = $1")
            .bind(id).fetch_optional(pool).await?))
    }

    pub async fn complete_task(&self, id: Uuid, by: Uuid, audit: &Audit) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let case: Option<(Uuid,)> = sqlx::query_as("UPDATE tasks SET done_at = $1, done_by = $2 WHERE id = $3 AND done_at IS NULL RETURNING case_id")
                .bind(at).bind(by).bind(id).fetch_optional(&mut *tx).await?;
            let Some((case_id,)) = case else { return Err(StoreError::NotFound) };
            insert_audit!(self, &mut *tx, audit, Some(case_id), at)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
