//! A household that changes after its budget was approved: a baby born while the family waits,
//! a review raised once, confirmed or kept by a programme manager, and the departure premium
//! counted on the day the family actually leaves.

use super::races::race;
use super::*;
use retour_app::queues::QueueKind;
use retour_domain::{HouseholdInput, MemberInput, PersonInput};

/// A changed line as the page shows it: who, which rule, frozen and new amount.
type Shown = (Option<String>, String, Option<String>, Option<String>);

fn day(w: &World, offset: i64) -> String {
    retour_domain::dates::format_date(w.app.today() + Duration::days(offset))
}

/// The Miftari household, applied 60 days ago, leaving in 30, with its budget approved.
async fn approved_miftari(w: &World) -> Case {
    let mut input = retour_app::demo::miftari();
    input.application_date = Some(day(w, -60));
    input.planned_departure_date = Some(day(w, 30));
    let case = w.app.register_case(&w.c, &input).await.unwrap();
    let case = assess(w, &case).await;
    consent_and_assign(w, &case, "iom-xk").await;
    w.app
        .save_line(&w.c, case.id, None, &line("furniture", "500"))
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    assert!(w.app.approve_plan(&w.pm1, case.id).await.unwrap());
    w.app.case(&w.c, case.id).await.unwrap()
}

fn with_baby(case: &Case, born: &str) -> HouseholdInput {
    let mut h = HouseholdInput::from_household(&case.household);
    h.members.push(MemberInput {
        id: None,
        relationship: "child".into(),
        person: PersonInput {
            family_name: "Miftari".into(),
            given_names: "Drita".into(),
            birth_date: born.into(),
            sex: "female".into(),
            nationalities: vec!["XK".into()],
            ..Default::default()
        },
    });
    h
}

fn without_baby(case: &Case) -> HouseholdInput {
    let mut h = HouseholdInput::from_household(&case.household);
    h.members.retain(|m| m.person.given_names != "Drita");
    h
}

async fn save(w: &World, case: &Case, h: &HouseholdInput) -> Case {
    w.app
        .update_household(&w.c, case.id, case.version, h)
        .await
        .unwrap()
}

async fn review_tasks(w: &World, case: &Case) -> usize {
    w.app
        .case_tasks(&w.pm1, case.id)
        .await
        .unwrap()
        .iter()
        .filter(|t| t.kind == "entitlement_changed")
        .count()
}

async fn in_queue(w: &World, case: &Case) -> usize {
    w.app
        .queue(&w.pm1, QueueKind::EntitlementChanges, None, 50)
        .await
        .unwrap()
        .items
        .iter()
        .filter(|i| i.case_id == case.id)
        .count()
}

async fn audited(w: &World, case: &Case, action: &str) -> usize {
    w.app
        .audit(
            None,
            &retour_app::audit::AuditFilter {
                case_reference: Some(case.reference.to_string()),
                action: Some(action.into()),
                ..Default::default()
            },
            None,
            50,
        )
        .await
        .unwrap()
        .items
        .len()
}

