//! The reintegration plan: lines, envelopes, approvals.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use retour_app::plans::{LineInput, PlanView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{cents, id, ApiActor, JsonBody, OptionalJsonBody};
use crate::error::ApiError;
use crate::AppState;

/// What can be done with a plan as a whole.
#[derive(ToSchema)]
#[schema(rename_all = "kebab-case")]
// Documents the path parameter; the handler matches its text and refuses anything else.
#[allow(dead_code)]
pub enum PlanAction {
    Submit,
    Approve,
    SendBack,
    Amend,
}

#[derive(Serialize, ToSchema)]
pub struct PlanLineDto {
    id: Uuid,
    #[schema(value_type = retour_domain::plan::Category)]
    category: String,
    #[schema(value_type = Option<retour_domain::plan::EmploymentKind>)]
    employment_kind: Option<String>,
    description: String,
    provider: String,
    target_date: Option<String>,
    /// Euro, exact decimal strings.
    planned_eur: String,
    approved_eur: Option<String>,
    spent_eur: String,
    expires_on: Option<String>,
    expired: bool,
}

#[derive(Serialize, ToSchema)]
pub struct EnvelopeDto {
    /// `general` (reintegration + vulnerability) or `medical` (AMAAR).
    envelope: String,
    budget_eur: String,
    committed_eur: String,
    spent_eur: String,
    uncommitted_eur: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlanDto {
    /// `draft`, `submitted`, `approved` or `amended`; absent before the first line.
    #[schema(value_type = Option<retour_domain::plan::PlanStatus>)]
    status: Option<String>,
    version: i32,
    approvals: usize,
    approvals_needed: usize,
    arrival: Option<String>,
    envelopes: Vec<EnvelopeDto>,
    lines: Vec<PlanLineDto>,
}

fn plan_dto(p: PlanView) -> PlanDto {
    let date = |d: time::Date| retour_domain::dates::format_date(d);
    PlanDto {
        status: p.status.map(|s| s.as_str().into()),
        version: p.version,
        approvals: p.approvals,
        approvals_needed: p.approvals_needed,
        arrival: p.arrival.map(date),
        envelopes: p
            .usage
            .iter()
            .map(|u| EnvelopeDto {
                envelope: u.envelope.as_str().into(),
                budget_eur: cents(u.budget),
                committed_eur: cents(u.committed),
                spent_eur: cents(u.spent),
                uncommitted_eur: cents(u.uncommitted),
            })
            .collect(),
        lines: p
            .lines
            .into_iter()
            .map(|l| PlanLineDto {
                id: l.id,
                category: l.category.as_str().into(),
                employment_kind: l.employment_kind.map(|k| k.as_str().into()),
                description: l.description,
                provider: l.provider,
                target_date: l.target_date.map(date),
                planned_eur: cents(l.planned),
                approved_eur: l.approved.map(cents),
                spent_eur: cents(l.spent),
                expires_on: l.expires_on.map(date),
                expired: l.expired,
            })
            .collect(),
    }
}

async fn plan_of(state: &AppState, a: &ApiActor, id: Uuid) -> Result<Json<PlanDto>, ApiError> {
    let p = state
        .app
        .plan_view(&a.actor, id)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(plan_dto(p)))
}

/// The reintegration plan: lines, envelopes (budget, committed, spent), approvals.
#[utoipa::path(get, path = "/cases/{id}/plan", tag = "plans", params(("id" = Uuid, Path)),
    responses((status = 200, body = PlanDto), (status = 404, description = "unknown, or outside the caller's scope")))]
pub async fn get_plan(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<PlanDto>, ApiError> {
    plan_of(&state, &a, id(&raw, &a)?).await
}

#[derive(Deserialize, ToSchema)]
pub struct LineBody {
    /// `housing`, `furniture`, `medical`, `administrative_support`, `education`, `employment`, `psychosocial`.
    #[schema(value_type = retour_domain::plan::Category)]
    category: String,
    /// For employment: `job_placement`, `training` or `self_employment`.
    #[serde(default)]
    #[schema(value_type = Option<retour_domain::plan::EmploymentKind>)]
    employment_kind: Option<String>,
    description: String,
    provider: String,
    #[serde(default)]
    target_date: Option<String>,
    /// Euro with a decimal point: `"450.00"` or `450`.
    #[serde(deserialize_with = "super::extract::amount_text")]
    #[schema(schema_with = super::extract::amount_schema)]
    amount_eur: String,
}

/// Adds a line to the draft (or amendment); the plan is created with its first line.
#[utoipa::path(post, path = "/cases/{id}/plan/lines", tag = "plans", params(("id" = Uuid, Path)), request_body = LineBody,
    responses((status = 201, body = PlanDto), (status = 422, description = "invalid line, or the plan is not editable")))]
pub async fn add_plan_line(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<LineBody>,
) -> Result<Response, ApiError> {
    let id = id(&raw, &a)?;
    let input = LineInput {
        category: b.category,
        employment_kind: b.employment_kind,
        description: b.description,
        provider: b.provider,
        target_date: b.target_date,
        amount_eur: b.amount_eur,
        style: retour_domain::NumberStyle::Plain,
    };
    state
        .app
        .save_line(&a.actor, id, None, &input)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok((StatusCode::CREATED, plan_of(&state, &a, id).await?).into_response())
}

/// What a plan action may carry: the reason a plan is sent back to its authors.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PlanActionBody {
    /// Required for `send-back`: what the authors must change. Ignored by other actions.
    #[serde(default)]
    pub reason: String,
}

/// `submit`, `approve`, `send-back` (with the reason in the body) or `amend`. Approval by a
/// programme manager who did not write the plan; above the policy threshold two distinct
/// approvers are needed.
#[utoipa::path(post, path = "/cases/{id}/plan/{action}", tag = "plans",
    params(("id" = Uuid, Path), ("action" = inline(PlanAction), Path, description = "what to do with the plan")),
    request_body(content = Option<PlanActionBody>, description = "only `send-back` takes a body"),
    responses((status = 200, body = PlanDto), (status = 422, description = "not possible now, with the reason"), (status = 403)))]
pub async fn plan_action(
    State(state): State<AppState>,
    a: ApiActor,
    Path((raw, action)): Path<(String, String)>,
    OptionalJsonBody(body): OptionalJsonBody<PlanActionBody>,
) -> Result<Json<PlanDto>, ApiError> {
    let id = id(&raw, &a)?;
    let r = match action.as_str() {
        "submit" => state.app.submit_plan(&a.actor, id).await,
        "approve" => state.app.approve_plan(&a.actor, id).await.map(|_| ()),
        "send-back" => state.app.send_back_plan(&a.actor, id, &body.reason).await,
        "amend" => state.app.amend_plan(&a.actor, id).await,
        _ => Err(retour_app::AppError::NotFound),
    };
    r.map_err(|e| ApiError::from_app(e, a.lang))?;
    plan_of(&state, &a, id).await
}
