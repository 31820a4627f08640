//! Demo data: the two households of the source pages, demo accounts, and a deterministic
//! generated population for trying Retour at scale.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use retour_domain::household::{AsylumApplication, AsylumOutcome, HouseholdInput, LocationKind};
use retour_domain::lifecycle::Status;
use retour_domain::person::{Relationship, Sex};
use retour_domain::{BirthDate, CountryCode, DatePrecision, Household, Member, Person};
use retour_store::{NameKeys, NewBulkCase, StoreError, User};
use time::{Date, Duration, Month};
use uuid::Uuid;

use crate::auth::{random_password, NewAccount};
use crate::demo_names::{regions, Name, Region};
use crate::{Actor, App, AppResult, Role};

pub const DEMO_OFFICE: &str = "poelkapelle";
/// The partner organisation of the demo partner caseworker (see [`DEMO_PARTNERS`]).
pub const DEMO_PARTNER: &str = "iom-xk";

/// Demo partner organisations: (code, name, kind, countries served).
pub const DEMO_PARTNERS: [(&str, &str, &str, &str); 2] = [
    ("iom-xk", "IOM Kosovo", "iom", "XK"),
    ("caritas-gn", "Caritas Guinée", "caritas", "GN"),
];

/// The demo accounts: (e-mail, role, display name). Counsellors work in [`DEMO_OFFICE`] unless
/// their address says `brussel`; partner caseworkers for IOM Kosovo unless it says `caritas`.
pub const DEMO_ACCOUNTS: [(&str, Role, &str); 10] = [
    (
        "counsellor@demo.retour.example",
        Role::Counsellor,
        "Sara Claes",
    ),
    (
        "medical@demo.retour.example",
        Role::MedicalAdvisor,
        "Dr. Pieter Maes",
    ),
    (
        "manager@demo.retour.example",
        Role::ProgrammeManager,
        "Nadia Benali",
    ),
    (
        "partner@demo.retour.example",
        Role::PartnerCaseworker,
        "Besa Krasniqi",
    ),
    ("auditor@demo.retour.example", Role::Auditor, "Marc Dubois"),
    ("admin@demo.retour.example", Role::Admin, "Admin"),
    (
        "manager2@demo.retour.example",
        Role::ProgrammeManager,
        "Jan Peeters",
    ),
    (
        "counsellor-brussel@demo.retour.example",
        Role::Counsellor,
        "Léa Martin",
    ),
    (
        "partner-caritas@demo.retour.example",
        Role::PartnerCaseworker,
        "Moussa Camara",
    ),
    // Last: the demo story finds its cast by position.
    (
        "dpo@demo.retour.example",
        Role::DataProtectionOfficer,
        "Els Wouters",
    ),
];

/// The demo's offices, and those its generated households are in: (code, name).
pub const DEMO_OFFICES: &[(&str, &str)] = &[
    ("poelkapelle", "Opvangcentrum Poelkapelle"),
    ("brussel", "Terugkeerloket Brussel"),
    ("antwerp", "Opvangcentrum Linkeroever (Antwerpen)"),
    ("liege", "Bureau retour Liège"),
    ("ghent", "Opvangcentrum Sint-Pieters-Kaai (Gent)"),
    ("charleroi", "Bureau retour Charleroi"),
];

/// The second office of the demo.
pub const DEMO_OFFICE_2: &str = "brussel";

pub struct DemoLogin {
    pub email: &'static str,
    pub role: Role,
    pub password: String,
}

fn json_household(v: serde_json::Value) -> HouseholdInput {
    serde_json::from_value(v).expect("demo households are well-formed")
}

/// The Miftari family (2 parents, 3 children) returning to Kosovo from the Poelkapelle centre.
pub fn miftari() -> HouseholdInput {
    json_household(serde_json::json!({
        "destination_country": "XK", "destination_place": "Ferizaj",
        "location_kind": "reception_centre", "location_name": "Poelkapelle", "office": DEMO_OFFICE,
        "application_date": "2026-10-05", "planned_departure_date": "2027-01-20",
        "asylum_history": [
            {"lodged_on": "2021-09-14", "decided_on": "2022-11-30", "outcome": "rejected"},
            {"lodged_on": "2023-02-06", "decided_on": "2024-05-17", "outcome": "rejected"}
        ],
        "members": [
            {"relationship": "principal", "family_name": "Miftari", "given_names": "Agron", "other_names": ["Mifteri", "Miftary"],
             "birth_date": "1985-03-12", "sex": "male", "nationalities": ["XK"], "languages": ["sq", "sr"],
             "documents": [{"kind": "passport", "number": "P01234567", "issuing_country": "XK", "expires_on": "2028-06-30"}]},
            {"relationship": "partner", "family_name": "Miftari", "given_names": "Shqipe", "birth_date": "1988-07-02",
             "sex": "female", "nationalities": ["XK"], "languages": ["sq"]},
            {"relationship": "child", "family_name": "Miftari", "given_names": "Dea", "birth_date": "2013-09-21",
             "sex": "female", "nationalities": ["XK"], "languages": ["sq", "nl"]},
            {"relationship": "child", "family_name": "Miftari", "given_names": "Liridon", "birth_date": "2017-05-08",
             "sex": "male", "nationalities": ["XK"], "languages": ["sq", "nl"]},
            {"relationship": "child", "family_name": "Miftari", "given_names": "Arta", "birth_date": "2021-02-15",
             "sex": "female", "nationalities": ["XK"], "languages": ["sq"]}
        ]
    }))
}

