//! Errors as a translated page (for people) or `application/problem+json` (for the API).

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use retour_app::AppError;
use retour_i18n::Lang;

use crate::layout::Layout;

#[derive(Debug)]
pub enum PageError {
    /// Not signed in: go to the sign-in page.
    SignIn,
    Csrf(Lang),
    App(AppError, Lang),
    NotFound(Lang),
    /// The body is larger than this page takes.
    TooLarge(Lang),
}

impl PageError {
    pub fn app(e: AppError, lang: Lang) -> PageError {
        PageError::App(e, lang)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    status: u16,
    message: String,
}

/// Status and catalogue key of an application error.
pub fn status_and_key(e: &AppError) -> (StatusCode, &'static str) {
    match e {
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "error-unauthenticated"),
        AppError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
        AppError::Forbidden => (StatusCode::FORBIDDEN, "error-forbidden"),
        AppError::Conflict { .. } => (StatusCode::CONFLICT, "error-conflict"),
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid"),
        AppError::Duplicate(_) => (StatusCode::CONFLICT, "error-duplicate"),
        AppError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "error-busy"),
        AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "error-internal"),
        AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "error-internal"),
    }
}

/// The message a person reads for an application error, in their language.
pub fn message(e: &AppError, lang: Lang) -> String {
    match e {
        AppError::Invalid(errs) => errs
            .0
            .iter()
            .map(|e| lang.error(e))
            .collect::<Vec<_>>()
            .join(" "),
        other => lang.t(status_and_key(other).1),
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, lang, message) = match self {
            PageError::SignIn => return Redirect::to("/login").into_response(),
            PageError::Csrf(lang) => (StatusCode::FORBIDDEN, lang, lang.t("error-csrf")),
            PageError::NotFound(lang) => (StatusCode::NOT_FOUND, lang, lang.t("error-not-found")),
            PageError::TooLarge(lang) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                lang,
                lang.t("error-too-large"),
            ),
            PageError::App(e, lang) => {
                if let AppError::Internal(detail) = &e {
                    tracing::error!(%detail, "request failed");
                }
                (status_and_key(&e).0, lang, message(&e, lang))
            }
        };
        let page = ErrorPage {
            l: Layout::anonymous(lang),
            status: status.as_u16(),
            message,
        };
        match page.render() {
            Ok(html) => (
                status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html,
            )
                .into_response(),
            Err(_) => (status, message_fallback()).into_response(),
        }
    }
}

fn message_fallback() -> &'static str {
    "Error / Fout / Erreur"
}

/// An API error as RFC 9457 problem details.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub title: String,
    pub detail: String,
    pub errors: Vec<serde_json::Value>,
}

impl ApiError {
    pub fn from_app(e: AppError, lang: Lang) -> ApiError {
        let (status, key) = status_and_key(&e);
        if let AppError::Internal(detail) = &e {
            tracing::error!(%detail, "API request failed");
        }
        let errors = match &e {
            AppError::Invalid(errs) => errs
                .0
                .iter()
                .map(|v| serde_json::json!({"field": v.field, "code": v.code(), "message": lang.error(v)}))
                .collect(),
            _ => Vec::new(),
        };
        ApiError {
            status,
            title: lang.t(key),
            detail: message(&e, lang),
            errors,
        }
    }

    pub fn new(status: StatusCode, lang: Lang, key: &str, args: &[(&str, String)]) -> ApiError {
        let text = lang.t_args(key, args);
        ApiError {
            status,
            title: text.clone(),
            detail: text,
            errors: Vec::new(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({
            "type": "about:blank",
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if !self.errors.is_empty() {
            body["errors"] = serde_json::Value::Array(self.errors);
        }
        (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}
