//! Children in a case: the best-interests assessment, unaccompanied minors' guardian and
//! reception check, and the children's workbook (doeboek) — who may receive it and how
//! organisations order it. Pure rules; storage and authorisation live elsewhere.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::dates::{age_on, format_date, parse_date};
use crate::error::{Invalid, ValidationError, ValidationErrors};
use crate::person::Relationship;
use crate::text::Shape;

/// Error codes introduced here (messages in `locales/*/children.ftl`).
pub mod codes {
    /// A plan is approved only once every minor has a best-interests assessment (`value`: names).
    pub const BEST_INTERESTS_MISSING: &str = "best-interests-missing";
    /// Departure of an unaccompanied minor needs a guardian and the reception check (`value`: names).
    pub const RECEPTION_CHECK_MISSING: &str = "reception-check-missing";
    /// The workbook is for children aged 6 to 12 on the day it is handed (`value`: the age).
    pub const WORKBOOK_AGE: &str = "workbook-age";
    /// No parent's consent recorded for the workbook.
    pub const WORKBOOK_CONSENT: &str = "workbook-consent";
    /// The consenting person is not an adult parent of the household.
    pub const NOT_A_PARENT: &str = "not-a-parent";
    /// Not enough workbooks of an edition in stock (`value`: the edition).
    pub const OUT_OF_STOCK: &str = "out-of-stock";
    /// The member is not a minor on the date given.
    pub const NOT_A_MINOR: &str = "not-a-minor";
    /// The member has no recorded `unaccompanied_minor` vulnerability.
    pub const NOT_UNACCOMPANIED: &str = "not-unaccompanied";
    pub const BAD_EMAIL: &str = "bad-email";
    /// A quantity outside 1..=500 or not a whole number (`value`: what was typed).
    pub const BAD_QUANTITY: &str = "bad-quantity";
    /// An order without any edition.
    pub const NO_EDITION: &str = "no-edition";
    /// A date after today.
    pub const DATE_IN_FUTURE: &str = "date-in-future";
}

/// The youngest and oldest age (in completed years, on the day of handing) for the workbook.
pub const WORKBOOK_MIN_AGE: i32 = 6;
pub const WORKBOOK_MAX_AGE: i32 = 12;
/// The most workbooks of one edition in one order, and in one stock change.
pub const MAX_QUANTITY: i64 = 500;
/// The most characters of a free-text welfare field.
pub const MAX_TEXT: usize = 4000;

use crate::error::other;

/// Language editions of the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edition {
    Nl,
    Fr,
    En,
}
crate::string_enum!(Edition {
    Nl = "nl",
    Fr = "fr",
    En = "en"
});

/// Who awaits an unaccompanied minor in the country of return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceptionKind {
    FamilyMember,
    Guardian,
    ReceptionFacility,
}
crate::string_enum!(ReceptionKind {
    FamilyMember = "family_member",
    Guardian = "guardian",
    ReceptionFacility = "reception_facility",
});

/// Why a child may not receive the workbook today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkbookMissing {
    /// Younger than 6 or older than 12 on the day.
    Age,
    /// No parent's consent recorded.
    Consent,
}

/// Whether a child born on `birth` may receive the workbook on `day`: aged 6 to 12 on that day
/// (the 6th birthday counts, the 13th does not) and with a parent's consent recorded.
pub fn workbook_missing(birth: Date, day: Date, consent: bool) -> Vec<WorkbookMissing> {
    let mut missing = Vec::new();
    let age = age_on(birth, day);
    if !(WORKBOOK_MIN_AGE..=WORKBOOK_MAX_AGE).contains(&age) {
        missing.push(WorkbookMissing::Age);
    }
    if !consent {
        missing.push(WorkbookMissing::Consent);
    }
    missing
}

/// [`workbook_missing`] as the error a hand-out is refused with (age first: it cannot be fixed).
pub fn check_workbook(birth: Date, day: Date, consent: bool) -> Result<(), ValidationError> {
    match workbook_missing(birth, day, consent).first() {
        None => Ok(()),
        Some(WorkbookMissing::Age) => {
            Err(other(codes::WORKBOOK_AGE, age_on(birth, day).to_string()).at("person"))
        }
        Some(WorkbookMissing::Consent) => Err(other(codes::WORKBOOK_CONSENT, "").at("person")),
    }
}

