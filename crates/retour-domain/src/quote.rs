//! Quotes: what a household is entitled to under a policy. Pure: no I/O, no clock, no floats.
//!
//! [`QuoteInput`] is the raw request (JSON contract in `docs/policy.md`); [`QuoteInput::validate`]
//! turns it into a [`ValidatedHousehold`] or reports every problem with its field path;
//! [`evaluate`] applies a [`Policy`] and returns a [`Quote`] whose lines say which rule gave
//! which amount to whom. The rules are those of `shared/DOMAIN.md`, "Programme rules".

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::country::CountryCode;
use crate::dates::{format_date, is_adult_on, parse_date, BirthDate};
use crate::error::{Invalid, ValidationError, ValidationErrors};
use crate::person::Relationship;
use crate::policy::{parse_amount, AmountError, CountryCategory, Deadlines, Policy, PolicyVersion};

/// The most members a household may have (same limit as a registered household).
pub const MAX_MEMBERS: usize = crate::household::MAX_MEMBERS;
/// The most medical items per member.
pub const MAX_MEDICAL_NEEDS: usize = 100;
/// The longest member id, in characters.
pub const MAX_MEMBER_ID: usize = 64;

/// Error codes introduced here (see also the codes of [`Invalid`]).
pub mod codes {
    /// A medical item gives both or neither of `monthly_eur` / `one_off_eur`.
    pub const MEDICAL_NEED_AMOUNT: &str = "medical-need-amount";
    /// An amount that is not a decimal string like `40.00` (or has more than 12 integer digits).
    pub const BAD_AMOUNT: &str = "bad-amount";
    pub const NEGATIVE_AMOUNT: &str = "negative-amount";
    pub const TOO_MANY_DECIMALS: &str = "too-many-decimals";
}

/// Stable names of the rules that produce quote lines.
pub mod rules {
    /// `premium.adult.<category>` and `premium.child.<category>`, e.g. `premium.adult.visa_exempt`.
    pub const PREMIUM_PREFIX: &str = "premium";
    pub const REINTEGRATION_PRINCIPAL: &str = "reintegration.principal";
    pub const REINTEGRATION_MEMBER: &str = "reintegration.member";
    pub const TOPUP_FAMILY_CHILD: &str = "topup.family_child";
    pub const TOPUP_UNACCOMPANIED_MINOR: &str = "topup.unaccompanied_minor";
    pub const TOPUP_TRAFFICKING: &str = "topup.trafficking";
    pub const AMAAR: &str = "amaar";
    pub const AMAAR_CAPPED: &str = "amaar.capped";
    pub const PARTNER_FEE: &str = "partner_fee";
}

/// A vulnerability that gives a top-up or the AMAAR medical budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vulnerability {
    ComplexMedical,
    TraffickingVictim,
    /// Also a former unaccompanied minor who is now an adult.
    UnaccompaniedMinor,
}
crate::string_enum!(Vulnerability {
    ComplexMedical = "complex_medical",
    TraffickingVictim = "trafficking_victim",
    UnaccompaniedMinor = "unaccompanied_minor",
});

// ---------------------------------------------------------------------------------------------
// Input

/// A quote request as sent by a form or the API. Every field is text so that all problems can
/// be reported together; unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuoteInput {
    pub application_date: String,
    pub planned_departure_date: String,
    /// Country of return.
    pub destination: String,
    pub members: Vec<QuoteMemberInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuoteMemberInput {
    /// Any text unique within the request; the quote lines refer to it.
    pub id: String,
    /// `principal` (exactly one), `partner`, `child` or `other`.
    pub role: String,
    /// `YYYY-MM-DD`; `YYYY-MM` and `YYYY` are accepted for partly known dates (1st / January).
    pub birth_date: String,
    pub nationalities: Vec<String>,
    pub vulnerabilities: Vec<String>,
    pub prior_support_dates: Vec<String>,
    pub medical_needs: Vec<MedicalNeedInput>,
}

/// One itemised medical cost in the country of return: exactly one of the two amounts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MedicalNeedInput {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_eur: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_off_eur: Option<String>,
}

/// A checked quote request. Built only by [`QuoteInput::validate`], so it always has exactly one
/// principal, unique member ids and consistent dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedHousehold {
    application_date: Date,
    planned_departure_date: Date,
    destination: CountryCode,
    members: Vec<QuoteMember>,
}

