//! Retention (both backends): what is due is erased and nothing else; a dry run changes
//! nothing; a second run finds nothing left; a pseudonymised person who applies again is still
//! recognised as a prior beneficiary, by their keyed hash; the audit chain still verifies.

use super::*;
use retour_domain::policy::RetentionRules;
use time::Duration;

#[tokio::test]
async fn retention_erases_what_is_due_and_the_prior_beneficiary_is_still_recognised() {
    let (db, app) = app().await;
    app.ensure_reference_policy().await.unwrap();
    let c = account(&app, "c@x.be", Role::Counsellor, Some("poelkapelle"), None).await;
    let med = account(&app, "m@x.be", Role::MedicalAdvisor, None, None).await;
    let today = app.today();
    let rules = RetentionRules {
        notes_years: Some(1),
        identity_years: Some(1),
        proofs_years: Some(1),
    };

    // Ended two years ago, supported then: due in every category.
    let old = app.register_case(&c, &miftari()).await.unwrap();
    let agron = old.household.members[0].person.clone();
    app.add_note(&med, old.id, Sensitivity::Medical, "insulin twice a day")
        .await
        .unwrap();
    app.add_note(&c, old.id, Sensitivity::General, "prefers mornings")
        .await
        .unwrap();
    app.record_vulnerability(
        &c,
        old.id,
        agron.id,
        "complex_medical",
        "2024-10-01",
        "Dr Peeters, Ieper",
        "dialysis three times a week",
    )
    .await
    .unwrap();
    let supported = today - Duration::days(2 * 365);
    db.store
        .record_premium(
            &retour_store::PremiumPayment {
                case_id: old.id,
                amount_cents: 35_000,
                paid_on: supported,
                recorded_by: c.id,
                recorded_at: time::OffsetDateTime::now_utc(),
            },
            &retour_store::Audit::new(None, "test.history"),
        )
        .await
        .unwrap();
    let withdraw = |_: &retour_domain::Case| TransitionRequest {
        to: Status::Withdrawn,
        reason: "returned on his own".into(),
        booking: None,
        on: None,
        outcome: None,
    };
    app.transition(&c, old.id, old.version, &withdraw(&old))
        .await
        .unwrap();
    db.store
        .set_ended_on(old.id, supported + Duration::days(1))
        .await
        .unwrap();
    // Ended half a year ago: not due yet. Still open: never due.
    let recent = app.register_case(&c, &bah()).await.unwrap();
    app.add_note(
        &c,
        recent.id,
        Sensitivity::General,
        "lives with his brother",
    )
    .await
    .unwrap();
    app.transition(&c, recent.id, recent.version, &withdraw(&recent))
        .await
        .unwrap();
    db.store
        .set_ended_on(recent.id, today - Duration::days(180))
        .await
        .unwrap();
    let open = app
        .register_case(&c, &{
            let mut h = bah();
            h.members[0].person.given_names = "Ousmane".into();
            h
        })
        .await
        .unwrap();
    app.add_note(&c, open.id, Sensitivity::General, "awaiting a passport")
        .await
        .unwrap();

    // A dry run says what is due and changes nothing.
    let dry = app
        .apply_retention(rules, today, true, |_, _| {})
        .await
        .unwrap();
    assert_eq!((dry.notes, dry.identities, dry.proofs), (1, 1, 1));
    assert_eq!(app.case_view(&med, old.id).await.unwrap().notes.len(), 2);

    let done = app
        .apply_retention(rules, today, false, |_, _| {})
        .await
        .unwrap();
    assert_eq!((done.notes, done.identities, done.proofs), (1, 1, 1));
    // The old case: notes gone, names gone, the birth year and the facts kept.
    let view = app.case_view(&med, old.id).await.unwrap();
    assert!(view.notes.is_empty(), "notes deleted");
    let members = &view.case.household.members;
    assert_eq!(
        members.len(),
        old.household.members.len(),
        "the household stays"
    );
    assert!(members.iter().all(|m| m.person.family_name.is_empty()
        && m.person.given_names.is_empty()
        && m.person.other_names.is_empty()));
    assert_eq!(
        members[0].person.birth_date.date().year(),
        agron.birth_date.date().year()
    );
    assert_eq!(view.case.household.destination_country.as_str(), "XK");
    let search = |q: &str| {
        let app = app.clone();
        let c = c.clone();
        let q = q.to_string();
        async move {
            app.search(
                &c,
                &retour_app::search::SearchInput {
                    q,
                    birth_year: None,
                    nationality: None,
                    after: None,
                },
            )
            .await
            .unwrap()
            .hits
            .len()
        }
    };
    assert_eq!(search("Miftari").await, 0, "no name left to find");
    assert_eq!(search("Bah").await, 2, "the others untouched");
    // The cases not due keep everything.
    assert_eq!(app.case_view(&c, recent.id).await.unwrap().notes.len(), 1);
    assert_eq!(app.case_view(&c, open.id).await.unwrap().notes.len(), 1);
    // Nothing left to do.
    let again = app
        .apply_retention(rules, today, false, |_, _| {})
        .await
        .unwrap();
    assert_eq!((again.notes, again.identities, again.proofs), (0, 0, 0));

    // Agron applies again: recognised as a prior beneficiary by his keyed hash, no name shown.
    let mut input = miftari();
    input.members.truncate(1);
    input.members[0].person.given_names = "AGRON".into();
    let matches = app.registration_matches(&c, &input).await.unwrap();
    let prior: Vec<_> = matches.iter().filter(|m| m.case_id == old.id).collect();
    assert_eq!(prior.len(), 1, "{matches:?}");
    assert_eq!(prior[0].prior_support_on, Some(supported));
    assert!(prior[0].name.is_none());

    // Written to the audit trail, and the chain still verifies.
    let actions: Vec<String> = db
        .store
        .audit_for_case(old.id, None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    for a in ["retention.notes", "retention.identity", "retention.proofs"] {
        assert!(actions.contains(&a.to_string()), "{a}: {actions:?}");
    }
    let (_, head) = app.seal_audit().await.unwrap();
    let v = app.verify_audit(head, |_| {}).await.unwrap();
    assert!(v.broken.is_none(), "{:?}", v.broken);
    db.finish().await;
}