/// Whether the member may consent for a child: an adult principal or partner.
pub fn may_consent(relationship: Relationship, birth: Date, day: Date) -> bool {
    matches!(
        relationship,
        Relationship::Principal | Relationship::Partner
    ) && age_on(birth, day) >= 18
}

/// Parses a date that may not lie after `today`.
pub fn past_date(field: &str, value: &str, today: Date) -> Result<Date, ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(Invalid::Required).at(field));
    }
    let d = parse_date(value).map_err(|e| e.at(field))?;
    if d > today {
        return Err(other(codes::DATE_IN_FUTURE, format_date(d)).at(field));
    }
    Ok(d)
}

/// A one-line text field: trimmed, present (when `required`), at most `max` characters.
pub fn text_field(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    required: bool,
    max: usize,
) -> String {
    crate::text::field(errors, field, value, required, max, Shape::Line)
}

/// A text field of several lines (a summary, an address).
pub fn paragraph_field(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    required: bool,
    max: usize,
) -> String {
    crate::text::field(errors, field, value, required, max, Shape::Paragraph)
}

/// A best-interests assessment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct BestInterestsInput {
    pub assessed_on: String,
    /// Who assessed (name and function); the recording user is kept separately.
    pub assessed_by: String,
    pub consulted_parents: bool,
    pub consulted_guardian: bool,
    pub consulted_child: bool,
    /// Names of the people consulted.
    pub consulted_names: String,
    pub summary: String,
    pub conclusion: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BestInterests {
    pub assessed_on: Date,
    pub assessed_by: String,
    pub consulted_parents: bool,
    pub consulted_guardian: bool,
    pub consulted_child: bool,
    pub consulted_names: String,
    pub summary: String,
    pub conclusion: String,
}

impl BestInterestsInput {
    /// Checks the assessment of a child born on `birth`: a minor on the assessment date, which
    /// is not in the future, with who assessed, who was consulted, a summary and a conclusion.
    pub fn parse(&self, birth: Date, today: Date) -> Result<BestInterests, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let assessed_on = past_date("assessed_on", &self.assessed_on, today)
            .map_err(|e| errors.push(e))
            .ok();
        if let Some(d) = assessed_on {
            if age_on(birth, d) >= 18 {
                errors.push(other(codes::NOT_A_MINOR, format_date(d)).at("person"));
            }
        }
        let assessed_by = text_field(&mut errors, "assessed_by", &self.assessed_by, true, 200);
        if !(self.consulted_parents || self.consulted_guardian || self.consulted_child) {
            errors.push(ValidationError::new(Invalid::Required).at("consulted"));
        }
        let consulted_names = text_field(
            &mut errors,
            "consulted_names",
            &self.consulted_names,
            false,
            1000,
        );
        let summary = paragraph_field(&mut errors, "summary", &self.summary, true, MAX_TEXT);
        let conclusion =
            paragraph_field(&mut errors, "conclusion", &self.conclusion, true, MAX_TEXT);
        errors.into_result(())?;
        Ok(BestInterests {
            assessed_on: assessed_on.expect("checked"),
            assessed_by,
            consulted_parents: self.consulted_parents,
            consulted_guardian: self.consulted_guardian,
            consulted_child: self.consulted_child,
            consulted_names,
            summary,
            conclusion,
        })
    }
}

/// An unaccompanied minor's guardian as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct GuardianInput {
    pub name: String,
    pub organisation: String,
    pub appointed_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guardian {
    pub name: String,
    pub organisation: String,
    pub appointed_on: Date,
}

impl GuardianInput {
    pub fn parse(&self, today: Date) -> Result<Guardian, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = text_field(&mut errors, "name", &self.name, true, 200);
        let organisation = text_field(&mut errors, "organisation", &self.organisation, true, 200);
        let appointed_on = past_date("appointed_on", &self.appointed_on, today)
            .map_err(|e| errors.push(e))
            .ok();
        errors.into_result(())?;
        Ok(Guardian {
            name,
            organisation,
            appointed_on: appointed_on.expect("checked"),
        })
    }
}

/// The adequate-reception check as typed: who awaits the child in the country of return.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ReceptionCheckInput {
    pub kind: String,
    pub description: String,
    pub checked_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceptionCheck {
    pub kind: ReceptionKind,
    pub description: String,
    pub checked_on: Date,
}

