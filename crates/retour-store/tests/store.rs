//! The store's suite. Runs on SQLite, or on PostgreSQL when `RETOUR_TEST_DATABASE_URL` is set
//! (each test then gets a fresh database of its own, dropped at the end).

use retour_domain::household::{AsylumInput, HouseholdInput, MemberInput};
use retour_domain::lifecycle::{DepartureBooking, Status, TransitionRequest, TravelDocumentStatus};
use retour_domain::person::{DocumentInput, PersonInput};
use retour_store::{
    Audit, Backend, KeyGroup, KeySearch, NewBulkCase, NewCase, NewUser, Scope, Store, StoreError,
};
use time::macros::date;
use uuid::Uuid;

fn audit() -> Audit {
    Audit::new(None, "test")
}
use retour_store::testing::{self as support, TestDb};

fn member(rel: &str, family: &str, given: &str, birth: &str) -> MemberInput {
    MemberInput {
        id: None,
        relationship: rel.into(),
        person: PersonInput {
            family_name: family.into(),
            given_names: given.into(),
            birth_date: birth.into(),
            nationalities: vec!["XK".into()],
            languages: vec!["sq".into()],
            ..Default::default()
        },
    }
}

fn miftari() -> retour_domain::Household {
    let mut principal = member("principal", "Miftari", "Arben", "1984-05-11");
    principal.person.other_names = vec!["Mifteri".into(), "Мифтари".into()];
    principal.person.sex = "male".into();
    principal.person.documents = vec![DocumentInput {
        kind: "passport".into(),
        number: "P0012345".into(),
        issuing_country: "XK".into(),
        expires_on: Some("2029-06-30".into()),
    }];
    let mut partner = member("partner", "Miftari", "Drita", "1987");
    partner.person.nationalities = vec!["XK".into(), "AL".into()];
    HouseholdInput {
        destination_country: "XK".into(),
        destination_place: "Prizren".into(),
        location_kind: "reception_centre".into(),
        location_name: "Poelkapelle".into(),
        office: "poelkapelle".into(),
        application_date: Some("2026-03-02".into()),
        planned_departure_date: Some("2026-12-20".into()),
        asylum_history: vec![AsylumInput {
            lodged_on: "2022-05-03".into(),
            decided_on: Some("2023-09-14".into()),
            outcome: "rejected".into(),
        }],
        members: vec![
            principal,
            partner,
            member("child", "Miftari", "Elira", "2012-01"),
            member("child", "Miftari", "Blerim", "2017-03-15"),
            member("child", "Miftari", "Ardit", "2020-04-20"),
        ],
    }
    .parse(date!(2026 - 11 - 22), Uuid::now_v7)
    .unwrap()
}

async fn user(store: &Store, email: &str) -> Uuid {
    store
        .create_user(NewUser {
            email: email.into(),
            display_name: "Test".into(),
            role: "counsellor".into(),
            office: Some("poelkapelle".into()),
            partner_org: None,
            locale: "nl".into(),
            password_hash: "x".into(),
        })
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_case_round_trips_with_every_part() {
    let db = TestDb::new().await;
    let s = &db.store;
    let actor = user(s, "c@example.org").await;
    let h = miftari();
    let case = s
        .create_case(
            NewCase {
                household: h.clone(),
                counsellor_id: Some(actor),
                created_by: actor,
                reason: "registered".into(),
            },
            2026,
            &audit(),
        )
        .await
        .unwrap();
    assert_eq!(case.reference.to_string(), "R-2026-000001");
    assert_eq!(case.status, Status::Intake);
    assert_eq!(case.version, 1);
    assert_eq!(
        case.household, h,
        "household, members, documents and asylum history come back as stored"
    );
    assert_eq!(case.counsellor_id, Some(actor));

    let again = s.case(case.id).await.unwrap();
    assert_eq!(again, case);
    assert_eq!(
        s.case_id_by_reference(&case.reference).await.unwrap(),
        case.id
    );

    let second = s
        .create_case(
            NewCase {
                household: miftari(),
                counsellor_id: None,
                created_by: actor,
                reason: "registered".into(),
            },
            2026,
            &audit(),
        )
        .await
        .unwrap();
    assert_eq!(second.reference.to_string(), "R-2026-000002");

    let note = s
        .add_note(
            uuid::Uuid::now_v7(),
            case.id,
            actor,
            "general",
            "Family wants to leave before school starts.",
            &audit(),
        )
        .await
        .unwrap();
    assert_eq!(s.history_and_notes(case.id).await.unwrap().1, vec![note]);

    let history = s.history_and_notes(case.id).await.unwrap().0;
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].from, history[0].to, history[0].actor_id),
        (None, Status::Intake, actor)
    );
    assert_eq!(history[0].reason, "registered");
    db.finish().await;
}

