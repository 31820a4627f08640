//! Who is asking, in which language: read once per request from cookies and headers.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use retour_app::sessions::Session;
use retour_i18n::Lang;

use crate::error::PageError;
use crate::AppState;

pub const SESSION_COOKIE: &str = "retour_session";
pub const LANG_COOKIE: &str = "retour_lang";
pub const LOGIN_CSRF_COOKIE: &str = "retour_login";
/// A sign-in between the password and the second factor (see `retour_app::mfa`).
pub const PENDING_COOKIE: &str = "retour_pending";

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Lax always, Secure when served over TLS.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if state.secure_cookies {
        c.push_str("; Secure");
    }
    c
}

/// The language of a request: the signed-in user's setting, else the switch's cookie, else
/// `Accept-Language`, else Dutch.
pub fn lang_of(headers: &HeaderMap, session: Option<&Session>) -> Lang {
    session
        .and_then(|s| Lang::parse(&s.user.locale))
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(|c| Lang::parse(&c)))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// Any visitor: maybe signed in.
pub struct Ctx {
    pub lang: Lang,
    pub session: Option<Session>,
    pub token: Option<String>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()));
        let session = match &token {
            Some(t) => state
                .app
                .session(t)
                .await
                .map_err(|e| PageError::app(e, lang_of(&parts.headers, None)))?,
            None => None,
        };
        let lang = lang_of(&parts.headers, session.as_ref());
        Ok(Ctx {
            lang,
            session,
            token,
        })
    }
}

/// A signed-in staff member; anyone else is sent to the sign-in page.
pub struct Signed {
    pub lang: Lang,
    pub session: Session,
    /// The session cookie's secret (to keep this session when the password changes).
    pub token: String,
    /// Every office, to show offices by name.
    pub offices: std::sync::Arc<retour_app::offices::Offices>,
}

impl Signed {
    /// The frame of a page for this reader.
    pub fn layout(&self) -> crate::layout::Layout {
        let mut l = crate::layout::Layout::signed(self.lang, &self.session);
        l.offices = self.offices.clone();
        l
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match (ctx.session, ctx.token) {
            (Some(session), Some(token)) => Ok(Signed {
                offices: state
                    .app
                    .offices()
                    .await
                    .map_err(|e| PageError::app(e, ctx.lang))?,
                lang: ctx.lang,
                session,
                token,
            }),
            _ => Err(PageError::SignIn),
        }
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
