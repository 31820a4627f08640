//! The reintegration plan of a case (lines, envelopes, approvals, versions) and who the case is
//! shared with (consent records, the partner assignment).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use retour_app::plans::{LineInput, PlanView};
use retour_app::sharing::SharingView;
use retour_domain::plan::{Category, ConsentPurpose, EmploymentKind};
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::pages::{after_form, parse_id};
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
pub struct PlanPage {
    l: Layout,
    p: PlanView,
    errors: FieldErrors,
    /// The add-line form as last posted (kept when it is shown again with errors).
    form: LineForm,
}

impl PlanPage {
    /// The warning for an envelope the lines commit more than: its entitlement shrank after
    /// they were written (a need withdrawn, a household changed). The plan cannot be submitted
    /// like this.
    fn over(&self, u: &retour_domain::plan::EnvelopeUse) -> Option<String> {
        (u.uncommitted < 0).then(|| {
            self.l.lang.t_args(
                "plan-over-envelope",
                &[
                    ("envelope", self.l.label("envelope", u.envelope)),
                    ("amount", self.cents(-u.uncommitted)),
                ],
            )
        })
    }
    fn cents(&self, c: impl crate::layout::AsCents) -> String {
        self.l.lang.eur(Decimal::new(c.as_cents(), 2))
    }
    fn cents_opt(&self, c: &Option<i64>) -> String {
        c.map(|c| self.cents(c)).unwrap_or_else(|| "–".into())
    }
    fn submitted(&self) -> bool {
        self.p.status == Some(retour_domain::plan::PlanStatus::Submitted)
    }
    fn categories(&self) -> &'static [Category] {
        Category::ALL
    }
    fn employment_kinds(&self) -> &'static [EmploymentKind] {
        EmploymentKind::ALL
    }
    fn approvers(&self, json: &str) -> usize {
        serde_json::from_str::<Vec<Uuid>>(json)
            .map(|v| v.len())
            .unwrap_or(0)
    }
}