impl ReceptionCheckInput {
    pub fn parse(&self, today: Date) -> Result<ReceptionCheck, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let kind = self
            .kind
            .trim()
            .parse::<ReceptionKind>()
            .map_err(|e| errors.push(e.at("kind")))
            .ok();
        let description = paragraph_field(
            &mut errors,
            "description",
            &self.description,
            true,
            MAX_TEXT,
        );
        let checked_on = past_date("checked_on", &self.checked_on, today)
            .map_err(|e| errors.push(e))
            .ok();
        errors.into_result(())?;
        Ok(ReceptionCheck {
            kind: kind.expect("checked"),
            description,
            checked_on: checked_on.expect("checked"),
        })
    }
}

/// Parses a quantity of workbooks: a whole number from 1 to [`MAX_QUANTITY`].
pub fn parse_quantity(field: &str, value: &str) -> Result<i64, ValidationError> {
    let v = value.trim();
    match v.parse::<i64>() {
        Ok(n) if (1..=MAX_QUANTITY).contains(&n) && v.len() <= 4 => Ok(n),
        _ => Err(other(codes::BAD_QUANTITY, v.chars().take(20).collect::<String>()).at(field)),
    }
}

/// A plausible e-mail address: one `@` with text on both sides, a dot in the domain, no spaces.
pub fn check_email(field: &str, value: &str) -> Result<String, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ValidationError::new(Invalid::Required).at(field));
    }
    if v.len() > 254 {
        return Err(ValidationError::new(Invalid::TooLong { max: 254 }).at(field));
    }
    let ok = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    };
    if !ok || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(other(codes::BAD_EMAIL, v).at(field));
    }
    Ok(v.to_string())
}

/// A workbook order as typed in the public form. Quantities per edition; empty means none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct OrderInput {
    pub organisation: String,
    pub contact_name: String,
    pub email: String,
    pub address: String,
    pub quantity_nl: String,
    pub quantity_fr: String,
    pub quantity_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Order {
    pub organisation: String,
    pub contact_name: String,
    pub email: String,
    pub address: String,
    /// At least one line, each edition once, quantities 1..=500.
    pub lines: Vec<(Edition, i64)>,
}

impl OrderInput {
    pub fn quantity(&self, e: Edition) -> &str {
        match e {
            Edition::Nl => &self.quantity_nl,
            Edition::Fr => &self.quantity_fr,
            Edition::En => &self.quantity_en,
        }
    }

    /// Checks every field and reports every problem.
    pub fn parse(&self) -> Result<Order, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let organisation = text_field(&mut errors, "organisation", &self.organisation, true, 200);
        let contact_name = text_field(&mut errors, "contact_name", &self.contact_name, true, 200);
        let email = check_email("email", &self.email)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let address = paragraph_field(&mut errors, "address", &self.address, true, 1000);
        let mut lines = Vec::new();
        for e in Edition::ALL {
            let raw = self.quantity(*e);
            if raw.trim().is_empty() || raw.trim() == "0" {
                continue;
            }
            match parse_quantity(&format!("quantity_{e}"), raw) {
                Ok(n) => lines.push((*e, n)),
                Err(err) => errors.push(err),
            }
        }
        if lines.is_empty() && errors.0.iter().all(|e| e.code() != codes::BAD_QUANTITY) {
            errors.push(other(codes::NO_EDITION, "").at("quantities"));
        }
        errors.into_result(())?;
        Ok(Order {
            organisation,
            contact_name,
            email,
            address,
            lines,
        })
    }
}