#[tokio::test]
async fn lifecycle_moves_are_recorded_and_illegal_ones_change_nothing() {
    let db = TestDb::new().await;
    let s = &db.store;
    let actor = user(s, "c@example.org").await;
    let case = s
        .create_case(
            NewCase {
                household: miftari(),
                counsellor_id: None,
                created_by: actor,
                reason: "new".into(),
            },
            2026,
            &audit(),
        )
        .await
        .unwrap();

    let illegal = TransitionRequest {
        outcome: None,
        to: Status::Departed,
        reason: "too early".into(),
        booking: None,
        on: Some(time::OffsetDateTime::now_utc().date()),
    };
    let err = s
        .transition(case.id, case.version, actor, &illegal, &audit(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(e) if e.codes() == ["illegal-transition"]),
        "{err}"
    );
    assert_eq!(
        s.case(case.id).await.unwrap(),
        case,
        "a refused move changes nothing"
    );
    assert_eq!(s.history_and_notes(case.id).await.unwrap().0.len(), 1);

    let mut c = case;
    for to in [Status::Assessed, Status::PlanApproved] {
        c = s
            .transition(
                c.id,
                c.version,
                actor,
                &TransitionRequest {
                    outcome: None,
                    to,
                    reason: format!("to {to}"),
                    booking: None,
                    on: None,
                },
                &audit(),
                None,
            )
            .await
            .unwrap();
        assert_eq!(c.status, to);
    }
    let booking = DepartureBooking {
        date: date!(2030 - 04 - 20),
        transport: retour_domain::lifecycle::Transport::Plane,
        travel_document: TravelDocumentStatus::Issued,
    };
    c = s
        .transition(
            c.id,
            c.version,
            actor,
            &TransitionRequest {
                outcome: None,
                to: Status::DepartureBooked,
                reason: "flight PRN".into(),
                booking: Some(booking),
                on: None,
            },
            &audit(),
            None,
        )
        .await
        .unwrap();
    assert_eq!(c.departure, Some(booking));
    assert_eq!(c.version, 4);
    c = s
        .transition(
            c.id,
            c.version,
            actor,
            &TransitionRequest {
                outcome: None,
                to: Status::Withdrawn,
                reason: "changed her mind".into(),
                booking: None,
                on: None,
            },
            &audit(),
            None,
        )
        .await
        .unwrap();
    assert_eq!(c.status, Status::Withdrawn);

    let history = s.history_and_notes(c.id).await.unwrap().0;
    let moves: Vec<_> = history.iter().map(|t| (t.from, t.to)).collect();
    assert_eq!(
        moves,
        vec![
            (None, Status::Intake),
            (Some(Status::Intake), Status::Assessed),
            (Some(Status::Assessed), Status::PlanApproved),
            (Some(Status::PlanApproved), Status::DepartureBooked),
            (Some(Status::DepartureBooked), Status::Withdrawn),
        ]
    );
    assert_eq!(history[3].departure_date, Some(date!(2030 - 04 - 20)));
    assert_eq!(history[4].reason, "changed her mind");
    db.finish().await;
}

