//! The audit trail shows tampering: every kind of change someone with write access to the
//! database could make (edit, delete, insert, swap, cutting off the newest records) is named
//! at its record number. On both backends the application's own statements cannot change or
//! delete a record at all.

use super::*;
use retour_app::audit::chain::{Break, Head};

/// A trail of a few records (accounts, registrations, a note), all numbered.
async fn sealed_trail() -> (TestDb, App, Head) {
    let (db, app, head, _) = sealed_trail_by().await;
    (db, app, head)
}

/// The same, and the counsellor who wrote it.
async fn sealed_trail_by() -> (TestDb, App, Head, Actor) {
    let (db, app) = app().await;
    let c = account(&app, "c@x.be", Role::Counsellor, Some("poelkapelle"), None).await;
    account(&app, "pm@x.be", Role::ProgrammeManager, None, None).await;
    let case = app.register_case(&c, &miftari()).await.unwrap();
    app.register_case(&c, &bah()).await.unwrap();
    app.add_note(&c, case.id, Sensitivity::General, "Gesprek gehad")
        .await
        .unwrap();
    let (n, head) = app.seal_audit().await.unwrap();
    let head = head.expect("a head");
    assert!(n >= 4, "{n} records");
    assert_eq!(head.seq as u64, n);
    (db, app, head, c)
}

async fn broken(app: &App, checkpoint: Option<Head>) -> Option<Break> {
    app.verify_audit(checkpoint, |_| {}).await.unwrap().broken
}

/// A new record id in SQL, for each backend.
fn new_id(db: &TestDb) -> &'static str {
    match db.store.backend() {
        retour_store::Backend::Sqlite => "randomblob(16)",
        retour_store::Backend::Postgres => "gen_random_uuid()",
    }
}

#[tokio::test]
async fn an_untouched_trail_verifies_and_new_records_wait_for_their_number() {
    let (db, app, head, c) = sealed_trail_by().await;
    let v = app.verify_audit(Some(head), |_| {}).await.unwrap();
    assert_eq!(v.broken, None);
    assert_eq!(v.checked, head.seq as u64);
    assert_eq!(v.head, Some(head));
    assert_eq!(v.pending, 0);

    // Sealing again numbers nothing; a new record waits, intact, until the next sealing.
    assert_eq!(app.seal_audit().await.unwrap(), (0, Some(head)));
    app.register_case(&c, &bah()).await.unwrap();
    let v = app.verify_audit(Some(head), |_| {}).await.unwrap();
    assert_eq!((v.broken, v.pending_bad.len()), (None, 0));
    assert!(v.pending >= 1);
    let (n, new_head) = app.seal_audit().await.unwrap();
    assert_eq!(
        (n, new_head.unwrap().seq),
        (v.pending, head.seq + v.pending as i64)
    );
    let v = app.verify_audit(new_head, |_| {}).await.unwrap();
    assert_eq!((v.broken, v.pending), (None, 0));
    db.finish().await;
}

#[tokio::test]
async fn the_application_cannot_change_or_delete_a_record() {
    let (db, app, head) = sealed_trail().await;
    for sql in [
        "UPDATE audit_log SET detail = 'x' WHERE seq = 2",
        "UPDATE audit_log SET seq = 99 WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 2",
        "DELETE FROM audit_log",
    ] {
        assert!(
            db.store.execute_admin(sql).await.is_err(),
            "{sql} went through"
        );
    }
    if db.store.backend() == retour_store::Backend::Postgres {
        assert!(db.store.execute_admin("TRUNCATE audit_log").await.is_err());
    }
    assert_eq!(broken(&app, Some(head)).await, None);
    db.finish().await;
}

