//! Case use cases: register, read, edit, move through the lifecycle, annotate.

use retour_domain::lifecycle::TransitionRequest;
use retour_domain::{Case, HouseholdInput};
use retour_store::{Audit, NewCase};
use retour_store::{RowKey, Sealed};

use crate::views::{CaseListItem, HistoryEntry};
use uuid::Uuid;

use crate::authz::{can, can_read, require, scope, Action, Sensitivity};
use crate::{Actor, App, AppError, AppResult, Role};

/// A case as one actor may see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseView {
    pub case: Case,
    pub history: Vec<HistoryEntry>,
    pub notes: Vec<NoteView>,
    /// The lifecycle moves this actor may make now.
    pub allowed_transitions: Vec<retour_domain::Status>,
    /// The other moves possible now, with the roles that make them.
    pub waiting_for: Vec<(retour_domain::Status, Vec<Role>)>,
    pub can_edit: bool,
    pub can_add_note: bool,
    /// Classes of notes this actor may write (and read).
    pub note_classes: Vec<Sensitivity>,
}

/// A note, with its body withheld when the reader lacks the right for its class.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NoteView {
    pub id: Uuid,
    pub author_id: Uuid,
    pub at: time::OffsetDateTime,
    pub sensitivity: Sensitivity,
    /// `None`: withheld from this reader.
    pub body: Option<String>,
}

/// The home page of an actor: their cases and the counts per status in their scope.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Home {
    pub my_cases: Vec<CaseListItem>,
    pub next_after: Option<Uuid>,
    pub counts: Vec<(String, i64)>,
}

pub const PAGE: i64 = 20;

/// The household input, in the actor's own office when it names none.
pub(crate) fn with_own_office(actor: &Actor, input: &HouseholdInput) -> HouseholdInput {
    let mut input = input.clone();
    if input.office.trim().is_empty() {
        input.office = actor.office.clone().unwrap_or_default();
    }
    input
}

/// What registering a household gave.
#[derive(Debug)]
pub enum Registration {
    Registered {
        case: Box<Case>,
        /// Persons Retour already held who may be members (recorded for review).
        matches: Vec<crate::links::HouseholdMatch>,
    },
    /// Nothing stored: persons Retour may already hold; registering anyway saves.
    PossibleMatches(Vec<crate::links::HouseholdMatch>),
}

impl App {
    /// Registers a household as a new case in `intake`. A counsellor registers for their own office.
    pub async fn register_case(&self, actor: &Actor, input: &HouseholdInput) -> AppResult<Case> {
        match self.register(actor, input, false).await? {
            Registration::Registered { case, .. } => Ok(*case),
            Registration::PossibleMatches(_) => Err(AppError::Internal(
                "registration stopped although not asked to".into(),
            )),
        }
    }

    /// Registers a household; with `stop_at_matches`, stores nothing when Retour may already
    /// hold one of its members and returns them instead (the page's first "save"). Matches are
    /// recorded with the case for a programme manager to decide, whether or not anyone saw them.
    pub async fn register(
        &self,
        actor: &Actor,
        input: &HouseholdInput,
        stop_at_matches: bool,
    ) -> AppResult<Registration> {
        let household = self.household_to_register(actor, input).await?;
        let matches = self.household_matches(actor, &household).await?;
        if stop_at_matches && !matches.is_empty() {
            return Ok(Registration::PossibleMatches(matches));
        }
        let year = self.today().year();
        let counsellor = (actor.role == Role::Counsellor).then_some(actor.id);
        let case = self
            .store
            .create_case(
                NewCase {
                    household: household.clone(),
                    counsellor_id: counsellor,
                    created_by: actor.id,
                    reason: "registered".into(),
                },
                year,
                &Audit::new(Some(actor.id), "case.create"),
            )
            .await?;
        self.record_links(actor, case.id, &household, &matches)
            .await?;
        Ok(Registration::Registered {
            case: Box::new(case),
            matches,
        })
    }

    /// The household as `actor` may register it: in their own office unless they may choose.
    pub(crate) async fn household_to_register(
        &self,
        actor: &Actor,
        input: &HouseholdInput,
    ) -> AppResult<retour_domain::Household> {
        require(actor, Action::CreateCase, None)?;
        let input = with_own_office(actor, input);
        let own = actor.office.clone().unwrap_or_default();
        if input.office.trim() != own && !can(actor, Action::ChooseOffice, None) {
            return Err(AppError::Forbidden);
        }
        let household = input.parse(self.today(), Uuid::now_v7)?;
        self.check_office(&household.office, "office").await?;
        Ok(household)
    }

    /// Loads a case the actor may read, or `NotFound` (also when it exists outside their scope).
    pub async fn case(&self, actor: &Actor, id: Uuid) -> AppResult<Case> {
        let case = self.store.case(id).await?;
        require(actor, Action::ReadCase, Some(&case))?;
        Ok(case)
    }

