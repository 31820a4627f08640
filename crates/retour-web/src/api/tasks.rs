//! The caller's open tasks.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{ApiActor, ApiQuery};
use crate::error::ApiError;
use crate::AppState;

#[derive(Serialize, ToSchema)]
pub struct TaskDto {
    id: Uuid,
    case_id: Uuid,
    reference: String,
    /// `plan_not_submitted`, `appointment_missed`, `deadline_soon`, `entitlement_changed`,
    /// `followup_due` or `case_quiet`.
    #[schema(value_type = retour_domain::plan::TaskKind)]
    kind: String,
    due_on: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// The last task id of the previous page.
    after: Option<Uuid>,
}

/// The caller's open tasks, 50 per page, keyset-paginated with `after`.
#[utoipa::path(get, path = "/tasks", tag = "tasks", params(TaskQuery), responses((status = 200, body = Vec<TaskDto>)))]
pub async fn list_tasks(
    State(state): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<TaskQuery>,
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
