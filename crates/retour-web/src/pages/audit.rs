//! The audit trail for auditors and data-protection officers. Filters travel in the request
//! body (a case reference or an e-mail address is personal data, never put in a URL); the next
//! page is a form that sends them again with the last record seen.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::Form;
use retour_app::audit::{AuditEntry, AuditFilter, ACTIONS};
use retour_app::AppError;
use serde::Deserialize;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::AppState;

const PAGE: usize = 50;

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    l: Layout,
    f: AuditForm,
    actions: &'static [&'static str],
    errors: FieldErrors,
    entries: Vec<AuditEntry>,
    next: Option<String>,
}

impl AuditPage {
    /// `case.create` → the catalogue key `audit-case-create`.
    fn action_label(&self, action: &str) -> String {
        self.l
            .t(&format!("audit-{}", action.replace(['.', '_'], "-")))
    }

    fn at(&self, e: &AuditEntry) -> String {
        format!(
            "{} {:02}:{:02}",
            self.l.date(e.at.date()),
            e.at.hour(),
            e.at.minute()
        )
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct AuditForm {
    #[serde(default)]
    case: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: String,
}

async fn render(state: &AppState, s: &Signed, f: AuditForm) -> Result<AuditPage, PageError> {
    let filter = AuditFilter {
        case_reference: Some(f.case.clone()),
        actor_email: Some(f.actor.clone()),
        actor_id: None,
        action: Some(f.action.clone()),
        from: Some(f.from.clone()),
        to: Some(f.to.clone()),
    };
    let before = uuid::Uuid::parse_str(f.before.trim()).ok();
    let mut page = AuditPage {
        l: s.layout(),
        f,
        actions: ACTIONS,
        errors: FieldErrors::default(),
        entries: Vec::new(),
        next: None,
    };
    match state
        .app
        .audit(Some(&s.session.actor), &filter, before, PAGE)
        .await
    {
        Ok(p) => {
            page.entries = p.items;
            page.next = p.next;
        }
        Err(AppError::Invalid(errs)) => page.errors = FieldErrors::from_validation(&errs, s.lang),
        Err(e) => return Err(PageError::app(e, s.lang)),
    }
    Ok(page)
}

pub async fn page(State(state): State<AppState>, s: Signed) -> Result<AuditPage, PageError> {
    render(&state, &s, AuditForm::default()).await
}

pub async fn filter(
    State(state): State<AppState>,
    s: Signed,
    Form(f): Form<AuditForm>,
) -> Result<AuditPage, PageError> {
    render(&state, &s, f).await
}

#[cfg(test)]
mod tests {
    /// The auditors' filter offers every action by its name in each language.
    #[test]
    fn every_audit_action_has_a_name_in_every_language() {
        for lang in retour_i18n::Lang::ALL {
            for action in retour_app::audit::ACTIONS {
                let key = format!("audit-{}", action.replace(['.', '_'], "-"));
                assert_ne!(lang.t(&key), key, "{action} has no name in {lang:?}");
            }
        }
    }
}
