//! Consent and partner assignment.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{id, ApiActor, JsonBody};
use crate::error::ApiError;
use crate::AppState;

#[derive(Deserialize, ToSchema)]
pub struct ConsentBody {
    /// The adult member who consents.
    person_id: Uuid,
    /// `reintegration` or `partner_transfer`.
    #[schema(value_type = retour_domain::plan::ConsentPurpose)]
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
