//! After return: follow-ups recorded by the partner with the Reintegration Sustainability Survey,
//! scores that are exact and recomputed when the instrument changes, tasks raised once, and
//! closing with an outcome.

use super::races::race;
use super::*;
use retour_domain::instrument::{Instrument, RSS_2017_SOURCE};
use retour_domain::monitoring::{ClosingOutcome, FollowUpState, Outcome, VisitInput};
use std::collections::BTreeMap;

/// The Miftari household assigned to IOM Kosovo, arrived today.
async fn arrived_miftari(w: &World) -> Case {
    let case = miftari_with_needs(w).await;
    consent_and_assign(w, &case, "iom-xk").await;
    arrive_after_plan_approval(w, case.id).await;
    w.app.case(&w.iom, case.id).await.unwrap()
}

pub(crate) fn visit(followup: &str) -> VisitInput {
    VisitInput {
        followup: followup.into(),
        visited_on: retour_domain::dates::format_date(time::OffsetDateTime::now_utc().date()),
        mode: "home_visit".into(),
        met: "Arben, Drita".into(),
        observed: "The shop opened in March; the children go to school.".into(),
        services_in_progress: "Monthly check-ups for Liridon".into(),
    }
}

/// Answers picking, in each dimension, the option scored `score` (or the closest scored one).
pub(crate) fn answers(per_dimension: &[(&str, &str)]) -> BTreeMap<String, String> {
    let rss = Instrument::parse(RSS_2017_SOURCE).unwrap();
    let want = |dim: &str| {
        per_dimension
            .iter()
            .find(|(d, _)| *d == dim)
            .map(|(_, s)| retour_domain::instrument::parse_score(s).unwrap())
            .unwrap()
    };
    rss.indicators()
        .iter()
        .map(|i| {
            let target = want(&i.dimension);
            let best = i
                .options
                .iter()
                .filter(|o| o.score.is_some())
                .min_by_key(|o| {
                    let d = o.score.unwrap() - target;
                    if d < 0.into() {
                        -d
                    } else {
                        d
                    }
                })
                .unwrap();
            (i.code.clone(), best.code.clone())
        })
        .collect()
}

