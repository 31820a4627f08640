//! Cases: register, read, update, members, lifecycle.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use retour_app::AppError;
use retour_domain::household::HouseholdInput;
use retour_domain::Case;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{id, ApiActor, JsonBody};
use crate::error::ApiError;
use crate::AppState;

#[derive(Serialize, ToSchema)]
pub struct DocumentDto {
    kind: String,
    number: String,
    issuing_country: String,
    expires_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    id: Uuid,
    #[schema(value_type = retour_domain::Relationship)]
    relationship: String,
    family_name: String,
    given_names: String,
    other_names: Vec<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, as precisely as known.
    birth_date: String,
    #[schema(value_type = retour_domain::Sex)]
    sex: String,
    nationalities: Vec<String>,
    languages: Vec<String>,
    documents: Vec<DocumentDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AsylumDto {
    lodged_on: String,
    decided_on: Option<String>,
    outcome: String,
}

#[derive(Serialize, ToSchema)]
pub struct DepartureDto {
    date: String,
    #[schema(value_type = retour_domain::lifecycle::Transport)]
    transport: String,
    #[schema(value_type = retour_domain::lifecycle::TravelDocumentStatus)]
    travel_document: String,
}

#[derive(Serialize, ToSchema)]
pub struct NoteDto {
    id: Uuid,
    at: String,
    sensitivity: String,
    /// Absent when withheld from this caller.
    body: Option<String>,
    withheld: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CaseDto {
    id: Uuid,
    reference: String,
    #[schema(value_type = retour_domain::Status)]
    status: String,
    /// Send it back with a change: a stale version is refused with 409.
    version: i64,
    destination_country: String,
    destination_place: String,
    #[schema(value_type = retour_domain::household::LocationKind)]
    location_kind: String,
    location_name: String,
    office: String,
    application_date: Option<String>,
    planned_departure_date: Option<String>,
    departure: Option<DepartureDto>,
    asylum_history: Vec<AsylumDto>,
    members: Vec<MemberDto>,
    /// Lifecycle moves this caller may make now.
    #[schema(value_type = Vec<retour_domain::Status>)]
    allowed_transitions: Vec<String>,
    notes: Vec<NoteDto>,
}

fn date(d: time::Date) -> String {
    retour_domain::dates::format_date(d)
}

fn members_dto(case: &Case) -> Vec<MemberDto> {
    case.household
        .members
        .iter()
        .map(|m| MemberDto {
            id: m.person.id,
            relationship: m.relationship.as_str().into(),
            family_name: m.person.family_name.clone(),
            given_names: m.person.given_names.clone(),
            other_names: m.person.other_names.clone(),
            birth_date: m.person.birth_date.to_string(),
            sex: m.person.sex.as_str().into(),
            nationalities: m
                .person
                .nationalities
                .iter()
                .map(|c| c.to_string())
                .collect(),
            languages: m.person.languages.clone(),
            documents: m
                .person
                .documents
                .iter()
                .map(|d| DocumentDto {
                    kind: d.kind.as_str().into(),
                    number: d.number.clone(),
                    issuing_country: d.issuing_country.to_string(),
                    expires_on: d.expires_on.map(date),
                })
                .collect(),
        })
        .collect()
}

fn case_dto(v: retour_app::cases::CaseView) -> CaseDto {
    let c = &v.case;
    let h = &c.household;
    CaseDto {
        id: c.id,
        reference: c.reference.to_string(),
        status: c.status.as_str().into(),
        version: c.version,
        destination_country: h.destination_country.to_string(),
        destination_place: h.destination_place.clone(),
        location_kind: h.location_kind.as_str().into(),
        location_name: h.location_name.clone(),
        office: h.office.clone(),
        application_date: h.application_date.map(date),
        planned_departure_date: h.planned_departure_date.map(date),
        departure: c.departure.as_ref().map(|d| DepartureDto {
            date: date(d.date),
            transport: d.transport.as_str().into(),
            travel_document: d.travel_document.as_str().into(),
        }),
        asylum_history: h
            .asylum_history
            .iter()
            .map(|a| AsylumDto {
                lodged_on: date(a.lodged_on),
                decided_on: a.decided_on.map(date),
                outcome: a.outcome.as_str().into(),
            })
            .collect(),
        members: members_dto(c),
        allowed_transitions: v
            .allowed_transitions
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        notes: v
            .notes
            .into_iter()
            .map(|n| NoteDto {
                id: n.id,
                at: n
                    .at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                sensitivity: n.sensitivity.as_str().into(),
                withheld: n.body.is_none(),
                body: n.body,
            })
            .collect(),
    }
}

pub async fn view(state: &AppState, a: &ApiActor, id: Uuid) -> Result<CaseDto, ApiError> {
    state
        .app
        .case_view(&a.actor, id)
        .await
        .map(case_dto)
        .map_err(|e| ApiError::from_app(e, a.lang))
}

/// Register a household as a new case (counsellors, for their own office).
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = HouseholdInput,
    responses((status = 201, body = CaseDto), (status = 422, description = "invalid input, with every problem listed"), (status = 403)))]
