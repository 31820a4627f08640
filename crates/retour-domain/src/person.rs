//! Persons: who returns, as far as their identity is known.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::country::CountryCode;
use crate::dates::{format_date, parse_date, BirthDate};
use crate::error::{Invalid, ValidationError, ValidationErrors};
use crate::names::fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    Other,
    Unknown,
}
crate::string_enum!(Sex { Female = "female", Male = "male", Other = "other", Unknown = "unknown" });

/// How a member relates to the principal applicant of the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    Principal,
    Partner,
    Child,
    Other,
}
crate::string_enum!(Relationship {
    Principal = "principal",
    Partner = "partner",
    Child = "child",
    Other = "other",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Passport,
    IdentityCard,
    LaissezPasser,
    BirthCertificate,
    Other,
}
crate::string_enum!(DocumentKind {
    Passport = "passport",
    IdentityCard = "identity_card",
    LaissezPasser = "laissez_passer",
    BirthCertificate = "birth_certificate",
    Other = "other",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityDocument {
    pub kind: DocumentKind,
    pub number: String,
    pub issuing_country: CountryCode,
    pub expires_on: Option<Date>,
}

/// A person as stored: validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: Uuid,
    pub family_name: String,
    pub given_names: String,
    /// Other spellings of the name met in documents (transliterations are common).
    pub other_names: Vec<String>,
    pub birth_date: BirthDate,
    pub sex: Sex,
    pub nationalities: Vec<CountryCode>,
    pub languages: Vec<String>,
    pub documents: Vec<IdentityDocument>,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_names, self.family_name)
            .trim()
            .to_string()
    }

    /// Every spelling folded for search: the family name, the full name and each other spelling.
    pub fn search_names(&self) -> Vec<String> {
        let mut out = vec![fold(&self.family_name), fold(&self.full_name())];
        out.extend(self.other_names.iter().map(|n| fold(n)));
        out.retain(|n| !n.is_empty());
        out.dedup();
        out
    }
}

/// A person as typed in a form or sent to the API: strings, to be parsed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonInput {
    pub family_name: String,
    pub given_names: String,
    pub other_names: Vec<String>,
    pub birth_date: String,
    pub sex: String,
    pub nationalities: Vec<String>,
    pub languages: Vec<String>,
    pub documents: Vec<DocumentInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentInput {
    pub kind: String,
    pub number: String,
    pub issuing_country: String,
    pub expires_on: Option<String>,
}

pub const MAX_NAME: usize = 200;

/// How many entries a person's lists may hold: enough for anyone, small enough that a form or
/// a request cannot fill the database.
pub const MAX_OTHER_NAMES: usize = 20;
pub const MAX_NATIONALITIES: usize = 5;
pub const MAX_LANGUAGES: usize = 10;
pub const MAX_DOCUMENTS: usize = 10;

fn bounded(errors: &mut ValidationErrors, field: &str, len: usize, max: usize) {
    if len > max {
        errors.push(crate::error::other("too-many", max.to_string()).at(field));
    }
}

/// A one-line text field (a name, a place).
pub(crate) fn text(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    required: bool,
    max: usize,
) -> String {
    crate::text::field(
        errors,
        field,
        value,
        required,
        max,
        crate::text::Shape::Line,
    )
}