#[tokio::test]
async fn a_stale_write_is_refused_and_never_overwrites() {
    let db = TestDb::new().await;
    let s = &db.store;
    let actor = user(s, "c@example.org").await;
    let case = s
        .create_case(
            NewCase {
                household: miftari(),
                counsellor_id: None,
                created_by: actor,
                reason: "new".into(),
            },
            2026,
            &audit(),
        )
        .await
        .unwrap();

    // Two counsellors opened version 1; the first saves a new place, the second a new office.
    let mut first = case.household.clone();
    first.destination_place = "Gjakova".into();
    let saved = s
        .update_household(
            case.id,
            1,
            &first,
            None,
            (&case.household.office, case.status),
            &Audit::new(None, "test"),
        )
        .await
        .unwrap();
    assert_eq!(saved.version, 2);

    let mut second = case.household.clone();
    second.office = "brussels".into();
    let err = s
        .update_household(
            case.id,
            1,
            &second,
            None,
            (&case.household.office, case.status),
            &Audit::new(None, "test"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { current: 2 }), "{err}");
    let err = s
        .transition(
            case.id,
            1,
            actor,
            &TransitionRequest {
                outcome: None,
                to: Status::Assessed,
                reason: "x".into(),
                booking: None,
                on: None,
            },
            &audit(),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { current: 2 }), "{err}");

    let now = s.case(case.id).await.unwrap();
    assert_eq!(now.household.destination_place, "Gjakova");
    assert_eq!(now.household.office, "poelkapelle");
    assert_eq!(now.status, Status::Intake);

    // Editing members keeps their ids and order.
    let mut fewer = now.household.clone();
    fewer.members.remove(4);
    let edited = s
        .update_household(
            case.id,
            2,
            &fewer,
            None,
            (&case.household.office, case.status),
            &Audit::new(None, "test"),
        )
        .await
        .unwrap();
    assert_eq!(edited.household.members, fewer.members);
    assert!(matches!(
        s.update_household(
            Uuid::now_v7(),
            1,
            &fewer,
            None,
            (&case.household.office, case.status),
            &Audit::new(None, "test"),
        )
        .await,
        Err(StoreError::NotFound)
    ));
    db.finish().await;
}

#[tokio::test]
async fn users_round_trip_and_emails_are_unique() {
    let db = TestDb::new().await;
    let s = &db.store;
    let id = user(s, "Anna@Example.org").await;
    let u = s.user_by_email("anna@example.org ").await.unwrap();
    assert_eq!(u.id, id);
    assert_eq!(s.user(id).await.unwrap(), u);
    assert_eq!(u.email, "anna@example.org");
    let err = s
        .create_user(NewUser {
            email: "ANNA@example.org".into(),
            display_name: "Other".into(),
            role: "auditor".into(),
            office: None,
            partner_org: None,
            locale: "fr".into(),
            password_hash: "y".into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Duplicate("user")), "{err}");
    s.set_password_hash(id, "new").await.unwrap();
    assert_eq!(s.user(id).await.unwrap().password_hash, "new");
    db.finish().await;
}

#[tokio::test]
async fn bulk_load_continues_the_reference_sequence() {
    let db = TestDb::new().await;
    let s = &db.store;
    let actor = user(s, "c@example.org").await;
    s.create_case(
        NewCase {
            household: miftari(),
            counsellor_id: None,
            created_by: actor,
            reason: "new".into(),
        },
        2026,
        &audit(),
    )
    .await
    .unwrap();
    // More rows than fit in one statement, to cross the batching boundaries.
    let bulk: Vec<NewBulkCase> = (0..2500)
        .map(|_| NewBulkCase {
            household: miftari(),
            status: Status::Assessed,
            counsellor_id: Some(actor),
        })
        .collect();
    s.insert_cases_bulk(&bulk, 2026, actor, retour_store::NameKeys::Now)
        .await
        .unwrap();
    assert_eq!(s.count_cases().await.unwrap(), 2501);
    let last = retour_domain::CaseReference::parse("R-2026-002501").unwrap();
    let id = s.case_id_by_reference(&last).await.unwrap();
    let c = s.case(id).await.unwrap();
    assert_eq!(c.status, Status::Assessed);
    assert_eq!(c.household, bulk[2499].household);
    assert_eq!(s.history_and_notes(id).await.unwrap().0.len(), 1);
    let next = s
        .create_case(
            NewCase {
                household: miftari(),
                counsellor_id: None,
                created_by: actor,
                reason: "new".into(),
            },
            2026,
            &audit(),
        )
        .await
        .unwrap();
    assert_eq!(next.reference.to_string(), "R-2026-002502");
    db.finish().await;
}