#[tokio::test]
async fn the_partner_records_follow_ups_with_exact_scores_and_other_organisations_see_nothing() {
    let w = world().await;
    let case = arrived_miftari(&w).await;

    let m = w.app.monitoring(&w.iom, case.id).await.unwrap();
    assert!(m.can_record);
    let scheduled: Vec<_> = m.schedule.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(scheduled, ["baseline", "month_6", "month_12"]);
    let arrived = m.arrived_on.unwrap();
    assert_eq!(
        m.schedule[1].due_on,
        retour_domain::plan::add_months(arrived, 6)
    );
    assert!(m.schedule.iter().all(|f| f.state != FollowUpState::Done));

    // Another organisation, and the counsellor of a case that has a partner, may not record.
    assert!(matches!(
        w.app.monitoring(&w.caritas, case.id).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        w.app
            .record_followup(&w.caritas, case.id, &visit("baseline"), &BTreeMap::new())
            .await,
        Err(AppError::NotFound)
    ));
    assert!(!w.app.monitoring(&w.c, case.id).await.unwrap().can_record);
    assert!(matches!(
        w.app
            .record_followup(&w.c, case.id, &visit("baseline"), &BTreeMap::new())
            .await,
        Err(AppError::Forbidden)
    ));

    // Every question of a scheduled follow-up is answered, with one of its options.
    let refused = w
        .app
        .record_followup(&w.iom, case.id, &visit("baseline"), &BTreeMap::new())
        .await;
    assert_eq!(codes(refused).len(), 15);
    let mut wrong = answers(&[("economic", "1"), ("social", "1"), ("psychosocial", "1")]);
    wrong.insert("debt".into(), "a lot".into());
    match w
        .app
        .record_followup(&w.iom, case.id, &visit("baseline"), &wrong)
        .await
    {
        Err(AppError::Invalid(e)) => {
            assert_eq!(e.0.len(), 1);
            assert_eq!(e.0[0].field.as_deref(), Some("answers.debt"));
        }
        other => panic!("{other:?}"),
    }
    // A survey with a visit outside the schedule is refused too.
    assert_eq!(
        codes(
            w.app
                .record_followup(&w.iom, case.id, &visit(""), &wrong)
                .await
        ),
        ["survey-without-followup"]
    );

    // Economic and psychosocial at their best, social at its worst: ⅓·1 + ⅓·0 + ⅓·1 = 2/3.
    let baseline = answers(&[("economic", "1"), ("social", "0"), ("psychosocial", "1")]);
    w.app
        .record_followup(&w.iom, case.id, &visit("baseline"), &baseline)
        .await
        .unwrap();
    // Twice is refused: the follow-up is recorded once.
    assert!(matches!(
        w.app
            .record_followup(&w.iom, case.id, &visit("baseline"), &baseline)
            .await,
        Err(AppError::Duplicate(_))
    ));
    // A visit outside the schedule needs no survey.
    w.app
        .record_followup(&w.iom, case.id, &visit(""), &BTreeMap::new())
        .await
        .unwrap();

    let m = w.app.monitoring(&w.iom, case.id).await.unwrap();
    assert_eq!(m.visits.len(), 2);
    assert_eq!(
        m.visits[0].observed,
        visit("").observed,
        "decrypted for its readers"
    );
    assert_eq!(m.schedule[0].state, FollowUpState::Done);
    assert_eq!(m.surveys.len(), 1);
    let s = &m.surveys[0].scores;
    assert_eq!(s.composite.as_deref(), Some("2/3"));
    assert_eq!(s.band, Some(retour_domain::instrument::Band::High));
    assert_eq!(s.dimension("social").unwrap().score.as_deref(), Some("0"));
    assert_eq!(s.dimension("economic").unwrap().score.as_deref(), Some("1"));
    assert_eq!(m.open_followups.len(), 2);

    // The counsellor reads what the partner recorded; the observation is not stored in clear.
    let seen = w.app.monitoring(&w.c, case.id).await.unwrap();
    assert_eq!(seen.surveys.len(), 1);
    let raw = w.db.store.followups(case.id).await.unwrap();
    assert!(raw.iter().all(|r| !r.observed.contains("shop")));

    let trail = w.db.store.audit_for_case(case.id, None, 50).await.unwrap();
    assert_eq!(
        trail
            .iter()
            .filter(|a| a.action == "followup.record")
            .count(),
        2
    );
    w.db.finish().await;
}

#[tokio::test]
async fn a_case_is_closed_only_with_its_outcome() {
    let w = world().await;
    let case = arrived_miftari(&w).await;
    let mv = |to: Status, outcome: Option<ClosingOutcome>| TransitionRequest {
        outcome,
        to,
        reason: "next step".into(),
        booking: None,
        on: None,
    };
    let mut version = case.version;
    for to in [Status::InReintegration, Status::Monitoring] {
        version = w
            .app
            .transition(&w.c, case.id, version, &mv(to, None))
            .await
            .unwrap()
            .version;
    }
    assert_eq!(
        codes(
            w.app
                .transition(&w.c, case.id, version, &mv(Status::Closed, None))
                .await
        ),
        ["required"]
    );
    // The form's fields: "other" needs its text.
    let input = |outcome: &str, note: &str| retour_domain::TransitionInput {
        to: "closed".into(),
        reason: "done".into(),
        outcome: outcome.into(),
        outcome_note: note.into(),
        ..Default::default()
    };
    assert_eq!(input("", "").parse().unwrap_err().codes(), ["required"]);
    assert_eq!(
        input("other", "").parse().unwrap_err().codes(),
        ["required"]
    );
    let req = input("other", "Moved to the capital to work")
        .parse()
        .unwrap();
    w.app
        .transition(&w.c, case.id, version, &req)
        .await
        .unwrap();
    let m = w.app.monitoring(&w.iom, case.id).await.unwrap();
    let o = m.outcome.unwrap();
    assert_eq!(o.outcome, Outcome::Other);
    assert_eq!(o.note, "Moved to the capital to work");
    assert!(!m.can_record, "a closed case is no longer followed up");
    w.db.finish().await;
}

