//! Correcting and withdrawing what was recorded by mistake: by those who may record it, with a
//! reason, the earlier value kept (and readable only by readers of its class), never past what
//! froze it (plan approval, final report).

use super::*;
use retour_app::corrections::Value;
use retour_app::entitlements::NeedInput;
use retour_domain::lifecycle::TransitionInput;
use retour_domain::NumberStyle;

fn need(amount: &str, style: NumberStyle) -> NeedInput {
    NeedInput {
        person_id: uuid::Uuid::nil(),
        label: "paediatric check-up and inhaler".into(),
        frequency: "monthly".into(),
        amount_eur: amount.into(),
        style,
    }
}

#[tokio::test]
async fn medical_needs_and_vulnerabilities_are_corrected_with_a_reason_until_the_plan_is_approved()
{
    let w = world().await;
    let case = miftari_with_needs(&w).await;
    let ent = w.app.entitlement(&w.medical, case.id).await.unwrap();
    let item = ent.medical_items.unwrap()[0].clone();
    assert_eq!(item.amount.to_string(), "40.00");

    // A reason is required; only a medical advisor corrects a medical need.
    assert_eq!(
        codes(
            w.app
                .correct_medical_need(
                    &w.medical,
                    case.id,
                    item.id,
                    &need("45", NumberStyle::Plain),
                    " "
                )
                .await
        ),
        vec!["required"]
    );
    assert!(matches!(
        w.app
            .correct_medical_need(
                &w.c,
                case.id,
                item.id,
                &need("45", NumberStyle::Plain),
                "typo"
            )
            .await,
        Err(AppError::Forbidden)
    ));
    // Typed as a Dutch page shows it.
    w.app
        .correct_medical_need(
            &w.medical,
            case.id,
            item.id,
            &need("45,50", NumberStyle::Comma),
            "Price list of 2026",
        )
        .await
        .unwrap();
    let ent = w.app.entitlement(&w.medical, case.id).await.unwrap();
    let items = ent.medical_items.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].amount.to_string(), "45.50");
    assert_eq!(items[0].label, "paediatric check-up and inhaler");
    // The medical envelope follows the corrected price: 6 months × €45.50.
    let medical: rust_decimal::Decimal = ent
        .quote
        .unwrap()
        .lines
        .iter()
        .filter(|l| l.component == retour_domain::quote::Component::Medical)
        .map(|l| l.amount)
        .sum();
    assert_eq!(medical.to_string(), "273.00");

    // The earlier value stays, for medical readers only.
    let seen = w.app.corrections(&w.medical, case.id).await.unwrap();
    assert_eq!(seen.len(), 1);
    let c = &seen[0];
    assert_eq!(
        (c.kind.as_str(), c.action.as_str()),
        ("medical_need", "corrected")
    );
    assert!(c.before.contains(&("amount".into(), Value::Cents(4_000))));
    assert!(c
        .after
        .as_ref()
        .unwrap()
        .contains(&("amount".into(), Value::Cents(4_550))));
    assert!(c
        .before
        .contains(&("label".into(), Value::Text("paediatric check-up".into()))));
    assert_eq!(c.reason, "Price list of 2026");
    assert!(w.app.corrections(&w.c, case.id).await.unwrap().is_empty());
    // Stored encrypted: the label is nowhere in the table in the clear.
    let stored = w.db.store.corrections(case.id).await.unwrap();
    assert!(stored.iter().all(|e| !e.row.before.contains("paediatric")
        && !e.row.after.as_deref().unwrap_or("").contains("paediatric")));

    // The counsellor withdraws the complex-medical flag recorded by mistake.
    let flag = w
        .app
        .entitlement(&w.c, case.id)
        .await
        .unwrap()
        .vulnerabilities[0]
        .id;
    w.app
        .withdraw_vulnerability(&w.c, case.id, flag, "Recorded on the wrong child")
        .await
        .unwrap();
    assert!(w
        .app
        .entitlement(&w.c, case.id)
        .await
        .unwrap()
        .vulnerabilities
        .is_empty());
    // Withdrawing it again: someone already did.
    assert!(matches!(
        w.app
            .withdraw_vulnerability(&w.c, case.id, flag, "again")
            .await,
        Err(AppError::NotFound)
    ));
    let seen = w.app.corrections(&w.medical, case.id).await.unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].action, "withdrawn");
    let audit = w
        .app
        .audit(
            None,
            &retour_app::audit::AuditFilter {
                action: Some("record.correct".into()),
                ..Default::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(audit.items.len(), 2);
    assert!(audit.items.iter().all(|e| !e.detail.contains("paediatric")));

    // Once a plan is approved the entitlement is frozen: a correction then opens a review for a
    // programme manager instead of moving the entitlement.
    w.app
        .record_vulnerability(
            &w.c,
            case.id,
            case.household.members[3].person.id,
            "complex_medical",
            &today(&w),
            "medical file",
            "asthma",
        )
        .await
        .unwrap();
    consent_and_assign(&w, &case, "iom-xk").await;
    w.app
        .save_line(&w.c, case.id, None, &line("furniture", "500"))
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    w.app.approve_plan(&w.pm1, case.id).await.unwrap();
    let frozen = w.app.entitlement(&w.pm1, case.id).await.unwrap().quote;
    w.app
        .withdraw_medical_need(&w.medical, case.id, item.id, "no longer needed")
        .await
        .unwrap();
    let e = w.app.entitlement(&w.pm1, case.id).await.unwrap();
    assert_eq!(
        e.quote, frozen,
        "the frozen entitlement stays until a manager decides"
    );
    let change = e.change.expect("the withdrawal opened a review");
    assert!(
        change.lines.iter().all(|l| l.rule.starts_with("amaar")),
        "{:?}",
        change.lines
    );
    assert!(change.difference.unwrap() < rust_decimal::Decimal::ZERO);
    w.db.finish().await;
}

#[tokio::test]
async fn payments_and_appointments_are_corrected_by_the_partner_until_the_final_report() {
    let w = world().await;
    let case = miftari_with_needs(&w).await;
    consent_and_assign(&w, &case, "iom-xk").await;
    w.app
        .save_line(&w.c, case.id, None, &line("furniture", "500"))
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    w.app.approve_plan(&w.pm1, case.id).await.unwrap();
    arrive(&w, case.id, &w.iom).await;
    let furniture = w.app.delivery(&w.iom, case.id).await.unwrap().lines[0].id;

    // A payment dated before the arrival is refused.
    let early = w
        .app
        .record_spending(
            &w.iom,
            case.id,
            &SpendingInput {
                line_id: furniture.to_string(),
                spent_on: retour_domain::dates::format_date(w.app.today() - Duration::days(3)),
                amount: "100".into(),
                currency: "EUR".into(),
                rate: String::new(),
                vendor: "Mobilje Ferizaj".into(),
                style: NumberStyle::Plain,
            },
            Some(Upload {
                file_name: "r.pdf".into(),
                bytes: PDF.to_vec(),
            }),
        )
        .await;
    assert_eq!(codes(early), vec!["date-order"]);

    let paid = spend(
        &w,
        &w.iom,
        case.id,
        furniture,
        "420.50",
        Some(("r.pdf", PDF)),
    )
    .await
    .unwrap();
    assert_eq!(
        codes(w.app.withdraw_payment(&w.iom, case.id, paid, "").await),
        vec!["required"]
    );
    assert!(w
        .app
        .withdraw_payment(&w.caritas, case.id, paid, "not ours")
        .await
        .is_err());
    // Two tabs withdrawing the same payment: one withdraws it, the other is told.
    let (a, b) = races::race(
        {
            let app = w.app.clone();
            let iom = w.iom.clone();
            async move {
                app.withdraw_payment(&iom, case.id, paid, "Wrong line: the beds were housing")
                    .await
            }
        },
        {
            let app = w.app.clone();
            let iom = w.iom.clone();
            async move {
                app.withdraw_payment(&iom, case.id, paid, "Wrong line: the beds were housing")
                    .await
            }
        },
    )
    .await;
    assert!(
        matches!(
            (&a, &b),
            (Ok(()), Err(AppError::Conflict { .. } | AppError::NotFound))
                | (Err(AppError::Conflict { .. } | AppError::NotFound), Ok(()))
        ),
        "{a:?} {b:?}"
    );
    let d = w.app.delivery(&w.iom, case.id).await.unwrap();
    assert!(d.spendings.is_empty());
    assert_eq!(d.lines[0].spent, 0, "the money returns to the line");
    // The proof stays, with the withdrawn payment in the history.
    assert_eq!(d.documents.len(), 1);
    let seen = w.app.corrections(&w.iom, case.id).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert!(seen[0]
        .before
        .contains(&("amount".into(), Value::Cents(42_050))));

    // Appointments: moved with a reason (never before the arrival), withdrawn, not once held.
    let arta = case.household.members[4].person.id;
    w.app
        .schedule_appointments(&w.iom, case.id, arta, "doctor_visit", &today(&w), "2")
        .await
        .unwrap();
    let appts = w.app.delivery(&w.iom, case.id).await.unwrap().appointments;
    let later = retour_domain::dates::format_date(w.app.today() + Duration::days(3));
    let before_arrival = retour_domain::dates::format_date(w.app.today() - Duration::days(1));
    assert_eq!(
        codes(
            w.app
                .correct_appointment(&w.iom, case.id, appts[1].id, Some(&before_arrival), "moved")
                .await
        ),
        vec!["date-order"]
    );
    w.app
        .correct_appointment(
            &w.iom,
            case.id,
            appts[1].id,
            Some(&later),
            "The doctor moved it",
        )
        .await
        .unwrap();
    w.app
        .record_appointment(&w.iom, case.id, appts[0].id, "attended", None)
        .await
        .unwrap();
    assert_eq!(
        codes(
            w.app
                .correct_appointment(&w.iom, case.id, appts[0].id, None, "oops")
                .await
        ),
        vec!["appointment-not-planned"]
    );
    w.app
        .correct_appointment(&w.iom, case.id, appts[1].id, None, "Planned twice")
        .await
        .unwrap();
    let now = w.app.delivery(&w.iom, case.id).await.unwrap().appointments;
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].id, appts[0].id);
    assert_eq!(w.app.corrections(&w.iom, case.id).await.unwrap().len(), 3);

    // After the final report, payments stand as reported.
    let again = spend(
        &w,
        &w.iom,
        case.id,
        furniture,
        "420.50",
        Some(("r.pdf", PDF)),
    )
    .await
    .unwrap();
    w.app
        .submit_final_report(
            &w.iom,
            case.id,
            &retour_app::delivery::FinalReportInput {
                comment: String::new(),
                confirm_open_items: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        codes(w.app.withdraw_payment(&w.iom, case.id, again, "late").await),
        vec!["final-report-submitted"]
    );
    w.db.finish().await;
}

