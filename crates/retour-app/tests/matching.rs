//! Finding people across spellings and scripts, against a real store (SQLite, or PostgreSQL
//! with RETOUR_TEST_DATABASE_URL): the labelled set of `tests/data/match_pairs.jsonl`, and
//! search that never misses a case in the reader's scope.

use std::collections::HashMap;

use retour_app::auth::NewAccount;
use retour_app::search::SearchInput;
use retour_app::{Actor, App, FieldCipher, Role};
use retour_domain::names::matching::{MatchInput, LIKELY};
use retour_domain::HouseholdInput;
use retour_store::testing::TestDb;
use serde::Deserialize;

async fn app() -> (TestDb, App) {
    let db = TestDb::new().await;
    let (_, cipher) = FieldCipher::random();
    let app = App::new(db.store.clone(), cipher);
    app.ensure_offices(retour_app::demo::DEMO_OFFICES)
        .await
        .unwrap();
    (db, app)
}

async fn account(app: &App, email: &str, role: Role, office: Option<&str>) -> Actor {
    app.create_account(
        None,
        NewAccount {
            email: email.into(),
            display_name: email.into(),
            role: role.as_str().into(),
            office: office.map(Into::into),
            partner_org: None,
            locale: "nl".into(),
            password: "correct horse battery".into(),
        },
    )
    .await
    .unwrap()
    .actor()
}

#[derive(Deserialize)]
struct Stored {
    family_name: String,
    given_names: String,
    #[serde(default)]
    other_names: Vec<String>,
    birth_date: String,
    sex: String,
    #[serde(default)]
    nationalities: Vec<String>,
}

#[derive(Deserialize)]
struct Pair {
    id: String,
    kind: String,
    query: MatchInput,
    target: Stored,
    #[serde(default)]
    decoys: Vec<Stored>,
}

/// A household of one person, as a counsellor of `office` registers it.
fn household(p: &Stored, office: &str) -> HouseholdInput {
    let country = p
        .nationalities
        .first()
        .cloned()
        .unwrap_or_else(|| "XK".into());
    serde_json::from_value(serde_json::json!({
        "destination_country": country, "location_kind": "reception_centre",
        "location_name": "Centre", "office": office,
        "application_date": "2026-10-05", "planned_departure_date": "2027-01-20",
        "members": [{"relationship": "principal", "family_name": p.family_name,
            "given_names": p.given_names, "other_names": p.other_names,
            "birth_date": p.birth_date, "sex": p.sex, "nationalities": p.nationalities,
            "languages": []}]
    }))
    .expect("household shape")
}

