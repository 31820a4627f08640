//! Behaviour over HTTP: headers, sign-in, CSRF, languages, forms and the API's error format.

use retour_app::demo::miftari;
use retour_app::Role;

use crate::support::{csrf_of, Client, TestServer, PASSWORD};

#[tokio::test]
async fn pages_carry_security_headers_and_healthz_needs_no_sign_in() {
    let s = TestServer::start().await;
    let c = Client::new(&s);
    let res = c.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
    let res = c.get("/login").await;
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'")
            && csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    let cookie = h["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && !cookie.contains("Secure"),
        "{cookie}"
    );
    // Pages need a session; the API needs a token.
    assert_eq!(c.get("/home").await.headers()["location"], "/login");
    let api = c
        .get("/api/v1/cases/00000000-0000-0000-0000-000000000000")
        .await;
    assert_eq!(api.status(), 401);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    s.stop().await;
}

#[tokio::test]
async fn sign_in_sign_out_throttling_and_csrf() {
    let s = TestServer::start().await;
    s.account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let c = Client::new(&s);
    let csrf = csrf_of(&c.get("/login").await.text().await.unwrap());
    // A sign-in form without the matching token is refused.
    let res = c
        .post_form(
            "/login",
            &[("email", "c@x.org"), ("password", PASSWORD), ("_csrf", "0")],
        )
        .await;
    assert_eq!(res.status(), 403);
    let wrong = c
        .post_form(
            "/login",
            &[
                ("email", "c@x.org"),
                ("password", "nope nope nope"),
                ("_csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 401);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Het e-mailadres of het wachtwoord is niet juist."),
        "Dutch by default"
    );

    let signed = s.sign_in("c@x.org").await;
    let home = signed.get("/home").await;
    assert_eq!(home.status(), 200);
    // A form posted with another token (as a forged cross-site form would be) is refused.
    let forged = signed
        .post_form("/search", &[("q", "Miftari"), ("_csrf", &"f".repeat(64))])
        .await;
    assert_eq!(forged.status(), 403);
    let out = signed.post("/logout", &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(
        signed.get("/home").await.headers()["location"],
        "/login",
        "the session ended"
    );

    for _ in 0..5 {
        c.post_form(
            "/login",
            &[
                ("email", "c@x.org"),
                ("password", "wrong password"),
                ("_csrf", &csrf),
            ],
        )
        .await;
    }
    let blocked = c
        .post_form(
            "/login",
            &[
                ("email", "c@x.org"),
                ("password", PASSWORD),
                ("_csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(blocked.status(), 429);
    s.stop().await;
}

#[tokio::test]
async fn language_follows_the_header_then_the_switch_then_the_users_setting() {
    let s = TestServer::start().await;
    s.account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let c = Client::new(&s);
    let fr = c
        .http
        .get(s.url("/login"))
        .header("accept-language", "fr-BE,fr;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        fr.contains("<html lang=\"fr\">") && fr.contains("Se connecter"),
        "French from Accept-Language"
    );
    let nl = c.get("/login").await.text().await.unwrap();
    assert!(
        nl.contains("<html lang=\"nl\">") && nl.contains("Aanmelden"),
        "Dutch by default"
    );
    let res = c
        .post_form("/language", &[("lang", "en"), ("back", "/login")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login");
    let en = c.get("/login").await.text().await.unwrap();
    assert!(
        en.contains("<html lang=\"en\">") && en.contains("Sign in with your Retour staff account.")
    );
    // Never redirect elsewhere.
    let res = c
        .post_form("/language", &[("lang", "nl"), ("back", "//evil.example/")])
        .await;
    assert_eq!(res.headers()["location"], "/");

    let signed = s.sign_in("c@x.org").await;
    assert!(signed
        .get("/home")
        .await
        .text()
        .await
        .unwrap()
        .contains("My work"));
    signed
        .post("/language", &[("lang", "fr"), ("back", "/home")])
        .await;
    let page = signed.get("/home").await.text().await.unwrap();
    assert!(
        page.contains("<html lang=\"fr\">"),
        "the user's own setting now says French"
    );
    assert_eq!(
        s.db.store().user_by_email("c@x.org").await.unwrap().locale,
        "fr"
    );
    s.stop().await;
}

#[tokio::test]
async fn the_household_form_shows_translated_errors_inline_and_stores_nothing() {
    let s = TestServer::start().await;
    s.account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let c = s.sign_in("c@x.org").await;
    let form = [
        ("destination_country", "KS"),
        ("planned_departure_date", "2027-01-20"),
        ("m0.relationship", "child"),
        ("m0.family_name", "Miftari"),
        ("m0.given_names", "Dea"),
        ("m0.birth_date", "2099-01-01"),
        ("m0.nationalities", "XK"),
        ("action", "save"),
    ];
    let res = c.post("/cases", &form).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("“KS” is not a known country code"),
        "country error inline"
    );
    assert!(html.contains("The birth date 2099-01-01 lies in the future."));
    assert!(html.contains("exactly one principal applicant; none was given"));
    assert!(html.contains("value=\"Miftari\""), "what was typed is kept");
    assert_eq!(s.db.store().count_cases().await.unwrap(), 0);

    c.post("/language", &[("lang", "nl"), ("back", "/")]).await;
    let nl = c.post("/cases", &form).await.text().await.unwrap();
    assert!(nl.contains("is geen gekende landcode"), "Dutch errors");
    c.post("/language", &[("lang", "fr"), ("back", "/")]).await;
    let fr = c.post("/cases", &form).await.text().await.unwrap();
    assert!(
        fr.contains("n’est pas un code de pays connu"),
        "French errors"
    );
    assert_eq!(s.db.store().count_cases().await.unwrap(), 0);
    s.stop().await;
}

#[tokio::test]
async fn the_api_creates_finds_and_moves_a_case_and_explains_refusals() {
    let s = TestServer::start().await;
    s.account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let (_, token) = s.app.create_api_token("c@x.org", "test").await.unwrap();
    let http = reqwest::Client::new();
    let auth = format!("Bearer {token}");
    let res = http
        .post(s.url("/api/v1/cases"))
        .header("authorization", &auth)
        .json(&miftari())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let case: serde_json::Value = res.json().await.unwrap();
    let id = case["id"].as_str().unwrap().to_string();
    assert_eq!(case["status"], "intake");
    assert_eq!(case["members"].as_array().unwrap().len(), 5);
    assert_eq!(
        case["allowed_transitions"],
        serde_json::json!(["assessed", "withdrawn"])
    );

    let found: serde_json::Value = http
        .post(s.url("/api/v1/search"))
        .header("authorization", &auth)
        .json(&serde_json::json!({"q": "Miftary"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["hits"].as_array().unwrap().len(), 5);

    let moved = http
        .post(s.url(&format!("/api/v1/cases/{id}/transitions")))
        .header("authorization", &auth)
        .json(&serde_json::json!({"to": "assessed", "reason": "interview done", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let stale = http
        .post(s.url(&format!("/api/v1/cases/{id}/transitions")))
        .header("authorization", &auth)
        .json(&serde_json::json!({"to": "withdrawn", "reason": "again", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 409);
    let illegal = http
        .post(s.url(&format!("/api/v1/cases/{id}/transitions")))
        .header("authorization", &auth)
        .header("accept-language", "nl")
        .json(&serde_json::json!({"to": "closed", "reason": "x", "version": 2, "outcome": "completed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(illegal.status(), 422);
    assert_eq!(
        illegal.headers()["content-type"],
        "application/problem+json"
    );
    let problem: serde_json::Value = illegal.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "illegal-transition");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("kan niet van"),
        "{problem}"
    );

    let bad_json = http
        .post(s.url("/api/v1/cases"))
        .header("authorization", &auth)
        .header("content-type", "application/json")
        .body("{\"members\": 3")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), 400);
    assert_eq!(
        bad_json.headers()["content-type"],
        "application/problem+json"
    );
    let history: serde_json::Value = http
        .get(s.url(&format!("/api/v1/cases/{id}/transitions")))
        .header("authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(s.db.store().count_cases().await.unwrap(), 1);
    s.stop().await;
}

#[tokio::test]
async fn the_openapi_document_matches_its_snapshot_and_the_docs_are_served() {
    let s = TestServer::start().await;
    let served = Client::new(&s)
        .get("/api/v1/openapi.json")
        .await
        .text()
        .await
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&served).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(&path, &served).unwrap();
    }
    let snapshot =
        std::fs::read_to_string(&path).expect("snapshot exists (UPDATE_SNAPSHOTS=1 writes it)");
    assert_eq!(
        served, snapshot,
        "the API changed: review it and run with UPDATE_SNAPSHOTS=1"
    );
    let docs = Client::new(&s).get("/api/docs/").await;
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
    s.stop().await;
}

#[tokio::test]
async fn the_quote_endpoint_answers_the_documented_contract() {
    let s = TestServer::start().await;
    s.account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    s.account("admin@x.org", Role::Admin, None, None).await;
    let (_, token) = s.app.create_api_token("c@x.org", "test").await.unwrap();
    let (_, admin) = s.app.create_api_token("admin@x.org", "test").await.unwrap();
    // Mr Bah: single adult Guinean, visa-required: 350 premium, 2000 reintegration, 300 fee.
    let body = serde_json::json!({"application_date": "2026-09-14", "planned_departure_date": "2026-12-15", "destination": "GN",
        "members": [{"id": "bah", "role": "principal", "birth_date": "1979-06-01", "nationalities": ["GN"], "vulnerabilities": []}]});
    let http = reqwest::Client::new();
    let res = http
        .post(s.url("/api/v1/quotes"))
        .header("authorization", format!("Bearer {token}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let q: serde_json::Value = res.json().await.unwrap();
    assert_eq!(q["policy"], "BE-2022");
    assert_eq!(q["eligible"], true);
    assert_eq!(q["totals"]["departure_premium_cash"], "350.00");
    assert_eq!(q["totals"]["reintegration_in_kind"], "2000.00");
    assert_eq!(q["totals"]["partner_fee"], "300.00");
    assert_eq!(q["totals"]["approval_required"], "0.00");
    assert_eq!(
        q["deadlines"],
        serde_json::json!({"reintegration_months": 12, "medical_months": 6})
    );

    // A baby born while the family waits (after the application, by the departure) is counted;
    // one born after the departure is refused with a message in the reader's language.
    let family = |born: &str| {
        serde_json::json!({"application_date": "2026-09-14", "planned_departure_date": "2026-10-15", "destination": "GN",
            "members": [{"id": "bah", "role": "principal", "birth_date": "1979-06-01", "nationalities": ["GN"]},
                        {"id": "baby", "role": "child", "birth_date": born, "nationalities": ["GN"]}]})
    };
    let res = http
        .post(s.url("/api/v1/quotes"))
        .header("authorization", format!("Bearer {token}"))
        .json(&family("2026-10-15"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let q: serde_json::Value = res.json().await.unwrap();
    let baby: Vec<&str> = q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["member"] == "baby")
        .map(|l| l["rule"].as_str().unwrap())
        .collect();
    assert!(baby.contains(&"premium.child.visa_required"), "{baby:?}");
    let res = http
        .post(s.url("/api/v1/quotes"))
        .header("authorization", format!("Bearer {token}"))
        .header("accept-language", "nl")
        .json(&family("2026-10-16"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "born-after-departure");
    assert_eq!(problem["errors"][0]["field"], "members[1].birth_date");
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("vertrekdatum (15-10-2026)"), "{message}");

    let mut bad = body.clone();
    bad["members"][0]["role"] = "partner".into();
    let res = http
        .post(s.url("/api/v1/quotes"))
        .header("authorization", format!("Bearer {token}"))
        .header("accept-language", "fr")
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "no-principal");
    assert!(problem["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("demandeur principal"));
    let res = http
        .post(s.url("/api/v1/quotes"))
        .header("authorization", format!("Bearer {admin}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        s.db.store().count_cases().await.unwrap(),
        0,
        "a quote stores nothing"
    );
    s.stop().await;
}

#[tokio::test]
async fn the_entitlement_page_explains_amounts_in_the_readers_language_and_hides_medical_items() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let med = s.account("m@x.org", Role::MedicalAdvisor, None, None).await;
    let case = s
        .app
        .register_case(&c, &retour_app::demo::bah())
        .await
        .unwrap();
    let person = case.household.members[0].person.id;
    s.app
        .record_vulnerability(
            &c,
            case.id,
            person,
            "complex_medical",
            "2026-10-01",
            "certificate",
            "renal failure",
        )
        .await
        .unwrap();
    s.app
        .record_medical_need(
            &med,
            case.id,
            &retour_app::entitlements::NeedInput {
                person_id: person,
                label: "haemodialysis".to_string(),
                frequency: "monthly".to_string(),
                amount_eur: "400".to_string(),
                style: retour_domain::NumberStyle::Plain,
            },
        )
        .await
        .unwrap();
    let path = format!("/cases/{}/entitlement", case.id);

    let counsellor = s.sign_in("c@x.org").await;
    counsellor
        .post("/language", &[("lang", "nl"), ("back", "/")])
        .await;
    let html = counsellor.get(&path).await.text().await.unwrap();
    // Guinea is visa-required: € 350 premium, € 2.000 budget, AMAAR 6 × 400 = € 2.400, fee € 300.
    for amount in ["€ 350,00", "€ 2.000,00", "€ 2.400,00", "€ 300,00"] {
        assert!(html.contains(amount), "{amount} on the Dutch page");
    }
    assert!(
        !html.contains("haemodialysis") && !html.contains("renal failure"),
        "no medical detail for a counsellor"
    );
    let medical = s.sign_in("m@x.org").await;
    let html = medical.get(&path).await.text().await.unwrap();
    assert!(
        html.contains("haemodialysis")
            && html.contains("renal failure")
            && html.contains("€2,400.00")
    );
    // Wrong input is explained, not stored.
    let res = medical
        .post(
            &format!("/cases/{}/medical-needs", case.id),
            &[
                ("person", &person.to_string()),
                ("label", "x"),
                ("frequency", "monthly"),
                ("amount", "-5"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("cannot be negative"));
    assert_eq!(s.db.store().medical_needs(case.id).await.unwrap().len(), 1);
    s.stop().await;
}

#[tokio::test]
async fn an_admin_deactivates_an_account_and_its_session_ends_at_once() {
    let s = TestServer::start().await;
    s.account("admin@x.org", Role::Admin, None, None).await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let counsellor = s.sign_in("c@x.org").await;
    assert_eq!(counsellor.get("/home").await.status(), 200);
    let admin = s.sign_in("admin@x.org").await;
    let page = admin.get("/admin/users").await.text().await.unwrap();
    assert!(page.contains("c@x.org"));
    let res = admin
        .post(
            &format!("/admin/users/{}/active", c.id),
            &[("active", "false")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        counsellor.get("/home").await.headers()["location"],
        "/login",
        "the session ended"
    );
    assert!(!s.db.store().user_by_email("c@x.org").await.unwrap().active);
    // Nobody else may, and an admin may not lock themselves out.
    let me = s.db.store().user_by_email("admin@x.org").await.unwrap().id;
    assert_eq!(
        admin
            .post(&format!("/admin/users/{me}/active"), &[("active", "false")])
            .await
            .status(),
        403
    );
    s.stop().await;
}

#[tokio::test]
async fn forms_from_other_sites_and_redirects_to_other_sites_are_refused() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let case = s.app.register_case(&c, &miftari()).await.unwrap();
    let tab = s.sign_in("c@x.org").await;
    let note = format!("/cases/{}/notes", case.id);
    let form = [
        ("body", "a note"),
        ("sensitivity", "general"),
        ("_csrf", tab.csrf.as_str()),
    ];
    // Another site's page posting with the user's cookie: refused before anything is read.
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
    ] {
        let res = tab
            .http
            .post(s.url(&note))
            .header(name, value)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{name}: {value}");
    }
    // Without the session's token, or with another one: refused.
    assert_eq!(
        tab.post_form(&note, &[("body", "x"), ("sensitivity", "general")])
            .await
            .status(),
        403
    );
    assert_eq!(
        tab.post_form(
            &note,
            &[
                ("body", "x"),
                ("sensitivity", "general"),
                ("_csrf", &"0".repeat(64))
            ]
        )
        .await
        .status(),
        403
    );
    // The same page, same origin, with its token: accepted.
    let res = tab
        .http
        .post(s.url(&note))
        .header("sec-fetch-site", "same-origin")
        .header("origin", format!("http://{}", s.addr))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        s.app.case_view(&c, case.id).await.unwrap().notes.len(),
        1,
        "only the accepted note was kept"
    );
    // The language switch goes back to pages of this site only, signed in or not.
    for client in [tab, Client::new(&s)] {
        for back in [
            "/\t/evil.example",
            "//evil.example",
            "https://evil.example",
            "/\\evil",
        ] {
            let res = client
                .post_form(
                    "/language",
                    &[("lang", "fr"), ("back", back), ("_csrf", &client.csrf)],
                )
                .await;
            assert_eq!(res.status(), 303, "{back:?}");
            assert_eq!(res.headers()["location"], "/", "{back:?}");
        }
    }
    s.stop().await;
}

#[tokio::test]
async fn every_api_error_is_a_translated_problem_document() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let case = s.app.register_case(&c, &miftari()).await.unwrap();
    let (_, token) = s.app.create_api_token("c@x.org", "t").await.unwrap();
    let http = reqwest::Client::new();
    let auth = format!("Bearer {token}");
    let send = |method: &str, path: &str| {
        http.request(method.parse().unwrap(), s.url(path))
            .header("authorization", &auth)
            .header("accept-language", "nl")
    };
    let cases = vec![
        (
            send("POST", &format!("/api/v1/cases/{}/spendings", case.id)).body("not multipart"),
            400,
            "Het verzoek kon niet gelezen worden.",
        ),
        (
            send("GET", "/api/v1/tasks?after=zzz"),
            400,
            "Het verzoek kon niet gelezen worden.",
        ),
        (send("GET", "/api/v1/nothing-here"), 404, "Niet gevonden"),
        (
            send("DELETE", "/api/v1/tasks"),
            405,
            "Dit adres aanvaardt die methode niet.",
        ),
        (
            send("POST", "/api/v1/search")
                .header("content-type", "application/json")
                .body(vec![b' '; 6 * 1024 * 1024]),
            413,
            "te groot",
        ),
        (
            send("POST", "/api/v1/search").json(&serde_json::json!({"q": "x"})),
            422,
            "De invoer werd geweigerd.",
        ),
        (
            http.get(s.url("/api/v1/tasks"))
                .header("accept-language", "fr"),
            401,
            "Veuillez vous connecter.",
        ),
    ];
    for (req, status, title) in cases {
        let res = req.send().await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{title}");
        assert_eq!(
            res.headers()["content-type"],
            "application/problem+json",
            "{status}"
        );
        let problem: serde_json::Value = res.json().await.unwrap();
        assert_eq!(problem["status"], status);
        assert!(
            problem["title"].as_str().unwrap().contains(title),
            "{status}: {problem}"
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn the_audit_trail_is_a_page_and_an_endpoint_for_auditors_only() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    s.account("audit@x.org", Role::Auditor, None, None).await;
    let case = s.app.register_case(&c, &miftari()).await.unwrap();
    let auditor = s.sign_in("audit@x.org").await;
    auditor
        .post("/language", &[("lang", "nl"), ("back", "/home")])
        .await;
    let home = auditor.get("/home").await.text().await.unwrap();
    assert!(
        home.contains("href=\"/audit\""),
        "the auditor's navigation leads there"
    );
    let page = auditor
        .post(
            "/audit",
            &[
                ("case", &case.reference.to_string()),
                ("action", "case.create"),
            ],
        )
        .await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Dossier geregistreerd"),
        "actions in Dutch: {page}"
    );
    assert!(page.contains(&case.reference.to_string()));
    assert!(page.contains("Test c@x.org"), "who acted, by name");
    let counsellor = s.sign_in("c@x.org").await;
    assert_eq!(counsellor.get("/audit").await.status(), 403);
    let (_, token) = s.app.create_api_token("audit@x.org", "t").await.unwrap();
    let (_, theirs) = s.app.create_api_token("c@x.org", "t").await.unwrap();
    let http = reqwest::Client::new();
    let get = |t: &str| {
        http.get(s.url("/api/v1/audit?action=case.create"))
            .header("authorization", format!("Bearer {t}"))
            .send()
    };
    let res = get(&token).await.unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["records"][0]["case_reference"],
        case.reference.to_string()
    );
    assert_eq!(get(&theirs).await.unwrap().status(), 403);
    s.stop().await;
}
