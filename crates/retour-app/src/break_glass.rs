//! Break-glass access: in an emergency a counsellor, medical advisor or programme manager opens
//! what they may not normally read on one case (the case itself when it belongs to another
//! office, or one special-category class), with a reason, for a few hours.
//!
//! Every grant is an audit record; it raises a task for the case's counsellor and the programme
//! managers; the case page lists its grants to those who answer for it, and the auditors' page
//! lists them all. It only ever opens reading: nobody writes through a broken glass. Cases with
//! a vulnerability of the kinds the settings name (by default trafficking, whose victims may be
//! sought by those who trafficked them) are closed to it; the refusal does not say why.
//!
//! A grant is part of the actor (`Actor::glass`): the one authorisation decision
//! ([`crate::authz::can`]) reads it, and it expires by itself at its time.

use std::sync::Arc;

use retour_domain::{CaseReference, Invalid, ValidationError, ValidationErrors};
use retour_store::{Audit, GlassRow, RowKey, Sealed};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::authz::{can, require, Action, Sensitivity};
use crate::{Actor, App, AppResult};

/// How long a grant lasts unless the settings say otherwise.
pub const DEFAULT_HOURS: i64 = 3;
/// The vulnerability kinds that close a case to break-glass access, unless the settings say
/// otherwise.
pub const DEFAULT_CLOSED_KINDS: [&str; 1] = ["trafficking_victim"];
/// A reason says what happened: a few words are not enough.
pub const MIN_REASON: usize = 20;
const MAX_REASON: usize = 2000;

/// One grant as the authorisation layer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlassGrant {
    pub case_id: Uuid,
    /// `None`: the case itself (its general parts); else that class too.
    pub class: Option<Sensitivity>,
    pub until: OffsetDateTime,
}

/// The grants an actor holds; clones of one session's actor share them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glass(Arc<Vec<GlassGrant>>);

impl Glass {
    /// Whether a grant running now opens `case_id` (and `class`, when one is asked for).
    pub fn opens(&self, case_id: Uuid, class: Option<Sensitivity>) -> bool {
        let now = OffsetDateTime::now_utc();
        self.0
            .iter()
            .any(|g| g.case_id == case_id && g.until > now && (class.is_none() || g.class == class))
    }

    /// Until when a grant running now opens `case_id`, the latest when there are several.
    pub fn until(&self, case_id: Uuid) -> Option<OffsetDateTime> {
        let now = OffsetDateTime::now_utc();
        self.0
            .iter()
            .filter(|g| g.case_id == case_id && g.until > now)
            .map(|g| g.until)
            .max()
    }

    pub(crate) fn from_rows(rows: &[GlassRow]) -> Glass {
        Glass(Arc::new(
            rows.iter()
                .map(|r| GlassGrant {
                    case_id: r.case_id,
                    class: r.class.as_deref().and_then(|c| c.parse().ok()),
                    until: r.until,
                })
                .collect(),
        ))
    }
}

/// The settings of break-glass access.
#[derive(Debug, Clone)]
pub struct GlassSettings {
    pub hours: i64,
    /// Vulnerability kinds that close a case to it.
    pub closed_kinds: Vec<String>,
}

impl Default for GlassSettings {
    fn default() -> Self {
        GlassSettings {
            hours: DEFAULT_HOURS,
            closed_kinds: DEFAULT_CLOSED_KINDS.iter().map(|k| k.to_string()).collect(),
        }
    }
}

/// What a user asks to open, as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct GlassRequest {
    /// The case reference, such as `R-2026-000123`.
    pub reference: String,
    /// `case`, or a special-category class: `medical`, `trafficking`, `minor_welfare`.
    pub what: String,
    pub reason: String,
}

/// What can be asked for, in the form's order.
pub const WHAT: [&str; 4] = ["case", "medical", "trafficking", "minor_welfare"];

/// A grant as the case page and the auditors' page show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlassEntry {
    pub id: Uuid,
    pub user_name: String,
    pub case_id: Uuid,
    pub reference: String,
    pub class: Option<Sensitivity>,
    pub reason: String,
    pub opened_at: OffsetDateTime,
    pub until: OffsetDateTime,
    pub running: bool,
}

impl App {
    pub fn with_break_glass(mut self, settings: GlassSettings) -> App {
        self.glass = Arc::new(settings);
        self
    }

    pub fn break_glass_hours(&self) -> i64 {
        self.glass.hours
    }

    /// The grants of a user that run now (read when a session is loaded).
    pub(crate) async fn glass_of(&self, user_id: Uuid) -> AppResult<Glass> {
        let rows = self
            .store
            .running_grants(user_id, OffsetDateTime::now_utc())
            .await?;
        Ok(Glass::from_rows(&rows))
    }

