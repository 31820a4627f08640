//! The home page: my cases and the counts per status in my scope.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use retour_app::views::CaseListItem;
use serde::Deserialize;

use crate::ctx::{Ctx, Signed};
use crate::error::PageError;
use crate::layout::Layout;
use crate::AppState;

pub async fn root(ctx: Ctx) -> Response {
    Redirect::to(if ctx.session.is_some() {
        "/home"
    } else {
        "/login"
    })
    .into_response()
}

pub async fn healthz() -> &'static str {
    "ok"
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    l: Layout,
    cases: Vec<CaseListItem>,
    next_after: Option<String>,
    counts: Vec<(String, i64)>,
    total: i64,
}

#[derive(Deserialize)]
pub struct Page {
    after: Option<uuid::Uuid>,
}

pub async fn home(
    State(state): State<AppState>,
    s: Signed,
    Query(p): Query<Page>,
) -> Result<HomePage, PageError> {
    let home = state
        .app
        .home(&s.session.actor, p.after)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let mut counts = Vec::new();
    for status in retour_domain::Status::ALL {
        if let Some((_, n)) = home.counts.iter().find(|(st, _)| st == status.as_str()) {
            counts.push((status.as_str().to_string(), *n));
        }
    }
    let total = counts.iter().map(|(_, n)| n).sum();
    Ok(HomePage {
        l: Layout::signed(s.lang, &s.session),
        cases: home.my_cases,
        next_after: home.next_after.map(|u| u.to_string()),
        counts,
        total,
    })
}
