//! After return, in a real browser: the IOM Kosovo caseworker records the baseline and the
//! 6-month follow-up of the Miftari household with the Reintegration Sustainability Survey,
//! and the counsellor sees the scores over time as a chart and a table; in Dutch at desktop
//! width and in French at 390 px, by links only, every page checked with axe-core.

use fantoccini::Locator;
use retour_app::Role;
use retour_domain::instrument::{Instrument, RSS_2017_SOURCE};
use retour_domain::lifecycle::{DepartureBooking, Status, TransitionRequest};

use crate::browser::{axe_source, click, fill, html, start_browser, submit};
use crate::story::{select, Walk};
use crate::support::TestServer;

/// The Miftari household assigned to IOM Kosovo, its budget approved, arrived today.
async fn arrived_miftari(s: &TestServer) {
    let pm = s
        .account("nadia@x.org", Role::ProgrammeManager, None, None)
        .await;
    s.app
        .create_partner_org(&pm, "iom-xk", "IOM Kosovo", "iom", &["XK".into()])
        .await
        .unwrap();
    let c = s
        .account(
            "sara@poelkapelle.example",
            Role::Counsellor,
            Some("poelkapelle"),
            None,
        )
        .await;
    let iom = s
        .account(
            "besa@iom-xk.example",
            Role::PartnerCaseworker,
            None,
            Some("iom-xk"),
        )
        .await;
    let today = s.app.today();
    let day = retour_domain::dates::format_date(today);
    let case = s
        .app
        .register_case(&c, &retour_app::demo::miftari())
        .await
        .unwrap();
    for m in &case.household.members {
        if retour_domain::age_on(m.person.birth_date.date(), today) < 18 {
            s.app
                .record_best_interests(
                    &c,
                    case.id,
                    m.person.id,
                    &retour_domain::children::BestInterestsInput {
                        assessed_on: day.clone(),
                        assessed_by: "Sara Claes".into(),
                        consulted_parents: true,
                        consulted_guardian: false,
                        consulted_child: true,
                        consulted_names: "Agron, Shqipe".into(),
                        summary: "Terugkeer met het gezin".into(),
                        conclusion: "In het belang van het kind".into(),
                    },
                )
                .await
                .unwrap();
        }
    }
    let agron = case.household.members[0].person.id;
    s.app
        .record_consent(&c, case.id, agron, "partner_transfer", Some("iom-xk"), &day)
        .await
        .unwrap();
    s.app.assign_partner(&c, case.id, "iom-xk").await.unwrap();
    let step = |to: Status| TransitionRequest {
        outcome: None,
        to,
        reason: "volgens plan".into(),
        booking: (to == Status::DepartureBooked).then_some(DepartureBooking {
            date: today,
            transport: "plane".parse().unwrap(),
            travel_document: "valid".parse().unwrap(),
        }),
        on: (to == Status::Departed).then_some(today),
    };
    let mut v = s.app.case(&c, case.id).await.unwrap().version;
    for (who, to) in [
        (&c, Status::Assessed),
        (&pm, Status::PlanApproved),
        (&c, Status::DepartureBooked),
        (&c, Status::Departed),
    ] {
        v = s
            .app
            .transition(who, case.id, v, &step(to))
            .await
            .unwrap()
            .version;
    }
    s.app.confirm_arrival(&iom, case.id, &day).await.unwrap();
}

/// Answers every question of the survey on the page: in each dimension the option scored
/// closest to `target` (a fraction), clicked as a user would.
async fn answer(c: &fantoccini::Client, targets: &[(&str, &str)]) {
    let rss = Instrument::parse(RSS_2017_SOURCE).unwrap();
    for i in rss.indicators() {
        let target = targets
            .iter()
            .find(|(d, _)| *d == i.dimension)
            .map(|(_, t)| retour_domain::instrument::parse_score(t).unwrap())
            .unwrap();
        let o = i
            .options
            .iter()
            .filter_map(|o| o.score.map(|s| (o, s)))
            .min_by_key(|(_, s)| {
                let d = *s - target;
                if d < 0.into() {
                    -d
                } else {
                    d
                }
            })
            .unwrap()
            .0;
        click(c, &format!("#q-{}-{}", i.code, o.code)).await;
    }
}

