//! The lifecycle through the pages only: from every state a case can be in, the case page shows
//! a way forward (a form for the move, or who it waits for), and following those forms, each
//! asking what its move needs, takes a case from registration to closing, or to a withdrawal or
//! a no-show.

use retour_app::Role;

use crate::support::{Client, TestServer};

/// The moves the case page offers this client, as `(to, the form's fields)`.
fn offered(page: &str) -> Vec<String> {
    page.split("name=\"to\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

async fn move_to(c: &Client, case: &str, to: &str, today: &str) -> u16 {
    let page = c.get(&format!("/cases/{case}")).await.text().await.unwrap();
    assert!(
        offered(&page).iter().any(|t| t == to),
        "the case page offers {to}: {:?}",
        offered(&page)
    );
    let version = page
        .split("name=\"version\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let mut form = vec![("to", to), ("reason", "as agreed"), ("version", &version)];
    if to == "departure_booked" {
        form.extend([
            ("booking_date", today),
            ("transport", "plane"),
            ("travel_document", "valid"),
        ]);
    }
    if to == "departed" || to == "arrived" {
        form.push(("on", today));
    }
    if to == "closed" {
        form.push(("outcome", "completed"));
    }
    c.post(&format!("/cases/{case}/transition"), &form)
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn every_state_has_a_way_forward_through_the_pages() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    s.account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    let counsellor = s.sign_in("c@x.org").await;
    let manager = s.sign_in("pm@x.org").await;
    let today = retour_domain::dates::format_date(s.app.today());
    // Mr Bah's application, today, departing in two weeks.
    let mut bah = retour_app::demo::bah();
    bah.application_date = Some(today.clone());
    bah.planned_departure_date = Some(retour_domain::dates::format_date(
        s.app.today() + time::Duration::days(14),
    ));
    let new_case = || async { s.app.register_case(&c, &bah).await.unwrap().id.to_string() };

    let case = new_case().await;
    let path = [
        ("assessed", &counsellor),
        ("plan_approved", &manager),
        ("departure_booked", &counsellor),
        ("departed", &counsellor),
        ("arrived", &counsellor),
        ("in_reintegration", &counsellor),
        ("monitoring", &counsellor),
        ("closed", &counsellor),
    ];
    for (to, who) in path {
        // Whoever cannot make the move is told who can.
        let other = if std::ptr::eq(who, &counsellor) {
            &manager
        } else {
            &counsellor
        };
        let seen = other
            .get(&format!("/cases/{case}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            offered(&seen).iter().any(|t| t == to) || seen.contains("class=\"waiting\""),
            "the case page shows the way to {to} to everyone"
        );
        assert_eq!(move_to(who, &case, to, &today).await, 303, "moved to {to}");
    }
    let end = counsellor
        .get(&format!("/cases/{case}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(offered(&end).is_empty(), "a closed case has nowhere to go");

    // Return stays voluntary until departure; a booked departure may be missed.
    let withdrawn = new_case().await;
    assert_eq!(
        move_to(&counsellor, &withdrawn, "withdrawn", &today).await,
        303
    );
    let missed = new_case().await;
    for to in ["assessed"] {
        assert_eq!(move_to(&counsellor, &missed, to, &today).await, 303);
    }
    assert_eq!(
        move_to(&manager, &missed, "plan_approved", &today).await,
        303
    );
    assert_eq!(
        move_to(&counsellor, &missed, "departure_booked", &today).await,
        303
    );
    assert_eq!(move_to(&counsellor, &missed, "no_show", &today).await, 303);

    // The arrival is recorded with its day: the delivery page knows it, the deadlines run.
    let arrived = s
        .app
        .case(&c, case.parse().unwrap())
        .await
        .unwrap()
        .arrived_on;
    assert_eq!(arrived, Some(s.app.today()));
    s.stop().await;
}

#[tokio::test]
async fn a_departure_is_confirmed_on_its_day_and_an_arrival_never_before_it() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    s.account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    let counsellor = s.sign_in("c@x.org").await;
    counsellor
        .post("/language", &[("lang", "nl"), ("back", "/home")])
        .await;
    let manager = s.sign_in("pm@x.org").await;
    let today = s.app.today();
    let day = retour_domain::dates::format_date;
    let mut bah = retour_app::demo::bah();
    bah.application_date = Some(day(today));
    bah.planned_departure_date = Some(day(today + time::Duration::days(30)));
    let case = s.app.register_case(&c, &bah).await.unwrap().id.to_string();
    assert_eq!(
        move_to(&counsellor, &case, "assessed", &day(today)).await,
        303
    );
    assert_eq!(
        move_to(&manager, &case, "plan_approved", &day(today)).await,
        303
    );
    // Booked for three weeks from now, with the travel document still missing.
    let page = counsellor
        .get(&format!("/cases/{case}"))
        .await
        .text()
        .await
        .unwrap();
    let version = |page: &str| {
        page.split("name=\"version\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    let in_three_weeks = day(today + time::Duration::days(21));
    let booked = counsellor
        .post(
            &format!("/cases/{case}/transition"),
            &[
                ("to", "departure_booked"),
                ("reason", "ticket"),
                ("version", &version(&page)),
                ("booking_date", &in_three_weeks),
                ("transport", "plane"),
                ("travel_document", "missing"),
            ],
        )
        .await;
    assert_eq!(booked.status(), 303);
    // Confirming the departure today, weeks early, is refused with the reason in Dutch.
    let page = counsellor
        .get(&format!("/cases/{case}"))
        .await
        .text()
        .await
        .unwrap();
    let early = counsellor
        .post(
            &format!("/cases/{case}/transition"),
            &[
                ("to", "departed"),
                ("reason", "left"),
                ("version", &version(&page)),
                ("on", &day(today)),
            ],
        )
        .await;
    assert_eq!(early.status(), 422);
    let text = early.text().await.unwrap();
    assert!(text.contains("kan niet vóór"), "{text}");
    let arrival = counsellor
        .post(
            &format!("/cases/{case}/arrival"),
            &[("arrived_on", &day(today))],
        )
        .await;
    assert_eq!(arrival.status(), 422, "no arrival before a departure");
    s.stop().await;
}

/// The value of the hidden `version` field of the first form on a page.
fn version_of(page: &str) -> String {
    page.split("name=\"version\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_booking_is_changed_from_the_case_page_with_a_reason_and_the_earlier_one_stays_in_dutch()
{
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    s.account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    let counsellor = s.sign_in("c@x.org").await;
    let manager = s.sign_in("pm@x.org").await;
    assert_eq!(
        counsellor
            .post("/language", &[("lang", "nl")])
            .await
            .status()
            .as_u16(),
        303
    );
    let in_days =
        |d: i64| retour_domain::dates::format_date(s.app.today() + time::Duration::days(d));
    let mut bah = retour_app::demo::bah();
    bah.application_date = Some(in_days(0));
    bah.planned_departure_date = Some(in_days(14));
    let case = s.app.register_case(&c, &bah).await.unwrap().id.to_string();
    for (to, who) in [
        ("assessed", &counsellor),
        ("plan_approved", &manager),
        ("departure_booked", &counsellor),
    ] {
        assert_eq!(move_to(who, &case, to, &in_days(0)).await, 303, "{to}");
    }
    let page = counsellor
        .get(&format!("/cases/{case}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Boeking wijzigen"),
        "the booked case offers a change"
    );
    let booking_form = page.split("id=\"booking-form\"").nth(1).unwrap();
    let version = version_of(booking_form);
    // Without a reason: refused, the message beside the field, in Dutch.
    let r = counsellor
        .post(
            &format!("/cases/{case}/booking"),
            &[
                ("version", version.as_str()),
                ("booking_date", &in_days(5)),
                ("transport", "bus"),
                ("travel_document", "issued"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("id=\"bc-reason-err\""),
        "the reason is asked for"
    );
    assert!(page.contains("Dit veld is verplicht") || page.contains("verplicht"));
    let r = counsellor
        .post(
            &format!("/cases/{case}/booking"),
            &[
                ("version", version.as_str()),
                ("booking_date", &in_days(5)),
                ("transport", "bus"),
                ("travel_document", "issued"),
                ("reason", "Vlucht geannuleerd, bus geboekt"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let page = counsellor
        .get(&format!("/cases/{case}"))
        .await
        .text()
        .await
        .unwrap();
    let booked = s.app.today() + time::Duration::days(5);
    let earlier = s.app.today();
    assert!(
        page.contains(&retour_i18n::Lang::Nl.date(booked)),
        "the new day is shown"
    );
    assert!(page.contains("Vertrekboeking · gecorrigeerd"));
    assert!(
        page.contains(&format!(
            "Vertrekdatum: {}",
            retour_i18n::Lang::Nl.date(earlier)
        )),
        "the earlier day stays, written the Dutch way"
    );
    assert!(page.contains("Vlucht geannuleerd, bus geboekt"));
    // The other tab, still on the old version: told, nothing changed.
    let r = counsellor
        .post(
            &format!("/cases/{case}/booking"),
            &[
                ("version", version.as_str()),
                ("booking_date", &in_days(9)),
                ("transport", "plane"),
                ("travel_document", "valid"),
                ("reason", "other tab"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    let case_id = uuid::Uuid::parse_str(&case).unwrap();
    assert_eq!(
        s.app
            .case(&c, case_id)
            .await
            .unwrap()
            .departure
            .unwrap()
            .date,
        booked
    );
    s.stop().await;
}