#[tokio::test]
async fn the_job_raises_each_follow_up_task_once_and_recording_it_ends_the_task() {
    let w = world().await;
    let case = arrived_miftari(&w).await;
    let arrived = case.arrived_on.unwrap();
    let kinds = |tasks: &[retour_app::views::TaskItem]| -> Vec<String> {
        let mut k: Vec<String> = tasks
            .iter()
            .filter(|t| t.case_id == case.id)
            .map(|t| t.kind.clone())
            .filter(|k| k == "followup_due" || k == "case_quiet")
            .collect();
        k.sort();
        k
    };
    // A month after arrival the baseline is due, for the partner.
    w.app
        .run_jobs(retour_domain::plan::add_months(arrived, 1))
        .await
        .unwrap();
    let again = w
        .app
        .run_jobs(retour_domain::plan::add_months(arrived, 1))
        .await
        .unwrap();
    assert_eq!(again.new_tasks, 0, "raised once");
    let tasks = w.app.tasks(&w.iom, None, 100).await.unwrap();
    assert_eq!(kinds(&tasks), ["followup_due"]);
    let task = tasks.iter().find(|t| t.kind == "followup_due").unwrap();
    // It cannot be ticked off by hand: recording the follow-up ends it.
    assert_eq!(
        codes(w.app.complete_task(&w.iom, task.id).await),
        ["task-needs-followup"]
    );
    w.app
        .record_followup(
            &w.iom,
            case.id,
            &visit("baseline"),
            &answers(&[
                ("economic", "0.5"),
                ("social", "0.5"),
                ("psychosocial", "0.5"),
            ]),
        )
        .await
        .unwrap();
    assert!(kinds(&w.app.tasks(&w.iom, None, 100).await.unwrap()).is_empty());

    // In reintegration and six months on: the 6-month follow-up is due, and the case went quiet.
    let case = w.app.case(&w.c, case.id).await.unwrap();
    w.app
        .transition(
            &w.c,
            case.id,
            case.version,
            &TransitionRequest {
                outcome: None,
                to: Status::InReintegration,
                reason: "plan running".into(),
                booking: None,
                on: None,
            },
        )
        .await
        .unwrap();
    w.app
        .run_jobs(retour_domain::plan::add_months(arrived, 6))
        .await
        .unwrap();
    assert_eq!(
        kinds(&w.app.tasks(&w.iom, None, 100).await.unwrap()),
        ["case_quiet", "followup_due"]
    );
    // Recording the 6-month follow-up ends both.
    w.app
        .record_followup(
            &w.iom,
            case.id,
            &visit("month_6"),
            &answers(&[("economic", "1"), ("social", "1"), ("psychosocial", "1")]),
        )
        .await
        .unwrap();
    assert!(kinds(&w.app.tasks(&w.iom, None, 100).await.unwrap()).is_empty());
    w.db.finish().await;
}

