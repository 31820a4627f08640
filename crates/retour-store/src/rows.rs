//! Row shapes as stored, and their conversion to domain values. Derived `FromRow` is generic over
//! the backend, so both decode through the same code.

use retour_domain::household::{AsylumApplication, LocationKind};
use retour_domain::lifecycle::{DepartureBooking, Status};
use retour_domain::person::{IdentityDocument, Relationship, Sex};
use retour_domain::{
    BirthDate, Case, CaseReference, CountryCode, DatePrecision, Household, Member, Person,
};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::script::{Arg, Script};

use crate::{StoreError, StoreResult};

#[derive(sqlx::FromRow, Debug)]
pub(crate) struct CaseRow {
    pub id: Uuid,
    pub reference: String,
    pub status: String,
    pub version: i64,
    pub destination_country: String,
    pub destination_place: String,
    pub location_kind: String,
    pub location_name: String,
    pub office: String,
    pub counsellor_id: Option<Uuid>,
    pub partner_org: Option<String>,
    pub application_date: Option<Date>,
    pub planned_departure_date: Option<Date>,
    pub departure_date: Option<Date>,
    pub transport: Option<String>,
    pub travel_document: Option<String>,
    pub asylum_history: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub departed_on: Option<Date>,
    pub arrived_on: Option<Date>,
}

#[derive(sqlx::FromRow, Debug)]
pub(crate) struct PersonRow {
    pub id: Uuid,
    pub relationship: String,
    pub family_name: String,
    pub given_names: String,
    pub other_names: String,
    pub birth_date: Date,
    pub birth_precision: String,
    pub sex: String,
    pub nationalities: String,
    pub languages: String,
    pub documents: String,
}

fn json<T: serde::de::DeserializeOwned>(table: &'static str, s: &str) -> StoreResult<T> {
    serde_json::from_str(s).map_err(|e| StoreError::corrupt(table, e))
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serialises")
}