#[tokio::test]
async fn every_kind_of_tampering_is_named_at_its_record() {
    // Edited: a record's text changed.
    let (db, app, head) = sealed_trail().await;
    db.store
        .execute_past_audit_guard("UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 2")
        .await
        .unwrap();
    assert_eq!(
        broken(&app, Some(head)).await,
        Some(Break::Edited { seq: 2 })
    );
    db.finish().await;

    // Edited: who acted.
    let (db, app, head) = sealed_trail().await;
    db.store
        .execute_past_audit_guard("UPDATE audit_log SET actor_id = NULL WHERE seq = 3")
        .await
        .unwrap();
    assert_eq!(
        broken(&app, Some(head)).await,
        Some(Break::Edited { seq: 3 })
    );
    db.finish().await;

    // Deleted: a record in the middle.
    let (db, app, head) = sealed_trail().await;
    db.store
        .execute_past_audit_guard("DELETE FROM audit_log WHERE seq = 2")
        .await
        .unwrap();
    assert_eq!(
        broken(&app, Some(head)).await,
        Some(Break::Deleted { from: 2, to: 2 })
    );
    db.finish().await;

    // Inserted: a copy of a genuine record, with its seal and link, as a new number.
    let (db, app, head) = sealed_trail().await;
    let next = head.seq + 1;
    db.store
        .execute_past_audit_guard(&format!(
            "INSERT INTO audit_log (id, at, actor_id, action, case_id, detail, seal, seq, link) \
             SELECT {}, at, actor_id, action, case_id, 'forged', seal, {next}, link FROM audit_log WHERE seq = 2",
            new_id(&db)
        ))
        .await
        .unwrap();
    assert_eq!(
        broken(&app, Some(head)).await,
        Some(Break::Inserted { seq: next })
    );
    db.finish().await;

    // Inserted: a record not numbered yet that Retour did not seal.
    let (db, app, head) = sealed_trail().await;
    db.store
        .execute_past_audit_guard(&format!(
            "INSERT INTO audit_log (id, at, actor_id, action, case_id, detail, seal) \
             SELECT {}, at, actor_id, action, case_id, 'forged', seal FROM audit_log WHERE seq = 2",
            new_id(&db)
        ))
        .await
        .unwrap();
    let v = app.verify_audit(Some(head), |_| {}).await.unwrap();
    assert_eq!((v.broken, v.pending, v.pending_bad.len()), (None, 1, 1));
    // Numbering it does not make it genuine.
    app.seal_audit().await.unwrap();
    assert_eq!(
        broken(&app, Some(head)).await,
        Some(Break::Inserted { seq: head.seq + 1 })
    );
    db.finish().await;

    // Reordered: two records swap their numbers.
    let (db, app, head) = sealed_trail().await;
    db.store
        .execute_past_audit_guard(
            "UPDATE audit_log SET seq = -1 WHERE seq = 2; \
             UPDATE audit_log SET seq = 2 WHERE seq = 3; \
             UPDATE audit_log SET seq = 3 WHERE seq = -1",
        )
        .await
        .unwrap();
    assert_eq!(
        broken(&app, Some(head)).await,
        Some(Break::Reordered { seq: 2 })
    );
    db.finish().await;

    // Cut off: the two newest records deleted. The chain alone cannot tell; the checkpoint can.
    let (db, app, head) = sealed_trail().await;
    db.store
        .execute_past_audit_guard(&format!(
            "DELETE FROM audit_log WHERE seq > {}",
            head.seq - 2
        ))
        .await
        .unwrap();
    assert_eq!(broken(&app, None).await, None);
    assert_eq!(
        broken(&app, Some(head)).await,
        Some(Break::CutOff {
            last: head.seq - 2,
            expected: head.seq
        })
    );
    db.finish().await;
}

#[tokio::test]
async fn records_sealed_under_another_key_do_not_verify() {
    // Someone with write access but not the data key cannot re-seal a changed trail.
    let (db, app, head) = sealed_trail().await;
    let other = App::new(
        retour_store::Store::connect(&db.url).await.unwrap(),
        FieldCipher::random().1,
    );
    assert_eq!(broken(&app, Some(head)).await, None);
    assert_eq!(broken(&other, None).await, Some(Break::Inserted { seq: 1 }));
    db.finish().await;
}

#[tokio::test]
async fn two_servers_sealing_while_people_write_number_every_record_once() {
    let db = TestDb::new().await;
    let (_, cipher) = FieldCipher::random();
    let a = App::new(db.store.clone(), cipher.clone());
    a.ensure_offices(retour_app::demo::DEMO_OFFICES)
        .await
        .unwrap();
    let b = App::new(retour_store::Store::connect(&db.url).await.unwrap(), cipher);
    let c = account(&a, "c@x.be", Role::Counsellor, Some("poelkapelle"), None).await;
    let (m, h) = (miftari(), bah());
    for round in 0..4 {
        let (wa, wb, sa, sb) = tokio::join!(
            a.register_case(&c, &m),
            b.register_case(&c, &h),
            a.seal_audit(),
            b.seal_audit(),
        );
        wa.unwrap();
        wb.unwrap();
        sa.unwrap_or_else(|e| panic!("round {round}: {e}"));
        sb.unwrap_or_else(|e| panic!("round {round}: {e}"));
    }
    let (_, head) = a.seal_audit().await.unwrap();
    let v = b.verify_audit(head, |_| {}).await.unwrap();
    assert_eq!((v.broken, v.pending), (None, 0));
    assert_eq!(v.checked, head.unwrap().seq as u64);
    assert!(v.checked >= 9, "{} records", v.checked);
    db.finish().await;
}