impl ValidatedHousehold {
    pub fn application_date(&self) -> Date {
        self.application_date
    }
    pub fn planned_departure_date(&self) -> Date {
        self.planned_departure_date
    }
    pub fn destination(&self) -> CountryCode {
        self.destination
    }
    pub fn members(&self) -> &[QuoteMember] {
        &self.members
    }
    pub fn principal(&self) -> &QuoteMember {
        self.members
            .iter()
            .find(|m| m.role == Relationship::Principal)
            .expect("validated: one principal")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteMember {
    pub id: String,
    pub role: Relationship,
    pub birth_date: BirthDate,
    /// At least one; no duplicates.
    pub nationalities: Vec<CountryCode>,
    /// No duplicates.
    pub vulnerabilities: Vec<Vulnerability>,
    pub prior_support_dates: Vec<Date>,
    pub medical_needs: Vec<MedicalNeed>,
}

impl QuoteMember {
    pub fn has(&self, v: Vulnerability) -> bool {
        self.vulnerabilities.contains(&v)
    }
    /// 18 or older on that day (the 18th birthday counts).
    pub fn is_adult_on(&self, day: Date) -> bool {
        is_adult_on(self.birth_date.date(), day)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MedicalNeed {
    pub label: String,
    pub cost: MedicalCost,
}

/// Euro amounts, at least zero, at most two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MedicalCost {
    Monthly(Decimal),
    OneOff(Decimal),
}

fn amount_error(e: AmountError, value: &str) -> ValidationError {
    e.error(value, crate::money::NumberStyle::Plain)
}

fn required_date(errors: &mut ValidationErrors, field: &str, value: &str) -> Option<Date> {
    if value.trim().is_empty() {
        errors.push(ValidationError::new(Invalid::Required).at(field));
        return None;
    }
    parse_date(value).map_err(|e| errors.push(e.at(field))).ok()
}

impl QuoteInput {
    /// Checks the request as of `today` and reports every problem, each at its field path
    /// (`members[1].birth_date`, `members[0].medical_needs[2].monthly_eur`, …). A member may be
    /// born after the application (a baby born while the family waits to leave) but not after
    /// the planned departure, and not after today.
    pub fn validate(&self, today: Date) -> Result<ValidatedHousehold, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let application_date =
            required_date(&mut errors, "application_date", &self.application_date);
        let planned_departure_date = required_date(
            &mut errors,
            "planned_departure_date",
            &self.planned_departure_date,
        );
        if let (Some(a), Some(d)) = (application_date, planned_departure_date) {
            if d < a {
                errors.push(
                    ValidationError::new(Invalid::DateOrder {
                        earlier: a,
                        later: d,
                    })
                    .at("planned_departure_date"),
                );
            }
        }
        let destination = if self.destination.trim().is_empty() {
            errors.push(ValidationError::new(Invalid::Required).at("destination"));
            None
        } else {
            CountryCode::parse(&self.destination)
                .map_err(|e| errors.push(e.at("destination")))
                .ok()
        };

        if self.members.len() > MAX_MEMBERS {
            errors.push(ValidationError::new(Invalid::TooLong { max: MAX_MEMBERS }).at("members"));
        }
        let mut members = Vec::new();
        let mut principals = 0;
        for (i, m) in self.members.iter().enumerate() {
            let f = format!("members[{i}]");
            if let Some(member) = validate_member(&mut errors, &f, m, planned_departure_date, today)
            {
                members.push(member);
            }
            let id = m.id.trim();
            if !id.is_empty() && self.members[..i].iter().any(|o| o.id.trim() == id) {
                errors.push(
                    ValidationError::new(Invalid::DuplicateMember {
                        name: id.to_string(),
                    })
                    .at(format!("{f}.id")),
                );
            }
            if m.role.trim() == Relationship::Principal.as_str() {
                principals += 1;
            }
        }
        match principals {
            0 => errors.push(ValidationError::new(Invalid::NoPrincipal).at("members")),
            1 => {}
            _ => errors.push(ValidationError::new(Invalid::SeveralPrincipals).at("members")),
        }
        errors.into_result(())?;
        Ok(ValidatedHousehold {
            application_date: application_date.expect("checked"),
            planned_departure_date: planned_departure_date.expect("checked"),
            destination: destination.expect("checked"),
            members,
        })
    }
}

fn validate_member(
    errors: &mut ValidationErrors,
    f: &str,
    m: &QuoteMemberInput,
    departure: Option<Date>,
    today: Date,
) -> Option<QuoteMember> {
    let before = errors.0.len();
    let id = m.id.trim().to_string();
    if id.is_empty() {
        errors.push(ValidationError::new(Invalid::Required).at(format!("{f}.id")));
    } else if id.chars().count() > MAX_MEMBER_ID {
        errors.push(
            ValidationError::new(Invalid::TooLong { max: MAX_MEMBER_ID }).at(format!("{f}.id")),
        );
    }
    let role = if m.role.trim().is_empty() {
        errors.push(ValidationError::new(Invalid::Required).at(format!("{f}.role")));
        None
    } else {
        m.role
            .trim()
            .parse::<Relationship>()
            .map_err(|e| errors.push(e.at(format!("{f}.role"))))
            .ok()
    };
    let birth_date = if m.birth_date.trim().is_empty() {
        errors.push(ValidationError::new(Invalid::Required).at(format!("{f}.birth_date")));
        None
    } else {
        match BirthDate::parse_not_after(&m.birth_date, today) {
            Ok(b) => {
                if let Some(d) = departure.filter(|d| b.date() > *d) {
                    errors.push(
                        crate::error::day("born-after-departure", d).at(format!("{f}.birth_date")),
                    );
                }
                Some(b)
            }
            Err(e) => {
                errors.push(e.at(format!("{f}.birth_date")));
                None
            }
        }
    };
    if m.nationalities.is_empty() {
        errors.push(ValidationError::new(Invalid::Required).at(format!("{f}.nationalities")));
    }
    let mut nationalities = Vec::new();
    for (j, n) in m.nationalities.iter().enumerate() {
        match CountryCode::parse(n) {
            Ok(c) if !nationalities.contains(&c) => nationalities.push(c),
            Ok(_) => {}
            Err(e) => errors.push(e.at(format!("{f}.nationalities[{j}]"))),
        }
    }
    let mut vulnerabilities = Vec::new();
    for (j, v) in m.vulnerabilities.iter().enumerate() {
        match v.trim().parse::<Vulnerability>() {
            Ok(v) if !vulnerabilities.contains(&v) => vulnerabilities.push(v),
            Ok(_) => {}
            Err(e) => errors.push(e.at(format!("{f}.vulnerabilities[{j}]"))),
        }
    }
    let mut prior_support_dates = Vec::new();
    for (j, d) in m.prior_support_dates.iter().enumerate() {
        match parse_date(d) {
            Ok(d) => prior_support_dates.push(d),
            Err(e) => errors.push(e.at(format!("{f}.prior_support_dates[{j}]"))),
        }
    }
    if m.medical_needs.len() > MAX_MEDICAL_NEEDS {
        errors.push(
            ValidationError::new(Invalid::TooLong {
                max: MAX_MEDICAL_NEEDS,
            })
            .at(format!("{f}.medical_needs")),
        );
    }
    let mut medical_needs = Vec::new();
    for (k, need) in m.medical_needs.iter().enumerate() {
        let nf = format!("{f}.medical_needs[{k}]");
        let amount = |errors: &mut ValidationErrors, key: &str, value: &str| {
            parse_amount(value)
                .map_err(|e| errors.push(amount_error(e, value).at(format!("{nf}.{key}"))))
                .ok()
        };
        let cost = match (&need.monthly_eur, &need.one_off_eur) {
            (Some(m), None) => amount(errors, "monthly_eur", m).map(MedicalCost::Monthly),
            (None, Some(o)) => amount(errors, "one_off_eur", o).map(MedicalCost::OneOff),
            _ => {
                errors.push(
                    ValidationError::new(Invalid::Other {
                        code: codes::MEDICAL_NEED_AMOUNT,
                        value: need.label.trim().to_string(),
                    })
                    .at(nf.clone()),
                );
                None
            }
        };
        if let Some(cost) = cost {
            medical_needs.push(MedicalNeed {
                label: need.label.trim().to_string(),
                cost,
            });
        }
    }
    if errors.0.len() > before {
        return None;
    }
    Some(QuoteMember {
        id,
        role: role?,
        birth_date: birth_date?,
        nationalities,
        vulnerabilities,
        prior_support_dates,
        medical_needs,
    })
}

// ---------------------------------------------------------------------------------------------
// Output

/// Money component a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// Cash at departure.
    DeparturePremium,
    /// Basic reintegration budget, in kind.
    Reintegration,
    /// Vulnerability top-ups, in kind.
    Vulnerability,
    /// AMAAR medical budget, in kind.
    Medical,
    /// Service fee paid to the partner organisation.
    PartnerFee,
}
crate::string_enum!(Component {
    DeparturePremium = "departure_premium",
    Reintegration = "reintegration",
    Vulnerability = "vulnerability",
    Medical = "medical",
    PartnerFee = "partner_fee",
});

impl Component {
    /// Spent in kind through the partner (what makes the partner fee due).
    pub fn is_in_kind(self) -> bool {
        matches!(
            self,
            Component::Reintegration | Component::Vulnerability | Component::Medical
        )
    }
}

/// Why a member is excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// A nationality of the programme country (`exclusion.own_nationals`).
    Belgian,
    /// A nationality in `exclusion.excluded_nationalities` (old EU-15).
    ExcludedNationality,
    /// Support received less than `exclusion.prior_support_years` before the application.
    PriorSupport,
}
crate::string_enum!(ReasonCode {
    Belgian = "belgian",
    ExcludedNationality = "excluded_nationality",
    PriorSupport = "prior_support",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IneligibilityReason {
    pub member: String,
    pub code: ReasonCode,
    /// Plain English for logs and technical users; screens translate `code`.
    pub message: String,
}

/// Serialises a euro amount as a string with exactly two decimals.
mod eur {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn to_string(d: Decimal) -> String {
        let mut d = d.round_dp(2);
        d.rescale(2);
        d.to_string()
    }
    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&to_string(*d))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let s = String::deserialize(d)?;
        crate::policy::parse_amount(&s)
            .map_err(|e| serde::de::Error::custom(format!("bad amount {s:?}: {e:?}")))
    }
}

