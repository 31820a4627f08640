//! Case use cases: register, read, edit, move through the lifecycle, annotate.

use retour_domain::lifecycle::TransitionRequest;
use retour_domain::{Case, HouseholdInput};
use retour_store::{Audit, NewCase, NoteRecord, TransitionRecord};
use uuid::Uuid;

use crate::authz::{require, Action};
use crate::{Actor, App, AppError, AppResult, Role};

/// A case as one actor may see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseView {
    pub case: Case,
    pub history: Vec<TransitionRecord>,
    pub notes: Vec<NoteRecord>,
}

impl App {
    /// Registers a household as a new case in `intake`. A counsellor registers for their own office.
    pub async fn register_case(&self, actor: &Actor, input: &HouseholdInput) -> AppResult<Case> {
        require(actor, Action::CreateCase, None)?;
        let mut input = input.clone();
        if actor.role == Role::Counsellor {
            let own = actor.office.clone().unwrap_or_default();
            if input.office.trim().is_empty() {
                input.office = own;
            } else if input.office.trim() != own {
                return Err(AppError::Forbidden);
            }
        }
        let household = input.parse(self.today(), Uuid::now_v7)?;
        let year = self.today().year();
        let counsellor = (actor.role == Role::Counsellor).then_some(actor.id);
        Ok(self
            .store
            .create_case(
                NewCase {
                    household,
                    counsellor_id: counsellor,
                    created_by: actor.id,
                    reason: "registered".into(),
                },
                year,
                &Audit::new(Some(actor.id), "case.create"),
            )
            .await?)
    }

    /// Loads a case the actor may read, or `NotFound` (also when it exists outside their scope).
    pub async fn case(&self, actor: &Actor, id: Uuid) -> AppResult<Case> {
        let case = self.store.case(id).await?;
        require(actor, Action::ReadCase, Some(&case))?;
        Ok(case)
    }

    pub async fn case_view(&self, actor: &Actor, id: Uuid) -> AppResult<CaseView> {
        let case = self.case(actor, id).await?;
        let history = self.store.transitions(id).await?;
        let notes = self.store.notes(id).await?;
        Ok(CaseView {
            case,
            history,
            notes,
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
        if actor.role == Role::Counsellor
            && actor.office.as_deref() != Some(household.office.as_str())
        {
            // Handing a case to another office is a manager's decision.
            return Err(AppError::Forbidden);
        }
        Ok(self
            .store
            .update_household(
                id,
                version,
                &household,
                current.counsellor_id,
                &Audit::new(Some(actor.id), "case.update"),
            )
            .await?)
    }

    /// Moves a case through its lifecycle; the state machine and version decide, nothing changes on refusal.
    pub async fn transition(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i64,
        request: &TransitionRequest,
    ) -> AppResult<Case> {
        let current = self.case(actor, id).await?;
        require(actor, Action::TransitionCase, Some(&current))?;
        let audit = Audit::new(Some(actor.id), "case.transition")
            .detail(format!("{} -> {}", current.status, request.to));
        Ok(self
            .store
            .transition(id, version, actor.id, request, &audit)
            .await?)
    }

    pub async fn add_note(&self, actor: &Actor, id: Uuid, body: &str) -> AppResult<NoteRecord> {
        let current = self.case(actor, id).await?;
        require(actor, Action::AddNote, Some(&current))?;
        let body = body.trim();
        if body.is_empty() {
            return Err(
                retour_domain::ValidationError::new(retour_domain::Invalid::Required)
                    .at("body")
                    .into(),
            );
        }
        if body.chars().count() > 10_000 {
            return Err(
                retour_domain::ValidationError::new(retour_domain::Invalid::TooLong {
                    max: 10_000,
                })
                .at("body")
                .into(),
            );
        }
        Ok(self
            .store
            .add_note(id, actor.id, body, &Audit::new(Some(actor.id), "case.note"))
            .await?)
    }
}
