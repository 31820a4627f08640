//! Finding a case: by reference, or by a name in any spelling, refined by birth year and nationality.

use retour_domain::names::matching::{
    score_prepared, MatchInput, MatchPerson, Prepared, Reason, LIKELY,
};
use retour_domain::names::{name_keys, pair_keys_across, sound_index_keys, words};
use retour_domain::{
    BirthDate, CaseReference, CountryCode, DatePrecision, Invalid, Sex, ValidationError,
    ValidationErrors,
};
use retour_store::{KeyGroup, KeySearch, PersonHit, Scope, MAX_CANDIDATES};
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
    /// Where the previous page of a name search ended (its `next`); the first page when absent.
    pub after: Option<String>,
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
    /// Why a name hit was found (empty for a reference).
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    pub hits: Vec<SearchHit>,
    /// More matched than are shown: the user may refine, or read the next page.
    pub truncated: bool,
    /// Where the next page of a name search starts (pass it back as `after`).
    pub next: Option<String>,
}

/// Persons on one page of a name search (and references found at most). Every person in scope
/// who matches is on some page: a common family name is never cut off.
pub const MAX_HITS: usize = 50;

/// A page key as it travels in a form or the API: `tier.rank.person id`.
fn page_token(k: retour_store::PageKey) -> String {
    format!("{}.{}.{}", k.tier, k.rank, k.person_id.simple())
}

