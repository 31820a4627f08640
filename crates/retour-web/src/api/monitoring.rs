//! After return: the follow-up schedule and visits, and the surveys with their scores.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{id, ApiActor, JsonBody};
use crate::error::ApiError;
use crate::AppState;

#[derive(Serialize, ToSchema)]
pub struct ScheduledDto {
    /// The follow-up's code in the policy (`baseline`, `month_6`…).
    code: String,
    instrument: String,
    due_on: String,
    #[schema(value_type = retour_domain::monitoring::FollowUpState)]
    state: String,
    done_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VisitDto {
    id: Uuid,
    /// The scheduled follow-up, or none for a visit outside the schedule.
    followup: Option<String>,
    visited_on: String,
    #[schema(value_type = retour_domain::monitoring::VisitMode)]
    mode: String,
    met: String,
    observed: String,
    services_in_progress: String,
}

#[derive(Serialize, ToSchema)]
pub struct FollowUpsDto {
    arrived_on: Option<String>,
    schedule: Vec<ScheduledDto>,
    visits: Vec<VisitDto>,
}

/// The follow-up schedule of a case (from the policy, counted from the arrival) and its visits.
#[utoipa::path(get, path = "/cases/{id}/followups", tag = "monitoring", params(("id" = Uuid, Path)),
    responses((status = 200, body = FollowUpsDto), (status = 404, description = "unknown, or outside the caller's scope")))]
pub async fn list_followups(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<FollowUpsDto>, ApiError> {
    let id = id(&raw, &a)?;
    let m = state
        .app
        .monitoring(&a.actor, id)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    let day = retour_domain::dates::format_date;
    Ok(Json(FollowUpsDto {
        arrived_on: m.arrived_on.map(day),
        schedule: m
            .schedule
            .into_iter()
            .map(|f| ScheduledDto {
                code: f.code,
                instrument: f.instrument,
                due_on: day(f.due_on),
                state: f.state.as_str().into(),
                done_on: f.done_on.map(day),
            })
            .collect(),
        visits: m
            .visits
            .into_iter()
            .map(|v| VisitDto {
                id: v.id,
                followup: v.followup,
                visited_on: day(v.visited_on),
                mode: v.mode.as_str().into(),
                met: v.met,
                observed: v.observed,
                services_in_progress: v.services_in_progress,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct FollowUpBody {
    /// A follow-up of the schedule not yet recorded, or empty for a visit outside it.
    #[serde(default)]
    followup: String,
    /// `YYYY-MM-DD`, between the arrival and today.
    visited_on: String,
    #[schema(value_type = retour_domain::monitoring::VisitMode)]
    mode: String,
    /// Who was met.
    #[serde(default)]
    met: String,
    /// What was observed (required).
    observed: String,
    #[serde(default)]
    services_in_progress: String,
    /// The survey of a scheduled follow-up: indicator code → option code, every indicator of
    /// the instrument answered. Empty for a visit outside the schedule.
    #[serde(default)]
    answers: BTreeMap<String, String>,
}

/// Records a monitoring visit and, for a scheduled follow-up, its survey (scored at once).
#[utoipa::path(post, path = "/cases/{id}/followups", tag = "monitoring", params(("id" = Uuid, Path)), request_body = FollowUpBody,
    responses((status = 201, description = "recorded"), (status = 404, description = "unknown, or outside the caller's scope"),
        (status = 409, description = "this follow-up is already recorded"), (status = 422, description = "refused, with every problem listed")))]
pub async fn create_followup(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<FollowUpBody>,
) -> Result<Response, ApiError> {
    let id = id(&raw, &a)?;
    let input = retour_domain::monitoring::VisitInput {
        followup: b.followup,
        visited_on: b.visited_on,
        mode: b.mode,
        met: b.met,
        observed: b.observed,
        services_in_progress: b.services_in_progress,
    };
    let fid = state
        .app
        .record_followup(&a.actor, id, &input, &b.answers)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": fid }))).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ScoresDto {
    /// Dimension code → score as an exact fraction (`"2/3"`), or null when nothing was scored.
    dimensions: BTreeMap<String, Option<String>>,
    composite: Option<String>,
    #[schema(value_type = Option<retour_domain::instrument::Band>)]
    band: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyDto {
    id: Uuid,
    followup_id: Uuid,
    followup: Option<String>,
    answered_on: String,
    instrument: String,
    /// SHA-256 of the instrument version the scores were computed with.
    instrument_hash: String,
    answers: BTreeMap<String, String>,
    scores: ScoresDto,
    /// Scores replaced by a later instrument version, oldest first.
    history: Vec<ScoresDto>,
}

fn scores(s: retour_app::monitoring::StoredScores) -> ScoresDto {
    ScoresDto {
        dimensions: s
            .dimensions
            .into_iter()
            .map(|d| (d.code, d.score))
            .collect(),
        composite: s.composite,
        band: s.band.map(|b| b.as_str().into()),
    }
}

/// The surveys of a case with their scores and score history.
#[utoipa::path(get, path = "/cases/{id}/surveys", tag = "monitoring", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<SurveyDto>), (status = 404, description = "unknown, or outside the caller's scope")))]
pub async fn list_surveys(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<SurveyDto>>, ApiError> {
    let id = id(&raw, &a)?;
    let m = state
        .app
        .monitoring(&a.actor, id)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(
        m.surveys
            .into_iter()
            .map(|s| SurveyDto {
                id: s.id,
                followup_id: s.followup_id,
                followup: s.followup,
                answered_on: retour_domain::dates::format_date(s.answered_on),
                instrument: s.instrument.id,
                instrument_hash: s.instrument.content_hash,
                answers: s.answers,
                scores: scores(s.scores),
                history: s.history.into_iter().map(|h| scores(h.scores)).collect(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct SurveyBody {
    /// A scheduled follow-up of this case recorded without its survey.
    followup_id: Uuid,
    /// Indicator code → option code, every indicator answered.
    answers: BTreeMap<String, String>,
}

/// Adds the survey of a scheduled follow-up that was recorded without one.
#[utoipa::path(post, path = "/cases/{id}/surveys", tag = "monitoring", params(("id" = Uuid, Path)), request_body = SurveyBody,
    responses((status = 201, description = "recorded"), (status = 404, description = "unknown case or visit, or outside the caller's scope"),
        (status = 409, description = "the visit already has its survey"), (status = 422, description = "refused, with every problem listed")))]
pub async fn create_survey(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<SurveyBody>,
) -> Result<Response, ApiError> {
    let id = id(&raw, &a)?;
    let sid = state
        .app
        .add_survey(&a.actor, id, b.followup_id, &b.answers)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": sid }))).into_response())
}