async fn follow_up(lang: &str, width: u32) {
    let s = TestServer::start().await;
    arrived_miftari(&s).await;
    let axe = axe_source();
    let (_driver, c) = start_browser().await;
    c.set_window_size(width, 1000).await.unwrap();
    let mut w = Walk {
        c: &c,
        axe: &axe,
        lang,
        pages: 0,
    };
    c.goto(&s.url("/login")).await.unwrap();
    submit(&c, &format!("form.lang button[value={lang}]")).await;

    // The caseworker finds the case among her organisation's, and opens its follow-up.
    w.sign_in("besa@iom-xk.example").await;
    w.follow("main a[href^='/cases/']", "followup-case").await;
    w.case_link("monitoring").await;
    let page = html(&c).await;
    assert!(
        page.contains("id=\"followup-form\""),
        "{lang}: the form is offered"
    );

    // A wrong try first: the survey half answered is refused, and what was typed stays.
    click(&c, "#mode-home_visit").await;
    fill(&c, "#f-observed", "Winkel open / magasin ouvert").await;
    click(&c, "#q-economic_satisfaction-very_satisfied").await;
    submit(&c, "#followup-form button[type=submit]").await;
    let refused = html(&c).await;
    assert!(refused.contains("id=\"error-summary\""), "{lang}: refused");
    // The summary names each unanswered question and leads to it.
    let rss = Instrument::parse(RSS_2017_SOURCE).unwrap();
    let second = &rss.indicators()[1];
    let summary = c
        .find(Locator::Css(&format!(
            "#error-summary a[href='#f-answers.{}']",
            second.code
        )))
        .await
        .expect("a link to the unanswered question")
        .text()
        .await
        .unwrap();
    // WebDriver reads French no-break spaces as plain ones.
    let plain = |t: &str| t.replace(['\u{a0}', '\u{202f}'], " ");
    assert!(
        plain(&summary).starts_with(&plain(&format!("2. {}", second.question.get(lang)))),
        "{lang}: {summary}"
    );
    assert!(
        refused.contains("Winkel open / magasin ouvert"),
        "{lang}: the observation typed is kept"
    );
    crate::browser::check_accessibility(&c, &axe, &format!("{lang} followup-refused")).await;

    // The baseline after a difficult start: only the psychosocial answers at their best (1/3).
    select(&c, "#f-followup", "baseline").await;
    answer(
        &c,
        &[("economic", "0"), ("social", "0"), ("psychosocial", "1")],
    )
    .await;
    w.follow("#followup-form button[type=submit]", "followup-baseline")
        .await;
    // The 6-month follow-up: much improved, the economic answers at their best too (2/3).
    select(&c, "#f-followup", "month_6").await;
    click(&c, "#mode-phone").await;
    fill(&c, "#f-met", "Agron").await;
    fill(&c, "#f-observed", "Het gaat beter / ça va mieux").await;
    answer(
        &c,
        &[("economic", "1"), ("social", "0"), ("psychosocial", "1")],
    )
    .await;
    w.follow("#followup-form button[type=submit]", "followup-month-6")
        .await;
    let page = html(&c).await;
    assert!(
        !page.contains("<option value=\"baseline\""),
        "{lang}: recorded follow-ups are no longer offered"
    );
    w.sign_out().await;

    // The counsellor reads the scores over time.
    w.sign_in("sara@poelkapelle.example").await;
    w.follow("main a[href^='/cases/']", "followup-counsellor-case")
        .await;
    w.case_link("monitoring").await;
    let page = html(&c).await;
    assert!(
        !page.contains("id=\"followup-form\""),
        "{lang}: the partner records, not the counsellor"
    );
    let chart = c
        .find(Locator::Css("figure.chart svg[role=img]"))
        .await
        .expect("the chart");
    assert_eq!(
        chart
            .find_all(Locator::Css(".s-composite circle"))
            .await
            .unwrap()
            .len(),
        2,
        "{lang}: one point per survey"
    );
    let rows = c.find_all(Locator::Css("#scores tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 2, "{lang}: one row per survey");
    let first = rows[0].text().await.unwrap();
    let second = rows[1].text().await.unwrap();
    // Decimals as the language writes them: 1/3 and 2/3.
    assert!(
        first.contains("0,33"),
        "{lang}: baseline composite in {first}"
    );
    assert!(
        second.contains("0,67"),
        "{lang}: 6-month composite in {second}"
    );
    let (high, provisional) = if lang == "nl" {
        ("hoog", "voorlopig")
    } else {
        ("élevé", "provisoires")
    };
    assert!(second.contains(high), "{lang}: the level in {second}");
    assert!(
        page.contains(provisional),
        "{lang}: weights said to be provisional"
    );
    w.sign_out().await;
    s.stop().await;
}

#[tokio::test]
async fn the_partner_records_follow_ups_and_the_counsellor_sees_the_scores_in_dutch() {
    follow_up("nl", 1280).await;
}

#[tokio::test]
async fn the_partner_records_follow_ups_and_the_counsellor_sees_the_scores_in_french_at_phone_width(
) {
    follow_up("fr", 390).await;
}