fn parse_page_token(s: &str) -> Option<retour_store::PageKey> {
    let mut parts = s.trim().splitn(3, '.');
    let tier: i64 = parts.next()?.parse().ok().filter(|t| (0..=2).contains(t))?;
    let rank: i64 = parts
        .next()?
        .parse()
        .ok()
        .filter(|n| (0..=10_000).contains(n))?;
    let person_id = uuid::Uuid::try_parse(parts.next()?).ok()?;
    Some(retour_store::PageKey {
        tier,
        rank,
        person_id,
    })
}

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
                    // A year, not a date: the date message would ask for 20-04-2026.
                    errors.push(
                        ValidationError::new(Invalid::Other {
                            code: "search-birth-year",
                            value: y.into(),
                        })
                        .at("birth_year"),
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
        let after = match input.after.as_deref().filter(|s| !s.trim().is_empty()) {
            None => None,
            Some(t) => match parse_page_token(t) {
                Some(k) => Some(k),
                None => {
                    errors.push(
                        ValidationError::new(Invalid::Other {
                            code: "search-page",
                            value: String::new(),
                        })
                        .at("after"),
                    );
                    None
                }
            },
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
                next: None,
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
                next: None,
            });
        }
        // Every typed word must match (in some spelling); a word being typed matches as a prefix.
        let typed = words(q);
        // The closest persons carry the word as typed, or the pair key of the first two words'
        // sounds: the first tier of pages reads them in person order (Hoxha before Haxhiu).
        let anchors: Vec<String> = match typed.as_slice() {
            [] => Vec::new(),
            [one] => vec![format!("w:{one}")],
            [a, b, ..] => {
                let pairs = retour_domain::names::pair_keys_between(
                    &sound_index_keys(a),
                    &sound_index_keys(b),
                );
                match pairs.len() {
                    0 => sound_index_keys(a).into_iter().collect(),
                    _ => pairs.into_iter().collect(),
                }
            }
        };
        let groups: Vec<KeyGroup> = typed
            .iter()
            .take(4)
            .map(|w| KeyGroup {
                exact: sound_index_keys(w).into_iter().collect(),
                prefix: Some(format!("w:{w}")),
            })
            .collect();
        let found = self
            .store
            .persons_by_keys(&KeySearch {
                groups,
                birth_years: birth_year.map(|y| vec![y]),
                nationality: nationality.map(|c| c.to_string()),
                closest_year: birth_year,
                scope,
                walk_exact: typed.len() == 1,
                anchors,
                after,
                limit: MAX_HITS,
            })
            .await?;
        let query = MatchPerson {
            family_name: q.to_string(),
            given_names: String::new(),
            other_names: Vec::new(),
            birth: None,
            sex: Sex::Unknown,
            nationalities: Vec::new(),
        };
        let prepared = Prepared::new(&query);
        let mut hits: Vec<SearchHit> = found
            .persons
            .into_iter()
            .map(|r| {
                let stored = stored_person(&r);
                let score = score_prepared(&prepared, &Prepared::new(&stored));
                SearchHit {
                    case_id: r.case_id,
                    reference: r.reference,
                    status: r.status,
                    destination_country: r.destination_country,
                    family_name: r.family_name,
                    given_names: r.given_names,
                    relationship: r.relationship,
                    birth: stored.birth,
                    score: score.value,
                    reasons: score.reasons,
                }
            })
            .collect();
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.reference.cmp(&b.reference))
        });
        Ok(SearchResult {
            hits,
            truncated: found.truncated,
            next: found.next.map(page_token),
        })
    }

    /// Stored persons who may be the one described, within the actor's scope, best first: the
    /// contract of `retour persons match` and `POST /api/v1/persons/matches`.
    /// `actor` is `None` for the operator at the command line, who holds the database and
    /// matches across all of it.
    pub async fn match_persons(
        &self,
        actor: Option<&Actor>,
        input: &MatchInput,
        limit: usize,
    ) -> AppResult<MatchResult> {
        let scope = match actor {
            Some(a) => {
                require(a, Action::Search, None)?;
                scope(a)
            }
            None => Scope::All,
        };
        let mut errors = ValidationErrors::default();
        if !(1..=MAX_MATCHES).contains(&limit) {
            errors.push(
                ValidationError::new(Invalid::Other {
                    code: "limit-out-of-range",
                    value: MAX_MATCHES.to_string(),
                })
                .at("limit"),
            );
        }
        let query = match input.parse() {
            Ok(q) => errors.into_result(q)?,
            Err(mut e) => {
                e.0.extend(errors.0);
                return Err(e.into());
            }
        };
        let (candidates, truncated) = self.candidates(&query, scope).await?;
        let mut out: Vec<MatchCandidate> = candidates
            .into_iter()
            .filter(|(_, s)| s.value >= MIN_SCORE)
            .map(|(hit, s)| MatchCandidate::new(hit, s))
            .collect();
        let truncated = truncated || out.len() > limit;
        out.truncate(limit);
        Ok(MatchResult {
            candidates: out,
            truncated,
        })
    }

    /// Every stored person sharing a name key with `query` (born in a year close to theirs, when
    /// known) inside `scope`, scored and sorted best first.
    pub(crate) async fn candidates(
        &self,
        query: &MatchPerson,
        scope: Scope,
    ) -> AppResult<(
        Vec<(PersonHit, retour_domain::names::matching::Score)>,
        bool,
    )> {
        // A candidate shares a key with the family name (or another spelling of it) and, when
        // given names were typed, one with them too; names typed in the other field or order
        // still meet, since a person's keys do not say which field they came from.
        let sound = |names: &[&str]| -> Vec<String> {
            name_keys(names.iter().copied()).into_iter().collect()
        };
        let mut family: Vec<&str> = vec![query.family_name.as_str()];
        family.extend(query.other_names.iter().map(String::as_str));
        let (family_keys, given_keys) = (sound(&family), sound(&[query.given_names.as_str()]));
        let groups: Vec<KeyGroup> = [family_keys.clone(), given_keys.clone()]
            .into_iter()
            .filter(|keys| !keys.is_empty())
            .map(|exact| KeyGroup {
                exact,
                prefix: None,
            })
            .collect();
        let alone: Vec<KeyGroup> = groups.clone();
        // Two names given: block on the pairs of their sounds (one index read of the persons
        // with both), not on every bearer of the family name checked for the given name. Both
        // typed in one field (Singh Gurpreet), the pairs of that field's words.
        let pairs: Vec<String> = if groups.len() == 2 {
            retour_domain::names::pair_keys_between(
                &family_keys.into_iter().collect(),
                &given_keys.into_iter().collect(),
            )
            .into_iter()
            .collect()
        } else {
            let typed: Vec<String> = family
                .iter()
                .chain(std::iter::once(&query.given_names.as_str()))
                .flat_map(|n| words(n))
                .collect();
            pair_keys_across(&typed).into_iter().collect()
        };
        let paired = !pairs.is_empty();
        let groups = if paired {
            vec![KeyGroup {
                exact: pairs,
                prefix: None,
            }]
        } else {
            groups
        };
        let found = self
            .store
            .persons_by_keys(&KeySearch {
                groups,
                birth_years: query.birth.map(|b| close_years(b.date().year())),
                nationality: None,
                closest_year: query.birth.map(|b| b.date().year()),
                scope: scope.clone(),
                anchors: Vec::new(),
                walk_exact: false,
                after: None,
                limit: MAX_CANDIDATES,
            })
            .await?;
        let prepared = Prepared::new(query);
        let score = |hit: PersonHit| {
            let stored = stored_person(&hit);
            let s = score_prepared(&prepared, &Prepared::new(&stored));
            (hit, s)
        };
        let mut truncated = found.truncated;
        let mut scored: Vec<_> = found.persons.into_iter().map(score).collect();
        // Nobody likely found: one of the two names may be spelled beyond its sound key (a
        // typo, a script transliterated another way); each name alone, born within a year.
        if paired && !scored.iter().any(|(_, s)| s.value >= LIKELY) {
            for group in alone {
                let more = self
                    .store
                    .persons_by_keys(&KeySearch {
                        groups: vec![group],
                        birth_years: query.birth.map(|b| {
                            let y = b.date().year();
                            vec![y - 1, y, y + 1]
                        }),
                        nationality: None,
                        closest_year: query.birth.map(|b| b.date().year()),
                        scope: scope.clone(),
                        anchors: Vec::new(),
                        walk_exact: false,
                        after: None,
                        limit: MAX_CANDIDATES,
                    })
                    .await?;
                truncated |= more.truncated;
                for hit in more.persons {
                    if !scored.iter().any(|(h, _)| h.person_id == hit.person_id) {
                        scored.push(score(hit));
                    }
                }
                if scored.iter().any(|(_, s)| s.value >= LIKELY) {
                    break;
                }
            }
        }
        scored.sort_by(|(a, x), (b, y)| {
            y.value
                .total_cmp(&x.value)
                .then_with(|| a.reference.cmp(&b.reference))
        });
        Ok((scored, truncated))
    }
}