/// Formats a euro amount with exactly two decimals, as quotes serialise them.
pub fn format_eur(d: Decimal) -> String {
    eur::to_string(d)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    /// Member id; the principal's for the household-level partner fee.
    pub member: String,
    pub component: Component,
    pub rule: String,
    #[serde(with = "eur")]
    pub amount: Decimal,
    pub requires_approval: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    #[serde(with = "eur")]
    pub departure_premium_cash: Decimal,
    #[serde(with = "eur")]
    pub reintegration_in_kind: Decimal,
    #[serde(with = "eur")]
    pub vulnerability_in_kind: Decimal,
    #[serde(with = "eur")]
    pub medical_in_kind: Decimal,
    #[serde(with = "eur")]
    pub partner_fee: Decimal,
    /// Sum of the lines that need a programme manager's approval (already in the totals above).
    #[serde(with = "eur")]
    pub approval_required: Decimal,
}

impl Totals {
    /// The total of one component.
    pub fn of(&self, c: Component) -> Decimal {
        match c {
            Component::DeparturePremium => self.departure_premium_cash,
            Component::Reintegration => self.reintegration_in_kind,
            Component::Vulnerability => self.vulnerability_in_kind,
            Component::Medical => self.medical_in_kind,
            Component::PartnerFee => self.partner_fee,
        }
    }
    fn add(&mut self, line: &QuoteLine) {
        let slot = match line.component {
            Component::DeparturePremium => &mut self.departure_premium_cash,
            Component::Reintegration => &mut self.reintegration_in_kind,
            Component::Vulnerability => &mut self.vulnerability_in_kind,
            Component::Medical => &mut self.medical_in_kind,
            Component::PartnerFee => &mut self.partner_fee,
        };
        *slot += line.amount;
        if line.requires_approval {
            self.approval_required += line.amount;
        }
    }
}