#[tokio::test]
async fn a_baby_born_after_approval_opens_one_review_that_a_manager_confirms() {
    let w = world().await;
    let case = approved_miftari(&w).await;
    let frozen = w.app.entitlement(&w.c, case.id).await.unwrap();
    assert!(frozen.frozen_at.is_some() && frozen.change.is_none());
    let plan_before = w.app.plan_view(&w.pm1, case.id).await.unwrap().usage[0].budget;

    // Born yesterday: after the application, before the departure.
    let case = save(&w, &case, &with_baby(&case, &day(&w, -1))).await;
    assert_eq!(case.household.members.len(), 6);
    let e = w.app.entitlement(&w.c, case.id).await.unwrap();
    assert_eq!(
        e.quote, frozen.quote,
        "the frozen entitlement stays in force"
    );
    let change = e.change.expect("a review is open");
    let lines: Vec<Shown> = change
        .lines
        .iter()
        .map(|l| {
            (
                l.member.clone(),
                l.rule.clone(),
                l.before.map(|d| d.to_string()),
                l.after.map(|d| d.to_string()),
            )
        })
        .collect();
    let drita = Some("Drita Miftari".to_string());
    assert_eq!(
        lines,
        vec![
            (
                drita.clone(),
                "premium.child.visa_exempt".into(),
                None,
                Some("25.00".into())
            ),
            (
                drita.clone(),
                "topup.family_child".into(),
                None,
                Some("500.00".into())
            ),
        ]
    );
    assert_eq!(
        change.difference,
        Some(rust_decimal::Decimal::new(52500, 2))
    );
    assert!(!change.can_decide, "counsellors do not decide");
    assert_eq!(review_tasks(&w, &case).await, 1);
    assert_eq!(in_queue(&w, &case).await, 1, "in the managers' queue");
    assert!(matches!(
        w.app
            .queue(&w.c, QueueKind::EntitlementChanges, None, 10)
            .await,
        Err(AppError::Forbidden)
    ));

    // Further saves update the same review: still one task.
    let mut h = HouseholdInput::from_household(&case.household);
    h.destination_place = "Prizren".into();
    let case = save(&w, &case, &h).await;
    assert_eq!(review_tasks(&w, &case).await, 1);
    assert_eq!(audited(&w, &case, "entitlement.review_raised").await, 1);

    // Only a programme manager decides, and the task is not simply ticked off.
    let pending = w
        .app
        .entitlement(&w.pm1, case.id)
        .await
        .unwrap()
        .change
        .unwrap();
    assert!(pending.can_decide);
    assert!(matches!(
        w.app
            .decide_entitlement_change(&w.c, case.id, pending.review_id, pending.revision, true, "")
            .await,
        Err(AppError::Forbidden)
    ));
    let task = w.app.case_tasks(&w.pm1, case.id).await.unwrap();
    let task = task
        .iter()
        .find(|t| t.kind == "entitlement_changed")
        .unwrap();
    assert_eq!(
        codes(w.app.complete_task(&w.pm1, task.id).await),
        vec!["task-needs-decision"]
    );
    // A decision on a review as it stood before a later change is a conflict.
    assert!(matches!(
        w.app
            .decide_entitlement_change(
                &w.pm1,
                case.id,
                pending.review_id,
                pending.revision - 1,
                true,
                ""
            )
            .await,
        Err(AppError::Conflict { .. })
    ));
    w.app
        .decide_entitlement_change(
            &w.pm1,
            case.id,
            pending.review_id,
            pending.revision,
            true,
            "",
        )
        .await
        .unwrap();

    let e = w.app.entitlement(&w.c, case.id).await.unwrap();
    assert!(e.change.is_none());
    let q = e.quote.unwrap();
    assert_eq!(
        q.policy_version,
        frozen.quote.clone().unwrap().policy_version
    );
    assert_eq!(
        q.totals.departure_premium_cash,
        frozen.quote.as_ref().unwrap().totals.departure_premium_cash
            + rust_decimal::Decimal::from(25)
    );
    assert_eq!(e.reviews.len(), 1);
    assert_eq!(e.reviews[0].status, "confirmed");
    assert_eq!(e.reviews[0].decided_by.as_deref(), Some("pm1@x.org"));
    assert_eq!(
        review_tasks(&w, &case).await,
        0,
        "the decision ended the task"
    );
    assert_eq!(audited(&w, &case, "entitlement.confirm").await, 1);
    // The plan's general envelope follows: one more family top-up.
    let plan_after = w.app.plan_view(&w.pm1, case.id).await.unwrap().usage[0].budget;
    assert_eq!(plan_after - plan_before, 50_000);
    w.db.finish().await;
}

