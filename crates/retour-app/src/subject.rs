//! Subject access (GDPR art. 15): everything Retour holds about one person, for the
//! data-protection officer to hand over. It is put together from the same views the pages show,
//! read as the officer (who reads every class), so nothing held is left out by a second,
//! drifting copy of the reads; every special-category read on the way is audited, and so is the
//! export itself.

use retour_domain::{Case, Person, Relationship};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{AuditEntry, AuditFilter};
use crate::authz::{require, Action};
use crate::cases::NoteView;
use crate::children::ChildView;
use crate::corrections::CorrectionView;
use crate::monitoring::{SurveyView, VisitView};
use crate::sharing::ConsentView;
use crate::views::HistoryEntry;
use crate::{Actor, App, AppError, AppResult};
use retour_store::Audit;

/// Everything held about one person. The household's other members appear only by their
/// relationship: their data is theirs.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectExport {
    pub generated_at: OffsetDateTime,
    pub person: Person,
    pub relationship: Relationship,
    /// The case, with the subject as its only member listed.
    pub case: Case,
    pub other_members: Vec<Relationship>,
    pub history: Vec<HistoryEntry>,
    pub notes: Vec<NoteView>,
    pub entitlement: SubjectEntitlement,
    pub plan_lines: Vec<crate::plans::LineView>,
    pub payments: Vec<crate::views::Payment>,
    pub premium: Option<crate::views::PremiumPaid>,
    /// When the subject is (or was registered as) a minor of the case.
    pub child: Option<ChildView>,
    pub visits: Vec<VisitView>,
    pub surveys: Vec<SurveyView>,
    pub consents: Vec<ConsentView>,
    pub corrections: Vec<CorrectionView>,
    /// Who did what on the case and when, reads of special-category parts included; newest first.
    pub accesses: Vec<AuditEntry>,
}

/// The subject's part of the entitlement: each amount with the rule that computed it, under
/// the policy version named.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SubjectEntitlement {
    pub policy: Option<retour_domain::policy::PolicyVersion>,
    pub frozen_at: Option<OffsetDateTime>,
    pub lines: Vec<crate::entitlements::LineView>,
    pub vulnerabilities: Vec<crate::entitlements::VulnerabilityView>,
    pub medical_items: Vec<crate::entitlements::MedicalItemView>,
}

impl App {
    /// The export for the person `person_id`: `NotFound` for an unknown person, `Forbidden` for
    /// anyone but a data-protection officer.
    pub async fn subject_export(&self, actor: &Actor, person_id: Uuid) -> AppResult<SubjectExport> {
        let case_id = self
            .store
            .case_of_person(person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut case = self.store.case(case_id).await?;
        require(actor, Action::ExportSubject, Some(&case))?;
        let Some(at) = case
            .household
            .members
            .iter()
            .position(|m| m.person.id == person_id)
        else {
            return Err(AppError::NotFound);
        };
        let member = case.household.members.remove(at);
        let other_members = case
            .household
            .members
            .iter()
            .map(|m| m.relationship)
            .collect();
        case.household.members = vec![member.clone()];

        let name = member.person.full_name();
        let view = self.case_view(actor, case_id).await?;
        let e = match self.entitlement(actor, case_id).await {
            // No policy covers the case's dates: nothing was computed, which is what it holds.
            Err(AppError::Invalid(_)) => None,
            other => Some(other?),
        };
        let e_premium = e.as_ref().and_then(|e| e.premium.clone());
        let entitlement = match e {
            None => SubjectEntitlement::default(),
            Some(e) => SubjectEntitlement {
                policy: e.quote.map(|q| q.policy_version),
                frozen_at: e.frozen_at,
                lines: e.lines.into_iter().filter(|l| l.member == name).collect(),
                vulnerabilities: e
                    .vulnerabilities
                    .into_iter()
                    .filter(|v| v.member == name)
                    .collect(),
                medical_items: e
                    .medical_items
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|m| m.member == name)
                    .collect(),
            },
        };
        // Plan and payments belong to the household's return, so to each of its members.
        let plan = self.plan_view(actor, case_id).await?;
        let delivery = self.delivery(actor, case_id).await?;
        let child = self
            .children(actor, case_id)
            .await?
            .children
            .into_iter()
            .find(|c| c.person_id == person_id);
        let monitoring = self.monitoring(actor, case_id).await?;
        let consents = self
            .sharing(actor, case_id)
            .await?
            .consents
            .into_iter()
            .filter(|c| c.person == name)
            .collect();
        let corrections = self.corrections(actor, case_id).await?;

        // The export is audited before the trail is read, so it lists itself.
        let audit =
            Audit::new(Some(actor.id), "subject.export").detail(format!("person {person_id}"));
        self.store.append_audit(&audit, Some(case_id)).await?;
        let filter = AuditFilter {
            case_reference: Some(case.reference.to_string()),
            ..Default::default()
        };
        let mut accesses = Vec::new();
        let mut before = None;
        loop {
            let page = self.audit(Some(actor), &filter, before, 500).await?;
            accesses.extend(page.items);
            match page.next.as_deref().map(str::parse::<Uuid>) {
                Some(Ok(next)) => before = Some(next),
                _ => break,
            }
        }

        Ok(SubjectExport {
            generated_at: OffsetDateTime::now_utc(),
            person: member.person,
            relationship: member.relationship,
            case,
            other_members,
            history: view.history,
            notes: view.notes,
            entitlement,
            plan_lines: plan.lines,
            payments: delivery.spendings,
            premium: e_premium,
            child,
            visits: monitoring.visits,
            surveys: monitoring.surveys,
            consents,
            corrections,
            accesses,
        })
    }
}
