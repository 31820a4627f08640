//! Possible duplicates and prior beneficiaries, for programme managers: the links recorded at
//! registration, deciding one, and undoing a decision. A decision never changes either record.

use axum::extract::{Path, State};
use axum::Json;
use retour_app::links::LinkView;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{id, ApiActor, ApiQuery, JsonBody};
use crate::error::ApiError;
use crate::AppState;

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// The same person may be registered twice.
    Duplicate,
    /// The person received support in an earlier case within the look-back.
    PriorSupport,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    Open,
    /// Decided: the same person (for a prior beneficiary, the exclusion applies).
    Confirmed,
    /// Decided: different persons.
    Dismissed,
}

#[derive(Serialize, ToSchema)]
pub struct PersonLinkDto {
    id: Uuid,
    /// The case registered, and its member.
    case_id: Uuid,
    reference: String,
    person_id: Uuid,
    family_name: String,
    given_names: String,
    /// The earlier case, and its member.
    other_case_id: Uuid,
    other_reference: String,
    other_office: String,
    other_person_id: Uuid,
    other_family_name: String,
    other_given_names: String,
    kind: LinkKind,
    /// The match score, 0 to 1.
    score: String,
    /// The earlier case's last support, `YYYY-MM-DD`, for a prior beneficiary.
    support_on: Option<String>,
    status: LinkStatus,
    decision_reason: Option<String>,
}

fn dto(l: LinkView) -> PersonLinkDto {
    PersonLinkDto {
        id: l.id,
        case_id: l.case_id,
        reference: l.reference,
        person_id: l.person_id,
        family_name: l.family_name,
        given_names: l.given_names,
        other_case_id: l.other_case_id,
        other_reference: l.other_reference,
        other_office: l.other_office,
        other_person_id: l.other_person_id,
        other_family_name: l.other_family_name,
        other_given_names: l.other_given_names,
        kind: if l.kind == "prior_support" {
            LinkKind::PriorSupport
        } else {
            LinkKind::Duplicate
        },
        score: l.score,
        support_on: l.support_on.map(retour_domain::dates::format_date),
        status: match l.status.as_str() {
            "confirmed" => LinkStatus::Confirmed,
            "dismissed" => LinkStatus::Dismissed,
            _ => LinkStatus::Open,
        },
        decision_reason: l.decision_reason,
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinkQuery {
    /// The last link id of the previous page.
    after: Option<Uuid>,
}

/// Links waiting for a decision, oldest first, 50 per page, keyset-paginated with `after`.
#[utoipa::path(get, path = "/person-links", tag = "persons", params(LinkQuery),
    responses((status = 200, body = Vec<PersonLinkDto>), (status = 403, description = "programme managers only")))]
pub async fn list_links(
    State(state): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<LinkQuery>,
) -> Result<Json<Vec<PersonLinkDto>>, ApiError> {
    let page = state
        .app
        .open_links(&a.actor, q.after)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(page.items.into_iter().map(dto).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    SamePerson,
    DifferentPersons,
}

#[derive(Deserialize, ToSchema)]
pub struct DecisionBody {
    decision: Decision,
    /// Why (required): what showed it is, or is not, the same person.
    reason: String,
}

async fn current(state: &AppState, a: &ApiActor, id: Uuid) -> Result<PersonLinkDto, ApiError> {
    state
        .app
        .person_link(&a.actor, id)
        .await
        .map(dto)
        .map_err(|e| ApiError::from_app(e, a.lang))
}

/// Decides a link: the same person (for a prior beneficiary, the exclusion then applies) or
/// different persons.
#[utoipa::path(post, path = "/person-links/{id}/decision", tag = "persons", params(("id" = Uuid, Path)),
    request_body = DecisionBody,
    responses((status = 200, body = PersonLinkDto), (status = 403, description = "programme managers only"),
        (status = 404, description = "no such link"), (status = 409, description = "decided already"),
        (status = 422, description = "no reason given")))]
pub async fn decide_link(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<DecisionBody>,
) -> Result<Json<PersonLinkDto>, ApiError> {
    let id = id(&raw, &a)?;
    state
        .app
        .decide_link(
            &a.actor,
            id,
            matches!(b.decision, Decision::SamePerson),
            &b.reason,
        )
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(current(&state, &a, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ReopenBody {
    /// Why the decision is undone (required).
    reason: String,
}

/// Undoes a decision: the link is open again, and a prior beneficiary's exclusion lifts until
/// it is decided anew.
#[utoipa::path(post, path = "/person-links/{id}/reopen", tag = "persons", params(("id" = Uuid, Path)),
    request_body = ReopenBody,
    responses((status = 200, body = PersonLinkDto), (status = 403, description = "programme managers only"),
        (status = 404, description = "no such link"), (status = 409, description = "open already"),
        (status = 422, description = "no reason given")))]
pub async fn reopen_link(
    State(state): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<ReopenBody>,
) -> Result<Json<PersonLinkDto>, ApiError> {
    let id = id(&raw, &a)?;
    state
        .app
        .reopen_link(&a.actor, id, &b.reason)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(current(&state, &a, id).await?))
}
