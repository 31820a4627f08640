//! The staff pages. Every page renders in the reader's language; every form carries a CSRF token.

mod account;
mod admin;
mod audit;
mod auth;
mod break_glass;
mod cases;
mod children;
mod delivery;
mod entitlement;
mod home;
mod monitoring;
mod offices;
mod partners;
mod plan;
mod public;
mod reviews;
mod search;
mod subject;
mod workbook;

pub(crate) use delivery::{proof_response, read_spending};

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::root))
        .route("/healthz", get(home::healthz))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/login/code", get(auth::code_page).post(auth::code))
        .route("/login/enrol", get(auth::enrol_page).post(auth::enrol))
        .route("/logout", post(auth::logout))
        .route("/language", post(auth::language))
        .route("/home", get(home::home))
        .route("/queues/{queue}", get(home::queue))
        .route("/search", get(search::page).post(search::search))
        .route("/cases/new", get(cases::new_page))
        .route("/cases", post(cases::create))
        .route("/cases/{id}", get(cases::show))
        .route(
            "/cases/{id}/edit",
            get(cases::edit_page).post(cases::update),
        )
        .route("/cases/{id}/transition", post(cases::transition))
        .route("/cases/{id}/booking", post(cases::change_booking))
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
        .route(
            "/cases/{id}/medical-needs/{need}",
            post(entitlement::correct_medical_need),
        )
        .route(
            "/cases/{id}/vulnerabilities/{vulnerability}",
            post(entitlement::withdraw_vulnerability),
        )
        .route("/cases/{id}/premium", post(entitlement::record_premium))
        .route(
            "/cases/{id}/entitlement/changes/{review}",
            post(entitlement::decide_change),
        )
        .route("/cases/{id}/plan", get(plan::show))
        .route("/cases/{id}/plan/lines", post(plan::add_line))
        .route(
            "/cases/{id}/plan/lines/{line}/amount",
            post(plan::change_amount),
        )
        .route(
            "/cases/{id}/plan/lines/{line}/remove",
            post(plan::remove_line),
        )
        .route("/cases/{id}/plan/{action}", post(plan::act))
        .route("/cases/{id}/sharing", get(plan::sharing))
        .route("/cases/{id}/consents", post(plan::add_consent))
        .route(
            "/cases/{id}/consents/{consent}/withdraw",
            post(plan::withdraw_consent),
        )
        .route("/cases/{id}/partner", post(plan::assign))
        .route("/cases/{id}/delivery", get(delivery::show))
        .route("/cases/{id}/arrival", post(delivery::arrival))
        .route(
            "/cases/{id}/spendings",
            post(delivery::add_spending).layer(axum::extract::DefaultBodyLimit::max(
                retour_app::files::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        )
        .route("/cases/{id}/checklist", post(delivery::checklist))
        .route("/cases/{id}/appointments", post(delivery::schedule))
        .route(
            "/cases/{id}/appointments/{appointment}",
            post(delivery::appointment),
        )
        .route("/cases/{id}/final-report", post(delivery::final_report))
        .route("/cases/{id}/monitoring", get(monitoring::show))
        .route("/cases/{id}/followups", post(monitoring::record))
        .route(
            "/cases/{id}/appointments/{appointment}/correct",
            post(delivery::correct_appointment),
        )
        .route(
            "/cases/{id}/spendings/{payment}/withdraw",
            post(delivery::withdraw_payment),
        )
        .route("/documents/{id}", get(delivery::document))
        .route("/tasks", get(delivery::tasks))
        .route("/reviews/persons", get(reviews::list))
        .route("/reviews/persons/{id}", post(reviews::decide))
        .route("/reviews/persons/{id}/reopen", post(reviews::reopen))
        .route("/tasks/{id}/done", post(delivery::task_done))
        .route(
            "/admin/partners",
            get(partners::list).post(partners::create),
        )
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/offices", get(offices::list).post(offices::create))
        .route("/admin/offices/{id}", post(offices::rename))
        .route("/audit", get(audit::page).post(audit::filter))
        .route("/admin/users/{id}/active", post(admin::set_active))
        .route(
            "/admin/users/{id}",
            get(admin::user).post(admin::update_user),
        )
        .route("/admin/users/{id}/reset-link", post(admin::reset_link))
        .route(
            "/admin/users/{id}/second-factor/reset",
            post(admin::reset_second_factor),
        )
        .route("/persons/{id}/export", get(subject::page))
        .route("/persons/{id}/export/json", get(subject::json))
        .route(
            "/break-glass",
            get(break_glass::form).post(break_glass::open),
        )
        .route("/cases/{id}/break-glass", get(break_glass::on_case))
        .route("/audit/break-glass", get(break_glass::all))
        .route("/account", get(account::show))
        .route("/account/password", post(account::change_password))
        .route(
            "/account/second-factor",
            get(account::second_factor_page).post(account::second_factor),
        )
        .route("/reset", get(account::reset_page).post(account::reset))
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

/// After a form: on success, see `to`; on refused input, the page again (422, or 409 for a
/// duplicate or a conflict) with the problems shown in the reader's language. `duplicate` is the
/// message key for a record that exists already (`error-duplicate` unless the page says better).
/// Names the fields of refused input after the record a per-row form changes (`{id}.reason`),
/// so that a page with one such form per row shows the message beside the right one.
pub(crate) fn for_row<T>(
    id: uuid::Uuid,
    r: Result<T, retour_app::AppError>,
) -> Result<T, retour_app::AppError> {
    r.map_err(|e| match e {
        retour_app::AppError::Invalid(mut errs) => {
            for e in &mut errs.0 {
                e.field = Some(format!("{id}.{}", e.field.as_deref().unwrap_or("reason")));
            }
            retour_app::AppError::Invalid(errs)
        }
        other => other,
    })
}

pub(crate) async fn after_form<P, F, Fut>(
    s: &crate::ctx::Signed,
    result: Result<(), retour_app::AppError>,
    to: String,
    duplicate: &'static str,
    page: F,
) -> Result<axum::response::Response, crate::error::PageError>
where
    P: axum::response::IntoResponse,
    F: FnOnce(crate::layout::FieldErrors) -> Fut,
    Fut: std::future::Future<Output = Result<P, crate::error::PageError>>,
{
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    use retour_app::AppError;
    let (status, errors) = match result {
        Ok(()) => return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()),
        Err(AppError::Invalid(errs)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::layout::FieldErrors::from_validation(&errs, s.lang),
        ),
        Err(e @ (AppError::Duplicate(_) | AppError::Conflict { .. })) => {
            let mut errors = crate::layout::FieldErrors::default();
            errors.general.push(s.lang.t(match e {
                AppError::Duplicate(_) => duplicate,
                _ => "error-conflict",
            }));
            (StatusCode::CONFLICT, errors)
        }
        Err(e) => return Err(crate::error::PageError::app(e, s.lang)),
    };
    Ok((status, page(errors).await?).into_response())
}
