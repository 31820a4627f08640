//! Real-browser tests: Debian's chromedriver and headless Chromium drive the real server. Every
//! page visited is checked with axe-core for WCAG 2.1 A/AA. A missing browser fails the suite.

use fantoccini::{Client, ClientBuilder, Locator};
use retour_app::Role;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::{TestServer, PASSWORD};

pub(crate) struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) async fn start_browser() -> (Driver, Client) {
    let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let port = free_port();
    let child = Command::new(&driver_bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {driver_bin} ({e}): install Debian's chromium and chromium-driver (see README)"));
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver {
        child,
        port,
        _profile: profile,
    };
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run", "--window-size=1280,1000",
                     format!("--user-data-dir={}", driver._profile.path().display())]
        }),
    );
    let url = format!("http://127.0.0.1:{}", driver.port);
    let mut last = None;
    for _ in 0..100 {
        match ClientBuilder::rustls()
            .expect("TLS roots")
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => return (driver, c),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not accept a session: {last:?}");
}

pub(crate) fn axe_source() -> String {
    let path = std::env::var("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core not found at {} ({e}): run `npm ci` in the repository",
            path.display()
        )
    })
}

/// Runs axe-core on the current page; fails on any serious or critical WCAG 2.1 A/AA violation.
pub(crate) async fn check_accessibility(c: &Client, axe: &str, what: &str) {
    c.execute(&format!("{axe}\nreturn true;"), vec![])
        .await
        .expect("inject axe");
    let result = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))))
               .catch(e => done('axe failed: ' + e));",
            vec![],
        )
        .await
        .expect("run axe");
    let text = result.as_str().unwrap_or_default().to_string();
    assert!(!text.starts_with("axe failed"), "{what}: {text}");
    let violations: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let bad: Vec<&serde_json::Value> = violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious") | Some("critical")))
        .collect();
    assert!(bad.is_empty(), "{what}: accessibility violations {bad:#?}");
}

