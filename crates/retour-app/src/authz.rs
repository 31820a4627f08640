//! Who may do what: deny by default. Every use case asks here before it reads or writes.

use retour_domain::Case;

use crate::{Actor, AppError, AppResult, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    CreateCase,
    ReadCase,
    EditCase,
    TransitionCase,
    AddNote,
    ManageUsers,
}

/// Whether `actor` may see the case at all (record scope).
pub fn in_scope(actor: &Actor, case: &Case) -> bool {
    match actor.role {
        Role::ProgrammeManager | Role::Auditor | Role::MedicalAdvisor => true,
        Role::Counsellor => actor.office.as_deref() == Some(case.household.office.as_str()),
        Role::PartnerCaseworker => {
            actor.partner_org.is_some() && actor.partner_org == case.partner_org
        }
        Role::Admin => false,
    }
}

/// The single authorisation decision. `case` is the record acted on, when there is one.
pub fn can(actor: &Actor, action: Action, case: Option<&Case>) -> bool {
    use Action::*;
    use Role::*;
    let scoped = |c: Option<&Case>| c.is_some_and(|c| in_scope(actor, c));
    match (actor.role, action) {
        (Admin, ManageUsers) => true,
        (_, ManageUsers) => false,
        (Counsellor, CreateCase) => true,
        (_, CreateCase) => false,
        (
            Counsellor | ProgrammeManager | Auditor | MedicalAdvisor | PartnerCaseworker,
            ReadCase,
        ) => scoped(case),
        (Counsellor | ProgrammeManager, EditCase | TransitionCase | AddNote) => scoped(case),
        (PartnerCaseworker | MedicalAdvisor, AddNote) => scoped(case),
        _ => false,
    }
}

/// [`can`] as a result: out-of-scope records answer `NotFound` so their existence is not revealed.
pub fn require(actor: &Actor, action: Action, case: Option<&Case>) -> AppResult<()> {
    if can(actor, action, case) {
        return Ok(());
    }
    match case {
        Some(c) if !in_scope(actor, c) => Err(AppError::NotFound),
        _ => Err(AppError::Forbidden),
    }
}