/// Mr Bah, a single man with a serious illness returning to Guinea.
pub fn bah() -> HouseholdInput {
    json_household(serde_json::json!({
        "destination_country": "GN", "destination_place": "Conakry",
        "location_kind": "private_address", "location_name": "Brussel", "office": DEMO_OFFICE,
        "application_date": "2026-09-14", "planned_departure_date": "2026-12-15",
        "asylum_history": [{"lodged_on": "2019-04-02", "decided_on": "2021-01-18", "outcome": "rejected"}],
        "members": [
            {"relationship": "principal", "family_name": "Bah", "given_names": "Mamadou Aliou", "other_names": ["Ba", "Baah"],
             "birth_date": "1979", "sex": "male", "nationalities": ["GN"], "languages": ["ff", "fr"]}
        ]
    }))
}

impl App {
    /// Creates the demo accounts (or gives them fresh passwords) and, once, the two source households.
    pub async fn load_demo(&self) -> AppResult<Vec<DemoLogin>> {
        self.ensure_reference_policy().await?;
        self.ensure_offices(DEMO_OFFICES).await?;
        let mut logins = Vec::new();
        for (id, name, kind, country) in DEMO_PARTNERS {
            if self.store.partner_org(id).await?.is_none() {
                self.store
                    .insert_partner_org(
                        &retour_store::PartnerOrgRow {
                            id: id.into(),
                            name: name.into(),
                            kind: kind.into(),
                            countries: serde_json::json!([country]).to_string(),
                            created_at: time::OffsetDateTime::now_utc(),
                        },
                        &retour_store::Audit::new(None, "partner.create").detail(id),
                    )
                    .await?;
            }
        }
        for (email, role, name) in DEMO_ACCOUNTS {
            let password = random_password();
            match self.store.user_by_email(email).await {
                Ok(_) => {
                    self.reset_password(email, &password).await?;
                }
                Err(StoreError::NotFound) => {
                    self.create_account(
                        None,
                        NewAccount {
                            email: email.into(),
                            display_name: name.into(),
                            role: role.as_str().into(),
                            office: matches!(role, Role::Counsellor).then(|| {
                                if email.contains("brussel") {
                                    DEMO_OFFICE_2
                                } else {
                                    DEMO_OFFICE
                                }
                                .to_string()
                            }),
                            partner_org: matches!(role, Role::PartnerCaseworker).then(|| {
                                if email.contains("caritas") {
                                    DEMO_PARTNERS[1].0
                                } else {
                                    DEMO_PARTNER
                                }
                                .to_string()
                            }),
                            locale: "nl".into(),
                            password: password.clone(),
                        },
                    )
                    .await?;
                }
                Err(e) => return Err(e.into()),
            }
            logins.push(DemoLogin {
                email,
                role,
                password,
            });
        }
        let miftari_ref = miftari();
        let principal = &miftari_ref.members[0].person;
        if !self
            .store
            .person_exists(&principal.family_name, &principal.given_names)
            .await?
        {
            let actor = |i: usize| async move {
                let u: User = self.store.user_by_email(DEMO_ACCOUNTS[i].0).await?;
                Actor::from_user(&u)
            };
            let cast = crate::demo_story::Cast {
                counsellor: actor(0).await?,
                medical: actor(1).await?,
                manager: actor(2).await?,
                iom: actor(3).await?,
                manager2: actor(6).await?,
                caritas: actor(8).await?,
            };
            self.load_demo_story(&cast).await?;
        }
        Ok(logins)
    }

    pub async fn demo_counsellor(&self) -> AppResult<Actor> {
        let u: User = self.store.user_by_email(DEMO_ACCOUNTS[0].0).await?;
        Actor::from_user(&u)
    }