#[tokio::test]
async fn a_booking_is_changed_with_a_reason_on_the_version_it_was_read_at() {
    let w = world().await;
    let case = miftari_with_needs(&w).await;
    consent_and_assign(&w, &case, "iom-xk").await;
    w.app
        .save_line(&w.c, case.id, None, &line("furniture", "500"))
        .await
        .unwrap();
    let now = w.app.case(&w.pm1, case.id).await.unwrap();
    let approved = w
        .app
        .transition(
            &w.pm1,
            case.id,
            now.version,
            &TransitionRequest {
                outcome: None,
                to: Status::PlanApproved,
                reason: "budget".into(),
                booking: None,
                on: None,
            },
        )
        .await
        .unwrap();
    let booked = w
        .app
        .transition(
            &w.c,
            case.id,
            approved.version,
            &TransitionRequest {
                outcome: None,
                to: Status::DepartureBooked,
                reason: "booked".into(),
                booking: Some(DepartureBooking {
                    date: w.app.today() + Duration::days(10),
                    transport: "plane".parse().unwrap(),
                    travel_document: "requested".parse().unwrap(),
                }),
                on: None,
            },
        )
        .await
        .unwrap();
    let input = |days: i64, reason: &str| TransitionInput {
        reason: reason.into(),
        booking_date: retour_domain::dates::format_date(w.app.today() + Duration::days(days)),
        transport: "plane".into(),
        travel_document: "issued".into(),
        ..Default::default()
    };
    assert_eq!(
        codes(
            w.app
                .change_booking(&w.c, case.id, booked.version, &input(-1, "moved"))
                .await
        ),
        vec!["date-order"]
    );
    assert_eq!(
        codes(
            w.app
                .change_booking(&w.c, case.id, booked.version, &input(14, ""))
                .await
        ),
        vec!["required"]
    );
    assert!(matches!(
        w.app
            .change_booking(&w.iom, case.id, booked.version, &input(14, "moved"))
            .await,
        Err(AppError::Forbidden)
    ));
    let changed = w
        .app
        .change_booking(
            &w.c,
            case.id,
            booked.version,
            &input(14, "Flight moved by the airline"),
        )
        .await
        .unwrap();
    let b = changed.departure.unwrap();
    assert_eq!(b.date, w.app.today() + Duration::days(14));
    assert_eq!(b.travel_document.as_str(), "issued");
    assert!(changed.version > booked.version);
    // A second tab still holding the earlier version is told, and changes nothing.
    assert!(matches!(
        w.app
            .change_booking(&w.c, case.id, booked.version, &input(20, "other tab"))
            .await,
        Err(AppError::Conflict { .. })
    ));
    let seen = w.app.corrections(&w.c, case.id).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].kind, "booking");
    assert!(seen[0].before.contains(&(
        "booking_date".into(),
        Value::Date(w.app.today() + Duration::days(10))
    )));
    w.db.finish().await;
}

