//! Sign-in (the password, then a second factor when the account has or needs one), sign-out
//! and the language switch.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use retour_app::crypto::new_secret;
use retour_app::mfa::SignInStep;
use retour_app::sessions::{NewSession, SignInError, SignInErrorOr};
use serde::Deserialize;

use crate::ctx::{
    constant_time_eq, cookie, lang_of, set_cookie, Ctx, LANG_COOKIE, LOGIN_CSRF_COOKIE,
    PENDING_COOKIE, SESSION_COOKIE,
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
        Ok(SignInStep::Done(new)) => Ok(signed_in(&state, &new, "/home")),
        // The password was right; the second step has its own page, reached with a short-lived
        // pending secret in a cookie (never in the address).
        Ok(SignInStep::SecondFactor { pending }) => {
            Ok(pending_step(&state, &pending, "/login/code"))
        }
        Ok(SignInStep::Enrol { pending }) => Ok(pending_step(&state, &pending, "/login/enrol")),
        Err(SignInErrorOr::SignIn(e)) => {
            let mut l = Layout::anonymous(lang);
            l.csrf = expected;
            let page = LoginPage {
                l,
                email: form.email,
                error: Some(lang.t(refusal_key(&e))),
            };
            Ok((refusal_status(&e), page).into_response())
        }
        Err(SignInErrorOr::App(e)) => Err(PageError::app(e, lang)),
    }
}

fn refusal_key(e: &SignInError) -> &'static str {
    match e {
        SignInError::Refused => "login-refused",
        SignInError::Throttled => "login-throttled",
        SignInError::Expired => "login-expired",
    }
}

fn refusal_status(e: &SignInError) -> StatusCode {
    match e {
        SignInError::Refused => StatusCode::UNAUTHORIZED,
        SignInError::Throttled => StatusCode::TOO_MANY_REQUESTS,
        SignInError::Expired => StatusCode::UNAUTHORIZED,
    }
}

/// The response that completes a sign-in: the session cookie, the sign-in cookies cleared,
/// and on to `to`.
fn signed_in(state: &AppState, new: &NewSession, to: &str) -> Response {
    let mut h = HeaderMap::new();
    for c in [
        set_cookie(state, SESSION_COOKIE, &new.token, None),
        set_cookie(state, LOGIN_CSRF_COOKIE, "", Some(0)),
        set_cookie(state, PENDING_COOKIE, "", Some(0)),
    ] {
        h.append(header::SET_COOKIE, c.parse().expect("ascii cookie"));
    }
    (
        StatusCode::SEE_OTHER,
        h,
        [(header::LOCATION, to.to_string())],
    )
        .into_response()
}

fn pending_step(state: &AppState, pending: &str, to: &str) -> Response {
    let age = retour_app::mfa::PENDING_FOR.as_secs() as i64;
    (
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                set_cookie(state, PENDING_COOKIE, pending, Some(age)),
            ),
            (header::LOCATION, to.to_string()),
        ],
    )
        .into_response()
}

/// The second step's page: a code from the app, or a recovery code.
#[derive(Template, WebTemplate)]
#[template(path = "login_code.html")]
pub struct CodePage {
    l: Layout,
    error: Option<String>,
}

/// Setting up the second factor: the QR code, the secret as text, and the first code.
#[derive(Template, WebTemplate)]
#[template(path = "login_enrol.html")]
pub struct EnrolPage {
    pub(crate) l: Layout,
    pub(crate) enrolment: retour_app::mfa::Enrolment,
    /// Where the form posts (the sign-in's step, or the account page's set-up).
    pub(crate) action: &'static str,
    pub(crate) error: Option<String>,
}

