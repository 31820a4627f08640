//! Versioned programme policy: the figures and country lists that decide what a household
//! receives, kept as data (a TOML document, see `docs/policy.md`) and never as constants in code.
//!
//! [`Policy::parse`] reads and checks a policy document and reports every problem it finds with
//! its line and column, so an administrator can fix a file in one go. A parsed policy remembers
//! its source text and the SHA-256 of that text ([`Policy::content_hash`]): a quote records the
//! exact version it was computed with.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use time::Date;
use toml::Spanned;

use crate::country::CountryCode;
use crate::dates::{format_date, parse_date};

/// The category of a country of return, which decides the premium and the budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryCategory {
    /// Every country not listed in another category.
    VisaRequired,
    VisaExempt,
    Eu,
}
crate::string_enum!(CountryCategory {
    VisaRequired = "visa_required",
    VisaExempt = "visa_exempt",
    Eu = "eu",
});

/// Cash departure premium of one country category, per person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Premium {
    pub adult: Decimal,
    pub child: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Premiums {
    pub visa_required: Premium,
    pub visa_exempt: Premium,
    pub eu: Premium,
}

/// Country lists. `visa_required` is every country in neither list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Countries {
    pub visa_exempt: Vec<CountryCode>,
    pub eu: Vec<CountryCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exclusion {
    /// Nationalities excluded from the programme (the old EU-15 states).
    pub excluded_nationalities: Vec<CountryCode>,
    /// Nationals of the programme country itself (Belgium), excluded too.
    pub own_nationals: Vec<CountryCode>,
    /// Support received on a date later than the application date minus this many years excludes.
    pub prior_support_years: u32,
}

/// Basic reintegration budget (in kind).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reintegration {
    /// Categories of the country of return where the budget is granted.
    pub categories: Vec<CountryCategory>,
    pub principal: Decimal,
    pub other_member: Decimal,
}

/// Vulnerability top-ups (in kind).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VulnerabilityTopUps {
    /// Per eligible minor child of a family with children.
    pub family_child: Decimal,
    /// Per (ex-)unaccompanied minor.
    pub unaccompanied_minor: Decimal,
    /// Per victim of trafficking in human beings.
    pub trafficking_victim: Decimal,
    /// Categories where every vulnerability line (top-ups and AMAAR) needs a programme manager's approval.
    pub approval_required_in: Vec<CountryCategory>,
}

/// AMAAR medical budget: one-off items + `months` × monthly items, capped per person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Amaar {
    pub months: u32,
    pub cap_per_person: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    /// The reintegration budget must be used within this many months of arrival.
    pub reintegration_months: u32,
    /// The AMAAR budget must be used within this many months of arrival.
    pub medical_months: u32,
}

/// Rules for reintegration plans. The section is optional so policy versions stored before it
/// existed still parse: then every plan needs one approver, and tasks use 30 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlanRules {
    /// Plans whose lines total more than this need two distinct approvers.
    pub second_approval_above: Option<Decimal>,
    /// A task is raised when no plan was submitted this many days after arrival.
    pub submission_days: u32,
    /// A task is raised this many days before a line with money left expires.
    pub warning_days: u32,
}

impl Default for PlanRules {
    fn default() -> Self {
        PlanRules {
            second_approval_above: None,
            submission_days: 30,
            warning_days: 30,
        }
    }
}

/// Rules for moving a case through its lifecycle. Optional, like [`PlanRules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LifecycleRules {
    /// A departure may be confirmed this many days before the booked day (an earlier flight).
    pub departure_tolerance_days: u32,
}

impl Default for LifecycleRules {
    fn default() -> Self {
        LifecycleRules {
            departure_tolerance_days: 7,
        }
    }
}

/// Follow-ups after arrival, and when a case counts as gone quiet. Optional: a policy without
/// the section schedules no follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct MonitoringRules {
    /// In the order they fall due.
    pub followups: Vec<FollowUpRule>,
    /// A case in reintegration or monitoring with no follow-up recorded for this many months
    /// raises a task; `None` when the policy sets no limit.
    pub quiet_months: Option<u32>,
}

/// How long the details of an ended case (closed, withdrawn, no-show) are kept, in years after
/// the day it ended. Optional: a policy without the section erases nothing, and each rule left
/// out keeps its category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct RetentionRules {
    /// Free-text notes and special-category details (medical needs' words, the sources and
    /// evidence of vulnerabilities, best-interests assessments, guardians, what visits observed,
    /// corrections): deleted.
    pub notes_years: Option<u32>,
    /// Names, other spellings and identity documents: pseudonymised, a keyed hash kept so that
    /// the prior-support rule still recognises the person.
    pub identity_years: Option<u32>,
    /// Proofs of payment (the files): deleted; the amounts stay.
    pub proofs_years: Option<u32>,
}

/// One scheduled follow-up: due `due_months` after arrival, surveyed with `instrument`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUpRule {
    pub code: String,
    pub due_months: u32,
    pub instrument: String,
}

/// A service package (services, not money) offered for some countries of return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServicePackage {
    pub countries: Vec<CountryCode>,
}

/// Identifies the exact policy text a result was computed with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PolicyVersion {
    /// The policy id, e.g. `BE-2022`; serialised as `policy` inside a quote.
    #[serde(rename = "policy")]
    pub id: String,
    /// Hex SHA-256 of the policy source text; serialised as `policy_hash` inside a quote.
    #[serde(rename = "policy_hash")]
    pub content_hash: String,
}