#[tokio::test]
async fn keeping_the_frozen_entitlement_needs_a_reason_and_is_not_asked_again() {
    let w = world().await;
    let case = approved_miftari(&w).await;
    let frozen = w.app.entitlement(&w.c, case.id).await.unwrap().quote;
    let case = save(&w, &case, &with_baby(&case, &day(&w, -1))).await;
    let pending = w
        .app
        .entitlement(&w.pm1, case.id)
        .await
        .unwrap()
        .change
        .unwrap();
    assert_eq!(
        codes(
            w.app
                .decide_entitlement_change(
                    &w.pm1,
                    case.id,
                    pending.review_id,
                    pending.revision,
                    false,
                    "  "
                )
                .await
        ),
        vec!["required"]
    );
    w.app
        .decide_entitlement_change(
            &w.pm1,
            case.id,
            pending.review_id,
            pending.revision,
            false,
            "The baby is registered with the other parent's household.",
        )
        .await
        .unwrap();
    let e = w.app.entitlement(&w.c, case.id).await.unwrap();
    assert_eq!(e.quote, frozen, "kept");
    assert!(e.change.is_none());
    assert_eq!(e.reviews[0].status, "kept");
    assert_eq!(
        e.reviews[0].reason.as_deref(),
        Some("The baby is registered with the other parent's household.")
    );
    assert_eq!(audited(&w, &case, "entitlement.keep").await, 1);

    // Another save that leaves the same difference does not ask again.
    let mut h = HouseholdInput::from_household(&case.household);
    h.destination_place = "Gjilan".into();
    let case = save(&w, &case, &h).await;
    assert!(w
        .app
        .entitlement(&w.c, case.id)
        .await
        .unwrap()
        .change
        .is_none());
    assert_eq!(review_tasks(&w, &case).await, 0);

    // A different change does (a twin), and a household that comes back to what was approved
    // lets the review lapse.
    let mut twins = with_baby(&case, &day(&w, -1));
    twins.members.last_mut().unwrap().person.given_names = "Drin".into();
    let case = save(&w, &case, &twins).await;
    assert_eq!(case.household.members.len(), 7);
    assert!(w
        .app
        .entitlement(&w.c, case.id)
        .await
        .unwrap()
        .change
        .is_some());
    assert_eq!(review_tasks(&w, &case).await, 1);
    let mut back = without_baby(&case);
    back.members.retain(|m| m.person.given_names != "Drin");
    let case = save(&w, &case, &back).await;
    assert_eq!(case.household.members.len(), 5);
    let e = w.app.entitlement(&w.c, case.id).await.unwrap();
    assert!(e.change.is_none());
    assert_eq!(e.quote, frozen);
    assert_eq!(
        e.reviews
            .iter()
            .map(|r| r.status.as_str())
            .collect::<Vec<_>>(),
        vec!["lapsed", "kept"]
    );
    assert_eq!(review_tasks(&w, &case).await, 0);
    w.db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_managers_deciding_one_review_at_once_one_decides_and_one_conflicts() {
    let w = world().await;
    let mut case = approved_miftari(&w).await;
    for trial in 0..4 {
        case = save(&w, &case, &with_baby(&case, &day(&w, -1))).await;
        let p = w
            .app
            .entitlement(&w.pm1, case.id)
            .await
            .unwrap()
            .change
            .unwrap();
        let (a, b) = (w.app.clone(), w.app.clone());
        let (pm1, pm2, id) = (w.pm1.clone(), w.pm2.clone(), case.id);
        let (ra, rb) = race(
            async move {
                a.decide_entitlement_change(&pm1, id, p.review_id, p.revision, true, "")
                    .await
            },
            async move {
                b.decide_entitlement_change(&pm2, id, p.review_id, p.revision, false, "Not ours.")
                    .await
            },
        )
        .await;
        let ok = [&ra, &rb].iter().filter(|r| r.is_ok()).count();
        for r in [&ra, &rb] {
            assert!(
                matches!(r, Ok(()) | Err(AppError::Conflict { .. })),
                "trial {trial}: {r:?}"
            );
        }
        assert_eq!(ok, 1, "trial {trial}: exactly one decision");
        let e = w.app.entitlement(&w.c, case.id).await.unwrap();
        assert!(e.change.is_none());
        let decided = if ra.is_ok() { "confirmed" } else { "kept" };
        assert_eq!(e.reviews[0].status, decided, "trial {trial}");
        assert_eq!(review_tasks(&w, &case).await, 0);
        // Back to five members for the next trial (a confirmed baby leaves a new difference).
        case = w.app.case(&w.c, case.id).await.unwrap();
        case = save(&w, &case, &without_baby(&case)).await;
        if let Some(p) = w.app.entitlement(&w.pm1, case.id).await.unwrap().change {
            w.app
                .decide_entitlement_change(&w.pm1, case.id, p.review_id, p.revision, true, "")
                .await
                .unwrap();
        }
    }
    w.db.finish().await;
}

#[tokio::test]
async fn the_premium_is_counted_on_the_day_the_family_actually_leaves() {
    let w = world().await;
    // Dea turns 18 five days ago; the approved entitlement assumed a departure ten days ago.
    let mut input = retour_app::demo::miftari();
    input.application_date = Some(day(&w, -60));
    input.planned_departure_date = Some(day(&w, -10));
    let dea_birth = w.app.today() - Duration::days(5);
    let dea_birth = dea_birth.replace_year(dea_birth.year() - 18).unwrap();
    input.members[2].person.birth_date = retour_domain::dates::format_date(dea_birth);
    let case = w.app.register_case(&w.c, &input).await.unwrap();
    let case = assess(&w, &case).await;
    consent_and_assign(&w, &case, "iom-xk").await;
    w.app
        .save_line(&w.c, case.id, None, &line("furniture", "500"))
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    assert!(w.app.approve_plan(&w.pm1, case.id).await.unwrap());
    let frozen = w.app.entitlement(&w.c, case.id).await.unwrap();
    // 2 adults × €50 + 3 children × €25.
    assert_eq!(
        frozen.quote.as_ref().unwrap().totals.departure_premium_cash,
        rust_decimal::Decimal::from(175)
    );
    assert!(frozen.premium_on_departure.is_none());

    // Booked and gone today: Dea leaves as an adult.
    let case = w.app.case(&w.c, case.id).await.unwrap();
    let booked = w
        .app
        .transition(
            &w.c,
            case.id,
            case.version,
            &TransitionRequest {
                outcome: None,
                to: Status::DepartureBooked,
                reason: "booked".into(),
                booking: Some(DepartureBooking {
                    date: w.app.today(),
                    transport: "plane".parse().unwrap(),
                    travel_document: "valid".parse().unwrap(),
                }),
                on: None,
            },
        )
        .await
        .unwrap();
    let e = w.app.entitlement(&w.c, case.id).await.unwrap();
    let p = e.premium_on_departure.expect("counted on the booked day");
    assert!(!p.actual);
    w.app
        .transition(
            &w.c,
            case.id,
            booked.version,
            &TransitionRequest {
                outcome: None,
                to: Status::Departed,
                reason: "left".into(),
                booking: None,
                on: Some(w.app.today()),
            },
        )
        .await
        .unwrap();
    let e = w.app.entitlement(&w.c, case.id).await.unwrap();
    let p = e.premium_on_departure.expect("counted on the actual day");
    assert!(p.actual);
    assert_eq!((p.frozen, p.due), (175.into(), 200.into()));
    let rules: Vec<(String, String)> = p
        .lines
        .iter()
        .map(|l| (l.member.clone().unwrap(), l.rule.clone()))
        .collect();
    assert_eq!(
        rules,
        vec![
            ("Dea Miftari".into(), "premium.adult.visa_exempt".into()),
            ("Dea Miftari".into(), "premium.child.visa_exempt".into()),
        ]
    );
    // The premium on the day of departure may be paid; more may not.
    assert_eq!(
        codes(
            w.app
                .record_premium(
                    &w.c,
                    case.id,
                    "200.01",
                    &today(&w),
                    retour_domain::NumberStyle::Plain
                )
                .await
        ),
        vec!["premium-above-entitlement"]
    );
    w.app
        .record_premium(
            &w.c,
            case.id,
            "200.00",
            &today(&w),
            retour_domain::NumberStyle::Plain,
        )
        .await
        .unwrap();
    w.db.finish().await;
}

#[tokio::test]
async fn a_confirmed_smaller_entitlement_makes_an_approved_plan_that_no_longer_fits_be_amended() {
    let w = world().await;
    let mut input = retour_app::demo::miftari();
    input.application_date = Some(day(&w, -60));
    input.planned_departure_date = Some(day(&w, 30));
    let case = w.app.register_case(&w.c, &input).await.unwrap();
    let case = assess(&w, &case).await;
    consent_and_assign(&w, &case, "iom-xk").await;
    // The whole general envelope: three family top-ups of €500.
    let furniture = w
        .app
        .save_line(&w.c, case.id, None, &line("furniture", "1500"))
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    assert!(w.app.approve_plan(&w.pm1, case.id).await.unwrap());
    let case = w.app.case(&w.c, case.id).await.unwrap();

    // Arta stays behind with her grandparents: one top-up fewer once confirmed.
    let mut h = HouseholdInput::from_household(&case.household);
    h.members.retain(|m| m.person.given_names != "Arta");
    let case = save(&w, &case, &h).await;
    let p = w
        .app
        .entitlement(&w.pm1, case.id)
        .await
        .unwrap()
        .change
        .unwrap();
    assert!(
        p.lines.iter().all(|l| l.member.is_none()),
        "Arta left the household"
    );
    assert_eq!(p.difference, Some(rust_decimal::Decimal::from(-525)));
    w.app
        .decide_entitlement_change(&w.pm1, case.id, p.review_id, p.revision, true, "")
        .await
        .unwrap();
    let plan = w.app.plan_view(&w.c, case.id).await.unwrap();
    assert_eq!(
        (plan.usage[0].budget, plan.usage[0].uncommitted),
        (100_000, -50_000)
    );

    // The plan is amended to fit before anything else is submitted.
    w.app.amend_plan(&w.c, case.id).await.unwrap();
    assert_eq!(
        codes(w.app.submit_plan(&w.c, case.id).await),
        vec!["plan-over-general-envelope"]
    );
    w.app
        .save_line(&w.c, case.id, Some(furniture), &line("furniture", "1000"))
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    w.db.finish().await;
}

#[tokio::test]
async fn moving_the_departure_past_an_eighteenth_birthday_after_approval_changes_only_that_members_lines(
) {
    let w = world().await;
    // Dea turns 18 forty days from now; the approved entitlement assumes a departure in 30.
    let mut input = retour_app::demo::miftari();
    input.application_date = Some(day(&w, -60));
    input.planned_departure_date = Some(day(&w, 30));
    let birthday = w.app.today() + Duration::days(40);
    input.members[2].person.birth_date =
        retour_domain::dates::format_date(birthday.replace_year(birthday.year() - 18).unwrap());
    let case = w.app.register_case(&w.c, &input).await.unwrap();
    let case = assess(&w, &case).await;
    consent_and_assign(&w, &case, "iom-xk").await;
    w.app
        .save_line(&w.c, case.id, None, &line("furniture", "500"))
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    assert!(w.app.approve_plan(&w.pm1, case.id).await.unwrap());
    let case = w.app.case(&w.c, case.id).await.unwrap();

    // The flight is rebooked for after her birthday.
    let mut h = HouseholdInput::from_household(&case.household);
    h.planned_departure_date = Some(day(&w, 45));
    let case = save(&w, &case, &h).await;
    let p = w
        .app
        .entitlement(&w.pm1, case.id)
        .await
        .unwrap()
        .change
        .unwrap();
    let lines: Vec<(Option<String>, &str)> = p
        .lines
        .iter()
        .map(|l| (l.member.clone(), l.rule.as_str()))
        .collect();
    let dea = Some("Dea Miftari".to_string());
    assert_eq!(
        lines,
        vec![
            (dea.clone(), "premium.adult.visa_exempt"),
            (dea.clone(), "premium.child.visa_exempt"),
            (dea, "topup.family_child"),
        ]
    );
    assert_eq!(review_tasks(&w, &case).await, 1);
    w.db.finish().await;
}