/// Most candidates one match answers.
pub const MAX_MATCHES: usize = 100;

/// Below this score a candidate is not worth showing.
pub const MIN_SCORE: f64 = 0.5;

/// The birth years a slip of the pen could turn `year` into: a year either side, and any other
/// last or second-last digit (1984 → 1980–1989, 1904–1994).
fn close_years(year: i32) -> Vec<i32> {
    let mut years: Vec<i32> = (year - 1..=year + 1).collect();
    let decade = year - year % 10;
    years.extend(decade..decade + 10);
    let century = year - year % 100;
    years.extend((0..10).map(|t| century + t * 10 + year % 10));
    years.sort();
    years.dedup();
    years
}

/// A stored person as matching sees it.
fn stored_person(r: &PersonHit) -> MatchPerson {
    MatchPerson {
        family_name: r.family_name.clone(),
        given_names: r.given_names.clone(),
        other_names: serde_json::from_str(&r.other_names).unwrap_or_default(),
        birth: DatePrecision::parse(&r.birth_precision)
            .ok()
            .map(|p| BirthDate::new(r.birth_date, p)),
        sex: r.sex.parse().unwrap_or(Sex::Unknown),
        nationalities: serde_json::from_str::<Vec<String>>(&r.nationalities)
            .unwrap_or_default()
            .iter()
            .filter_map(|n| CountryCode::parse(n).ok())
            .collect(),
    }
}

/// One stored person who may be the one described.
#[derive(Debug, Clone, Serialize)]
pub struct MatchCandidate {
    pub person_id: uuid::Uuid,
    pub case_id: uuid::Uuid,
    pub case_reference: String,
    pub family_name: String,
    pub given_names: String,
    /// As far as known: `1984`, `1984-05` or `1984-05-11`.
    pub birth_date: String,
    /// 0–1.
    pub score: f64,
    pub reasons: Vec<Reason>,
}

impl MatchCandidate {
    fn new(hit: PersonHit, s: retour_domain::names::matching::Score) -> MatchCandidate {
        let birth = DatePrecision::parse(&hit.birth_precision)
            .map(|p| BirthDate::new(hit.birth_date, p).to_string())
            .unwrap_or_default();
        MatchCandidate {
            person_id: hit.person_id,
            case_id: hit.case_id,
            case_reference: hit.reference,
            family_name: hit.family_name,
            given_names: hit.given_names,
            birth_date: birth,
            score: s.value,
            reasons: s.reasons,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MatchResult {
    pub candidates: Vec<MatchCandidate>,
    /// Some name key had more persons than were read: refine (add the birth date).
    pub truncated: bool,
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
        reasons: Vec::new(),
    }
}
