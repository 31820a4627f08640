//! Partner organisations (IOM, Caritas, Enabel, local NGOs) and the countries they serve.

use retour_domain::plan::PartnerKind;
use retour_domain::{CountryCode, Invalid};
use retour_domain::{ValidationError, ValidationErrors};
use retour_store::{Audit, PartnerOrgRow};

use crate::authz::{require, Action};
use crate::{Actor, App, AppError, AppResult};

use retour_domain::error::other;

/// A partner organisation as pages show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PartnerOrg {
    pub id: String,
    pub name: String,
    pub kind: PartnerKind,
    pub countries: Vec<CountryCode>,
}

impl TryFrom<PartnerOrgRow> for PartnerOrg {
    type Error = AppError;
    fn try_from(r: PartnerOrgRow) -> AppResult<PartnerOrg> {
        Ok(PartnerOrg {
            kind: r
                .kind
                .parse()
                .map_err(|_| AppError::Internal("unknown partner kind stored".into()))?,
            countries: serde_json::from_str(&r.countries)
                .map_err(|e| AppError::Internal(format!("partner countries: {e}")))?,
            id: r.id,
            name: r.name,
        })
    }
}

impl App {
    pub async fn create_partner_org(
        &self,
        actor: &Actor,
        id: &str,
        name: &str,
        kind: &str,
        countries: &[String],
    ) -> AppResult<PartnerOrg> {
        require(actor, Action::ManagePartners, None)?;
        let mut errors = ValidationErrors::default();
        let id = id.trim().to_ascii_lowercase();
        let valid_id = (2..=40).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_id {
            errors.push(other("bad-partner-code", id.clone()).at("id"));
        }
        let name = &retour_domain::text::field(
            &mut errors,
            "name",
            name,
            true,
            200,
            retour_domain::text::Shape::Line,
        );
        let kind = kind
            .parse::<PartnerKind>()
            .map_err(|e| errors.push(e.at("kind")))
            .ok();
        let mut codes = Vec::new();
        for (i, c) in countries
            .iter()
            .filter(|c| !c.trim().is_empty())
            .enumerate()
        {
            match CountryCode::parse(c.trim()) {
                Ok(code) => codes.push(code),
                Err(e) => errors.push(e.at(format!("countries[{i}]"))),
            }
        }
        if codes.is_empty() && errors.is_empty() {
            errors.push(ValidationError::new(Invalid::Required).at("countries"));
        }
        errors.into_result(())?;
        let row = PartnerOrgRow {
            id: id.clone(),
            name: name.trim().into(),
            kind: kind.expect("checked").as_str().into(),
            countries: serde_json::to_string(&codes).expect("codes serialise"),
            created_at: time::OffsetDateTime::now_utc(),
        };
        self.store
            .insert_partner_org(
                &row,
                &Audit::new(Some(actor.id), "partner.create").detail(id),
            )
            .await?;
        row.try_into()
    }

    /// Partner organisations in code order, a page after `after`. Every signed-in staff member
    /// may see the list (names of organisations are not personal data).
    pub async fn partner_orgs(
        &self,
        after: Option<&str>,
        limit: i64,
    ) -> AppResult<Vec<PartnerOrg>> {
        self.store
            .partner_orgs(after, limit)
            .await?
            .into_iter()
            .map(PartnerOrg::try_from)
            .collect()
    }
}
