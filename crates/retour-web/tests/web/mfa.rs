//! Two-step sign-in through the pages, with the default roles: a programme manager signs in
//! for the first time, scans (here: reads) the key, confirms with a code, keeps the recovery
//! codes, and later signs in with one of them, which works once. In a real browser, in Dutch
//! at desktop width and in French at 390 px, axe-core on every page. Then an administrator
//! resets a lost second factor from the account's page.

use fantoccini::Locator;
use retour_app::Role;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::browser::{
    axe_source, check_accessibility, fill, html, start_browser, submit, wait_path,
};
use crate::story::Walk;
use crate::support::{csrf_of, Client, TestServer, PASSWORD};

/// The code an authenticator app shows now for the key as the page writes it.
fn code_for(key: &str) -> String {
    let bytes = Secret::Encoded(key.split_whitespace().collect())
        .to_bytes()
        .expect("a base32 key");
    let t = TOTP::new_unchecked(Algorithm::SHA1, 6, 0, 30, bytes, None, String::new());
    t.generate_current().unwrap()
}

async fn text_of(b: &fantoccini::Client, css: &str) -> String {
    b.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

async fn first_sign_in_and_recovery(lang: &str, width: u32) {
    let s = TestServer::start_with_default_mfa().await;
    s.account("nadia@x.org", Role::ProgrammeManager, None, None)
        .await;
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
    let password_step = |b: &fantoccini::Client| {
        let b = b.clone();
        async move {
            fill(&b, "#email", "nadia@x.org").await;
            fill(&b, "#password", PASSWORD).await;
            submit(&b, "form[action='/login'] button[type=submit]").await;
        }
    };

    // First sign-in: no session yet, the set-up page instead.
    password_step(&b).await;
    wait_path(&b, "set-up", |p| p == "/login/enrol").await;
    w.check("mfa-enrol").await;
    let page = html(&b).await;
    assert!(page.contains("<svg"), "{lang}: the QR code");
    let intro = if lang == "nl" {
        "authenticator-app"
    } else {
        "application d’authentification"
    };
    assert!(page.contains(intro), "{lang}: explained in the language");
    let key = text_of(&b, "#mfa-secret").await;
    fill(&b, "#code", &code_for(&key)).await;
    w.follow(
        "form[action='/login/enrol'] button[type=submit]",
        "mfa-recovery-codes",
    )
    .await;
    let mut codes = Vec::new();
    for el in b.find_all(Locator::Css("ul.codes code")).await.unwrap() {
        codes.push(el.text().await.unwrap());
    }
    assert_eq!(codes.len(), 10, "{lang}: ten recovery codes");
    w.follow("main a.button", "home").await;
    assert_eq!(b.current_url().await.unwrap().path(), "/home");
    w.sign_out().await;

    // Next time: the password, then a code; a recovery code (phone lost), typed in capitals.
    password_step(&b).await;
    wait_path(&b, "code", |p| p == "/login/code").await;
    w.check("mfa-code").await;
    fill(&b, "#code", &codes[0].to_uppercase()).await;
    submit(&b, "form[action='/login/code'] button[type=submit]").await;
    wait_path(&b, "home", |p| p == "/home").await;
    w.sign_out().await;

    // The same recovery code a second time: refused, said in the language, nothing else.
    password_step(&b).await;
    wait_path(&b, "code", |p| p == "/login/code").await;
    fill(&b, "#code", &codes[0]).await;
    submit(&b, "form[action='/login/code'] button[type=submit]").await;
    let refused = html(&b).await;
    let said = if lang == "nl" {
        "Die code klopt niet of werd al gebruikt"
    } else {
        "Ce code n’est pas correct ou a déjà été utilisé"
    };
    assert!(refused.contains(said), "{lang}: the refusal is explained");
    assert!(!refused.contains("href=\"/home\""), "{lang}: not signed in");
    check_accessibility(&b, &axe, &format!("{lang} mfa-code-refused")).await;
    s.stop().await;
}

#[tokio::test]
async fn a_manager_sets_up_two_step_sign_in_and_a_recovery_code_works_once_in_dutch() {
    first_sign_in_and_recovery("nl", 1280).await;
}

#[tokio::test]
async fn a_manager_sets_up_two_step_sign_in_and_a_recovery_code_works_once_in_french_at_phone_width(
) {
    first_sign_in_and_recovery("fr", 390).await;
}

/// Signs in through the set-up page, confirming with the code the key gives now.
async fn sign_in_setting_up(s: &TestServer, email: &str) -> Client {
    let client = Client::new(s);
    let csrf = csrf_of(&client.get("/login").await.text().await.unwrap());
    let res = client
        .post_form(
            "/login",
            &[("email", email), ("password", PASSWORD), ("_csrf", &csrf)],
        )
        .await;
    assert_eq!(res.headers()["location"], "/login/enrol");
    let page = client.get("/login/enrol").await.text().await.unwrap();
    let key = page
        .split("id=\"mfa-secret\">")
        .nth(1)
        .and_then(|p| p.split('<').next())
        .expect("the key on the page")
        .to_string();
    let res = client
        .post_form(
            "/login/enrol",
            &[("code", &code_for(&key)), ("_csrf", &csrf)],
        )
        .await;
    assert_eq!(res.status(), 200, "the recovery codes page");
    let home = client.get("/home").await.text().await.unwrap();
    Client {
        csrf: csrf_of(&home),
        ..client
    }
}

#[tokio::test]
async fn an_administrator_resets_a_lost_second_factor_and_the_sessions_end() {
    let s = TestServer::start_with_default_mfa().await;
    let pm = s
        .account("nadia@x.org", Role::ProgrammeManager, None, None)
        .await;
    s.account("root@x.org", Role::Admin, None, None).await;
    let nadia = sign_in_setting_up(&s, "nadia@x.org").await;
    assert_eq!(nadia.get("/home").await.status(), 200);
    // Without a pending sign-in the second step sends everyone back to the password.
    let stranger = Client::new(&s);
    let res = stranger.get("/login/code").await;
    assert_eq!(res.headers()["location"], "/login");
    // A password alone does not sign the manager in any more.
    let half = Client::new(&s);
    let csrf = csrf_of(&half.get("/login").await.text().await.unwrap());
    let res = half
        .post_form(
            "/login",
            &[
                ("email", "nadia@x.org"),
                ("password", PASSWORD),
                ("_csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(res.headers()["location"], "/login/code");
    assert_eq!(
        half.get("/home").await.headers()["location"],
        "/login",
        "no session between the password and the code"
    );

    let admin = sign_in_setting_up(&s, "root@x.org").await;
    let page = admin
        .get(&format!("/admin/users/{}", pm.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Two-step sign-in is on. 10 recovery codes left."));
    let res = admin
        .post(&format!("/admin/users/{}/second-factor/reset", pm.id), &[])
        .await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("Two-step sign-in was reset"));
    assert!(page.contains("Two-step sign-in is off."));
    assert_eq!(
        nadia.get("/home").await.headers()["location"],
        "/login",
        "the manager's session ended"
    );
    // The next sign-in sets it up again.
    sign_in_setting_up(&s, "nadia@x.org").await;
    s.stop().await;
}
