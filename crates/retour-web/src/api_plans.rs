//! The API for reintegration plans, consent and partner assignment, delivery and tasks: the
//! same use cases as the pages, under the same rules.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use retour_app::plans::{LineInput, PlanView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::{ApiActor, JsonBody};
use crate::error::ApiError;
use crate::AppState;

fn id(raw: &str, a: &ApiActor) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::from_app(retour_app::AppError::NotFound, a.lang))
}

fn cents(c: i64) -> String {
    retour_domain::plan::cents_str(c)
}

#[derive(Serialize, ToSchema)]
pub struct PlanLineDto {
    id: Uuid,
    category: String,
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
    category: String,
    /// For employment: `job_placement`, `training` or `self_employment`.
    #[serde(default)]
    employment_kind: Option<String>,
    description: String,
    provider: String,
    #[serde(default)]
    target_date: Option<String>,
    /// Euro as a decimal string ("450.00").
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
    };
    state
        .app
        .save_line(&a.actor, id, None, &input)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok((StatusCode::CREATED, plan_of(&state, &a, id).await?).into_response())
}

/// `submit`, `approve`, `send-back` or `amend`. Approval by a programme manager who did not
/// write the plan; above the policy threshold two distinct approvers are needed.
#[utoipa::path(post, path = "/cases/{id}/plan/{action}", tag = "plans",
    params(("id" = Uuid, Path), ("action" = String, Path, description = "submit | approve | send-back | amend")),
    responses((status = 200, body = PlanDto), (status = 422, description = "not possible now, with the reason"), (status = 403)))]
pub async fn plan_action(
    State(state): State<AppState>,
    a: ApiActor,
    Path((raw, action)): Path<(String, String)>,
) -> Result<Json<PlanDto>, ApiError> {
    let id = id(&raw, &a)?;
    let r = match action.as_str() {
        "submit" => state.app.submit_plan(&a.actor, id).await,
        "approve" => state.app.approve_plan(&a.actor, id).await.map(|_| ()),
        "send-back" => state.app.send_back_plan(&a.actor, id).await,
        "amend" => state.app.amend_plan(&a.actor, id).await,
        _ => Err(retour_app::AppError::NotFound),
    };
    r.map_err(|e| ApiError::from_app(e, a.lang))?;
    plan_of(&state, &a, id).await
}

#[derive(Deserialize, ToSchema)]
pub struct ConsentBody {
    /// The adult member who consents.
    person_id: Uuid,
    /// `reintegration` or `partner_transfer`.
    purpose: String,
    /// For `partner_transfer`: the partner organisation's code.
    #[serde(default)]
    partner_org: Option<String>,
    given_on: String,
}

/// Records a returnee's consent.
#[utoipa::path(post, path = "/cases/{id}/consents", tag = "sharing", params(("id" = Uuid, Path)), request_body = ConsentBody,
    responses((status = 204), (status = 422)))]
pub async fn add_consent(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<ConsentBody>,
) -> Result<StatusCode, ApiError> {
    let id = id(&raw, &a)?;
    state
        .app
        .record_consent(
            &a.actor,
            id,
            b.person_id,
            &b.purpose,
            b.partner_org.as_deref(),
            &b.given_on,
        )
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct AssignBody {
    partner_org: String,
}

/// Assigns the case to a partner organisation; refused without the returnee's consent.
#[utoipa::path(put, path = "/cases/{id}/partner", tag = "sharing", params(("id" = Uuid, Path)), request_body = AssignBody,
    responses((status = 204), (status = 422, description = "no consent in force, or the partner does not serve the country")))]
pub async fn assign_partner(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<AssignBody>,
) -> Result<StatusCode, ApiError> {
    let id = id(&raw, &a)?;
    state
        .app
        .assign_partner(&a.actor, id, &b.partner_org)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ArrivalBody {
    arrived_on: String,
}

/// Confirms arrival in the country of return; deadlines start then.
#[utoipa::path(post, path = "/cases/{id}/arrival", tag = "delivery", params(("id" = Uuid, Path)), request_body = ArrivalBody,
    responses((status = 204), (status = 422)))]
