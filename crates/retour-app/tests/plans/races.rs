//! Two people saving at the same moment, on both databases: for every write two people can make
//! at once, many trials of two writers started together. One wins and the other is told it came
//! second (a conflict, or a refusal that names why), or both succeed where they do not conflict;
//! never an internal error, never a lost or doubled effect.

use super::*;
use retour_app::AppResult;
use std::future::Future;

const TRIALS: usize = 8;

/// Runs two writes on separate tasks of the multi-threaded runtime, started together.
pub async fn race<T: Send + 'static>(
    a: impl Future<Output = AppResult<T>> + Send + 'static,
    b: impl Future<Output = AppResult<T>> + Send + 'static,
) -> (AppResult<T>, AppResult<T>) {
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let (sa, sb) = (start.clone(), start);
    let ha = tokio::spawn(async move {
        sa.wait().await;
        a.await
    });
    let hb = tokio::spawn(async move {
        sb.wait().await;
        b.await
    });
    let (ra, rb) = tokio::join!(ha, hb);
    (ra.expect("task"), rb.expect("task"))
}

/// What a write answered, as a word; an internal error or a busy database fails the test.
fn outcome<T>(r: &AppResult<T>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(AppError::Conflict { .. }) => "conflict".into(),
        Err(AppError::Invalid(e)) => format!("refused:{}", e.codes().join(",")),
        Err(AppError::Duplicate(what)) => format!("duplicate:{what}"),
        Err(e) => panic!("a concurrent write failed instead of winning or conflicting: {e:?}"),
    }
}

