//! Who may do what: deny by default. Every use case asks here before it reads or writes.

use retour_domain::Case;

use crate::{Actor, AppError, AppResult, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    CreateCase,
    ReadCase,
    EditCase,
    TransitionCase,
    /// The lifecycle move `assessed → plan_approved`, which freezes the entitlement.
    ApproveBudget,
    /// Confirm the returnee's arrival in the country of return (with its day).
    RecordArrival,
    /// Put a case in any office (registering it, or handing it to another office). Without this
    /// right a case stays in the actor's own office.
    ChooseOffice,
    AddNote,
    /// Read (and write) fields of a special-category class on a case.
    ReadSensitive(Sensitivity),
    /// Price itemised medical needs (AMAAR).
    RecordMedicalNeeds,
    ManageUsers,
    Search,
    /// A non-binding quote under the policy in force.
    Quote,
    /// Store a new policy version.
    LoadPolicy,
    /// Create partner organisations.
    ManagePartners,
    /// Add and name offices.
    ManageOffices,
    /// Record or withdraw consent, assign the case to a partner.
    ManageConsent,
    /// Write, submit and amend the reintegration plan.
    EditPlan,
    ApprovePlan,
    /// Arrival, spending with proofs, checklist, appointments, final report: the partner's work.
    RecordDelivery,
    /// Have a task list (tasks on one's own cases).
    ListTasks,
    /// Hand the children's workbook to a child of the case (the social worker).
    HandOutWorkbook,
    /// Keep the workbook stock and handle organisations' orders.
    ManageWorkbooks,
    /// Read the audit trail.
    ReadAudit,
    /// Open a proof of a medical payment (see [`can_read_proof`]).
    ReadMedicalProof,
    /// Decide possible duplicates and prior beneficiaries found at registration.
    ReviewPersonLinks,
    /// Confirm the entitlement computed again after the household changed past the freeze, or
    /// keep the frozen one.
    ReviewEntitlementChange,
    /// Record monitoring visits and surveys after arrival: the partner's, or the counsellor's
    /// on a case without a partner.
    RecordMonitoring,
    /// Store a new version of a survey instrument (rescoring every survey).
    LoadInstrument,
    /// Export everything held about one person (a subject access request, GDPR art. 15).
    ExportSubject,
    /// Open, in an emergency and with a reason, what one may not normally read on a case.
    BreakGlass,
    /// See who opened break-glass access on a case, and why.
    ReviewBreakGlass,
}

/// Special-category classes of fields (GDPR art. 9) and who may read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    General,
    /// Diagnoses and medical needs: medical advisors only.
    Medical,
    /// Victims of trafficking: the counsellor of the case and programme managers.
    Trafficking,
    /// Minors' welfare: counsellors of the case's office and programme managers.
    MinorWelfare,
}
retour_domain::string_enum!(Sensitivity {
    General = "general",
    Medical = "medical",
    Trafficking = "trafficking",
    MinorWelfare = "minor_welfare",
});

/// Whether `actor` may see the case at all (record scope).
pub fn in_scope(actor: &Actor, case: &Case) -> bool {
    match actor.role {
        Role::ProgrammeManager
        | Role::Auditor
        | Role::MedicalAdvisor
        | Role::DataProtectionOfficer => true,
        Role::Counsellor => actor.office.as_deref() == Some(case.household.office.as_str()),
        Role::PartnerCaseworker => {
            actor.partner_org.is_some() && actor.partner_org == case.partner_org
        }
        Role::Admin => false,
    }
}

/// Whether a role reads a special-category class on the cases in its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassGrant {
    No,
    Yes,
    /// Only on the cases assigned to the actor (their own counselling cases).
    Assigned,
}

