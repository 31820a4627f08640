//! Scored person matching: is this stored person the one being registered or searched?
//! The score combines name similarity over the best pairing of name words (order-insensitive,
//! across spellings and scripts), birth-date agreement that understands partial dates and
//! typing slips, sex and nationality. Each part that counted is named as a [`Reason`].

use serde::{Deserialize, Serialize};
use time::Date;

use super::{words, WordForm};
use crate::dates::{BirthDate, DatePrecision};
use crate::error::{Invalid, ValidationError, ValidationErrors};
use crate::person::Sex;
use crate::CountryCode;

/// A person as far as matching needs: what was typed, or what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchPerson {
    pub family_name: String,
    pub given_names: String,
    pub other_names: Vec<String>,
    pub birth: Option<BirthDate>,
    pub sex: Sex,
    pub nationalities: Vec<CountryCode>,
}

/// A person to match, as typed (the CLI and API contract).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct MatchInput {
    pub family_name: String,
    pub given_names: String,
    /// `1984`, `1984-05` or `1984-05-11`.
    pub birth_date: Option<String>,
    /// `male`, `female`, `other` or `unknown`.
    pub sex: Option<String>,
    /// ISO 3166-1 alpha-2 codes (`XK` for Kosovo).
    pub nationalities: Vec<String>,
}

impl MatchInput {
    /// Reports every problem: a name is needed, dates and codes must read.
    pub fn parse(&self) -> Result<MatchPerson, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let family_name = crate::person::text(
            &mut errors,
            "family_name",
            &self.family_name,
            false,
            crate::person::MAX_NAME,
        );
        let given_names = crate::person::text(
            &mut errors,
            "given_names",
            &self.given_names,
            false,
            crate::person::MAX_NAME,
        );
        if words(&family_name).is_empty() && words(&given_names).is_empty() {
            errors.push(ValidationError::new(Invalid::Required).at("family_name"));
        }
        let birth = match self.birth_date.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(b) => BirthDate::parse(b)
                .map_err(|e| errors.push(e.at("birth_date")))
                .ok(),
        };
        let sex = match self.sex.as_deref().map(str::trim) {
            None | Some("") => Sex::Unknown,
            Some(s) => s.parse().unwrap_or_else(|e: ValidationError| {
                errors.push(e.at("sex"));
                Sex::Unknown
            }),
        };
        if self.nationalities.len() > crate::person::MAX_NATIONALITIES {
            errors.push(
                ValidationError::new(Invalid::TooLong {
                    max: crate::person::MAX_NATIONALITIES,
                })
                .at("nationalities"),
            );
        }
        let mut nationalities = Vec::new();
        for (i, n) in self
            .nationalities
            .iter()
            .take(crate::person::MAX_NATIONALITIES)
            .enumerate()
        {
            match CountryCode::parse(n) {
                Ok(c) => nationalities.push(c),
                Err(e) => errors.push(e.at(format!("nationalities[{i}]"))),
            }
        }
        errors.into_result(MatchPerson {
            family_name,
            given_names,
            other_names: Vec::new(),
            birth,
            sex,
            nationalities,
        })
    }
}

/// Why a candidate scored as it did, for people to judge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", content = "value", rename_all = "kebab-case")]
pub enum Reason {
    /// Every word of the name agrees as typed (up to case and accents).
    SameName,
    /// The name agrees in another spelling or script, stored as this.
    NameSpelled(String),
    SameBirthDate,
    SameBirthMonth,
    SameBirthYear,
    /// One digit apart, or day and month swapped.
    BirthDateClose,
    BirthDateDiffers,
    SexDiffers,
    SameNationality,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// 0–1, three decimals.
    pub value: f64,
    pub reasons: Vec<Reason>,
}

/// From this score on, a candidate is shown as a likely duplicate.
pub const LIKELY: f64 = 0.8;

const W_NAME: f64 = 0.55;
const W_BIRTH: f64 = 0.35;
const W_SEX: f64 = 0.05;
const W_NATIONALITY: f64 = 0.05;

/// A person's name words in every spelling, prepared once for many comparisons.
#[derive(Debug, Clone)]
pub struct Prepared<'a> {
    pub person: &'a MatchPerson,
    /// Each spelling as sorted word forms: the name, and each other name with and without the
    /// given names.
    spellings: Vec<Vec<WordForm>>,
}

