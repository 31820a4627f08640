//! Non-binding quotes.

use axum::extract::State;
use axum::Json;

use super::extract::{ApiActor, JsonBody};
use crate::error::ApiError;
use crate::AppState;

/// A non-binding quote: what the household could receive under the policy in force on its
/// application date, every amount with the rule that produced it. Stores nothing.
/// The body and the answer follow the contract in `docs/policy.md` (the same as `retour quote`).
#[utoipa::path(post, path = "/quotes", tag = "quotes", request_body(content = Object, description = "household: application_date, planned_departure_date, destination, members"),
    responses((status = 200, body = Object, description = "the quote"), (status = 422, description = "invalid household, every problem listed")))]
pub async fn create_quote(
    State(state): State<AppState>,
    a: ApiActor,
    JsonBody(input): JsonBody<retour_domain::quote::QuoteInput>,
) -> Result<Json<retour_domain::quote::Quote>, ApiError> {
    Ok(Json(
        state
            .app
            .quote(&a.actor, &input)
            .await
            .map_err(|e| ApiError::from_app(e, a.lang))?,
    ))
}
