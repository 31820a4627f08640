//! The children page of a case: best-interests assessments, an unaccompanied minor's guardian
//! and reception check, parents' consent for the workbook and handing it out.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use retour_app::children::ChildrenView;
use retour_app::AppError;
use retour_domain::children::{
    BestInterestsInput, Edition, GuardianInput, ReceptionCheckInput, ReceptionKind, WorkbookMissing,
};
use retour_domain::Case;
use serde::Deserialize;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::pages::{after_form, parse_id};
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "children.html")]
pub struct ChildrenPage {
    l: Layout,
    case: Case,
    v: ChildrenView,
    errors: FieldErrors,
    /// Today, the default date of the forms.
    today: String,
    editions: &'static [Edition],
    reception_kinds: &'static [ReceptionKind],
}

impl ChildrenPage {
    fn missing(&self, m: &WorkbookMissing) -> String {
        match m {
            WorkbookMissing::Age => self.l.t("workbook-missing-age"),
            WorkbookMissing::Consent => self.l.t("workbook-missing-consent"),
        }
    }
}

async fn page(
    state: &AppState,
    s: &Signed,
    id: uuid::Uuid,
    errors: FieldErrors,
) -> Result<ChildrenPage, PageError> {
    let actor = &s.session.actor;
    let case = state
        .app
        .case(actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let v = state
        .app
        .children(actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(ChildrenPage {
        l: s.layout(),
        case,
        v,
        errors,
        today: retour_domain::dates::format_date(state.app.today()),
        editions: Edition::ALL,
        reception_kinds: ReceptionKind::ALL,
    })
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<ChildrenPage, PageError> {
    let id = parse_id(&id, s.lang)?;
    page(&state, &s, id, FieldErrors::default()).await
}

/// After a form: back to the page, or the page again with the problems shown.
async fn outcome(
    state: &AppState,
    s: &Signed,
    id: uuid::Uuid,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    let to = format!("/cases/{id}/children");
    after_form(s, result, to, "workbook-already-handed", |errors| {
        page(state, s, id, errors)
    })
    .await
}

fn person(raw: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(raw.trim()).unwrap_or(uuid::Uuid::nil())
}

#[derive(Deserialize)]
pub struct BestInterestsForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    assessed_on: String,
    #[serde(default)]
    assessed_by: String,
    #[serde(default)]
    consulted_parents: Option<String>,
    #[serde(default)]
    consulted_guardian: Option<String>,
    #[serde(default)]
    consulted_child: Option<String>,
    #[serde(default)]
    consulted_names: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    conclusion: String,
}

pub async fn best_interests(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<BestInterestsForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let input = BestInterestsInput {
        assessed_on: f.assessed_on,
        assessed_by: f.assessed_by,
        consulted_parents: f.consulted_parents.is_some(),
        consulted_guardian: f.consulted_guardian.is_some(),
        consulted_child: f.consulted_child.is_some(),
        consulted_names: f.consulted_names,
        summary: f.summary,
        conclusion: f.conclusion,
    };
    let r = state
        .app
        .record_best_interests(&s.session.actor, id, person(&f.person), &input)
        .await;
    outcome(&state, &s, id, r).await
}

#[derive(Deserialize)]
pub struct GuardianForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    appointed_on: String,
}

pub async fn guardian(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<GuardianForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let input = GuardianInput {
        name: f.name,
        organisation: f.organisation,
        appointed_on: f.appointed_on,
    };
    let r = state
        .app
        .record_guardian(&s.session.actor, id, person(&f.person), &input)
        .await;
    outcome(&state, &s, id, r).await
}

#[derive(Deserialize)]
pub struct ReceptionForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    checked_on: String,
}

pub async fn reception_check(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<ReceptionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let input = ReceptionCheckInput {
        kind: f.kind,
        description: f.description,
        checked_on: f.checked_on,
    };
    let r = state
        .app
        .record_reception_check(&s.session.actor, id, person(&f.person), &input)
        .await;
    outcome(&state, &s, id, r).await
}

#[derive(Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    consented_on: String,
}

pub async fn consent(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<ConsentForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state
        .app
        .record_workbook_consent(
            &s.session.actor,
            id,
            person(&f.person),
            person(&f.parent),
            &f.consented_on,
        )
        .await;
    outcome(&state, &s, id, r).await
}

#[derive(Deserialize)]
pub struct HandOutForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    edition: String,
    #[serde(default)]
    handed_on: String,
}

pub async fn hand_out(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<HandOutForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state
        .app
        .hand_out_workbook(
            &s.session.actor,
            id,
            person(&f.person),
            &f.edition,
            &f.handed_on,
        )
        .await;
    outcome(&state, &s, id, r).await
}