    /// The case page's content. Reading a sensitive note is audited; withheld ones are only marked.
    pub async fn case_view(&self, actor: &Actor, id: Uuid) -> AppResult<CaseView> {
        let case = self.case(actor, id).await?;
        let (history, stored_notes) = self.store.history_and_notes(id).await?;
        let mut notes = Vec::new();
        let mut read_sensitive = Vec::new();
        for n in stored_notes {
            let class: Sensitivity = n
                .sensitivity
                .parse()
                .map_err(|_| AppError::Internal("unknown note class stored".into()))?;
            let body = if can_read(actor, class, &case) {
                if class == Sensitivity::General {
                    Some(n.body)
                } else {
                    read_sensitive.push(format!("note {} ({})", n.id, class));
                    Some(
                        self.cipher
                            .decrypt(Sealed::CaseNote, RowKey::id(n.id), &n.body)?,
                    )
                }
            } else {
                None
            };
            notes.push(NoteView {
                id: n.id,
                author_id: n.author_id,
                at: n.at,
                sensitivity: class,
                body,
            });
        }
        if !read_sensitive.is_empty() {
            let audit =
                Audit::new(Some(actor.id), "sensitive.read").detail(read_sensitive.join(", "));
            self.store.append_audit(&audit, Some(id)).await?;
        }
        let allowed_transitions: Vec<retour_domain::Status> = case
            .status
            .next()
            .iter()
            .copied()
            .filter(|to| can(actor, move_action(*to), Some(&case)))
            .collect();
        // What comes next and who may do it, for the moves this actor cannot make.
        let waiting_for = case
            .status
            .next()
            .iter()
            .copied()
            .filter(|to| !allowed_transitions.contains(to))
            .map(|to| (to, crate::authz::roles_for(move_action(to))))
            .collect();
        let can_add_note = can(actor, Action::AddNote, Some(&case));
        let note_classes = if can_add_note {
            Sensitivity::ALL
                .iter()
                .copied()
                .filter(|c| can_read(actor, *c, &case))
                .collect()
        } else {
            Vec::new()
        };
        Ok(CaseView {
            waiting_for,
            can_edit: can(actor, Action::EditCase, Some(&case)),
            case,
            history: crate::views::all(history),
            notes,
            allowed_transitions,
            can_add_note,
            note_classes,
        })
    }

    /// The actor's own cases (keyset page after `after`) and the status counts of their scope.
    pub async fn home(&self, actor: &Actor, after: Option<Uuid>) -> AppResult<Home> {
        let mut my_cases = match crate::authz::assignee(actor) {
            Some(a) => self.store.assigned_cases(&a, after, PAGE + 1).await?,
            None => Vec::new(),
        };
        let next_after = (my_cases.len() as i64 > PAGE).then(|| my_cases[PAGE as usize - 1].id);
        my_cases.truncate(PAGE as usize);
        let counts = self.store.status_counts(&scope(actor)).await?;
        Ok(Home {
            my_cases: crate::views::all(my_cases),
            next_after,
            counts,
        })
    }

    /// Replaces the household facts and members, if nobody saved the case since `version`.
    pub async fn update_household(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i64,
        input: &HouseholdInput,
    ) -> AppResult<Case> {
        let current = self.case(actor, id).await?;
        require(actor, Action::EditCase, Some(&current))?;
        let household = input.parse(self.today(), Uuid::now_v7)?;
        if household.office != current.household.office {
            if !can(actor, Action::ChooseOffice, None) {
                // Handing a case to another office is a manager's decision.
                return Err(AppError::Forbidden);
            }
            self.check_office(&household.office, "office").await?;
        }
        if current.version != version {
            return Err(AppError::Conflict {
                current: current.version,
            });
        }
        let saved = self
            .store
            .update_household(
                id,
                version,
                &household,
                current.counsellor_id,
                (&current.household.office, current.status),
                &Audit::new(Some(actor.id), "case.update"),
            )
            .await?;
        // Past the freeze a new member or a moved departure opens a review, never a silent change.
        // Most saves are of cases in intake, which have nothing frozen to review.
        if current.status.can_have_frozen_entitlement() {
            self.review_after_change(actor, id).await?;
        }
        Ok(saved)
    }