/// Who may read (and so write) fields of class `class`: the second half of the authorisation
/// table.
pub fn class_grant(role: Role, class: Sensitivity) -> ClassGrant {
    use ClassGrant::*;
    match (class, role) {
        (Sensitivity::General, _) => Yes,
        // To answer a subject access request completely; every such read is audited.
        (_, Role::DataProtectionOfficer) => Yes,
        (Sensitivity::Medical, Role::MedicalAdvisor) => Yes,
        (Sensitivity::Trafficking, Role::ProgrammeManager) => Yes,
        (Sensitivity::Trafficking, Role::Counsellor) => Assigned,
        (Sensitivity::MinorWelfare, Role::ProgrammeManager | Role::Counsellor) => Yes,
        _ => No,
    }
}

fn reads_class(actor: &Actor, class: Sensitivity, case: &Case) -> bool {
    match class_grant(actor.role, class) {
        ClassGrant::No => false,
        ClassGrant::Yes => true,
        ClassGrant::Assigned => case.counsellor_id == Some(actor.id),
    }
}

/// What a role may do, before looking at the record: the authorisation table. [`can`] applies it
/// to an actor and a case; [`roles_for`] reads it to say who may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    Never,
    Always,
    /// On a case in the actor's scope.
    InScope,
    /// On a case in the actor's scope, for a role that reads this class there.
    Reading(Sensitivity),
}

pub fn grant(role: Role, action: Action) -> Grant {
    use Action::*;
    use Grant::*;
    use Role::*;
    match (role, action) {
        (Admin, ManageUsers) => Always,
        (_, ManageUsers) => Never,
        (Admin | ProgrammeManager, ManagePartners) => Always,
        (_, ManagePartners) => Never,
        (Admin | ProgrammeManager, ManageOffices) => Always,
        (_, ManageOffices) => Never,
        (Counsellor | ProgrammeManager, ManageConsent) => InScope,
        (Counsellor | ProgrammeManager | PartnerCaseworker, EditPlan) => InScope,
        (ProgrammeManager, ApprovePlan | ApproveBudget | ReviewEntitlementChange) => InScope,
        (Counsellor | ProgrammeManager | PartnerCaseworker, RecordArrival) => InScope,
        (PartnerCaseworker | ProgrammeManager, RecordDelivery) => InScope,
        (PartnerCaseworker | Counsellor, RecordMonitoring) => InScope,
        (ProgrammeManager, LoadInstrument) => Always,
        (Counsellor, CreateCase) => Always,
        (_, CreateCase) => Never,
        (ProgrammeManager, ChooseOffice) => Always,
        (Admin, Search | Quote) => Never,
        (_, Search | Quote) => Always,
        (ProgrammeManager, LoadPolicy) => Always,
        (ProgrammeManager, ReviewPersonLinks) => Always,
        (Counsellor | PartnerCaseworker | ProgrammeManager, ListTasks) => Always,
        (Auditor | DataProtectionOfficer, ReadAudit) => Always,
        (MedicalAdvisor | PartnerCaseworker | DataProtectionOfficer, ReadMedicalProof) => InScope,
        (
            Counsellor
            | ProgrammeManager
            | Auditor
            | MedicalAdvisor
            | PartnerCaseworker
            | DataProtectionOfficer,
            ReadCase,
        ) => InScope,
        (DataProtectionOfficer, ExportSubject) => InScope,
        (Counsellor | MedicalAdvisor | ProgrammeManager, BreakGlass) => Always,
        (Counsellor | ProgrammeManager | Auditor | DataProtectionOfficer, ReviewBreakGlass) => {
            InScope
        }
        (Admin, ReadSensitive(_)) => Never,
        (_, ReadSensitive(class)) => Reading(class),
        (MedicalAdvisor, RecordMedicalNeeds) => InScope,
        (Counsellor | ProgrammeManager, EditCase | TransitionCase | AddNote) => InScope,
        (PartnerCaseworker | MedicalAdvisor, AddNote) => InScope,
        (Counsellor, HandOutWorkbook) => InScope,
        (ProgrammeManager | Admin, ManageWorkbooks) => Always,
        _ => Never,
    }
}

