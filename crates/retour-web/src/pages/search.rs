//! The case finder. Search terms travel in the request body, never in the URL.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
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
    hits: Option<Vec<SearchHit>>,
    truncated: bool,
}

pub async fn page(s: Signed) -> SearchPage {
    SearchPage {
        l: Layout::signed(s.lang, &s.session),
        q: String::new(),
        birth_year: String::new(),
        nationality: String::new(),
        errors: FieldErrors::default(),
        hits: None,
        truncated: false,
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
}

pub async fn search(
    State(state): State<AppState>,
    s: Signed,
    Form(f): Form<SearchForm>,
) -> Result<SearchPage, PageError> {
    let input = SearchInput {
        q: f.q.clone(),
        birth_year: Some(f.birth_year.clone()),
        nationality: Some(f.nationality.clone()),
    };
    let mut page = SearchPage {
        l: Layout::signed(s.lang, &s.session),
        q: f.q,
        birth_year: f.birth_year,
        nationality: f.nationality,
        errors: FieldErrors::default(),
        hits: None,
        truncated: false,
    };
    match state.app.search(&s.session.actor, &input).await {
        Ok(r) => {
            page.hits = Some(r.hits);
            page.truncated = r.truncated;
        }
        Err(AppError::Invalid(errs)) => page.errors = FieldErrors::from_validation(&errs, s.lang),
        Err(e) => return Err(PageError::app(e, s.lang)),
    }
    Ok(page)
}
