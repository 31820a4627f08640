//! A case is one household that returns together.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;
use uuid::Uuid;

use crate::country::CountryCode;
use crate::dates::{format_date, parse_date};
use crate::error::{Invalid, ValidationError, ValidationErrors};
use crate::lifecycle::Status;
use crate::names::fold;
use crate::person::{text, Person, PersonInput, Relationship};

/// Human case reference such as `R-2026-000123`: year of registration and a running number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseReference {
    pub year: i32,
    pub number: u32,
}

impl CaseReference {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let s = input.trim().to_ascii_uppercase();
        let bad = || {
            ValidationError::new(Invalid::BadReference {
                value: input.trim().to_string(),
            })
        };
        let rest = s.strip_prefix("R-").ok_or_else(bad)?;
        let (y, n) = rest.split_once('-').ok_or_else(bad)?;
        // Six digits at least; more once a year passes 999,999 cases (a generated population).
        if y.len() != 4
            || !(6..=9).contains(&n.len())
            || !y.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        Ok(CaseReference {
            year: y.parse().map_err(|_| bad())?,
            number: n.parse().map_err(|_| bad())?,
        })
    }
}

/// How a partly typed reference is looked up: the references starting with what was typed, or
/// a running number (`123`, `000123`) in any of the recent years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceQuery {
    Prefix(String),
    AnyOf(Vec<String>),
}

impl ReferenceQuery {
    /// Reads `R-2026-0001`, `2026-000123`, `r-2026` or a running number alone as a reference
    /// query; `None` for anything that is not one (a name). A number alone is looked for in
    /// `this_year` and the nine years before.
    pub fn parse(input: &str, this_year: i32) -> Option<ReferenceQuery> {
        let s = input.trim().to_ascii_uppercase();
        if !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()) {
            let n: u32 = s.parse().ok()?;
            return Some(ReferenceQuery::AnyOf(
                (0..10)
                    .map(|back| CaseReference {
                        year: this_year - back,
                        number: n,
                    })
                    .map(|r| r.to_string())
                    .collect(),
            ));
        }
        let rest = s
            .strip_prefix("R-")
            .or_else(|| s.strip_prefix('R'))
            .unwrap_or(&s);
        let (year, number) = rest.split_once('-').unwrap_or((rest, ""));
        let shaped = year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && number.len() <= 9
            && number.bytes().all(|b| b.is_ascii_digit());
        // A bare year ("2026") is a number above; a name never has this shape.
        (shaped && (s.starts_with('R') || !number.is_empty()))
            .then(|| ReferenceQuery::Prefix(format!("R-{year}-{number}")))
    }
}

impl fmt::Display for CaseReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "R-{:04}-{:06}", self.year, self.number)
    }
}