/// The recovery codes, shown once.
#[derive(Template, WebTemplate)]
#[template(path = "recovery_codes.html")]
pub struct RecoveryPage {
    pub l: Layout,
    pub codes: Vec<String>,
    pub next: &'static str,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// The pending sign-in of this browser and its sign-in form token; `None` sends it back to the
/// password.
fn pending_of(headers: &HeaderMap) -> Option<(String, String)> {
    let pending = cookie(headers, PENDING_COOKIE).filter(|p| !p.is_empty())?;
    let csrf = cookie(headers, LOGIN_CSRF_COOKIE).filter(|c| !c.is_empty())?;
    Some((pending, csrf))
}

fn anonymous(lang: retour_i18n::Lang, csrf: String) -> Layout {
    let mut l = Layout::anonymous(lang);
    l.csrf = csrf;
    l
}

pub async fn code_page(headers: HeaderMap) -> Response {
    let lang = lang_of(&headers, None);
    match pending_of(&headers) {
        Some((_, csrf)) => CodePage {
            l: anonymous(lang, csrf),
            error: None,
        }
        .into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

pub async fn code(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, PageError> {
    let lang = lang_of(&headers, None);
    let Some((pending, csrf)) = pending_of(&headers) else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !constant_time_eq(csrf.as_bytes(), form.csrf.as_bytes()) {
        return Err(PageError::Csrf(lang));
    }
    match state
        .app
        .second_factor(&pending, &form.code, peer.ip())
        .await
    {
        Ok(new) => Ok(signed_in(&state, &new, "/home")),
        Err(SignInErrorOr::SignIn(SignInError::Expired)) => Ok(expired(lang, csrf)),
        Err(SignInErrorOr::SignIn(e)) => {
            let key = match e {
                SignInError::Refused => "mfa-code-refused",
                _ => refusal_key(&e),
            };
            let page = CodePage {
                l: anonymous(lang, csrf),
                error: Some(lang.t(key)),
            };
            Ok((refusal_status(&e), page).into_response())
        }
        Err(SignInErrorOr::App(e)) => Err(PageError::app(e, lang)),
    }
}

/// A second step that came too late: back to the password, saying why.
fn expired(lang: retour_i18n::Lang, csrf: String) -> Response {
    let page = LoginPage {
        l: anonymous(lang, csrf),
        email: String::new(),
        error: Some(lang.t("login-expired")),
    };
    (StatusCode::UNAUTHORIZED, page).into_response()
}

pub async fn enrol_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let lang = lang_of(&headers, None);
    let Some((pending, csrf)) = pending_of(&headers) else {
        return Ok(Redirect::to("/login").into_response());
    };
    match state.app.enrolment(&pending).await {
        Ok(enrolment) => Ok(EnrolPage {
            l: anonymous(lang, csrf),
            enrolment,
            action: "/login/enrol",
            error: None,
        }
        .into_response()),
        Err(retour_app::AppError::Unauthenticated) => Ok(expired(lang, csrf)),
        Err(e) => Err(PageError::app(e, lang)),
    }
}

pub async fn enrol(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, PageError> {
    let lang = lang_of(&headers, None);
    let Some((pending, csrf)) = pending_of(&headers) else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !constant_time_eq(csrf.as_bytes(), form.csrf.as_bytes()) {
        return Err(PageError::Csrf(lang));
    }
    match state
        .app
        .confirm_enrolment(&pending, &form.code, peer.ip())
        .await
    {
        Ok((new, codes)) => {
            // Signed in from here; the codes are on this response only.
            let mut h = HeaderMap::new();
            for c in [
                set_cookie(&state, SESSION_COOKIE, &new.token, None),
                set_cookie(&state, LOGIN_CSRF_COOKIE, "", Some(0)),
                set_cookie(&state, PENDING_COOKIE, "", Some(0)),
            ] {
                h.append(header::SET_COOKIE, c.parse().expect("ascii cookie"));
            }
            let user_lang = retour_i18n::Lang::parse(&new.session.user.locale).unwrap_or(lang);
            let page = RecoveryPage {
                l: Layout::signed(user_lang, &new.session),
                codes,
                next: "/home",
            };
            Ok((h, page).into_response())
        }
        Err(SignInErrorOr::SignIn(SignInError::Expired)) => Ok(expired(lang, csrf)),
        Err(SignInErrorOr::SignIn(e)) => {
            let enrolment = match state.app.enrolment(&pending).await {
                Ok(en) => en,
                Err(_) => return Ok(expired(lang, csrf)),
            };
            let key = match e {
                SignInError::Refused => "mfa-code-refused",
                _ => refusal_key(&e),
            };
            let page = EnrolPage {
                l: anonymous(lang, csrf),
                enrolment,
                action: "/login/enrol",
                error: Some(lang.t(key)),
            };
            Ok((refusal_status(&e), page).into_response())
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
