//! Deadlines and tasks. The job expires lines whose deadline passed and raises tasks; it runs
//! in the server every hour and from cron as `retour jobs run`. Running it twice changes
//! nothing the second time: tasks are unique per kind and subject.

use retour_domain::plan::{self, TaskKind};
use retour_store::{Audit, TaskRow};
use time::{Date, Duration};
use uuid::Uuid;

use crate::authz::{can, Action};
use crate::{Actor, App, AppError, AppResult};

/// What one run of the job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct JobReport {
    pub expired_lines: u64,
    pub new_tasks: u64,
}

/// Rows are read in pages of this many, so the job's memory stays flat at any scale.
const PAGE: i64 = 1000;

impl App {
    /// Runs the deadline job as of `today`. Day counts come from the policy in force that day.
    pub async fn run_jobs(&self, today: Date) -> AppResult<JobReport> {
        let rules = self.policy_on(today).await?.plan();
        let expired_lines = self.store.expire_lines(today).await?;
        let now = time::OffsetDateTime::now_utc();
        let task = |case_id, kind: TaskKind, subject_id, due_on| TaskRow {
            id: Uuid::now_v7(),
            case_id,
            kind: kind.as_str().into(),
            subject_id,
            due_on,
            created_at: now,
            done_at: None,
            done_by: None,
        };
        let mut new_tasks = 0;
        let cutoff = today - Duration::days(rules.submission_days as i64);
        let mut after = Uuid::nil();
        loop {
            let page = self
                .store
                .arrivals_without_plan(cutoff, after, PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = last.0;
            let tasks: Vec<TaskRow> = page
                .iter()
                .filter(|(_, arrived)| {
                    plan::submission_overdue(*arrived, today, rules.submission_days)
                })
                .map(|(case_id, arrived)| {
                    task(
                        *case_id,
                        TaskKind::PlanNotSubmitted,
                        *case_id,
                        *arrived + Duration::days(rules.submission_days as i64),
                    )
                })
                .collect();
            new_tasks += self.store.raise_tasks(&tasks).await?;
        }
        let mut after = Uuid::nil();
        loop {
            let page = self.store.missed_appointments(after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            let tasks: Vec<TaskRow> = page
                .iter()
                .map(|a| task(a.case_id, TaskKind::AppointmentMissed, a.id, a.scheduled_on))
                .collect();
            new_tasks += self.store.raise_tasks(&tasks).await?;
        }
        let until = today + Duration::days(rules.warning_days as i64);
        let mut after = Uuid::nil();
        loop {
            let page = self.store.lines_expiring(today, until, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            let tasks: Vec<TaskRow> = page
                .iter()
                .filter(|l| plan::deadline_soon(l.expires_on, today, rules.warning_days))
                .map(|l| task(l.case_id, TaskKind::DeadlineSoon, l.id, l.expires_on))
                .collect();
            new_tasks += self.store.raise_tasks(&tasks).await?;
        }
        new_tasks += self.raise_monitoring_tasks(today).await?;
        if expired_lines + new_tasks > 0 {
            self.store
                .append_audit(
                    &Audit::new(None, "jobs.run")
                        .detail(format!("{expired_lines} lines expired, {new_tasks} tasks")),
                    None,
                )
                .await?;
        }
        Ok(JobReport {
            expired_lines,
            new_tasks,
        })
    }

    /// The open tasks on the actor's cases (a counsellor's own, a partner's assigned; all for
    /// programme managers), a keyset page after `after`.
    pub async fn tasks(
        &self,
        actor: &Actor,
        after: Option<Uuid>,
        limit: i64,
    ) -> AppResult<Vec<crate::views::TaskItem>> {
        let Some(assignee) = crate::authz::task_scope(actor) else {
            return Ok(Vec::new());
        };
        Ok(crate::views::all(
            self.store
                .open_tasks(assignee.as_ref(), None, after, limit)
                .await?,
        ))
    }

    /// Open tasks of one case the actor may read.
    pub async fn case_tasks(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> AppResult<Vec<crate::views::TaskItem>> {
        self.case(actor, case_id).await?;
        Ok(crate::views::all(
            self.store
                .open_tasks(None, Some(case_id), None, 100)
                .await?,
        ))
    }

    /// Marks a task done; whoever may work on its case.
    pub async fn complete_task(&self, actor: &Actor, task_id: Uuid) -> AppResult<()> {
        let task = self.store.task(task_id).await?.ok_or(AppError::NotFound)?;
        let case = self.case(actor, task.case_id).await?;
        if !(can(actor, Action::EditPlan, Some(&case))
            || can(actor, Action::RecordDelivery, Some(&case)))
        {
            return Err(AppError::Forbidden);
        }
        // Only the decision on the entitlement, or recording the follow-up, ends these.
        let needs = if task.kind == TaskKind::EntitlementChanged.as_str() {
            Some("task-needs-decision")
        } else if task.kind == TaskKind::FollowUpDue.as_str() {
            Some("task-needs-followup")
        } else {
            None
        };
        if let Some(code) = needs {
            return Err(retour_domain::error::other(code, case.reference.to_string()).into());
        }
        self.store
            .complete_task(
                task_id,
                actor.id,
                &Audit::new(Some(actor.id), "task.done").detail(task.kind),
            )
            .await?;
        Ok(())
    }
}