impl TryFrom<String> for CaseReference {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CaseReference::parse(&s)
    }
}
impl From<CaseReference> for String {
    fn from(r: CaseReference) -> String {
        r.to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    ReceptionCentre,
    PrivateAddress,
    Other,
}
crate::string_enum!(LocationKind {
    ReceptionCentre = "reception_centre",
    PrivateAddress = "private_address",
    Other = "other",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AsylumOutcome {
    Pending,
    Granted,
    SubsidiaryProtection,
    Rejected,
    Withdrawn,
}
crate::string_enum!(AsylumOutcome {
    Pending = "pending",
    Granted = "granted",
    SubsidiaryProtection = "subsidiary_protection",
    Rejected = "rejected",
    Withdrawn = "withdrawn",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsylumApplication {
    pub lodged_on: Date,
    pub decided_on: Option<Date>,
    pub outcome: AsylumOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub relationship: Relationship,
    pub person: Person,
}

/// The household-level facts of a case, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub destination_country: CountryCode,
    pub destination_place: String,
    pub location_kind: LocationKind,
    pub location_name: String,
    /// The return desk or office that handles the case (scope of its counsellors).
    pub office: String,
    pub application_date: Option<Date>,
    pub planned_departure_date: Option<Date>,
    pub asylum_history: Vec<AsylumApplication>,
    pub members: Vec<Member>,
}

impl Household {
    pub fn principal(&self) -> &Member {
        self.members
            .iter()
            .find(|m| m.relationship == Relationship::Principal)
            .expect("a validated household has a principal")
    }

    /// Members under 18 on the given day (the planned departure date for entitlements).
    pub fn children_on(&self, day: Date) -> impl Iterator<Item = &Member> {
        self.members
            .iter()
            .filter(move |m| m.person.birth_date.age_on(day) < 18)
    }

    /// A household with at least one child on that day is a *family with children*.
    pub fn is_family_with_children_on(&self, day: Date) -> bool {
        self.children_on(day).next().is_some()
    }
}

/// A household as typed in a form or sent to the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdInput {
    pub destination_country: String,
    pub destination_place: String,
    pub location_kind: String,
    pub location_name: String,
    pub office: String,
    pub application_date: Option<String>,
    pub planned_departure_date: Option<String>,
    pub asylum_history: Vec<AsylumInput>,
    pub members: Vec<MemberInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AsylumInput {
    pub lodged_on: String,
    pub decided_on: Option<String>,
    pub outcome: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberInput {
    /// Kept when editing an existing member; a new one gets a fresh id.
    pub id: Option<Uuid>,
    pub relationship: String,
    #[serde(flatten)]
    pub person: PersonInput,
}

fn opt_date(errors: &mut ValidationErrors, field: &str, v: &Option<String>) -> Option<Date> {
    match v.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => parse_date(s).map_err(|e| errors.push(e.at(field))).ok(),
    }
}

pub const MAX_MEMBERS: usize = 30;

impl HouseholdInput {
    /// Parses and checks the whole household: exactly one principal, no member twice,
    /// valid countries and dates. `new_id` gives ids to new members. Reports every problem.
    pub fn parse(
        &self,
        today: Date,
        mut new_id: impl FnMut() -> Uuid,
    ) -> Result<Household, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let destination_country = CountryCode::parse(&self.destination_country)
            .map_err(|e| {
                let e = if self.destination_country.trim().is_empty() {
                    ValidationError::new(Invalid::Required)
                } else {
                    e
                };
                errors.push(e.at("destination_country"))
            })
            .ok();
        let destination_place = text(
            &mut errors,
            "destination_place",
            &self.destination_place,
            false,
            200,
        );
        let location_kind = if self.location_kind.trim().is_empty() {
            LocationKind::ReceptionCentre
        } else {
            self.location_kind
                .trim()
                .parse()
                .unwrap_or_else(|e: ValidationError| {
                    errors.push(e.at("location_kind"));
                    LocationKind::Other
                })
        };
        let location_name = text(
            &mut errors,
            "location_name",
            &self.location_name,
            false,
            200,
        );
        let office = text(&mut errors, "office", &self.office, true, 100);
        let application_date = opt_date(&mut errors, "application_date", &self.application_date);
        let planned_departure_date = opt_date(
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
        let mut asylum_history = Vec::new();
        for (i, a) in self.asylum_history.iter().enumerate() {
            let f = format!("asylum_history[{i}]");
            let lodged = parse_date(&a.lodged_on)
                .map_err(|e| errors.push(e.at(format!("{f}.lodged_on"))))
                .ok();
            let decided = opt_date(&mut errors, &format!("{f}.decided_on"), &a.decided_on);
            let outcome = a
                .outcome
                .trim()
                .parse()
                .map_err(|e: ValidationError| errors.push(e.at(format!("{f}.outcome"))))
                .ok();
            if let (Some(l), Some(d)) = (lodged, decided) {
                if d < l {
                    errors.push(
                        ValidationError::new(Invalid::DateOrder {
                            earlier: l,
                            later: d,
                        })
                        .at(format!("{f}.decided_on")),
                    );
                }
            }
            if let (Some(lodged_on), Some(outcome)) = (lodged, outcome) {
                asylum_history.push(AsylumApplication {
                    lodged_on,
                    decided_on: decided,
                    outcome,
                });
            }
        }
        let mut members: Vec<Member> = Vec::new();
        if self.members.len() > MAX_MEMBERS {
            errors.push(ValidationError::new(Invalid::TooLong { max: MAX_MEMBERS }).at("members"));
        }
        for (i, m) in self.members.iter().enumerate() {
            let f = format!("members[{i}]");
            let relationship = m
                .relationship
                .trim()
                .parse()
                .map_err(|e: ValidationError| errors.push(e.at(format!("{f}.relationship"))))
                .ok();
            let person = m
                .person
                .parse(m.id.unwrap_or_else(&mut new_id), today)
                .map_err(|errs| errors.0.extend(errs.0.into_iter().map(|e| e.at(f.clone()))))
                .ok();
            if let (Some(relationship), Some(person)) = (relationship, person) {
                // A baby born while the family waits counts; one due after the departure cannot.
                if let Some(d) = planned_departure_date.filter(|d| person.birth_date.date() > *d) {
                    errors.push(
                        crate::error::day("born-after-departure", d).at(format!("{f}.birth_date")),
                    );
                }
                if let Some(dup) = members.iter().find(|o| same_person(&o.person, &person)) {
                    errors.push(
                        ValidationError::new(Invalid::DuplicateMember {
                            name: dup.person.full_name(),
                        })
                        .at(f.clone()),
                    );
                }
                members.push(Member {
                    relationship,
                    person,
                });
            }
        }
        let principals = self
            .members
            .iter()
            .filter(|m| m.relationship.trim() == "principal")
            .count();
        match principals {
            0 => errors.push(ValidationError::new(Invalid::NoPrincipal).at("members")),
            1 => {}
            _ => errors.push(ValidationError::new(Invalid::SeveralPrincipals).at("members")),
        }
        errors.into_result(())?;
        Ok(Household {
            destination_country: destination_country.expect("checked"),
            destination_place,
            location_kind,
            location_name,
            office,
            application_date,
            planned_departure_date,
            asylum_history,
            members,
        })
    }

    pub fn from_household(h: &Household) -> HouseholdInput {
        HouseholdInput {
            destination_country: h.destination_country.to_string(),
            destination_place: h.destination_place.clone(),
            location_kind: h.location_kind.as_str().into(),
            location_name: h.location_name.clone(),
            office: h.office.clone(),
            application_date: h.application_date.map(format_date),
            planned_departure_date: h.planned_departure_date.map(format_date),
            asylum_history: h
                .asylum_history
                .iter()
                .map(|a| AsylumInput {
                    lodged_on: format_date(a.lodged_on),
                    decided_on: a.decided_on.map(format_date),
                    outcome: a.outcome.as_str().into(),
                })
                .collect(),
            members: h
                .members
                .iter()
                .map(|m| MemberInput {
                    id: Some(m.person.id),
                    relationship: m.relationship.as_str().into(),
                    person: PersonInput::from_person(&m.person),
                })
                .collect(),
        }
    }
}

/// The same person entered twice: the same id, or the same folded name and birth date.
fn same_person(a: &Person, b: &Person) -> bool {
    a.id == b.id
        || (fold(&a.family_name) == fold(&b.family_name)
            && fold(&a.given_names) == fold(&b.given_names)
            && a.birth_date == b.birth_date)
}

/// A stored case: the household plus its lifecycle state and version for optimistic concurrency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: Uuid,
    pub reference: CaseReference,
    pub status: Status,
    /// Incremented by every write; a write naming an older version is refused.
    pub version: i64,
    pub counsellor_id: Option<Uuid>,
    pub partner_org: Option<String>,
    pub household: Household,
    pub departure: Option<crate::lifecycle::DepartureBooking>,
    /// The day the returnee actually left, once confirmed.
    pub departed_on: Option<time::Date>,
    /// The day of arrival in the country of return, once confirmed (deadlines run from it).
    pub arrived_on: Option<time::Date>,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

#[cfg(test)]
mod reference_query_tests {
    use super::ReferenceQuery;

    #[test]
    fn partial_references_are_prefixes_or_running_numbers() {
        assert_eq!(
            ReferenceQuery::parse("r-2026-0001", 2026),
            Some(ReferenceQuery::Prefix("R-2026-0001".into()))
        );
        assert_eq!(
            ReferenceQuery::parse("2026-000123", 2026),
            Some(ReferenceQuery::Prefix("R-2026-000123".into()))
        );
        assert_eq!(
            ReferenceQuery::parse("R-2026", 2026),
            Some(ReferenceQuery::Prefix("R-2026-".into()))
        );
        match ReferenceQuery::parse("123", 2026) {
            Some(ReferenceQuery::AnyOf(refs)) => {
                assert_eq!(refs.len(), 10);
                assert_eq!(refs[0], "R-2026-000123");
                assert_eq!(refs[9], "R-2017-000123");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(ReferenceQuery::parse("Miftari", 2026), None);
        assert_eq!(ReferenceQuery::parse("Rexhepi", 2026), None);
        assert_eq!(ReferenceQuery::parse("R-20x6", 2026), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn member(rel: &str, family: &str, given: &str, birth: &str) -> MemberInput {
        MemberInput {
            id: None,
            relationship: rel.into(),
            person: PersonInput {
                family_name: family.into(),
                given_names: given.into(),
                birth_date: birth.into(),
                nationalities: vec!["XK".into()],
                ..Default::default()
            },
        }
    }

    fn miftari() -> HouseholdInput {
        HouseholdInput {
            destination_country: "XK".into(),
            destination_place: "Prizren".into(),
            location_kind: "reception_centre".into(),
            location_name: "Poelkapelle".into(),
            office: "poelkapelle".into(),
            application_date: Some("2026-03-02".into()),
            planned_departure_date: Some("2026-04-20".into()),
            asylum_history: vec![
                AsylumInput {
                    lodged_on: "2022-05-03".into(),
                    decided_on: Some("2023-09-14".into()),
                    outcome: "rejected".into(),
                },
                AsylumInput {
                    lodged_on: "2024-01-10".into(),
                    decided_on: Some("2025-06-30".into()),
                    outcome: "rejected".into(),
                },
            ],
            members: vec![
                member("principal", "Miftari", "Arben", "1984-05-11"),
                member("partner", "Miftari", "Drita", "1987-02-03"),
                member("child", "Miftari", "Elira", "2012-01-30"),
                member("child", "Miftari", "Blerim", "2017-03-15"),
                member("child", "Miftari", "Ardit", "2020-04-20"),
            ],
        }
    }

    fn ids() -> impl FnMut() -> Uuid {
        let mut n = 0u128;
        move || {
            n += 1;
            Uuid::from_u128(n)
        }
    }

    #[test]
    fn the_miftari_household_is_a_family_with_three_children() {
        let h = miftari().parse(date!(2026 - 11 - 22), ids()).unwrap();
        assert_eq!(h.principal().person.given_names, "Arben");
        let dep = h.planned_departure_date.unwrap();
        assert_eq!(h.children_on(dep).count(), 3);
        assert!(h.is_family_with_children_on(dep));
        assert_eq!(h.asylum_history.len(), 2);
        let again = HouseholdInput::from_household(&h)
            .parse(date!(2026 - 11 - 22), ids())
            .unwrap();
        assert_eq!(again, h);
    }

    #[test]
    fn a_child_turning_18_on_the_departure_day_counts_as_adult() {
        let mut i = miftari();
        i.members[2].person.birth_date = "2008-04-20".into();
        let h = i.parse(date!(2026 - 11 - 22), ids()).unwrap();
        assert_eq!(h.children_on(date!(2026 - 04 - 20)).count(), 2);
        assert_eq!(h.children_on(date!(2026 - 04 - 19)).count(), 3);
    }

    #[test]
    fn a_single_adult_is_not_a_family_with_children() {
        let mut i = miftari();
        i.members.truncate(1);
        let h = i.parse(date!(2026 - 11 - 22), ids()).unwrap();
        assert!(!h.is_family_with_children_on(date!(2026 - 04 - 20)));
    }

    #[test]
    fn household_composition_rules_are_enforced() {
        let mut none = miftari();
        none.members[0].relationship = "partner".into();
        assert_eq!(
            none.parse(date!(2026 - 11 - 22), ids())
                .unwrap_err()
                .codes(),
            vec!["no-principal"]
        );

        let mut two = miftari();
        two.members[1].relationship = "principal".into();
        assert_eq!(
            two.parse(date!(2026 - 11 - 22), ids()).unwrap_err().codes(),
            vec!["several-principals"]
        );

        let mut dup = miftari();
        let mut copy = dup.members[3].clone();
        copy.person.family_name = "MIFTARÍ".into();
        dup.members.push(copy);
        let err = dup.parse(date!(2026 - 11 - 22), ids()).unwrap_err();
        assert_eq!(err.codes(), vec!["duplicate-member"]);
        assert_eq!(err.0[0].field.as_deref(), Some("members[5]"));

        let mut empty = miftari();
        empty.members.clear();
        assert_eq!(
            empty
                .parse(date!(2026 - 11 - 22), ids())
                .unwrap_err()
                .codes(),
            vec!["no-principal"]
        );
    }

    #[test]
    fn a_baby_born_while_waiting_belongs_to_the_household_until_the_departure_day() {
        // Application 2026-03-02, planned departure 2026-04-20.
        let with_baby = |born: &str| {
            let mut i = miftari();
            i.members.push(MemberInput {
                id: None,
                relationship: "child".into(),
                person: PersonInput {
                    family_name: "Miftari".into(),
                    given_names: "Drita".into(),
                    birth_date: born.into(),
                    sex: "female".into(),
                    nationalities: vec!["XK".into()],
                    ..Default::default()
                },
            });
            i.parse(date!(2026 - 11 - 22), ids())
        };
        for born in ["2026-03-02", "2026-03-03", "2026-04-20"] {
            let h = with_baby(born).unwrap_or_else(|e| panic!("{born}: {e}"));
            assert_eq!(h.children_on(date!(2026 - 04 - 20)).count(), 4, "{born}");
        }
        let err = with_baby("2026-04-21").unwrap_err();
        assert_eq!(err.codes(), vec!["born-after-departure"]);
        assert_eq!(err.0[0].field.as_deref(), Some("members[5].birth_date"));
        assert_eq!(
            with_baby("2026-11-23").unwrap_err().codes(),
            vec!["birth-date-in-future"]
        );
    }

    #[test]
    fn bad_household_fields_are_reported_together() {
        let mut i = miftari();
        i.destination_country = "KS".into();
        i.planned_departure_date = Some("2026-01-01".into());
        i.office = "".into();
        i.asylum_history[0].outcome = "maybe".into();
        let err = i.parse(date!(2026 - 11 - 22), ids()).unwrap_err();
        assert_eq!(
            err.codes(),
            vec!["unknown-country", "required", "date-order", "unknown-value"]
        );
    }

    #[test]
    fn references_parse_and_print() {
        let r = CaseReference::parse("r-2026-000123").unwrap();
        assert_eq!(r.to_string(), "R-2026-000123");
        for bad in [
            "R-2026-123",
            "2026-000123",
            "R-26-000123",
            "R-2026-00012a",
            "",
        ] {
            assert_eq!(
                CaseReference::parse(bad).unwrap_err().code(),
                "bad-reference",
                "{bad}"
            );
        }
    }
}