/// A parsed and checked programme policy. Serialisable so it can be snapshotted; the snapshot
/// carries the source text, which [`Policy::parse`] turns back into the same policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    id: String,
    #[serde(serialize_with = "serialize_date")]
    effective_from: Date,
    currency: String,
    description: String,
    content_hash: String,
    countries: Countries,
    exclusion: Exclusion,
    departure_premium: Premiums,
    reintegration: Reintegration,
    vulnerability: VulnerabilityTopUps,
    amaar: Amaar,
    partner_fee: Decimal,
    deadlines: Deadlines,
    plan: PlanRules,
    lifecycle: LifecycleRules,
    monitoring: MonitoringRules,
    retention: RetentionRules,
    /// By package name, in name order.
    services: BTreeMap<String, ServicePackage>,
    source: String,
}

fn serialize_date<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_date(*d))
}

/// A problem in a policy document. Lines and columns count from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyProblem {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for PolicyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            (Some(l), None) => write!(f, "line {l}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl Policy {
    /// Parses a policy document and checks it. Reports every problem found, in file order.
    pub fn parse(text: &str) -> Result<Policy, Vec<PolicyProblem>> {
        let raw: RawPolicy = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let (line, column) = match e.span() {
                    Some(span) => {
                        let (l, c) = line_col(text, span.start);
                        (Some(l), Some(c))
                    }
                    None => (None, None),
                };
                return Err(vec![PolicyProblem {
                    line,
                    column,
                    message: e.message().trim().to_string(),
                }]);
            }
        };
        let mut ck = Checker {
            text,
            problems: Vec::new(),
        };
        let policy = ck.policy(&raw, text);
        if ck.problems.is_empty() {
            Ok(policy)
        } else {
            let mut problems = ck.problems;
            // File order; problems without a position last. The sort is stable.
            problems.sort_by_key(|p| (p.line.is_none(), p.line, p.column));
            Err(problems)
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn effective_from(&self) -> Date {
        self.effective_from
    }
    /// Always `EUR` (the only currency the programme pays in).
    pub fn currency(&self) -> &str {
        &self.currency
    }
    pub fn description(&self) -> &str {
        &self.description
    }
    /// Hex SHA-256 of the source text.
    pub fn content_hash(&self) -> &str {
        &self.content_hash
    }
    /// The TOML text this policy was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }
    pub fn version(&self) -> PolicyVersion {
        PolicyVersion {
            id: self.id.clone(),
            content_hash: self.content_hash.clone(),
        }
    }
    pub fn countries(&self) -> &Countries {
        &self.countries
    }
    /// Category of a country of return: listed as visa-exempt, EU, or else visa-required.
    pub fn category_of(&self, country: CountryCode) -> CountryCategory {
        if self.countries.visa_exempt.contains(&country) {
            CountryCategory::VisaExempt
        } else if self.countries.eu.contains(&country) {
            CountryCategory::Eu
        } else {
            CountryCategory::VisaRequired
        }
    }
    pub fn exclusion(&self) -> &Exclusion {
        &self.exclusion
    }
    pub fn premiums(&self) -> &Premiums {
        &self.departure_premium
    }
    pub fn premium(&self, category: CountryCategory) -> Premium {
        match category {
            CountryCategory::VisaRequired => self.departure_premium.visa_required,
            CountryCategory::VisaExempt => self.departure_premium.visa_exempt,
            CountryCategory::Eu => self.departure_premium.eu,
        }
    }
    pub fn reintegration(&self) -> &Reintegration {
        &self.reintegration
    }
    pub fn vulnerability(&self) -> &VulnerabilityTopUps {
        &self.vulnerability
    }
    pub fn amaar(&self) -> &Amaar {
        &self.amaar
    }
    /// Partner service fee, once per eligible case with any in-kind amount.
    pub fn partner_fee(&self) -> Decimal {
        self.partner_fee
    }
    pub fn deadlines(&self) -> Deadlines {
        self.deadlines
    }
    pub fn lifecycle(&self) -> LifecycleRules {
        self.lifecycle
    }

    pub fn monitoring(&self) -> &MonitoringRules {
        &self.monitoring
    }

    pub fn retention(&self) -> RetentionRules {
        self.retention
    }

    pub fn plan(&self) -> PlanRules {
        self.plan
    }
    pub fn services(&self) -> &BTreeMap<String, ServicePackage> {
        &self.services
    }
    /// Names of the service packages offered for a country of return, in name order.
    pub fn services_for(&self, country: CountryCode) -> Vec<String> {
        self.services
            .iter()
            .filter(|(_, p)| p.countries.contains(&country))
            .map(|(n, _)| n.clone())
            .collect()
    }
}

pub(crate) use crate::money::AmountError;

