//! Survey instruments as versioned data: the Reintegration Sustainability Survey (RSS) and any
//! successor. An instrument file (TOML, see `docs/instruments.md`) lists indicators grouped in
//! dimensions, each answer option with its score in [0, 1], and weights within each dimension
//! and across dimensions. Scores are exact rationals: equal weights of 1/3 have no finite decimal,
//! and a rounded weight would make two computations of the same survey disagree.
//!
//! Raw answers (indicator code → option code) are what is stored; [`Instrument::score`] turns
//! them into dimension scores and a composite, so a new version of the instrument (the official
//! weights) rescores every stored survey.

use num_rational::Ratio;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use toml::Spanned;

use crate::error::{Invalid, ValidationError, ValidationErrors};
use crate::policy::{line_col, PolicyProblem};

/// The Reintegration Sustainability Survey shipped with Retour (equal, provisional weights).
pub const RSS_2017_SOURCE: &str = include_str!("../../../instruments/rss-2017.toml");

/// An exact score or weight. `i128` leaves room for the products of six-decimal weights.
pub type Score = Ratio<i128>;

/// How many decimals a weight, score or threshold may be written with.
const MAX_DECIMALS: u32 = 6;
/// More indicators than any survey has; keeps every denominator far from overflow.
const MAX_INDICATORS: usize = 100;

/// Reads `"1/3"`, `"0.25"` or `"1"` as an exact rational. Never through a float.
pub fn parse_score(s: &str) -> Option<Score> {
    let s = s.trim();
    let part = |p: &str| -> Option<Score> {
        let d: Decimal = p.trim().parse().ok()?;
        if d.scale() > MAX_DECIMALS || !p.trim().chars().all(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
        Some(Ratio::new(d.mantissa(), 10i128.pow(d.scale())))
    };
    match s.split_once('/') {
        Some((n, d)) => {
            let (n, d) = (part(n)?, part(d)?);
            (*d.numer() != 0).then(|| n / d)
        }
        None => part(s),
    }
}

/// A score written as a decimal with `places` decimals, rounded half away from zero.
pub fn score_decimal(score: Score, places: u32) -> Decimal {
    let scale = 10i128.pow(places);
    let scaled = score * Ratio::from_integer(scale);
    let rounded = scaled.round().to_integer();
    Decimal::from_i128_with_scale(rounded, places)
}

/// The same score as the exact fraction it is, `"2/3"`, for storage.
pub fn score_text(score: Score) -> String {
    score.to_string()
}

/// A text in each of the three languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    pub nl: String,
    pub fr: String,
    pub en: String,
}

impl Texts {
    /// The text in `lang` (`nl`, `fr`, `en`); English for any other.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "nl" => &self.nl,
            "fr" => &self.fr,
            _ => &self.en,
        }
    }
}

/// Where a score falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Low,
    Medium,
    High,
}
crate::string_enum!(Band {
    Low = "low",
    Medium = "medium",
    High = "high",
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bands {
    /// A score below this is low.
    pub medium_from: Score,
    /// A score at or above this is high.
    pub high_from: Score,
}

impl Bands {
    pub fn of(&self, score: Score) -> Band {
        if score >= self.high_from {
            Band::High
        } else if score >= self.medium_from {
            Band::Medium
        } else {
            Band::Low
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub code: String,
    pub weight: Score,
    pub label: Texts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerOption {
    pub code: String,
    /// `None` for an option that is not scored ("not applicable"): the indicator then does not
    /// count, and the other indicators of its dimension share its weight.
    pub score: Option<Score>,
    pub label: Texts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub code: String,
    pub dimension: String,
    pub weight: Score,
    pub question: Texts,
    pub options: Vec<AnswerOption>,
}

impl Indicator {
    pub fn option(&self, code: &str) -> Option<&AnswerOption> {
        self.options.iter().find(|o| o.code == code)
    }
}

/// Identifies the exact instrument text a score was computed with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InstrumentVersion {
    pub id: String,
    pub content_hash: String,
}

/// A parsed and checked instrument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instrument {
    id: String,
    description: String,
    provisional: bool,
    bands: Bands,
    dimensions: Vec<Dimension>,
    indicators: Vec<Indicator>,
    content_hash: String,
    source: String,
}

/// Checked answers: one known option for every indicator, by indicator code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Answers(pub BTreeMap<String, String>);

/// The score of one dimension; `None` when none of its indicators was scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionScore {
    pub code: String,
    pub score: Option<Score>,
    pub band: Option<Band>,
}

/// Dimension scores and the composite of one survey under one instrument version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scores {
    pub dimensions: Vec<DimensionScore>,
    pub composite: Option<Score>,
    pub band: Option<Band>,
}

/// An answer the instrument does not know (when rescoring under a new version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreError {
    UnknownIndicator(String),
    UnknownOption { indicator: String, option: String },
    Unanswered(String),
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScoreError::UnknownIndicator(i) => {
                write!(f, "indicator `{i}` is not in the instrument")
            }
            ScoreError::UnknownOption { indicator, option } => {
                write!(f, "indicator `{indicator}` has no option `{option}`")
            }
            ScoreError::Unanswered(i) => write!(f, "indicator `{i}` has no answer"),
        }
    }
}

