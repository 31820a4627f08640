//! Delivery: arrival, payments with proofs, proof downloads.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{cents, id, ApiActor, ApiMultipart, JsonBody};
use crate::error::ApiError;
use crate::AppState;

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
    ApiMultipart(m): ApiMultipart,
) -> Result<Response, ApiError> {
    let id = id(&raw, &a)?;
    let (input, proof, _) = crate::pages::read_spending(m, retour_domain::NumberStyle::Plain)
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
    responses((status = 200, description = "the file, as the type checked when it was uploaded", content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))), (status = 404, description = "unknown, or its case is outside the caller's scope"), (status = 422, description = "the file was deleted at the end of its retention period")))]
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
