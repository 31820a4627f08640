//! Two people (or two tabs) saving at the same moment, through the pages and the API, on both
//! databases: one is saved, the other is told in their language that someone else was first;
//! never a 500, and nothing half-saved.

use retour_app::demo::miftari;
use retour_app::Role;
use retour_domain::Case;

use crate::support::TestServer;

const TRIALS: usize = 10;

/// The household form as the edit page posts it, with one field changed.
fn form_of(case: &Case, place: &str) -> Vec<(String, String)> {
    let h = &case.household;
    let mut f: Vec<(String, String)> = vec![
        ("version".into(), case.version.to_string()),
        ("action".into(), "save".into()),
        (
            "destination_country".into(),
            h.destination_country.as_str().into(),
        ),
        ("destination_place".into(), place.into()),
        ("location_kind".into(), h.location_kind.as_str().into()),
        ("location_name".into(), h.location_name.clone()),
        ("office".into(), h.office.clone()),
    ];
    let input = retour_domain::HouseholdInput::from_household(h);
    if let Some(d) = &input.application_date {
        f.push(("application_date".into(), d.clone()));
    }
    if let Some(d) = &input.planned_departure_date {
        f.push(("planned_departure_date".into(), d.clone()));
    }
    for (i, m) in input.members.iter().enumerate() {
        let p = &m.person;
        for (k, v) in [
            ("id", m.id.map(|u| u.to_string()).unwrap_or_default()),
            ("relationship", m.relationship.clone()),
            ("family_name", p.family_name.clone()),
            ("given_names", p.given_names.clone()),
            ("other_names", p.other_names.join(", ")),
            ("birth_date", p.birth_date.clone()),
            ("sex", p.sex.clone()),
            ("nationalities", p.nationalities.join(", ")),
            ("languages", p.languages.join(", ")),
        ] {
            f.push((format!("m{i}.{k}"), v));
        }
    }
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_tabs_saving_one_household_one_is_saved_the_other_sees_a_translated_conflict() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    // The counsellor works in Dutch; both tabs share the session.
    let tab = s.sign_in("c@x.org").await;
    let res = tab
        .post("/language", &[("lang", "nl"), ("back", "/home")])
        .await;
    assert_eq!(res.status(), 303);
    for trial in 0..TRIALS {
        let case = s.app.register_case(&c, &miftari()).await.unwrap();
        let (one, two) = (
            form_of(&case, &format!("Ferizaj {trial}")),
            form_of(&case, &format!("Gjilan {trial}")),
        );
        let path = format!("/cases/{}/edit", case.id);
        let post = |form: Vec<(String, String)>| {
            let (http, url, csrf) = (
                tab.http.clone(),
                format!("{}{}", tab.base, path),
                tab.csrf.clone(),
            );
            tokio::spawn(async move {
                let mut form = form;
                form.push(("_csrf".into(), csrf));
                let res = http.post(url).form(&form).send().await.unwrap();
                let status = res.status().as_u16();
                (status, res.text().await.unwrap())
            })
        };
        let (a, b) = tokio::join!(post(one), post(two));
        let (a, b) = (a.unwrap(), b.unwrap());
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [303, 409], "one saved, one told it came second");
        let loser = if a.0 == 409 { &a.1 } else { &b.1 };
        assert!(
            loser.contains("Iemand anders heeft dit dossier intussen gewijzigd"),
            "the conflict is explained in Dutch"
        );
        let now = s.app.case(&c, case.id).await.unwrap();
        assert_eq!(now.version, case.version + 1);
        assert!(now
            .household
            .destination_place
            .ends_with(&format!(" {trial}")));
        assert_eq!(now.household.members.len(), 5);
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_api_clients_saving_one_case_get_one_200_and_one_409() {
    let s = TestServer::start().await;
    let c = s
        .account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let (_, token) = s.app.create_api_token("c@x.org", "test").await.unwrap();
    let http = reqwest::Client::new();
    for trial in 0..TRIALS {
        let case = s.app.register_case(&c, &miftari()).await.unwrap();
        let body = |place: String| {
            let mut h = retour_domain::HouseholdInput::from_household(&case.household);
            h.destination_place = place;
            serde_json::json!({"version": case.version, "household": h})
        };
        let put = |v: serde_json::Value| {
            let (http, url, auth) = (
                http.clone(),
                s.url(&format!("/api/v1/cases/{}", case.id)),
                format!("Bearer {token}"),
            );
            tokio::spawn(async move {
                let res = http
                    .put(url)
                    .header("authorization", auth)
                    .header("accept-language", "fr")
                    .json(&v)
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let text = res.text().await.unwrap();
                (status, text)
            })
        };
        let (a, b) = tokio::join!(
            put(body(format!("Peja {trial}"))),
            put(body(format!("Prizren {trial}")))
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
        let loser = if a.0 == 409 { &a.1 } else { &b.1 };
        assert!(
            loser.contains("Quelqu’un d’autre a modifié ce dossier"),
            "{loser}"
        );
    }
    s.stop().await;
}
