//! Subject access: the printable page of everything held about one person, in their language
//! where Retour has it (else the reader's), and the same as a JSON download. For
//! data-protection officers; each export is audited by the use case.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use retour_app::subject::SubjectExport;
use retour_i18n::Lang;
use serde::Deserialize;

use super::cases::{member_lines, MemberLine};
use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::Layout;
use crate::pages::parse_id;
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "subject_export.html")]
pub struct SubjectPage {
    l: Layout,
    x: SubjectExport,
    member: MemberLine,
    /// The other languages the page can be shown in: (code, name in that language).
    other_langs: Vec<(&'static str, String)>,
}

impl SubjectPage {
    fn cents(&self, c: &i64) -> String {
        self.l.lang.eur_cents(*c)
    }

    fn opt_cents(&self, c: &Option<i64>) -> String {
        c.map(|c| self.l.lang.eur_cents(c))
            .unwrap_or_else(|| "—".into())
    }

    fn eur(&self, d: &rust_decimal::Decimal) -> String {
        self.l.lang.eur(*d)
    }

    fn at(&self, t: &time::OffsetDateTime) -> String {
        format!(
            "{} {:02}:{:02}",
            self.l.date(t.date()),
            t.hour(),
            t.minute()
        )
    }

    fn rule(&self, rule: &str) -> String {
        self.l.t(&format!("rule-{}", rule.replace('.', "-")))
    }

    fn action_label(&self, action: &str) -> String {
        self.l
            .t(&format!("audit-{}", action.replace(['.', '_'], "-")))
    }

    fn relationships(&self) -> String {
        self.x
            .other_members
            .iter()
            .map(|r| self.l.label("relationship", r.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Deserialize)]
pub struct LangQuery {
    #[serde(default)]
    lang: String,
}

/// The person's first language that Retour writes in, else the reader's.
fn page_lang(x: &SubjectExport, asked: &str, reader: Lang) -> Lang {
    Lang::parse(asked)
        .or_else(|| x.person.languages.iter().find_map(|l| Lang::parse(l)))
        .unwrap_or(reader)
}

async fn export(state: &AppState, s: &Signed, id: &str) -> Result<SubjectExport, PageError> {
    let id = parse_id(id, s.lang)?;
    state
        .app
        .subject_export(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))
}

pub async fn page(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<SubjectPage, PageError> {
    let x = export(&state, &s, &id).await?;
    let lang = page_lang(&x, &q.lang, s.lang);
    let (mut members, _) = member_lines(&x.case, state.app.today(), lang);
    let member = members.remove(0);
    let mut l = Layout::signed(lang, &s.session);
    l.offices = s.offices.clone();
    let other_langs = Lang::ALL
        .iter()
        .filter(|o| **o != lang)
        .map(|o| (o.code(), o.language(o.code())))
        .collect();
    Ok(SubjectPage {
        l,
        x,
        member,
        other_langs,
    })
}

/// The same export as a JSON file.
pub async fn json(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let x = export(&state, &s, &id).await?;
    let body = serde_json::to_string_pretty(&x)
        .map_err(|e| PageError::app(retour_app::AppError::Internal(e.to_string()), s.lang))?;
    let file = format!(
        "attachment; filename=\"subject-{}.json\"",
        x.person.id.simple()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CONTENT_DISPOSITION, file),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}
