//! The staff pages. Every page renders in the reader's language; every form carries a CSRF token.

mod admin;
mod auth;
mod cases;
mod entitlement;
mod home;
mod search;

pub(crate) use cases::transition_request;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::root))
        .route("/healthz", get(home::healthz))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/language", post(auth::language))
        .route("/home", get(home::home))
        .route("/search", get(search::page).post(search::search))
        .route("/cases/new", get(cases::new_page))
        .route("/cases", post(cases::create))
        .route("/cases/{id}", get(cases::show))
        .route(
            "/cases/{id}/edit",
            get(cases::edit_page).post(cases::update),
        )
        .route("/cases/{id}/transition", post(cases::transition))
        .route("/cases/{id}/notes", post(cases::add_note))
        .route("/cases/{id}/entitlement", get(entitlement::show))
        .route(
            "/cases/{id}/vulnerabilities",
            post(entitlement::add_vulnerability),
        )
        .route(
            "/cases/{id}/medical-needs",
            post(entitlement::add_medical_need),
        )
        .route("/cases/{id}/premium", post(entitlement::record_premium))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/{id}/active", post(admin::set_active))
}

/// Parses a path id; anything else is a plain not-found.
pub(crate) fn parse_id(
    id: &str,
    lang: retour_i18n::Lang,
) -> Result<uuid::Uuid, crate::error::PageError> {
    uuid::Uuid::parse_str(id).map_err(|_| crate::error::PageError::NotFound(lang))
}