impl PersonInput {
    /// Parses the input into a person; `today` bounds the birth date. Reports every problem.
    pub fn parse(&self, id: Uuid, today: Date) -> Result<Person, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let family_name = text(
            &mut errors,
            "family_name",
            &self.family_name,
            true,
            MAX_NAME,
        );
        let given_names = text(
            &mut errors,
            "given_names",
            &self.given_names,
            false,
            MAX_NAME,
        );
        bounded(
            &mut errors,
            "other_names",
            self.other_names.len(),
            MAX_OTHER_NAMES,
        );
        bounded(
            &mut errors,
            "nationalities",
            self.nationalities.len(),
            MAX_NATIONALITIES,
        );
        bounded(
            &mut errors,
            "languages",
            self.languages.len(),
            MAX_LANGUAGES,
        );
        bounded(
            &mut errors,
            "documents",
            self.documents.len(),
            MAX_DOCUMENTS,
        );
        let mut other_names = Vec::new();
        for (i, n) in self.other_names.iter().enumerate().take(MAX_OTHER_NAMES) {
            let n = text(
                &mut errors,
                &format!("other_names[{i}]"),
                n,
                false,
                MAX_NAME,
            );
            if !n.is_empty() && !other_names.contains(&n) {
                other_names.push(n);
            }
        }
        let birth_date = match BirthDate::parse_not_after(&self.birth_date, today) {
            Ok(b) => Some(b),
            Err(e) if self.birth_date.trim().is_empty() => {
                let _ = e;
                errors.push(ValidationError::new(Invalid::Required).at("birth_date"));
                None
            }
            Err(e) => {
                errors.push(e.at("birth_date"));
                None
            }
        };
        let sex = if self.sex.trim().is_empty() {
            Sex::Unknown
        } else {
            self.sex
                .trim()
                .parse()
                .unwrap_or_else(|e: ValidationError| {
                    errors.push(e.at("sex"));
                    Sex::Unknown
                })
        };
        let mut nationalities = Vec::new();
        for (i, n) in self
            .nationalities
            .iter()
            .enumerate()
            .take(MAX_NATIONALITIES)
        {
            if n.trim().is_empty() {
                continue;
            }
            match CountryCode::parse(n) {
                Ok(c) if !nationalities.contains(&c) => nationalities.push(c),
                Ok(_) => {}
                Err(e) => errors.push(e.at(format!("nationalities[{i}]"))),
            }
        }
        if nationalities.is_empty()
            && errors.0.iter().all(|e| {
                !e.field
                    .as_deref()
                    .unwrap_or("")
                    .starts_with("nationalities")
            })
        {
            errors.push(ValidationError::new(Invalid::Required).at("nationalities"));
        }
        let mut languages: Vec<String> = Vec::new();
        for (i, l) in self.languages.iter().enumerate().take(MAX_LANGUAGES) {
            let l = text(&mut errors, &format!("languages[{i}]"), l, false, 50);
            if !l.is_empty() && !languages.contains(&l) {
                languages.push(l);
            }
        }
        let mut documents = Vec::new();
        for (i, d) in self.documents.iter().enumerate().take(MAX_DOCUMENTS) {
            match d.parse() {
                Ok(doc) => documents.push(doc),
                Err(errs) => errors
                    .0
                    .extend(errs.0.into_iter().map(|e| e.at(format!("documents[{i}]")))),
            }
        }
        errors.into_result(())?;
        Ok(Person {
            id,
            family_name,
            given_names,
            other_names,
            birth_date: birth_date.expect("checked above"),
            sex,
            nationalities,
            languages,
            documents,
        })
    }

    pub fn from_person(p: &Person) -> PersonInput {
        PersonInput {
            family_name: p.family_name.clone(),
            given_names: p.given_names.clone(),
            other_names: p.other_names.clone(),
            birth_date: p.birth_date.to_string(),
            sex: p.sex.as_str().to_string(),
            nationalities: p.nationalities.iter().map(|c| c.to_string()).collect(),
            languages: p.languages.clone(),
            documents: p
                .documents
                .iter()
                .map(|d| DocumentInput {
                    kind: d.kind.as_str().into(),
                    number: d.number.clone(),
                    issuing_country: d.issuing_country.to_string(),
                    expires_on: d.expires_on.map(format_date),
                })
                .collect(),
        }
    }
}

impl DocumentInput {
    pub fn parse(&self) -> Result<IdentityDocument, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let kind = self
            .kind
            .trim()
            .parse()
            .unwrap_or_else(|e: ValidationError| {
                errors.push(e.at("kind"));
                DocumentKind::Other
            });
        let number = text(&mut errors, "number", &self.number, true, 64);
        let issuing_country = CountryCode::parse(&self.issuing_country)
            .map_err(|e| errors.push(e.at("issuing_country")))
            .ok();
        let expires_on = match self.expires_on.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => parse_date(s)
                .map_err(|e| errors.push(e.at("expires_on")))
                .ok(),
        };
        errors.into_result(())?;
        Ok(IdentityDocument {
            kind,
            number,
            issuing_country: issuing_country.expect("checked"),
            expires_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> PersonInput {
        PersonInput {
            family_name: "Miftari".into(),
            given_names: "Arben".into(),
            other_names: vec!["Mifteri".into()],
            birth_date: "1984-05-11".into(),
            sex: "male".into(),
            nationalities: vec!["xk".into()],
            languages: vec!["sq".into()],
            documents: vec![DocumentInput {
                kind: "passport".into(),
                number: "P1234567".into(),
                issuing_country: "XK".into(),
                expires_on: Some("2030-01-01".into()),
            }],
        }
    }

    #[test]
    fn a_complete_person_parses_and_round_trips_through_its_input() {
        let p = input().parse(Uuid::nil(), date!(2026 - 11 - 22)).unwrap();
        assert_eq!(p.nationalities[0].as_str(), "XK");
        assert_eq!(
            p.search_names(),
            vec!["miftari", "arben miftari", "mifteri"]
        );
        assert_eq!(
            PersonInput::from_person(&p)
                .parse(Uuid::nil(), date!(2026 - 11 - 22))
                .unwrap(),
            p
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let mut i = input();
        i.family_name = " ".into();
        i.birth_date = "2027-01-01".into();
        i.nationalities = vec!["ZZ".into()];
        i.documents[0].issuing_country = "QQ".into();
        let errs = i.parse(Uuid::nil(), date!(2026 - 11 - 22)).unwrap_err();
        let fields: Vec<_> = errs
            .0
            .iter()
            .map(|e| (e.field.clone().unwrap(), e.code()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("family_name".to_string(), "required"),
                ("birth_date".to_string(), "birth-date-in-future"),
                ("nationalities[0]".to_string(), "unknown-country"),
                (
                    "documents[0].issuing_country".to_string(),
                    "unknown-country"
                ),
            ]
        );
    }

    #[test]
    fn a_person_needs_a_nationality() {
        let mut i = input();
        i.nationalities.clear();
        let errs = i.parse(Uuid::nil(), date!(2026 - 11 - 22)).unwrap_err();
        assert_eq!(errs.codes(), vec!["required"]);
    }
}