#[tokio::test]
async fn a_plan_is_sent_back_with_what_to_change_and_the_reason_clears_on_resubmission() {
    let w = world().await;
    let case = miftari_with_needs(&w).await;
    w.app
        .save_line(&w.c, case.id, None, &line("furniture", "500"))
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    assert_eq!(
        codes(w.app.send_back_plan(&w.pm1, case.id, "  ").await),
        vec!["required"]
    );
    assert!(matches!(
        w.app.send_back_plan(&w.c, case.id, "mine").await,
        Err(AppError::Forbidden)
    ));
    w.app
        .send_back_plan(&w.pm1, case.id, "Add the quote of the landlord.")
        .await
        .unwrap();
    let p = w.app.plan_view(&w.c, case.id).await.unwrap();
    assert_eq!(p.status.unwrap().as_str(), "draft");
    assert_eq!(
        p.sent_back_reason.as_deref(),
        Some("Add the quote of the landlord.")
    );
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    assert!(w
        .app
        .plan_view(&w.c, case.id)
        .await
        .unwrap()
        .sent_back_reason
        .is_none());

    // A need priced lower after the medical line was written: the plan shows the overrun.
    w.app
        .send_back_plan(&w.pm1, case.id, "Add the medical line.")
        .await
        .unwrap();
    w.app
        .save_line(&w.c, case.id, None, &line("medical", "240"))
        .await
        .unwrap();
    let need_id = w
        .app
        .entitlement(&w.medical, case.id)
        .await
        .unwrap()
        .medical_items
        .unwrap()[0]
        .id;
    w.app
        .correct_medical_need(
            &w.medical,
            case.id,
            need_id,
            &need("30", NumberStyle::Plain),
            "Public clinic is cheaper",
        )
        .await
        .unwrap();
    let p = w.app.plan_view(&w.c, case.id).await.unwrap();
    assert_eq!(
        p.usage[1].uncommitted, -6_000,
        "6 × €10 over the medical envelope"
    );
    assert!(w.app.submit_plan(&w.c, case.id).await.is_err());
    w.db.finish().await;
}
