//! The authorisation matrix: every kind of user × every page and endpoint × in or out of their
//! scope. Expected outcomes are written out here, not derived from the code under test.

use retour_app::demo::{bah, miftari};
use retour_app::{Role, Sensitivity};

use crate::support::{Client, TestServer};

const MEDICAL: &str = "SECRET-DIAGNOSIS-7731";
const TRAFFICKING: &str = "SECRET-TRAFFICKING-4410";
const MINOR: &str = "SECRET-MINOR-WELFARE-9902";
const ASSESSOR: &str = "SECRET-ASSESSOR-5521";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    CounsellorOfCase,
    CounsellorSameOffice,
    CounsellorOtherOffice,
    MedicalAdvisor,
    ProgrammeManager,
    PartnerAssigned,
    PartnerOther,
    Auditor,
    Admin,
}
use Who::*;

const EVERYONE: [Who; 10] = [
    Anonymous,
    CounsellorOfCase,
    CounsellorSameOffice,
    CounsellorOtherOffice,
    MedicalAdvisor,
    ProgrammeManager,
    PartnerAssigned,
    PartnerOther,
    Auditor,
    Admin,
];

/// What a request may give: allowed (any status that is not a refusal), or refused.
#[derive(Debug, PartialEq)]
enum Outcome {
    Allowed,
    Refused,
}

fn refused(status: u16, location: Option<&str>) -> bool {
    matches!(status, 401 | 403 | 404) || (status == 303 && location == Some("/login"))
}

fn readers() -> Vec<Who> {
    vec![
        CounsellorOfCase,
        CounsellorSameOffice,
        MedicalAdvisor,
        ProgrammeManager,
        PartnerAssigned,
        Auditor,
    ]
}
fn writers() -> Vec<Who> {
    vec![CounsellorOfCase, CounsellorSameOffice, ProgrammeManager]
}
fn note_writers() -> Vec<Who> {
    vec![
        CounsellorOfCase,
        CounsellorSameOffice,
        ProgrammeManager,
        MedicalAdvisor,
        PartnerAssigned,
    ]
}
fn signed_in() -> Vec<Who> {
    EVERYONE
        .iter()
        .copied()
        .filter(|w| *w != Anonymous)
        .collect()
}
fn searchers() -> Vec<Who> {
    EVERYONE
        .iter()
        .copied()
        .filter(|w| !matches!(w, Anonymous | Admin))
        .collect()
}

/// Which secrets each reader must see on the case (page and API); everyone else sees none.
fn secrets_for(who: Who) -> Vec<&'static str> {
    match who {
        MedicalAdvisor => vec![MEDICAL],
        CounsellorOfCase => vec![TRAFFICKING, MINOR],
        CounsellorSameOffice => vec![MINOR],
        ProgrammeManager => vec![TRAFFICKING, MINOR],
        _ => vec![],
    }
}

