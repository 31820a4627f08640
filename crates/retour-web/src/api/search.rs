//! Finding cases by reference or name.

use axum::extract::State;
use axum::Json;
use retour_app::search::SearchInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{ApiActor, JsonBody};
use crate::error::ApiError;
use crate::AppState;

#[derive(Deserialize, ToSchema)]
pub struct SearchBody {
    /// A case reference, or a name in any spelling.
    q: String,
    birth_year: Option<String>,
    nationality: Option<String>,
    /// The `next` of the previous page of a name search, to read the page after it.
    after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHitDto {
    case_id: Uuid,
    reference: String,
    #[schema(value_type = retour_domain::Status)]
    status: String,
    destination_country: String,
    family_name: String,
    given_names: String,
    #[schema(value_type = retour_domain::Relationship)]
    relationship: String,
    birth: String,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResultDto {
    hits: Vec<SearchHitDto>,
    /// More matched than were returned (at most 50 per page): refine the search, or read on.
    truncated: bool,
    /// Pass as `after` for the next page of a name search; absent on the last page.
    next: Option<String>,
}

/// Find cases by reference or name (any spelling), within the caller's scope. Terms travel in the body, never the URL.
#[utoipa::path(post, path = "/search", tag = "search", request_body = SearchBody, responses((status = 200, body = SearchResultDto), (status = 422)))]
pub async fn search(
    State(state): State<AppState>,
    a: ApiActor,
    JsonBody(b): JsonBody<SearchBody>,
) -> Result<Json<SearchResultDto>, ApiError> {
    let r = state
        .app
        .search(
            &a.actor,
            &SearchInput {
                q: b.q,
                birth_year: b.birth_year,
                nationality: b.nationality,
                after: b.after,
            },
        )
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(SearchResultDto {
        truncated: r.truncated,
        next: r.next,
        hits: r
            .hits
            .into_iter()
            .map(|h| SearchHitDto {
                case_id: h.case_id,
                reference: h.reference,
                status: h.status,
                destination_country: h.destination_country,
                family_name: h.family_name,
                given_names: h.given_names,
                relationship: h.relationship,
                birth: h.birth.map(|b| b.to_string()).unwrap_or_default(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchParams {
    /// Most candidates returned (1–100, default 10).
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct MatchCandidateDto {
    person_id: Uuid,
    case_id: Uuid,
    case_reference: String,
    family_name: String,
    given_names: String,
    /// As far as known: `1984`, `1984-05` or `1984-05-11`.
    birth_date: String,
    /// 0–1; from 0.8 on a likely match.
    score: f64,
    reasons: Vec<retour_domain::names::matching::Reason>,
}

#[derive(Serialize, ToSchema)]
pub struct MatchResultDto {
    candidates: Vec<MatchCandidateDto>,
    /// Some name had more persons than were read: add the birth date.
    truncated: bool,
}

/// Stored persons who may be the one described (any spelling or script; partial birth dates), within the caller's scope, best first.
#[utoipa::path(post, path = "/persons/matches", tag = "search", params(MatchParams),
    request_body = retour_domain::names::matching::MatchInput,
    responses((status = 200, body = MatchResultDto), (status = 422)))]
pub async fn matches(
    State(state): State<AppState>,
    a: ApiActor,
    super::extract::ApiQuery(p): super::extract::ApiQuery<MatchParams>,
    JsonBody(b): JsonBody<retour_domain::names::matching::MatchInput>,
) -> Result<Json<MatchResultDto>, ApiError> {
    let limit = p.limit.unwrap_or(10) as usize;
    let r = state
        .app
        .match_persons(Some(&a.actor), &b, limit)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(MatchResultDto {
        truncated: r.truncated,
        candidates: r
            .candidates
            .into_iter()
            .map(|c| MatchCandidateDto {
                person_id: c.person_id,
                case_id: c.case_id,
                case_reference: c.case_reference,
                family_name: c.family_name,
                given_names: c.given_names,
                birth_date: c.birth_date,
                score: c.score,
                reasons: c.reasons,
            })
            .collect(),
    }))
}
