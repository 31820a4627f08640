//! Registering someone Retour already holds, through the pages: the form shows the existing
//! household before saving, "register anyway" saves, and a programme manager decides each
//! possible match; a confirmed prior beneficiary is excluded on the entitlement.

use retour_app::demo::miftari;
use retour_app::Role;

use crate::support::{Client, TestServer};

/// The household form's fields for a household of one adult.
fn one_person(
    family: &str,
    given: &str,
    birth: &str,
    action: &'static str,
) -> Vec<(String, String)> {
    [
        ("destination_country", "XK"),
        ("destination_place", "Prizren"),
        ("location_kind", "reception_centre"),
        ("location_name", "Poelkapelle"),
        ("application_date", "05/10/2026"),
        ("planned_departure_date", "20/01/2027"),
        ("m0.relationship", "principal"),
        ("m0.family_name", family),
        ("m0.given_names", given),
        ("m0.birth_date", birth),
        ("m0.sex", "male"),
        ("m0.nationalities", "XK"),
        ("action", action),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn post(c: &Client, path: &str, form: &[(String, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post(path, &pairs).await
}

/// The id of the first link the review page offers to decide.
fn first_link(reviews: &str) -> String {
    reviews
        .split("action=\"/reviews/persons/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn registering_miftary_born_1984_shows_the_miftari_household_and_a_manager_decides() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    s.account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    let existing = s.app.register_case(&c, &miftari()).await.unwrap();
    let counsellor = s.sign_in("c@x.org").await;
    counsellor
        .post("/language", &[("lang", "nl"), ("back", "/home")])
        .await;

    // First save: nothing stored, the existing household shown with why.
    let res = post(
        &counsellor,
        "/cases",
        &one_person("Miftary", "Agron", "1984", "save"),
    )
    .await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("id=\"matches\""), "the match panel is shown");
    let shown = text(&page);
    assert!(shown.contains(&existing.reference.to_string()), "{shown}");
    assert!(
        shown.contains("Zelfde naam") || shown.contains("Geschreven als"),
        "{shown}"
    );
    assert!(page.contains("value=\"save_anyway\""));
    // Nothing was saved by the first press.
    let found = s
        .app
        .search(
            &c,
            &retour_app::search::SearchInput {
                q: "Miftari".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        found
            .hits
            .iter()
            .filter(|h| h.given_names == "Agron")
            .count(),
        1
    );

    // "Different person: register anyway" saves and records the match for review.
    let res = post(
        &counsellor,
        "/cases",
        &one_person("Miftary", "Agron", "1984", "save_anyway"),
    )
    .await;
    assert_eq!(res.status(), 303);
    let new_case = res.headers()["location"].to_str().unwrap().to_string();

    let manager = s.sign_in("pm@x.org").await;
    let home = manager.get("/home").await.text().await.unwrap();
    assert!(
        home.contains("href=\"/reviews/persons\""),
        "the manager's menu leads to the reviews"
    );
    let reviews = manager.get("/reviews/persons").await.text().await.unwrap();
    assert!(reviews.contains(&existing.reference.to_string()));
    assert!(
        reviews.contains(&new_case),
        "links to the new case {new_case}"
    );
    let link = first_link(&reviews);
    // A decision needs a reason.
    let res = manager
        .post(
            &format!("/reviews/persons/{link}"),
            &[("decision", "dismiss"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = manager
        .post(
            &format!("/reviews/persons/{link}"),
            &[
                ("decision", "dismiss"),
                ("reason", "Other birth year confirmed by passport"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let reviews = manager.get("/reviews/persons").await.text().await.unwrap();
    assert!(
        !reviews.contains(&format!("action=\"/reviews/persons/{link}\"")),
        "decided links leave the list of questions"
    );
    assert!(
        reviews.contains(&format!("action=\"/reviews/persons/{link}/reopen\"")),
        "and are listed among the decisions to undo"
    );
    // Deciding again is a conflict, not a second decision.
    let res = manager
        .post(
            &format!("/reviews/persons/{link}"),
            &[("decision", "confirm"), ("reason", "x")],
        )
        .await;
    assert_eq!(res.status(), 409);
    s.stop().await;
}

#[tokio::test]
async fn a_returnee_supported_in_2023_is_flagged_and_once_confirmed_excluded() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    s.account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    let mut earlier = miftari();
    earlier.members.truncate(1);
    earlier.members[0].person.family_name = "Krasniqi".into();
    earlier.members[0].person.given_names = "Driton".into();
    earlier.members[0].person.other_names = vec![];
    earlier.members[0].person.birth_date = "1979-02-03".into();
    earlier.application_date = Some("2023-01-10".into());
    earlier.planned_departure_date = Some("2023-05-02".into());
    let old = s.app.register_case(&c, &earlier).await.unwrap();
    s.db.record_past_support(old.id, time::macros::date!(2023 - 05 - 02))
        .await;

    let counsellor = s.sign_in("c@x.org").await;
    let res = post(
        &counsellor,
        "/cases",
        &one_person("Krasniqi", "Driton", "03/02/1979", "save"),
    )
    .await;
    let page = text(&res.text().await.unwrap());
    assert!(page.contains(&old.reference.to_string()), "{page}");
    assert!(page.contains("Received support on"), "{page}");
    let res = post(
        &counsellor,
        "/cases",
        &one_person("Krasniqi", "Driton", "03/02/1979", "save_anyway"),
    )
    .await;
    assert_eq!(res.status(), 303);
    let new_case = res.headers()["location"].to_str().unwrap().to_string();
    let before = text(
        &counsellor
            .get(&format!("{new_case}/entitlement"))
            .await
            .text()
            .await
            .unwrap(),
    );
    assert!(
        !before.contains("Voluntary-return support was received"),
        "not excluded before a decision"
    );

    let manager = s.sign_in("pm@x.org").await;
    let reviews = manager.get("/reviews/persons").await.text().await.unwrap();
    assert!(text(&reviews).contains("Prior beneficiary?"));
    let link = first_link(&reviews);
    let res = manager
        .post(
            &format!("/reviews/persons/{link}"),
            &[
                ("decision", "confirm"),
                ("reason", "Same passport number as in 2023"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let after = text(
        &counsellor
            .get(&format!("{new_case}/entitlement"))
            .await
            .text()
            .await
            .unwrap(),
    );
    assert!(
        after.contains("Voluntary-return support was received"),
        "{after}"
    );

    // The decision was wrong: the manager undoes it (with a reason), and the exclusion lifts.
    let reviews = manager.get("/reviews/persons").await.text().await.unwrap();
    assert!(text(&reviews).contains("Decided lately"), "{reviews}");
    let res = manager
        .post(
            &format!("/reviews/persons/{link}/reopen"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(res.status(), 422, "a reason is required");
    let res = manager
        .post(
            &format!("/reviews/persons/{link}/reopen"),
            &[("reason", "The passport was his brother's")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let lifted = text(
        &counsellor
            .get(&format!("{new_case}/entitlement"))
            .await
            .text()
            .await
            .unwrap(),
    );
    assert!(
        !lifted.contains("Voluntary-return support was received"),
        "the exclusion lifts with the decision"
    );

    // The same through the API: the open link is listed, decided, undone; twice is a conflict.
    let (_, token) = s
        .app
        .create_api_token("pm@x.org", "review script")
        .await
        .unwrap();
    let api = reqwest::Client::new();
    let call = |method: reqwest::Method, path: String, body: Option<serde_json::Value>| {
        let mut r = api
            .request(method, s.url(&format!("/api/v1{path}")))
            .bearer_auth(&token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        r.send()
    };
    let open: serde_json::Value = call(reqwest::Method::GET, "/person-links".into(), None)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(open[0]["id"], link.as_str());
    assert_eq!(open[0]["kind"], "prior_support");
    assert_eq!(open[0]["support_on"], "2023-05-02");
    let decide = serde_json::json!({"decision": "same_person", "reason": "Same fingerprints"});
    let res = call(
        reqwest::Method::POST,
        format!("/person-links/{link}/decision"),
        Some(decide.clone()),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "confirmed");
    let again = call(
        reqwest::Method::POST,
        format!("/person-links/{link}/decision"),
        Some(decide),
    )
    .await
    .unwrap();
    assert_eq!(again.status(), 409);
    assert_eq!(again.headers()["content-type"], "application/problem+json");
    let res = call(
        reqwest::Method::POST,
        format!("/person-links/{link}/reopen"),
        Some(serde_json::json!({"reason": "Checked again: twins"})),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "open");
    s.stop().await;
}

/// The value of a hidden field of the page's next-page form.
fn hidden(page: &str, name: &str) -> Option<String> {
    let form = &page[page.find("class=\"next-page\"")?..];
    let at = form.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    Some(form[at..at + form[at..].find('"')?].to_string())
}

#[tokio::test]
async fn a_counsellor_pages_through_a_common_family_name_to_every_household_of_the_office() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    // 64 households of one person called Krasniqi: more than one page of 50.
    let given = [
        "Agim", "Besa", "Drita", "Fatmir", "Gentiana", "Ilir", "Lule", "Valon",
    ];
    let mut references = Vec::new();
    for i in 0..64 {
        let mut h = miftari();
        h.members.truncate(1);
        h.members[0].person.family_name = "Krasniqi".into();
        h.members[0].person.other_names.clear();
        h.members[0].person.documents.clear();
        h.members[0].person.given_names = given[i % given.len()].into();
        h.members[0].person.birth_date = format!("{}-0{}-1{}", 1950 + i % 50, 1 + i % 9, i % 10);
        let case = s.app.register_case(&c, &h).await.unwrap();
        references.push(case.reference.to_string());
    }
    let counsellor = s.sign_in("c@x.org").await;
    counsellor
        .post("/language", &[("lang", "nl"), ("back", "/home")])
        .await;

    let mut form: Vec<(String, String)> = vec![
        ("q".into(), "Krasniqi".into()),
        ("birth_year".into(), String::new()),
        ("nationality".into(), String::new()),
    ];
    let mut shown = Vec::new();
    let mut pages = 0;
    loop {
        let res = post(&counsellor, "/search", &form).await;
        assert_eq!(res.status(), 200);
        let page = res.text().await.unwrap();
        pages += 1;
        shown.extend(
            references
                .iter()
                .filter(|r| page.contains(&format!(">{r}</a>")))
                .cloned(),
        );
        let Some(after) = hidden(&page, "after") else {
            assert!(!page.contains("Volgende pagina"));
            break;
        };
        assert!(
            text(&page).contains(&format!("Pagina {pages}:")),
            "numbered"
        );
        assert!(page.contains("Volgende pagina"));
        form = ["q", "birth_year", "nationality", "page"]
            .iter()
            .map(|n| (n.to_string(), hidden(&page, n).unwrap()))
            .chain([("after".to_string(), after)])
            .collect();
    }
    shown.sort();
    references.sort();
    assert_eq!(pages, 2);
    assert_eq!(
        shown, references,
        "every household once, on one of the pages"
    );

    // A page key that was never given out: refused with a message, nothing read.
    let res = post(
        &counsellor,
        "/search",
        &[
            ("q".to_string(), "Krasniqi".to_string()),
            ("after".to_string(), "7.zz".to_string()),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Deze pagina met resultaten is niet meer geldig"),
        "{}",
        text(&page)
    );
    // A birth year typed wrong: the year field says how to write a year, not a date.
    let res = post(
        &counsellor,
        "/search",
        &[
            ("q".to_string(), "Krasniqi".to_string()),
            ("birth_year".to_string(), "19x4".to_string()),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let shown = text(&res.text().await.unwrap());
    assert!(
        shown.contains("“19x4” is geen geboortejaar: typ het zoals 1985."),
        "{shown}"
    );
}