#[tokio::test]
async fn the_labelled_set_is_found_across_spellings_and_scripts_and_decoys_stay_below_likely() {
    let (db, app) = app().await;
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle")).await;
    let pairs: Vec<Pair> = include_str!("data/match_pairs.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("labelled line"))
        .collect();
    assert!(pairs.len() >= 200, "{} pairs", pairs.len());
    let mut targets = HashMap::new();
    let mut decoys = 0;
    for p in &pairs {
        let case = app
            .register_case(&c, &household(&p.target, "poelkapelle"))
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", p.id));
        targets.insert(p.id.clone(), case.id);
        for d in &p.decoys {
            app.register_case(&c, &household(d, "poelkapelle"))
                .await
                .unwrap_or_else(|e| panic!("{} decoy: {e:?}", p.id));
            decoys += 1;
        }
    }
    let (mut in_top10, mut first, mut likely_target, mut likely_total) = (0, 0, 0, 0);
    let mut misses: Vec<String> = Vec::new();
    let mut by_kind: HashMap<&str, (u32, u32)> = HashMap::new();
    for p in &pairs {
        let found = app.match_persons(Some(&c), &p.query, 10).await.unwrap();
        let target = targets[&p.id];
        let rank = found.candidates.iter().position(|x| x.case_id == target);
        let k = by_kind.entry(p.kind.as_str()).or_default();
        k.1 += 1;
        if rank.is_some() {
            in_top10 += 1;
            k.0 += 1;
        } else {
            misses.push(p.id.clone());
        }
        if rank == Some(0) {
            first += 1;
        }
        for x in found.candidates.iter().filter(|x| x.score >= LIKELY) {
            likely_total += 1;
            if x.case_id == target {
                likely_target += 1;
            } else if std::env::var("SHOW_DECOYS").is_ok() {
                println!(
                    "{} decoy {} {} {} {:.3} {:?}",
                    p.id, x.family_name, x.given_names, x.birth_date, x.score, x.reasons
                );
            }
        }
    }
    let n = pairs.len() as f64;
    let recall = in_top10 as f64 / n;
    let precision = likely_target as f64 / likely_total.max(1) as f64;
    println!(
        "labelled set: {} queries, {decoys} decoys; recall@10 {:.3}, top-1 {:.3}, \
         precision of 'likely' {:.3} ({likely_target}/{likely_total}), likely recall {:.3}; misses {misses:?}; by kind {by_kind:?}",
        pairs.len(),
        recall,
        first as f64 / n,
        precision,
        likely_target as f64 / n,
    );
    assert!(recall >= 0.98, "recall@10 {recall:.3}, missed {misses:?}");
    assert!(first as f64 / n >= 0.95, "top-1 {}", first as f64 / n);
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(
        likely_target as f64 / n >= 0.95,
        "likely recall {}",
        likely_target as f64 / n
    );
    db.finish().await;
}

#[tokio::test]
async fn a_counsellor_always_finds_their_own_case_among_many_same_names_elsewhere() {
    let (db, app) = app().await;
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle")).await;
    let manager = account(&app, "pm@x.org", Role::ProgrammeManager, None).await;
    let mut others = Vec::new();
    for office in ["brussel", "antwerp", "ghent"] {
        others.push(
            account(
                &app,
                &format!("c@{office}.org"),
                Role::Counsellor,
                Some(office),
            )
            .await,
        );
    }
    // 120 Krasniqi households in other offices, registered by their counsellors.
    for i in 0..120 {
        let p = Stored {
            family_name: "Krasniqi".into(),
            given_names: ["Agim", "Besnik", "Driton", "Fatmir"][i % 4].into(),
            other_names: vec![],
            birth_date: format!("{}", 1960 + (i % 40)),
            sex: "male".into(),
            nationalities: vec!["XK".into()],
        };
        let office = ["brussel", "antwerp", "ghent"][i % 3];
        app.register_case(&others[i % 3], &household(&p, office))
            .await
            .unwrap();
    }
    let own = Stored {
        family_name: "Krasniqi".into(),
        given_names: "Agim".into(),
        other_names: vec![],
        birth_date: "1984-05-11".into(),
        sex: "male".into(),
        nationalities: vec!["XK".into()],
    };
    let case = app
        .register_case(&c, &household(&own, "poelkapelle"))
        .await
        .unwrap();
    for (q, year) in [
        ("Krasniqi", None),
        ("krasniqi agim", None),
        ("Krasniqi", Some("1984")),
        ("Красничи", None),
        ("Kras", None),
    ] {
        let found = app
            .search(
                &c,
                &SearchInput {
                    q: q.into(),
                    birth_year: year.map(Into::into),
                    nationality: None,
                    after: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            found.hits.iter().map(|h| h.case_id).collect::<Vec<_>>(),
            vec![case.id],
            "{q} {year:?}: only the own office's case"
        );
        assert!(!found.truncated);
    }
    // The manager sees all 121, more than a page: the answer says it is cut short.
    let all = app
        .search(
            &manager,
            &SearchInput {
                q: "Krasniqi".into(),
                ..SearchInput::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(all.hits.len(), retour_app::search::MAX_HITS);
    assert!(all.truncated);
    // ... and reads the rest page by page: every Krasniqi once, the counsellor's own among them.
    let mut seen: Vec<uuid::Uuid> = all.hits.iter().map(|h| h.case_id).collect();
    let mut after = all.next.clone();
    let mut pages = 1;
    while let Some(token) = after {
        let page = app
            .search(
                &manager,
                &SearchInput {
                    q: "Krasniqi".into(),
                    after: Some(token),
                    ..SearchInput::default()
                },
            )
            .await
            .unwrap();
        assert!(page.hits.len() <= retour_app::search::MAX_HITS);
        seen.extend(page.hits.iter().map(|h| h.case_id));
        after = page.next;
        pages += 1;
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((pages, seen.len(), unique.len()), (3, 121, 121));
    assert!(seen.contains(&case.id));
    // A page key that was not given out is refused, not read.
    let bad = app
        .search(
            &manager,
            &SearchInput {
                q: "Krasniqi".into(),
                after: Some("2.not-a-person".into()),
                ..SearchInput::default()
            },
        )
        .await;
    assert!(
        matches!(bad, Err(retour_app::AppError::Invalid(_))),
        "{bad:?}"
    );
    // Matching within the counsellor's scope finds the own case only.
    let m = app
        .match_persons(
            Some(&c),
            &MatchInput {
                family_name: "Krasniqi".into(),
                given_names: "Agim".into(),
                birth_date: Some("1984".into()),
                ..MatchInput::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(m.candidates.len(), 1);
    assert_eq!(m.candidates[0].case_id, case.id);
    assert!(m.candidates[0].score >= LIKELY);
    db.finish().await;
}

#[tokio::test]
async fn two_managers_deciding_one_possible_duplicate_at_once_get_one_decision_and_one_conflict() {
    let (db, app) = app().await;
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle")).await;
    let pm1 = account(&app, "pm1@x.org", Role::ProgrammeManager, None).await;
    let pm2 = account(&app, "pm2@x.org", Role::ProgrammeManager, None).await;
    app.register_case(&c, &retour_app::demo::miftari())
        .await
        .unwrap();
    let again = Stored {
        family_name: "Miftary".into(),
        given_names: "Agron".into(),
        other_names: vec![],
        birth_date: "1985".into(),
        sex: "male".into(),
        nationalities: vec!["XK".into()],
    };
    app.register_case(&c, &household(&again, "poelkapelle"))
        .await
        .unwrap();
    let open = app.open_links(&pm1, None).await.unwrap();
    assert_eq!(
        open.items.len(),
        1,
        "the new Agron is recorded as a possible duplicate"
    );
    let id = open.items[0].id;
    let (a, b) = tokio::join!(
        app.decide_link(&pm1, id, true, "same passport"),
        app.decide_link(&pm2, id, false, "other person"),
    );
    let conflicts = [&a, &b]
        .iter()
        .filter(|r| matches!(r, Err(retour_app::AppError::Conflict { .. })))
        .count();
    assert_eq!(
        (a.is_ok() as u8 + b.is_ok() as u8, conflicts),
        (1, 1),
        "{a:?} {b:?}"
    );
    assert!(app.open_links(&pm1, None).await.unwrap().items.is_empty());
    // Undoing it at once from two desks: one undo, one conflict; the link is open once.
    let (a, b) = tokio::join!(
        app.reopen_link(&pm1, id, "decided too fast"),
        app.reopen_link(&pm2, id, "the passport was not checked"),
    );
    let conflicts = [&a, &b]
        .iter()
        .filter(|r| matches!(r, Err(retour_app::AppError::Conflict { .. })))
        .count();
    assert_eq!(
        (a.is_ok() as u8 + b.is_ok() as u8, conflicts),
        (1, 1),
        "{a:?} {b:?}"
    );
    assert_eq!(app.open_links(&pm1, None).await.unwrap().items.len(), 1);
    assert!(matches!(
        app.reopen_link(&c, id, "not mine to undo").await,
        Err(retour_app::AppError::Forbidden)
    ));
    db.finish().await;
}