pub async fn create_case(
    State(state): State<AppState>,
    a: ApiActor,
    JsonBody(input): JsonBody<HouseholdInput>,
) -> Result<Response, ApiError> {
    let case = state
        .app
        .register_case(&a.actor, &input)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/cases/{}", case.id))],
        Json(view(&state, &a, case.id).await?),
    )
        .into_response())
}

/// A case, with what this caller may not see marked as withheld.
#[utoipa::path(get, path = "/cases/{id}", tag = "cases", params(("id" = Uuid, Path)),
    responses((status = 200, body = CaseDto), (status = 404, description = "unknown, or outside the caller's scope")))]
pub async fn get_case(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<CaseDto>, ApiError> {
    Ok(Json(view(&state, &a, id(&raw, &a)?).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateCaseBody {
    /// The version the change is based on.
    version: i64,
    household: HouseholdInput,
}

/// Replace the household facts and members of a case.
#[utoipa::path(put, path = "/cases/{id}", tag = "cases", params(("id" = Uuid, Path)), request_body = UpdateCaseBody,
    responses((status = 200, body = CaseDto), (status = 409, description = "changed by someone else since `version`"), (status = 422)))]
pub async fn update_case(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<UpdateCaseBody>,
) -> Result<Json<CaseDto>, ApiError> {
    let id = id(&raw, &a)?;
    state
        .app
        .update_household(&a.actor, id, body.version, &body.household)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(view(&state, &a, id).await?))
}

/// The members of a case.
#[utoipa::path(get, path = "/cases/{id}/members", tag = "cases", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<MemberDto>)))]
pub async fn list_members(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<MemberDto>>, ApiError> {
    let case = state
        .app
        .case(&a.actor, id(&raw, &a)?)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(members_dto(&case)))
}

#[derive(Serialize, ToSchema)]
pub struct TransitionDto {
    #[schema(value_type = Option<retour_domain::Status>)]
    from: Option<String>,
    #[schema(value_type = retour_domain::Status)]
    to: String,
    actor_id: Uuid,
    at: String,
    reason: String,
    departure_date: Option<String>,
}

/// The lifecycle history of a case, oldest first.
#[utoipa::path(get, path = "/cases/{id}/transitions", tag = "cases", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<TransitionDto>)))]
pub async fn list_transitions(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<TransitionDto>>, ApiError> {
    let v = state
        .app
        .case_view(&a.actor, id(&raw, &a)?)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(
        v.history
            .into_iter()
            .map(|t| TransitionDto {
                from: t.from.map(|s| s.as_str().into()),
                to: t.to.as_str().into(),
                actor_id: t.actor_id,
                at: t
                    .at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                reason: t.reason,
                departure_date: t.departure_date.map(date),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema, Default)]
pub struct BookingBody {
    date: String,
    /// plane, bus, train or car
    #[schema(value_type = retour_domain::lifecycle::Transport)]
    transport: String,
    /// valid, requested, issued or missing
    #[schema(value_type = retour_domain::lifecycle::TravelDocumentStatus)]
    travel_document: String,
}

#[derive(Deserialize, ToSchema)]
pub struct TransitionBody {
    #[schema(value_type = retour_domain::Status)]
    to: String,
    reason: String,
    version: i64,
    /// Required when `to` is `departure_booked`.
    booking: Option<BookingBody>,
    /// `YYYY-MM-DD`: the day it happened, required when `to` is `departed` or `arrived`.
    on: Option<String>,
    /// Required when `to` is `closed`: how the case ended.
    #[schema(value_type = Option<retour_domain::monitoring::Outcome>)]
    outcome: Option<String>,
    /// What happened, required when `outcome` is `other`.
    outcome_note: Option<String>,
}

/// Move a case through its lifecycle.
#[utoipa::path(post, path = "/cases/{id}/transitions", tag = "cases", params(("id" = Uuid, Path)), request_body = TransitionBody,
    responses((status = 200, body = CaseDto), (status = 409), (status = 422, description = "not allowed from the current status, or bad booking")))]
pub async fn create_transition(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<TransitionBody>,
) -> Result<Json<CaseDto>, ApiError> {
    let id = id(&raw, &a)?;
    let booking = b.booking.unwrap_or_default();
    let req = retour_domain::TransitionInput {
        to: b.to,
        reason: b.reason,
        booking_date: booking.date,
        transport: booking.transport,
        travel_document: booking.travel_document,
        on: b.on.unwrap_or_default(),
        outcome: b.outcome.unwrap_or_default(),
        outcome_note: b.outcome_note.unwrap_or_default(),
    }
    .parse()
    .map_err(|e| ApiError::from_app(AppError::Invalid(e), a.lang))?;
    state
        .app
        .transition(&a.actor, id, b.version, &req)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(view(&state, &a, id).await?))
}
