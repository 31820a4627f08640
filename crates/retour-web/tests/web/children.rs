//! Children in a case and the workbook: the rules end to end through the use cases, the
//! stock under concurrent hand-outs (SQLite and PostgreSQL), and the social worker's and staff's
//! pages in a real browser.

use fantoccini::Locator;
use retour_app::demo::miftari;
use retour_app::{AppError, Role};
use retour_domain::children::{BestInterestsInput, GuardianInput, ReceptionCheckInput};
use retour_domain::lifecycle::{DepartureBooking, Status, TransitionRequest};
use retour_domain::Case;

use crate::browser::{
    axe_source, check_accessibility, fill, html, screenshot, start_browser, submit, wait_path,
};
use crate::support::{TestServer, PASSWORD};

fn person(case: &Case, given: &str) -> uuid::Uuid {
    case.household
        .members
        .iter()
        .find(|m| m.person.given_names == given)
        .unwrap()
        .person
        .id
}

fn codes(r: Result<(), AppError>) -> Vec<&'static str> {
    match r {
        Err(AppError::Invalid(e)) => e.codes(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn assessment() -> BestInterestsInput {
    BestInterestsInput {
        assessed_on: "2026-11-01".into(),
        assessed_by: "Sara Claes, social worker".into(),
        consulted_parents: true,
        consulted_child: true,
        consulted_names: "Agron and Shqipe Miftari".into(),
        summary: "SECRET-BI-SUMMARY".into(),
        conclusion: "Returning with the family serves the child's interest.".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn two_concurrent_hand_outs_never_take_the_last_workbook_twice() {
    let s = TestServer::start().await;
    let sara = s
        .account("sara@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let pm = s
        .account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    // Two children of workbook age: Liridon (9) and Arta made 7.
    let mut input = miftari();
    input.members[4].person.birth_date = "2019-03-01".into();
    let case = s.app.register_case(&sara, &input).await.unwrap();
    let agron = person(&case, "Agron");
    for child in ["Liridon", "Arta"] {
        s.app
            .record_workbook_consent(&sara, case.id, person(&case, child), agron, "2026-11-02")
            .await
            .unwrap();
    }
    for round in 0..3 {
        // Each round: one book in stock, two children, two hand-outs at once.
        s.app
            .change_workbook_stock(&pm, "poelkapelle", "nl", "set", "1")
            .await
            .unwrap();
        let case = if round == 0 {
            case.clone()
        } else {
            s.app.register_case(&sara, &input).await.unwrap()
        };
        if round > 0 {
            let agron = person(&case, "Agron");
            for child in ["Liridon", "Arta"] {
                s.app
                    .record_workbook_consent(
                        &sara,
                        case.id,
                        person(&case, child),
                        agron,
                        "2026-11-02",
                    )
                    .await
                    .unwrap();
            }
        }
        let (a, b) = (s.app.clone(), s.app.clone());
        let (sa, sb) = (sara.clone(), sara.clone());
        let (la, lb) = (person(&case, "Liridon"), person(&case, "Arta"));
        let id = case.id;
        let ta =
            tokio::spawn(async move { a.hand_out_workbook(&sa, id, la, "nl", "2026-11-20").await });
        let tb =
            tokio::spawn(async move { b.hand_out_workbook(&sb, id, lb, "nl", "2026-11-20").await });
        let results = [ta.await.unwrap(), tb.await.unwrap()];
        let ok = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(
            ok, 1,
            "round {round}: exactly one hand-out succeeds: {results:?}"
        );
        let refused = results.into_iter().find(|r| r.is_err()).unwrap();
        assert_eq!(codes(refused), vec!["out-of-stock"]);
        assert_eq!(s.db.store().stock_of("poelkapelle", "nl").await.unwrap(), 0);
        let handed = s.db.store().child_records(case.id).await.unwrap().handouts;
        assert_eq!(handed.len(), 1, "the refused hand-out left nothing behind");
    }
    s.stop().await;
}

#[tokio::test]
async fn the_workbook_rules_consent_age_and_stock_are_enforced() {
    let s = TestServer::start().await;
    let sara = s
        .account("sara@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let pm = s
        .account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    let other = s
        .account("bxl@x.org", Role::Counsellor, Some("brussel"), None)
        .await;
    let case = s.app.register_case(&sara, &miftari()).await.unwrap();
    let (dea, liridon, arta) = (
        person(&case, "Dea"),
        person(&case, "Liridon"),
        person(&case, "Arta"),
    );
    let (agron, shqipe) = (person(&case, "Agron"), person(&case, "Shqipe"));
    let hand = |who, day: &'static str| {
        let app = s.app.clone();
        let sara = sara.clone();
        async move { app.hand_out_workbook(&sara, case.id, who, "nl", day).await }
    };

    // No stock yet, no consent yet.
    assert_eq!(
        codes(hand(liridon, "2026-11-20").await),
        vec!["workbook-consent"]
    );
    // Only an adult parent consents.
    assert_eq!(
        codes(
            s.app
                .record_workbook_consent(&sara, case.id, liridon, dea, "2026-11-02")
                .await
        ),
        vec!["not-a-parent"]
    );
    s.app
        .record_workbook_consent(&sara, case.id, liridon, shqipe, "2026-11-02")
        .await
        .unwrap();
    assert_eq!(
        codes(hand(liridon, "2026-11-20").await),
        vec!["out-of-stock"]
    );
    // A location typed wrong is refused, never a new stock of its own.
    assert!(matches!(
        s.app
            .change_workbook_stock(&pm, "poelkapele", "nl", "add", "2")
            .await,
        Err(AppError::Invalid(e)) if e.0[0].field.as_deref() == Some("location")
    ));
    s.app
        .change_workbook_stock(&pm, "poelkapelle", "nl", "add", "2")
        .await
        .unwrap();
    // Another office's counsellor does not even see the case.
    assert!(matches!(
        s.app
            .hand_out_workbook(&other, case.id, liridon, "nl", "2026-11-20")
            .await,
        Err(AppError::NotFound)
    ));
    // A programme manager keeps stock but does not hand out.
    assert!(matches!(
        s.app
            .hand_out_workbook(&pm, case.id, liridon, "nl", "2026-11-20")
            .await,
        Err(AppError::Forbidden)
    ));
    hand(liridon, "2026-11-20").await.unwrap();
    assert!(matches!(
        hand(liridon, "2026-11-21").await,
        Err(AppError::Duplicate(_))
    ));
    assert_eq!(s.db.store().stock_of("poelkapelle", "nl").await.unwrap(), 1);

    // Dea: 13 on her 13th birthday (refused), 12 the day before (allowed): the window is by day.
    s.app
        .record_workbook_consent(&sara, case.id, dea, agron, "2026-09-01")
        .await
        .unwrap();
    assert_eq!(codes(hand(dea, "2026-09-21").await), vec!["workbook-age"]);
    assert_eq!(s.db.store().stock_of("poelkapelle", "nl").await.unwrap(), 1);
    hand(dea, "2026-09-20").await.unwrap();
    // Arta is 5: too young, consent or not.
    s.app
        .record_workbook_consent(&sara, case.id, arta, agron, "2026-11-02")
        .await
        .unwrap();
    assert_eq!(codes(hand(arta, "2026-11-20").await), vec!["workbook-age"]);
    // Never below zero.
    assert_eq!(s.db.store().stock_of("poelkapelle", "nl").await.unwrap(), 0);

    let view = s.app.children(&sara, case.id).await.unwrap();
    assert_eq!(view.children.len(), 3);
    let audit =
        s.db.store()
            .audit_for_case(case.id, None, 100)
            .await
            .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == "workbook.hand_out")
            .count(),
        2
    );
    s.stop().await;
}

#[tokio::test]
async fn best_interests_and_the_reception_check_gate_the_lifecycle() {
    let s = TestServer::start().await;
    let sara = s
        .account("sara@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let pm = s
        .account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    let auditor = s.account("audit@x.org", Role::Auditor, None, None).await;
    let case = s.app.register_case(&sara, &miftari()).await.unwrap();
    let step = |to, booking| TransitionRequest {
        outcome: None,
        to,
        reason: "next".into(),
        booking,
        on: None,
    };
    let assessed = s
        .app
        .transition(&sara, case.id, case.version, &step(Status::Assessed, None))
        .await
        .unwrap();
    let refused = s
        .app
        .transition(
            &pm,
            case.id,
            assessed.version,
            &step(Status::PlanApproved, None),
        )
        .await;
    match refused {
        Err(AppError::Invalid(e)) => {
            assert_eq!(e.codes(), vec!["best-interests-missing"]);
            let msg = retour_i18n::Lang::En.message(&e.0[0]);
            assert!(
                msg.contains("Dea Miftari, Liridon Miftari, Arta Miftari"),
                "{msg}"
            );
        }
        other => panic!("{other:?}"),
    }
    for child in ["Dea", "Liridon"] {
        s.app
            .record_best_interests(&sara, case.id, person(&case, child), &assessment())
            .await
            .unwrap();
    }
    // The auditor may not record (nor read) minors' welfare.
    assert!(s
        .app
        .record_best_interests(&auditor, case.id, person(&case, "Arta"), &assessment())
        .await
        .is_err());
    assert_eq!(
        s.app.best_interests_missing(&case).await.unwrap(),
        vec!["Arta Miftari".to_string()]
    );
    s.app
        .record_best_interests(&sara, case.id, person(&case, "Arta"), &assessment())
        .await
        .unwrap();
    let approved = s
        .app
        .transition(
            &pm,
            case.id,
            assessed.version,
            &step(Status::PlanApproved, None),
        )
        .await
        .unwrap();
    assert_eq!(approved.status, Status::PlanApproved);

    // Welfare texts: the counsellor reads them (audited), the auditor sees them withheld.
    let for_sara = s.app.children(&sara, case.id).await.unwrap();
    assert_eq!(
        for_sara.children[0]
            .best_interests
            .as_ref()
            .unwrap()
            .summary
            .as_deref(),
        Some("SECRET-BI-SUMMARY")
    );
    let for_auditor = s.app.children(&auditor, case.id).await.unwrap();
    let bi = for_auditor.children[0].best_interests.as_ref().unwrap();
    assert!(bi.summary.is_none() && bi.conclusion.is_none());
    let audit =
        s.db.store()
            .audit_for_case(case.id, None, 100)
            .await
            .unwrap();
    assert!(audit
        .iter()
        .any(|a| a.action == "sensitive.read" && a.detail.starts_with("minor_welfare")));
    assert!(audit.iter().all(|a| !a.detail.contains("SECRET")));

    // An unaccompanied minor: no departure booked before the guardian and reception check.
    let dea = person(&case, "Dea");
    s.app
        .record_vulnerability(
            &sara,
            case.id,
            dea,
            "unaccompanied_minor",
            "2026-11-01",
            "guardianship service",
            "",
        )
        .await
        .unwrap();
    // The plan is approved: the top-up waits for a programme manager's decision.
    let change = s.app.entitlement(&pm, case.id).await.unwrap().change;
    assert!(
        change.is_some_and(|c| c
            .lines
            .iter()
            .any(|l| l.rule == "topup.unaccompanied_minor")),
        "a review of the frozen entitlement is open"
    );
    let case2 = s.app.register_case(&sara, &miftari()).await.unwrap();
    let dea2 = person(&case2, "Dea");
    assert_eq!(
        codes(
            s.app
                .record_guardian(
                    &sara,
                    case2.id,
                    dea2,
                    &GuardianInput {
                        name: "Jan Peeters".into(),
                        organisation: "Dienst Voogdij".into(),
                        appointed_on: "2026-10-01".into(),
                    },
                )
                .await
        ),
        vec!["not-unaccompanied"]
    );
    s.app
        .record_vulnerability(
            &sara,
            case2.id,
            dea2,
            "unaccompanied_minor",
            "2026-11-01",
            "guardianship service",
            "",
        )
        .await
        .unwrap();
    let mut v = s
        .app
        .transition(
            &sara,
            case2.id,
            case2.version,
            &step(Status::Assessed, None),
        )
        .await
        .unwrap()
        .version;
    for child in ["Dea", "Liridon", "Arta"] {
        s.app
            .record_best_interests(&sara, case2.id, person(&case2, child), &assessment())
            .await
            .unwrap();
    }
    v = s
        .app
        .transition(&pm, case2.id, v, &step(Status::PlanApproved, None))
        .await
        .unwrap()
        .version;
    let booking = Some(DepartureBooking {
        date: s.app.today() + time::Duration::days(30),
        transport: retour_domain::lifecycle::Transport::Plane,
        travel_document: retour_domain::lifecycle::TravelDocumentStatus::Issued,
    });
    let refused = s
        .app
        .transition(&sara, case2.id, v, &step(Status::DepartureBooked, booking))
        .await;
    assert!(
        matches!(refused, Err(AppError::Invalid(ref e)) if e.codes() == ["reception-check-missing"]),
        "{refused:?}"
    );
    s.app
        .record_guardian(
            &sara,
            case2.id,
            dea2,
            &GuardianInput {
                name: "Jan Peeters".into(),
                organisation: "Dienst Voogdij".into(),
                appointed_on: "2026-10-01".into(),
            },
        )
        .await
        .unwrap();
    s.app
        .record_reception_check(
            &sara,
            case2.id,
            dea2,
            &ReceptionCheckInput {
                kind: "family_member".into(),
                description: "Her aunt in Ferizaj takes her in; visited by the IOM partner.".into(),
                checked_on: "2026-11-10".into(),
            },
        )
        .await
        .unwrap();
    let booked = s
        .app
        .transition(&sara, case2.id, v, &step(Status::DepartureBooked, booking))
        .await
        .unwrap();
    assert_eq!(booked.status, Status::DepartureBooked);
    s.stop().await;
}

#[tokio::test]
async fn a_social_worker_hands_the_workbook_to_liridon_and_is_refused_for_dea_in_a_real_browser() {
    let s = TestServer::start().await;
    let sara = s
        .account(
            "sara@poelkapelle.example",
            Role::Counsellor,
            Some("poelkapelle"),
            None,
        )
        .await;
    let pm = s
        .account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    s.app
        .change_workbook_stock(&pm, "poelkapelle", "nl", "add", "5")
        .await
        .unwrap();
    let case = s.app.register_case(&sara, &miftari()).await.unwrap();
    let axe = axe_source();
    let (_driver, c) = start_browser().await;
    c.goto(&s.url("/login")).await.unwrap();
    fill(&c, "#email", "sara@poelkapelle.example").await;
    fill(&c, "#password", PASSWORD).await;
    submit(&c, "form[action='/login'] button[type=submit]").await;
    wait_path(&c, "/home", |p| p == "/home").await;

    c.goto(&s.url(&format!("/cases/{}", case.id)))
        .await
        .unwrap();
    let page = html(&c).await;
    assert!(
        page.contains("Liridon Miftari (age 9): A parent's consent is missing."),
        "the case page says what is missing"
    );
    submit(&c, &format!("a[href='/cases/{}/children']", case.id)).await;
    check_accessibility(&c, &axe, "children page").await;

    // Consent for Liridon, given by his mother; then hand him the Dutch edition.
    let liridon = person(&case, "Liridon").to_string();
    let dea = person(&case, "Dea").to_string();
    let select = |css: &'static str, value: String| {
        let c = c.clone();
        async move {
            c.find(Locator::Css(css))
                .await
                .unwrap()
                .select_by_value(&value)
                .await
                .unwrap();
        }
    };
    select("#c-person", liridon.clone()).await;
    select("#c-parent", person(&case, "Shqipe").to_string()).await;
    submit(&c, "#c-submit").await;
    assert!(html(&c).await.contains("Given by Shqipe Miftari on"));
    select("#h-person", liridon).await;
    select("#h-edition", "nl".into()).await;
    submit(&c, "#h-submit").await;
    let after = html(&c).await;
    assert!(after.contains("Received on"), "Liridon has the book");
    assert!(
        after.contains("Stock at poelkapelle: Dutch 4"),
        "one taken from the stock"
    );
    screenshot(&c, "children-workbook").await;

    // Dea is 13: refused, and the page says why.
    select("#c-person", dea.clone()).await;
    submit(&c, "#c-submit").await;
    select("#h-person", dea).await;
    submit(&c, "#h-submit").await;
    let refused = html(&c).await;
    assert!(
        refused.contains("The child is 13 on that day: the workbook is for children aged 6 to 12."),
        "the refusal says why"
    );
    assert!(
        refused.contains("Stock at poelkapelle: Dutch 4"),
        "nothing taken"
    );
    check_accessibility(&c, &axe, "children page with a refusal").await;
    screenshot(&c, "children-refused").await;
    assert_eq!(s.db.store().stock_of("poelkapelle", "nl").await.unwrap(), 4);
    c.close().await.unwrap();
    s.stop().await;
}
