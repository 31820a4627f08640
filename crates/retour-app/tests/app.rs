//! Use cases end to end against a real store (SQLite, or PostgreSQL with RETOUR_TEST_DATABASE_URL).

use retour_app::auth::NewAccount;
use retour_app::demo::{bah, miftari};
use retour_app::search::SearchInput;
use retour_app::sessions::{SignInError, SignInErrorOr};
use retour_app::{Actor, App, AppError, FieldCipher, Role, Sensitivity};
use retour_domain::lifecycle::{Status, TransitionRequest};
use retour_store::testing::TestDb;

async fn app() -> (TestDb, App) {
    let db = TestDb::new().await;
    let (_, cipher) = FieldCipher::random();
    let app = App::new(db.store.clone(), cipher);
    (db, app)
}

const PASSWORD: &str = "correct horse battery";

async fn account(
    app: &App,
    email: &str,
    role: Role,
    office: Option<&str>,
    partner: Option<&str>,
) -> Actor {
    let u = app
        .create_account(
            None,
            NewAccount {
                email: email.into(),
                display_name: email.into(),
                role: role.as_str().into(),
                office: office.map(Into::into),
                partner_org: partner.map(Into::into),
                locale: "nl".into(),
                password: PASSWORD.into(),
            },
        )
        .await
        .unwrap();
    Actor::from_user(&u).unwrap()
}

