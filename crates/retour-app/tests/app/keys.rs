//! Data keys: every ciphertext is bound to its row, the source of a vulnerability is encrypted,
//! and a rotation interrupted half-way is finished by running it again, with every value
//! readable throughout (both backends).

use super::*;
use retour_app::keys::Refusal;
use std::time::Duration;

/// An app whose keys live in a file (rotation adds to it), and the file's folder.
async fn app_with_key_file() -> (TestDb, App, tempfile::TempDir) {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let cipher = FieldCipher::load(None, &dir.path().join("retour.key")).unwrap();
    let app = App::new(db.store.clone(), cipher);
    app.ensure_offices(retour_app::demo::DEMO_OFFICES)
        .await
        .unwrap();
    (db, app, dir)
}

/// A case with one vulnerability (a source and evidence) and one medical need per household.
async fn cases_with_secrets(app: &App, n: usize) -> (Actor, Actor, Vec<uuid::Uuid>) {
    let c = account(app, "c@x.be", Role::Counsellor, Some("poelkapelle"), None).await;
    let med = account(app, "m@x.be", Role::MedicalAdvisor, None, None).await;
    let mut ids = Vec::new();
    for i in 0..n {
        let case = app.register_case(&c, &bah()).await.unwrap();
        let person = case.household.members[0].person.id;
        app.record_vulnerability(
            &c,
            case.id,
            person,
            "complex_medical",
            "2026-10-01",
            &format!("Dr. Janssens, consult {i}"),
            &format!("dialysis needed {i}"),
        )
        .await
        .unwrap();
        app.record_medical_need(
            &med,
            case.id,
            &retour_app::entitlements::NeedInput {
                person_id: person,
                label: format!("dialysis sessions {i}"),
                frequency: "monthly".to_string(),
                amount_eur: "800".to_string(),
                style: retour_domain::NumberStyle::Plain,
            },
        )
        .await
        .unwrap();
        ids.push(case.id);
    }
    (c, med, ids)
}

/// What the medical advisor reads of case `i`: source, evidence and the need's label.
async fn secrets(app: &App, med: &Actor, case_id: uuid::Uuid) -> (String, String, String) {
    let e = app.entitlement(med, case_id).await.unwrap();
    let v = &e.vulnerabilities[0];
    let label = e.medical_items.unwrap()[0].label.clone();
    (
        v.source.clone().unwrap(),
        v.evidence.clone().unwrap(),
        label,
    )
}

fn expected(i: usize) -> (String, String, String) {
    (
        format!("Dr. Janssens, consult {i}"),
        format!("dialysis needed {i}"),
        format!("dialysis sessions {i}"),
    )
}

#[tokio::test]
async fn the_source_is_encrypted_and_a_ciphertext_copied_to_another_row_does_not_open() {
    let (db, app) = app().await;
    let (_, med, ids) = cases_with_secrets(&app, 2).await;
    let stored = db.store.vulnerabilities(ids[0]).await.unwrap();
    assert!(
        stored[0].source.starts_with("v2:k1:"),
        "{}",
        stored[0].source
    );
    assert!(!stored[0].source.contains("Janssens"));
    assert!(!stored[0].evidence.contains("dialysis"));
    assert_eq!(secrets(&app, &med, ids[1]).await, expected(1));

    // Someone with write access to the database moves the first case's evidence onto the second.
    let refs: Vec<String> = {
        let mut r = Vec::new();
        for id in &ids {
            r.push(app.case(&med, *id).await.unwrap().reference.to_string());
        }
        r
    };
    db.store
        .execute_admin(&format!(
            "UPDATE vulnerabilities SET evidence = (SELECT v.evidence FROM vulnerabilities v \
             JOIN cases c ON c.id = v.case_id WHERE c.reference = '{}') \
             WHERE case_id = (SELECT id FROM cases WHERE reference = '{}')",
            refs[0], refs[1]
        ))
        .await
        .unwrap();
    let moved = db.store.vulnerabilities(ids[1]).await.unwrap();
    assert_eq!(moved[0].evidence, stored[0].evidence, "the same ciphertext");
    match app.entitlement(&med, ids[1]).await {
        Err(AppError::Internal(why)) => assert!(why.contains("vulnerabilities.evidence"), "{why}"),
        other => panic!("a moved ciphertext was read: {other:?}"),
    }
    // Its own row still opens it.
    assert_eq!(secrets(&app, &med, ids[0]).await, expected(0));

    // Rotation replaces a value only if it is still the one it read: a write made meanwhile
    // (here: the value is no longer "stale") is kept.
    let row = retour_store::RowKey::id(stored[0].id);
    let stale = retour_store::Reseal {
        row,
        old: "stale".into(),
        new: "overwritten".into(),
    };
    assert_eq!(
        db.store
            .reseal(retour_store::Sealed::VulnerabilityEvidence, &[stale])
            .await
            .unwrap(),
        0
    );
    assert_eq!(secrets(&app, &med, ids[0]).await, expected(0));
}