fn parse<T: std::str::FromStr>(table: &'static str, s: &str) -> StoreResult<T>
where
    T::Err: std::fmt::Display,
{
    s.parse().map_err(|e: T::Err| StoreError::corrupt(table, e))
}

impl PersonRow {
    pub fn into_member(self) -> StoreResult<Member> {
        let precision = DatePrecision::parse(&self.birth_precision)
            .map_err(|e| StoreError::corrupt("persons", e))?;
        let nationalities: Vec<String> = json("persons", &self.nationalities)?;
        let nationalities = nationalities
            .iter()
            .map(|c| CountryCode::parse(c).map_err(|e| StoreError::corrupt("persons", e)))
            .collect::<StoreResult<Vec<_>>>()?;
        let documents: Vec<IdentityDocument> = json("persons", &self.documents)?;
        Ok(Member {
            relationship: parse::<Relationship>("persons", &self.relationship)?,
            person: Person {
                id: self.id,
                family_name: self.family_name,
                given_names: self.given_names,
                other_names: json("persons", &self.other_names)?,
                birth_date: BirthDate::new(self.birth_date, precision),
                sex: parse::<Sex>("persons", &self.sex)?,
                nationalities,
                languages: json("persons", &self.languages)?,
                documents,
            },
        })
    }
}

impl CaseRow {
    pub fn into_case(self, members: Vec<Member>) -> StoreResult<Case> {
        let departure = match (self.departure_date, &self.transport, &self.travel_document) {
            (Some(date), Some(t), Some(d)) => Some(DepartureBooking {
                date,
                transport: parse("cases", t)?,
                travel_document: parse("cases", d)?,
            }),
            _ => None,
        };
        let asylum_history: Vec<AsylumApplication> = json("cases", &self.asylum_history)?;
        Ok(Case {
            id: self.id,
            reference: CaseReference::parse(&self.reference)
                .map_err(|e| StoreError::corrupt("cases", e))?,
            status: parse::<Status>("cases", &self.status)?,
            version: self.version,
            counsellor_id: self.counsellor_id,
            partner_org: self.partner_org,
            household: Household {
                destination_country: CountryCode::parse(&self.destination_country)
                    .map_err(|e| StoreError::corrupt("cases", e))?,
                destination_place: self.destination_place,
                location_kind: parse::<LocationKind>("cases", &self.location_kind)?,
                location_name: self.location_name,
                office: self.office,
                application_date: self.application_date,
                planned_departure_date: self.planned_departure_date,
                asylum_history,
                members,
            },
            departure,
            departed_on: self.departed_on,
            arrived_on: self.arrived_on,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The values of one person row, in [`PERSON_COLUMNS`] order, ready to bind.
pub(crate) struct PersonValues {
    pub id: Uuid,
    pub case_id: Uuid,
    pub position: i32,
    pub relationship: &'static str,
    pub family_name: String,
    pub given_names: String,
    pub other_names: String,
    pub name_folded: String,
    pub name_key: String,
    pub birth_date: Date,
    pub birth_precision: &'static str,
    pub sex: &'static str,
    pub nationalities: String,
    pub languages: String,
    pub documents: String,
}

pub(crate) const PERSON_INSERT_COLUMNS: &str = "id, case_id, position, relationship, family_name, given_names, \
    other_names, name_folded, name_key, birth_date, birth_precision, sex, nationalities, languages, documents";
pub(crate) const PERSON_INSERT_ARITY: usize = 15;

impl PersonValues {
    pub fn new(case_id: Uuid, position: usize, m: &Member) -> Self {
        let p = &m.person;
        let nats: Vec<&str> = p.nationalities.iter().map(|c| c.as_str()).collect();
        PersonValues {
            id: p.id,
            case_id,
            position: position as i32,
            relationship: m.relationship.as_str(),
            family_name: p.family_name.clone(),
            given_names: p.given_names.clone(),
            other_names: to_json(&p.other_names),
            name_folded: retour_domain::names::fold(&p.family_name),
            name_key: retour_domain::names::sound_key(&p.family_name),
            birth_date: p.birth_date.date(),
            birth_precision: p.birth_date.precision().as_str(),
            sex: p.sex.as_str(),
            nationalities: to_json(&nats),
            languages: to_json(&p.languages),
            documents: to_json(&p.documents),
        }
    }
}

/// `($1, $2, …), ($n+1, …)` for `rows` rows of `arity` values, or `(?, ?, …), …` when
/// `numbered` is false. SQLite looks `$N` names up by a linear scan, so a statement with
/// thousands of them costs quadratic time to prepare and bind; anonymous `?` are bound by
/// position at no such cost. PostgreSQL needs the numbers.
pub(crate) fn placeholders(rows: usize, arity: usize, numbered: bool) -> String {
    let mut s = String::with_capacity(rows * arity * if numbered { 7 } else { 3 });
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..arity {
            if c > 0 {
                s.push_str(", ");
            }
            if numbered {
                s.push('$');
                s.push_str(&(r * arity + c + 1).to_string());
            } else {
                s.push('?');
            }
        }
        s.push(')');
    }
    s
}

/// Binds a [`PersonValues`] onto a query, in column order.
macro_rules! bind_person {
    ($q:expr, $v:expr) => {
        $q.bind($v.id)
            .bind($v.case_id)
            .bind($v.position)
            .bind($v.relationship)
            .bind(&$v.family_name)
            .bind(&$v.given_names)
            .bind(&$v.other_names)
            .bind(&$v.name_folded)
            .bind(&$v.name_key)
            .bind($v.birth_date)
            .bind($v.birth_precision)
            .bind($v.sex)
            .bind(&$v.nationalities)
            .bind(&$v.languages)
            .bind(&$v.documents)
    };
}
pub(crate) use bind_person;

/// One search key of one person's names (see `retour_domain::names::name_keys`).
pub(crate) struct KeyValues<'a> {
    pub key: String,
    pub birth_year: i32,
    pub person_id: Uuid,
    pub office: &'a str,
}

/// The search keys of every member of a household: of the family name, the given names and
/// each other spelling.
pub(crate) fn key_rows<'a>(office: &'a str, members: &[Member]) -> Vec<KeyValues<'a>> {
    let mut out = Vec::new();
    for m in members {
        let p = &m.person;
        let names = [p.family_name.as_str(), p.given_names.as_str()]
            .into_iter()
            .chain(p.other_names.iter().map(String::as_str));
        for key in retour_domain::names::person_keys(names) {
            out.push(KeyValues {
                key,
                birth_year: p.birth_date.date().year(),
                person_id: p.id,
                office,
            });
        }
    }
    out
}

/// Inserts key rows with multi-row statements inside the transaction.
macro_rules! insert_keys {
    ($tx:ident, $rows:expr, $numbered:expr) => {
        $crate::rows::insert_keys!($tx, $rows, $numbered, "name_keys")
    };
    ($tx:ident, $rows:expr, $numbered:expr, $table:expr) => {{
        let mut result: Result<(), sqlx::Error> = Ok(());
        for chunk in $rows.chunks($crate::bulk::MAX_PARAMS / 4) {
            let sql = format!(
                "INSERT INTO {} (key, birth_year, person_id, office) VALUES {}",
                $table,
                $crate::rows::placeholders(chunk.len(), 4, $numbered)
            );
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(&r.key)
                    .bind(r.birth_year)
                    .bind(r.person_id)
                    .bind(r.office);
            }
            if let Err(e) = q.execute(&mut *$tx).await {
                result = Err(e);
                break;
            }
        }
        result
    }};
}
pub(crate) use insert_keys;

