//! User administration (admins only).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use retour_app::auth::NewAccount;
use retour_app::Account;
use retour_app::AppError;
use serde::Deserialize;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::AppState;
use retour_app::partners::PartnerOrg;

const PAGE: usize = 50;

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
pub struct UsersPage {
    l: Layout,
    partners: Vec<PartnerOrg>,
    users: Vec<Account>,
    next_after: Option<String>,
    errors: FieldErrors,
    form: NewUserForm,
    created: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NewUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    partner_org: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
pub struct After {
    after: Option<String>,
}

async fn page(
    state: &AppState,
    s: &Signed,
    after: Option<&str>,
    errors: FieldErrors,
    form: NewUserForm,
    created: Option<String>,
) -> Result<UsersPage, PageError> {
    let accounts = state
        .app
        .accounts(&s.session.actor, after, PAGE)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(UsersPage {
        partners: partners(state, s).await?,
        l: s.layout(),
        users: accounts.items,
        next_after: accounts.next,
        errors,
        form,
        created,
    })
}

pub async fn users(
    State(state): State<AppState>,
    s: Signed,
    Query(a): Query<After>,
) -> Result<UsersPage, PageError> {
    page(
        &state,
        &s,
        a.after.as_deref(),
        FieldErrors::default(),
        NewUserForm {
            locale: s.lang.code().into(),
            ..Default::default()
        },
        None,
    )
    .await
}

pub async fn create_user(
    State(state): State<AppState>,
    s: Signed,
    Form(f): Form<NewUserForm>,
) -> Result<Response, PageError> {
    let account = NewAccount {
        email: f.email.clone(),
        display_name: f.display_name.clone(),
        role: f.role.clone(),
        office: Some(f.office.clone()),
        partner_org: Some(f.partner_org.clone()),
        locale: f.locale.clone(),
        password: f.password.clone(),
    };
    match state
        .app
        .create_account(Some(&s.session.actor), account)
        .await
    {
        Ok(u) => {
            let p = page(
                &state,
                &s,
                None,
                FieldErrors::default(),
                NewUserForm {
                    locale: s.lang.code().into(),
                    ..Default::default()
                },
                Some(u.email),
            )
            .await?;
            Ok((
                StatusCode::CREATED,
                [(header::CACHE_CONTROL, "no-store")],
                p,
            )
                .into_response())
        }
        Err(AppError::Invalid(errs)) => {
            let errors = FieldErrors::from_validation(&errs, s.lang);
            let form = NewUserForm {
                password: String::new(),
                ..f
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, &s, None, errors, form, None).await?,
            )
                .into_response())
        }
        Err(AppError::Duplicate(_)) => {
            let mut errors = FieldErrors::default();
            errors
                .by_field
                .insert("email".into(), s.lang.t("error-duplicate"));
            let form = NewUserForm {
                password: String::new(),
                ..f
            };
            Ok((
                StatusCode::CONFLICT,
                page(&state, &s, None, errors, form, None).await?,
            )
                .into_response())
        }
        Err(e) => Err(PageError::app(e, s.lang)),
    }
}

#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    s: Signed,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, PageError> {
    let id = crate::pages::parse_id(&id, s.lang)?;
    state
        .app
        .set_account_active(&s.session.actor, id, f.active == "true")
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/admin/users")]).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_user.html")]
pub struct UserPage {
    l: Layout,
    partners: Vec<PartnerOrg>,
    account: Account,
    form: EditUserForm,
    errors: FieldErrors,
    saved: bool,
    /// A reset link just made, shown once (no mail is configured).
    reset_link: Option<String>,
    second_factor: retour_app::mfa::SecondFactorStatus,
    /// The second factor was just reset.
    factor_reset: bool,
}

#[derive(Deserialize, Default)]
pub struct EditUserForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    partner_org: String,
}

impl EditUserForm {
    fn of(a: &Account) -> EditUserForm {
        EditUserForm {
            display_name: a.display_name.clone(),
            role: a.role.as_str().into(),
            office: a.office.clone().unwrap_or_default(),
            partner_org: a.partner_org.clone().unwrap_or_default(),
        }
    }
}

