//! Consent to share a case with a partner, and the assignment that needs it.

use retour_domain::plan::ConsentPurpose;
use retour_domain::{is_adult_on, parse_date, Invalid};
use retour_domain::{ValidationError, ValidationErrors};
use retour_store::{Audit, ConsentRow};
use uuid::Uuid;

use crate::authz::{can, require, Action};
use crate::partners::PartnerOrg;
use crate::{Actor, App, AppError, AppResult};

use retour_domain::error::other;

/// Who may see a case outside the agency, and on what basis.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SharingView {
    pub consents: Vec<ConsentView>,
    pub assigned: Option<PartnerOrg>,
    /// Partners serving the country of return, to choose from.
    pub partners: Vec<PartnerOrg>,
    pub can_manage: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ConsentView {
    pub id: Uuid,
    pub person: String,
    pub purpose: ConsentPurpose,
    pub partner: Option<String>,
    pub given_on: time::Date,
    pub withdrawn_on: Option<time::Date>,
}

impl App {
    pub async fn sharing(&self, actor: &Actor, case_id: Uuid) -> AppResult<SharingView> {
        let case = self.case(actor, case_id).await?;
        let can_manage = can(actor, Action::ManageConsent, Some(&case));
        let name_of = |id: Uuid| {
            case.household
                .members
                .iter()
                .find(|m| m.person.id == id)
                .map(|m| m.person.full_name())
                .unwrap_or_default()
        };
        let stored = self.store.consents(case_id).await?;
        // Consents name partners by code; pages show their names.
        let mut names: std::collections::HashMap<String, String> = Default::default();
        for org in stored.iter().filter_map(|c| c.partner_org.clone()) {
            if !names.contains_key(&org) {
                let name = self.store.partner_org(&org).await?.map(|p| p.name);
                names.insert(org.clone(), name.unwrap_or(org));
            }
        }
        let consents = stored
            .into_iter()
            .map(|c| {
                Ok(ConsentView {
                    id: c.id,
                    person: name_of(c.person_id),
                    purpose: c
                        .purpose
                        .parse()
                        .map_err(|_| AppError::Internal("unknown consent purpose".into()))?,
                    partner: c.partner_org.map(|o| names.get(&o).cloned().unwrap_or(o)),
                    given_on: c.given_on,
                    withdrawn_on: c.withdrawn_on,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let assigned = match &case.partner_org {
            Some(org) => match self.store.partner_org(org).await? {
                Some(row) => Some(row.try_into()?),
                None => None,
            },
            None => None,
        };
        let partners = if can_manage {
            let country = case.household.destination_country;
            self.partner_orgs(None, 500)
                .await?
                .into_iter()
                .filter(|p| p.countries.contains(&country))
                .collect()
        } else {
            Vec::new()
        };
        Ok(SharingView {
            consents,
            assigned,
            partners,
            can_manage,
        })
    }

    /// Records a returnee's consent: an adult member of the household, for a purpose, and for
    /// sharing with a partner, naming that partner.
    pub async fn record_consent(
        &self,
        actor: &Actor,
        case_id: Uuid,
        person_id: Uuid,
        purpose: &str,
        partner_org: Option<&str>,
        given_on: &str,
    ) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::ManageConsent, Some(&case))?;
        let mut errors = ValidationErrors::default();
        let purpose = purpose
            .parse::<ConsentPurpose>()
            .map_err(|e| errors.push(e.at("purpose")))
            .ok();
        let day = parse_date(given_on)
            .map_err(|e| errors.push(e.at("given_on")))
            .ok();
        if day.is_some_and(|d| d > self.today()) {
            errors.push(other("date-in-future", given_on.trim()).at("given_on"));
        }
        match case
            .household
            .members
            .iter()
            .find(|m| m.person.id == person_id)
        {
            None => errors.push(
                ValidationError::new(Invalid::UnknownValue {
                    value: person_id.to_string(),
                })
                .at("person"),
            ),
            Some(m) => {
                if day.is_some_and(|d| !is_adult_on(m.person.birth_date.date(), d)) {
                    errors.push(other("consent-by-minor", m.person.full_name()).at("person"));
                }
            }
        }
        let org = partner_org.map(str::trim).filter(|o| !o.is_empty());
        if purpose == Some(ConsentPurpose::PartnerTransfer) {
            match org {
                None => errors.push(ValidationError::new(Invalid::Required).at("partner_org")),
                Some(o) if self.store.partner_org(o).await?.is_none() => errors.push(
                    ValidationError::new(Invalid::UnknownValue { value: o.into() })
                        .at("partner_org"),
                ),
                Some(_) => {}
            }
        }
        errors.into_result(())?;
        let purpose = purpose.expect("checked");
        let row = ConsentRow {
            id: Uuid::now_v7(),
            case_id,
            person_id,
            purpose: purpose.as_str().into(),
            partner_org: (purpose == ConsentPurpose::PartnerTransfer)
                .then(|| org.map(str::to_string))
                .flatten(),
            given_on: day.expect("checked"),
            withdrawn_on: None,
            recorded_by: actor.id,
            recorded_at: time::OffsetDateTime::now_utc(),
        };
        self.store
            .add_consent(
                &row,
                &Audit::new(Some(actor.id), "consent.record").detail(format!(
                    "{} {}",
                    purpose,
                    row.partner_org.as_deref().unwrap_or("")
                )),
            )
            .await?;
        Ok(())
    }

    /// Withdraws a consent; withdrawing the consent behind the partner assignment ends it.
    pub async fn withdraw_consent(
        &self,
        actor: &Actor,
        case_id: Uuid,
        consent_id: Uuid,
        on: &str,
    ) -> AppResult<bool> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::ManageConsent, Some(&case))?;
        let day = parse_date(on).map_err(|e| e.at("withdrawn_on"))?;
        if day > self.today() {
            return Err(other("date-in-future", on.trim()).at("withdrawn_on").into());
        }
        Ok(self
            .store
            .withdraw_consent(
                case_id,
                consent_id,
                day,
                &Audit::new(Some(actor.id), "consent.withdraw").detail(consent_id.to_string()),
            )
            .await?)
    }

    /// Assigns (or re-assigns) the case to a partner serving its country of return, only with
    /// the returnee's consent to share with that partner.
    pub async fn assign_partner(&self, actor: &Actor, case_id: Uuid, org: &str) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::ManageConsent, Some(&case))?;
        let org = org.trim();
        let Some(partner) = self.store.partner_org(org).await? else {
            return Err(
                ValidationError::new(Invalid::UnknownValue { value: org.into() })
                    .at("partner_org")
                    .into(),
            );
        };
        let partner = PartnerOrg::try_from(partner)?;
        if !partner
            .countries
            .contains(&case.household.destination_country)
        {
            return Err(other("partner-not-serving-country", partner.name)
                .at("partner_org")
                .into());
        }
        let detail = format!(
            "{} -> {}",
            case.partner_org.as_deref().unwrap_or("-"),
            partner.id
        );
        if !self
            .store
            .assign_partner(
                case_id,
                &partner.id,
                &Audit::new(Some(actor.id), "case.assign_partner").detail(detail),
            )
            .await?
        {
            return Err(other("no-consent-for-partner", partner.name)
                .at("partner_org")
                .into());
        }
        Ok(())
    }
}
