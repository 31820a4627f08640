//! Offices: administrators and programme managers add them and name them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use retour_app::authz::{can, Action};
use retour_app::AppError;
use serde::Deserialize;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::pages::after_form;
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "offices.html")]
pub struct OfficesPage {
    l: Layout,
    errors: FieldErrors,
    form: OfficeForm,
}

#[derive(Deserialize, Default, Clone)]
pub struct OfficeForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
}

fn page(s: &Signed, errors: FieldErrors, form: OfficeForm) -> Result<OfficesPage, PageError> {
    if !can(&s.session.actor, Action::ManageOffices, None) {
        return Err(PageError::app(AppError::Forbidden, s.lang));
    }
    Ok(OfficesPage {
        l: s.layout(),
        errors,
        form,
    })
}

pub async fn list(s: Signed) -> Result<OfficesPage, PageError> {
    page(&s, FieldErrors::default(), OfficeForm::default())
}

pub async fn create(
    State(state): State<AppState>,
    s: Signed,
    Form(f): Form<OfficeForm>,
) -> Result<Response, PageError> {
    let r = state
        .app
        .create_office(Some(&s.session.actor), &f.id, &f.name)
        .await
        .map(|_| ());
    after_form(
        &s,
        r,
        "/admin/offices".into(),
        "error-duplicate",
        |errors| async { page(&s, errors, f.clone()) },
    )
    .await
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
}

pub async fn rename(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<RenameForm>,
) -> Result<Response, PageError> {
    let r = state
        .app
        .rename_office(&s.session.actor, &id, &f.name)
        .await
        .map_err(|e| match e {
            // Shown beside the row's own field.
            AppError::Invalid(mut errs) => {
                for e in &mut errs.0 {
                    e.field = Some(format!("{id}.name"));
                }
                AppError::Invalid(errs)
            }
            other => other,
        });
    after_form(
        &s,
        r,
        "/admin/offices".into(),
        "error-duplicate",
        |errors| async { page(&s, errors, OfficeForm::default()) },
    )
    .await
}
