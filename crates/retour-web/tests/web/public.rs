//! The public side: programme information, the non-binding estimate and the workbook order form
//! (validation, honeypot, rate limit, size limits), the staff queue, in HTTP and a real browser.

use fantoccini::Locator;
use retour_app::Role;

use crate::browser::{
    axe_source, check_accessibility, fill, html, screenshot, start_browser, submit, wait_path,
};
use crate::support::{csrf_of, Client, TestServer, PASSWORD};

/// An anonymous visitor who chose English with the language switch.
async fn english(s: &TestServer) -> Client {
    let c = Client::new(s);
    let res = c
        .post_form("/language", &[("lang", "en"), ("back", "/public")])
        .await;
    assert_eq!(res.status(), 303);
    c
}

async fn public_client(s: &TestServer) -> Client {
    let c = english(s).await;
    let page = c.get("/public/workbook/order").await;
    assert_eq!(page.status(), 200);
    let csrf = csrf_of(&page.text().await.unwrap());
    Client { csrf, ..c }
}

fn order<'a>(org: &'a str, nl: &'a str, fr: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("organisation", org),
        ("contact_name", "An Peeters"),
        ("email", "an.peeters@ocmw.example"),
        ("address", "Onderbergen 86\n9000 Gent"),
        ("quantity_nl", nl),
        ("quantity_fr", fr),
        ("quantity_en", ""),
        ("website", ""),
    ]
}

#[tokio::test]
async fn orders_are_validated_protected_against_abuse_and_rate_limited() {
    let s = TestServer::start().await;
    let c = public_client(&s).await;

    // Without the CSRF cookie's token: refused.
    let res = c
        .post_form("/public/workbook/order", &order("OCMW Gent", "20", "10"))
        .await;
    assert_eq!(res.status(), 403);

    // Invalid input: the form again with translated inline messages, nothing stored.
    let mut bad = order("", "501", "ten");
    bad[2] = ("email", "not-an-address");
    let res = c.post("/public/workbook/order", &bad).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("This field is required."), "{body}");
    assert!(body.contains("is not an e-mail address"));
    assert!(body.contains("“501” is not a valid number of copies"));
    assert!(body.contains("“ten” is not a valid number of copies"));
    let res = c
        .post("/public/workbook/order", &order("OCMW Gent", "", "0"))
        .await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Order at least one copy of one language edition."));
    let too_long = "x".repeat(201);
    let res = c
        .post("/public/workbook/order", &order(&too_long, "1", ""))
        .await;
    assert_eq!(res.status(), 422);
    // A body beyond the limit never reaches the handler.
    let huge = "x".repeat(64 * 1024);
    let res = c
        .post("/public/workbook/order", &order(&huge, "1", ""))
        .await;
    assert_eq!(res.status(), 413);

    // The honeypot: a generic refusal, nothing stored.
    let mut bot = order("Spam Ltd", "5", "");
    bot[7] = ("website", "http://spam.example");
    let res = c.post("/public/workbook/order", &bot).await;
    assert_eq!(res.status(), 400);
    let body = res.text().await.unwrap();
    assert!(body.contains("The order could not be accepted."));
    assert!(!body.contains("WB-"));
    assert!(s
        .db
        .store()
        .orders("pending", None, 100)
        .await
        .unwrap()
        .is_empty());

    // Four good orders (the honeypot hit counted as the first of five), then the limit.
    for i in 1..=4 {
        let res = c
            .post("/public/workbook/order", &order("OCMW Gent", "20", "10"))
            .await;
        assert_eq!(res.status(), 200, "order {i}");
        let body = res.text().await.unwrap();
        assert!(
            body.contains(&format!("Your order number is WB-2026-00000{i}."))
                || body.contains(&format!("Your order number is WB-2027-00000{i}.")),
            "{body}"
        );
    }
    let res = c
        .post("/public/workbook/order", &order("OCMW Gent", "20", "10"))
        .await;
    assert_eq!(res.status(), 429);
    assert!(res.text().await.unwrap().contains("Too many orders"));
    let stored = s.db.store().orders("pending", None, 100).await.unwrap();
    assert_eq!(stored.len(), 4);
    assert_eq!(
        stored[0]
            .1
            .iter()
            .map(|l| (l.edition.as_str(), l.quantity))
            .collect::<Vec<_>>(),
        vec![("fr", 10), ("nl", 20)]
    );
    s.stop().await;
}

