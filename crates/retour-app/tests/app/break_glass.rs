//! Break-glass access (both backends): a counsellor of another office opens a case with a
//! reason, reads it but changes nothing, opens its medical part separately; the case's
//! counsellor and the managers get a task and see who and why; the auditors' list has it; a case
//! with a trafficking victim refuses it without saying why; grants expire by themselves.

use super::*;
use retour_app::break_glass::{GlassRequest, GlassSettings};

fn request(reference: &str, what: &str, reason: &str) -> GlassRequest {
    GlassRequest {
        reference: reference.into(),
        what: what.into(),
        reason: reason.into(),
    }
}

const REASON: &str = "Collapsed at the Brussels desk; the ambulance asks for his medication";

#[tokio::test]
async fn a_counsellor_breaks_the_glass_on_a_case_of_another_office_and_everyone_is_told() {
    let (db, app) = app().await;
    let sara = account(
        &app,
        "sara@x.be",
        Role::Counsellor,
        Some("poelkapelle"),
        None,
    )
    .await;
    let jan = account(&app, "jan@x.be", Role::Counsellor, Some("brussel"), None).await;
    let pm = account(&app, "pm@x.be", Role::ProgrammeManager, None, None).await;
    let med = account(&app, "med@x.be", Role::MedicalAdvisor, None, None).await;
    let auditor = account(&app, "audit@x.be", Role::Auditor, None, None).await;
    app.create_partner_org(&pm, "iom-xk", "IOM Kosovo", "iom", &["XK".into()])
        .await
        .unwrap();
    let partner = account(
        &app,
        "p@x.be",
        Role::PartnerCaseworker,
        None,
        Some("iom-xk"),
    )
    .await;
    let relaxed = app.clone().with_mfa_roles(vec![]);

    let mut h = bah();
    h.office = "brussel".into();
    let case = app.register_case(&jan, &h).await.unwrap();
    app.add_note(&med, case.id, Sensitivity::Medical, "insulin, twice a day")
        .await
        .unwrap();
    let reference = case.reference.to_string();

    // Sara, at her own desk, signs in: the Brussels case is not hers to see.
    let session = signed_in(relaxed.sign_in("sara@x.be", PASSWORD, HOME).await);
    let sara_now = |app: &App| {
        let app = app.clone();
        let token = session.token.clone();
        async move { app.session(&token).await.unwrap().unwrap().actor }
    };
    assert!(matches!(
        app.case_view(&sara_now(&app).await, case.id).await,
        Err(AppError::NotFound)
    ));

    // A reason of a few words, an unknown reference, a made-up class: each said at its field.
    let Err(AppError::Invalid(e)) = app
        .open_break_glass(&sara, &request("R-2026-999999", "everything", "urgent"))
        .await
    else {
        panic!("refused");
    };
    let fields: Vec<_> = e.0.iter().filter_map(|e| e.field.clone()).collect();
    assert_eq!(fields, ["reason", "what", "reference"], "{e:?}");

    // Partners and auditors may not break the glass; a case one reads already needs none.
    assert!(matches!(
        app.open_break_glass(&partner, &request(&reference, "case", REASON))
            .await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        app.open_break_glass(&auditor, &request(&reference, "case", REASON))
            .await,
        Err(AppError::Forbidden)
    ));
    let Err(AppError::Invalid(e)) = app
        .open_break_glass(&jan, &request(&reference, "case", REASON))
        .await
    else {
        panic!("refused");
    };
    assert_eq!(e.codes(), ["break-glass-already"]);

    // Opened: Sara reads the case, not its medical part, and changes nothing.
    let opened = app
        .open_break_glass(&sara, &request(&reference, "case", REASON))
        .await
        .unwrap();
    assert_eq!(opened, case.id);
    let sara_glass = sara_now(&app).await;
    let view = app.case_view(&sara_glass, case.id).await.unwrap();
    assert!(view
        .notes
        .iter()
        .all(|n| n.sensitivity != Sensitivity::Medical || n.body.is_none()));
    let mut changed = retour_domain::HouseholdInput::from_household(&case.household);
    changed.destination_place = "Kankan".into();
    assert!(app
        .update_household(&sara_glass, case.id, case.version, &changed)
        .await
        .is_err());
    // The medical part is a grant of its own.
    app.open_break_glass(&sara, &request(&reference, "medical", REASON))
        .await
        .unwrap();
    let view = app.case_view(&sara_now(&app).await, case.id).await.unwrap();
    assert!(view
        .notes
        .iter()
        .any(|n| n.body.as_deref() == Some("insulin, twice a day")));

    // The case's counsellor and the managers are told (a task), and see who and why.
    for who in [&jan, &pm] {
        let tasks = app.tasks(who, None, 50).await.unwrap();
        assert!(
            tasks
                .iter()
                .any(|t| t.kind == "break_glass" && t.case_id == case.id),
            "{:?} has the task",
            who.role
        );
        let grants = app.break_glass_on_case(who, &case).await.unwrap();
        assert_eq!(grants.len(), 2);
        assert_eq!(grants[0].reason, REASON, "decrypted for them");
        assert_eq!(grants[0].user_name, "sara@x.be");
    }
    assert!(app
        .break_glass_on_case(&sara_glass, &case)
        .await
        .unwrap()
        .is_empty());
    let listed = app.recent_break_glass(&auditor, None, 10).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|g| g.running && g.reference == reference));
    assert!(matches!(
        app.recent_break_glass(&sara, None, 10).await,
        Err(AppError::Forbidden)
    ));
    let stored = db.store.grants_on_case(case.id).await.unwrap();
    assert!(
        stored.iter().all(|g| g.reason.starts_with("v2:")),
        "encrypted"
    );

    // A trafficking victim's case refuses it, and the refusal does not say why.
    let victim = app
        .register_case(&jan, &{
            let mut h = miftari();
            h.office = "brussel".into();
            h
        })
        .await
        .unwrap();
    app.record_vulnerability(
        &jan,
        victim.id,
        victim.household.members[1].person.id,
        "trafficking_victim",
        "2026-10-01",
        "shelter",
        "identified by the police",
    )
    .await
    .unwrap();
    let Err(AppError::Invalid(e)) = app
        .open_break_glass(
            &sara,
            &request(&victim.reference.to_string(), "case", REASON),
        )
        .await
    else {
        panic!("refused");
    };
    assert_eq!(e.codes(), ["break-glass-closed"]);

    // A grant ends by itself: with no hours left, it opens nothing.
    let brief = app.clone().with_break_glass(GlassSettings {
        hours: 0,
        ..GlassSettings::default()
    });
    let other = account(&app, "els@x.be", Role::Counsellor, Some("liege"), None).await;
    let els = signed_in(relaxed.sign_in("els@x.be", PASSWORD, HOME).await);
    brief
        .open_break_glass(&other, &request(&reference, "case", REASON))
        .await
        .unwrap();
    let els_actor = app.session(&els.token).await.unwrap().unwrap().actor;
    assert!(matches!(
        app.case_view(&els_actor, case.id).await,
        Err(AppError::NotFound)
    ));
    let actions: Vec<String> = db
        .store
        .audit_for_case(case.id, None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(
        actions.iter().filter(|a| *a == "break_glass.open").count(),
        3,
        "{actions:?}"
    );
    db.finish().await;
}