    /// Moves a case through its lifecycle; the state machine, the case's dates and the version
    /// decide, and nothing changes on refusal. Every move goes through here, whichever page,
    /// endpoint or command asks: booking a departure records the booking, confirming it the day
    /// it happened, an arrival its day (and the plan's deadlines start), approving the budget
    /// freezes the entitlement.
    pub async fn transition(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i64,
        request: &TransitionRequest,
    ) -> AppResult<Case> {
        use retour_domain::Status;
        let current = self.case(actor, id).await?;
        require(actor, move_action(request.to), Some(&current))?;
        if current.version != version {
            return Err(AppError::Conflict {
                current: current.version,
            });
        }
        // Only the moves with a day depend on the policy (tolerance, deadlines).
        let policy = if request.to.needs_date() {
            Some(self.case_policy(&current).await?)
        } else {
            None
        };
        request.check(
            current.status,
            &retour_domain::MoveContext {
                today: self.today(),
                booking: current.departure,
                departed_on: current.departed_on,
                departure_tolerance_days: policy
                    .as_ref()
                    .map(|p| p.lifecycle())
                    .unwrap_or_default()
                    .departure_tolerance_days,
            },
        )?;
        self.check_children_for(&current, request.to).await?;
        let effect = match request.to {
            // Approval freezes the entitlement the plan was checked against.
            Status::PlanApproved => Some(retour_store::TransitionEffect::Freeze(
                self.snapshot_for_approval(actor, &current).await?,
            )),
            // The plan's deadlines run from the arrival.
            Status::Arrived => {
                let day = request.on.expect("checked: an arrival has its day");
                let deadlines = policy
                    .as_ref()
                    .expect("read for a move with a day")
                    .deadlines();
                Some(retour_store::TransitionEffect::Arrival(
                    retour_store::Arrival {
                        arrived_on: day,
                        medical_expiry: retour_domain::plan::line_expiry(
                            retour_domain::plan::Category::Medical,
                            day,
                            deadlines,
                        ),
                        general_expiry: retour_domain::plan::line_expiry(
                            retour_domain::plan::Category::Housing,
                            day,
                            deadlines,
                        ),
                    },
                ))
            }
            Status::Closed => {
                let o = request
                    .outcome
                    .as_ref()
                    .expect("checked: closing has its outcome");
                Some(retour_store::TransitionEffect::Closure {
                    outcome: o.outcome.as_str().into(),
                    note: if o.note.is_empty() {
                        String::new()
                    } else {
                        self.cipher
                            .encrypt(Sealed::ClosureNote, RowKey::id(id), &o.note)
                    },
                })
            }
            _ => None,
        };
        // A case with an approved plan is closed on its final report (spending against plan).
        if request.to == Status::Closed && !self.store.plan_versions(id).await?.is_empty() {
            let Some(report) = self.store.final_report(id).await? else {
                return Err(retour_domain::error::other(
                    "final-report-missing",
                    current.reference.to_string(),
                )
                .into());
            };
            // Visits planned after the report was signed were not confirmed by anyone.
            let planned = self
                .store
                .appointments(id)
                .await?
                .iter()
                .any(|a| a.status == "planned");
            if planned && !report.open_items.contains("visits") {
                return Err(retour_domain::error::other(
                    "follow-ups-open",
                    current.reference.to_string(),
                )
                .into());
            }
        }
        let audit = Audit::new(Some(actor.id), "case.transition")
            .detail(format!("{} -> {}", current.status, request.to));
        Ok(self
            .store
            .transition(id, version, actor.id, request, &audit, effect.as_ref())
            .await?)
    }

    /// Adds a note of a class the actor may read; sensitive bodies are stored encrypted.
    pub async fn add_note(
        &self,
        actor: &Actor,
        id: Uuid,
        class: Sensitivity,
        body: &str,
    ) -> AppResult<NoteView> {
        let current = self.case(actor, id).await?;
        require(actor, Action::AddNote, Some(&current))?;
        if !can_read(actor, class, &current) {
            return Err(AppError::Forbidden);
        }
        let mut errors = retour_domain::ValidationErrors::default();
        let body = retour_domain::text::field(
            &mut errors,
            "body",
            body,
            true,
            10_000,
            retour_domain::text::Shape::Paragraph,
        );
        errors.into_result(())?;
        let body = body.as_str();
        let note_id = Uuid::now_v7();
        let stored = if class == Sensitivity::General {
            body.to_string()
        } else {
            self.cipher
                .encrypt(Sealed::CaseNote, RowKey::id(note_id), body)
        };
        let audit = Audit::new(Some(actor.id), "case.note").detail(class.as_str());
        let note = self
            .store
            .add_note(note_id, id, actor.id, class.as_str(), &stored, &audit)
            .await?;
        Ok(NoteView {
            id: note.id,
            author_id: note.author_id,
            at: note.at,
            sensitivity: class,
            body: Some(body.to_string()),
        })
    }
}

/// The authorisation a move needs: approving the budget is a programme manager's, confirming an
/// arrival also the partner's in the country of return, every other move the case's writers'.
pub(crate) fn move_action(to: retour_domain::Status) -> Action {
    match to {
        retour_domain::Status::PlanApproved => Action::ApproveBudget,
        retour_domain::Status::Arrived => Action::RecordArrival,
        _ => Action::TransitionCase,
    }
}
