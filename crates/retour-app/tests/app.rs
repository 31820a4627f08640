//! Use cases end to end against a real store (SQLite, or PostgreSQL with RETOUR_TEST_DATABASE_URL).

use retour_app::auth::NewAccount;
use retour_app::demo::{bah, miftari};
use retour_app::mfa::SignInStep;
use retour_app::search::SearchInput;
use retour_app::sessions::{NewSession, SignInError, SignInErrorOr};
use retour_app::{Actor, App, AppError, FieldCipher, Role, Sensitivity};
use retour_domain::lifecycle::{Status, TransitionRequest};
use retour_store::testing::TestDb;

#[path = "app/audit_chain.rs"]
mod audit_chain;
#[path = "app/break_glass.rs"]
mod break_glass;
#[path = "app/keys.rs"]
mod keys;
#[path = "app/mfa.rs"]
mod mfa;
#[path = "app/retention.rs"]
mod retention;
#[path = "app/subject.rs"]
mod subject;

/// The session of a sign-in that needed no second step.
pub(crate) fn signed_in(step: Result<SignInStep, SignInErrorOr>) -> NewSession {
    match step {
        Ok(SignInStep::Done(s)) => *s,
        Ok(_) => panic!("a second step was asked for"),
        Err(e) => panic!("sign-in refused: {e:?}"),
    }
}

async fn app() -> (TestDb, App) {
    let db = TestDb::new().await;
    let (_, cipher) = FieldCipher::random();
    let app = App::new(db.store.clone(), cipher);
    app.ensure_offices(retour_app::demo::DEMO_OFFICES)
        .await
        .unwrap();
    (db, app)
}