#[tokio::test]
async fn loading_new_weights_rescores_every_survey_and_keeps_the_old_scores() {
    let w = world().await;
    let case = arrived_miftari(&w).await;
    w.app
        .record_followup(
            &w.iom,
            case.id,
            &visit("baseline"),
            &answers(&[("economic", "1"), ("social", "0"), ("psychosocial", "0")]),
        )
        .await
        .unwrap();
    assert_eq!(
        w.app.monitoring(&w.c, case.id).await.unwrap().surveys[0]
            .scores
            .composite
            .as_deref(),
        Some("1/3")
    );
    // The official table arrives: economic weighs half.
    let official = RSS_2017_SOURCE
        .replacen("provisional = true", "provisional = false", 1)
        .replacen("weight = \"1/3\"", "weight = \"1/2\"", 1)
        .replacen("weight = \"1/3\"", "weight = \"1/4\"", 1)
        .replacen("weight = \"1/3\"", "weight = \"1/4\"", 1);
    assert!(Instrument::parse(&official).is_ok());
    let bad = official.replacen("weight = \"1/4\"", "weight = \"1/5\"", 1);
    assert!(matches!(
        w.app.load_instrument(Some(&w.pm1), &bad).await,
        Err(Ok(_))
    ));
    assert!(matches!(
        w.app.load_instrument(Some(&w.iom), &official).await,
        Err(Err(AppError::Forbidden))
    ));
    w.app
        .load_instrument(Some(&w.pm1), &official)
        .await
        .unwrap();
    let report = w.app.rescore_surveys("RSS-2017", |_| {}).await.unwrap();
    assert_eq!((report.rescored, report.unchanged), (1, 0));
    let again = w.app.rescore_surveys("RSS-2017", |_| {}).await.unwrap();
    assert_eq!(
        (again.rescored, again.unchanged),
        (0, 1),
        "resumable: nothing twice"
    );
    let m = w.app.monitoring(&w.c, case.id).await.unwrap();
    let s = &m.surveys[0];
    assert_eq!(s.scores.composite.as_deref(), Some("1/2"));
    assert_eq!(s.history.len(), 1);
    assert_eq!(s.history[0].scores.composite.as_deref(), Some("1/3"));
    assert!(!m.chart_instrument().unwrap().provisional());

    // The export: answers and scores, a pseudonymous key, no name and no reference.
    let mut out = Vec::new();
    let n = w
        .app
        .export_surveys_csv("RSS-2017", &mut out, |_| {})
        .await
        .unwrap();
    assert_eq!(n, 1);
    let csv = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("case_key,country,followup,answered_on,instrument,"));
    assert!(lines[0].ends_with(",economic,social,psychosocial,composite,band"));
    let row: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(row.len(), lines[0].split(',').count());
    assert_eq!(row[0].len(), 16);
    assert_eq!(&row[1..3], ["XK", "baseline"]);
    assert_eq!(row[row.len() - 2], "0.5000");
    assert!(!csv.contains("Miftari") && !csv.contains(&case.reference.to_string()));
    w.db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_caseworkers_recording_the_same_follow_up_at_once_record_it_once() {
    let w = world().await;
    let iom2 = account(
        &w.app,
        "iom2@x.org",
        Role::PartnerCaseworker,
        None,
        Some("iom-xk"),
    )
    .await;
    for _ in 0..4 {
        let case = arrived_miftari(&w).await;
        let a = answers(&[("economic", "1"), ("social", "1"), ("psychosocial", "1")]);
        let (app1, app2) = (w.app.clone(), w.app.clone());
        let (p1, p2) = (w.iom.clone(), iom2.clone());
        let (a1, a2) = (a.clone(), a);
        let id = case.id;
        let (r1, r2) = race(
            async move { app1.record_followup(&p1, id, &visit("baseline"), &a1).await },
            async move { app2.record_followup(&p2, id, &visit("baseline"), &a2).await },
        )
        .await;
        let ok = [&r1, &r2].iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "{r1:?} {r2:?}");
        for r in [&r1, &r2] {
            assert!(
                matches!(r, Ok(_) | Err(AppError::Duplicate(_))),
                "the second is told it came second: {r:?}"
            );
        }
        let m = w.app.monitoring(&w.iom, id).await.unwrap();
        assert_eq!((m.visits.len(), m.surveys.len()), (1, 1));
    }
    w.db.finish().await;
}