pub async fn confirm_arrival(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<ArrivalBody>,
) -> Result<StatusCode, ApiError> {
    let id = id(&raw, &a)?;
    state
        .app
        .confirm_arrival(&a.actor, id, &b.arrived_on)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct SpendingDto {
    id: Uuid,
    line_id: Uuid,
    spent_on: String,
    amount: String,
    currency: String,
    rate: String,
    eur: String,
    vendor: String,
    /// Download at `/api/v1/documents/{id}`.
    document_id: Option<Uuid>,
}

/// Payments recorded on the case.
#[utoipa::path(get, path = "/cases/{id}/spendings", tag = "delivery", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<SpendingDto>), (status = 404)))]
pub async fn list_spendings(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<SpendingDto>>, ApiError> {
    let id = id(&raw, &a)?;
    let d = state
        .app
        .delivery(&a.actor, id)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(
        d.spendings
            .into_iter()
            .map(|s| SpendingDto {
                id: s.id,
                line_id: s.line_id,
                spent_on: retour_domain::dates::format_date(s.spent_on),
                amount: s.amount,
                currency: s.currency,
                rate: s.rate,
                eur: cents(s.eur_cents),
                vendor: s.vendor,
                document_id: s.document_id,
            })
            .collect(),
    ))
}

/// Records a payment against an approved line: `multipart/form-data` with the fields
/// `line_id`, `spent_on`, `amount`, `currency`, `rate` (empty for EUR), `vendor` and the file
/// `proof` (PDF, JPEG or PNG, at most 5 MB, checked by content).
#[utoipa::path(post, path = "/cases/{id}/spendings", tag = "delivery", params(("id" = Uuid, Path)),
    request_body(content_type = "multipart/form-data", description = "the payment fields and the file `proof`"),
    responses((status = 201, description = "recorded"), (status = 422, description = "refused, with every problem listed; nothing is kept")))]
pub async fn add_spending(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    m: Multipart,
) -> Result<Response, ApiError> {
    let id = id(&raw, &a)?;
    let (input, proof, _) = crate::pages::read_spending(m)
        .await
        .map_err(|e| ApiError::from_app(e.into(), a.lang))?;
    let sid = state
        .app
        .record_spending(&a.actor, id, &input, proof)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": sid }))).into_response())
}

/// A proof of payment, for whoever may read its case.
#[utoipa::path(get, path = "/documents/{id}", tag = "delivery", params(("id" = Uuid, Path)),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, description = "unknown, or its case is outside the caller's scope")))]
pub async fn get_document(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let id = id(&raw, &a)?;
    let (doc, bytes) = state
        .app
        .document(&a.actor, id)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(crate::pages::proof_response(&doc, bytes))
}

#[derive(Serialize, ToSchema)]
pub struct TaskDto {
    id: Uuid,
    case_id: Uuid,
    reference: String,
    /// `plan_not_submitted`, `appointment_missed` or `deadline_soon`.
    kind: String,
    due_on: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TaskQuery {
    /// The last task id of the previous page.
    after: Option<Uuid>,
}

/// The caller's open tasks, 50 per page, keyset-paginated with `after`.
#[utoipa::path(get, path = "/tasks", tag = "tasks", params(TaskQuery), responses((status = 200, body = Vec<TaskDto>)))]
pub async fn list_tasks(
    State(state): State<AppState>,
    a: ApiActor,
    Query(q): Query<TaskQuery>,
) -> Result<Json<Vec<TaskDto>>, ApiError> {
    let tasks = state
        .app
        .tasks(&a.actor, q.after, 50)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(
        tasks
            .into_iter()
            .map(|t| TaskDto {
                id: t.id,
                case_id: t.case_id,
                reference: t.reference,
                kind: t.kind,
                due_on: retour_domain::dates::format_date(t.due_on),
            })
            .collect(),
    ))
}
