//! A baby born after the budget was approved, in a real browser, in Dutch at desktop width and
//! in French at 390 px: the counsellor adds her to the Miftari household with the household
//! form, the entitlement page shows what she changes line by line, and the programme manager
//! finds the task in their task list and confirms the new entitlement. Pages are reached by
//! links only and checked with axe-core.

use retour_app::Role;
use retour_domain::lifecycle::{Status, TransitionRequest};
use time::Duration;

use crate::browser::{axe_source, html, start_browser, submit, wait_path};
use crate::story::{select, Walk};
use crate::support::TestServer;

/// The Miftari household with its budget approved, as the earlier steps of the job leave it.
async fn approved_miftari(s: &TestServer) {
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
    let today = s.app.today();
    let day = |n: i64| retour_domain::dates::format_date(today + Duration::days(n));
    let mut input = retour_app::demo::miftari();
    input.application_date = Some(day(-60));
    input.planned_departure_date = Some(day(30));
    let case = s.app.register_case(&c, &input).await.unwrap();
    for m in &case.household.members {
        if retour_domain::age_on(m.person.birth_date.date(), today) < 18 {
            s.app
                .record_best_interests(
                    &c,
                    case.id,
                    m.person.id,
                    &retour_domain::children::BestInterestsInput {
                        assessed_on: day(0),
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
    s.app
        .transition(
            &c,
            case.id,
            case.version,
            &TransitionRequest {
                outcome: None,
                to: Status::Assessed,
                reason: "assessed".into(),
                booking: None,
                on: None,
            },
        )
        .await
        .unwrap();
    let agron = case.household.members[0].person.id;
    s.app
        .record_consent(
            &c,
            case.id,
            agron,
            "partner_transfer",
            Some("iom-xk"),
            &day(0),
        )
        .await
        .unwrap();
    s.app.assign_partner(&c, case.id, "iom-xk").await.unwrap();
    s.app
        .save_line(
            &c,
            case.id,
            None,
            &retour_app::plans::LineInput {
                category: "furniture".into(),
                employment_kind: None,
                description: "Meubels / meubles".into(),
                provider: "IOM Prishtinë".into(),
                target_date: None,
                amount_eur: "500".into(),
                style: retour_domain::NumberStyle::Plain,
            },
        )
        .await
        .unwrap();
    s.app.submit_plan(&c, case.id).await.unwrap();
    assert!(s.app.approve_plan(&pm, case.id).await.unwrap());
}

async fn newborn(lang: &str, width: u32) {
    let s = TestServer::start().await;
    approved_miftari(&s).await;
    let born = s.app.today() - Duration::days(1);
    let sep = if lang == "nl" { '-' } else { '/' };
    let typed = format!(
        "{:02}{sep}{:02}{sep}{}",
        born.day(),
        u8::from(born.month()),
        born.year()
    );
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

    // The counsellor adds the baby with the household form, her birth date as the page writes dates.
    w.sign_in("sara@poelkapelle.example").await;
    w.follow("main a[href^='/cases/']", "newborn-case").await;
    w.case_link("edit").await;
    submit(&c, "button[value=add_member]").await;
    select(&c, "#m5-rel", "child").await;
    crate::browser::fill(&c, "#m5-family", "Miftari").await;
    crate::browser::fill(&c, "#m5-given", "Drita").await;
    crate::browser::fill(&c, "#m5-birth", &typed).await;
    select(&c, "#m5-sex", "female").await;
    select(&c, "#m5-nat", "XK").await;
    select(&c, "#m5-lang", "sq").await;
    submit(&c, "button[value=save]").await;
    wait_path(&c, "the case page", |p| {
        p.starts_with("/cases/") && !p.ends_with("/edit")
    })
    .await;
    w.check("newborn-saved").await;
    assert!(
        html(&c).await.contains(&typed),
        "{lang}: Drita's birth date shown as {typed}"
    );

    // The entitlement page shows what the baby changes, waiting for a programme manager.
    w.case_link("entitlement").await;
    let page = html(&c).await;
    assert!(
        page.contains("id=\"entitlement-change\""),
        "{lang}: the change is shown"
    );
    assert!(page.contains("Drita Miftari"), "{lang}: whose lines change");
    assert!(
        page.contains("+ € 525,00"),
        "{lang}: the difference as the language writes it"
    );
    assert!(
        !page.contains("value=\"confirm\""),
        "{lang}: a counsellor does not decide"
    );
    w.sign_out().await;

    // The programme manager finds it in their queue and in their tasks, and confirms.
    w.sign_in("nadia@x.org").await;
    assert!(
        html(&c)
            .await
            .contains("aria-labelledby=\"q-entitlement-changes-h\""),
        "{lang}: the manager's home has the queue"
    );
    w.follow(
        "section[aria-labelledby='q-entitlement-changes-h'] a[href$='#entitlement-change']",
        "newborn-queue-review",
    )
    .await;
    w.follow("a[href='/tasks']", "newborn-tasks").await;
    w.follow(
        "a[href$='/entitlement#entitlement-change']",
        "newborn-review",
    )
    .await;
    w.follow(
        "#entitlement-change button[value=confirm]",
        "newborn-confirmed",
    )
    .await;
    let page = html(&c).await;
    assert!(
        !page.contains("id=\"entitlement-change\""),
        "{lang}: decided"
    );
    let confirmed = if lang == "nl" {
        "Nieuw recht op steun bevestigd op"
    } else {
        "Nouveau droit à l’aide confirmé le"
    };
    assert!(
        page.contains(confirmed),
        "{lang}: the decision is in the history"
    );
    // The plan's budget followed: four family top-ups of € 500 now.
    w.back_to_case().await;
    w.case_link("plan").await;
    assert!(
        html(&c).await.contains("€ 2.000,00"),
        "{lang}: the general envelope followed"
    );
    w.sign_out().await;
    s.stop().await;
}

#[tokio::test]
async fn a_baby_born_after_approval_is_added_and_confirmed_in_dutch() {
    newborn("nl", 1280).await;
}

#[tokio::test]
async fn a_baby_born_after_approval_is_added_and_confirmed_in_french_at_phone_width() {
    newborn("fr", 390).await;
}