    /// Opens break-glass access for `actor` (and every session of theirs); returns the case.
    pub async fn open_break_glass(&self, actor: &Actor, req: &GlassRequest) -> AppResult<Uuid> {
        require(actor, Action::BreakGlass, None)?;
        let mut errors = ValidationErrors::default();
        let reason = retour_domain::text::field(
            &mut errors,
            "reason",
            &req.reason,
            true,
            MAX_REASON,
            retour_domain::text::Shape::Paragraph,
        );
        if !reason.is_empty() && reason.chars().count() < MIN_REASON {
            errors.push(
                ValidationError::new(Invalid::Other {
                    code: "break-glass-reason-short",
                    value: MIN_REASON.to_string(),
                })
                .at("reason"),
            );
        }
        let class = match req.what.as_str() {
            "case" => Some(None),
            other => other
                .parse::<Sensitivity>()
                .ok()
                .filter(|c| *c != Sensitivity::General)
                .map(Some),
        };
        if class.is_none() {
            errors.push(
                ValidationError::new(Invalid::UnknownValue {
                    value: req.what.clone(),
                })
                .at("what"),
            );
        }
        let reference = req.reference.trim();
        let case_id = match CaseReference::parse(reference) {
            Err(_) if reference.is_empty() => {
                errors.push(ValidationError::new(Invalid::Required).at("reference"));
                None
            }
            Err(_) => {
                errors.push(
                    ValidationError::new(Invalid::BadReference {
                        value: reference.into(),
                    })
                    .at("reference"),
                );
                None
            }
            Ok(r) => match self.store.case_id_by_reference(&r).await {
                Ok(id) => Some(id),
                Err(retour_store::StoreError::NotFound) => {
                    errors.push(
                        ValidationError::new(Invalid::Other {
                            code: "break-glass-no-case",
                            value: reference.into(),
                        })
                        .at("reference"),
                    );
                    None
                }
                Err(e) => return Err(e.into()),
            },
        };
        let (Some(case_id), Some(class)) = (case_id, class) else {
            return Err(errors.into());
        };
        errors.into_result(())?;
        let case = self.store.case(case_id).await?;
        let already = match class {
            None => can(actor, Action::ReadCase, Some(&case)),
            Some(c) => can(actor, Action::ReadSensitive(c), Some(&case)),
        };
        if already {
            return Err(ValidationError::new(Invalid::Other {
                code: "break-glass-already",
                value: reference.into(),
            })
            .at("what")
            .into());
        }
        if self
            .store
            .has_vulnerability_of(case_id, &self.glass.closed_kinds)
            .await?
        {
            // Not why: that would tell what the case holds.
            return Err(ValidationError::new(Invalid::Other {
                code: "break-glass-closed",
                value: reference.into(),
            })
            .at("reference")
            .into());
        }
        let now = OffsetDateTime::now_utc();
        let id = Uuid::now_v7();
        let what = class.map_or("case", |c| c.as_str());
        let row = GlassRow {
            id,
            user_id: actor.id,
            case_id,
            class: class.map(|c| c.as_str().to_string()),
            reason: self
                .cipher
                .encrypt(Sealed::BreakGlassReason, RowKey::id(id), &reason),
            opened_at: now,
            until: now + time::Duration::hours(self.glass.hours),
        };
        self.store
            .open_break_glass(
                &row,
                now.date(),
                &Audit::new(Some(actor.id), "break_glass.open")
                    .detail(format!("{what}, {} h", self.glass.hours)),
            )
            .await?;
        let glass = self.glass_of(actor.id).await?;
        self.refresh_glass(actor.id, glass);
        Ok(case_id)
    }

    /// The grants on a case, for those who answer for it.
    pub async fn break_glass_on_case(
        &self,
        actor: &Actor,
        case: &retour_domain::Case,
    ) -> AppResult<Vec<GlassEntry>> {
        if !can(actor, Action::ReviewBreakGlass, Some(case)) {
            return Ok(Vec::new());
        }
        let rows = self.store.grants_on_case(case.id).await?;
        rows.into_iter().map(|r| self.glass_entry(r)).collect()
    }

    /// Every grant, newest first, for the auditors' page (`before`: the last one shown).
    pub async fn recent_break_glass(
        &self,
        actor: &Actor,
        before: Option<Uuid>,
        limit: i64,
    ) -> AppResult<Vec<GlassEntry>> {
        require(actor, Action::ReadAudit, None)?;
        let rows = self.store.recent_grants(before, limit).await?;
        rows.into_iter().map(|r| self.glass_entry(r)).collect()
    }

    fn glass_entry(&self, r: retour_store::GlassEntryRow) -> AppResult<GlassEntry> {
        Ok(GlassEntry {
            reason: self
                .cipher
                .decrypt(Sealed::BreakGlassReason, RowKey::id(r.id), &r.reason)?,
            class: r.class.as_deref().and_then(|c| c.parse().ok()),
            running: r.until > OffsetDateTime::now_utc(),
            id: r.id,
            user_name: r.user_name,
            case_id: r.case_id,
            reference: r.reference,
            opened_at: r.opened_at,
            until: r.until,
        })
    }
}
