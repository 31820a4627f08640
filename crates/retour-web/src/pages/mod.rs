//! The staff pages. Every page renders in the reader's language; every form carries a CSRF token.

mod admin;
mod auth;
mod cases;
mod children;
mod entitlement;
mod home;
mod public;
mod search;
mod workbook;

pub(crate) use cases::transition_request;

use axum::extract::DefaultBodyLimit;
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
        .route("/cases/{id}/children", get(children::show))
        .route("/cases/{id}/best-interests", post(children::best_interests))
        .route("/cases/{id}/guardian", post(children::guardian))
        .route(
            "/cases/{id}/reception-check",
            post(children::reception_check),
        )
        .route("/cases/{id}/workbook-consent", post(children::consent))
        .route("/cases/{id}/workbook", post(children::hand_out))
        .route("/workbook/orders", get(workbook::orders))
        .route("/workbook/orders/{id}/ship", post(workbook::ship))
        .route("/workbook/orders/{id}/reject", post(workbook::reject))
        .route(
            "/workbook/stock",
            get(workbook::stock).post(workbook::change_stock),
        )
        .merge(public_router())
}

/// The pages anyone may use without signing in, with a small body limit.
fn public_router() -> Router<AppState> {
    Router::new()
        .route("/public", get(public::about))
        .route(
            "/public/estimate",
            get(public::estimate_form).post(public::estimate),
        )
        .route(
            "/public/workbook/order",
            get(public::order_form).post(public::order),
        )
        .layer(DefaultBodyLimit::max(public::MAX_PUBLIC_BODY))
}

/// Parses a path id; anything else is a plain not-found.
pub(crate) fn parse_id(
    id: &str,
    lang: retour_i18n::Lang,
) -> Result<uuid::Uuid, crate::error::PageError> {
    uuid::Uuid::parse_str(id).map_err(|_| crate::error::PageError::NotFound(lang))
}
