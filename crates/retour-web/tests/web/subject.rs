//! Subject access in a real browser, in Dutch at desktop width and in French at 390 px: the
//! data-protection officer finds a person by name, opens their case from the search results and
//! the person's export from the members list, by links only. The page holds the person's data,
//! the decrypted medical note, the amounts with their rules, and who read the case; axe-core
//! finds nothing, and the page never scrolls sideways.

use retour_app::{Role, Sensitivity};

use crate::browser::{axe_source, fill, html, start_browser, submit};
use crate::story::Walk;
use crate::support::TestServer;

async fn subject_access(lang: &str, width: u32) {
    let s = TestServer::start().await;
    s.app.ensure_reference_policy().await.unwrap();
    let c = s
        .account("sara@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let med = s
        .account("pieter@x.org", Role::MedicalAdvisor, None, None)
        .await;
    s.account("els@x.org", Role::DataProtectionOfficer, None, None)
        .await;
    let case = s
        .app
        .register_case(&c, &retour_app::demo::miftari())
        .await
        .unwrap();
    s.app
        .add_note(
            &med,
            case.id,
            Sensitivity::Medical,
            "insuline tweemaal daags",
        )
        .await
        .unwrap();
    s.app.case_view(&med, case.id).await.unwrap();
    let agron = &case.household.members[0].person;

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
    w.sign_in("els@x.org").await;
    w.follow("a[href='/search']", "subject-search").await;
    fill(&b, "#q", "Miftari").await;
    w.follow(
        "form[action='/search'] button[type=submit]",
        "subject-found",
    )
    .await;
    w.follow("main a[href^='/cases/']", "subject-case").await;
    w.follow(
        &format!("a[href='/persons/{}/export']", agron.id),
        "subject-export",
    )
    .await;
    let page = html(&b).await;
    assert!(
        page.contains(&format!("<html lang=\"{lang}\"")),
        "{lang}: the reader's language (the family speaks Albanian)"
    );
    assert!(page.contains(&agron.given_names), "{lang}: the person");
    assert!(
        page.contains("insuline tweemaal daags"),
        "{lang}: the medical note, decrypted"
    );
    assert!(page.contains("BE-2022"), "{lang}: the policy version");
    assert!(
        page.contains("pieter@x.org"),
        "{lang}: the medical advisor's read is listed"
    );
    for m in &case.household.members[1..] {
        assert!(
            !page.contains(&m.person.given_names),
            "{lang}: nothing of {}",
            m.person.given_names
        );
    }
    let title = if lang == "nl" {
        "Inzage-export"
    } else {
        "Export d’accès aux données"
    };
    assert!(page.contains(title), "{lang}: the title in the language");
    let basic = retour_i18n::Lang::parse(lang)
        .unwrap()
        .eur(rust_decimal::Decimal::new(50, 0));
    assert!(
        page.contains(&basic),
        "{lang}: the departure premium written {basic}"
    );
    assert!(
        page.contains(&format!("href=\"/persons/{}/export/json\"", agron.id)),
        "{lang}: the JSON download is offered"
    );
    w.sign_out().await;
    s.stop().await;
}

#[tokio::test]
async fn the_data_protection_officer_exports_a_person_in_dutch() {
    subject_access("nl", 1280).await;
}

#[tokio::test]
async fn the_data_protection_officer_exports_a_person_in_french_at_phone_width() {
    subject_access("fr", 390).await;
}
