//! Partner organisations: the list, and a form to add one (programme managers and admins).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use retour_app::authz::{can, Action};
use retour_app::partners::PartnerOrg;
use retour_app::AppError;
use retour_domain::plan::PartnerKind;
use serde::Deserialize;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::pages::after_form;
use crate::AppState;

const PAGE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "partners.html")]
pub struct PartnersPage {
    l: Layout,
    partners: Vec<PartnerOrg>,
    next_after: Option<String>,
    errors: FieldErrors,
    form: PartnerForm,
}

impl PartnersPage {
    fn kinds(&self) -> &'static [PartnerKind] {
        PartnerKind::ALL
    }
    fn countries(&self, p: &PartnerOrg) -> String {
        p.countries
            .iter()
            .map(|c| self.l.country(c.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct PartnerForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    countries: String,
}

#[derive(Deserialize)]
pub struct After {
    after: Option<String>,
}

async fn page(
    state: &AppState,
    s: &Signed,
    after: Option<&str>,
    errors: FieldErrors,
    form: PartnerForm,
) -> Result<PartnersPage, PageError> {
    if !can(&s.session.actor, Action::ManagePartners, None) {
        return Err(PageError::app(AppError::Forbidden, s.lang));
    }
    let mut partners = state
        .app
        .partner_orgs(after, PAGE + 1)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let next_after = (partners.len() as i64 > PAGE).then(|| partners[PAGE as usize - 1].id.clone());
    partners.truncate(PAGE as usize);
    Ok(PartnersPage {
        l: s.layout(),
        partners,
        next_after,
        errors,
        form,
    })
}

pub async fn list(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<After>,
) -> Result<PartnersPage, PageError> {
    page(
        &state,
        &s,
        q.after.as_deref(),
        FieldErrors::default(),
        PartnerForm::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    s: Signed,
    Form(f): Form<PartnerForm>,
) -> Result<Response, PageError> {
    let countries: Vec<String> = f
        .countries
        .split([',', ' '])
        .filter(|c| !c.trim().is_empty())
        .map(|c| c.trim().to_string())
        .collect();
    let r = state
        .app
        .create_partner_org(&s.session.actor, &f.id, &f.name, &f.kind, &countries)
        .await
        .map(|_| ());
    after_form(
        &s,
        r,
        "/admin/partners".into(),
        "error-duplicate",
        |errors| page(&state, &s, None, errors, f.clone()),
    )
    .await
}
