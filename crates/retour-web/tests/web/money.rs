//! Amounts typed the way the page shows them, in each language, through the pages and the API:
//! `1.000,50` on a Dutch page is a thousand euro and fifty cents, `1,000` is refused with an
//! example of how to write it, and what a form shows can be sent back as it is.

use retour_app::Role;

use crate::support::TestServer;

#[tokio::test]
async fn amounts_typed_as_each_language_writes_them_are_read_exactly_or_refused_with_a_hint() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let mut input = retour_app::demo::miftari();
    input.destination_country = "GN".into();
    let case = s.app.register_case(&c, &input).await.unwrap();
    let tab = s.sign_in("c@x.org").await;
    assert_eq!(
        tab.post("/language", &[("lang", "nl"), ("back", "/home")])
            .await
            .status(),
        303
    );
    let lines = format!("/cases/{}/plan/lines", case.id);
    let line = |amount: &'static str| {
        [
            ("category", "housing"),
            ("employment_kind", ""),
            ("description", "Rent for the first months"),
            ("provider", "Landlord in Conakry"),
            ("target_date", ""),
            ("amount_eur", amount),
        ]
    };
    assert_eq!(tab.post(&lines, &line("1.000,50")).await.status(), 303);
    let plan = s.app.plan_view(&c, case.id).await.unwrap();
    assert_eq!(
        plan.lines[0].planned, 100_050,
        "a thousand euro and fifty cents"
    );

    for (typed, hint) in [
        ("1,000", "kan op twee manieren gelezen worden"),
        ("2,500", "kan op twee manieren gelezen worden"),
        ("12,345", "kan op twee manieren gelezen worden"),
        ("veel", "is geen bedrag"),
    ] {
        let res = tab.post(&lines, &line(typed)).await;
        assert_eq!(res.status(), 422, "{typed}");
        let page = res.text().await.unwrap();
        assert!(page.contains(hint), "{typed}: {page}");
        assert!(
            page.contains("1.250,50"),
            "the example is written the Dutch way"
        );
    }
    assert_eq!(s.app.plan_view(&c, case.id).await.unwrap().lines.len(), 1);

    // The page shows the amount the Dutch way, and takes it back as shown.
    let page = tab
        .get(&format!("/cases/{}/plan", case.id))
        .await
        .text()
        .await
        .unwrap();
    let shown = "€ 1.000,50";
    assert!(page.contains(shown), "{page}");
    let change = format!("/cases/{}/plan/lines/{}/amount", case.id, plan.lines[0].id);
    assert_eq!(
        tab.post(&change, &[("amount_eur", "€ 2.000,00")])
            .await
            .status(),
        303
    );
    assert_eq!(
        s.app.plan_view(&c, case.id).await.unwrap().lines[0].planned,
        200_000
    );

    // In French the same rules; in English `1,000` is a thousand and `1.000` is refused.
    assert_eq!(
        tab.post("/language", &[("lang", "fr"), ("back", "/home")])
            .await
            .status(),
        303
    );
    assert_eq!(tab.post(&lines, &line("1 250,75")).await.status(), 303);
    let res = tab.post(&lines, &line("1,000")).await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("peut se lire de deux façons"));
    assert_eq!(
        tab.post("/language", &[("lang", "en"), ("back", "/home")])
            .await
            .status(),
        303
    );
    assert_eq!(tab.post(&lines, &line("1,000")).await.status(), 303);
    let res = tab.post(&lines, &line("1.000")).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("1,250.50"));
    let planned: Vec<i64> = s
        .app
        .plan_view(&c, case.id)
        .await
        .unwrap()
        .lines
        .iter()
        .map(|l| l.planned)
        .collect();
    assert_eq!(planned, vec![200_000, 125_075, 100_000]);

    // The API reads plain decimals, as strings or numbers, and refuses anything grouped.
    let (_, token) = s.app.create_api_token("c@x.org", "t").await.unwrap();
    let http = reqwest::Client::new();
    let post = |amount: serde_json::Value| {
        http.post(s.url(&format!("/api/v1/cases/{}/plan/lines", case.id)))
            .header("authorization", format!("Bearer {token}"))
            .json(
                &serde_json::json!({"category": "furniture", "description": "Beds",
                "provider": "Shop", "amount_eur": amount}),
            )
            .send()
    };
    assert_eq!(post("450.25".into()).await.unwrap().status(), 201);
    assert_eq!(post(serde_json::json!(99.5)).await.unwrap().status(), 201);
    for bad in ["1,000", "1.000", "1 000"] {
        let res = post(bad.into()).await.unwrap();
        assert_eq!(res.status(), 422, "{bad}");
        let problem: serde_json::Value = res.json().await.unwrap();
        assert_eq!(problem["errors"][0]["code"], "ambiguous-amount", "{bad}");
    }
    let res = post(serde_json::json!(true)).await.unwrap();
    assert_eq!(
        res.status(),
        400,
        "not an amount at all: the body is refused"
    );
    let lines = s.app.plan_view(&c, case.id).await.unwrap().lines;
    assert!(lines.iter().any(|l| l.planned == 45_025));
    assert!(lines.iter().any(|l| l.planned == 9_950));
    s.stop().await;
}
