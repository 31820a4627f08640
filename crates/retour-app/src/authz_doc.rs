//! "Who can read and do what", written out from the authorisation table itself for
//! `docs/data-protection.md`: a data-protection officer checks the page, and a test fails when the
//! page and the code differ, so the two are never written twice.

use crate::authz::{self, Action, ClassGrant, Grant, Sensitivity};
use crate::{Actor, Role};

/// Every action of [`Action`], in the order the page lists them, with what it means.
/// `describe` matches every variant, so a new action cannot go without its words.
const ACTIONS: &[Action] = &[
    Action::ReadCase,
    Action::ReadSensitive(Sensitivity::General),
    Action::ReadSensitive(Sensitivity::Medical),
    Action::ReadSensitive(Sensitivity::Trafficking),
    Action::ReadSensitive(Sensitivity::MinorWelfare),
    Action::ReadMedicalProof,
    Action::Search,
    Action::Quote,
    Action::ListTasks,
    Action::ReadAudit,
    Action::ExportSubject,
    Action::BreakGlass,
    Action::ReviewBreakGlass,
    Action::CreateCase,
    Action::EditCase,
    Action::ChooseOffice,
    Action::TransitionCase,
    Action::AddNote,
    Action::RecordMedicalNeeds,
    Action::ManageConsent,
    Action::EditPlan,
    Action::ApprovePlan,
    Action::ApproveBudget,
    Action::ReviewEntitlementChange,
    Action::ReviewPersonLinks,
    Action::RecordArrival,
    Action::RecordDelivery,
    Action::RecordMonitoring,
    Action::HandOutWorkbook,
    Action::ManageWorkbooks,
    Action::LoadPolicy,
    Action::LoadInstrument,
    Action::ManagePartners,
    Action::ManageOffices,
    Action::ManageUsers,
];

fn describe(action: Action) -> &'static str {
    use Action::*;
    match action {
        ReadCase => "read a case: household, lifecycle, entitlement, plan, delivery",
        ReadSensitive(Sensitivity::General) => "read the general notes of a case",
        ReadSensitive(Sensitivity::Medical) => {
            "read **medical** details: diagnoses, medical needs, medical notes"
        }
        ReadSensitive(Sensitivity::Trafficking) => {
            "read **trafficking** details: the vulnerability, its source and evidence, notes"
        }
        ReadSensitive(Sensitivity::MinorWelfare) => {
            "read **minors' welfare**: best interests, guardians, reception checks, notes"
        }
        ReadMedicalProof => {
            "open a proof of a medical payment (a partner: only the proofs its organisation uploaded)"
        }
        Search => "search people by name, birth year, nationality",
        Quote => "compute a non-binding quote",
        ListTasks => "have a task list",
        ReadAudit => "read the audit trail",
        ExportSubject => "export everything held about one person (subject access), audited",
        BreakGlass => {
            "open, in an emergency and with a reason, a case or class they may not read, for a few hours (reading only; audited, the case's counsellor and the programme managers are told)"
        }
        ReviewBreakGlass => "see who opened break-glass access on a case, when and why",
        CreateCase => "register a household",
        EditCase => "change a household's facts",
        ChooseOffice => "put a case in another office than their own",
        TransitionCase => "move a case through its lifecycle",
        AddNote => "add a note to a case",
        RecordMedicalNeeds => "price itemised medical needs (AMAAR)",
        ManageConsent => "record or withdraw consent to share, assign a partner",
        EditPlan => "write, submit and amend the reintegration plan",
        ApprovePlan => "approve a plan (never their own: four eyes)",
        ApproveBudget => "approve the budget, freezing the entitlement",
        ReviewEntitlementChange => "confirm an entitlement computed again after the freeze",
        ReviewPersonLinks => "decide possible duplicates and prior beneficiaries",
        RecordArrival => "record the arrival in the country of return",
        RecordDelivery => "record spending with proofs, checklist, appointments, final report",
        RecordMonitoring => {
            "record visits and surveys after return (a counsellor: only on a case without a partner)"
        }
        HandOutWorkbook => "hand the children's workbook to a child",
        ManageWorkbooks => "keep the workbook stock, handle orders",
        LoadPolicy => "load a policy version",
        LoadInstrument => "load a survey instrument version",
        ManagePartners => "create partner organisations",
        ManageOffices => "add and rename offices",
        ManageUsers => {
            "create, deactivate and reset staff accounts (a forgotten password, a lost second factor)"
        }
    }
}

