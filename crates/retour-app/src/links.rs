//! Possible duplicates and prior beneficiaries. Before a household is saved, each member is
//! matched against every person Retour holds; what looks like the same person is shown to the
//! counsellor and, once the household is registered, recorded for a programme manager to decide.
//! A prior beneficiary (the earlier case received support within the policy's look-back) then
//! proposes the exclusion; only a confirmation makes the entitlement apply it.

use retour_domain::names::matching::{MatchPerson, Reason};
use retour_domain::quote::years_before;
use retour_domain::{Household, HouseholdInput, Invalid, ValidationError};
use retour_store::{Audit, LinkRow, NewLink, Scope};
use time::Date;
use uuid::Uuid;

use crate::auth::Page;
use crate::authz::{require, scope, Action};
use crate::{Actor, App, AppError, AppResult};

/// From this score on, a stored person is shown at registration and recorded for review.
pub const POSSIBLE: f64 = 0.7;

/// Candidates shown per member at most.
const PER_MEMBER: usize = 5;

/// A stored person who may be a member of the household being registered.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HouseholdMatch {
    /// The member's position in the household form.
    pub member: usize,
    pub member_name: String,
    pub person_id: Uuid,
    pub case_id: Uuid,
    pub reference: String,
    pub office: String,
    pub status: String,
    /// Whether the reader may open that case; otherwise only its reference and office show.
    pub in_scope: bool,
    pub name: Option<String>,
    pub birth: Option<retour_domain::BirthDate>,
    pub score: f64,
    pub reasons: Vec<Reason>,
    /// The last day the earlier case received support, when within the look-back.
    pub prior_support_on: Option<Date>,
}

impl HouseholdMatch {
    pub fn is_prior_beneficiary(&self) -> bool {
        self.prior_support_on.is_some()
    }
}

/// A recorded link, as a programme manager reviews it.
pub type LinkView = LinkRow;

impl App {
    /// Possible duplicates and prior beneficiaries among the household's members, before it is
    /// saved (nothing is stored). Invalid input is reported as registering would.
    pub async fn registration_matches(
        &self,
        actor: &Actor,
        input: &HouseholdInput,
    ) -> AppResult<Vec<HouseholdMatch>> {
        let household = self.household_to_register(actor, input).await?;
        self.household_matches(actor, &household).await
    }

    /// Matches every member against all persons held (duplicates are programme-wide); what the
    /// reader may not open shows as a reference and an office only.
    pub(crate) async fn household_matches(
        &self,
        actor: &Actor,
        household: &Household,
    ) -> AppResult<Vec<HouseholdMatch>> {
        let applied = household.application_date.unwrap_or_else(|| self.today());
        let years = match self.policy_on(applied).await {
            Ok(p) => p.exclusion().prior_support_years,
            // No policy loaded for that day yet: the programme's five years (DOMAIN.md).
            Err(AppError::NotFound | AppError::Invalid(_)) => 5,
            Err(e) => return Err(e),
        };
        let cutoff = years_before(applied, years);
        let reader = scope(actor);
        let mut out = Vec::new();
        for (i, m) in household.members.iter().enumerate() {
            let p = &m.person;
            let query = MatchPerson {
                family_name: p.family_name.clone(),
                given_names: p.given_names.clone(),
                other_names: p.other_names.clone(),
                birth: Some(p.birth_date),
                sex: p.sex,
                nationalities: p.nationalities.clone(),
            };
            let (found, _) = self.candidates(&query, Scope::All).await?;
            let mut shown = 0;
            for (hit, s) in found {
                if shown == PER_MEMBER || s.value < POSSIBLE {
                    break;
                }
                if hit.person_id == p.id {
                    continue;
                }
                let support = hit.last_support.filter(|d| *d >= cutoff && *d <= applied);
                let open = !matches!(hit.status.as_str(), "closed" | "withdrawn" | "no_show");
                if support.is_none() && !open {
                    continue;
                }
                let in_scope = match &reader {
                    Scope::All => true,
                    Scope::Office(o) => *o == hit.office,
                    Scope::Partner(_) | Scope::Nothing => false,
                };
                let birth = retour_domain::DatePrecision::parse(&hit.birth_precision)
                    .ok()
                    .map(|pr| retour_domain::BirthDate::new(hit.birth_date, pr));
                out.push(HouseholdMatch {
                    member: i,
                    member_name: p.full_name(),
                    person_id: hit.person_id,
                    case_id: hit.case_id,
                    reference: hit.reference,
                    office: hit.office,
                    status: hit.status,
                    in_scope,
                    name: in_scope.then(|| format!("{} {}", hit.given_names, hit.family_name)),
                    birth: if in_scope { birth } else { None },
                    score: s.value,
                    reasons: if in_scope { s.reasons } else { Vec::new() },
                    prior_support_on: support,
                });
                shown += 1;
            }
            // A person pseudonymised under the retention rules is found by their keyed hash
            // alone: the earlier case and its support, never a name.
            let key = self.person_key(&p.family_name, &p.given_names, p.birth_date.date().year());
            for hit in self.store.pseudonyms(&key).await? {
                let Some(support) = hit.support_on.filter(|d| *d >= cutoff && *d <= applied) else {
                    continue;
                };
                out.push(HouseholdMatch {
                    member: i,
                    member_name: p.full_name(),
                    person_id: hit.person_id,
                    case_id: hit.case_id,
                    reference: hit.reference,
                    office: hit.office,
                    status: hit.status,
                    in_scope: false,
                    name: None,
                    birth: None,
                    score: 1.0,
                    reasons: Vec::new(),
                    prior_support_on: Some(support),
                });
            }
        }
        Ok(out)
    }