/// Parses a euro amount written as a plain decimal string (`350.00`): the one money parser, in
/// the plain style files and JSON use. Never goes through a float.
pub(crate) fn parse_amount(input: &str) -> Result<Decimal, AmountError> {
    crate::money::parse_decimal(input, crate::money::NumberStyle::Plain, 2)
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

// ---------------------------------------------------------------------------------------------
// Raw document, as written. Every key is optional here so that all missing keys are reported
// together; unknown keys are refused (a misspelt key must not be silently ignored).

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    id: Option<S<String>>,
    effective_from: Option<S<String>>,
    currency: Option<S<String>>,
    description: Option<S<String>>,
    countries: Option<RawCountries>,
    exclusion: Option<RawExclusion>,
    departure_premium: Option<RawPremiums>,
    reintegration: Option<RawReintegration>,
    vulnerability: Option<RawVulnerability>,
    amaar: Option<RawAmaar>,
    partner_fee: Option<RawPartnerFee>,
    deadlines: Option<RawDeadlines>,
    plan: Option<RawPlan>,
    lifecycle: Option<RawLifecycle>,
    monitoring: Option<RawMonitoring>,
    retention: Option<RawRetention>,
    services: Option<BTreeMap<String, RawService>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetention {
    notes_years: Option<S<i64>>,
    identity_years: Option<S<i64>>,
    proofs_years: Option<S<i64>>,
}

type RawList = Option<S<Vec<S<String>>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountries {
    visa_exempt: RawList,
    eu: RawList,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExclusion {
    excluded_nationalities: RawList,
    own_nationals: RawList,
    prior_support_years: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPremiums {
    visa_required: Option<RawPremium>,
    visa_exempt: Option<RawPremium>,
    eu: Option<RawPremium>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPremium {
    adult: Option<S<String>>,
    child: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReintegration {
    categories: RawList,
    principal: Option<S<String>>,
    other_member: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVulnerability {
    family_child: Option<S<String>>,
    unaccompanied_minor: Option<S<String>>,
    trafficking_victim: Option<S<String>>,
    approval_required_in: RawList,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAmaar {
    months: Option<S<i64>>,
    cap_per_person: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartnerFee {
    per_case: Option<S<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    second_approval_above: Option<S<String>>,
    submission_days: Option<S<i64>>,
    warning_days: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLifecycle {
    departure_tolerance_days: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMonitoring {
    quiet_months: Option<S<i64>>,
    #[serde(default)]
    followups: Vec<RawFollowUp>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFollowUp {
    code: S<String>,
    due_months: S<i64>,
    instrument: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadlines {
    reintegration_months: Option<S<i64>>,
    medical_months: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    countries: RawList,
}

/// Upper bounds that keep date and money arithmetic far from overflow.
const MAX_YEARS: i64 = 100;
const MAX_MONTHS: i64 = 120;

struct Checker<'t> {
    text: &'t str,
    problems: Vec<PolicyProblem>,
}

impl Checker<'_> {
    fn at(&mut self, span: Option<Range<usize>>, message: String) {
        let (line, column) = match span {
            Some(s) => {
                let (l, c) = line_col(self.text, s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        self.problems.push(PolicyProblem {
            line,
            column,
            message,
        });
    }

    /// The value of a required key, or a "missing key" problem at the enclosing table.
    fn req<'a, T>(
        &mut self,
        v: &'a Option<S<T>>,
        table: Option<Range<usize>>,
        path: &str,
    ) -> Option<&'a S<T>> {
        if v.is_none() {
            self.at(table, format!("missing key `{path}`"));
        }
        v.as_ref()
    }

    /// A required table, or a "missing key" problem at the enclosing table.
    fn section<'a, T>(&mut self, v: &'a Option<T>, path: &str) -> Option<&'a T> {
        if v.is_none() {
            let parent = path.rsplit_once('.').and_then(|(p, _)| self.table_span(p));
            self.at(parent, format!("missing key `{path}`"));
        }
        v.as_ref()
    }

    /// Where the header `[path]` of a table is, if the document writes one.
    fn table_span(&self, path: &str) -> Option<Range<usize>> {
        let header = format!("[{path}]");
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            let content = line.split('#').next().unwrap_or("").trim();
            if content.replace(' ', "") == header {
                let start = offset + (line.len() - line.trim_start().len());
                return Some(start..start + header.len());
            }
            offset += line.len();
        }
        None
    }

    fn amount(
        &mut self,
        v: &Option<S<String>>,
        table: Option<Range<usize>>,
        path: &str,
    ) -> Decimal {
        let Some(v) = self.req(v, table, path) else {
            return Decimal::ZERO;
        };
        match parse_amount(v.get_ref()) {
            Ok(d) => d,
            Err(e) => {
                let why = match e {
                    AmountError::Negative => "must not be negative",
                    AmountError::TooManyDecimals => {
                        "has more than two decimals (amounts are in euro cents)"
                    }
                    AmountError::TooLarge => "is too large",
                    AmountError::Empty | AmountError::NotANumber | AmountError::Ambiguous => {
                        "is not an amount: write a decimal string such as \"350.00\""
                    }
                };
                self.at(
                    Some(v.span()),
                    format!("`{path}` = {:?} {why}", v.get_ref()),
                );
                Decimal::ZERO
            }
        }
    }

    fn count(
        &mut self,
        v: &Option<S<i64>>,
        table: Option<Range<usize>>,
        path: &str,
        max: i64,
    ) -> u32 {
        let Some(v) = self.req(v, table, path) else {
            return 1;
        };
        let n = *v.get_ref();
        if !(1..=max).contains(&n) {
            self.at(
                Some(v.span()),
                format!("`{path}` = {n} must be between 1 and {max}"),
            );
            return 1;
        }
        n as u32
    }

    fn text_value(
        &mut self,
        v: &Option<S<String>>,
        table: Option<Range<usize>>,
        path: &str,
    ) -> Option<S<String>> {
        self.req(v, table, path).cloned()
    }

    /// A list of country codes: every code known, none twice.
    fn country_list(
        &mut self,
        v: &RawList,
        table: Option<Range<usize>>,
        path: &str,
    ) -> Vec<(CountryCode, Range<usize>)> {
        let Some(list) = self.req(v, table, path) else {
            return Vec::new();
        };
        let mut out: Vec<(CountryCode, Range<usize>)> = Vec::new();
        for item in list.get_ref() {
            match CountryCode::parse(item.get_ref()) {
                Ok(c) if item.get_ref().trim() == c.as_str() => {
                    if out.iter().any(|(o, _)| *o == c) {
                        self.at(
                            Some(item.span()),
                            format!("country {c} is listed twice in `{path}`"),
                        );
                    } else {
                        out.push((c, item.span()));
                    }
                }
                Ok(c) => self.at(
                    Some(item.span()),
                    format!("write country {c} in upper case in `{path}`"),
                ),
                Err(_) => self.at(
                    Some(item.span()),
                    format!(
                        "unknown country code {:?} in `{path}` (ISO 3166-1 alpha-2, XK for Kosovo)",
                        item.get_ref()
                    ),
                ),
            }
        }
        out
    }

    fn category_list(
        &mut self,
        v: &RawList,
        table: Option<Range<usize>>,
        path: &str,
    ) -> Vec<CountryCategory> {
        let Some(list) = self.req(v, table, path) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in list.get_ref() {
            match item.get_ref().parse::<CountryCategory>() {
                Ok(c) if out.contains(&c) => {
                    self.at(Some(item.span()), format!("category {c} is listed twice in `{path}`"))
                }
                Ok(c) => out.push(c),
                Err(_) => self.at(
                    Some(item.span()),
                    format!(
                        "unknown country category {:?} in `{path}` (visa_required, visa_exempt or eu)",
                        item.get_ref()
                    ),
                ),
            }
        }
        out
    }

    fn premium(&mut self, v: &Option<RawPremium>, path: &str) -> Premium {
        let Some(p) = self.section(v, path) else {
            return Premium {
                adult: Decimal::ZERO,
                child: Decimal::ZERO,
            };
        };
        let span = self.table_span(path);
        Premium {
            adult: self.amount(&p.adult, span.clone(), &format!("{path}.adult")),
            child: self.amount(&p.child, span, &format!("{path}.child")),
        }
    }

    fn policy(&mut self, raw: &RawPolicy, text: &str) -> Policy {
        let id = match self.text_value(&raw.id, None, "id") {
            Some(v) => {
                let s = v.get_ref().trim().to_string();
                let ok = !s.is_empty()
                    && s.len() <= 64
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
                if !ok {
                    self.at(
                        Some(v.span()),
                        format!(
                            "`id` = {:?} must be 1 to 64 letters, digits, '-', '_' or '.'",
                            v.get_ref()
                        ),
                    );
                }
                s
            }
            None => String::new(),
        };
        let effective_from = match self.text_value(&raw.effective_from, None, "effective_from") {
            Some(v) => parse_date(v.get_ref()).unwrap_or_else(|_| {
                self.at(
                    Some(v.span()),
                    format!(
                        "`effective_from` = {:?} is not a valid date (YYYY-MM-DD)",
                        v.get_ref()
                    ),
                );
                Date::MIN
            }),
            None => Date::MIN,
        };
        let currency = match self.text_value(&raw.currency, None, "currency") {
            Some(v) if v.get_ref() == "EUR" => "EUR".to_string(),
            Some(v) => {
                self.at(
                    Some(v.span()),
                    format!("`currency` = {:?}: only \"EUR\" is supported", v.get_ref()),
                );
                String::new()
            }
            None => String::new(),
        };
        let description = raw
            .description
            .as_ref()
            .map(|d| d.get_ref().clone())
            .unwrap_or_default();

        // [countries]
        let countries = match self.section(&raw.countries, "countries") {
            Some(c) => {
                let span = self.table_span("countries");
                let visa_exempt =
                    self.country_list(&c.visa_exempt, span.clone(), "countries.visa_exempt");
                let eu = self.country_list(&c.eu, span, "countries.eu");
                for (code, at) in &eu {
                    if visa_exempt.iter().any(|(v, _)| v == code) {
                        self.at(
                            Some(at.clone()),
                            format!("country {code} is in two categories: countries.visa_exempt and countries.eu"),
                        );
                    }
                }
                Countries {
                    visa_exempt: visa_exempt.into_iter().map(|(c, _)| c).collect(),
                    eu: eu.into_iter().map(|(c, _)| c).collect(),
                }
            }
            None => Countries {
                visa_exempt: Vec::new(),
                eu: Vec::new(),
            },
        };

        // [exclusion]
        let exclusion = match self.section(&raw.exclusion, "exclusion") {
            Some(x) => {
                let span = self.table_span("exclusion");
                let codes =
                    |v: Vec<(CountryCode, Range<usize>)>| v.into_iter().map(|(c, _)| c).collect();
                Exclusion {
                    excluded_nationalities: codes(self.country_list(
                        &x.excluded_nationalities,
                        span.clone(),
                        "exclusion.excluded_nationalities",
                    )),
                    own_nationals: codes(self.country_list(
                        &x.own_nationals,
                        span.clone(),
                        "exclusion.own_nationals",
                    )),
                    prior_support_years: self.count(
                        &x.prior_support_years,
                        span,
                        "exclusion.prior_support_years",
                        MAX_YEARS,
                    ),
                }
            }
            None => Exclusion {
                excluded_nationalities: Vec::new(),
                own_nationals: Vec::new(),
                prior_support_years: 1,
            },
        };

        // [departure_premium.*]
        let zero = Premium {
            adult: Decimal::ZERO,
            child: Decimal::ZERO,
        };
        let departure_premium = match self.section(&raw.departure_premium, "departure_premium") {
            Some(p) => Premiums {
                visa_required: self.premium(&p.visa_required, "departure_premium.visa_required"),
                visa_exempt: self.premium(&p.visa_exempt, "departure_premium.visa_exempt"),
                eu: self.premium(&p.eu, "departure_premium.eu"),
            },
            None => Premiums {
                visa_required: zero,
                visa_exempt: zero,
                eu: zero,
            },
        };

        // [reintegration]
        let reintegration = match self.section(&raw.reintegration, "reintegration") {
            Some(r) => {
                let span = self.table_span("reintegration");
                Reintegration {
                    categories: self.category_list(
                        &r.categories,
                        span.clone(),
                        "reintegration.categories",
                    ),
                    principal: self.amount(&r.principal, span.clone(), "reintegration.principal"),
                    other_member: self.amount(&r.other_member, span, "reintegration.other_member"),
                }
            }
            None => Reintegration {
                categories: Vec::new(),
                principal: Decimal::ZERO,
                other_member: Decimal::ZERO,
            },
        };

        // [vulnerability]
        let vulnerability = match self.section(&raw.vulnerability, "vulnerability") {
            Some(v) => {
                let span = self.table_span("vulnerability");
                VulnerabilityTopUps {
                    family_child: self.amount(
                        &v.family_child,
                        span.clone(),
                        "vulnerability.family_child",
                    ),
                    unaccompanied_minor: self.amount(
                        &v.unaccompanied_minor,
                        span.clone(),
                        "vulnerability.unaccompanied_minor",
                    ),
                    trafficking_victim: self.amount(
                        &v.trafficking_victim,
                        span.clone(),
                        "vulnerability.trafficking_victim",
                    ),
                    approval_required_in: self.category_list(
                        &v.approval_required_in,
                        span,
                        "vulnerability.approval_required_in",
                    ),
                }
            }
            None => VulnerabilityTopUps {
                family_child: Decimal::ZERO,
                unaccompanied_minor: Decimal::ZERO,
                trafficking_victim: Decimal::ZERO,
                approval_required_in: Vec::new(),
            },
        };

        // [amaar]
        let amaar = match self.section(&raw.amaar, "amaar") {
            Some(a) => {
                let span = self.table_span("amaar");
                Amaar {
                    months: self.count(&a.months, span.clone(), "amaar.months", MAX_MONTHS),
                    cap_per_person: self.amount(&a.cap_per_person, span, "amaar.cap_per_person"),
                }
            }
            None => Amaar {
                months: 1,
                cap_per_person: Decimal::ZERO,
            },
        };

        // [partner_fee]
        let partner_fee = match self.section(&raw.partner_fee, "partner_fee") {
            Some(f) => {
                let span = self.table_span("partner_fee");
                self.amount(&f.per_case, span, "partner_fee.per_case")
            }
            None => Decimal::ZERO,
        };

        // [deadlines]
        let deadlines = match self.section(&raw.deadlines, "deadlines") {
            Some(d) => {
                let span = self.table_span("deadlines");
                Deadlines {
                    reintegration_months: self.count(
                        &d.reintegration_months,
                        span.clone(),
                        "deadlines.reintegration_months",
                        MAX_MONTHS,
                    ),
                    medical_months: self.count(
                        &d.medical_months,
                        span,
                        "deadlines.medical_months",
                        MAX_MONTHS,
                    ),
                }
            }
            None => Deadlines {
                reintegration_months: 1,
                medical_months: 1,
            },
        };

        // [plan] (optional: see PlanRules)
        let plan = match &raw.plan {
            Some(p) => {
                let span = self.table_span("plan");
                let defaults = PlanRules::default();
                PlanRules {
                    second_approval_above: p.second_approval_above.as_ref().map(|_| {
                        self.amount(
                            &p.second_approval_above,
                            span.clone(),
                            "plan.second_approval_above",
                        )
                    }),
                    submission_days: match p.submission_days {
                        Some(_) => self.count(
                            &p.submission_days,
                            span.clone(),
                            "plan.submission_days",
                            366,
                        ),
                        None => defaults.submission_days,
                    },
                    warning_days: match p.warning_days {
                        Some(_) => self.count(&p.warning_days, span, "plan.warning_days", 366),
                        None => defaults.warning_days,
                    },
                }
            }
            None => PlanRules::default(),
        };

        // [lifecycle] (optional: see LifecycleRules)
        let lifecycle = match raw.lifecycle.as_ref().map(|l| &l.departure_tolerance_days) {
            Some(days @ Some(_)) => LifecycleRules {
                departure_tolerance_days: self.count(
                    days,
                    self.table_span("lifecycle"),
                    "lifecycle.departure_tolerance_days",
                    60,
                ),
            },
            _ => LifecycleRules::default(),
        };

        // [monitoring] (optional: see MonitoringRules)
        let mut monitoring = MonitoringRules::default();
        if let Some(m) = &raw.monitoring {
            let span = self.table_span("monitoring");
            if m.quiet_months.is_some() {
                monitoring.quiet_months = Some(self.count(
                    &m.quiet_months,
                    span.clone(),
                    "monitoring.quiet_months",
                    MAX_MONTHS,
                ));
            }
            let mut last = 0;
            for f in &m.followups {
                let code = f.code.get_ref().clone();
                let valid = !code.is_empty()
                    && code.len() <= 32
                    && code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !valid {
                    self.at(
                        Some(f.code.span()),
                        format!("follow-up code {code:?} must be 1 to 32 lower-case letters, digits or '_'"),
                    );
                }
                if monitoring.followups.iter().any(|o| o.code == code) {
                    self.at(
                        Some(f.code.span()),
                        format!("follow-up `{code}` is listed twice"),
                    );
                }
                let months = *f.due_months.get_ref();
                if !(0..=MAX_MONTHS).contains(&months) || months < last {
                    self.at(
                        Some(f.due_months.span()),
                        format!("follow-up `{code}`: due_months = {months} must be between {last} and {MAX_MONTHS} (follow-ups are listed in the order they fall due)"),
                    );
                }
                last = months.clamp(0, MAX_MONTHS);
                monitoring.followups.push(FollowUpRule {
                    code,
                    due_months: months.clamp(0, MAX_MONTHS) as u32,
                    instrument: f.instrument.get_ref().trim().to_string(),
                });
            }
        }

        // [retention] (optional: see RetentionRules)
        let mut retention = RetentionRules::default();
        if let Some(r) = &raw.retention {
            let span = self.table_span("retention");
            for (value, path, slot) in [
                (
                    &r.notes_years,
                    "retention.notes_years",
                    &mut retention.notes_years,
                ),
                (
                    &r.identity_years,
                    "retention.identity_years",
                    &mut retention.identity_years,
                ),
                (
                    &r.proofs_years,
                    "retention.proofs_years",
                    &mut retention.proofs_years,
                ),
            ] {
                if value.is_some() {
                    *slot = Some(self.count(value, span.clone(), path, MAX_YEARS));
                }
            }
        }

        // [services.*] (optional: a policy may offer no service package)
        let mut services = BTreeMap::new();
        if let Some(s) = &raw.services {
            for (name, package) in s {
                let path = format!("services.{name}");
                let span = self.table_span(&path);
                let valid_name = !name.is_empty()
                    && name.len() <= 64
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !valid_name {
                    self.at(
                        span.clone(),
                        format!("service package name {name:?} must be 1 to 64 lower-case letters, digits or '_'"),
                    );
                }
                let countries =
                    self.country_list(&package.countries, span, &format!("{path}.countries"));
                services.insert(
                    name.clone(),
                    ServicePackage {
                        countries: countries.into_iter().map(|(c, _)| c).collect(),
                    },
                );
            }
        }

        Policy {
            id,
            effective_from,
            currency,
            description,
            content_hash: sha256_hex(text),
            countries,
            exclusion,
            departure_premium,
            reintegration,
            vulnerability,
            amaar,
            partner_fee,
            deadlines,
            plan,
            lifecycle,
            monitoring,
            retention,
            services,
            source: text.to_string(),
        }
    }
}

pub(crate) fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The reference policy `BE-2022`, as shipped in `policies/be-2022.toml`.
pub const BE_2022_SOURCE: &str = include_str!("../../../policies/be-2022.toml");

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn cc(s: &str) -> CountryCode {
        CountryCode::parse(s).unwrap()
    }
    fn be2022() -> Policy {
        Policy::parse(BE_2022_SOURCE).unwrap_or_else(|p| panic!("{p:#?}"))
    }
    /// The reference policy with one line replaced (the first line starting with `prefix`).
    fn edited(prefix: &str, replacement: &str) -> String {
        let mut found = false;
        let out: Vec<String> = BE_2022_SOURCE
            .lines()
            .map(|l| {
                if !found && l.starts_with(prefix) {
                    found = true;
                    replacement.to_string()
                } else {
                    l.to_string()
                }
            })
            .collect();
        assert!(found, "no line starts with {prefix:?}");
        out.join("\n") + "\n"
    }
    fn line_of(text: &str, needle: &str) -> usize {
        text.lines()
            .position(|l| l.contains(needle))
            .expect("needle present")
            + 1
    }

    #[test]
    fn reference_policy_holds_the_domain_figures() {
        let p = be2022();
        assert_eq!(p.id(), "BE-2022");
        assert_eq!(format_date(p.effective_from()), "2022-01-01");
        assert_eq!(p.currency(), "EUR");
        assert_eq!(
            p.premium(CountryCategory::VisaRequired),
            Premium {
                adult: d("350"),
                child: d("175")
            }
        );
        assert_eq!(
            p.premium(CountryCategory::VisaExempt),
            Premium {
                adult: d("50"),
                child: d("25")
            }
        );
        assert_eq!(
            p.premium(CountryCategory::Eu),
            Premium {
                adult: d("50"),
                child: d("25")
            }
        );
        assert_eq!(
            p.reintegration().categories,
            vec![CountryCategory::VisaRequired]
        );
        assert_eq!(p.reintegration().principal, d("2000"));
        assert_eq!(p.reintegration().other_member, d("1000"));
        assert_eq!(p.vulnerability().family_child, d("500"));
        assert_eq!(p.vulnerability().unaccompanied_minor, d("1000"));
        assert_eq!(p.vulnerability().trafficking_victim, d("1500"));
        assert_eq!(
            p.vulnerability().approval_required_in,
            vec![CountryCategory::VisaExempt, CountryCategory::Eu]
        );
        assert_eq!(p.amaar().months, 6);
        assert_eq!(p.amaar().cap_per_person, d("6000"));
        assert_eq!(p.partner_fee(), d("300"));
        assert_eq!(
            p.deadlines(),
            Deadlines {
                reintegration_months: 12,
                medical_months: 6
            }
        );
        assert_eq!(p.exclusion().prior_support_years, 5);
        let eu15: Vec<&str> = p
            .exclusion()
            .excluded_nationalities
            .iter()
            .map(|c| c.as_str())
            .collect();
        assert_eq!(
            eu15,
            "AT BE DE DK ES FI FR GB GR IE IT LU NL PT SE"
                .split(' ')
                .collect::<Vec<_>>()
        );
        assert_eq!(p.exclusion().own_nationals, vec![cc("BE")]);
        let balkan: Vec<&str> = p.services()["balkan_administrative_support"]
            .countries
            .iter()
            .map(|c| c.as_str())
            .collect();
        assert_eq!(balkan, vec!["AL", "BA", "ME", "MK", "RS", "XK"]);
        assert_eq!(p.countries().visa_exempt.len(), 10);
        assert_eq!(p.countries().eu.len(), 13);
    }

    #[test]
    fn categories_follow_the_lists_and_default_to_visa_required() {
        let p = be2022();
        for c in ["AL", "BA", "ME", "MK", "RS", "XK", "GE", "MD", "UA", "BR"] {
            assert_eq!(p.category_of(cc(c)), CountryCategory::VisaExempt, "{c}");
        }
        for c in [
            "BG", "CY", "CZ", "EE", "HR", "HU", "LT", "LV", "MT", "PL", "RO", "SI", "SK",
        ] {
            assert_eq!(p.category_of(cc(c)), CountryCategory::Eu, "{c}");
        }
        for c in ["GN", "AF", "IQ", "CD", "RU", "TR", "US"] {
            assert_eq!(p.category_of(cc(c)), CountryCategory::VisaRequired, "{c}");
        }
        assert_eq!(
            p.services_for(cc("XK")),
            vec!["balkan_administrative_support".to_string()]
        );
        assert!(p.services_for(cc("GE")).is_empty());
    }

    #[test]
    fn content_hash_is_the_sha256_of_the_text() {
        let p = Policy::parse(BE_2022_SOURCE).unwrap();
        assert_eq!(p.content_hash(), sha256_hex(BE_2022_SOURCE));
        assert_eq!(p.content_hash().len(), 64);
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // FIPS 180-2 test vector
        );
        // A comment change is a new version.
        let q = Policy::parse(&format!("{BE_2022_SOURCE}\n# edited\n")).unwrap();
        assert_ne!(p.content_hash(), q.content_hash());
        assert_eq!(p.version().id, "BE-2022");
        assert_eq!(p.source(), BE_2022_SOURCE);
    }

    #[test]
    fn snapshot_serialises_amounts_as_strings_and_the_date_as_iso() {
        let v = serde_json::to_value(be2022()).unwrap();
        assert_eq!(v["id"], "BE-2022");
        assert_eq!(v["effective_from"], "2022-01-01");
        assert_eq!(v["departure_premium"]["visa_required"]["adult"], "350.00");
        assert_eq!(v["countries"]["visa_exempt"][5], "XK");
        assert_eq!(v["content_hash"].as_str().unwrap().len(), 64);
        assert_eq!(
            Policy::parse(v["source"].as_str().unwrap()).unwrap(),
            be2022()
        );
    }

    #[test]
    fn retention_is_read_per_category_and_bounded() {
        let r = be2022().retention();
        assert_eq!(
            (r.notes_years, r.identity_years, r.proofs_years),
            (Some(2), Some(5), Some(7))
        );
        // A policy without the section erases nothing.
        let start = BE_2022_SOURCE.find("[retention]").unwrap();
        let end = BE_2022_SOURCE[start..].find("\n\n").unwrap() + start;
        let without = format!("{}{}", &BE_2022_SOURCE[..start], &BE_2022_SOURCE[end..]);
        assert_eq!(
            Policy::parse(&without).unwrap().retention(),
            RetentionRules::default()
        );
        let problems = Policy::parse(&edited("notes_years = 2", "notes_years = 0")).unwrap_err();
        assert!(
            problems[0].message.contains("retention.notes_years") && problems[0].line.is_some(),
            "{problems:?}"
        );
    }

    #[test]
    fn syntax_errors_carry_the_line() {
        let text = edited("id =", "id = \"BE-2022");
        let problems = Policy::parse(&text).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].line,
            Some(line_of(&text, "id = \"BE-2022")),
            "{problems:?}"
        );
    }

    #[test]
    fn float_amounts_are_refused_with_their_line() {
        let text = edited("adult = \"350.00\"", "adult = 350.0");
        let problems = Policy::parse(&text).unwrap_err();
        assert_eq!(
            problems[0].line,
            Some(line_of(&text, "adult = 350.0")),
            "{problems:?}"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let text = edited("adult = \"350.00\"", "adlt = \"350.00\"");
        let problems = Policy::parse(&text).unwrap_err();
        assert!(problems[0].message.contains("adlt"), "{problems:?}");
        assert_eq!(problems[0].line, Some(line_of(&text, "adlt")));
    }

    #[test]
    fn semantic_problems_are_all_reported_with_lines() {
        let text = edited(
            "visa_exempt = [",
            "visa_exempt = [\"AL\", \"ZZ\", \"PL\", \"AL\", \"BA\"]",
        )
        .replace("child = \"175.00\"", "child = \"-175.00\"")
        .replace("principal = \"2000.00\"", "principal = \"2000.005\"")
        .replace("\nmonths = 6", "\nmonths = 0")
        .replace(
            "effective_from = \"2022-01-01\"",
            "effective_from = \"2022-02-30\"",
        )
        .replace("other_member = \"1000.00\"", "other_member = \"lots\"");
        let problems = Policy::parse(&text).unwrap_err();
        let msgs: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let has = |needle: &str, line_needle: &str| {
            let line = line_of(&text, line_needle);
            assert!(
                problems
                    .iter()
                    .any(|p| p.message.contains(needle) && p.line == Some(line)),
                "no {needle:?} at line {line}: {msgs:#?}"
            );
        };
        has("effective_from", "effective_from =");
        has("\"ZZ\"", "visa_exempt = [");
        has("AL is listed twice", "visa_exempt = [");
        has("PL is in two categories", "eu = [");
        has("negative", "-175.00");
        has("more than two decimals", "2000.005");
        has("not an amount", "lots");
        has("amaar.months", "months = 0");
        assert_eq!(problems.len(), 8, "{msgs:#?}");
        // Sorted in file order.
        let lines: Vec<usize> = problems.iter().filter_map(|p| p.line).collect();
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    }

    #[test]
    fn missing_keys_are_all_reported() {
        let problems = Policy::parse("id = \"X\"\n[amaar]\nmonths = 6\n").unwrap_err();
        let msgs: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        for key in [
            "effective_from",
            "currency",
            "countries",
            "exclusion",
            "departure_premium",
            "reintegration",
            "vulnerability",
            "amaar.cap_per_person",
            "partner_fee",
            "deadlines",
        ] {
            assert!(
                msgs.contains(&format!("missing key `{key}`").as_str()),
                "{key}: {msgs:#?}"
            );
        }
        let cap = problems
            .iter()
            .find(|p| p.message.contains("amaar.cap_per_person"))
            .unwrap();
        assert_eq!(
            cap.line,
            Some(2),
            "a missing key points at its table: {cap:?}"
        );
    }

    #[test]
    fn other_currencies_and_bad_ids_are_refused() {
        let text = edited("currency", "currency = \"USD\"")
            .replace("id = \"BE-2022\"", "id = \"BE 2022\"");
        let msgs: Vec<String> = Policy::parse(&text)
            .unwrap_err()
            .into_iter()
            .map(|p| p.message)
            .collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("EUR")));
        assert!(msgs.iter().any(|m| m.contains("`id`")));
    }

    #[test]
    fn unknown_category_names_are_refused() {
        let text = edited(
            "approval_required_in",
            "approval_required_in = [\"visa_exempt\", \"schengen\"]",
        );
        let problems = Policy::parse(&text).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("schengen"));
        assert_eq!(problems[0].line, Some(line_of(&text, "schengen")));
    }

    #[test]
    fn amounts_parse_without_floats() {
        assert_eq!(parse_amount("350.00"), Ok(d("350.00")));
        assert_eq!(parse_amount(" 40 "), Ok(d("40")));
        assert_eq!(parse_amount("0.1"), Ok(d("0.1")));
        assert_eq!(parse_amount("-0.00"), Ok(Decimal::ZERO));
        assert_eq!(parse_amount("-1"), Err(AmountError::Negative));
        assert_eq!(parse_amount("1.0015"), Err(AmountError::TooManyDecimals));
        // A thousand and one to some readers: refused, never read as 1.001.
        assert_eq!(parse_amount("1.001"), Err(AmountError::Ambiguous));
        for bad in [".5", "5.", "1e3", "+5", "NaN", "--1"] {
            assert_eq!(parse_amount(bad), Err(AmountError::NotANumber), "{bad:?}");
        }
        assert_eq!(parse_amount(""), Err(AmountError::Empty));
        assert_eq!(parse_amount("1234567890123"), Err(AmountError::TooLarge));
        // Grouped or comma-decimal amounts are what people type, not files: refused.
        for bad in ["1,5", "1 000"] {
            assert_eq!(parse_amount(bad), Err(AmountError::Ambiguous), "{bad:?}");
        }
        assert_eq!(parse_amount("999999999999.99"), Ok(d("999999999999.99")));
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_col("ab\ncé\nx", 0), (1, 1));
        assert_eq!(line_col("ab\ncé\nx", 3), (2, 1));
        assert_eq!(line_col("ab\ncé\nx", 7), (3, 1));
        assert_eq!(line_col("ab\ncé\nx", 6), (2, 3));
    }
}