impl<'a> Prepared<'a> {
    pub fn new(person: &'a MatchPerson) -> Prepared<'a> {
        let forms = |full: &str| {
            let mut w = words(full);
            w.sort();
            w.dedup();
            w.iter().map(|w| WordForm::new(w)).collect::<Vec<_>>()
        };
        let mut spellings = vec![forms(&format!(
            "{} {}",
            person.family_name, person.given_names
        ))];
        for other in &person.other_names {
            spellings.push(forms(&format!("{other} {}", person.given_names)));
            spellings.push(forms(other));
        }
        Prepared { person, spellings }
    }
}

/// How likely `candidate` is the person `query` describes, 0–1.
pub fn score(query: &MatchPerson, candidate: &MatchPerson) -> Score {
    score_prepared(&Prepared::new(query), &Prepared::new(candidate))
}

/// [`score`] on prepared persons (the query is prepared once for all candidates).
pub fn score_prepared(query: &Prepared, candidate: &Prepared) -> Score {
    let (q, c) = (query.person, candidate.person);
    let mut reasons = Vec::new();
    let (name, same) = name_agreement(query, candidate);
    if same {
        reasons.push(Reason::SameName);
    } else if name >= 0.75 {
        let stored = format!("{} {}", c.given_names, c.family_name);
        reasons.push(Reason::NameSpelled(stored.trim().to_string()));
    }
    let mut total = W_NAME * name * name;
    let mut weight = W_NAME;
    if let (Some(a), Some(b)) = (&q.birth, &c.birth) {
        let (agreement, reason) = birth_agreement(a, b);
        total += W_BIRTH * agreement;
        weight += W_BIRTH;
        reasons.push(reason);
    }
    let known = |s: Sex| matches!(s, Sex::Male | Sex::Female);
    weight += W_SEX;
    total += W_SEX
        * if known(q.sex) && known(c.sex) {
            if q.sex == c.sex {
                1.0
            } else {
                reasons.push(Reason::SexDiffers);
                0.0
            }
        } else {
            0.5
        };
    weight += W_NATIONALITY;
    total += W_NATIONALITY
        * if q.nationalities.is_empty() || c.nationalities.is_empty() {
            0.5
        } else if q.nationalities.iter().any(|n| c.nationalities.contains(n)) {
            reasons.push(Reason::SameNationality);
            1.0
        } else {
            0.0
        };
    let mut value = (total / weight).clamp(0.0, 1.0);
    if reasons.contains(&Reason::SexDiffers) {
        // Both recorded, and different: nearly always a relative, rarely a typing error.
        value *= 0.75;
    }
    Score {
        value: (value * 1000.0).round() / 1000.0,
        reasons,
    }
}

/// The best agreement of the query's name (its first spelling) with any of the candidate's
/// spellings, and whether that spelling is word for word the one typed.
fn name_agreement(query: &Prepared, candidate: &Prepared) -> (f64, bool) {
    let q = &query.spellings[0];
    let (mut best, mut same) = (0.0, false);
    for c in &candidate.spellings {
        let s = words_agreement(q, c);
        let identical = c == q;
        if s > best || (s == best && identical) {
            best = s;
            same = identical;
        }
    }
    (best, same)
}

/// Mean best similarity of each word to the other side, both ways, so that a missing or an
/// extra name part costs something but does not sink the match.
fn words_agreement(a: &[WordForm], b: &[WordForm]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let one_way = |from: &[WordForm], to: &[WordForm]| {
        from.iter()
            .map(|w| to.iter().map(|v| w.similarity(v)).fold(0.0, f64::max))
            .sum::<f64>()
            / from.len() as f64
    };
    (one_way(a, b) + one_way(b, a)) / 2.0
}

/// How well two birth dates agree, understanding partial dates: a year-only date agrees with
/// any date in that year; a slip of one digit or swapped day and month is close. A slip in the
/// tens of the year is twenty years: more often a parent or a child of the same name than a slip.
pub fn birth_agreement(a: &BirthDate, b: &BirthDate) -> (f64, Reason) {
    let (da, db) = (a.date(), b.date());
    let same_year = da.year() == db.year();
    let year_slip = slip_at(&iso(da)[..4], &iso(db)[..4]);
    let value = match coarsest(a.precision(), b.precision()) {
        DatePrecision::Year if same_year => return (0.9, Reason::SameBirthYear),
        DatePrecision::Year => match year_slip {
            Some(3) => 0.4,
            Some(2) => 0.2,
            _ if (da.year() - db.year()).abs() == 1 => 0.4,
            _ => 0.0,
        },
        DatePrecision::Month if same_year && da.month() == db.month() => {
            return (0.95, Reason::SameBirthMonth)
        }
        DatePrecision::Month if same_year => return (0.6, Reason::SameBirthYear),
        DatePrecision::Month => match year_slip {
            Some(3) if da.month() == db.month() => 0.45,
            _ => 0.0,
        },
        DatePrecision::Day if da == db => return (1.0, Reason::SameBirthDate),
        DatePrecision::Day if swapped(da, db) => 0.8,
        DatePrecision::Day => match slip_at(&iso(da), &iso(db)) {
            Some(4..) => 0.8,
            Some(3) => 0.5,
            Some(2) => 0.25,
            _ if same_year => return (0.4, Reason::SameBirthYear),
            _ => 0.0,
        },
    };
    let reason = if value >= 0.4 {
        Reason::BirthDateClose
    } else {
        Reason::BirthDateDiffers
    };
    (value, reason)
}

/// Where two equally long digit strings differ, when they differ in exactly one place.
fn slip_at(a: &str, b: &str) -> Option<usize> {
    let mut at = None;
    for (i, (x, y)) in a.bytes().zip(b.bytes()).enumerate() {
        if x != y {
            if at.is_some() {
                return None;
            }
            at = Some(i);
        }
    }
    at.filter(|_| a.len() == b.len())
}

fn coarsest(a: DatePrecision, b: DatePrecision) -> DatePrecision {
    use DatePrecision::*;
    match (a, b) {
        (Year, _) | (_, Year) => Year,
        (Month, _) | (_, Month) => Month,
        _ => Day,
    }
}

fn iso(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

fn swapped(a: Date, b: Date) -> bool {
    a.year() == b.year() && u8::from(a.month()) == b.day() && a.day() == u8::from(b.month())
}