#[tokio::test]
async fn a_rotation_interrupted_half_way_is_finished_by_running_it_again() {
    let (db, app, dir) = app_with_key_file().await;
    let (_, med, ids) = cases_with_secrets(&app, 4).await;
    // A source written before sources were encrypted.
    let reference = app.case(&med, ids[3]).await.unwrap().reference.to_string();
    db.store
        .execute_admin(&format!(
            "UPDATE vulnerabilities SET source = 'Dr. Janssens, consult 3' \
             WHERE case_id = (SELECT id FROM cases WHERE reference = '{reference}')"
        ))
        .await
        .unwrap();
    assert_eq!(secrets(&app, &med, ids[3]).await, expected(3));
    let before = app.key_status().await.unwrap();
    // 4 sources (one in the clear), 4 evidence notes, 4 labels.
    assert_eq!(before.keys, vec![("k1".to_string(), 11)]);
    assert_eq!((before.legacy, before.clear, before.pending()), (0, 1, 1));

    // The rotation dies after re-encrypting three values (a crash, a kill).
    let rotating = app.clone();
    let crashed = tokio::spawn(async move {
        rotating
            .rotate_keys(1, Duration::ZERO, |done, _| {
                if done >= 3 {
                    panic!("interrupted on purpose");
                }
            })
            .await
    })
    .await;
    assert!(crashed.is_err(), "the rotation was interrupted");
    let half = app.key_status().await.unwrap();
    assert_eq!(app.key_status().await.unwrap(), half);
    assert_eq!(half.keys.len(), 2, "{half:?}");
    assert_eq!(half.keys[1], ("k2".to_string(), 3));
    assert_eq!(half.pending(), 12 - 3);
    // Half-way, every value is readable: some under k1, some under k2.
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(secrets(&app, &med, *id).await, expected(i));
    }
    // Another process (a server started now) reads the new key from the file.
    let other = App::new(
        db.store.clone(),
        FieldCipher::load(None, &dir.path().join("retour.key")).unwrap(),
    );
    assert_eq!(secrets(&other, &med, ids[0]).await, expected(0));

    // Run again: the same rotation is finished, no third key.
    let mut seen = Vec::new();
    let r = app
        .rotate_keys(2, Duration::ZERO, |done, total| seen.push((done, total)))
        .await
        .unwrap();
    assert_eq!((r.key.as_str(), r.added, r.resealed), ("k2", false, 9));
    assert_eq!(seen.last(), Some(&(9, 9)));
    let after = app.key_status().await.unwrap();
    assert_eq!(
        after.keys,
        vec![("k1".to_string(), 0), ("k2".to_string(), 12)]
    );
    assert_eq!(after.pending(), 0);
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(secrets(&app, &med, *id).await, expected(i));
        assert_eq!(secrets(&other, &med, *id).await, expected(i));
    }
    let stored = db.store.vulnerabilities(ids[3]).await.unwrap();
    assert!(
        stored[0].source.starts_with("v2:k2:"),
        "the clear source is encrypted"
    );

    // k1 derives the pseudonyms and seals; k2 encrypts. A later rotation frees k2.
    assert_eq!(app.retire_key("k1").await.unwrap(), Err(Refusal::First));
    assert_eq!(app.retire_key("k2").await.unwrap(), Err(Refusal::Active));
    assert_eq!(app.retire_key("k9").await.unwrap(), Err(Refusal::Unknown));
    let r = app
        .rotate_keys(100, Duration::ZERO, |_, _| {})
        .await
        .unwrap();
    assert_eq!((r.key.as_str(), r.added, r.resealed), ("k3", true, 12));
    app.retire_key("k2").await.unwrap().unwrap();
    let last = app.key_status().await.unwrap();
    assert_eq!(
        last.keys,
        vec![("k1".to_string(), 0), ("k3".to_string(), 12)]
    );
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(secrets(&app, &med, *id).await, expected(i));
    }

    // Every step is in the audit trail, and the trail still verifies.
    let trail = app
        .audit(None, &Default::default(), None, 100)
        .await
        .unwrap();
    let actions: Vec<&str> = trail
        .items
        .iter()
        .map(|e| e.action.as_str())
        .filter(|a| a.starts_with("keys."))
        .collect();
    assert_eq!(
        actions,
        vec![
            "keys.retire",
            "keys.rotate",
            "keys.rotate",
            "keys.rotate",
            "keys.rotate",
            "keys.rotate"
        ]
    );
    app.seal_audit().await.unwrap();
    assert_eq!(app.verify_audit(None, |_| {}).await.unwrap().broken, None);
}

