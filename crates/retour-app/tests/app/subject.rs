//! Subject access: the data-protection officer exports everything held about one person: their
//! data, the case, decisions with their rules, special-category parts decrypted, and who read
//! them when; never another member's data; audited; refused to everyone else (both backends).

use super::*;

#[tokio::test]
async fn a_subject_export_holds_everything_about_the_person_and_who_read_it() {
    let (db, app) = app().await;
    app.ensure_reference_policy().await.unwrap();
    let c = account(&app, "c@x.be", Role::Counsellor, Some("poelkapelle"), None).await;
    let med = account(&app, "m@x.be", Role::MedicalAdvisor, None, None).await;
    let dpo = account(&app, "dpo@x.be", Role::DataProtectionOfficer, None, None).await;
    let case = app.register_case(&c, &miftari()).await.unwrap();
    let principal = case.household.members[0].person.clone();
    app.add_note(&med, case.id, Sensitivity::Medical, "insulin twice a day")
        .await
        .unwrap();
    app.add_note(&c, case.id, Sensitivity::General, "prefers mornings")
        .await
        .unwrap();
    // The medical advisor reads the case: a read of a special-category part.
    app.case_view(&med, case.id).await.unwrap();

    let x = app.subject_export(&dpo, principal.id).await.unwrap();
    assert_eq!(x.person, principal);
    assert_eq!(x.case.reference, case.reference);
    assert_eq!(x.case.household.members.len(), 1, "only the subject");
    assert_eq!(x.other_members.len(), case.household.members.len() - 1);
    let bodies: Vec<_> = x.notes.iter().filter_map(|n| n.body.clone()).collect();
    assert!(
        bodies.contains(&"insulin twice a day".to_string()),
        "{bodies:?}"
    );
    assert!(bodies.contains(&"prefers mornings".to_string()));
    assert!(
        x.entitlement.policy.is_some(),
        "the policy version is named"
    );
    assert!(!x.entitlement.lines.is_empty());
    for line in &x.entitlement.lines {
        assert_eq!(line.member, principal.full_name());
        assert!(!line.rule.is_empty(), "each amount names its rule");
        assert!(line.amount.is_some());
    }
    assert!(
        x.accesses
            .iter()
            .any(|e| e.action == "sensitive.read" && e.actor_id == Some(med.id)),
        "the medical advisor's read is listed"
    );
    assert!(x
        .accesses
        .iter()
        .any(|e| e.action == "subject.export" && e.actor_id == Some(dpo.id)));

    // Nothing of the other members: their names appear nowhere in the export.
    let json = serde_json::to_string(&x).unwrap();
    for m in &case.household.members[1..] {
        assert!(
            !json.contains(&m.person.given_names),
            "{} leaked",
            m.person.given_names
        );
    }

    // A child's export holds their own record.
    let child = &case.household.members[2].person;
    let cx = app.subject_export(&dpo, child.id).await.unwrap();
    assert_eq!(cx.person.id, child.id);
    assert!(cx.child.is_some());

    // Refused to everyone else, and unknown people are not found.
    for other in [&c, &med] {
        assert!(matches!(
            app.subject_export(other, principal.id).await,
            Err(AppError::Forbidden)
        ));
    }
    assert!(matches!(
        app.subject_export(&dpo, uuid::Uuid::now_v7()).await,
        Err(AppError::NotFound)
    ));
    // The officer reads, never writes.
    assert!(app
        .add_note(&dpo, case.id, Sensitivity::General, "x")
        .await
        .is_err());
    db.finish().await;
}