/// The single authorisation decision. `case` is the record acted on, when there is one.
pub fn can(actor: &Actor, action: Action, case: Option<&Case>) -> bool {
    let scoped = |c: Option<&Case>| c.is_some_and(|c| in_scope(actor, c));
    // A case with a partner is followed up by the partner, never by the counsellor beside it.
    if action == Action::RecordMonitoring
        && actor.role == Role::Counsellor
        && case.is_some_and(|c| c.partner_org.is_some())
    {
        return false;
    }
    // Break-glass grants open reading only: the case itself, or one class on it.
    let glass = |class: Option<Sensitivity>| case.is_some_and(|c| actor.glass.opens(c.id, class));
    match grant(actor.role, action) {
        Grant::Never => false,
        Grant::Always => true,
        Grant::InScope => scoped(case) || (action == Action::ReadCase && glass(None)),
        Grant::Reading(class) => {
            (scoped(case) || glass(None))
                && (case.is_some_and(|c| reads_class(actor, class, c)) || glass(Some(class)))
        }
    }
}

/// The roles that may take `action` (on cases of their scope): who a case is waiting for.
pub fn roles_for(action: Action) -> Vec<Role> {
    Role::ALL
        .iter()
        .copied()
        .filter(|r| grant(*r, action) != Grant::Never)
        .collect()
}

/// Whether `actor` may read (and so write) fields of class `class` on `case`.
pub fn can_read(actor: &Actor, class: Sensitivity, case: &Case) -> bool {
    can(actor, Action::ReadSensitive(class), Some(case))
}

/// Whether `actor` may open a proof of payment on `case`: every reader of the case may, except
/// that a proof of a medical payment (it names a pharmacy, a clinic, a treatment) is for medical
/// advisors and for the partner organisation that uploaded it.
pub fn can_read_proof(
    actor: &Actor,
    case: &Case,
    medical: bool,
    uploader_org: Option<&str>,
) -> bool {
    if !can(actor, Action::ReadCase, Some(case)) {
        return false;
    }
    if !medical {
        return true;
    }
    can(actor, Action::ReadMedicalProof, Some(case))
        && (actor.role != Role::PartnerCaseworker || actor.partner_org.as_deref() == uploader_org)
}

/// [`can`] as a result: out-of-scope records answer `NotFound` so their existence is not revealed.
pub fn require(actor: &Actor, action: Action, case: Option<&Case>) -> AppResult<()> {
    if can(actor, action, case) {
        return Ok(());
    }
    match case {
        Some(c) if !in_scope(actor, c) && !actor.glass.opens(c.id, None) => Err(AppError::NotFound),
        _ => Err(AppError::Forbidden),
    }
}

/// Whose own work a list of "my cases" or "my tasks" shows: a counsellor's cases, a partner's
/// assigned cases; `None` for everyone else.
pub(crate) fn assignee(actor: &Actor) -> Option<retour_store::Assignee> {
    use retour_store::Assignee;
    match actor.role {
        Role::Counsellor => Some(Assignee::Counsellor(actor.id)),
        Role::PartnerCaseworker => actor.partner_org.clone().map(Assignee::Partner),
        _ => None,
    }
}

/// Which open tasks an actor's task list shows: `Some(None)` every task (programme managers),
/// `Some(Some(a))` those on `a`'s cases, `None` no task list at all.
pub(crate) fn task_scope(actor: &Actor) -> Option<Option<retour_store::Assignee>> {
    if !can(actor, Action::ListTasks, None) {
        return None;
    }
    match actor.role {
        Role::ProgrammeManager => Some(None),
        _ => assignee(actor).map(Some),
    }
}

/// The search scope for an actor: the store filters every list with it.
pub(crate) fn scope(actor: &Actor) -> retour_store::Scope {
    use retour_store::Scope;
    match actor.role {
        Role::ProgrammeManager
        | Role::Auditor
        | Role::MedicalAdvisor
        | Role::DataProtectionOfficer => Scope::All,
        Role::Counsellor => actor
            .office
            .clone()
            .map(Scope::Office)
            .unwrap_or(Scope::Nothing),
        Role::PartnerCaseworker => actor
            .partner_org
            .clone()
            .map(Scope::Partner)
            .unwrap_or(Scope::Nothing),
        Role::Admin => Scope::Nothing,
    }
}