#[tokio::test]
async fn a_value_written_with_a_key_another_process_just_added_is_read() {
    let (db, app, dir) = app_with_key_file().await;
    let (c, med, ids) = cases_with_secrets(&app, 1).await;
    // A second process rotates; the first learns the key when it meets a value it made.
    let cli = App::new(
        db.store.clone(),
        FieldCipher::load(None, &dir.path().join("retour.key")).unwrap(),
    );
    cli.rotate_keys(50, Duration::ZERO, |_, _| {})
        .await
        .unwrap();
    assert_eq!(secrets(&app, &med, ids[0]).await, expected(0));
    // And writes with it once it has reread the file.
    app.reload_keys().unwrap();
    let case = app.register_case(&c, &bah()).await.unwrap();
    let person = case.household.members[0].person.id;
    app.record_vulnerability(
        &c,
        case.id,
        person,
        "complex_medical",
        "2026-10-01",
        "Dr. Peeters",
        "insulin",
    )
    .await
    .unwrap();
    let stored = db.store.vulnerabilities(case.id).await.unwrap();
    assert!(
        stored[0].evidence.starts_with("v2:k2:"),
        "{}",
        stored[0].evidence
    );
}

/// Records keyed by case and person (a child's best-interests assessment): rotated in batches
/// that walk both keys, readable afterwards, and a summary moved to the sibling's row refused.
#[tokio::test]
async fn per_person_records_are_rotated_and_bound_to_their_child() {
    let (db, app, _dir) = app_with_key_file().await;
    let c = account(&app, "c@x.be", Role::Counsellor, Some("poelkapelle"), None).await;
    let mut children = Vec::new();
    for _ in 0..2 {
        let case = app.register_case(&c, &miftari()).await.unwrap();
        for m in &case.household.members[2..] {
            let summary = format!("summary for {}", m.person.id);
            app.record_best_interests(
                &c,
                case.id,
                m.person.id,
                &retour_domain::children::BestInterestsInput {
                    assessed_on: retour_domain::dates::format_date(app.today()),
                    assessed_by: "Sara".into(),
                    consulted_parents: true,
                    consulted_guardian: false,
                    consulted_child: true,
                    consulted_names: "the parents".into(),
                    summary: summary.clone(),
                    conclusion: "stays with the family".into(),
                },
            )
            .await
            .unwrap();
            children.push((case.id, m.person.id, summary));
        }
    }
    assert!(children.len() >= 4, "two households with children");
    let summaries = |app: App| {
        let children = children.clone();
        let c = c.clone();
        async move {
            for (case_id, person_id, summary) in &children {
                let v = app.children(&c, *case_id).await.unwrap();
                let child = v
                    .children
                    .iter()
                    .find(|x| x.person_id == *person_id)
                    .unwrap();
                let b = child.best_interests.as_ref().unwrap();
                assert_eq!(b.summary.as_deref(), Some(summary.as_str()));
                assert_eq!(b.consulted_names.as_deref(), Some("the parents"));
            }
        }
    };
    // Batches of one value: every page boundary falls between persons of one case.
    let r = app.rotate_keys(1, Duration::ZERO, |_, _| {}).await.unwrap();
    assert_eq!(r.key, "k2");
    assert!(r.resealed >= 3 * children.len() as u64, "{r:?}");
    assert_eq!(app.key_status().await.unwrap().under_older_keys(), 0);
    summaries(app.clone()).await;

    // The first child's summary copied onto the second child of the same case.
    let (case_id, first, _) = children[0].clone();
    let second = children[1].1;
    let hex = |u: uuid::Uuid| u.simple().to_string();
    let (a, b, k) = (hex(first), hex(second), hex(case_id));
    let sql = match db.store.backend() {
        retour_store::Backend::Sqlite => format!(
            "UPDATE best_interests SET summary = (SELECT summary FROM best_interests \
             WHERE person_id = x'{a}') WHERE person_id = x'{b}' AND case_id = x'{k}'"
        ),
        retour_store::Backend::Postgres => format!(
            "UPDATE best_interests SET summary = (SELECT summary FROM best_interests \
             WHERE person_id = '{a}') WHERE person_id = '{b}' AND case_id = '{k}'"
        ),
    };
    db.store.execute_admin(&sql).await.unwrap();
    match app.children(&c, case_id).await {
        Err(AppError::Internal(why)) => assert!(why.contains("best_interests.summary"), "{why}"),
        other => panic!("a summary moved to another child was read: {other:?}"),
    }
}