    /// Loads `households` generated households (deterministic for a `seed`) in batches,
    /// reporting progress after each batch. Needs the demo accounts (see [`App::load_demo`]).
    pub async fn load_generated(
        &self,
        households: u64,
        seed: u64,
        mut progress: impl FnMut(u64),
    ) -> AppResult<()> {
        let counsellor = self.demo_counsellor().await?;
        self.ensure_offices(DEMO_OFFICES).await?;
        let mut generator = Generator::new(seed);
        let year = self.today().year();
        let mut done = 0;
        while done < households {
            let n = (households - done).min(BATCH);
            let batch: Vec<NewBulkCase> = (0..n)
                .map(|_| generator.case(Some(counsellor.id)))
                .collect();
            self.store
                .insert_cases_bulk(&batch, year, counsellor.id, NameKeys::Later)
                .await?;
            done += n;
            progress(done);
        }
        self.store.rebuild_name_keys_if_stale().await?;
        Ok(())
    }
}

/// Households per transaction: large enough that commits do not dominate, small enough to stream.
pub const BATCH: u64 = 2_000;

const OFFICES: &[(&str, LocationKind, &str)] = &[
    ("poelkapelle", LocationKind::ReceptionCentre, "Poelkapelle"),
    ("brussel", LocationKind::PrivateAddress, "Brussel"),
    ("antwerp", LocationKind::ReceptionCentre, "Linkeroever"),
    ("liege", LocationKind::ReceptionCentre, "Sugny"),
    ("ghent", LocationKind::ReceptionCentre, "Sint-Pieters-Kaai"),
    ("charleroi", LocationKind::PrivateAddress, "Charleroi"),
];

const STATUSES: &[(Status, u32)] = &[
    (Status::Intake, 12),
    (Status::Assessed, 10),
    (Status::PlanApproved, 6),
    (Status::DepartureBooked, 5),
    (Status::Departed, 3),
    (Status::Arrived, 4),
    (Status::InReintegration, 20),
    (Status::Monitoring, 15),
    (Status::Closed, 18),
    (Status::Withdrawn, 5),
    (Status::NoShow, 2),
];