#[tokio::test]
async fn every_role_gets_exactly_what_its_scope_and_sensitivity_allow() {
    let s = TestServer::start().await;
    let of_case = s
        .account("own@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    s.account("same@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    s.account("other@x.org", Role::Counsellor, Some("brussels"), None)
        .await;
    let med = s
        .account("med@x.org", Role::MedicalAdvisor, None, None)
        .await;
    s.account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    s.account(
        "iom@x.org",
        Role::PartnerCaseworker,
        None,
        Some("IOM Kosovo"),
    )
    .await;
    s.account(
        "caritas@x.org",
        Role::PartnerCaseworker,
        None,
        Some("Caritas Guinée"),
    )
    .await;
    s.account("audit@x.org", Role::Auditor, None, None).await;
    s.account("admin@x.org", Role::Admin, None, None).await;

    let case = s.app.register_case(&of_case, &miftari()).await.unwrap();
    s.db.set_partner_org(case.id, Some("IOM Kosovo")).await;
    s.app
        .add_note(&med, case.id, Sensitivity::Medical, MEDICAL)
        .await
        .unwrap();
    s.app
        .add_note(&of_case, case.id, Sensitivity::Trafficking, TRAFFICKING)
        .await
        .unwrap();
    s.app
        .add_note(&of_case, case.id, Sensitivity::MinorWelfare, MINOR)
        .await
        .unwrap();
    s.app
        .add_note(&of_case, case.id, Sensitivity::General, "general note")
        .await
        .unwrap();
    // Who assessed a child's best interests is minors' welfare too.
    let dea = case.household.members[2].person.id;
    s.app
        .record_best_interests(
            &of_case,
            case.id,
            dea,
            &retour_domain::children::BestInterestsInput {
                assessed_on: retour_domain::dates::format_date(s.app.today()),
                assessed_by: ASSESSOR.into(),
                consulted_parents: true,
                consulted_guardian: false,
                consulted_child: true,
                consulted_names: "the parents".into(),
                summary: "Wants to go back with the family.".into(),
                conclusion: "Return with the family is in her interest.".into(),
            },
        )
        .await
        .unwrap();
    let id = case.id.to_string();

    let mut clients = Vec::new();
    for who in EVERYONE {
        let email = match who {
            Anonymous => None,
            CounsellorOfCase => Some("own@x.org"),
            CounsellorSameOffice => Some("same@x.org"),
            CounsellorOtherOffice => Some("other@x.org"),
            MedicalAdvisor => Some("med@x.org"),
            ProgrammeManager => Some("pm@x.org"),
            PartnerAssigned => Some("iom@x.org"),
            PartnerOther => Some("caritas@x.org"),
            Auditor => Some("audit@x.org"),
            Admin => Some("admin@x.org"),
        };
        let (client, token) = match email {
            Some(e) => (
                s.sign_in(e).await,
                Some(s.app.create_api_token(e, "matrix").await.unwrap().1),
            ),
            None => (Client::new(&s), None),
        };
        clients.push((who, client, token));
    }

    let case_path = format!("/cases/{id}");
    let api_case = format!("/api/v1/cases/{id}");
    // (method, path, form or JSON body, who is allowed)
    let stale = "999";
    type Rule = (
        &'static str,
        String,
        Vec<(&'static str, &'static str)>,
        Vec<Who>,
    );
    let pages: Vec<Rule> = vec![
        ("GET", "/home".into(), vec![], signed_in()),
        ("GET", "/search".into(), vec![], signed_in()),
        (
            "POST",
            "/search".into(),
            vec![("q", "Miftari")],
            searchers(),
        ),
        (
            "GET",
            "/cases/new".into(),
            vec![],
            vec![
                CounsellorOfCase,
                CounsellorSameOffice,
                CounsellorOtherOffice,
            ],
        ),
        (
            "POST",
            "/cases".into(),
            vec![("destination_country", "XK"), ("action", "save")],
            vec![
                CounsellorOfCase,
                CounsellorSameOffice,
                CounsellorOtherOffice,
            ],
        ),
        ("GET", case_path.clone(), vec![], readers()),
        ("GET", format!("{case_path}/edit"), vec![], writers()),
        ("GET", format!("{case_path}/entitlement"), vec![], readers()),
        (
            "POST",
            format!("{case_path}/medical-needs"),
            vec![
                ("person", "x"),
                ("label", ""),
                ("frequency", "monthly"),
                ("amount", "1"),
            ],
            vec![MedicalAdvisor],
        ),
        (
            "POST",
            format!("{case_path}/edit"),
            vec![
                ("version", stale),
                ("destination_country", "XK"),
                ("office", "poelkapelle"),
                ("action", "save"),
            ],
            writers(),
        ),
        (
            "POST",
            format!("{case_path}/transition"),
            vec![("to", "assessed"), ("reason", "x"), ("version", stale)],
            writers(),
        ),
        (
            "POST",
            format!("{case_path}/notes"),
            vec![("body", "a note"), ("sensitivity", "general")],
            note_writers(),
        ),
        ("GET", format!("{case_path}/children"), vec![], readers()),
        (
            "POST",
            format!("{case_path}/workbook"),
            vec![
                ("person", "x"),
                ("edition", "nl"),
                ("handed_on", "2026-01-01"),
            ],
            vec![CounsellorOfCase, CounsellorSameOffice],
        ),
        (
            "POST",
            format!("{case_path}/best-interests"),
            vec![("person", "x")],
            writers(),
        ),
        (
            "GET",
            "/workbook/orders".into(),
            vec![],
            vec![ProgrammeManager, Admin],
        ),
        (
            "GET",
            "/workbook/stock".into(),
            vec![],
            vec![ProgrammeManager, Admin],
        ),
        (
            "POST",
            "/workbook/stock".into(),
            vec![
                ("location", ""),
                ("edition", "nl"),
                ("mode", "add"),
                ("quantity", "1"),
            ],
            vec![ProgrammeManager, Admin],
        ),
        ("GET", format!("{case_path}/plan"), vec![], readers()),
        ("GET", format!("{case_path}/delivery"), vec![], readers()),
        ("GET", format!("{case_path}/sharing"), vec![], readers()),
        (
            "POST",
            format!("{case_path}/plan/lines"),
            vec![("category", "none"), ("amount_eur", "x")],
            vec![
                CounsellorOfCase,
                CounsellorSameOffice,
                ProgrammeManager,
                PartnerAssigned,
            ],
        ),
        (
            "POST",
            format!("{case_path}/plan/approve"),
            vec![],
            vec![ProgrammeManager],
        ),
        (
            "POST",
            format!("{case_path}/consents"),
            vec![("person", "x"), ("purpose", "partner_transfer")],
            writers(),
        ),
        (
            "POST",
            format!("{case_path}/partner"),
            vec![("partner_org", "nobody")],
            writers(),
        ),
        (
            "POST",
            format!("{case_path}/arrival"),
            vec![("arrived_on", "")],
            vec![ProgrammeManager, PartnerAssigned],
        ),
        ("GET", "/tasks".into(), vec![], signed_in()),
        (
            "GET",
            "/admin/partners".into(),
            vec![],
            vec![ProgrammeManager, Admin],
        ),
        (
            "POST",
            "/admin/partners".into(),
            vec![("id", "!")],
            vec![ProgrammeManager, Admin],
        ),
        ("GET", "/public".into(), vec![], EVERYONE.to_vec()),
        ("GET", "/admin/users".into(), vec![], vec![Admin]),
        (
            "POST",
            "/admin/users".into(),
            vec![("email", "bad")],
            vec![Admin],
        ),
    ];
    let mut checked = 0;
    for (who, client, _) in &clients {
        for (method, path, form, allowed) in &pages {
            let res = if *method == "GET" {
                client.get(path).await
            } else {
                client.post(path, form).await
            };
            let status = res.status().as_u16();
            let location = res
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = res.text().await.unwrap();
            let got = if refused(status, location.as_deref()) {
                Outcome::Refused
            } else {
                Outcome::Allowed
            };
            let want = if allowed.contains(who) {
                Outcome::Allowed
            } else {
                Outcome::Refused
            };
            assert_eq!(got, want, "{who:?} {method} {path}: status {status}");
            if *method == "GET" && path == &case_path {
                for secret in [MEDICAL, TRAFFICKING, MINOR] {
                    let expected = secrets_for(*who).contains(&secret);
                    assert_eq!(
                        body.contains(secret),
                        expected,
                        "{who:?} sees {secret} on the case page: expected {expected}"
                    );
                }
                if got == Outcome::Allowed {
                    let withheld = 3 - secrets_for(*who).len();
                    assert_eq!(
                        body.matches("class=\"withheld\"").count(),
                        withheld,
                        "{who:?} sees what is withheld"
                    );
                }
            } else if *method == "GET" && path.ends_with("/children") {
                let expected = secrets_for(*who).contains(&MINOR);
                assert_eq!(
                    body.contains(ASSESSOR),
                    expected,
                    "{who:?} sees who assessed a child's best interests: expected {expected}"
                );
            } else {
                // Other responses (a form shown again after a refusal) may show the case, never more.
                for secret in [MEDICAL, TRAFFICKING, MINOR] {
                    assert!(
                        !body.contains(secret) || secrets_for(*who).contains(&secret),
                        "{who:?} {method} {path} leaks {secret}"
                    );
                }
            }
            checked += 1;
        }
    }

    let apis: Vec<(&str, String, serde_json::Value, Vec<Who>)> = vec![
        ("GET", api_case.clone(), serde_json::Value::Null, readers()),
        (
            "GET",
            format!("{api_case}/members"),
            serde_json::Value::Null,
            readers(),
        ),
        (
            "GET",
            format!("{api_case}/transitions"),
            serde_json::Value::Null,
            readers(),
        ),
        (
            "PUT",
            api_case.clone(),
            serde_json::json!({"version": 999, "household": miftari()}),
            writers(),
        ),
        (
            "POST",
            format!("{api_case}/transitions"),
            serde_json::json!({"to": "assessed", "reason": "x", "version": 999}),
            writers(),
        ),
        (
            "POST",
            "/api/v1/cases".into(),
            serde_json::to_value(bah()).unwrap(),
            vec![CounsellorOfCase, CounsellorSameOffice],
        ),
        (
            "POST",
            "/api/v1/search".into(),
            serde_json::json!({"q": "Miftari"}),
            searchers(),
        ),
        (
            "GET",
            format!("{api_case}/plan"),
            serde_json::Value::Null,
            readers(),
        ),
        (
            "GET",
            format!("{api_case}/spendings"),
            serde_json::Value::Null,
            readers(),
        ),
        (
            "POST",
            format!("{api_case}/plan/approve"),
            serde_json::Value::Null,
            vec![ProgrammeManager],
        ),
        (
            "PUT",
            format!("{api_case}/partner"),
            serde_json::json!({"partner_org": "nobody"}),
            writers(),
        ),
        (
            "POST",
            format!("{api_case}/arrival"),
            serde_json::json!({"arrived_on": ""}),
            vec![ProgrammeManager, PartnerAssigned],
        ),
        (
            "GET",
            "/api/v1/tasks".into(),
            serde_json::Value::Null,
            signed_in(),
        ),
    ];
    let http = reqwest::Client::new();
    for (who, _, token) in &clients {
        for (method, path, body, allowed) in &apis {
            let mut req = http.request(method.parse().unwrap(), s.url(path));
            if let Some(t) = token {
                req = req.header("authorization", format!("Bearer {t}"));
            }
            if !body.is_null() {
                req = req.json(body);
            }
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            let got = if refused(status, None) {
                Outcome::Refused
            } else {
                Outcome::Allowed
            };
            let want = if allowed.contains(who) {
                Outcome::Allowed
            } else {
                Outcome::Refused
            };
            assert_eq!(
                got, want,
                "{who:?} API {method} {path}: status {status} {text}"
            );
            let reads_case = *method == "GET" && path == &api_case;
            for secret in [MEDICAL, TRAFFICKING, MINOR] {
                let expected = reads_case && secrets_for(*who).contains(&secret);
                assert_eq!(
                    text.contains(secret),
                    expected,
                    "{who:?} API {method} {path} and {secret}"
                );
            }
            // The search results of a partner or another office never include the case.
            if *method == "POST" && path.ends_with("/search") && got == Outcome::Allowed {
                let hits = serde_json::from_str::<serde_json::Value>(&text).unwrap()["hits"]
                    .as_array()
                    .unwrap()
                    .len();
                let sees = [
                    CounsellorOfCase,
                    CounsellorSameOffice,
                    MedicalAdvisor,
                    ProgrammeManager,
                    PartnerAssigned,
                    Auditor,
                ]
                .contains(who);
                assert_eq!(hits > 0, sees, "{who:?} search hits {hits}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, EVERYONE.len() * (pages.len() + apis.len()));
    s.stop().await;
}
