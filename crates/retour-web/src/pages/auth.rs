//! Sign-in, sign-out and the language switch.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use retour_app::crypto::new_secret;
use retour_app::sessions::{SignInError, SignInErrorOr};
use serde::Deserialize;

use crate::ctx::{
    constant_time_eq, cookie, lang_of, set_cookie, Ctx, LANG_COOKIE, LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
};
use crate::error::PageError;
use crate::layout::Layout;
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    l: Layout,
    email: String,
    error: Option<String>,
}

pub async fn login_page(State(state): State<AppState>, ctx: Ctx) -> Response {
    if ctx.session.is_some() {
        return Redirect::to("/home").into_response();
    }
    let token = new_secret();
    let mut l = Layout::anonymous(ctx.lang);
    l.csrf = token.clone();
    let page = LoginPage {
        l,
        email: String::new(),
        error: None,
    };
    (
        [(
            header::SET_COOKIE,
            set_cookie(&state, LOGIN_CSRF_COOKIE, &token, Some(3600)),
        )],
        page,
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let lang = lang_of(&headers, None);
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf.as_bytes()) {
        return Err(PageError::Csrf(lang));
    }
    match state
        .app
        .sign_in(&form.email, &form.password, peer.ip())
        .await
    {
        Ok(new) => {
            let mut h = HeaderMap::new();
            h.append(
                header::SET_COOKIE,
                set_cookie(&state, SESSION_COOKIE, &new.token, None)
                    .parse()
                    .expect("ascii cookie"),
            );
            h.append(
                header::SET_COOKIE,
                set_cookie(&state, LOGIN_CSRF_COOKIE, "", Some(0))
                    .parse()
                    .expect("ascii cookie"),
            );
            Ok((StatusCode::SEE_OTHER, h, [(header::LOCATION, "/home")]).into_response())
        }
        Err(SignInErrorOr::SignIn(e)) => {
            let (status, key) = match e {
                SignInError::Refused => (StatusCode::UNAUTHORIZED, "login-refused"),
                SignInError::Throttled => (StatusCode::TOO_MANY_REQUESTS, "login-throttled"),
            };
            let mut l = Layout::anonymous(lang);
            l.csrf = expected;
            let page = LoginPage {
                l,
                email: form.email,
                error: Some(lang.t(key)),
            };
            Ok((status, page).into_response())
        }
        Err(SignInErrorOr::App(e)) => Err(PageError::app(e, lang)),
    }
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    if let (Some(_), Some(token)) = (&ctx.session, &ctx.token) {
        state
            .app
            .sign_out(token)
            .await
            .map_err(|e| PageError::app(e, ctx.lang))?;
    }
    Ok((
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                set_cookie(&state, SESSION_COOKIE, "", Some(0)),
            ),
            (header::LOCATION, "/login".to_string()),
        ],
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

/// Sets the language: the user's setting when signed in, a cookie otherwise; then back to the page.
pub async fn language(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LanguageForm>,
) -> Result<Response, PageError> {
    let Some(lang) = retour_i18n::Lang::parse(&form.lang) else {
        return Err(PageError::App(
            retour_app::AppError::Invalid(
                retour_domain::ValidationError::new(retour_domain::Invalid::UnknownValue {
                    value: form.lang.clone(),
                })
                .at("lang")
                .into(),
            ),
            ctx.lang,
        ));
    };
    if let (Some(_), Some(token)) = (&ctx.session, &ctx.token) {
        state
            .app
            .set_locale(token, lang.code())
            .await
            .map_err(|e| PageError::app(e, ctx.lang))?;
    }
    let back = local_path(&form.back).unwrap_or("/").to_string();
    Ok((
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                set_cookie(&state, LANG_COOKIE, lang.code(), Some(365 * 24 * 3600)),
            ),
            (header::LOCATION, back),
        ],
    )
        .into_response())
}

/// `target` when it is a path on this site, never another host. Browsers drop tabs and line
/// breaks from addresses and read `\\` as `/`, so `/\t/evil.example` would lead away: only
/// visible ASCII without backslashes is accepted, starting with one slash.
pub(crate) fn local_path(target: &str) -> Option<&str> {
    let visible = target.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    (visible && target.starts_with('/') && !target.starts_with("//")).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert_eq!(local_path("/cases/1?x=2"), Some("/cases/1?x=2"));
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/\u{0}x",
            "",
            "/ /evil",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