/// Weighted mean of the scored items; `None` when nothing was scored.
fn weighted(items: impl Iterator<Item = (Score, Option<Score>)>) -> Option<Score> {
    let (mut sum, mut weights) = (Score::from_integer(0), Score::from_integer(0));
    for (w, s) in items {
        if let Some(s) = s {
            sum += w * s;
            weights += w;
        }
    }
    (weights > Score::from_integer(0)).then(|| sum / weights)
}

impl Instrument {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    /// The weights are placeholders until the official table is loaded.
    pub fn provisional(&self) -> bool {
        self.provisional
    }
    pub fn bands(&self) -> &Bands {
        &self.bands
    }
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }
    pub fn content_hash(&self) -> &str {
        &self.content_hash
    }
    pub fn source(&self) -> &str {
        &self.source
    }
    pub fn version(&self) -> InstrumentVersion {
        InstrumentVersion {
            id: self.id.clone(),
            content_hash: self.content_hash.clone(),
        }
    }

    /// Checks typed answers: every indicator answered with one of its options, nothing else.
    /// Errors are at `answers.<indicator>`.
    pub fn check_answers(
        &self,
        raw: &BTreeMap<String, String>,
    ) -> Result<Answers, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut out = BTreeMap::new();
        for ind in &self.indicators {
            let field = format!("answers.{}", ind.code);
            match raw
                .get(&ind.code)
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
            {
                None => errors.push(ValidationError::new(Invalid::Required).at(&field)),
                Some(v) if ind.option(v).is_none() => errors.push(
                    ValidationError::new(Invalid::UnknownValue {
                        value: v.to_string(),
                    })
                    .at(&field),
                ),
                Some(v) => {
                    out.insert(ind.code.clone(), v.to_string());
                }
            }
        }
        for code in raw.keys() {
            if self.indicator(code).is_none() {
                errors.push(
                    ValidationError::new(Invalid::UnknownValue {
                        value: code.clone(),
                    })
                    .at("answers"),
                );
            }
        }
        errors.into_result(Answers(out))
    }

    /// Scores stored answers: a dimension is the weighted mean of its scored indicators, the
    /// composite the weighted mean of the dimensions that have a score.
    pub fn score(&self, answers: &Answers) -> Result<Scores, ScoreError> {
        if let Some(code) = answers.0.keys().find(|c| self.indicator(c).is_none()) {
            return Err(ScoreError::UnknownIndicator(code.clone()));
        }
        let mut chosen: BTreeMap<&str, Option<Score>> = BTreeMap::new();
        for ind in &self.indicators {
            let Some(option) = answers.0.get(&ind.code) else {
                return Err(ScoreError::Unanswered(ind.code.clone()));
            };
            let Some(o) = ind.option(option) else {
                return Err(ScoreError::UnknownOption {
                    indicator: ind.code.clone(),
                    option: option.clone(),
                });
            };
            chosen.insert(&ind.code, o.score);
        }
        let dimensions: Vec<DimensionScore> = self
            .dimensions
            .iter()
            .map(|d| {
                let score = weighted(
                    self.indicators
                        .iter()
                        .filter(|i| i.dimension == d.code)
                        .map(|i| (i.weight, chosen[i.code.as_str()])),
                );
                DimensionScore {
                    code: d.code.clone(),
                    score,
                    band: score.map(|s| self.bands.of(s)),
                }
            })
            .collect();
        let composite = weighted(
            self.dimensions
                .iter()
                .zip(&dimensions)
                .map(|(d, s)| (d.weight, s.score)),
        );
        Ok(Scores {
            dimensions,
            composite,
            band: composite.map(|s| self.bands.of(s)),
        })
    }

    /// Parses and checks an instrument document, reporting every problem with its line.
    pub fn parse(text: &str) -> Result<Instrument, Vec<PolicyProblem>> {
        let raw: RawInstrument = toml::from_str(text).map_err(|e| {
            let (line, column) = match e.span() {
                Some(s) => {
                    let (l, c) = line_col(text, s.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            vec![PolicyProblem {
                line,
                column,
                message: e.message().trim().to_string(),
            }]
        })?;
        let mut ck = Check {
            text,
            problems: Vec::new(),
        };
        let instrument = ck.instrument(raw, text);
        if ck.problems.is_empty() {
            Ok(instrument)
        } else {
            let mut problems = ck.problems;
            problems.sort_by_key(|p| (p.line.is_none(), p.line, p.column));
            Err(problems)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The document as written.

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    id: S<String>,
    description: S<String>,
    #[serde(default)]
    provisional: bool,
    bands: RawBands,
    dimensions: BTreeMap<String, RawDimension>,
    indicators: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBands {
    medium_from: S<String>,
    high_from: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    weight: S<String>,
    label: Texts,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    code: S<String>,
    dimension: S<String>,
    weight: S<String>,
    question: Texts,
    options: Vec<RawOption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    code: S<String>,
    score: Option<S<String>>,
    label: Texts,
}

struct Check<'t> {
    text: &'t str,
    problems: Vec<PolicyProblem>,
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
}

impl Check<'_> {
    fn at(&mut self, span: Range<usize>, message: String) {
        let (line, column) = line_col(self.text, span.start);
        self.problems.push(PolicyProblem {
            line: Some(line),
            column: Some(column),
            message,
        });
    }

    /// A weight or score in [0, 1] (weights also above 0).
    fn fraction(&mut self, v: &S<String>, what: &str, positive: bool) -> Score {
        match parse_score(v.get_ref()) {
            Some(s) if s >= Score::from_integer(0) && s <= Score::from_integer(1) => {
                if positive && s == Score::from_integer(0) {
                    self.at(
                        v.span(),
                        format!("{what} = {:?} must be above 0", v.get_ref()),
                    );
                }
                s
            }
            Some(_) => {
                self.at(
                    v.span(),
                    format!("{what} = {:?} must be between 0 and 1", v.get_ref()),
                );
                Score::from_integer(0)
            }
            None => {
                self.at(
                    v.span(),
                    format!(
                        "{what} = {:?} is not a number: write a string such as \"0.25\" or \"1/3\" (at most {MAX_DECIMALS} decimals)",
                        v.get_ref()
                    ),
                );
                Score::from_integer(0)
            }
        }
    }

    fn texts(&mut self, t: &Texts, span: Range<usize>, what: &str) {
        for (lang, s) in [("nl", &t.nl), ("fr", &t.fr), ("en", &t.en)] {
            if s.trim().is_empty() || s.chars().count() > 500 {
                self.at(
                    span.clone(),
                    format!("{what}.{lang} must be a text of 1 to 500 characters"),
                );
            }
        }
    }

    fn instrument(&mut self, raw: RawInstrument, text: &str) -> Instrument {
        let id = raw.id.get_ref().trim().to_string();
        if id.is_empty()
            || id.len() > 32
            || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            self.at(
                raw.id.span(),
                format!(
                    "id = {:?} must be letters, digits and hyphens",
                    raw.id.get_ref()
                ),
            );
        }
        let bands = Bands {
            medium_from: self.fraction(&raw.bands.medium_from, "bands.medium_from", false),
            high_from: self.fraction(&raw.bands.high_from, "bands.high_from", false),
        };
        if bands.medium_from > bands.high_from {
            self.at(
                raw.bands.high_from.span(),
                "bands.high_from must not be below bands.medium_from".into(),
            );
        }
        let dims_span = 0..0;
        let mut dimensions = Vec::new();
        for (code, d) in &raw.dimensions {
            if !is_code(code) {
                self.at(
                    d.weight.span(),
                    format!(
                        "dimension `{code}` must be written in lower case letters, digits and _"
                    ),
                );
            }
            let weight = self.fraction(&d.weight, &format!("dimensions.{code}.weight"), true);
            self.texts(
                &d.label,
                d.weight.span(),
                &format!("dimensions.{code}.label"),
            );
            dimensions.push((
                Dimension {
                    code: code.clone(),
                    weight,
                    label: d.label.clone(),
                },
                d.weight.span(),
            ));
        }
        if dimensions.is_empty() {
            self.at(
                dims_span.clone(),
                "an instrument needs at least one dimension".into(),
            );
        }
        let total: Score = dimensions.iter().map(|(d, _)| d.weight).sum();
        if !dimensions.is_empty() && total != Score::from_integer(1) {
            let span = dimensions
                .last()
                .map(|(_, s)| s.clone())
                .unwrap_or(dims_span);
            self.at(
                span,
                format!("the dimension weights add up to {total}, not 1"),
            );
        }
        let ind_span = 0..0;
        if raw.indicators.is_empty() || raw.indicators.len() > MAX_INDICATORS {
            self.at(
                ind_span,
                format!("an instrument has 1 to {MAX_INDICATORS} indicators"),
            );
        }
        let mut indicators: Vec<Indicator> = Vec::new();
        let mut last_weight: BTreeMap<String, Range<usize>> = BTreeMap::new();
        for r in &raw.indicators {
            let code = r.code.get_ref().clone();
            if !is_code(&code) {
                self.at(
                    r.code.span(),
                    format!("indicator code {code:?} must be lower case letters, digits and _"),
                );
            }
            if indicators.iter().any(|i| i.code == code) {
                self.at(r.code.span(), format!("indicator `{code}` is listed twice"));
            }
            let dimension = r.dimension.get_ref().clone();
            if !dimensions.iter().any(|(d, _)| d.code == dimension) {
                self.at(r.dimension.span(), format!("indicator `{code}`: dimension `{dimension}` is not defined under [dimensions]"));
            }
            let weight = self.fraction(&r.weight, &format!("indicator `{code}` weight"), true);
            last_weight.insert(dimension.clone(), r.weight.span());
            self.texts(
                &r.question,
                r.code.span(),
                &format!("indicator `{code}` question"),
            );
            let mut options: Vec<AnswerOption> = Vec::new();
            for o in &r.options {
                let oc = o.code.get_ref().clone();
                if !is_code(&oc) {
                    self.at(
                        o.code.span(),
                        format!("option code {oc:?} must be lower case letters, digits and _"),
                    );
                }
                if options.iter().any(|x| x.code == oc) {
                    self.at(
                        o.code.span(),
                        format!("indicator `{code}`: option `{oc}` is listed twice"),
                    );
                }
                let score = o.score.as_ref().map(|s| {
                    self.fraction(s, &format!("indicator `{code}` option `{oc}` score"), false)
                });
                self.texts(
                    &o.label,
                    o.code.span(),
                    &format!("indicator `{code}` option `{oc}` label"),
                );
                options.push(AnswerOption {
                    code: oc,
                    score,
                    label: o.label.clone(),
                });
            }
            if options.len() < 2 || options.iter().all(|o| o.score.is_none()) {
                self.at(
                    r.code.span(),
                    format!("indicator `{code}` needs at least two options, one of them scored"),
                );
            }
            indicators.push(Indicator {
                code,
                dimension,
                weight,
                question: r.question.clone(),
                options,
            });
        }
        for (d, span) in &dimensions {
            let sum: Score = indicators
                .iter()
                .filter(|i| i.dimension == d.code)
                .map(|i| i.weight)
                .sum();
            match last_weight.get(&d.code) {
                None => self.at(
                    span.clone(),
                    format!("dimension `{}` has no indicator", d.code),
                ),
                Some(at) if sum != Score::from_integer(1) => self.at(
                    at.clone(),
                    format!(
                        "the indicator weights of dimension `{}` add up to {sum}, not 1",
                        d.code
                    ),
                ),
                Some(_) => {}
            }
        }
        let dimensions: BTreeSet<_> = dimensions.iter().map(|(d, _)| d.code.clone()).collect();
        // Dimensions in the order their first indicator appears: the order of the survey.
        let mut ordered: Vec<String> = Vec::new();
        for i in &indicators {
            if dimensions.contains(&i.dimension) && !ordered.contains(&i.dimension) {
                ordered.push(i.dimension.clone());
            }
        }
        let raw_dims = raw.dimensions;
        let dims = ordered
            .into_iter()
            .map(|code| {
                let d = &raw_dims[&code];
                Dimension {
                    weight: parse_score(d.weight.get_ref()).unwrap_or_default(),
                    label: d.label.clone(),
                    code,
                }
            })
            .collect();
        Instrument {
            id,
            description: raw.description.into_inner(),
            provisional: raw.provisional,
            bands,
            dimensions: dims,
            indicators,
            content_hash: crate::policy::sha256_hex(text),
            source: text.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rss() -> Instrument {
        Instrument::parse(RSS_2017_SOURCE).expect("shipped instrument parses")
    }

    fn r(n: i128, d: i128) -> Score {
        Ratio::new(n, d)
    }

    const SMALL: &str = r#"
id = "T-1"
description = "test"
[bands]
medium_from = "1/3"
high_from = "2/3"
[dimensions.a]
weight = "1/3"
label = { nl = "A", fr = "A", en = "A" }
[dimensions.b]
weight = "2/3"
label = { nl = "B", fr = "B", en = "B" }
[[indicators]]
code = "a1"
dimension = "a"
weight = "0.25"
question = { nl = "q", fr = "q", en = "q" }
options = [
  { code = "yes", score = "1", label = { nl = "ja", fr = "oui", en = "yes" } },
  { code = "no", score = "0", label = { nl = "nee", fr = "non", en = "no" } },
]
[[indicators]]
code = "a2"
dimension = "a"
weight = "0.75"
question = { nl = "q", fr = "q", en = "q" }
options = [
  { code = "good", score = "1", label = { nl = "goed", fr = "bien", en = "good" } },
  { code = "half", score = "1/2", label = { nl = "half", fr = "moitié", en = "half" } },
  { code = "na", label = { nl = "nvt", fr = "s.o.", en = "n/a" } },
]
[[indicators]]
code = "b1"
dimension = "b"
weight = "1"
question = { nl = "q", fr = "q", en = "q" }
options = [
  { code = "hi", score = "0.9", label = { nl = "h", fr = "h", en = "h" } },
  { code = "lo", score = "0.1", label = { nl = "l", fr = "l", en = "l" } },
]
"#;

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        Answers(
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    }

    #[test]
    fn hand_computed_scores_are_exact() {
        let t = Instrument::parse(SMALL).unwrap();
        // a = 0.25·1 + 0.75·½ = 5/8; b = 9/10; composite = ⅓·5/8 + ⅔·9/10 = 5/24 + 3/5 = 97/120.
        let s = t
            .score(&answers(&[("a1", "yes"), ("a2", "half"), ("b1", "hi")]))
            .unwrap();
        assert_eq!(s.dimensions[0].score, Some(r(5, 8)));
        assert_eq!(s.dimensions[1].score, Some(r(9, 10)));
        assert_eq!(s.composite, Some(r(97, 120)));
        assert_eq!(s.band, Some(Band::High));
        assert_eq!(s.dimensions[0].band, Some(Band::Medium));
        assert_eq!(score_decimal(r(97, 120), 2).to_string(), "0.81");
        assert_eq!(score_text(r(97, 120)), "97/120");
        // Not applicable: a1 carries the whole of dimension a.
        let s = t
            .score(&answers(&[("a1", "no"), ("a2", "na"), ("b1", "lo")]))
            .unwrap();
        assert_eq!(s.dimensions[0].score, Some(r(0, 1)));
        assert_eq!(s.composite, Some(r(1, 15)));
        assert_eq!(s.band, Some(Band::Low));
    }

    #[test]
    fn bands_are_inclusive_at_their_lower_bound() {
        let t = Instrument::parse(SMALL).unwrap();
        assert_eq!(t.bands().of(r(1, 3)), Band::Medium);
        assert_eq!(t.bands().of(r(2, 3)), Band::High);
        assert_eq!(t.bands().of(r(33, 100)), Band::Low);
    }

    #[test]
    fn the_shipped_rss_has_fifteen_indicators_with_equal_provisional_weights() {
        let t = rss();
        assert_eq!(t.id(), "RSS-2017");
        assert!(t.provisional());
        assert_eq!(t.indicators().len(), 15);
        let dims: Vec<&str> = t.dimensions().iter().map(|d| d.code.as_str()).collect();
        assert_eq!(dims, ["economic", "social", "psychosocial"]);
        for d in t.dimensions() {
            assert_eq!(d.weight, r(1, 3));
            let n = t
                .indicators()
                .iter()
                .filter(|i| i.dimension == d.code)
                .count();
            assert_eq!(n, 5, "{}", d.code);
        }
        for i in t.indicators() {
            assert_eq!(i.weight, r(1, 5), "{}", i.code);
            for o in &i.options {
                if let Some(s) = o.score {
                    assert!(s >= r(0, 1) && s <= r(1, 1), "{} {}", i.code, o.code);
                }
                for l in ["nl", "fr", "en"] {
                    assert!(!o.label.get(l).is_empty());
                }
            }
        }
        // All best answers: 1 everywhere; all worst: 0.
        let best = Answers(
            t.indicators()
                .iter()
                .map(|i| (i.code.clone(), i.options[0].code.clone()))
                .collect(),
        );
        assert_eq!(t.score(&best).unwrap().composite, Some(r(1, 1)));
    }

    #[test]
    fn weights_that_do_not_add_up_are_refused_with_their_line() {
        let bad = SMALL.replace("weight = \"0.75\"", "weight = \"0.7\"");
        let problems = Instrument::parse(&bad).unwrap_err();
        let line = bad
            .lines()
            .position(|l| l.contains("weight = \"0.7\""))
            .unwrap()
            + 1;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(line));
        assert!(
            problems[0]
                .message
                .contains("dimension `a` add up to 19/20"),
            "{}",
            problems[0].message
        );
        let bad = SMALL.replace("weight = \"2/3\"", "weight = \"0.6\"");
        let problems = Instrument::parse(&bad).unwrap_err();
        assert!(
            problems[0]
                .message
                .contains("dimension weights add up to 14/15"),
            "{problems:?}"
        );
    }

    #[test]
    fn scores_outside_zero_to_one_and_floats_are_refused() {
        let bad = SMALL.replace("score = \"0.9\"", "score = \"1.5\"");
        let p = Instrument::parse(&bad).unwrap_err();
        assert!(p[0].message.contains("between 0 and 1"), "{p:?}");
        let bad = SMALL.replace("score = \"0.9\"", "score = 0.9");
        assert!(Instrument::parse(&bad).is_err());
        let bad = SMALL.replace("score = \"0.9\"", "score = \"-0.1\"");
        assert!(Instrument::parse(&bad).is_err());
    }

    #[test]
    fn answers_are_checked_against_the_options() {
        let t = Instrument::parse(SMALL).unwrap();
        let raw: BTreeMap<String, String> = [("a1", "yes"), ("a2", "maybe"), ("zz", "x")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let e = t.check_answers(&raw).unwrap_err();
        let fields: Vec<String> =
            e.0.iter()
                .map(|e| e.field.clone().unwrap_or_default())
                .collect();
        assert_eq!(fields, ["answers.a2", "answers.b1", "answers"]);
    }

    #[test]
    fn rescoring_under_an_instrument_without_an_answer_is_refused() {
        let t = Instrument::parse(SMALL).unwrap();
        let a = answers(&[("a1", "yes"), ("a2", "gone"), ("b1", "hi")]);
        assert!(matches!(t.score(&a), Err(ScoreError::UnknownOption { .. })));
    }

    #[test]
    fn scores_parse_exactly() {
        assert_eq!(parse_score("1/3"), Some(r(1, 3)));
        assert_eq!(parse_score("0.25"), Some(r(1, 4)));
        assert_eq!(parse_score(" 1 "), Some(r(1, 1)));
        assert_eq!(parse_score("1/0"), None);
        assert_eq!(parse_score("0,5"), None);
        assert_eq!(parse_score("1e-3"), None);
        assert_eq!(parse_score("0.1234567"), None);
    }

    proptest! {
        /// Changing one answer moves only its own dimension and the composite.
        #[test]
        fn one_answer_moves_only_its_dimension(seed in proptest::collection::vec(0usize..5, 15), which in 0usize..15, to in 0usize..5) {
            let t = rss();
            let pick = |i: &Indicator, k: usize| i.options[k % i.options.len()].code.clone();
            let before = Answers(t.indicators().iter().zip(&seed).map(|(i, k)| (i.code.clone(), pick(i, *k))).collect());
            let mut after = before.clone();
            let changed = &t.indicators()[which];
            after.0.insert(changed.code.clone(), pick(changed, to));
            let (b, a) = (t.score(&before).unwrap(), t.score(&after).unwrap());
            for (db, da) in b.dimensions.iter().zip(&a.dimensions) {
                if db.code != changed.dimension {
                    prop_assert_eq!(db, da);
                }
            }
            if b.dimensions == a.dimensions {
                prop_assert_eq!(b.composite, a.composite);
            }
            for s in a.dimensions.iter().filter_map(|d| d.score).chain(a.composite) {
                prop_assert!(s >= r(0, 1) && s <= r(1, 1));
            }
        }

        /// The same answers always give the same scores, and a score written and read back is equal.
        #[test]
        fn scores_round_trip_as_text(n in 0i128..1000, d in 1i128..1000) {
            let s = r(n, d);
            prop_assert_eq!(parse_score(&score_text(s)), Some(s));
        }
    }
}