fn role_name(role: Role) -> String {
    role.as_str().replace('_', " ")
}

/// Which cases are "in scope" for a role: read from the same function the store filters with.
fn scope_words(role: Role) -> &'static str {
    let actor = Actor {
        id: uuid::Uuid::nil(),
        role,
        office: Some("office".into()),
        partner_org: Some("partner".into()),
        glass: Default::default(),
    };
    match authz::scope(&actor) {
        retour_store::Scope::All => "every case",
        retour_store::Scope::Office(_) => "the cases of their office",
        retour_store::Scope::Partner(_) => "the cases assigned to their organisation",
        retour_store::Scope::Nothing => "no case",
    }
}

fn cell(role: Role, action: Action) -> &'static str {
    match authz::grant(role, action) {
        Grant::Never => "—",
        Grant::Always => "yes",
        Grant::InScope => "in scope",
        Grant::Reading(class) => match authz::class_grant(role, class) {
            ClassGrant::No => "—",
            ClassGrant::Yes => "in scope",
            ClassGrant::Assigned => "own cases",
        },
    }
}

/// The page section, in Markdown.
pub fn who_may_what() -> String {
    let mut out = String::new();
    out.push_str("| role | cases in scope |\n|---|---|\n");
    for role in Role::ALL {
        out.push_str(&format!(
            "| {} | {} |\n",
            role_name(*role),
            scope_words(*role)
        ));
    }
    out.push_str("\n| may … |");
    for role in Role::ALL {
        out.push_str(&format!(" {} |", role_name(*role)));
    }
    out.push_str("\n|---|");
    for _ in Role::ALL {
        out.push_str("---|");
    }
    out.push('\n');
    for action in ACTIONS {
        out.push_str(&format!("| {} |", describe(*action)));
        for role in Role::ALL {
            out.push_str(&format!(" {} |", cell(*role, *action)));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str = "<!-- authz-table:start -->\n";
    const END: &str = "<!-- authz-table:end -->";

    #[test]
    fn every_action_is_listed_once() {
        for (i, a) in ACTIONS.iter().enumerate() {
            assert!(!ACTIONS[..i].contains(a), "{a:?} twice");
        }
        // The four special-category classes and every role's grants appear.
        let doc = who_may_what();
        for role in Role::ALL {
            assert!(doc.contains(&role_name(*role)));
        }
        assert_eq!(doc.matches("**").count(), 6);
    }

    #[test]
    fn the_table_says_what_the_code_decides() {
        let doc = who_may_what();
        let medical = doc
            .lines()
            .find(|l| l.contains("**medical**"))
            .expect("medical row");
        // counsellor | medical advisor | programme manager | partner | auditor | dpo | admin
        assert!(
            medical.ends_with("| — | in scope | — | — | — | in scope | — |"),
            "{medical}"
        );
        let trafficking = doc.lines().find(|l| l.contains("**trafficking**")).unwrap();
        assert!(
            trafficking.ends_with("| own cases | — | in scope | — | — | in scope | — |"),
            "{trafficking}"
        );
    }

    /// `docs/data-protection.md` holds exactly this table (`UPDATE_SNAPSHOTS=1` rewrites it).
    #[test]
    fn the_data_protection_page_shows_the_authorisation_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/data-protection.md");
        let page = std::fs::read_to_string(path).expect("docs/data-protection.md");
        let (Some(a), Some(b)) = (page.find(START), page.find(END)) else {
            panic!("docs/data-protection.md lacks the {START:?} … {END:?} markers");
        };
        let current = &page[a + START.len()..b];
        let table = who_may_what();
        if current != table && std::env::var("UPDATE_SNAPSHOTS").is_ok() {
            let updated = format!("{}{table}{}", &page[..a + START.len()], &page[b..]);
            std::fs::write(path, updated).unwrap();
            return;
        }
        assert_eq!(
            current, table,
            "docs/data-protection.md differs from the authorisation table: UPDATE_SNAPSHOTS=1 cargo test -p retour-app authz_doc"
        );
    }
}
