//! The audit trail for auditors' tools.

use axum::extract::State;
use axum::Json;
use retour_app::audit::{AuditEntry, AuditFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{ApiActor, ApiQuery};
use crate::error::ApiError;
use crate::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// A case reference (`R-2026-000123`).
    case: Option<String>,
    /// The id of the person who acted.
    actor: Option<Uuid>,
    /// An action, such as `case.transition` or `sensitive.read`.
    action: Option<String>,
    /// First day, `YYYY-MM-DD`.
    from: Option<String>,
    /// Last day, `YYYY-MM-DD`, inclusive.
    to: Option<String>,
    /// The `next` of the previous page.
    before: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditRecordDto {
    id: Uuid,
    /// RFC 3339, UTC.
    at: String,
    actor_id: Option<Uuid>,
    actor_name: Option<String>,
    action: String,
    case_id: Option<Uuid>,
    case_reference: Option<String>,
    detail: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPageDto {
    records: Vec<AuditRecordDto>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    next: Option<Uuid>,
}

fn dto(e: AuditEntry) -> AuditRecordDto {
    AuditRecordDto {
        id: e.id,
        at: e
            .at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        actor_id: e.actor_id,
        actor_name: e.actor_name,
        action: e.action,
        case_id: e.case_id,
        case_reference: e.case_reference,
        detail: e.detail,
    }
}

/// The audit trail, newest first, 100 records a page (auditors).
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = AuditPageDto)))]
pub async fn list_audit(
    State(state): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<AuditParams>,
) -> Result<Json<AuditPageDto>, ApiError> {
    let filter = AuditFilter {
        case_reference: q.case,
        actor_email: None,
        actor_id: q.actor,
        action: q.action,
        from: q.from,
        to: q.to,
    };
    let page = state
        .app
        .audit(Some(&a.actor), &filter, q.before, 100)
        .await
        .map_err(|e| ApiError::from_app(e, a.lang))?;
    Ok(Json(AuditPageDto {
        next: page.next.and_then(|n| Uuid::parse_str(&n).ok()),
        records: page.items.into_iter().map(dto).collect(),
    }))
}
