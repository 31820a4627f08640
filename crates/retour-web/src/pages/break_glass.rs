//! Break-glass access: the form that opens it, and the lists of who opened it (per case for
//! those who answer for the case, all of them for auditors).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use retour_app::authz::{can, Action};
use retour_app::break_glass::{GlassEntry, GlassRequest, WHAT};
use retour_app::AppError;
use serde::Deserialize;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::pages::parse_id;
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "break_glass.html")]
pub struct FormPage {
    l: Layout,
    f: BreakGlassForm,
    errors: FieldErrors,
    hours: i64,
    what: &'static [&'static str],
}

#[derive(Deserialize, Default)]
pub struct BreakGlassForm {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub struct ForCase {
    #[serde(default)]
    case: Option<String>,
}

fn form_page(state: &AppState, s: &Signed, f: BreakGlassForm, errors: FieldErrors) -> FormPage {
    FormPage {
        l: s.layout(),
        f,
        errors,
        hours: state.app.break_glass_hours(),
        what: &WHAT,
    }
}

/// The form; from a case page the case is filled in.
pub async fn form(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<ForCase>,
) -> Result<FormPage, PageError> {
    if !can(&s.session.actor, Action::BreakGlass, None) {
        return Err(PageError::app(AppError::Forbidden, s.lang));
    }
    let mut f = BreakGlassForm::default();
    if let Some(id) = q.case.filter(|c| !c.is_empty()) {
        let id = parse_id(&id, s.lang)?;
        // Only a case the reader sees already (asking for one of its classes) is filled in.
        if let Ok(case) = state.app.case(&s.session.actor, id).await {
            f.reference = case.reference.to_string();
        }
    }
    Ok(form_page(&state, &s, f, FieldErrors::default()))
}

pub async fn open(
    State(state): State<AppState>,
    s: Signed,
    Form(f): Form<BreakGlassForm>,
) -> Result<Response, PageError> {
    let req = GlassRequest {
        reference: f.reference.clone(),
        what: f.what.clone(),
        reason: f.reason.clone(),
    };
    match state.app.open_break_glass(&s.session.actor, &req).await {
        Ok(case_id) => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/cases/{case_id}"))],
        )
            .into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = FieldErrors::from_validation(&e, s.lang);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, &s, f, errors),
            )
                .into_response())
        }
        Err(e) => Err(PageError::app(e, s.lang)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "break_glass_list.html")]
pub struct ListPage {
    l: Layout,
    /// The case, for its own list; `None` for every grant (the auditors' list).
    reference: Option<String>,
    case_id: Option<uuid::Uuid>,
    grants: Vec<GlassEntry>,
    next: Option<uuid::Uuid>,
}

impl ListPage {
    fn what(&self, g: &GlassEntry) -> String {
        self.l.t(&format!(
            "bg-what-{}",
            g.class.map_or("case", |c| c.as_str())
        ))
    }

    fn at(&self, t: &time::OffsetDateTime) -> String {
        format!(
            "{} {:02}:{:02}",
            self.l.date(t.date()),
            t.hour(),
            t.minute()
        )
    }
}

/// Who opened break-glass access on a case, when and why.
pub async fn on_case(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<ListPage, PageError> {
    let id = parse_id(&id, s.lang)?;
    let case = state
        .app
        .case(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    if !can(&s.session.actor, Action::ReviewBreakGlass, Some(&case)) {
        return Err(PageError::app(AppError::Forbidden, s.lang));
    }
    let grants = state
        .app
        .break_glass_on_case(&s.session.actor, &case)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(ListPage {
        l: s.layout(),
        reference: Some(case.reference.to_string()),
        case_id: Some(case.id),
        grants,
        next: None,
    })
}

#[derive(Deserialize)]
pub struct Before {
    #[serde(default)]
    before: Option<String>,
}

const PAGE: i64 = 50;

/// Every grant, newest first, for auditors and the data-protection officer.
pub async fn all(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Before>,
) -> Result<ListPage, PageError> {
    let before = match q.before.filter(|b| !b.is_empty()) {
        Some(b) => Some(parse_id(&b, s.lang)?),
        None => None,
    };
    let mut grants = state
        .app
        .recent_break_glass(&s.session.actor, before, PAGE + 1)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let next = (grants.len() as i64 > PAGE).then(|| {
        grants.truncate(PAGE as usize);
        grants.last().map(|g| g.id)
    });
    Ok(ListPage {
        l: s.layout(),
        reference: None,
        case_id: None,
        grants,
        next: next.flatten(),
    })
}
