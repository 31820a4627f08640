//! Break-glass access in a real browser, in Dutch at desktop width and in French at 390 px: a
//! counsellor of another office reaches the form from the search page, is refused with a word
//! for a reason, opens the case with one and reads it (the page says until when); the case's
//! counsellor finds the task, follows it and reads who opened it and why. axe-core on every page.

use retour_app::Role;

use crate::browser::{axe_source, fill, html, start_browser, submit, wait_path};
use crate::story::Walk;
use crate::support::TestServer;

async fn break_glass(lang: &str, width: u32) {
    let s = TestServer::start().await;
    s.app.ensure_reference_policy().await.unwrap();
    let jan = s
        .account("jan@x.org", Role::Counsellor, Some("brussel"), None)
        .await;
    s.account("sara@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let mut h = retour_app::demo::bah();
    h.office = "brussel".into();
    let case = s.app.register_case(&jan, &h).await.unwrap();
    let reference = case.reference.to_string();

    let axe = axe_source();
    let (_driver, b) = start_browser().await;
    b.set_window_size(width, 1000).await.unwrap();
    let mut w = Walk {
        c: &b,
        axe: &axe,
        lang,
        pages: 0,
    };
    b.goto(&s.url("/login")).await.unwrap();
    submit(&b, &format!("form.lang button[value={lang}]")).await;
    w.sign_in("sara@x.org").await;
    w.follow("a[href='/search']", "bg-search").await;
    w.follow("main a[href='/break-glass']", "bg-form").await;
    fill(&b, "#bg-reference", &reference).await;
    fill(&b, "#bg-reason", "urgent").await;
    submit(&b, "form[action='/break-glass'] button[type=submit]").await;
    let refused = html(&b).await;
    assert!(
        refused.contains("id=\"error-summary\""),
        "{lang}: a word is no reason"
    );
    assert!(
        refused.contains("bg-reason-err"),
        "{lang}: said at the reason"
    );
    crate::browser::check_accessibility(&b, &axe, &format!("{lang} bg-refused")).await;
    fill(
        &b,
        "#bg-reason",
        "Mr Bah collapsed at our desk; the ambulance needs his treatment",
    )
    .await;
    submit(&b, "form[action='/break-glass'] button[type=submit]").await;
    wait_path(&b, "the case", |p| p == format!("/cases/{}", case.id)).await;
    w.check("bg-case").await;
    let page = html(&b).await;
    let notice = if lang == "nl" {
        "U leest dit dossier via noodtoegang"
    } else {
        "Vous lisez ce dossier par un accès d’urgence"
    };
    assert!(
        page.contains(notice),
        "{lang}: the page says how it is read"
    );
    assert!(page.contains("Bah"), "{lang}: the household is shown");
    assert!(
        !page.contains(&format!("href=\"/cases/{}/edit\"", case.id)),
        "{lang}: reading only"
    );
    w.sign_out().await;

    // The case's counsellor is told: a task that leads to who opened it and why.
    w.sign_in("jan@x.org").await;
    w.follow("a[href='/tasks']", "bg-tasks").await;
    w.follow(
        &format!("a[href='/cases/{}/break-glass']", case.id),
        "bg-list",
    )
    .await;
    let list = html(&b).await;
    assert!(list.contains("Test sara@x.org"), "{lang}: who");
    assert!(
        list.contains("the ambulance needs his treatment"),
        "{lang}: why"
    );
    w.sign_out().await;
    s.stop().await;
}

#[tokio::test]
async fn a_counsellor_of_another_office_opens_a_case_in_an_emergency_in_dutch() {
    break_glass("nl", 1280).await;
}

#[tokio::test]
async fn a_counsellor_of_another_office_opens_a_case_in_an_emergency_in_french_at_phone_width() {
    break_glass("fr", 390).await;
}