fn sorted(a: String, b: String) -> Vec<String> {
    let mut v = vec![a, b];
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_saves_of_one_household_one_wins_and_one_conflicts_and_nothing_is_lost() {
    let w = world().await;
    for trial in 0..TRIALS {
        let case = w
            .app
            .register_case(&w.c, &retour_app::demo::miftari())
            .await
            .unwrap();
        let base = retour_domain::HouseholdInput::from_household(&case.household);
        let (mut a, mut b) = (base.clone(), base);
        a.destination_place = format!("Prishtina {trial}");
        b.destination_place = format!("Prizren {trial}");
        let (app, c, id, v) = (w.app.clone(), w.c.clone(), case.id, case.version);
        let (app2, c2) = (w.app.clone(), w.c.clone());
        let (ra, rb) = race(
            async move { app.update_household(&c, id, v, &a).await },
            async move { app2.update_household(&c2, id, v, &b).await },
        )
        .await;
        assert_eq!(sorted(outcome(&ra), outcome(&rb)), ["conflict", "ok"]);
        let winner = ra.or(rb).unwrap();
        let now = w.app.case(&w.c, case.id).await.unwrap();
        assert_eq!(now.version, case.version + 1);
        assert_eq!(
            now.household.destination_place,
            winner.household.destination_place
        );
        assert_eq!(now.household.members.len(), 5, "members kept whole");
    }
    w.db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_to_different_cases_at_once_both_succeed() {
    let w = world().await;
    for _ in 0..TRIALS {
        let one = w
            .app
            .register_case(&w.c, &retour_app::demo::miftari())
            .await
            .unwrap();
        let two = w
            .app
            .register_case(&w.c, &retour_app::demo::bah())
            .await
            .unwrap();
        let mut a = retour_domain::HouseholdInput::from_household(&one.household);
        a.destination_place = "Gjakova".into();
        let (app, c) = (w.app.clone(), w.c.clone());
        let (app2, c2) = (w.app.clone(), w.c.clone());
        let (ra, rb) = race(
            async move { app.update_household(&c, one.id, one.version, &a).await },
            async move {
                app2.transition(
                    &c2,
                    two.id,
                    two.version,
                    &TransitionRequest {
                        outcome: None,
                        to: Status::Withdrawn,
                        reason: "changed his mind".into(),
                        booking: None,
                        on: None,
                    },
                )
                .await
            },
        )
        .await;
        assert_eq!(sorted(outcome(&ra), outcome(&rb)), ["ok", "ok"]);
    }
    w.db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_lifecycle_moves_from_one_version_record_one_move() {
    let w = world().await;
    for _ in 0..TRIALS {
        let case = w
            .app
            .register_case(&w.c, &retour_app::demo::bah())
            .await
            .unwrap();
        let (app, c, id, v) = (w.app.clone(), w.c.clone(), case.id, case.version);
        let (app2, pm) = (w.app.clone(), w.pm1.clone());
        let to = |s: Status| TransitionRequest {
            outcome: None,
            to: s,
            reason: "decided".into(),
            booking: None,
            on: None,
        };
        let (a, b) = (to(Status::Assessed), to(Status::Withdrawn));
        let (ra, rb) = race(
            async move { app.transition(&c, id, v, &a).await },
            async move { app2.transition(&pm, id, v, &b).await },
        )
        .await;
        assert_eq!(sorted(outcome(&ra), outcome(&rb)), ["conflict", "ok"]);
        let view = w.app.case_view(&w.c, case.id).await.unwrap();
        assert_eq!(view.history.len(), 2, "registered, then exactly one move");
        assert_eq!(view.case.status, view.history[1].to);
        assert_eq!(view.case.version, case.version + 1);
    }
    w.db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_authors_adding_lines_at_once_both_keep_their_line_and_authorship() {
    let w = world().await;
    for _ in 0..TRIALS {
        let mut input = retour_app::demo::miftari();
        input.destination_country = "GN".into();
        let case = w.app.register_case(&w.c, &input).await.unwrap();
        let case = assess(&w, &case).await;
        consent_and_assign(&w, &case, "caritas-gn").await;
        let (app, c, id) = (w.app.clone(), w.c.clone(), case.id);
        let (app2, partner) = (w.app.clone(), w.caritas.clone());
        let (ra, rb) = race(
            async move { app.save_line(&c, id, None, &line("housing", "1200")).await },
            async move {
                app2.save_line(&partner, id, None, &line("furniture", "800"))
                    .await
            },
        )
        .await;
        assert_eq!(sorted(outcome(&ra), outcome(&rb)), ["ok", "ok"]);
        let plan = w.app.plan_view(&w.pm1, case.id).await.unwrap();
        assert_eq!(plan.lines.len(), 2);
        assert_eq!(plan.lines.iter().map(|l| l.planned).sum::<i64>(), 200_000);
        // Both are authors: neither may approve (the counsellor cannot anyway; the partner's
        // authorship is what a lost update would have dropped).
        w.app.submit_plan(&w.c, case.id).await.unwrap();
        w.app.approve_plan(&w.pm1, case.id).await.unwrap();
    }
    w.db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_managers_approving_a_one_approval_plan_approve_it_once_and_move_the_case_once() {
    let w = world().await;
    for _ in 0..TRIALS {
        let mut input = retour_app::demo::miftari();
        input.destination_country = "GN".into();
        let case = w.app.register_case(&w.c, &input).await.unwrap();
        let case = assess(&w, &case).await;
        w.app
            .save_line(&w.c, case.id, None, &line("housing", "1500"))
            .await
            .unwrap();
        w.app.submit_plan(&w.c, case.id).await.unwrap();
        let (app, pm1, id) = (w.app.clone(), w.pm1.clone(), case.id);
        let (app2, pm2) = (w.app.clone(), w.pm2.clone());
        let (ra, rb) = race(
            async move { app.approve_plan(&pm1, id).await },
            async move { app2.approve_plan(&pm2, id).await },
        )
        .await;
        let outcomes = sorted(outcome(&ra), outcome(&rb));
        // "ok" sorts between "conflict" and "refused:…": find the winner, not a position.
        let wins = outcomes.iter().filter(|o| *o == "ok").count();
        assert_eq!(wins, 1, "one approval wins: {outcomes:?}");
        let other = outcomes.iter().find(|o| *o != "ok").expect("a loser");
        assert!(
            other == "conflict" || other == "refused:plan-not-submitted",
            "the other is told the plan moved on: {outcomes:?}"
        );
        let plan = w.app.plan_view(&w.pm1, case.id).await.unwrap();
        assert_eq!(plan.versions.len(), 1, "one approved version");
        let view = w.app.case_view(&w.c, case.id).await.unwrap();
        assert_eq!(view.case.status, Status::PlanApproved);
        let moves = view
            .history
            .iter()
            .filter(|h| h.to == Status::PlanApproved)
            .count();
        assert_eq!(moves, 1, "the budget is approved once");
    }
    w.db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_payments_that_only_fit_one_at_a_time_never_overspend_the_line() {
    let w = world().await;
    let mut input = retour_app::demo::miftari();
    input.destination_country = "GN".into();
    let case = w.app.register_case(&w.c, &input).await.unwrap();
    let case = assess(&w, &case).await;
    consent_and_assign(&w, &case, "caritas-gn").await;
    let mut lines = Vec::new();
    for _ in 0..TRIALS {
        lines.push(
            w.app
                .save_line(&w.c, case.id, None, &line("housing", "100"))
                .await
                .unwrap(),
        );
    }
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    w.app.approve_plan(&w.pm1, case.id).await.unwrap();
    arrive(&w, case.id, &w.caritas).await;
    let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
    for line_id in lines {
        let pay = |amount: &str| SpendingInput {
            line_id: line_id.to_string(),
            spent_on: today(&w),
            amount: amount.into(),
            currency: "EUR".into(),
            rate: String::new(),
            vendor: "Landlord".into(),
            style: retour_domain::NumberStyle::Plain,
        };
        let proof = || {
            Some(Upload {
                file_name: "receipt.pdf".into(),
                bytes: pdf.clone(),
            })
        };
        let (a, b) = (pay("70"), pay("60"));
        let (pa, pb) = (proof(), proof());
        let (app, p, id) = (w.app.clone(), w.caritas.clone(), case.id);
        let (app2, p2) = (w.app.clone(), w.caritas.clone());
        let (ra, rb) = race(
            async move { app.record_spending(&p, id, &a, pa).await },
            async move { app2.record_spending(&p2, id, &b, pb).await },
        )
        .await;
        assert_eq!(
            sorted(outcome(&ra), outcome(&rb)),
            ["ok", "refused:line-overspent"]
        );
        let view = w.app.delivery(&w.caritas, case.id).await.unwrap();
        let spent: i64 = view
            .spendings
            .iter()
            .filter(|s| s.line_id == line_id)
            .map(|s| s.eur_cents)
            .sum();
        assert!(
            spent == 7000 || spent == 6000,
            "exactly one payment: {spent}"
        );
    }
    w.db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn withdrawing_consent_while_the_case_is_assigned_never_leaves_the_partner_in() {
    let w = world().await;
    for _ in 0..TRIALS {
        let mut input = retour_app::demo::miftari();
        input.destination_country = "GN".into();
        let case = w.app.register_case(&w.c, &input).await.unwrap();
        let adult = case.household.members[0].person.id;
        w.app
            .record_consent(
                &w.c,
                case.id,
                adult,
                "partner_transfer",
                Some("caritas-gn"),
                &today(&w),
            )
            .await
            .unwrap();
        let consent = w.app.sharing(&w.c, case.id).await.unwrap().consents[0].id;
        let (app, c, id) = (w.app.clone(), w.c.clone(), case.id);
        let (app2, pm) = (w.app.clone(), w.pm1.clone());
        let day = today(&w);
        let (ra, rb) = race(
            async move { app.assign_partner(&c, id, "caritas-gn").await },
            async move {
                app2.withdraw_consent(&pm, id, consent, &day)
                    .await
                    .map(|_| ())
            },
        )
        .await;
        // The assignment may lose (no consent in force any more); the withdrawal always wins.
        assert_eq!(outcome(&rb), "ok");
        let _ = outcome(&ra);
        let now = w.app.case(&w.pm1, case.id).await.unwrap();
        assert_eq!(
            now.partner_org, None,
            "no partner without a consent in force"
        );
        assert!(w.app.case(&w.caritas, case.id).await.is_err());
    }
    w.db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hand_outs_of_the_last_workbook_give_it_once() {
    let w = world().await;
    for _ in 0..TRIALS {
        // Dea and Liridon are of workbook age (6 to 12) in this trial's household.
        let mut input = retour_app::demo::miftari();
        let years_ago = |y: i32| {
            let t = w.app.today();
            retour_domain::dates::format_date(t.replace_year(t.year() - y).unwrap())
        };
        input.members[2].person.birth_date = years_ago(11);
        input.members[3].person.birth_date = years_ago(8);
        let case = w.app.register_case(&w.c, &input).await.unwrap();
        let parent = case.household.members[0].person.id;
        // Two children of 6 to 12 in the Miftari household, with their parent's consent.
        let children: Vec<uuid::Uuid> = case
            .household
            .members
            .iter()
            .filter(|m| {
                let age = retour_domain::age_on(m.person.birth_date.date(), w.app.today());
                (6..=12).contains(&age)
            })
            .map(|m| m.person.id)
            .collect();
        assert!(
            children.len() >= 2,
            "the Miftari household has two such children"
        );
        for child in &children[..2] {
            w.app
                .record_workbook_consent(&w.c, case.id, *child, parent, &today(&w))
                .await
                .unwrap();
        }
        w.app
            .change_workbook_stock(&w.pm1, "poelkapelle", "nl", "set", "1")
            .await
            .unwrap();
        let (app, c, id, k1) = (w.app.clone(), w.c.clone(), case.id, children[0]);
        let (app2, c2, k2) = (w.app.clone(), w.c.clone(), children[1]);
        let (d1, d2) = (today(&w), today(&w));
        let (ra, rb) = race(
            async move { app.hand_out_workbook(&c, id, k1, "nl", &d1).await },
            async move { app2.hand_out_workbook(&c2, id, k2, "nl", &d2).await },
        )
        .await;
        assert_eq!(
            sorted(outcome(&ra), outcome(&rb)),
            ["ok", "refused:out-of-stock"]
        );
        let stock = w.app.workbook_stock(&w.pm1).await.unwrap();
        assert!(stock
            .iter()
            .any(|s| s.location == "poelkapelle" && s.edition == "nl" && s.quantity == 0));
    }
    w.db.finish().await;
}