/// The address sign-ins in these tests come from.
const HOME: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
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
    u.actor()
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
        (
            "control-character",
            Box::new(|h| h.members[1].person.family_name = "Mif\0tari".into()),
        ),
        (
            "control-character",
            Box::new(|h| h.destination_place = "Ferizaj\u{1b}[2J".into()),
        ),
        (
            "birth-date-too-old",
            Box::new(|h| h.members[1].person.birth_date = "1850".into()),
        ),
        (
            "birth-date-too-old",
            Box::new(|h| h.members[1].person.birth_date = "0000-01-01".into()),
        ),
        (
            "too-many",
            Box::new(|h| h.members[0].person.nationalities = vec!["XK".into(); 10_000]),
        ),
        (
            "too-many",
            Box::new(|h| h.members[0].person.other_names = vec!["Mifteri".into(); 500]),
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
    // Repeated nationalities and languages within the bounds are kept once.
    let mut repeated = miftari();
    repeated.members[0].person.nationalities = vec!["XK".into(), "xk".into(), "AL".into()];
    repeated.members[0].person.languages = vec!["sq".into(), "sq".into()];
    let case = app.register_case(&c, &repeated).await.unwrap();
    let principal = &case.household.members[0].person;
    assert_eq!(principal.nationalities.len(), 2);
    assert_eq!(principal.languages, vec!["sq".to_string()]);
    // Notes are free text, but no control characters either.
    match app
        .add_note(&c, case.id, Sensitivity::General, "called\u{7}back")
        .await
    {
        Err(AppError::Invalid(e)) => assert_eq!(e.codes(), vec!["control-character"]),
        other => panic!("expected a refusal, got {other:?}"),
    }
    app.add_note(
        &c,
        case.id,
        Sensitivity::General,
        "Called back.\nWill come on Monday.",
    )
    .await
    .unwrap();
    // A counsellor cannot register for another office.
    let mut other = bah();
    other.office = "brussel".into();
    assert!(matches!(
        app.register_case(&c, &other).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(db.store.count_cases().await.unwrap(), 1);
    db.finish().await;
}

#[tokio::test]
async fn record_scope_decides_who_sees_and_changes_a_case() {
    let (db, app) = app().await;
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle"), None).await;
    let other_office = account(&app, "o@x.org", Role::Counsellor, Some("brussel"), None).await;
    let pm = account(&app, "pm@x.org", Role::ProgrammeManager, None, None).await;
    let auditor = account(&app, "a@x.org", Role::Auditor, None, None).await;
    let admin = account(&app, "ad@x.org", Role::Admin, None, None).await;
    app.create_partner_org(&pm, "iom-xk", "IOM Kosovo", "iom", &["XK".into()])
        .await
        .unwrap();
    let partner = account(
        &app,
        "p@x.org",
        Role::PartnerCaseworker,
        None,
        Some("iom-xk"),
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
        outcome: None,
        to: Status::Assessed,
        reason: "assessed".into(),
        booking: None,
        on: None,
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
    // A partial reference: its start, or its running number alone.
    let full = case.reference.to_string();
    for partial in [
        full[..full.len() - 2].to_string(),
        full[2..].to_string(),
        case.reference.number.to_string(),
    ] {
        let q = SearchInput {
            q: partial.clone(),
            ..Default::default()
        };
        let found = app.search(&c, &q).await.unwrap();
        assert!(
            found.hits.iter().any(|h| h.case_id == case.id),
            "{partial} finds {full}"
        );
        assert!(app.search(&other_office, &q).await.unwrap().hits.is_empty());
    }
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

    let stored = db.store.history_and_notes(case.id).await.unwrap().1;
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
    let s = signed_in(app.sign_in("C@x.org", PASSWORD, HOME).await);
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

    // Someone guessing from another address uses up that address's attempts on the account...
    let guesser: std::net::IpAddr = "203.0.113.9".parse().unwrap();
    for _ in 0..retour_app::sessions::MAX_FAILURES {
        assert!(matches!(
            app.sign_in("c@x.org", "wrong password!", guesser).await,
            Err(SignInErrorOr::SignIn(SignInError::Refused))
        ));
    }
    assert!(matches!(
        app.sign_in("c@x.org", PASSWORD, guesser).await,
        Err(SignInErrorOr::SignIn(SignInError::Throttled))
    ));
    // ... but the account's owner, at their own desk, still signs in.
    let desk: std::net::IpAddr = "198.51.100.20".parse().unwrap();
    assert!(app.sign_in("c@x.org", PASSWORD, desk).await.is_ok());
    // Signing in and out all day never counts against them: only failures do.
    for i in 0..3 * retour_app::sessions::MAX_FAILURES {
        let s = match app.sign_in("c@x.org", PASSWORD, desk).await {
            Ok(SignInStep::Done(s)) => s,
            _ => panic!("sign-in {i} at the desk"),
        };
        app.sign_out(&s.token).await.unwrap();
    }
    assert!(matches!(
        app.sign_in("nobody@x.org", PASSWORD, desk).await,
        Err(SignInErrorOr::SignIn(SignInError::Refused))
    ));
    // Guesses spread over many accounts from one address are throttled too, and huge
    // e-mail addresses cost the throttle no more memory than short ones.
    let sprayer: std::net::IpAddr = "192.0.2.77".parse().unwrap();
    let mut throttled = 0;
    for i in 0..retour_app::sessions::MAX_ATTEMPTS_PER_CLIENT + 5 {
        let email = format!("{}{i}@x.org", "a".repeat(100_000));
        if let Err(SignInErrorOr::SignIn(SignInError::Throttled)) =
            app.sign_in(&email, "guess", sprayer).await
        {
            throttled += 1;
        }
    }
    assert_eq!(throttled, 5, "past the address's quota every attempt waits");
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
    assert_eq!(db.store.count_cases().await.unwrap(), 7);
    // Every role's home has work on it.
    let actor_of = |email: &str| {
        let store = db.store.clone();
        let email = email.to_string();
        async move { store.user_by_email(&email).await.unwrap() }
    };
    let queues = |email: &'static str| {
        let app = app.clone();
        async move {
            let u = actor_of(email).await;
            let actor = app
                .accounts(
                    &retour_app::Actor {
                        id: uuid::Uuid::nil(),
                        role: Role::Admin,
                        office: None,
                        partner_org: None,
                        glass: Default::default(),
                    },
                    None,
                    100,
                )
                .await
                .unwrap()
                .items
                .into_iter()
                .find(|a| a.id == u.id)
                .unwrap()
                .actor();
            app.my_queues(&actor)
                .await
                .unwrap()
                .into_iter()
                .map(|q| (q.slug, q.items.len()))
                .filter(|(_, n)| *n > 0)
                .map(|(s, _)| s)
                .collect::<Vec<_>>()
        }
    };
    assert!(queues("manager@demo.retour.example")
        .await
        .contains(&"plans-to-approve".to_string()));
    assert_eq!(
        queues("medical@demo.retour.example").await,
        vec!["medical-to-price"]
    );
    assert!(queues("partner@demo.retour.example")
        .await
        .contains(&"arrivals-to-confirm".to_string()));
    assert!(queues("partner-caritas@demo.retour.example")
        .await
        .contains(&"visits-due".to_string()));
    assert_ne!(first[0].password, second[0].password);
    assert!(app
        .sign_in(first[0].email, &first[0].password, HOME)
        .await
        .is_err());
    assert!(app
        .sign_in(second[0].email, &second[0].password, HOME)
        .await
        .is_ok());
    app.load_generated(250, 42, |_| {}).await.unwrap();
    assert_eq!(db.store.count_cases().await.unwrap(), 257);
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

#[tokio::test]
async fn entitlements_follow_the_household_until_approval_freezes_them() {
    let (db, app) = app().await;
    app.ensure_reference_policy().await.unwrap();
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
    let bah_id = case.household.members[0].person.id;

    // Mr Bah, single adult, Guinea (visa required): 350 cash, 2000 in kind, 300 partner fee.
    let e = app.entitlement(&c, case.id).await.unwrap();
    let q = e.quote.clone().unwrap();
    assert_eq!(q.totals.departure_premium_cash, dec("350"));
    assert_eq!(q.totals.reintegration_in_kind, dec("2000"));
    assert_eq!(q.totals.partner_fee, dec("300"));

    // His illness: the counsellor records the vulnerability, the medical advisor the items.
    app.record_vulnerability(
        &c,
        case.id,
        bah_id,
        "complex_medical",
        "2026-10-01",
        "medical certificate",
        "dialysis needed",
    )
    .await
    .unwrap();
    assert!(matches!(
        app.record_medical_need(
            &c,
            case.id,
            &retour_app::entitlements::NeedInput {
                person_id: bah_id,
                label: "dialysis".to_string(),
                frequency: "monthly".to_string(),
                amount_eur: "800".to_string(),
                style: retour_domain::NumberStyle::Plain
            }
        )
        .await,
        Err(AppError::Forbidden)
    ));
    app.record_medical_need(
        &med,
        case.id,
        &retour_app::entitlements::NeedInput {
            person_id: bah_id,
            label: "dialysis sessions".to_string(),
            frequency: "monthly".to_string(),
            amount_eur: "800.00".to_string(),
            style: retour_domain::NumberStyle::Plain,
        },
    )
    .await
    .unwrap();
    app.record_medical_need(
        &med,
        case.id,
        &retour_app::entitlements::NeedInput {
            person_id: bah_id,
            label: "fistula surgery".to_string(),
            frequency: "one_off".to_string(),
            amount_eur: "1500".to_string(),
            style: retour_domain::NumberStyle::Plain,
        },
    )
    .await
    .unwrap();
    // 1500 + 6 × 800 = 6300, capped at 6000 per person.
    let for_c = app.entitlement(&c, case.id).await.unwrap();
    assert_eq!(
        for_c.quote.as_ref().unwrap().totals.medical_in_kind,
        dec("6000")
    );
    assert!(for_c.lines.iter().any(|l| l.rule == "amaar.capped"));
    assert!(
        for_c.medical_items.is_none(),
        "the counsellor sees the AMAAR total, not the items"
    );
    assert_eq!(
        for_c.vulnerabilities[0].evidence, None,
        "the evidence of a medical case is for medical advisors"
    );
    let for_med = app.entitlement(&med, case.id).await.unwrap();
    let items = for_med.medical_items.unwrap();
    assert_eq!(
        items.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(),
        vec!["dialysis sessions", "fistula surgery"]
    );
    let stored = db.store.medical_needs(case.id).await.unwrap();
    assert!(
        stored.iter().all(|n| !n.label.contains("dialysis")),
        "labels are encrypted at rest"
    );

    // A trafficking vulnerability is only visible to the case's counsellor and managers.
    app.record_vulnerability(
        &c,
        case.id,
        bah_id,
        "trafficking_victim",
        "2026-10-02",
        "police referral",
        "exploited on a building site",
    )
    .await
    .unwrap();
    assert!(matches!(
        app.record_vulnerability(
            &colleague,
            case.id,
            bah_id,
            "trafficking_victim",
            "2026-10-02",
            "x",
            "y"
        )
        .await,
        Err(AppError::Forbidden)
    ));
    let for_colleague = app.entitlement(&colleague, case.id).await.unwrap();
    let hidden: Vec<_> = for_colleague
        .lines
        .iter()
        .filter(|l| l.amount.is_none())
        .map(|l| l.rule.as_str())
        .collect();
    assert_eq!(hidden, vec!["topup.trafficking"]);
    assert!(for_colleague.totals_withheld);
    assert!(
        for_colleague
            .vulnerabilities
            .iter()
            .any(|v| v.kind.is_none()),
        "the trafficking flag is withheld"
    );
    let for_pm = app.entitlement(&pm, case.id).await.unwrap();
    assert!(for_pm.lines.iter().all(|l| l.amount.is_some()) && !for_pm.totals_withheld);
    assert_eq!(
        for_pm.quote.as_ref().unwrap().totals.vulnerability_in_kind,
        dec("1500")
    );

    // Only a programme manager approves the plan; approval freezes the entitlement.
    let assessed = app
        .transition(
            &c,
            case.id,
            case.version,
            &TransitionRequest {
                outcome: None,
                to: Status::Assessed,
                reason: "ok".into(),
                booking: None,
                on: None,
            },
        )
        .await
        .unwrap();
    let approve = TransitionRequest {
        outcome: None,
        to: Status::PlanApproved,
        reason: "plan approved".into(),
        booking: None,
        on: None,
    };
    assert!(matches!(
        app.transition(&c, case.id, assessed.version, &approve)
            .await,
        Err(AppError::Forbidden)
    ));
    let approved = app
        .transition(&pm, case.id, assessed.version, &approve)
        .await
        .unwrap();
    let frozen = app.entitlement(&pm, case.id).await.unwrap();
    assert!(frozen.frozen_at.is_some());
    let before = frozen.quote.clone().unwrap();
    // A later policy with other amounts does not change an approved budget.
    let newer = retour_domain::policy::BE_2022_SOURCE
        .replace(
            "effective_from = \"2022-01-01\"",
            "effective_from = \"2023-01-01\"",
        )
        .replace("principal = \"2000.00\"", "principal = \"2500.00\"");
    app.load_policy(None, &newer)
        .await
        .map_err(|_| "load")
        .unwrap();
    assert_eq!(
        app.entitlement(&pm, case.id).await.unwrap().quote.unwrap(),
        before
    );
    // A vulnerability withdrawn after the approval opens a review, computed under the frozen
    // version: the newer policy's amounts never enter it, even when confirmed.
    let trafficking = frozen
        .vulnerabilities
        .iter()
        .find(|v| v.kind == Some(retour_domain::quote::Vulnerability::TraffickingVictim))
        .unwrap()
        .id;
    app.withdraw_vulnerability(&c, case.id, trafficking, "recorded on the wrong case")
        .await
        .unwrap();
    let change = app.entitlement(&pm, case.id).await.unwrap().change.unwrap();
    let rules: Vec<&str> = change.lines.iter().map(|l| l.rule.as_str()).collect();
    assert_eq!(rules, vec!["topup.trafficking"]);
    app.decide_entitlement_change(&pm, case.id, change.review_id, change.revision, true, "")
        .await
        .unwrap();
    let confirmed = app.entitlement(&pm, case.id).await.unwrap().quote.unwrap();
    assert_eq!(confirmed.policy_version, before.policy_version);
    let principal = |q: &retour_domain::quote::Quote| {
        q.lines
            .iter()
            .find(|l| l.rule == "reintegration.principal")
            .map(|l| l.amount)
    };
    assert_eq!(principal(&confirmed), principal(&before));
    assert!(confirmed.totals.vulnerability_in_kind < before.totals.vulnerability_in_kind);

    // The premium is paid at departure, once, never more than the entitlement.
    let booked = app
        .transition(
            &c,
            case.id,
            approved.version,
            &TransitionRequest {
                outcome: None,
                to: Status::DepartureBooked,
                reason: "ticket".into(),
                booking: Some(retour_domain::DepartureBooking {
                    date: app.today() + time::Duration::days(10),
                    transport: retour_domain::lifecycle::Transport::Plane,
                    travel_document: retour_domain::lifecycle::TravelDocumentStatus::Issued,
                }),
                on: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(booked.status, Status::DepartureBooked);
    let too_much = app
        .record_premium(
            &c,
            case.id,
            "350.01",
            "2026-12-15",
            retour_domain::NumberStyle::Plain,
        )
        .await;
    assert!(
        matches!(too_much, Err(AppError::Invalid(ref e)) if e.codes() == ["premium-above-entitlement"])
    );
    app.record_premium(
        &c,
        case.id,
        "350",
        "2026-12-15",
        retour_domain::NumberStyle::Plain,
    )
    .await
    .unwrap();
    assert!(matches!(
        app.record_premium(
            &c,
            case.id,
            "350",
            "2026-12-15",
            retour_domain::NumberStyle::Plain
        )
        .await,
        Err(AppError::Duplicate(_))
    ));
    assert_eq!(
        db.store
            .premium_payment(case.id)
            .await
            .unwrap()
            .unwrap()
            .amount_cents,
        35000
    );
    db.finish().await;
}

#[tokio::test]
async fn a_plan_cannot_be_approved_without_the_dates_the_entitlement_needs() {
    let (db, app) = app().await;
    app.ensure_reference_policy().await.unwrap();
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle"), None).await;
    let pm = account(&app, "pm@x.org", Role::ProgrammeManager, None, None).await;
    let mut input = bah();
    input.planned_departure_date = None;
    let case = app.register_case(&c, &input).await.unwrap();
    assert!(app.entitlement(&c, case.id).await.unwrap().quote.is_none());
    let c2 = app
        .transition(
            &c,
            case.id,
            1,
            &TransitionRequest {
                outcome: None,
                to: Status::Assessed,
                reason: "ok".into(),
                booking: None,
                on: None,
            },
        )
        .await
        .unwrap();
    let err = app
        .transition(
            &pm,
            case.id,
            c2.version,
            &TransitionRequest {
                outcome: None,
                to: Status::PlanApproved,
                reason: "go".into(),
                booking: None,
                on: None,
            },
        )
        .await;
    assert!(
        matches!(err, Err(AppError::Invalid(ref e)) if e.codes() == ["entitlement-incomplete"]),
        "{err:?}"
    );
    assert_eq!(
        db.store.case(case.id).await.unwrap().status,
        Status::Assessed
    );
    db.finish().await;
}

#[tokio::test]
async fn simulation_compares_every_case_under_a_draft_policy() {
    let (db, app) = app().await;
    app.ensure_reference_policy().await.unwrap();
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle"), None).await;
    app.register_case(&c, &miftari()).await.unwrap();
    app.register_case(&c, &bah()).await.unwrap();
    let mut undated = bah();
    undated.application_date = None;
    undated.members[0].person.given_names = "Alpha".into();
    app.register_case(&c, &undated).await.unwrap();
    let draft = retour_domain::policy::Policy::parse(
        &retour_domain::policy::BE_2022_SOURCE
            .replace("principal = \"2000.00\"", "principal = \"2500.00\""),
    )
    .unwrap();
    let mut seen = 0;
    let report = app.simulate(&draft, |n| seen = n).await.unwrap();
    assert_eq!(seen, 3);
    assert_eq!(report.skipped, 1);
    // Bah, Guinea: 350 premium + 2000 budget + 300 fee = 2650; the draft's 2500 budget makes 3150.
    let gn = &report.by_country["GN"];
    assert_eq!(
        (gn.households, gn.before, gn.after),
        (1, dec("2650"), dec("3150"))
    );
    // Miftari, Kosovo (visa-exempt): 2 × 50 + 3 × 25 premium + 3 × 500 family top-up + 300 fee = 1975, unchanged.
    let xk = &report.by_country["XK"];
    assert_eq!(
        (xk.households, xk.before, xk.after),
        (1, dec("1975"), dec("1975"))
    );
    assert_eq!(report.by_group["family_with_children"].before, dec("1975"));
    assert_eq!(report.by_group["none"].difference(), dec("500"));
    assert_eq!(
        (
            report.total.households,
            report.total.before,
            report.total.after
        ),
        (2, dec("4625"), dec("5125"))
    );
    db.finish().await;
}

#[tokio::test]
async fn auditors_read_the_trail_filtered_and_a_page_at_a_time() {
    use retour_app::audit::AuditFilter;
    let (db, app) = app().await;
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle"), None).await;
    let auditor = account(&app, "audit@x.org", Role::Auditor, None, None).await;
    let miftari_case = app.register_case(&c, &miftari()).await.unwrap();
    let bah_case = app.register_case(&c, &bah()).await.unwrap();
    for i in 0..5 {
        app.add_note(
            &c,
            miftari_case.id,
            Sensitivity::General,
            &format!("call {i}"),
        )
        .await
        .unwrap();
    }
    // Only auditors read it (and the operator's command line).
    assert!(matches!(
        app.audit(Some(&c), &AuditFilter::default(), None, 10).await,
        Err(AppError::Forbidden)
    ));
    let everything = app
        .audit(Some(&auditor), &AuditFilter::default(), None, 100)
        .await
        .unwrap();
    assert!(everything.items.iter().any(|e| e.action == "user.create"));
    assert!(
        everything.items.windows(2).all(|w| w[0].id > w[1].id),
        "newest first"
    );
    // By case, with its reference and who acted by name.
    let by_case = |reference: String| AuditFilter {
        case_reference: Some(reference),
        ..Default::default()
    };
    let trail = app
        .audit(
            Some(&auditor),
            &by_case(miftari_case.reference.to_string()),
            None,
            100,
        )
        .await
        .unwrap();
    assert_eq!(trail.items.len(), 6, "registered, then five notes");
    assert!(trail
        .items
        .iter()
        .all(|e| e.case_id == Some(miftari_case.id)));
    assert_eq!(trail.items[0].actor_name.as_deref(), Some("c@x.org"));
    // A page at a time, by key.
    let first = app
        .audit(
            Some(&auditor),
            &by_case(miftari_case.reference.to_string()),
            None,
            4,
        )
        .await
        .unwrap();
    assert_eq!(first.items.len(), 4);
    let before = first.next.as_deref().unwrap().parse().unwrap();
    let second = app
        .audit(
            Some(&auditor),
            &by_case(miftari_case.reference.to_string()),
            Some(before),
            4,
        )
        .await
        .unwrap();
    assert_eq!(second.items.len(), 2);
    assert!(second.next.is_none());
    assert!(second.items[0].id < first.items[3].id);
    // By action, by person, by dates.
    let creations = app
        .audit(
            Some(&auditor),
            &AuditFilter {
                action: Some("case.create".into()),
                ..Default::default()
            },
            None,
            100,
        )
        .await
        .unwrap();
    let mut cases: Vec<_> = creations.items.iter().filter_map(|e| e.case_id).collect();
    cases.sort();
    let mut expected = vec![miftari_case.id, bah_case.id];
    expected.sort();
    assert_eq!(cases, expected);
    let by_auditor = app
        .audit(
            Some(&auditor),
            &AuditFilter {
                actor_email: Some("c@x.org".into()),
                ..Default::default()
            },
            None,
            100,
        )
        .await
        .unwrap();
    assert!(by_auditor.items.iter().all(|e| e.actor_id == Some(c.id)));
    assert_eq!(by_auditor.items.len(), 7);
    let today = retour_domain::dates::format_date(app.today());
    let tomorrow = retour_domain::dates::format_date(app.today().next_day().unwrap());
    let range = |from: &str, to: &str| AuditFilter {
        from: Some(from.into()),
        to: Some(to.into()),
        ..Default::default()
    };
    assert_eq!(
        app.audit(Some(&auditor), &range(&today, &today), None, 100)
            .await
            .unwrap()
            .items
            .len(),
        everything.items.len()
    );
    assert!(app
        .audit(Some(&auditor), &range(&tomorrow, &tomorrow), None, 100)
        .await
        .unwrap()
        .items
        .is_empty());
    // Bad filters are explained; unknown cases and people find nothing.
    match app
        .audit(
            Some(&auditor),
            &AuditFilter {
                action: Some("drop.table".into()),
                from: Some("yesterday".into()),
                ..Default::default()
            },
            None,
            10,
        )
        .await
    {
        Err(AppError::Invalid(e)) => assert_eq!(e.codes(), vec!["unknown-value", "bad-date"]),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(app
        .audit(Some(&auditor), &by_case("R-2026-999999".into()), None, 10)
        .await
        .unwrap()
        .items
        .is_empty());
    db.finish().await;
}
