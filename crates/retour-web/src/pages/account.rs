//! The signed-in user's own account (details, language, password), and the one-time reset
//! link that sets a forgotten password.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use retour_app::{Account, AppError};
use serde::Deserialize;

use crate::ctx::{Ctx, Signed};
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    l: Layout,
    account: Account,
    /// The partner organisation's name, for a partner caseworker.
    partner_name: Option<String>,
    errors: FieldErrors,
    changed: bool,
    second_factor: retour_app::mfa::SecondFactorStatus,
}

#[derive(Deserialize)]
pub struct Changed {
    #[serde(default)]
    changed: Option<String>,
}

async fn account_page(
    state: &AppState,
    s: &Signed,
    errors: FieldErrors,
    changed: bool,
) -> Result<AccountPage, PageError> {
    let account = state
        .app
        .own_account(&s.session.actor)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let partner_name = match &account.partner_org {
        Some(code) => Some(
            state
                .app
                .partner_orgs(None, 1000)
                .await
                .map_err(|e| PageError::app(e, s.lang))?
                .into_iter()
                .find(|p| &p.id == code)
                .map(|p| p.name)
                .unwrap_or_else(|| code.clone()),
        ),
        None => None,
    };
    let second_factor = state
        .app
        .second_factor_status(&s.session.actor, &account)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(AccountPage {
        l: s.layout(),
        account,
        partner_name,
        errors,
        changed,
        second_factor,
    })
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Changed>,
) -> Result<AccountPage, PageError> {
    account_page(&state, &s, FieldErrors::default(), q.changed.is_some()).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    s: Signed,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .change_own_password(
            &s.session.actor,
            &s.token,
            &f.current,
            &f.password,
            &f.password_again,
        )
        .await;
    crate::pages::after_form(
        &s,
        result,
        "/account?changed=1".into(),
        "error-duplicate",
        |errors| account_page(&state, &s, errors, false),
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "reset.html")]
pub struct ResetPage {
    l: Layout,
    token: String,
    email: Option<String>,
    errors: FieldErrors,
    done: bool,
}

#[derive(Deserialize)]
pub struct ResetQuery {
    #[serde(default)]
    token: String,
}

/// The reset link's page: a new password twice. The secret travels in the query string, which
/// the request log never writes.
pub async fn reset_page(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<ResetQuery>,
) -> Result<Response, PageError> {
    let account = match state.app.reset_link_account(&q.token).await {
        Ok(a) => Some(a),
        Err(AppError::NotFound) => None,
        Err(e) => return Err(PageError::app(e, ctx.lang)),
    };
    let lang = holder_lang(&headers, ctx.lang, account.as_ref());
    let email = account.map(|a| a.email);
    let status = if email.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok((
        status,
        [(header::CACHE_CONTROL, "no-store")],
        ResetPage {
            l: Layout::anonymous(lang),
            token: q.token,
            email,
            errors: FieldErrors::default(),
            done: false,
        },
    )
        .into_response())
}

/// The language of a reset page: the visitor's own choice when they made one on this site,
/// else the language of the account the link is for (nobody is signed in to say it).
fn holder_lang(
    headers: &HeaderMap,
    default: retour_i18n::Lang,
    account: Option<&Account>,
) -> retour_i18n::Lang {
    if crate::ctx::cookie(headers, crate::ctx::LANG_COOKIE).is_some() {
        return default;
    }
    account
        .and_then(|a| retour_i18n::Lang::parse(&a.locale))
        .unwrap_or(default)
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

pub async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<ResetForm>,
) -> Result<Response, PageError> {
    let account = state.app.reset_link_account(&f.token).await.ok();
    let lang = holder_lang(&headers, ctx.lang, account.as_ref());
    let page = |email, errors, done| ResetPage {
        l: Layout::anonymous(lang),
        token: f.token.clone(),
        email,
        errors,
        done,
    };
    match state
        .app
        .reset_with_link(&f.token, &f.password, &f.password_again)
        .await
    {
        Ok(()) => Ok(page(None, FieldErrors::default(), true).into_response()),
        Err(AppError::Invalid(errs)) => {
            let email = account.map(|a| a.email);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(email, FieldErrors::from_validation(&errs, lang), false),
            )
                .into_response())
        }
        // Used, replaced or past its time (or used a moment ago in another tab).
        Err(AppError::NotFound) => Ok((
            StatusCode::CONFLICT,
            page(None, FieldErrors::default(), false),
        )
            .into_response()),
        Err(e) => Err(PageError::app(e, lang)),
    }
}

/// Setting up two-step sign-in from the account page: the QR code and the first code.
pub async fn second_factor_page(
    State(state): State<AppState>,
    s: Signed,
) -> Result<crate::pages::auth::EnrolPage, PageError> {
    let enrolment = state
        .app
        .account_enrolment(&s.session.actor, &s.token)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(crate::pages::auth::EnrolPage {
        l: s.layout(),
        enrolment,
        action: "/account/second-factor",
        error: None,
    })
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn second_factor(
    State(state): State<AppState>,
    s: Signed,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    Form(f): Form<CodeForm>,
) -> Result<Response, PageError> {
    use retour_app::sessions::{SignInError, SignInErrorOr};
    match state
        .app
        .confirm_account_enrolment(&s.session.actor, &s.token, &f.code, peer.ip())
        .await
    {
        Ok(codes) => Ok(crate::pages::auth::RecoveryPage {
            l: s.layout(),
            codes,
            next: "/account",
        }
        .into_response()),
        Err(SignInErrorOr::SignIn(e)) => {
            let (status, key) = match e {
                SignInError::Refused => (StatusCode::UNPROCESSABLE_ENTITY, "mfa-code-refused"),
                SignInError::Throttled => (StatusCode::TOO_MANY_REQUESTS, "login-throttled"),
                SignInError::Expired => (StatusCode::UNPROCESSABLE_ENTITY, "login-expired"),
            };
            let enrolment = state
                .app
                .account_enrolment(&s.session.actor, &s.token)
                .await
                .map_err(|e| PageError::app(e, s.lang))?;
            Ok((
                status,
                crate::pages::auth::EnrolPage {
                    l: s.layout(),
                    enrolment,
                    action: "/account/second-factor",
                    error: Some(s.lang.t(key)),
                },
            )
                .into_response())
        }
        Err(SignInErrorOr::App(e)) => Err(PageError::app(e, s.lang)),
    }
}
