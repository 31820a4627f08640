//! The audit trail as auditors and data-protection officers read it: who did or read what,
//! when, on which case; filtered by case, person, action and dates, a page at a time.

use retour_domain::{parse_date, CaseReference, ValidationError, ValidationErrors};
use retour_store::AuditQuery;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::authz::{require, Action};
use crate::{Actor, App, AppResult, Page};

/// Every action the trail records, for pick lists and translated labels.
pub const ACTIONS: &[&str] = &[
    "appointment.record",
    "appointment.schedule",
    "break_glass.open",
    "case.arrival",
    "case.assign_partner",
    "case.create",
    "case.note",
    "case.transition",
    "case.update",
    "checklist.set",
    "child.best_interests",
    "child.guardian",
    "child.reception_check",
    "consent.record",
    "consent.withdraw",
    "document.read",
    "entitlement.confirm",
    "entitlement.keep",
    "entitlement.review_lapsed",
    "entitlement.review_raised",
    "final_report.submit",
    "followup.record",
    "instrument.load",
    "jobs.run",
    "keys.retire",
    "keys.rotate",
    "medical_need.record",
    "office.create",
    "office.rename",
    "partner.create",
    "person_link.confirm",
    "person_link.create",
    "person_link.dismiss",
    "person_link.reopen",
    "plan.amend",
    "plan.approve",
    "plan.create",
    "plan.line",
    "plan.line_remove",
    "plan.send_back",
    "plan.submit",
    "policy.load",
    "premium.record",
    "record.correct",
    "retention.identity",
    "retention.notes",
    "retention.proofs",
    "sensitive.read",
    "session.sign_in",
    "session.sign_out",
    "spending.record",
    "subject.export",
    "survey.record",
    "survey.rescore",
    "task.done",
    "token.create",
    "token.revoke",
    "user.activate",
    "user.create",
    "user.deactivate",
    "user.mfa_enrol",
    "user.mfa_recovery_code",
    "user.mfa_reset",
    "user.password_change",
    "user.password_reset",
    "user.reset_link",
    "user.update",
    "vulnerability.record",
    "workbook.consent",
    "workbook.hand_out",
    "workbook.order",
    "workbook.reject",
    "workbook.ship",
    "workbook.stock",
];

/// The filters as a form, the API or the command line give them.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// A case reference (`R-2026-000123`).
    pub case_reference: Option<String>,
    /// The e-mail address of the person who acted.
    pub actor_email: Option<String>,
    /// Or their id (the API's way: no e-mail address in a URL).
    pub actor_id: Option<Uuid>,
    /// One of [`ACTIONS`].
    pub action: Option<String>,
    /// First and last day, inclusive (`YYYY-MM-DD`).
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One audit record as a reader sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    /// `None` for the operator's command line.
    pub actor_name: Option<String>,
    pub action: String,
    pub case_id: Option<Uuid>,
    pub case_reference: Option<String>,
    /// Which record or field, never a special-category value.
    pub detail: String,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl App {
    /// A page of the audit trail, newest first (auditors; `None` is the operator's command
    /// line). A filter naming a case or person that does not exist finds nothing.
    pub async fn audit(
        &self,
        actor: Option<&Actor>,
        filter: &AuditFilter,
        before: Option<Uuid>,
        limit: usize,
    ) -> AppResult<Page<AuditEntry>> {
        if let Some(a) = actor {
            require(a, Action::ReadAudit, None)?;
        }
        let mut errors = ValidationErrors::default();
        let reference = given(&filter.case_reference).and_then(|r| {
            CaseReference::parse(r)
                .map_err(|e| errors.push(e.at("case")))
                .ok()
        });
        let action = given(&filter.action).and_then(|a| match ACTIONS.contains(&a) {
            true => Some(a.to_string()),
            false => {
                errors.push(
                    ValidationError::new(retour_domain::Invalid::UnknownValue {
                        value: a.chars().take(40).collect(),
                    })
                    .at("action"),
                );
                None
            }
        });
        let day = |v: &Option<String>, field: &str, errors: &mut ValidationErrors| {
            given(v).and_then(|d| parse_date(d).map_err(|e| errors.push(e.at(field))).ok())
        };
        let from = day(&filter.from, "from", &mut errors);
        let to = day(&filter.to, "to", &mut errors);
        errors.into_result(())?;
        let empty = Page {
            items: Vec::new(),
            next: None,
        };
        let case_id = match reference {
            Some(r) => match self.store.case_id_by_reference(&r).await {
                Ok(id) => Some(id),
                Err(retour_store::StoreError::NotFound) => return Ok(empty),
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        let actor_id = match given(&filter.actor_email) {
            Some(email) => match self.store.user_by_email(email).await {
                Ok(u) => Some(u.id),
                Err(retour_store::StoreError::NotFound) => return Ok(empty),
                Err(e) => return Err(e.into()),
            },
            None => filter.actor_id,
        };
        let rows = self
            .store
            .audit_page(&AuditQuery {
                case_id,
                actor_id,
                action,
                from: from.map(|d| d.midnight().assume_utc()),
                until: to.map(|d| d.next_day().unwrap_or(d).midnight().assume_utc()),
                before,
                limit: limit as i64 + 1,
            })
            .await?;
        let entries = rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                at: r.at,
                actor_id: r.actor_id,
                actor_name: r.actor_name,
                action: r.action,
                case_id: r.case_id,
                case_reference: r.case_reference,
                detail: r.detail,
            })
            .collect();
        Ok(Page::from_rows(entries, limit, |e| e.id.to_string()))
    }
}

/// Tamper evidence (see `retour_store::audit_chain`): the sealing job, the walk, and the
/// checkpoint of the chain's head kept outside the database.
pub mod chain {
    pub use retour_store::audit_chain::{Break, Head};
    pub use retour_store::AuditVerification;
    use std::path::Path;

    use crate::{App, AppResult};

    impl App {
        /// Numbers and links every record written since the last call. Returns how many and
        /// the head of the chain.
        pub async fn seal_audit(&self) -> AppResult<(u64, Option<Head>)> {
            let mut total = 0;
            loop {
                let (n, head) = self.store.seal_audit().await?;
                total += n;
                if n == 0 {
                    return Ok((total, head));
                }
            }
        }

        /// Walks the whole trail against `checkpoint` (see [`read_checkpoint`]); `progress`
        /// hears how many records were checked so far. Operators only (the command line).
        pub async fn verify_audit(
            &self,
            checkpoint: Option<Head>,
            progress: impl FnMut(u64),
        ) -> AppResult<AuditVerification> {
            Ok(self.store.verify_audit(checkpoint, progress).await?)
        }

        /// The newest numbered record (the total for a progress bar).
        pub async fn audit_head(&self) -> AppResult<Option<Head>> {
            Ok(self.store.audit_head().await?)
        }
    }

    /// The head recorded in `path`: `None` when there is no file yet; an error naming the file
    /// when it is not a checkpoint.
    pub fn read_checkpoint(path: &Path) -> Result<Option<Head>, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => Head::parse_line(&text)
                .map(Some)
                .ok_or_else(|| path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Replaces the checkpoint in `path` with `head`, never leaving a half-written file, and
    /// never going back: a checkpoint already past `head` (written by another server) is kept.
    pub fn write_checkpoint(path: &Path, head: Head) -> std::io::Result<()> {
        if let Ok(Some(old)) = read_checkpoint(path) {
            if old.seq > head.seq {
                return Ok(());
            }
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, head.to_line() + "\n")?;
        std::fs::rename(&tmp, path)
    }
}