    /// Records the matches of a newly registered case for review.
    pub(crate) async fn record_links(
        &self,
        actor: &Actor,
        case_id: Uuid,
        household: &Household,
        matches: &[HouseholdMatch],
    ) -> AppResult<()> {
        let links: Vec<NewLink> = matches
            .iter()
            .map(|m| NewLink {
                person_id: household.members[m.member].person.id,
                other_case_id: m.case_id,
                other_person_id: m.person_id,
                kind: if m.is_prior_beneficiary() {
                    "prior_support"
                } else {
                    "duplicate"
                },
                score: format!("{:.3}", m.score),
                reasons: serde_json::to_string(&m.reasons).unwrap_or_else(|_| "[]".into()),
                support_on: m.prior_support_on,
            })
            .collect();
        self.store
            .insert_links(
                case_id,
                &links,
                &Audit::new(Some(actor.id), "person_link.create").detail(links.len().to_string()),
            )
            .await?;
        Ok(())
    }

    /// Links waiting for a decision, oldest first, 50 a page (programme managers).
    pub async fn open_links(
        &self,
        actor: &Actor,
        after: Option<Uuid>,
    ) -> AppResult<Page<LinkView>> {
        require(actor, Action::ReviewPersonLinks, None)?;
        let rows = self.store.open_links(after, 51).await?;
        Ok(Page::from_rows(rows, 50, |r| r.id.to_string()))
    }

    /// The links recorded for a case, for whoever may read the case.
    pub async fn case_links(&self, actor: &Actor, case_id: Uuid) -> AppResult<Vec<LinkView>> {
        self.case(actor, case_id).await?;
        Ok(self.store.case_links(case_id).await?)
    }

    /// Confirms a link (the same person; for a prior beneficiary the exclusion then applies) or
    /// dismisses it as a different person. A reason is required either way.
    pub async fn decide_link(
        &self,
        actor: &Actor,
        id: Uuid,
        confirm: bool,
        reason: &str,
    ) -> AppResult<()> {
        require(actor, Action::ReviewPersonLinks, None)?;
        let reason = decision_reason(reason)?;
        let (status, action) = if confirm {
            ("confirmed", "person_link.confirm")
        } else {
            ("dismissed", "person_link.dismiss")
        };
        self.store
            .decide_link(
                id,
                status,
                &reason,
                actor.id,
                &Audit::new(Some(actor.id), action),
            )
            .await?;
        Ok(())
    }

    /// One link (programme managers).
    pub async fn person_link(&self, actor: &Actor, id: Uuid) -> AppResult<LinkView> {
        require(actor, Action::ReviewPersonLinks, None)?;
        Ok(self.store.link(id).await?)
    }

    /// The most recent decisions, newest first (programme managers, to undo one).
    pub async fn decided_links(&self, actor: &Actor, limit: i64) -> AppResult<Vec<LinkView>> {
        require(actor, Action::ReviewPersonLinks, None)?;
        Ok(self.store.decided_links(None, limit).await?)
    }

    /// Undoes a decision, with a reason: the link is open again for a new decision, and a
    /// prior beneficiary's exclusion lifts until then. Both records were kept all along: a
    /// decision never merges or deletes data, it only records that the two are the same person.
    pub async fn reopen_link(&self, actor: &Actor, id: Uuid, reason: &str) -> AppResult<()> {
        require(actor, Action::ReviewPersonLinks, None)?;
        let reason = decision_reason(reason)?;
        let was = self.store.link(id).await?.status;
        self.store
            .reopen_link(
                id,
                &Audit::new(Some(actor.id), "person_link.reopen")
                    .detail(format!("was {was}: {reason}")),
            )
            .await?;
        Ok(())
    }
}

/// The reason a decision on a link is given or undone with: required, one paragraph.
fn decision_reason(reason: &str) -> AppResult<String> {
    let reason =
        retour_domain::text::check(reason.trim(), retour_domain::text::Shape::Paragraph, 2000)
            .map_err(|e| AppError::from(e.at("reason")))?;
    if reason.is_empty() {
        return Err(ValidationError::new(Invalid::Required).at("reason").into());
    }
    Ok(reason.to_string())
}