/// Adds `delta` to the count of cases of `office` in `status`.
macro_rules! bump_count {
    ($exec:expr, $office:expr, $status:expr, $delta:expr) => {
        sqlx::query(
            "INSERT INTO status_counts (office, status, n) VALUES ($1, $2, $3) \
             ON CONFLICT (office, status) DO UPDATE SET n = status_counts.n + $3",
        )
        .bind($office)
        .bind($status)
        .bind($delta as i64)
        .execute($exec)
        .await
    };
}
pub(crate) use bump_count;

/// Script statements (see `script`): the members of a case, inserted in one statement; returns
/// its index.
pub(crate) fn push_persons(script: &mut Script, persons: &[PersonValues]) -> usize {
    let sql = format!(
        "INSERT INTO persons ({PERSON_INSERT_COLUMNS}) VALUES {}",
        placeholders(persons.len(), PERSON_INSERT_ARITY, true)
    );
    let mut args: Vec<Arg> = Vec::with_capacity(persons.len() * PERSON_INSERT_ARITY);
    for v in persons {
        args.extend([
            v.id.into(),
            v.case_id.into(),
            v.position.into(),
            v.relationship.into(),
            (&v.family_name).into(),
            (&v.given_names).into(),
            (&v.other_names).into(),
            (&v.name_folded).into(),
            (&v.name_key).into(),
            v.birth_date.into(),
            v.birth_precision.into(),
            v.sex.into(),
            (&v.nationalities).into(),
            (&v.languages).into(),
            (&v.documents).into(),
        ]);
    }
    script.push(sql, args)
}

/// Script statements: search key rows, in multi-row statements.
pub(crate) fn push_keys(script: &mut Script, rows: &[KeyValues<'_>]) {
    for chunk in rows.chunks(crate::bulk::MAX_PARAMS / 4) {
        let sql = format!(
            "INSERT INTO name_keys (key, birth_year, person_id, office) VALUES {}",
            placeholders(chunk.len(), 4, true)
        );
        let mut args: Vec<Arg> = Vec::with_capacity(chunk.len() * 4);
        for r in chunk {
            args.extend([
                (&r.key).into(),
                r.birth_year.into(),
                r.person_id.into(),
                r.office.into(),
            ]);
        }
        script.push(sql, args);
    }
}

/// Script statement: adds `delta` to the count of cases of `office` in `status`.
pub(crate) fn push_count(script: &mut Script, office: &str, status: &str, delta: i64) {
    script.push(
        "INSERT INTO status_counts (office, status, n) VALUES ($1, $2, $3) \
         ON CONFLICT (office, status) DO UPDATE SET n = status_counts.n + $3",
        vec![office.into(), status.into(), delta.into()],
    );
}