/// The entitlement of a household under one policy version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Serialised as the two keys `policy` (id) and `policy_hash` (hex SHA-256 of the policy text).
    #[serde(flatten)]
    pub policy_version: PolicyVersion,
    /// False when the principal applicant is excluded: then there are no lines and no services.
    pub eligible: bool,
    /// One entry per reason per excluded member, in member order (also when `eligible`).
    pub ineligibility_reasons: Vec<IneligibilityReason>,
    /// Category of the country of return.
    pub country_category: CountryCategory,
    pub totals: Totals,
    /// In member order, then component order; the partner fee last.
    pub lines: Vec<QuoteLine>,
    /// Service packages for the country of return, in name order.
    pub services: Vec<String>,
    pub deadlines: Deadlines,
}

impl Quote {
    /// The policy id.
    pub fn policy(&self) -> &str {
        &self.policy_version.id
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// `day` minus `years` calendar years; 29 February becomes 28 February in a common year.
pub fn years_before(day: Date, years: u32) -> Date {
    let year = day.year() - years as i32;
    Date::from_calendar_date(year, day.month(), day.day())
        .or_else(|_| Date::from_calendar_date(year, day.month(), day.day() - 1))
        .expect("28 February exists in every year")
}

/// Why a member is excluded, given the application date; empty when they are not.
pub fn exclusion_reasons(
    policy: &Policy,
    member: &QuoteMember,
    application_date: Date,
) -> Vec<IneligibilityReason> {
    let x = policy.exclusion();
    let mut reasons = Vec::new();
    let reason = |code, message| IneligibilityReason {
        member: member.id.clone(),
        code,
        message,
    };
    for &n in &member.nationalities {
        if x.own_nationals.contains(&n) {
            reasons.push(reason(
                ReasonCode::Belgian,
                format!(
                    "Nationals of {n}, the programme country, are excluded from the programme."
                ),
            ));
        } else if x.excluded_nationalities.contains(&n) {
            reasons.push(reason(
                ReasonCode::ExcludedNationality,
                format!(
                    "Nationals of {n}, an old EU-15 member state, are excluded from the programme."
                ),
            ));
        }
    }
    let cutoff = years_before(application_date, x.prior_support_years);
    if let Some(last) = member
        .prior_support_dates
        .iter()
        .filter(|d| **d > cutoff)
        .max()
    {
        reasons.push(reason(
            ReasonCode::PriorSupport,
            format!(
                "Received voluntary-return support on {}, less than {} years before the application date {}.",
                format_date(*last),
                x.prior_support_years,
                format_date(application_date)
            ),
        ));
    }
    reasons
}

/// Sum of one-off items + `months` × sum of monthly items.
fn amaar_need(member: &QuoteMember, months: u32) -> Decimal {
    let (mut one_off, mut monthly) = (Decimal::ZERO, Decimal::ZERO);
    for need in &member.medical_needs {
        match need.cost {
            MedicalCost::OneOff(a) => one_off += a,
            MedicalCost::Monthly(a) => monthly += a,
        }
    }
    one_off + monthly * Decimal::from(months)
}

/// Applies the policy to a validated household. Deterministic; see `docs/policy.md` for the rules.
pub fn evaluate(policy: &Policy, household: &ValidatedHousehold) -> Quote {
    let category = policy.category_of(household.destination);
    let mut ineligibility_reasons = Vec::new();
    let mut eligible_members = Vec::new();
    for m in &household.members {
        let reasons = exclusion_reasons(policy, m, household.application_date);
        if reasons.is_empty() {
            eligible_members.push(m);
        }
        ineligibility_reasons.extend(reasons);
    }
    let principal = household.principal();
    let eligible = eligible_members
        .iter()
        .any(|m| m.role == Relationship::Principal);
    let mut quote = Quote {
        policy_version: policy.version(),
        eligible,
        ineligibility_reasons,
        country_category: category,
        totals: Totals::default(),
        lines: Vec::new(),
        services: Vec::new(),
        deadlines: policy.deadlines(),
    };
    if !eligible {
        return quote;
    }

    let departure = household.planned_departure_date;
    let premium = policy.premium(category);
    let reintegration = policy.reintegration();
    let with_reintegration = reintegration.categories.contains(&category);
    let topups = policy.vulnerability();
    let approval = topups.approval_required_in.contains(&category);
    let amaar = policy.amaar();

    let mut lines = Vec::new();
    for m in eligible_members {
        let mut line = |component, rule: &str, amount: Decimal, requires_approval| {
            if amount > Decimal::ZERO {
                lines.push(QuoteLine {
                    member: m.id.clone(),
                    component,
                    rule: rule.to_string(),
                    amount,
                    requires_approval,
                });
            }
        };
        let adult = m.is_adult_on(departure);
        let is_principal = m.role == Relationship::Principal;
        // Departure premium, cash.
        let (age_group, amount) = if adult {
            ("adult", premium.adult)
        } else {
            ("child", premium.child)
        };
        line(
            Component::DeparturePremium,
            &format!("{}.{age_group}.{category}", rules::PREMIUM_PREFIX),
            amount,
            false,
        );
        // Basic reintegration budget.
        if with_reintegration {
            if is_principal {
                line(
                    Component::Reintegration,
                    rules::REINTEGRATION_PRINCIPAL,
                    reintegration.principal,
                    false,
                );
            } else {
                line(
                    Component::Reintegration,
                    rules::REINTEGRATION_MEMBER,
                    reintegration.other_member,
                    false,
                );
            }
        }
        // Vulnerability top-ups. A minor other than the principal makes the household a family
        // with children; a minor principal travelling alone is covered by the UAM top-up.
        if !adult && !is_principal {
            line(
                Component::Vulnerability,
                rules::TOPUP_FAMILY_CHILD,
                topups.family_child,
                approval,
            );
        }
        if m.has(Vulnerability::UnaccompaniedMinor) {
            line(
                Component::Vulnerability,
                rules::TOPUP_UNACCOMPANIED_MINOR,
                topups.unaccompanied_minor,
                approval,
            );
        }
        if m.has(Vulnerability::TraffickingVictim) {
            line(
                Component::Vulnerability,
                rules::TOPUP_TRAFFICKING,
                topups.trafficking_victim,
                approval,
            );
        }
        // AMAAR medical budget.
        if m.has(Vulnerability::ComplexMedical) && !m.medical_needs.is_empty() {
            let need = amaar_need(m, amaar.months);
            if need > amaar.cap_per_person {
                line(
                    Component::Medical,
                    rules::AMAAR_CAPPED,
                    amaar.cap_per_person,
                    approval,
                );
            } else {
                line(Component::Medical, rules::AMAAR, need, approval);
            }
        }
    }
    // Partner fee: once, when anything is spent in kind. It is not a vulnerability line, so the
    // policy never makes it wait for approval (DOMAIN.md lists exactly which lines do).
    let any_in_kind = lines.iter().any(|l| l.component.is_in_kind());
    if any_in_kind && policy.partner_fee() > Decimal::ZERO {
        let requires_approval = false;
        lines.push(QuoteLine {
            member: principal.id.clone(),
            component: Component::PartnerFee,
            rule: rules::PARTNER_FEE.to_string(),
            amount: policy.partner_fee(),
            requires_approval,
        });
    }
    for l in &lines {
        quote.totals.add(l);
    }
    quote.lines = lines;
    quote.services = policy.services_for(household.destination);
    quote
}

/// Validates the request as of `today` and evaluates it.
pub fn quote(policy: &Policy, input: &QuoteInput, today: Date) -> Result<Quote, ValidationErrors> {
    Ok(evaluate(policy, &input.validate(today)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::BE_2022_SOURCE;
    use std::str::FromStr;
    use time::macros::date;

    fn policy() -> Policy {
        Policy::parse(BE_2022_SOURCE).expect("reference policy parses")
    }
    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn member(id: &str, role: &str, birth: &str, nat: &[&str]) -> QuoteMemberInput {
        QuoteMemberInput {
            id: id.into(),
            role: role.into(),
            birth_date: birth.into(),
            nationalities: nat.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }
    fn input(destination: &str, members: Vec<QuoteMemberInput>) -> QuoteInput {
        QuoteInput {
            application_date: "2026-03-02".into(),
            planned_departure_date: "2026-04-20".into(),
            destination: destination.into(),
            members,
        }
    }
    /// Later than every date in these tests, so no birth date is in the future.
    const TODAY: Date = date!(2030 - 01 - 01);
    fn run(i: &QuoteInput) -> Quote {
        quote(&policy(), i, TODAY).unwrap_or_else(|e| panic!("{e}"))
    }
    fn rules_of(q: &Quote, member: &str) -> Vec<String> {
        q.lines
            .iter()
            .filter(|l| l.member == member)
            .map(|l| format!("{}={}", l.rule, l.amount))
            .collect()
    }
    fn reasons(q: &Quote) -> Vec<(String, &'static str)> {
        q.ineligibility_reasons
            .iter()
            .map(|r| (r.member.clone(), r.code.as_str()))
            .collect()
    }

    fn with_baby(birth: &str) -> QuoteInput {
        input(
            "AF",
            vec![
                member("p", "principal", "1984-05-11", &["AF"]),
                member("baby", "child", birth, &["AF"]),
            ],
        )
    }

    #[test]
    fn a_baby_born_while_the_family_waits_is_counted_as_a_child() {
        // Application 2026-03-02, planned departure 2026-04-20.
        for birth in ["2026-03-02", "2026-03-03", "2026-04-20", "2026-04"] {
            let q = run(&with_baby(birth));
            assert_eq!(
                rules_of(&q, "baby"),
                vec![
                    "premium.child.visa_required=175.00",
                    "reintegration.member=1000.00",
                    "topup.family_child=500.00"
                ],
                "born {birth}"
            );
        }
    }

    #[test]
    fn a_birth_after_the_planned_departure_or_after_today_is_refused() {
        let errs = with_baby("2026-04-21").validate(TODAY).unwrap_err();
        assert_eq!(errs.codes(), vec!["born-after-departure"], "{errs}");
        assert_eq!(errs.0[0].field.as_deref(), Some("members[1].birth_date"));
        // Born on the planned departure day, but that day has not come yet.
        let errs = with_baby("2026-04-20")
            .validate(date!(2026 - 04 - 19))
            .unwrap_err();
        assert_eq!(errs.codes(), vec!["birth-date-in-future"], "{errs}");
    }

    #[test]
    fn eighteenth_birthday_on_departure_day_counts_as_adult() {
        let mut i = input("GN", vec![member("p", "principal", "1980-01-01", &["GN"])]);
        i.members
            .push(member("adult", "child", "2008-04-20", &["GN"]));
        i.members
            .push(member("minor", "child", "2008-04-21", &["GN"]));
        let q = run(&i);
        assert_eq!(
            rules_of(&q, "adult"),
            vec![
                "premium.adult.visa_required=350.00",
                "reintegration.member=1000.00"
            ]
        );
        assert_eq!(
            rules_of(&q, "minor"),
            vec![
                "premium.child.visa_required=175.00",
                "reintegration.member=1000.00",
                "topup.family_child=500.00"
            ]
        );
    }

    #[test]
    fn prior_support_exactly_n_years_before_no_longer_excludes() {
        let mut i = input("GN", vec![member("p", "principal", "1980-01-01", &["GN"])]);
        i.members[0].prior_support_dates = vec!["2021-03-02".into()];
        let q = run(&i);
        assert!(q.eligible);
        assert!(q.ineligibility_reasons.is_empty());

        i.members[0].prior_support_dates = vec!["2010-01-01".into(), "2021-03-03".into()];
        let q = run(&i);
        assert!(!q.eligible);
        assert_eq!(reasons(&q), vec![("p".to_string(), "prior_support")]);
        assert!(q.ineligibility_reasons[0].message.contains("2021-03-03"));
    }

    #[test]
    fn minus_years_follows_the_calendar() {
        assert_eq!(
            years_before(date!(2024 - 02 - 29), 5),
            date!(2019 - 02 - 28)
        );
        assert_eq!(
            years_before(date!(2024 - 02 - 29), 4),
            date!(2020 - 02 - 29)
        );
        assert_eq!(
            years_before(date!(2026 - 03 - 01), 5),
            date!(2021 - 03 - 01)
        );
        // Application on 29 Feb 2024: support on 28 Feb 2019 is exactly 5 years before.
        let mut i = input("GN", vec![member("p", "principal", "1980-01-01", &["GN"])]);
        i.application_date = "2024-02-29".into();
        i.members[0].prior_support_dates = vec!["2019-02-28".into()];
        assert!(run(&i).eligible);
        i.members[0].prior_support_dates = vec!["2019-03-01".into()];
        assert!(!run(&i).eligible);
    }

    #[test]
    fn old_eu15_dual_nationals_and_gb_and_belgians_are_excluded() {
        let mut i = input("GN", vec![member("p", "principal", "1980-01-01", &["GN"])]);
        i.members
            .push(member("dual", "partner", "1982-01-01", &["GN", "FR"]));
        i.members
            .push(member("brit", "other", "1960-01-01", &["GB"]));
        i.members
            .push(member("belg", "child", "2010-01-01", &["BE", "GN"]));
        i.members
            .push(member("pole", "other", "1990-01-01", &["PL"]));
        let q = run(&i);
        assert!(q.eligible);
        assert_eq!(
            reasons(&q),
            vec![
                ("dual".to_string(), "excluded_nationality"),
                ("brit".to_string(), "excluded_nationality"),
                ("belg".to_string(), "belgian"),
            ]
        );
        for excluded in ["dual", "brit", "belg"] {
            assert!(rules_of(&q, excluded).is_empty(), "{excluded}");
        }
        // PL is EU-27 but not old EU-15: not excluded.
        assert_eq!(
            rules_of(&q, "pole"),
            vec![
                "premium.adult.visa_required=350.00",
                "reintegration.member=1000.00"
            ]
        );
        // The excluded child does not count as a family child.
        assert!(q.lines.iter().all(|l| l.rule != rules::TOPUP_FAMILY_CHILD));
    }

    #[test]
    fn excluded_principal_means_nothing_for_anyone() {
        let mut i = input(
            "XK",
            vec![member("p", "principal", "1980-01-01", &["XK", "DE"])],
        );
        i.members.push(member("c", "child", "2015-01-01", &["XK"]));
        i.members[1].vulnerabilities = vec!["trafficking_victim".into()];
        let q = run(&i);
        assert!(!q.eligible);
        assert!(q.lines.is_empty());
        assert_eq!(q.totals, Totals::default());
        assert!(q.services.is_empty());
        assert_eq!(q.country_category, CountryCategory::VisaExempt);
        assert_eq!(reasons(&q), vec![("p".to_string(), "excluded_nationality")]);
        let v = serde_json::to_value(&q).unwrap();
        assert_eq!(v["totals"]["partner_fee"], "0.00");
        assert_eq!(v["totals"]["approval_required"], "0.00");
    }

    #[test]
    fn visa_required_household_gets_premium_reintegration_topups_and_fee_without_approval() {
        let mut i = input("AF", vec![member("p", "principal", "1980-01-01", &["AF"])]);
        i.members
            .push(member("w", "partner", "1985-01-01", &["AF"]));
        i.members.push(member("k", "child", "2012-01-01", &["AF"]));
        i.members[1].vulnerabilities = vec!["trafficking_victim".into()];
        i.members[2].vulnerabilities = vec!["unaccompanied_minor".into()];
        let q = run(&i);
        assert_eq!(
            rules_of(&q, "p"),
            vec![
                "premium.adult.visa_required=350.00",
                "reintegration.principal=2000.00",
                "partner_fee=300.00"
            ]
        );
        assert_eq!(
            rules_of(&q, "w"),
            vec![
                "premium.adult.visa_required=350.00",
                "reintegration.member=1000.00",
                "topup.trafficking=1500.00"
            ]
        );
        assert_eq!(
            rules_of(&q, "k"),
            vec![
                "premium.child.visa_required=175.00",
                "reintegration.member=1000.00",
                "topup.family_child=500.00",
                "topup.unaccompanied_minor=1000.00"
            ]
        );
        assert!(q.lines.iter().all(|l| !l.requires_approval));
        // 350 + 350 + 175
        assert_eq!(q.totals.departure_premium_cash, d("875"));
        // 2000 + 1000 + 1000
        assert_eq!(q.totals.reintegration_in_kind, d("4000"));
        // 1500 + 500 + 1000
        assert_eq!(q.totals.vulnerability_in_kind, d("3000"));
        assert_eq!(q.totals.partner_fee, d("300"));
        assert_eq!(q.totals.approval_required, Decimal::ZERO);
        assert!(q.services.is_empty());
    }

    #[test]
    fn outside_visa_required_vulnerability_lines_need_approval_and_still_count() {
        let mut i = input("PL", vec![member("p", "principal", "1980-01-01", &["PL"])]);
        i.members[0].vulnerabilities = vec!["trafficking_victim".into()];
        let q = run(&i);
        assert_eq!(q.country_category, CountryCategory::Eu);
        assert_eq!(
            rules_of(&q, "p"),
            vec![
                "premium.adult.eu=50.00",
                "topup.trafficking=1500.00",
                "partner_fee=300.00"
            ]
        );
        assert!(!q.lines[0].requires_approval);
        assert!(q.lines[1].requires_approval && !q.lines[2].requires_approval);
        assert_eq!(q.totals.vulnerability_in_kind, d("1500"));
        // Only the top-up: the partner fee is not a vulnerability line.
        assert_eq!(q.totals.approval_required, d("1500"));
    }

    #[test]
    fn no_in_kind_amount_means_no_partner_fee() {
        let q = run(&input(
            "GE",
            vec![member("p", "principal", "1980-01-01", &["GE"])],
        ));
        assert_eq!(rules_of(&q, "p"), vec!["premium.adult.visa_exempt=50.00"]);
        assert_eq!(q.totals.partner_fee, Decimal::ZERO);
    }

    #[test]
    fn amaar_sums_one_off_and_six_months_and_caps_per_person() {
        let need = |monthly: Option<&str>, one_off: Option<&str>| MedicalNeedInput {
            label: "x".into(),
            monthly_eur: monthly.map(Into::into),
            one_off_eur: one_off.map(Into::into),
        };
        let mut i = input("GN", vec![member("p", "principal", "1980-01-01", &["GN"])]);
        i.members[0].vulnerabilities = vec!["complex_medical".into()];
        i.members[0].medical_needs = vec![
            need(Some("120.00"), None),
            need(None, Some("400.00")),
            need(Some("0.50"), None),
        ];
        // 400.00 + 6 × (120.00 + 0.50) = 400.00 + 723.00 = 1123.00
        assert_eq!(rules_of(&run(&i), "p")[2], "amaar=1123.00");
        // 5280.00 + 6 × 120.00 = 6000.00: exactly the cap, not capped
        i.members[0].medical_needs = vec![need(Some("120.00"), None), need(None, Some("5280.00"))];
        assert_eq!(rules_of(&run(&i), "p")[2], "amaar=6000.00");
        // 5280.01 + 720.00 = 6000.01 > 6000.00
        i.members[0].medical_needs[1] = need(None, Some("5280.01"));
        assert_eq!(rules_of(&run(&i), "p")[2], "amaar.capped=6000.00");
        // Medical needs without the complex_medical vulnerability give nothing.
        i.members[0].vulnerabilities.clear();
        assert!(run(&i)
            .lines
            .iter()
            .all(|l| l.component != Component::Medical));
        // complex_medical without itemised needs gives nothing either.
        i.members[0].vulnerabilities = vec!["complex_medical".into()];
        i.members[0].medical_needs.clear();
        assert!(run(&i)
            .lines
            .iter()
            .all(|l| l.component != Component::Medical));
    }

    #[test]
    fn a_minor_principal_is_not_a_family_child() {
        let mut i = input("GN", vec![member("p", "principal", "2010-01-01", &["GN"])]);
        i.members[0].vulnerabilities = vec!["unaccompanied_minor".into()];
        let q = run(&i);
        assert_eq!(
            rules_of(&q, "p"),
            vec![
                "premium.child.visa_required=175.00",
                "reintegration.principal=2000.00",
                "topup.unaccompanied_minor=1000.00",
                "partner_fee=300.00"
            ]
        );
    }

    #[test]
    fn validation_reports_every_problem_with_its_path() {
        let json = r#"{"application_date": "2026-03-02", "planned_departure_date": "2026-03-01",
            "destination": "KOS", "extra": 1,
            "members": [
              {"id": "a", "role": "principal", "birth_date": "2027-01-01", "nationalities": ["XK", "ZZ"],
               "vulnerabilities": ["sad"], "prior_support_dates": ["2019-02-30"],
               "medical_needs": [{"label": "both", "monthly_eur": "1.00", "one_off_eur": "2.00"},
                                 {"label": "neg", "monthly_eur": "-1.00"},
                                 {"label": "prec", "one_off_eur": "1.001"},
                                 {"label": "nan", "one_off_eur": "1e3"}]},
              {"id": "a", "role": "principal", "birth_date": "1990-01-01", "nationalities": []},
              {"id": "", "role": "cousin", "birth_date": ""}]}"#;
        let i: QuoteInput = serde_json::from_str(json).unwrap();
        let errs = i.validate(TODAY).unwrap_err();
        let got: Vec<String> = errs
            .0
            .iter()
            .map(|e| format!("{} {}", e.field.as_deref().unwrap_or(""), e.code()))
            .collect();
        assert_eq!(
            got,
            vec![
                "planned_departure_date date-order",
                "destination unknown-country",
                "members[0].birth_date born-after-departure",
                "members[0].nationalities[1] unknown-country",
                "members[0].vulnerabilities[0] unknown-value",
                "members[0].prior_support_dates[0] bad-date",
                "members[0].medical_needs[0] medical-need-amount",
                "members[0].medical_needs[1].monthly_eur negative-amount",
                "members[0].medical_needs[2].one_off_eur ambiguous-amount",
                "members[0].medical_needs[3].one_off_eur bad-amount",
                "members[1].nationalities required",
                "members[1].id duplicate-member",
                "members[2].id required",
                "members[2].role unknown-value",
                "members[2].birth_date required",
                "members[2].nationalities required",
                "members SeveralPrincipals",
            ]
            .into_iter()
            .map(|s| s.replace("SeveralPrincipals", "several-principals"))
            .collect::<Vec<_>>()
        );
        let unknown = errs.0.iter().find(|e| e.code() == "unknown-value").unwrap();
        assert_eq!(
            unknown.invalid,
            Invalid::UnknownValue {
                value: "sad".into()
            }
        );
    }

    #[test]
    fn missing_fields_and_no_principal_are_reported() {
        let errs = QuoteInput::default().validate(TODAY).unwrap_err();
        assert_eq!(
            errs.codes(),
            vec!["required", "required", "required", "no-principal"],
            "{errs}"
        );
    }

    #[test]
    fn json_shape_is_exactly_the_contract() {
        let i = input("XK", vec![member("a", "principal", "1984-05-11", &["XK"])]);
        let v = serde_json::to_value(run(&i)).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        let mut expected = vec![
            "policy",
            "policy_hash",
            "eligible",
            "ineligibility_reasons",
            "country_category",
            "totals",
            "lines",
            "services",
            "deadlines",
        ];
        let mut sorted = keys.clone();
        sorted.sort();
        expected.sort();
        assert_eq!(sorted, expected);
        assert_eq!(v["policy"], "BE-2022");
        assert_eq!(v["country_category"], "visa_exempt");
        assert_eq!(v["lines"][0]["amount"], "50.00");
        assert_eq!(v["lines"][0]["component"], "departure_premium");
        assert_eq!(
            v["deadlines"],
            serde_json::json!({"reintegration_months": 12, "medical_months": 6})
        );
        assert_eq!(
            v["services"],
            serde_json::json!(["balkan_administrative_support"])
        );
        let tkeys: Vec<&str> = v["totals"]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(tkeys.len(), 6);
    }
}
