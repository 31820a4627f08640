//! What the public may use without signing in: a non-binding estimate for a family. It runs the
//! same quote engine as staff under the policy in force today, and stores nothing.

use retour_domain::dates::{format_date, BirthDate};
use retour_domain::quote::{quote, Quote, QuoteInput, QuoteMemberInput};
use retour_domain::{parse_date, Invalid, ValidationError, ValidationErrors};

use crate::{App, AppResult};

/// The most children the public estimate form takes.
pub const MAX_ESTIMATE_CHILDREN: usize = 8;

/// The public estimate form: country of return, departure date, adults, children's birth dates.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct EstimateInput {
    pub destination: String,
    /// Empty: today.
    pub planned_departure_date: String,
    /// `1` or `2`.
    pub adults: String,
    /// Birth dates (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`); empty entries are skipped.
    pub children: Vec<String>,
}

/// A non-binding estimate and the member labels its lines refer to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Estimate {
    pub quote: Quote,
}

impl App {
    /// Estimates what a family returning to `destination` could receive. The family is assumed
    /// to hold the nationality of the country of return and never to have received support; the
    /// adults' exact ages do not change the amounts, so they are given a nominal birth year.
    pub async fn public_estimate(&self, input: &EstimateInput) -> AppResult<Estimate> {
        let today = self.today();
        let mut errors = ValidationErrors::default();
        let departure = match input.planned_departure_date.trim() {
            "" => Some(today),
            s => match parse_date(s) {
                Ok(d) if d < today => {
                    errors.push(
                        ValidationError::new(Invalid::DateOrder {
                            earlier: today,
                            later: d,
                        })
                        .at("planned_departure_date"),
                    );
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push(e.at("planned_departure_date"));
                    None
                }
            },
        };
        let adults = match input.adults.trim() {
            "1" => 1,
            "2" => 2,
            other => {
                errors.push(
                    ValidationError::new(Invalid::UnknownValue {
                        value: other.chars().take(20).collect(),
                    })
                    .at("adults"),
                );
                1
            }
        };
        if input.children.len() > MAX_ESTIMATE_CHILDREN {
            errors.push(
                ValidationError::new(Invalid::TooLong {
                    max: MAX_ESTIMATE_CHILDREN,
                })
                .at("children"),
            );
        }
        let mut children = Vec::new();
        for (i, c) in input
            .children
            .iter()
            .take(MAX_ESTIMATE_CHILDREN)
            .enumerate()
        {
            if c.trim().is_empty() {
                continue;
            }
            match BirthDate::parse_not_after(c, today) {
                Ok(b) => children.push(b),
                Err(e) => errors.push(e.at(format!("child_{i}"))),
            }
        }
        let destination = input.destination.trim().to_ascii_uppercase();
        if destination.is_empty() {
            errors.push(ValidationError::new(Invalid::Required).at("destination"));
        } else if let Err(e) = retour_domain::CountryCode::parse(&destination) {
            errors.push(e.at("destination"));
        }
        errors.into_result(())?;
        let departure = departure.expect("checked");
        let adult_birth = format!("{:04}", departure.year() - 40);
        let member = |id: String, role: &str, birth: String| QuoteMemberInput {
            id,
            role: role.into(),
            birth_date: birth,
            nationalities: vec![destination.clone()],
            ..Default::default()
        };
        let mut members = vec![member("adult-1".into(), "principal", adult_birth.clone())];
        if adults == 2 {
            members.push(member("adult-2".into(), "partner", adult_birth));
        }
        for (i, b) in children.iter().enumerate() {
            members.push(member(format!("child-{}", i + 1), "child", b.to_string()));
        }
        let q = QuoteInput {
            application_date: format_date(today),
            planned_departure_date: format_date(departure),
            destination: destination.clone(),
            members,
        };
        let policy = self.policy_on(today).await?;
        Ok(Estimate {
            quote: quote(&policy, &q, today)?,
        })
    }
}
