//! Finding a case: by reference, or by a name in any spelling, refined by birth year and nationality.

use retour_domain::names::{fold, similarity, sound_key};
use retour_domain::{CaseReference, CountryCode, Invalid, ValidationError, ValidationErrors};
use retour_store::NameSearch;
use serde::{Deserialize, Serialize};

use crate::authz::{require, scope, Action};
use crate::{Actor, App, AppResult};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SearchInput {
    /// A case reference or a name (family name, given names, any spelling).
    pub q: String,
    pub birth_year: Option<String>,
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub case_id: uuid::Uuid,
    pub reference: String,
    pub status: String,
    pub destination_country: String,
    pub family_name: String,
    pub given_names: String,
    pub relationship: String,
    /// Absent for a hit on a case reference.
    pub birth: Option<retour_domain::BirthDate>,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    pub hits: Vec<SearchHit>,
    /// More matched than are shown: the user should refine.
    pub truncated: bool,
}

/// Results shown at most; search is for finding a case, not for browsing.
pub const MAX_HITS: usize = 50;

impl App {
    pub async fn search(&self, actor: &Actor, input: &SearchInput) -> AppResult<SearchResult> {
        require(actor, Action::Search, None)?;
        let q = input.q.trim();
        let mut errors = ValidationErrors::default();
        // A running number alone ("7") is a reference; a name needs two letters.
        if q.is_empty() || (q.chars().count() < 2 && !q.bytes().all(|b| b.is_ascii_digit())) {
            errors.push(
                ValidationError::new(Invalid::Other {
                    code: "search-too-short",
                    value: "2".into(),
                })
                .at("q"),
            );
        }
        if let Err(e) = retour_domain::text::check(q, retour_domain::text::Shape::Line, 200) {
            errors.push(e.at("q"));
        }
        let birth_year = match input
            .birth_year
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(y) => match y.parse::<i32>() {
                Ok(y) if (1900..=2100).contains(&y) => Some(y),
                _ => {
                    errors.push(
                        ValidationError::new(Invalid::BadDate { value: y.into() }).at("birth_year"),
                    );
                    None
                }
            },
        };
        let nationality = match input
            .nationality
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(n) => CountryCode::parse(n)
                .map_err(|e| errors.push(e.at("nationality")))
                .ok(),
        };
        errors.into_result(())?;
        let scope = scope(actor);
        if let Ok(reference) = CaseReference::parse(q) {
            let hit = self
                .store
                .case_summary_by_reference(&reference.to_string(), &scope)
                .await?;
            return Ok(SearchResult {
                hits: hit.into_iter().map(reference_hit).collect(),
                truncated: false,
            });
        }
        if let Some(query) = retour_domain::ReferenceQuery::parse(q, self.today().year()) {
            let (prefix, any_of) = match &query {
                retour_domain::ReferenceQuery::Prefix(p) => (Some(p.as_str()), Vec::new()),
                retour_domain::ReferenceQuery::AnyOf(refs) => (None, refs.clone()),
            };
            let mut found = self
                .store
                .case_summaries_by_references(prefix, &any_of, &scope, MAX_HITS as i64 + 1)
                .await?;
            let truncated = found.len() > MAX_HITS;
            found.truncate(MAX_HITS);
            return Ok(SearchResult {
                hits: found.into_iter().map(reference_hit).collect(),
                truncated,
            });
        }
        let folded = fold(q);
        let words: Vec<(String, String)> = folded
            .split(' ')
            .filter(|w| w.len() >= 2)
            .take(3)
            .map(|w| (w.to_string(), sound_key(w)))
            .collect();
        let rows = self
            .store
            .search_persons(&NameSearch {
                words,
                birth_year,
                nationality: nationality.map(|c| c.to_string()),
                scope,
            })
            .await?;
        let mut hits: Vec<SearchHit> = rows
            .into_iter()
            .map(|r| {
                let others: Vec<String> = serde_json::from_str(&r.other_names).unwrap_or_default();
                let full = format!("{} {}", r.given_names, r.family_name);
                let score = std::iter::once(full.as_str())
                    .chain(std::iter::once(r.family_name.as_str()))
                    .chain(others.iter().map(String::as_str))
                    .map(|n| similarity(q, n))
                    .fold(0.0, f64::max);
                let birth = retour_domain::DatePrecision::parse(&r.birth_precision)
                    .ok()
                    .map(|p| retour_domain::BirthDate::new(r.birth_date, p));
                SearchHit {
                    case_id: r.case_id,
                    reference: r.reference,
                    status: r.status,
                    destination_country: r.destination_country,
                    family_name: r.family_name,
                    given_names: r.given_names,
                    relationship: r.relationship,
                    birth,
                    score,
                }
            })
            .collect();
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.reference.cmp(&b.reference))
        });
        let truncated = hits.len() > MAX_HITS;
        hits.truncate(MAX_HITS);
        Ok(SearchResult { hits, truncated })
    }
}

/// A case found by its reference, shown by its principal applicant.
fn reference_hit(c: retour_store::CaseSummary) -> SearchHit {
    SearchHit {
        case_id: c.id,
        reference: c.reference,
        status: c.status,
        destination_country: c.destination_country,
        family_name: c.family_name,
        given_names: c.given_names,
        relationship: "principal".into(),
        birth: None,
        score: 1.0,
    }
}