pub(crate) async fn screenshot(c: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    if let Ok(png) = c.screenshot().await {
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

pub(crate) async fn fill(c: &Client, css: &str, value: &str) {
    let el = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

pub(crate) async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Waits until the browser shows a path that satisfies `ok` (a click returns before the next page loads).
pub(crate) async fn wait_path(c: &Client, what: &str, ok: impl Fn(&str) -> bool) -> String {
    for _ in 0..100 {
        let path = c.current_url().await.unwrap().path().to_string();
        if ok(&path)
            && c.execute("return document.readyState", vec![])
                .await
                .unwrap()
                == "complete"
        {
            return path;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "never reached {what}: at {}",
        c.current_url().await.unwrap()
    );
}

/// Clicks a submit button and waits for the page it leads to (which may be the same path).
pub(crate) async fn submit(c: &Client, css: &str) {
    let marker = c.find(Locator::Css("html")).await.unwrap();
    click(c, css).await;
    for _ in 0..100 {
        // The old document's element goes stale once the new page is there.
        if marker.tag_name().await.is_err()
            && c.execute("return document.readyState", vec![])
                .await
                .unwrap()
                == "complete"
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{css} did not load a new page");
}

pub(crate) async fn html(c: &Client) -> String {
    c.source().await.unwrap()
}

#[tokio::test]
async fn a_counsellor_registers_finds_and_moves_the_miftari_household_in_a_real_browser() {
    let s = TestServer::start().await;
    s.account(
        "sara@poelkapelle.example",
        Role::Counsellor,
        Some("poelkapelle"),
        None,
    )
    .await;
    let axe = axe_source();
    let (_driver, c) = start_browser().await;

    // Sign in.
    c.goto(&s.url("/")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().ends_with("/login"));
    check_accessibility(&c, &axe, "sign-in page").await;
    fill(&c, "#email", "sara@poelkapelle.example").await;
    fill(&c, "#password", PASSWORD).await;
    submit(&c, "form[action='/login'] button[type=submit]").await;
    wait_path(&c, "/home", |p| p == "/home").await;
    check_accessibility(&c, &axe, "home").await;
    screenshot(&c, "home").await;

    // Register the Miftari household: 2 adults, 3 children, returning to Kosovo.
    submit(&c, "a[href='/cases/new']").await;
    check_accessibility(&c, &axe, "new household form").await;
    c.find(Locator::Css("#destination_country"))
        .await
        .unwrap()
        .select_by_value("XK")
        .await
        .unwrap();
    fill(&c, "#destination_place", "Ferizaj").await;
    fill(&c, "#location_name", "Poelkapelle").await;
    fill(&c, "#application_date", "10/05/2026").await;
    let members = [
        ("principal", "Miftari", "Agron", "1985-03-12", "male"),
        ("partner", "Miftari", "Shqipe", "1988-07-02", "female"),
        ("child", "Miftari", "Dea", "2013-09-21", "female"),
        ("child", "Miftari", "Liridon", "2017-05-08", "male"),
        ("child", "Miftari", "Arta", "2021-02-15", "female"),
    ];
    for (i, (rel, family, given, birth, sex)) in members.iter().enumerate() {
        if i > 0 {
            submit(&c, "button[value=add_member]").await;
        }
        c.find(Locator::Css(&format!("#m{i}-rel")))
            .await
            .unwrap()
            .select_by_value(rel)
            .await
            .unwrap();
        fill(&c, &format!("#m{i}-family"), family).await;
        fill(&c, &format!("#m{i}-given"), given).await;
        fill(&c, &format!("#m{i}-birth"), birth).await;
        c.find(Locator::Css(&format!("#m{i}-sex")))
            .await
            .unwrap()
            .select_by_value(sex)
            .await
            .unwrap();
        for (list, code) in [("nat", "XK"), ("lang", "sq")] {
            c.find(Locator::Css(&format!("#m{i}-{list}")))
                .await
                .unwrap()
                .select_by_value(code)
                .await
                .unwrap();
        }
    }
    fill(&c, "#m0-other", "Mifteri").await;
    screenshot(&c, "household-form").await;
    submit(&c, "button[value=save]").await;
    wait_path(&c, "the case page", |p| {
        p.starts_with("/cases/") && p != "/cases/new"
    })
    .await;
    let case_url = c.current_url().await.unwrap();
    let page = html(&c).await;
    assert!(
        page.contains("R-2026-000001")
            || page.contains("R-2027-000001")
            || page.contains("-000001"),
        "a reference was given"
    );
    assert_eq!(
        page.matches("<th scope=\"row\">").count(),
        5,
        "five members listed"
    );
    check_accessibility(&c, &axe, "case page").await;
    screenshot(&c, "case").await;

    // Find it again by another spelling of the name, never typed in.
    submit(&c, "a[href='/search']").await;
    check_accessibility(&c, &axe, "search page").await;
    fill(&c, "#q", "Miftary").await;
    submit(&c, "form.search-form button[type=submit]").await;
    let results = html(&c).await;
    assert!(
        results.contains("One household found"),
        "one row for the household: {}",
        &results[results.find("<main").unwrap_or(0)..]
    );
    let row = &results[results
        .find("<ul class=\"plain\">")
        .expect("the members found")..];
    assert_eq!(
        row[..row.find("</ul>").unwrap()].matches("<li>").count(),
        5,
        "all five members found, in that one row"
    );
    check_accessibility(&c, &axe, "search results").await;
    screenshot(&c, "search").await;
    submit(&c, "table tbody tr a").await;
    assert_eq!(c.current_url().await.unwrap().path(), case_url.path());

    // Move it through a transition.
    fill(
        &c,
        "#reason-assessed",
        "Intake interview held with both parents",
    )
    .await;
    submit(&c, "form.transition input[value=assessed] ~ button").await;
    let after = html(&c).await;
    assert!(after.contains("badge s-assessed"), "status is now assessed");
    assert!(
        after.contains("Intake interview held with both parents"),
        "the reason is in the history"
    );

    // Switch to French.
    submit(&c, "form.lang button[value=fr]").await;
    let fr = html(&c).await;
    assert!(fr.contains("<html lang=\"fr\">"), "the page is in French");
    assert_eq!(
        c.current_url().await.unwrap().path(),
        case_url.path(),
        "back on the same case"
    );
    check_accessibility(&c, &axe, "case page in French").await;
    screenshot(&c, "case-fr").await;

    // Sign out.
    submit(&c, "form[action='/logout'] button").await;
    wait_path(&c, "/login", |p| p == "/login").await;
    c.goto(case_url.as_str()).await.unwrap();
    wait_path(&c, "/login after sign-out", |p| p == "/login").await;
    c.close().await.unwrap();
    s.stop().await;
}