#[tokio::test]
async fn the_estimate_uses_the_quote_engine_and_stores_nothing() {
    let s = TestServer::start().await;
    let c = english(&s).await;
    let page = c.get("/public/estimate").await;
    assert_eq!(page.status(), 200);
    let c = Client {
        csrf: csrf_of(&page.text().await.unwrap()),
        ..c
    };
    let res = c
        .post(
            "/public/estimate",
            &[
                ("destination", "GN"),
                ("planned_departure_date", ""),
                ("adults", "2"),
                ("child_0", "2015-04-01"),
                ("child_1", "2019"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    // Guinea needs a visa: €350 × 2 + €175 × 2 premium, €2,000 + €1,000 × 3 budget, €500 × 2 top-up.
    assert!(body.contains("€1,050.00"), "premium");
    assert!(body.contains("€6,000.00"), "in kind");
    assert!(body.contains("€7,050.00"), "total");
    assert!(body.contains("non-binding"));
    let res = c
        .post(
            "/public/estimate",
            &[
                ("destination", "ZZ"),
                ("adults", "3"),
                ("child_0", "2031-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("“ZZ” is not a known country code"));
    assert!(body.contains("lies in the future"));
    s.stop().await;
}

#[tokio::test]
async fn an_organisation_orders_workbooks_and_staff_ship_them_in_a_real_browser() {
    let s = TestServer::start().await;
    s.account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    let axe = axe_source();
    let (_driver, c) = start_browser().await;

    // The public pages in all three languages, with the switch that needs no sign-in.
    c.goto(&s.url("/public")).await.unwrap();
    for (lang, marker) in [
        ("nl", "Vrijwillige terugkeer en re-integratie"),
        ("fr", "Retour volontaire et réintégration"),
        ("en", "Voluntary return and reintegration"),
    ] {
        submit(&c, &format!("form.lang button[value={lang}]")).await;
        wait_path(&c, "/public", |p| p == "/public").await;
        let page = html(&c).await;
        assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        assert!(page.contains(marker), "{lang}");
        check_accessibility(&c, &axe, &format!("public page ({lang})")).await;
        screenshot(&c, &format!("public-{lang}")).await;
        c.goto(&s.url("/public/estimate")).await.unwrap();
        check_accessibility(&c, &axe, &format!("estimate form ({lang})")).await;
        c.goto(&s.url("/public/workbook/order")).await.unwrap();
        check_accessibility(&c, &axe, &format!("order form ({lang})")).await;
        c.goto(&s.url("/public")).await.unwrap();
    }

    // A family's estimate (in English now).
    c.goto(&s.url("/public/estimate")).await.unwrap();
    fill(&c, "#destination", "XK").await;
    fill(&c, "#child_0", "2017-05-08").await;
    submit(&c, "#estimate-submit").await;
    let est = html(&c).await;
    assert!(
        est.contains("Departure premium (cash)"),
        "the result is shown"
    );
    check_accessibility(&c, &axe, "estimate result").await;
    screenshot(&c, "public-estimate").await;

    // The order: 20 Dutch and 10 French workbooks.
    c.goto(&s.url("/public/workbook/order")).await.unwrap();
    fill(&c, "#organisation", "OCMW Gent").await;
    fill(&c, "#contact_name", "An Peeters").await;
    fill(&c, "#email", "an.peeters@ocmw.example").await;
    fill(&c, "#address", "Onderbergen 86, 9000 Gent").await;
    fill(&c, "#quantity_nl", "20").await;
    fill(&c, "#quantity_fr", "10").await;
    submit(&c, "#order-submit").await;
    let done = html(&c).await;
    let at = done.find("WB-").expect("an order number");
    let number = done[at..at + 14].to_string();
    assert!(
        number.starts_with("WB-20") && number.len() == 14,
        "{number}"
    );
    check_accessibility(&c, &axe, "order confirmation").await;
    screenshot(&c, "public-order-done").await;

    // Staff: stock the central store, then ship the order from the queue.
    c.goto(&s.url("/login")).await.unwrap();
    fill(&c, "#email", "pm@x.org").await;
    fill(&c, "#password", PASSWORD).await;
    submit(&c, "form[action='/login'] button[type=submit]").await;
    wait_path(&c, "/home", |p| p == "/home").await;
    submit(&c, "a[href='/workbook/orders']").await;
    check_accessibility(&c, &axe, "order queue").await;
    assert!(html(&c).await.contains(&number));
    c.goto(&s.url("/workbook/stock")).await.unwrap();
    for (edition, qty) in [("nl", "100"), ("fr", "50")] {
        c.find(Locator::Css("#s-location"))
            .await
            .unwrap()
            .select_by_value("central")
            .await
            .unwrap();
        c.find(Locator::Css("#s-edition"))
            .await
            .unwrap()
            .select_by_value(edition)
            .await
            .unwrap();
        fill(&c, "#s-quantity", qty).await;
        submit(&c, "#s-submit").await;
    }
    check_accessibility(&c, &axe, "stock page").await;
    c.goto(&s.url("/workbook/orders")).await.unwrap();
    screenshot(&c, "order-queue").await;
    submit(&c, &format!("#ship-{number}")).await;
    let queue = html(&c).await;
    assert!(!queue.contains(&number), "no longer pending");
    assert!(
        queue.contains("Central stock: Dutch 80 · French 40 · English 0"),
        "stock taken"
    );
    c.goto(&s.url("/workbook/orders?status=shipped"))
        .await
        .unwrap();
    assert!(html(&c).await.contains(&number));
    assert_eq!(s.db.store().stock_of("central", "nl").await.unwrap(), 80);
    assert_eq!(s.db.store().stock_of("central", "fr").await.unwrap(), 40);
    c.close().await.unwrap();
    s.stop().await;
}
