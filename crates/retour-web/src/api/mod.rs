//! The JSON API under `/api/v1`: the same use cases as the pages, for other systems.
//! Authenticated with personal tokens (`Authorization: Bearer …`); errors are
//! `application/problem+json`; the OpenAPI 3.1 document is generated from these handlers.

mod audit;
mod cases;
mod contract;
mod delivery;
mod extract;
mod links;
mod monitoring;
mod plans;
mod quotes;
mod search;
mod sharing;
mod tasks;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Retour API", description = "Case management for assisted voluntary return and reintegration.", license(name = "AGPL-3.0-or-later")),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(cases::create_case))
        .routes(routes!(cases::get_case, cases::update_case))
        .routes(routes!(cases::list_members))
        .routes(routes!(cases::list_transitions, cases::create_transition))
        .routes(routes!(search::search))
        .routes(routes!(search::matches))
        .routes(routes!(links::list_links))
        .routes(routes!(links::decide_link))
        .routes(routes!(links::reopen_link))
        .routes(routes!(quotes::create_quote))
        .routes(routes!(plans::get_plan))
        .routes(routes!(plans::add_plan_line))
        .routes(routes!(plans::plan_action))
        .routes(routes!(sharing::add_consent))
        .routes(routes!(sharing::assign_partner))
        .routes(routes!(delivery::confirm_arrival))
        .merge(
            // Proof uploads are the only large bodies the API takes.
            OpenApiRouter::new()
                .routes(routes!(delivery::list_spendings, delivery::add_spending))
                .layer(DefaultBodyLimit::max(
                    retour_app::files::MAX_UPLOAD_BYTES + 64 * 1024,
                )),
        )
        .routes(routes!(delivery::get_document))
        .routes(routes!(
            monitoring::list_followups,
            monitoring::create_followup
        ))
        .routes(routes!(monitoring::list_surveys, monitoring::create_survey))
        .routes(routes!(tasks::list_tasks))
        .routes(routes!(audit::list_audit))
}

/// Every JSON body is far smaller than this; a larger one is refused with 413 unread.
const MAX_JSON_BYTES: usize = 1024 * 1024;

pub fn router() -> Router<AppState> {
    let (router, _) = api_router().split_for_parts();
    let router = router
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    // Built once at start-up; every request serves the same text.
    let json = openapi_json();
    router.route(
        "/openapi.json",
        axum::routing::get(
            move || async move { ([(header::CONTENT_TYPE, "application/json")], json) },
        ),
    )
}

/// An address under `/api/v1` that names no resource: a problem document, like every error.
async fn not_found(headers: HeaderMap) -> ApiError {
    ApiError::from_app(
        retour_app::AppError::NotFound,
        extract::request_lang(&headers),
    )
}

async fn method_not_allowed(headers: HeaderMap) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        extract::request_lang(&headers),
        "error-method-not-allowed",
        &[],
    )
}

fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = api_router().split_for_parts();
    // After the routes are in: the modifiers of `ApiDoc` see only the empty base document.
    contract::Contract.modify(&mut doc);
    doc.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    doc
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi_json() -> String {
    openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
}

/// The interactive reference at `/api/docs`, from vendored assets. Swagger UI needs inline styles.
pub fn docs_router() -> Router<AppState> {
    Router::new()
        .merge(utoipa_swagger_ui::SwaggerUi::new("/api/docs").url("/api/docs/openapi.json", openapi()))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"),
        ))
}
