//! The home page: my cases and the counts per status in my scope.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use retour_app::queues::{QueueItem, QueueKind, QueuePreview};
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
    queues: Vec<QueuePreview>,
    /// For auditors: the latest reads of special-category fields.
    sensitive_reads: Vec<retour_app::audit::AuditEntry>,
}

impl HomePage {
    fn eur(&self, cents: &i64) -> String {
        self.l.lang.eur_cents(*cents)
    }
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
    let actor = &s.session.actor;
    let queues = state
        .app
        .my_queues(actor)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let sensitive_reads =
        if retour_app::authz::can(actor, retour_app::authz::Action::ReadAudit, None) {
            let filter = retour_app::audit::AuditFilter {
                action: Some("sensitive.read".into()),
                ..Default::default()
            };
            state
                .app
                .audit(Some(actor), &filter, None, 5)
                .await
                .map_err(|e| PageError::app(e, s.lang))?
                .items
        } else {
            Vec::new()
        };
    Ok(HomePage {
        queues,
        sensitive_reads,
        l: s.layout(),
        cases: home.my_cases,
        next_after: home.next_after.map(|u| u.to_string()),
        counts,
        total,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "queue.html")]
pub struct QueuePage {
    l: Layout,
    slug: String,
    items: Vec<QueueItem>,
    next: Option<String>,
}

impl QueuePage {
    fn eur(&self, cents: &i64) -> String {
        self.l.lang.eur_cents(*cents)
    }
}

#[derive(Deserialize)]
pub struct QueueQuery {
    after: Option<String>,
}

pub async fn queue(
    State(state): State<AppState>,
    s: Signed,
    axum::extract::Path(slug): axum::extract::Path<String>,
    Query(q): Query<QueueQuery>,
) -> Result<QueuePage, PageError> {
    let kind = QueueKind::parse(&slug).ok_or(PageError::NotFound(s.lang))?;
    let page = state
        .app
        .queue(&s.session.actor, kind, q.after.as_deref(), 50)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(QueuePage {
        l: s.layout(),
        slug: kind.slug(),
        items: page.items,
        next: page.next,
    })
}