/// A deterministic stream of plausible households.
pub struct Generator {
    rng: StdRng,
    base: Date,
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: StdRng::seed_from_u64(seed),
            // Applications over the two years before the demo's December 2026.
            base: Date::from_calendar_date(2025, Month::January, 1).expect("valid"),
        }
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.rng.gen_range(0..xs.len())]
    }

    /// A person of region `r` with the household's family name: the given name drawn from the
    /// region's long tail; some with another Latin spelling or their name in their own script
    /// recorded too, a few registered in that script.
    #[allow(clippy::too_many_arguments)]
    fn person(
        &mut self,
        r: &Region,
        family: &Name,
        sex: Sex,
        age: i64,
        nationality: CountryCode,
        on: Date,
    ) -> Person {
        let given = if sex == Sex::Female {
            r.female.pick(&mut self.rng).clone()
        } else {
            r.male.pick(&mut self.rng).clone()
        };
        let family = if sex == Sex::Female {
            r.female_form(family)
        } else {
            family.clone()
        };
        let birth = on - Duration::days(age * 365 + self.rng.gen_range(0..365));
        // One adult in five knows only the year of birth.
        let precision = if age >= 18 && self.rng.gen_ratio(1, 5) {
            DatePrecision::Year
        } else {
            DatePrecision::Day
        };
        let (mut family_name, mut given_names) = (family.latin.clone(), given.latin.clone());
        let mut other_names = Vec::new();
        if let Some(native) = family
            .native
            .as_ref()
            .filter(|_| self.rng.gen_bool(r.native_share))
        {
            if self.rng.gen_ratio(1, 5) {
                // Registered from a document in the own script; the Latin spelling kept beside.
                family_name = native.clone();
                if let Some(g) = &given.native {
                    given_names = g.clone();
                }
                other_names.push(family.latin.clone());
            } else {
                other_names.push(native.clone());
            }
        }
        let variants = r.variants_of(&family.latin);
        if !variants.is_empty() && self.rng.gen_ratio(1, 4) {
            let v = variants[self.rng.gen_range(0..variants.len())].clone();
            if self.rng.gen_bool(0.5) {
                // Written differently in this file than in the household's other files.
                family_name = v;
            } else {
                other_names.push(v);
            }
        }
        Person {
            id: Uuid::now_v7(),
            family_name,
            given_names,
            other_names,
            birth_date: BirthDate::new(birth, precision),
            sex,
            nationalities: vec![nationality],
            languages: vec![r.languages[self.rng.gen_range(0..r.languages.len())].clone()],
            documents: Vec::new(),
        }
    }

    pub fn household(&mut self) -> Household {
        let regions = regions();
        let r = &regions[self.rng.gen_range(0..regions.len())];
        let country = CountryCode::parse(&r.countries[self.rng.gen_range(0..r.countries.len())])
            .expect("checked by the name data test");
        let family = r.families.pick(&mut self.rng).clone();
        let application = self.base + Duration::days(self.rng.gen_range(0..700));
        let departure = application + Duration::days(self.rng.gen_range(30..150));
        let (office, kind, location) = self.pick(OFFICES);
        let mut members = Vec::with_capacity(4);
        let principal_sex = if self.rng.gen_ratio(7, 10) {
            Sex::Male
        } else {
            Sex::Female
        };
        let principal_age = self.rng.gen_range(18..65);
        // About one in ten principals is an (ex-)unaccompanied minor or young adult.
        let principal_age = if self.rng.gen_ratio(1, 10) {
            self.rng.gen_range(15..19)
        } else {
            principal_age
        };
        members.push(Member {
            relationship: Relationship::Principal,
            person: self.person(
                r,
                &family,
                principal_sex,
                principal_age,
                country,
                application,
            ),
        });
        let shape = self.rng.gen_range(0..100);
        if shape >= 50 && principal_age >= 20 {
            let partner_sex = if principal_sex == Sex::Male {
                Sex::Female
            } else {
                Sex::Male
            };
            let partner_age = (principal_age + self.rng.gen_range(-6..6)).max(18);
            members.push(Member {
                relationship: Relationship::Partner,
                person: self.person(r, &family, partner_sex, partner_age, country, application),
            });
        }
        if shape >= 35 && principal_age >= 22 {
            let children = self.rng.gen_range(1..5);
            for _ in 0..children {
                let age = self.rng.gen_range(0..(principal_age - 18).min(18));
                let sex = if self.rng.gen_bool(0.5) {
                    Sex::Male
                } else {
                    Sex::Female
                };
                let child = self.person(r, &family, sex, age, country, application);
                if members
                    .iter()
                    .any(|m| m.person.given_names == child.given_names)
                {
                    continue;
                }
                members.push(Member {
                    relationship: Relationship::Child,
                    person: child,
                });
            }
        }
        let lodged = application - Duration::days(self.rng.gen_range(200..1500));
        Household {
            destination_country: country,
            destination_place: String::new(),
            location_kind: kind,
            location_name: location.to_string(),
            office: office.to_string(),
            application_date: Some(application),
            planned_departure_date: Some(departure),
            asylum_history: vec![AsylumApplication {
                lodged_on: lodged,
                decided_on: Some(lodged + Duration::days(300)),
                outcome: AsylumOutcome::Rejected,
            }],
            members,
        }
    }

    pub fn case(&mut self, counsellor: Option<Uuid>) -> NewBulkCase {
        let household = self.household();
        let total: u32 = STATUSES.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.gen_range(0..total);
        let mut status = Status::Intake;
        for (s, w) in STATUSES {
            if roll < *w {
                status = *s;
                break;
            }
            roll -= w;
        }
        let counsellor_id = if household.office == DEMO_OFFICE {
            counsellor
        } else {
            None
        };
        NewBulkCase {
            household,
            status,
            counsellor_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_per_seed_and_households_are_valid() {
        let a: Vec<Household> = {
            let mut g = Generator::new(7);
            (0..300).map(|_| g.household()).collect()
        };
        let b: Vec<Household> = {
            let mut g = Generator::new(7);
            (0..300).map(|_| g.household()).collect()
        };
        let strip = |v: &[Household]| {
            v.iter()
                .map(|h| {
                    let mut h = h.clone();
                    h.members.iter_mut().for_each(|m| m.person.id = Uuid::nil());
                    h
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&a), strip(&b));
        let today = Date::from_calendar_date(2030, Month::January, 1).unwrap();
        let mut families = 0;
        for h in &a {
            // Every generated household passes the same validation as a typed one.
            HouseholdInput::from_household(h)
                .parse(today, Uuid::now_v7)
                .unwrap();
            if h.is_family_with_children_on(h.planned_departure_date.unwrap()) {
                families += 1;
            }
            // Nobody is born after their household applied.
            let applied = h.application_date.unwrap();
            assert!(h
                .members
                .iter()
                .all(|m| m.person.birth_date.date() <= applied));
        }
        assert!(
            families > 30 && families < 270,
            "a mix of singles and families: {families}"
        );
        let countries: std::collections::HashSet<_> =
            a.iter().map(|h| h.destination_country).collect();
        assert!(countries.len() >= 10);
    }

    #[test]
    fn the_source_households_are_valid() {
        let today = Date::from_calendar_date(2026, Month::November, 22).unwrap();
        let m = miftari().parse(today, Uuid::now_v7).unwrap();
        assert_eq!(m.members.len(), 5);
        assert_eq!(m.children_on(m.planned_departure_date.unwrap()).count(), 3);
        let b = bah().parse(today, Uuid::now_v7).unwrap();
        assert_eq!(b.members.len(), 1);
        assert_eq!(
            b.principal().person.birth_date.precision(),
            DatePrecision::Year
        );
    }
}