#[derive(Deserialize)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

async fn user_page(
    state: &AppState,
    s: &Signed,
    id: uuid::Uuid,
    form: Option<EditUserForm>,
    errors: FieldErrors,
    saved: bool,
    reset_link: Option<String>,
) -> Result<UserPage, PageError> {
    let account = state
        .app
        .account(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let second_factor = state
        .app
        .second_factor_status(&s.session.actor, &account)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(UserPage {
        partners: partners(state, s).await?,
        l: s.layout(),
        form: form.unwrap_or_else(|| EditUserForm::of(&account)),
        account,
        errors,
        saved,
        reset_link,
        second_factor,
        factor_reset: false,
    })
}

pub async fn user(
    State(state): State<AppState>,
    s: Signed,
    axum::extract::Path(id): axum::extract::Path<String>,
    Query(q): Query<Saved>,
) -> Result<UserPage, PageError> {
    let id = crate::pages::parse_id(&id, s.lang)?;
    user_page(
        &state,
        &s,
        id,
        None,
        FieldErrors::default(),
        q.saved.is_some(),
        None,
    )
    .await
}

pub async fn update_user(
    State(state): State<AppState>,
    s: Signed,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(f): Form<EditUserForm>,
) -> Result<Response, PageError> {
    let id = crate::pages::parse_id(&id, s.lang)?;
    let result = state
        .app
        .update_account(
            &s.session.actor,
            id,
            retour_app::auth::AccountChange {
                display_name: f.display_name.clone(),
                role: f.role.clone(),
                office: Some(f.office.clone()),
                partner_org: Some(f.partner_org.clone()),
            },
        )
        .await
        .map(|_| ());
    crate::pages::after_form(
        &s,
        result,
        format!("/admin/users/{id}?saved=1"),
        "error-duplicate",
        |errors| user_page(&state, &s, id, Some(f), errors, false, None),
    )
    .await
}

/// Makes a one-time reset link and shows it to the admin, who hands it over (no mail here).
pub async fn reset_link(
    State(state): State<AppState>,
    s: Signed,
    headers: axum::http::HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, PageError> {
    let id = crate::pages::parse_id(&id, s.lang)?;
    let (_, token) = state
        .app
        .create_reset_link(Some(&s.session.actor), id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let scheme = if state.secure_cookies {
        "https"
    } else {
        "http"
    };
    let link = format!("{scheme}://{host}/reset?token={token}");
    let page = user_page(
        &state,
        &s,
        id,
        None,
        FieldErrors::default(),
        false,
        Some(link),
    )
    .await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
}

/// Removes an account's second factor (lost phone and recovery codes); its sessions end.
pub async fn reset_second_factor(
    State(state): State<AppState>,
    s: Signed,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<UserPage, PageError> {
    let id = crate::pages::parse_id(&id, s.lang)?;
    state
        .app
        .reset_second_factor(Some(&s.session.actor), id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let mut page = user_page(&state, &s, id, None, FieldErrors::default(), false, None).await?;
    page.factor_reset = true;
    Ok(page)
}

/// Partner organisations for the account pages: to pick one, and to show one by name.
async fn partners(state: &AppState, s: &Signed) -> Result<Vec<PartnerOrg>, PageError> {
    state
        .app
        .partner_orgs(None, 1000)
        .await
        .map_err(|e| PageError::app(e, s.lang))
}

fn partner_name(partners: &[PartnerOrg], code: &str) -> String {
    partners
        .iter()
        .find(|p| p.id == code)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| code.to_string())
}

impl UsersPage {
    fn partner_name(&self, code: &str) -> String {
        partner_name(&self.partners, code)
    }
    fn has_partner(&self, code: &str) -> bool {
        self.partners.iter().any(|p| p.id == code)
    }
}

impl UserPage {
    fn has_partner(&self, code: &str) -> bool {
        self.partners.iter().any(|p| p.id == code)
    }
}
