//! The household form: flat `name=value` pairs to and from a [`HouseholdInput`]. Parts the form
//! does not show (identity documents, asylum history) are kept from the stored case.

use retour_domain::household::{HouseholdInput, MemberInput};
use retour_domain::person::PersonInput;
use std::collections::HashMap;
use uuid::Uuid;

/// The most member rows a form may post (a household has at most 30 members, plus a blank row).
const MAX_ROWS: usize = 31;

pub struct HouseholdForm {
    pub input: HouseholdInput,
    pub version: i64,
    /// `add_member` re-shows the form with one more blank row; anything else saves.
    pub action: String,
}

fn list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

impl HouseholdForm {
    /// Reads the posted pairs. `base` is the stored household when editing.
    pub fn parse(pairs: Vec<(String, String)>, base: Option<&HouseholdInput>) -> HouseholdForm {
        let mut fields: HashMap<String, String> = HashMap::new();
        for (k, v) in pairs {
            // Lists picked in a multiple select arrive as one pair per choice.
            let list = k.ends_with(".nationalities") || k.ends_with(".languages");
            match fields.get_mut(&k) {
                Some(prev) if list && !v.trim().is_empty() => {
                    prev.push_str(", ");
                    prev.push_str(&v);
                }
                _ => {
                    fields.insert(k, v);
                }
            }
        }
        let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
        let opt = |k: &str| {
            fields
                .get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let mut input = base.cloned().unwrap_or_default();
        input.destination_country = get("destination_country");
        input.destination_place = get("destination_place");
        input.location_kind = get("location_kind");
        input.location_name = get("location_name");
        if fields.contains_key("office") {
            input.office = get("office");
        }
        input.application_date = opt("application_date");
        input.planned_departure_date = opt("planned_departure_date");
        let previous: Vec<MemberInput> = std::mem::take(&mut input.members);
        for i in 0..MAX_ROWS {
            let f = |name: &str| fields.get(&format!("m{i}.{name}")).cloned();
            let Some(family) = f("family_name") else {
                continue;
            };
            let id = f("id").and_then(|s| Uuid::parse_str(&s).ok());
            let blank = [
                &family,
                &f("given_names").unwrap_or_default(),
                &f("birth_date").unwrap_or_default(),
            ]
            .iter()
            .all(|v| v.trim().is_empty());
            if f("remove").is_some() || (blank && id.is_none()) {
                continue;
            }
            let documents = id
                .and_then(|id| previous.iter().find(|m| m.id == Some(id)))
                .map(|m| m.person.documents.clone())
                .unwrap_or_default();
            input.members.push(MemberInput {
                id,
                relationship: f("relationship").unwrap_or_default(),
                person: PersonInput {
                    family_name: family,
                    given_names: f("given_names").unwrap_or_default(),
                    other_names: list(&f("other_names").unwrap_or_default()),
                    birth_date: f("birth_date").unwrap_or_default(),
                    sex: f("sex").unwrap_or_default(),
                    nationalities: list(&f("nationalities").unwrap_or_default()),
                    languages: list(&f("languages").unwrap_or_default()),
                    documents,
                },
            });
        }
        HouseholdForm {
            input,
            version: get("version").parse().unwrap_or(0),
            action: get("action"),
        }
    }
}

/// One member row as the form shows it.
pub struct MemberRow {
    pub index: usize,
    pub id: String,
    pub relationship: String,
    pub family_name: String,
    pub given_names: String,
    pub other_names: String,
    pub birth_date: String,
    pub sex: String,
    pub nationalities: String,
    pub languages: String,
}

/// The member rows of a form, birth dates written as the reader writes them (`lang`), so what
/// the form shows can be sent back as it is.
pub fn member_rows(
    input: &HouseholdInput,
    extra_blank: bool,
    lang: retour_i18n::Lang,
) -> Vec<MemberRow> {
    let mut rows: Vec<MemberRow> = input
        .members
        .iter()
        .enumerate()
        .map(|(index, m)| MemberRow {
            index,
            id: m.id.map(|u| u.to_string()).unwrap_or_default(),
            relationship: m.relationship.clone(),
            family_name: m.person.family_name.clone(),
            given_names: m.person.given_names.clone(),
            other_names: m.person.other_names.join(", "),
            birth_date: retour_domain::BirthDate::parse(&m.person.birth_date)
                .map(|b| lang.birth_date_typed(&b))
                .unwrap_or_else(|_| m.person.birth_date.clone()),
            sex: m.person.sex.clone(),
            nationalities: m.person.nationalities.join(", "),
            languages: m.person.languages.join(", "),
        })
        .collect();
    if extra_blank || rows.is_empty() {
        let index = rows.len();
        rows.push(MemberRow {
            index,
            id: String::new(),
            relationship: if index == 0 {
                "principal".into()
            } else {
                "child".into()
            },
            family_name: String::new(),
            given_names: String::new(),
            other_names: String::new(),
            birth_date: String::new(),
            sex: String::new(),
            nationalities: String::new(),
            languages: String::new(),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn rows_are_read_blank_rows_skipped_and_removed_rows_dropped() {
        let f = HouseholdForm::parse(
            pairs(&[
                ("destination_country", "XK"),
                ("m0.relationship", "principal"),
                ("m0.family_name", "Miftari"),
                ("m0.given_names", "Agron"),
                ("m0.nationalities", "XK, AL"),
                ("m0.other_names", "Mifteri,, Miftary"),
                ("m1.family_name", ""),
                ("m1.given_names", " "),
                ("m2.family_name", "Gone"),
                ("m2.remove", "on"),
                ("version", "3"),
                ("_csrf", "t"),
                ("action", "save"),
            ]),
            None,
        );
        assert_eq!(f.input.members.len(), 1);
        assert_eq!(f.input.members[0].person.nationalities, vec!["XK", "AL"]);
        assert_eq!(
            f.input.members[0].person.other_names,
            vec!["Mifteri", "Miftary"]
        );
        assert_eq!((f.version, f.action.as_str()), (3, "save"));
        assert_eq!(member_rows(&f.input, true, retour_i18n::Lang::Nl).len(), 2);
    }
}