/// A bulk load leaves its keys for later; building them ends the load, and on PostgreSQL it
/// gathers the planner's statistics too (without them it plans for empty tables: a name search
/// at 100,000 households took 96 ms instead of 3).
#[tokio::test]
async fn a_bulk_load_ends_with_keys_built_and_statistics_gathered() {
    let db = TestDb::new().await;
    let s = &db.store;
    let actor = user(s, "c@example.org").await;
    let bulk: Vec<NewBulkCase> = (0..50)
        .map(|_| NewBulkCase {
            household: miftari(),
            status: Status::Assessed,
            counsellor_id: Some(actor),
        })
        .collect();
    s.insert_cases_bulk(&bulk, 2026, actor, retour_store::NameKeys::Later)
        .await
        .unwrap();
    assert!(s.rebuild_name_keys_if_stale().await.unwrap() >= 50);
    assert_eq!(
        s.rebuild_name_keys_if_stale().await.unwrap(),
        0,
        "built once"
    );
    if s.backend() == Backend::Postgres {
        let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
        // -1 until the table was first analysed.
        let tuples: f32 =
            sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE relname = 'persons'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert!(tuples >= 50.0, "persons analysed: {tuples}");
        pool.close().await;
    }
    db.finish().await;
}

#[tokio::test]
async fn migrations_have_the_same_files_and_columns_on_both_backends() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |b: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir.join(b))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
    assert!(!names("sqlite").is_empty());

    // Live schemas: SQLite always; PostgreSQL too when a test database is configured.
    let sqlite = support::sqlite_store().await;
    let sqlite_schema = sqlite.0.schema().await.unwrap();
    assert!(sqlite_schema
        .iter()
        .any(|(t, cols)| t == "cases" && cols.contains(&"version".to_string())));
    let db = TestDb::new().await;
    if db.store.backend() == Backend::Postgres {
        assert_eq!(db.store.schema().await.unwrap(), sqlite_schema);
    } else {
        // Without PostgreSQL, compare the declared columns of each migration pair as text.
        for f in names("sqlite") {
            let cols = |b: &str| {
                std::fs::read_to_string(dir.join(b).join(&f))
                    .unwrap()
                    .lines()
                    .filter(|l| l.starts_with("CREATE TABLE") || l.starts_with("    "))
                    .map(|l| {
                        l.split_whitespace()
                            .next_back()
                            .filter(|_| l.starts_with("CREATE"))
                            .map(str::to_string)
                            .unwrap_or_else(|| l.split_whitespace().next().unwrap().to_string())
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(cols("sqlite"), cols("postgres"), "{f}");
        }
    }
    db.finish().await;
}

#[tokio::test]
async fn search_finds_other_spellings_within_scope_and_counts_follow_every_write() {
    let db = TestDb::new().await;
    let s = &db.store;
    let actor = user(s, "c@example.org").await;
    let case = s
        .create_case(
            NewCase {
                household: miftari(),
                counsellor_id: Some(actor),
                created_by: actor,
                reason: "new".into(),
            },
            2026,
            &audit(),
        )
        .await
        .unwrap();
    let mut elsewhere = miftari();
    elsewhere.office = "brussels".into();
    elsewhere.members.truncate(1);
    elsewhere.members[0].person.given_names = "Besnik".into();
    s.create_case(
        NewCase {
            household: elsewhere,
            counsellor_id: None,
            created_by: actor,
            reason: "new".into(),
        },
        2026,
        &audit(),
    )
    .await
    .unwrap();

    let search = |word: &str, scope: Scope| KeySearch {
        groups: vec![KeyGroup {
            exact: vec![format!("s:{}", retour_domain::names::sound_key(word))],
            prefix: Some(format!("w:{}", retour_domain::names::fold(word))),
        }],
        birth_years: None,
        nationality: None,
        closest_year: None,
        scope,
        anchors: Vec::new(),
        walk_exact: false,
        after: None,
        limit: retour_store::MAX_CANDIDATES,
    };
    // A spelling never typed in (Miftary) is found by sound; a recorded one (Mifteri) by prefix too.
    for word in ["Miftari", "miftary", "MIFTERI", "Мифтари", "mift"] {
        let hits = s
            .persons_by_keys(&search(word, Scope::All))
            .await
            .unwrap()
            .persons;
        assert_eq!(hits.len(), 6, "{word}: all five Miftaris and Besnik");
    }
    let office = s
        .persons_by_keys(&search("Mifteri", Scope::Office("poelkapelle".into())))
        .await
        .unwrap()
        .persons;
    assert_eq!(office.len(), 5);
    assert!(office.iter().all(|h| h.case_id == case.id));
    assert!(s
        .persons_by_keys(&search("Miftari", Scope::Nothing))
        .await
        .unwrap()
        .persons
        .is_empty());
    assert!(s
        .persons_by_keys(&search("Miftari", Scope::Partner("IOM Kosovo".into())))
        .await
        .unwrap()
        .persons
        .is_empty());
    assert!(s
        .persons_by_keys(&search("Krasniqi", Scope::All))
        .await
        .unwrap()
        .persons
        .is_empty());

    // Pages of two follow one another by key: together they are the whole answer, once each,
    // ranked or in two tiers (the sound-alikes in person order, then the rest ranked), in the
    // whole programme and in an office.
    for (word, anchors, walk_exact, scope) in [
        ("Mift", vec![], false, Scope::All),
        ("Mift", vec!["w:mift".to_string()], true, Scope::All),
        (
            "Miftari",
            vec!["w:miftari".to_string()],
            true,
            Scope::Office("poelkapelle".into()),
        ),
        ("Miftari", vec!["w:miftari".to_string()], true, Scope::All),
        ("Miftari", vec!["w:miftari".to_string()], false, Scope::All),
        (
            "Miftary",
            vec!["w:miftary".to_string()],
            true,
            Scope::Office("poelkapelle".into()),
        ),
    ] {
        let mut paged = search(word, scope.clone());
        paged.limit = 2;
        paged.anchors = anchors.clone();
        paged.walk_exact = walk_exact;
        let mut seen = Vec::new();
        let mut keys = Vec::new();
        loop {
            let page = s.persons_by_keys(&paged).await.unwrap();
            assert!(page.persons.len() <= 2);
            assert_eq!(page.truncated, page.next.is_some());
            seen.extend(page.persons.iter().map(|h| h.person_id));
            match page.next {
                Some(k) => {
                    keys.push((k.tier, -k.rank));
                    paged.after = Some(k);
                }
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        let expected = if scope == Scope::All { 6 } else { 5 };
        assert_eq!(
            (seen.len(), unique.len()),
            (expected, expected),
            "every Miftari once, {word} {anchors:?} {walk_exact} {scope:?}"
        );
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
    }

    let mut by_year = search("Miftari", Scope::All);
    by_year.birth_years = Some(vec![1984]);
    let hits = s.persons_by_keys(&by_year).await.unwrap().persons;
    let mut names: Vec<&str> = hits.iter().map(|h| h.given_names.as_str()).collect();
    names.sort();
    assert_eq!(names, vec!["Arben", "Besnik"]);
    let mut by_nat = search("Miftari", Scope::All);
    by_nat.nationality = Some("AL".into());
    let hits = s.persons_by_keys(&by_nat).await.unwrap().persons;
    assert_eq!(
        hits.iter()
            .map(|h| h.given_names.as_str())
            .collect::<Vec<_>>(),
        vec!["Drita"]
    );

    assert_eq!(
        s.case_summary_by_reference("R-2026-000001", &Scope::Office("poelkapelle".into()))
            .await
            .unwrap()
            .unwrap()
            .given_names,
        "Arben"
    );
    assert!(s
        .case_summary_by_reference("R-2026-000002", &Scope::Office("poelkapelle".into()))
        .await
        .unwrap()
        .is_none());

    let mine = s
        .assigned_cases(&retour_store::Assignee::Counsellor(actor), None, 10)
        .await
        .unwrap();
    assert_eq!(mine.iter().map(|c| c.id).collect::<Vec<_>>(), vec![case.id]);
    assert!(s
        .assigned_cases(
            &retour_store::Assignee::Counsellor(actor),
            Some(case.id),
            10
        )
        .await
        .unwrap()
        .is_empty());

    let counts = |v: Vec<(String, i64)>| {
        let mut v = v;
        v.sort();
        v
    };
    assert_eq!(
        counts(s.status_counts(&Scope::All).await.unwrap()),
        vec![("intake".to_string(), 2)]
    );
    let c = s
        .transition(
            case.id,
            1,
            actor,
            &TransitionRequest {
                outcome: None,
                to: Status::Assessed,
                reason: "ok".into(),
                booking: None,
                on: None,
            },
            &audit(),
            None,
        )
        .await
        .unwrap();
    let mut moved = c.household.clone();
    moved.office = "ghent".into();
    s.update_household(
        c.id,
        c.version,
        &moved,
        None,
        (&c.household.office, c.status),
        &audit(),
    )
    .await
    .unwrap();
    assert_eq!(
        counts(s.status_counts(&Scope::All).await.unwrap()),
        vec![("assessed".to_string(), 1), ("intake".to_string(), 1)]
    );
    assert_eq!(
        counts(
            s.status_counts(&Scope::Office("ghent".into()))
                .await
                .unwrap()
        ),
        vec![("assessed".to_string(), 1)]
    );
    assert!(s
        .status_counts(&Scope::Office("poelkapelle".into()))
        .await
        .unwrap()
        .is_empty());
    let bulk: Vec<NewBulkCase> = (0..3)
        .map(|_| NewBulkCase {
            household: miftari(),
            status: Status::Closed,
            counsellor_id: None,
        })
        .collect();
    s.insert_cases_bulk(&bulk, 2026, actor, retour_store::NameKeys::Now)
        .await
        .unwrap();
    assert_eq!(
        counts(
            s.status_counts(&Scope::Office("poelkapelle".into()))
                .await
                .unwrap()
        ),
        vec![("closed".to_string(), 3)]
    );
    // Bulk-loaded other spellings are searchable too.
    assert_eq!(
        s.persons_by_keys(&search("Mifteri", Scope::Office("poelkapelle".into())))
            .await
            .unwrap()
            .persons
            .len(),
        15
    );
    s.set_partner_org(case.id, Some("IOM Kosovo"), &audit())
        .await
        .unwrap();
    let partner = s
        .assigned_cases(
            &retour_store::Assignee::Partner("IOM Kosovo".into()),
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(
        partner.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![case.id]
    );
    assert!(s
        .assigned_cases(&retour_store::Assignee::Partner("Caritas".into()), None, 10)
        .await
        .unwrap()
        .is_empty());
    db.finish().await;
}

#[tokio::test]
async fn sessions_and_api_tokens_are_stored_by_hash_and_can_end() {
    let db = TestDb::new().await;
    let s = &db.store;
    let id = user(s, "c@example.org").await;
    let rec = s.create_session("hash-1", id, "csrf-1").await.unwrap();
    assert_eq!(s.session("hash-1").await.unwrap(), Some(rec.clone()));
    s.touch_session("hash-1", rec.last_seen + time::Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(
        s.delete_idle_sessions(rec.last_seen + time::Duration::minutes(1))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        s.delete_idle_sessions(rec.last_seen + time::Duration::minutes(10))
            .await
            .unwrap(),
        1
    );
    assert_eq!(s.session("hash-1").await.unwrap(), None);

    let t = s
        .create_api_token(id, "laptop", "token-hash")
        .await
        .unwrap();
    assert_eq!(
        s.user_by_api_token("token-hash").await.unwrap().unwrap().id,
        id
    );
    assert_eq!(s.user_by_api_token("other").await.unwrap(), None);
    s.revoke_api_token(t.id).await.unwrap();
    assert_eq!(s.user_by_api_token("token-hash").await.unwrap(), None);
    assert!(matches!(
        s.revoke_api_token(t.id).await,
        Err(StoreError::NotFound)
    ));
    db.finish().await;
}

/// A request dropped while its write waits (the browser closed, a load test stopped) must not
/// leave its connection inside the transaction: the next writes given that connection failed
/// with "begin_with at non-zero transaction depth", HTTP 500 until the server restarted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_dropped_at_any_moment_leave_every_later_write_working() {
    let db = TestDb::new().await;
    let s = db.store.clone();
    let id = user(&s, "c@example.org").await;
    let rec = s.create_session("hash-1", id, "csrf-1").await.unwrap();
    for i in 0..300u64 {
        let at = rec.last_seen + time::Duration::seconds(i as i64);
        let wait = std::time::Duration::from_micros((i % 60) * 20);
        let _ = tokio::time::timeout(wait, s.touch_session("hash-1", at)).await;
    }
    // More writers at once than the pool has connections: every connection is used again.
    let mut tasks = Vec::new();
    for k in 0..64 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.touch_session("hash-1", rec.last_seen + time::Duration::hours(1 + k))
                .await
        }));
    }
    for t in tasks {
        t.await
            .unwrap()
            .expect("a write after dropped ones succeeds");
    }
    let later = rec.last_seen + time::Duration::days(1);
    s.touch_session("hash-1", later).await.unwrap();
    assert_eq!(s.session("hash-1").await.unwrap().unwrap().last_seen, later);
    db.finish().await;
}

/// Writers that overlap share commits on SQLite (see `writer`): under a crowd of concurrent
/// writes, some refused midway, every acknowledged write is durable, every refused one left
/// nothing behind, and a conflicting pair has exactly one winner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crowd_of_concurrent_writers_loses_nothing_and_keeps_nothing_refused() {
    let db = TestDb::new().await;
    let s = db.store.clone();
    let actor = user(&s, "c@example.org").await;
    let new_case = |actor| NewCase {
        household: miftari(),
        counsellor_id: None,
        created_by: actor,
        reason: "new".into(),
    };
    let shared = s
        .create_case(new_case(actor), 2026, &audit())
        .await
        .unwrap();
    // Cases only one writer saves: every save of theirs succeeds, in whatever batch it lands
    // beside the refused ones.
    let mut own = Vec::new();
    for _ in 0..12 {
        own.push(
            s.create_case(new_case(actor), 2026, &audit())
                .await
                .unwrap(),
        );
    }
    for round in 0..5 {
        let mut tasks = Vec::new();
        for k in 0..48 {
            let s = s.clone();
            let shared = shared.clone();
            let own = own[k / 4].clone();
            let new = new_case(actor);
            tasks.push(tokio::spawn(async move {
                match k % 4 {
                    3 => {
                        let mut h = own.household.clone();
                        h.destination_place = format!("Prizren {round}");
                        s.update_household(
                            own.id,
                            own.version + round,
                            &h,
                            None,
                            ("poelkapelle", Status::Intake),
                            &audit(),
                        )
                        .await
                        .map(|_| "own")
                    }
                    // A new case: always succeeds.
                    0 => s.create_case(new, 2026, &audit()).await.map(|_| "created"),
                    // Everyone saves the shared case from the same version: one wins.
                    1 => {
                        let mut h = shared.household.clone();
                        h.destination_place = format!("Gjakova {k}");
                        let version = shared.version + round;
                        s.update_household(
                            shared.id,
                            version,
                            &h,
                            None,
                            ("poelkapelle", Status::Intake),
                            &audit(),
                        )
                        .await
                        .map(|_| "saved")
                    }
                    // The same e-mail address twelve times: one account, eleven refusals.
                    _ => s
                        .create_user(NewUser {
                            email: format!("same{round}@example.org"),
                            display_name: "Twin".into(),
                            role: "counsellor".into(),
                            office: None,
                            partner_org: None,
                            locale: "nl".into(),
                            password_hash: "x".into(),
                        })
                        .await
                        .map(|_| "account"),
                }
            }));
        }
        let mut created = 0;
        let mut saved = 0;
        let mut accounts = 0;
        let mut own_saved = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok("created") => created += 1,
                Ok("saved") => saved += 1,
                Ok("own") => own_saved += 1,
                Ok(_) => accounts += 1,
                Err(StoreError::Conflict { .. }) | Err(StoreError::Duplicate(_)) => {}
                Err(e) => panic!("round {round}: unexpected failure {e:?}"),
            }
        }
        assert_eq!(
            (created, saved, accounts, own_saved),
            (12, 1, 1, 12),
            "round {round}"
        );
        let now = s.case(shared.id).await.unwrap();
        assert_eq!(
            now.version,
            shared.version + round + 1,
            "one version step per round"
        );
        assert_eq!(now.household.members.len(), 5, "the winner's members, once");
    }
    // Every acknowledged case is there (and the shared one), from a fresh connection too.
    let other = Store::connect(&db.url).await.unwrap();
    assert_eq!(other.count_cases().await.unwrap(), 1 + 12 + 5 * 12);
    for c in &own {
        let now = other.case(c.id).await.unwrap();
        assert_eq!(now.version, c.version + 5, "five saves, each once");
        assert_eq!(now.household.destination_place, "Prizren 4");
    }
    for round in 0..5 {
        assert!(other
            .user_by_email(&format!("same{round}@example.org"))
            .await
            .is_ok());
    }
}
