//! Possible duplicates and prior beneficiaries found at registration, for programme managers to
//! decide one by one: the same person (a prior beneficiary is then excluded), or a different one.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use retour_app::links::LinkView;
use serde::Deserialize;
use uuid::Uuid;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::pages::{after_form, for_row, parse_id};
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "reviews.html")]
pub struct ReviewsPage {
    l: Layout,
    links: Vec<LinkView>,
    next: Option<String>,
    errors: FieldErrors,
    /// The latest decisions, to undo one.
    decided: Vec<LinkView>,
}

impl ReviewsPage {
    fn reasons(&self, link: &LinkView) -> String {
        let reasons: Vec<retour_domain::names::matching::Reason> =
            serde_json::from_str(&link.reasons).unwrap_or_default();
        self.l.match_reasons(&reasons)
    }

    fn row_error(&self, id: &Uuid) -> Option<&String> {
        self.errors.get(&format!("{id}.reason"))
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    after: Option<String>,
}

async fn page(
    state: &AppState,
    s: &Signed,
    after: Option<Uuid>,
    errors: FieldErrors,
) -> Result<ReviewsPage, PageError> {
    let page = state
        .app
        .open_links(&s.session.actor, after)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let decided = state
        .app
        .decided_links(&s.session.actor, 20)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(ReviewsPage {
        decided,
        l: s.layout(),
        links: page.items,
        next: page.next,
        errors,
    })
}

pub async fn list(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<PageQuery>,
) -> Result<ReviewsPage, PageError> {
    let after = q.after.as_deref().and_then(|a| Uuid::parse_str(a).ok());
    page(&state, &s, after, FieldErrors::default()).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let result = state
        .app
        .decide_link(&s.session.actor, id, f.decision == "confirm", &f.reason)
        .await;
    after_form(
        &s,
        for_row(id, result),
        "/reviews/persons".into(),
        "error-conflict",
        |errors| page(&state, &s, None, errors),
    )
    .await
}

#[derive(Deserialize)]
pub struct ReopenForm {
    #[serde(default)]
    reason: String,
}

/// Undoes a decision: the possible duplicate is open again.
pub async fn reopen(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<ReopenForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let result = state.app.reopen_link(&s.session.actor, id, &f.reason).await;
    after_form(
        &s,
        for_row(id, result),
        "/reviews/persons".into(),
        "error-conflict",
        |errors| page(&state, &s, None, errors),
    )
    .await
}
