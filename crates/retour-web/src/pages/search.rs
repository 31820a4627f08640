//! The case finder. Search terms travel in the request body, never in the URL.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Form;
use retour_app::search::{SearchHit, SearchInput};
use retour_app::AppError;
use serde::Deserialize;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "search.html")]
pub struct SearchPage {
    l: Layout,
    q: String,
    birth_year: String,
    nationality: String,
    errors: FieldErrors,
    households: Option<Vec<Household>>,
    truncated: bool,
    /// The next page of a name search: its key, and its number (from 1).
    next: Option<String>,
    page: u32,
    can_break_glass: bool,
}

/// One row of the result: a household, with the members the search found in it, best first.
pub struct Household {
    first: SearchHit,
    others: Vec<SearchHit>,
}

impl Household {
    fn members(&self) -> impl Iterator<Item = &SearchHit> {
        std::iter::once(&self.first).chain(&self.others)
    }
}

/// Groups hits by case, in the order of each household's best hit.
fn by_household(hits: Vec<SearchHit>) -> Vec<Household> {
    let mut out: Vec<Household> = Vec::new();
    for h in hits {
        match out.iter_mut().find(|g| g.first.case_id == h.case_id) {
            Some(g) => g.others.push(h),
            None => out.push(Household {
                first: h,
                others: Vec::new(),
            }),
        }
    }
    out
}

impl SearchPage {
    fn countries(&self) -> Vec<(&'static str, &'static str)> {
        retour_i18n::names::countries(self.l.lang)
    }

    fn picked(&self, code: &str) -> bool {
        self.nationality == code
    }

    /// "20 households found", or with more pages: "Page 2: 20 households".
    fn heading(&self, count: usize) -> String {
        if self.page > 1 || self.next.is_some() {
            self.l.lang.t_args(
                "search-households-page",
                &[
                    ("count", count.to_string()),
                    ("page", self.page.to_string()),
                ],
            )
        } else {
            self.l.ta("search-households", "count", count)
        }
    }
}

/// Whether the reader may open break-glass access (the search page says where).
fn breaks_glass(s: &Signed) -> bool {
    retour_app::authz::can(
        &s.session.actor,
        retour_app::authz::Action::BreakGlass,
        None,
    )
}

pub async fn page(s: Signed) -> SearchPage {
    SearchPage {
        l: s.layout(),
        q: String::new(),
        birth_year: String::new(),
        nationality: String::new(),
        errors: FieldErrors::default(),
        households: None,
        truncated: false,
        next: None,
        page: 1,
        can_break_glass: breaks_glass(&s),
    }
}

#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    birth_year: String,
    #[serde(default)]
    nationality: String,
    /// Set by the "next page" button.
    #[serde(default)]
    after: String,
    /// Only to number the page shown; a bad one counts as the first.
    #[serde(default)]
    page: String,
}

pub async fn search(
    State(state): State<AppState>,
    s: Signed,
    Form(f): Form<SearchForm>,
) -> Result<(StatusCode, SearchPage), PageError> {
    let input = SearchInput {
        q: f.q.clone(),
        birth_year: Some(f.birth_year.clone()),
        nationality: Some(f.nationality.clone()),
        after: Some(f.after.clone()),
    };
    let page_number = if f.after.trim().is_empty() {
        1
    } else {
        f.page.trim().parse::<u32>().unwrap_or(2).clamp(2, 100_000)
    };
    let mut page = SearchPage {
        l: s.layout(),
        q: f.q,
        birth_year: f.birth_year,
        nationality: f.nationality,
        errors: FieldErrors::default(),
        households: None,
        truncated: false,
        next: None,
        page: page_number,
        can_break_glass: breaks_glass(&s),
    };
    match state.app.search(&s.session.actor, &input).await {
        Ok(r) => {
            page.households = Some(by_household(r.hits));
            page.truncated = r.truncated;
            page.next = r.next;
            Ok((StatusCode::OK, page))
        }
        Err(AppError::Invalid(errs)) => {
            page.errors = FieldErrors::from_validation(&errs, s.lang);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(e) => Err(PageError::app(e, s.lang)),
    }
}