#[tokio::test]
async fn bad_household_input_is_refused_with_reasons_and_stores_nothing() {
    let (db, app) = app().await;
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle"), None).await;
    type Spoil = Box<dyn Fn(&mut retour_domain::HouseholdInput)>;
    let cases: Vec<(&str, Spoil)> = vec![
        (
            "unknown-country",
            Box::new(|h| h.destination_country = "KS".into()),
        ),
        (
            "birth-date-in-future",
            Box::new(|h| h.members[2].person.birth_date = "2099-01-01".into()),
        ),
        (
            "no-principal",
            Box::new(|h| h.members[0].relationship = "partner".into()),
        ),
        (
            "duplicate-member",
            Box::new(|h| {
                let again = h.members[3].clone();
                h.members.push(again)
            }),
        ),
    ];
    for (code, spoil) in cases {
        let mut input = miftari();
        spoil(&mut input);
        match app.register_case(&c, &input).await {
            Err(AppError::Invalid(e)) => assert_eq!(e.codes(), vec![code]),
            other => panic!("{code}: expected a refusal, got {other:?}"),
        }
    }
    assert_eq!(db.store.count_cases().await.unwrap(), 0);
    // A counsellor cannot register for another office.
    let mut other = bah();
    other.office = "brussels".into();
    assert!(matches!(
        app.register_case(&c, &other).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(db.store.count_cases().await.unwrap(), 0);
    db.finish().await;
}

#[tokio::test]
async fn record_scope_decides_who_sees_and_changes_a_case() {
    let (db, app) = app().await;
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle"), None).await;
    let other_office = account(&app, "o@x.org", Role::Counsellor, Some("brussels"), None).await;
    let pm = account(&app, "pm@x.org", Role::ProgrammeManager, None, None).await;
    let auditor = account(&app, "a@x.org", Role::Auditor, None, None).await;
    let admin = account(&app, "ad@x.org", Role::Admin, None, None).await;
    let partner = account(
        &app,
        "p@x.org",
        Role::PartnerCaseworker,
        None,
        Some("IOM Kosovo"),
    )
    .await;
    let case = app.register_case(&c, &miftari()).await.unwrap();

    assert!(app.case(&c, case.id).await.is_ok());
    assert!(app.case(&pm, case.id).await.is_ok());
    assert!(app.case(&auditor, case.id).await.is_ok());
    for outsider in [&other_office, &admin, &partner] {
        assert!(
            matches!(app.case(outsider, case.id).await, Err(AppError::NotFound)),
            "{:?}",
            outsider.role
        );
    }
    let mv = TransitionRequest {
        to: Status::Assessed,
        reason: "assessed".into(),
        booking: None,
    };
    assert!(matches!(
        app.transition(&auditor, case.id, 1, &mv).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        app.transition(&other_office, case.id, 1, &mv).await,
        Err(AppError::NotFound)
    ));
    let moved = app.transition(&c, case.id, 1, &mv).await.unwrap();
    assert_eq!(moved.status, Status::Assessed);
    // Search respects the same scope.
    let q = SearchInput {
        q: "Mifteri".into(),
        ..Default::default()
    };
    assert_eq!(app.search(&c, &q).await.unwrap().hits.len(), 5);
    assert!(app.search(&other_office, &q).await.unwrap().hits.is_empty());
    assert!(app.search(&partner, &q).await.unwrap().hits.is_empty());
    assert!(matches!(
        app.search(&admin, &q).await,
        Err(AppError::Forbidden)
    ));
    let by_ref = SearchInput {
        q: case.reference.to_string().to_lowercase(),
        ..Default::default()
    };
    assert_eq!(
        app.search(&pm, &by_ref).await.unwrap().hits[0].case_id,
        case.id
    );
    assert!(app
        .search(&other_office, &by_ref)
        .await
        .unwrap()
        .hits
        .is_empty());
    db.finish().await;
}

#[tokio::test]
async fn sensitive_notes_are_encrypted_withheld_and_their_reads_audited() {
    let (db, app) = app().await;
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle"), None).await;
    let colleague = account(
        &app,
        "c2@x.org",
        Role::Counsellor,
        Some("poelkapelle"),
        None,
    )
    .await;
    let med = account(&app, "m@x.org", Role::MedicalAdvisor, None, None).await;
    let pm = account(&app, "pm@x.org", Role::ProgrammeManager, None, None).await;
    let case = app.register_case(&c, &bah()).await.unwrap();

    assert!(matches!(
        app.add_note(&c, case.id, Sensitivity::Medical, "x").await,
        Err(AppError::Forbidden)
    ));
    app.add_note(
        &med,
        case.id,
        Sensitivity::Medical,
        "Chronic kidney disease, dialysis 3x/week",
    )
    .await
    .unwrap();
    app.add_note(
        &c,
        case.id,
        Sensitivity::Trafficking,
        "Recruited with false job offer",
    )
    .await
    .unwrap();
    app.add_note(&c, case.id, Sensitivity::General, "Prefers French")
        .await
        .unwrap();

    let stored = db.store.notes(case.id).await.unwrap();
    assert!(
        stored
            .iter()
            .all(|n| !n.body.contains("kidney") && !n.body.contains("Recruited")),
        "encrypted at rest"
    );
    assert!(stored.iter().any(|n| n.body == "Prefers French"));

    let visible = |v: &retour_app::cases::CaseView| -> Vec<(Sensitivity, bool)> {
        v.notes
            .iter()
            .map(|n| (n.sensitivity, n.body.is_some()))
            .collect()
    };
    let for_med = app.case_view(&med, case.id).await.unwrap();
    assert_eq!(
        visible(&for_med),
        vec![
            (Sensitivity::Medical, true),
            (Sensitivity::Trafficking, false),
            (Sensitivity::General, true)
        ]
    );
    assert_eq!(
        for_med.notes[0].body.as_deref(),
        Some("Chronic kidney disease, dialysis 3x/week")
    );
    assert_eq!(
        visible(&app.case_view(&c, case.id).await.unwrap()),
        vec![
            (Sensitivity::Medical, false),
            (Sensitivity::Trafficking, true),
            (Sensitivity::General, true)
        ]
    );
    assert_eq!(
        visible(&app.case_view(&colleague, case.id).await.unwrap()),
        vec![
            (Sensitivity::Medical, false),
            (Sensitivity::Trafficking, false),
            (Sensitivity::General, true)
        ]
    );
    assert_eq!(
        visible(&app.case_view(&pm, case.id).await.unwrap()),
        vec![
            (Sensitivity::Medical, false),
            (Sensitivity::Trafficking, true),
            (Sensitivity::General, true)
        ]
    );

    let trail = db.store.audit_for_case(case.id, None, 100).await.unwrap();
    let reads: Vec<_> = trail
        .iter()
        .filter(|a| a.action == "sensitive.read")
        .map(|a| (a.actor_id, a.detail.clone()))
        .collect();
    assert_eq!(
        reads.len(),
        3,
        "medical advisor, counsellor and manager each read one sensitive note: {reads:?}"
    );
    assert!(reads
        .iter()
        .any(|(who, d)| *who == Some(med.id) && d.contains("(medical)")));
    assert!(
        trail.iter().all(|a| !a.detail.contains("kidney")),
        "the trail names fields, never values"
    );
    assert_eq!(trail.iter().filter(|a| a.action == "case.note").count(), 3);
    assert_eq!(
        trail.iter().filter(|a| a.action == "case.create").count(),
        1
    );
    db.finish().await;
}

#[tokio::test]
async fn sessions_survive_a_restart_end_on_sign_out_and_sign_in_is_throttled() {
    let (db, app) = app().await;
    account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle"), None).await;
    let s = app.sign_in("C@x.org", PASSWORD).await.unwrap();
    assert_eq!(
        app.session(&s.token).await.unwrap().unwrap().user.email,
        "c@x.org"
    );

    // A new process (empty cache) over the same database still knows the session.
    let restarted = App::new(db.store.clone(), FieldCipher::random().1);
    let again = restarted.session(&s.token).await.unwrap().unwrap();
    assert_eq!(again.csrf, s.session.csrf);
    restarted.sign_out(&s.token).await.unwrap();
    assert!(restarted.session(&s.token).await.unwrap().is_none());
    assert!(app.session("not-a-token").await.unwrap().is_none());

    for _ in 0..retour_app::sessions::MAX_FAILURES {
        assert!(matches!(
            app.sign_in("c@x.org", "wrong password!").await,
            Err(SignInErrorOr::SignIn(SignInError::Refused))
        ));
    }
    assert!(matches!(
        app.sign_in("c@x.org", PASSWORD).await,
        Err(SignInErrorOr::SignIn(SignInError::Throttled))
    ));
    assert!(matches!(
        app.sign_in("nobody@x.org", PASSWORD).await,
        Err(SignInErrorOr::SignIn(SignInError::Refused))
    ));
    db.finish().await;
}

#[tokio::test]
async fn api_tokens_authenticate_until_revoked() {
    let (db, app) = app().await;
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle"), None).await;
    let (rec, token) = app.create_api_token("c@x.org", "script").await.unwrap();
    let (_, actor) = app.actor_for_token(&token).await.unwrap().unwrap();
    assert_eq!(actor, c);
    app.revoke_api_token(rec.id).await.unwrap();
    assert!(app.actor_for_token(&token).await.unwrap().is_none());
    db.finish().await;
}

#[tokio::test]
async fn demo_data_loads_once_and_passwords_are_renewed() {
    let (db, app) = app().await;
    let first = app.load_demo().await.unwrap();
    let second = app.load_demo().await.unwrap();
    assert_eq!(db.store.count_cases().await.unwrap(), 2);
    assert_ne!(first[0].password, second[0].password);
    assert!(app
        .authenticate(first[0].email, &first[0].password)
        .await
        .is_err());
    assert!(app
        .authenticate(second[0].email, &second[0].password)
        .await
        .is_ok());
    app.load_generated(250, 42, |_| {}).await.unwrap();
    assert_eq!(db.store.count_cases().await.unwrap(), 252);
    db.finish().await;
}

#[tokio::test]
async fn accounts_are_validated() {
    let (db, app) = app().await;
    let err = app
        .create_account(
            None,
            NewAccount {
                email: "no-at-sign".into(),
                display_name: String::new(),
                role: "counsellor".into(),
                office: None,
                partner_org: None,
                locale: "de".into(),
                password: "short".into(),
            },
        )
        .await
        .unwrap_err();
    match err {
        AppError::Invalid(e) => assert_eq!(
            e.codes(),
            vec![
                "bad-email",
                "required",
                "unknown-value",
                "password-too-short"
            ]
        ),
        other => panic!("{other:?}"),
    }
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle"), None).await;
    let attempt = app
        .create_account(
            Some(&c),
            NewAccount {
                email: "z@x.org".into(),
                display_name: String::new(),
                role: "admin".into(),
                office: None,
                partner_org: None,
                locale: "nl".into(),
                password: PASSWORD.into(),
            },
        )
        .await;
    assert!(
        matches!(attempt, Err(AppError::Forbidden)),
        "only admins manage accounts"
    );
    db.finish().await;
}