async fn plan_page(
    state: &AppState,
    s: &Signed,
    id: Uuid,
    errors: FieldErrors,
    form: LineForm,
) -> Result<PlanPage, PageError> {
    let p = state
        .app
        .plan_view(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(PlanPage {
        l: s.layout(),
        p,
        errors,
        form,
    })
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<PlanPage, PageError> {
    let id = parse_id(&id, s.lang)?;
    plan_page(&state, &s, id, FieldErrors::default(), LineForm::default()).await
}

#[derive(Deserialize, Default, Clone)]
pub struct LineForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub employment_kind: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub provider: String,
    #[serde(default)]
    pub target_date: String,
    #[serde(default)]
    pub amount_eur: String,
}

impl LineForm {
    fn input(&self, lang: retour_i18n::Lang) -> LineInput {
        LineInput {
            style: lang.number_style(),
            category: self.category.clone(),
            employment_kind: Some(self.employment_kind.clone()),
            description: self.description.clone(),
            provider: self.provider.clone(),
            target_date: Some(self.target_date.clone()),
            amount_eur: self.amount_eur.clone(),
        }
    }
}

pub async fn add_line(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<LineForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state
        .app
        .save_line(&s.session.actor, id, None, &f.input(s.lang))
        .await
        .map(|_| ());
    after_form(
        &s,
        r,
        format!("/cases/{id}/plan"),
        "error-duplicate",
        |errors| plan_page(&state, &s, id, errors, f.clone()),
    )
    .await
}

#[derive(Deserialize)]
pub struct AmountForm {
    #[serde(default)]
    amount_eur: String,
}

/// Changes the planned amount of a line, keeping its other fields.
pub async fn change_amount(
    State(state): State<AppState>,
    s: Signed,
    Path((id, line)): Path<(String, String)>,
    Form(f): Form<AmountForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let line = parse_id(&line, s.lang)?;
    let view = state
        .app
        .plan_view(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let current = view
        .lines
        .iter()
        .find(|l| l.id == line)
        .ok_or(PageError::NotFound(s.lang))?;
    let input = LineInput {
        category: current.category.as_str().into(),
        employment_kind: current.employment_kind.map(|k| k.as_str().into()),
        description: current.description.clone(),
        provider: current.provider.clone(),
        target_date: current.target_date.map(retour_domain::dates::format_date),
        amount_eur: f.amount_eur.clone(),
        style: s.lang.number_style(),
    };
    let r = state
        .app
        .save_line(&s.session.actor, id, Some(line), &input)
        .await
        .map(|_| ());
    after_form(
        &s,
        r,
        format!("/cases/{id}/plan"),
        "error-duplicate",
        |errors| plan_page(&state, &s, id, errors, LineForm::default()),
    )
    .await
}

pub async fn remove_line(
    State(state): State<AppState>,
    s: Signed,
    Path((id, line)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let line = parse_id(&line, s.lang)?;
    let r = state.app.remove_line(&s.session.actor, id, line).await;
    after_form(
        &s,
        r,
        format!("/cases/{id}/plan"),
        "error-duplicate",
        |errors| plan_page(&state, &s, id, errors, LineForm::default()),
    )
    .await
}

/// Submit, approve, send back or amend: one button each on the plan page.
#[derive(Deserialize, Default)]
pub struct ActForm {
    /// What the authors must change, when the plan is sent back.
    #[serde(default)]
    reason: String,
}

pub async fn act(
    State(state): State<AppState>,
    s: Signed,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<ActForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let actor = &s.session.actor;
    let r = match action.as_str() {
        "submit" => state.app.submit_plan(actor, id).await,
        "approve" => state.app.approve_plan(actor, id).await.map(|_| ()),
        "send-back" => state.app.send_back_plan(actor, id, &f.reason).await,
        "amend" => state.app.amend_plan(actor, id).await,
        _ => return Err(PageError::NotFound(s.lang)),
    };
    after_form(
        &s,
        r,
        format!("/cases/{id}/plan"),
        "error-duplicate",
        |errors| plan_page(&state, &s, id, errors, LineForm::default()),
    )
    .await
}

// ---- sharing ------------------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "sharing.html")]
pub struct SharingPage {
    l: Layout,
    case: retour_domain::Case,
    v: SharingView,
    errors: FieldErrors,
}

impl SharingPage {
    fn purposes(&self) -> &'static [ConsentPurpose] {
        ConsentPurpose::ALL
    }
    /// Adults who may consent, as (id, name).
    fn adults(&self) -> Vec<(Uuid, String)> {
        self.case
            .household
            .members
            .iter()
            .filter(|m| {
                retour_domain::is_adult_on(
                    m.person.birth_date.date(),
                    time::OffsetDateTime::now_utc().date(),
                )
            })
            .map(|m| (m.person.id, m.person.full_name()))
            .collect()
    }
}

async fn sharing_page(
    state: &AppState,
    s: &Signed,
    id: Uuid,
    errors: FieldErrors,
) -> Result<SharingPage, PageError> {
    let actor = &s.session.actor;
    let case = state
        .app
        .case(actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let v = state
        .app
        .sharing(actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(SharingPage {
        l: s.layout(),
        case,
        v,
        errors,
    })
}

pub async fn sharing(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<SharingPage, PageError> {
    let id = parse_id(&id, s.lang)?;
    sharing_page(&state, &s, id, FieldErrors::default()).await
}

#[derive(Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    partner_org: String,
    #[serde(default)]
    given_on: String,
}

pub async fn add_consent(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<ConsentForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state
        .app
        .record_consent(
            &s.session.actor,
            id,
            Uuid::parse_str(&f.person).unwrap_or(Uuid::nil()),
            &f.purpose,
            Some(&f.partner_org),
            &f.given_on,
        )
        .await;
    after_form(
        &s,
        r,
        format!("/cases/{id}/sharing"),
        "error-duplicate",
        |errors| sharing_page(&state, &s, id, errors),
    )
    .await
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    withdrawn_on: String,
}

pub async fn withdraw_consent(
    State(state): State<AppState>,
    s: Signed,
    Path((id, consent)): Path<(String, String)>,
    Form(f): Form<WithdrawForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let consent = parse_id(&consent, s.lang)?;
    let r = state
        .app
        .withdraw_consent(&s.session.actor, id, consent, &f.withdrawn_on)
        .await
        .map(|_| ());
    after_form(
        &s,
        r,
        format!("/cases/{id}/sharing"),
        "error-duplicate",
        |errors| sharing_page(&state, &s, id, errors),
    )
    .await
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    partner_org: String,
}

pub async fn assign(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state
        .app
        .assign_partner(&s.session.actor, id, &f.partner_org)
        .await;
    after_form(
        &s,
        r,
        format!("/cases/{id}/sharing"),
        "error-duplicate",
        |errors| sharing_page(&state, &s, id, errors),
    )
    .await
}