/// Order numbers such as `WB-2026-000123`: year of the order and a running number.
pub fn order_number(year: i32, number: i64) -> String {
    format!("WB-{year:04}-{number:06}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_workbook_age_window_counts_the_6th_birthday_in_and_the_13th_out() {
        let birth = date!(2013 - 09 - 21);
        assert_eq!(
            workbook_missing(birth, date!(2019 - 09 - 20), true),
            vec![WorkbookMissing::Age]
        );
        assert!(workbook_missing(birth, date!(2019 - 09 - 21), true).is_empty());
        assert!(workbook_missing(birth, date!(2026 - 09 - 20), true).is_empty());
        assert_eq!(
            workbook_missing(birth, date!(2026 - 09 - 21), true),
            vec![WorkbookMissing::Age]
        );
        let e = check_workbook(birth, date!(2026 - 09 - 21), true).unwrap_err();
        assert_eq!(e.code(), codes::WORKBOOK_AGE);
        assert_eq!(
            e.invalid.args(),
            vec![("value", crate::Arg::Text("13".into()))]
        );
    }

    #[test]
    fn the_workbook_needs_a_parents_consent() {
        let birth = date!(2017 - 05 - 08);
        let day = date!(2026 - 11 - 22);
        assert_eq!(
            check_workbook(birth, day, false).unwrap_err().code(),
            codes::WORKBOOK_CONSENT
        );
        assert!(check_workbook(birth, day, true).is_ok());
        assert_eq!(
            workbook_missing(date!(2021 - 02 - 15), day, false),
            vec![WorkbookMissing::Age, WorkbookMissing::Consent]
        );
    }

    #[test]
    fn only_adult_parents_consent() {
        let day = date!(2026 - 11 - 22);
        assert!(may_consent(
            Relationship::Principal,
            date!(1985 - 03 - 12),
            day
        ));
        assert!(may_consent(
            Relationship::Partner,
            date!(1988 - 07 - 02),
            day
        ));
        assert!(!may_consent(
            Relationship::Child,
            date!(1990 - 01 - 01),
            day
        ));
        assert!(!may_consent(
            Relationship::Other,
            date!(1960 - 01 - 01),
            day
        ));
        assert!(!may_consent(
            Relationship::Partner,
            date!(2009 - 01 - 01),
            day
        ));
    }

    #[test]
    fn orders_are_validated_field_by_field() {
        let good = OrderInput {
            organisation: "OCMW Gent".into(),
            contact_name: "An Peeters".into(),
            email: "an@ocmw.example".into(),
            address: "Onderbergen 86, 9000 Gent".into(),
            quantity_nl: "20".into(),
            quantity_fr: "10".into(),
            quantity_en: "".into(),
        };
        let o = good.parse().unwrap();
        assert_eq!(o.lines, vec![(Edition::Nl, 20), (Edition::Fr, 10)]);

        let mut bad = good.clone();
        bad.organisation = " ".into();
        bad.email = "an@ocmw".into();
        bad.quantity_nl = "501".into();
        bad.quantity_fr = "2.5".into();
        bad.address = "x".repeat(1001);
        let codes_: Vec<_> = bad.parse().unwrap_err().codes();
        assert_eq!(
            codes_,
            vec![
                "required",
                "bad-email",
                "too-long",
                "bad-quantity",
                "bad-quantity"
            ]
        );

        let mut none = good.clone();
        none.quantity_nl = "0".into();
        none.quantity_fr = String::new();
        assert_eq!(none.parse().unwrap_err().codes(), vec!["no-edition"]);

        for q in ["-1", "abc", "1e3", "00001"] {
            assert_eq!(
                parse_quantity("q", q).unwrap_err().code(),
                "bad-quantity",
                "{q}"
            );
        }
        assert_eq!(parse_quantity("q", "500"), Ok(500));
        assert_eq!(parse_quantity("q", "1"), Ok(1));
    }

    #[test]
    fn best_interests_need_a_minor_and_every_part() {
        let birth = date!(2013 - 09 - 21);
        let today = date!(2026 - 11 - 22);
        let input = BestInterestsInput {
            assessed_on: "2026-11-20".into(),
            assessed_by: "Sara, social worker".into(),
            consulted_parents: true,
            consulted_child: true,
            summary: "Dea looks forward to school in Ferizaj.".into(),
            conclusion: "Return with the family is in her interest.".into(),
            ..Default::default()
        };
        assert!(input.parse(birth, today).is_ok());
        let empty = BestInterestsInput {
            assessed_on: "2026-12-01".into(),
            ..Default::default()
        };
        assert_eq!(
            empty.parse(birth, today).unwrap_err().codes(),
            vec![
                "date-in-future",
                "required",
                "required",
                "required",
                "required"
            ]
        );
        assert!(input.parse(date!(2008 - 01 - 01), today).is_err());
        assert_eq!(order_number(2026, 123), "WB-2026-000123");
    }
}
