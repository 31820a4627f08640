//! Cross-site request forgery, refused by construction: every state-changing request to the
//! pages passes here before any handler runs, so no handler can forget the check.
//!
//! 1. A request a browser marks as coming from another site (`Sec-Fetch-Site`, or an `Origin`
//!    that is not this host) is refused before its body is read.
//! 2. A signed-in browser must present its session's token: in the `X-CSRF-Token` header, the
//!    `_csrf` query parameter (file uploads put it in the form's action, so the check needs no
//!    upload to be read), or the `_csrf` field of a URL-encoded form (small bodies only).
//!
//! The JSON API authenticates with bearer tokens a browser never sends on its own, so it needs
//! none of this. Anonymous forms (sign-in, the public order form) carry a double-submit cookie
//! their handlers check.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ctx::{constant_time_eq, cookie, lang_of, SESSION_COOKIE};
use crate::error::PageError;
use crate::AppState;

/// The largest URL-encoded form a page posts (a household of 30 members is about 10 KiB).
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// Whether the browser says the request comes from another site.
fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => false,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
            origin == "null" || origin_host != host
        }
    }
}

fn token_in_query(query: Option<&str>) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query?)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v)
}

pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let lang = lang_of(req.headers(), None);
    if cross_site(req.headers()) {
        return PageError::Csrf(lang).into_response();
    }
    // Sign-in and the public forms have their own double-submit token (the session's is not
    // known yet, or not the point: a signed-in visitor may use the public pages too).
    let path = req.uri().path();
    if path == "/login" || path.starts_with("/login/") || path.starts_with("/public/") {
        return next.run(req).await;
    }
    let session = match cookie(req.headers(), SESSION_COOKIE) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => {
            match state.app.session(&t).await {
                Ok(s) => s,
                Err(e) => return PageError::app(e, lang).into_response(),
            }
        }
        _ => None,
    };
    let Some(session) = session else {
        return next.run(req).await;
    };
    let lang = lang_of(req.headers(), Some(&session));
    let presented = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| token_in_query(req.uri().query()));
    let req = match presented {
        Some(t) => {
            if !constant_time_eq(t.as_bytes(), session.csrf.as_bytes()) {
                return PageError::Csrf(lang).into_response();
            }
            req
        }
        None => {
            let urlencoded = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
            if !urlencoded {
                return PageError::Csrf(lang).into_response();
            }
            let (parts, body) = req.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
                return (StatusCode::PAYLOAD_TOO_LARGE, PageError::TooLarge(lang)).into_response();
            };
            let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .ok()
                .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "_csrf"))
                .map(|(_, v)| v)
                .unwrap_or_default();
            if token.is_empty() || !constant_time_eq(token.as_bytes(), session.csrf.as_bytes()) {
                return PageError::Csrf(lang).into_response();
            }
            Request::from_parts(parts, Body::from(bytes))
        }
    };
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_from_other_sites_are_recognised() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "retour.example".parse().unwrap());
        assert!(!cross_site(&h), "no browser marks: the token decides");
        h.insert(header::ORIGIN, "https://retour.example".parse().unwrap());
        assert!(!cross_site(&h));
        h.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(cross_site(&h));
        h.insert(header::ORIGIN, "null".parse().unwrap());
        assert!(cross_site(&h));
        h.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(!cross_site(&h), "the browser's own mark wins");
        h.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(cross_site(&h));
        h.insert("sec-fetch-site", "same-site".parse().unwrap());
        assert!(cross_site(&h));
        assert_eq!(
            token_in_query(Some("a=1&_csrf=abc")).as_deref(),
            Some("abc")
        );
    }
}
