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
    DataProtectionOfficer,
    Admin,
}
use Who::*;

const EVERYONE: [Who; 11] = [
    Anonymous,
    CounsellorOfCase,
    CounsellorSameOffice,
    CounsellorOtherOffice,
    MedicalAdvisor,
    ProgrammeManager,
    PartnerAssigned,
    PartnerOther,
    Auditor,
    DataProtectionOfficer,
    Admin,
];

/// What a request may give: allowed (done, or refused for its content: 2xx, 3xx, 409, 422),
/// or refused for who is asking (401, 403, 404, or sent to sign in). Anything else, a 5xx above
/// all, fails the test.
#[derive(Debug, PartialEq)]
enum Outcome {
    Allowed,
    Refused,
}

fn outcome(status: u16, location: Option<&str>, what: &str) -> Outcome {
    match status {
        401 | 403 | 404 => Outcome::Refused,
        303 if location == Some("/login") => Outcome::Refused,
        200..=399 | 409 | 422 => Outcome::Allowed,
        other => panic!("{what}: status {other} is neither an answer nor a refusal"),
    }
}

fn readers() -> Vec<Who> {
    vec![
        CounsellorOfCase,
        CounsellorSameOffice,
        MedicalAdvisor,
        ProgrammeManager,
        PartnerAssigned,
        Auditor,
        DataProtectionOfficer,
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
        DataProtectionOfficer => vec![MEDICAL, TRAFFICKING, MINOR],
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
    s.account("other@x.org", Role::Counsellor, Some("brussel"), None)
        .await;
    let med = s
        .account("med@x.org", Role::MedicalAdvisor, None, None)
        .await;
    let pm = s
        .account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    for (id, name, country) in [
        ("iom-xk", "IOM Kosovo", "XK"),
        ("caritas-gn", "Caritas Guinée", "GN"),
    ] {
        s.app
            .create_partner_org(&pm, id, name, "iom", &[country.into()])
            .await
            .unwrap();
    }
    s.account("iom@x.org", Role::PartnerCaseworker, None, Some("iom-xk"))
        .await;
    s.account(
        "caritas@x.org",
        Role::PartnerCaseworker,
        None,
        Some("caritas-gn"),
    )
    .await;
    s.account("audit@x.org", Role::Auditor, None, None).await;
    s.account("dpo@x.org", Role::DataProtectionOfficer, None, None)
        .await;
    s.account("admin@x.org", Role::Admin, None, None).await;

    let case = s.app.register_case(&of_case, &miftari()).await.unwrap();
    s.db.set_partner_org(case.id, Some("iom-xk")).await;
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
            DataProtectionOfficer => Some("dpo@x.org"),
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

    // Real records for routes that name one; routes with `UNKNOWN` name a record that does not
    // exist, so only who is refused can be told from who is not.
    let adult = case.household.members[0].person.id;
    s.app
        .record_consent(
            &of_case,
            case.id,
            adult,
            "reintegration",
            None,
            &retour_domain::dates::format_date(s.app.today()),
        )
        .await
        .unwrap();
    let consent = s.app.sharing(&of_case, case.id).await.unwrap().consents[0]
        .id
        .to_string();
    let line = s
        .app
        .save_line(
            &of_case,
            case.id,
            None,
            &retour_app::plans::LineInput {
                category: "housing".into(),
                employment_kind: None,
                description: "Rent".into(),
                provider: "Landlord".into(),
                target_date: None,
                amount_eur: "100".into(),
                style: retour_domain::NumberStyle::Plain,
            },
        )
        .await
        .unwrap()
        .to_string();
    let other_user = s
        .app
        .accounts(&s.db.actor_of("admin@x.org").await, None, 100)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|a| a.email == "other@x.org")
        .unwrap()
        .id
        .to_string();
    const UNKNOWN: &str = "0191f000-0000-7000-8000-000000000000";

    let case_path = format!("/cases/{id}");
    let api_case = format!("/api/v1/cases/{id}");
    let stale = "999";
    let delivery_roles = || vec![ProgrammeManager, PartnerAssigned];
    // The arrival is confirmed by the partner on the spot or by the counsellor who heard of it.
    let arrival_roles = || {
        vec![
            CounsellorOfCase,
            CounsellorSameOffice,
            ProgrammeManager,
            PartnerAssigned,
        ]
    };
    let plan_editors = || {
        vec![
            CounsellorOfCase,
            CounsellorSameOffice,
            ProgrammeManager,
            PartnerAssigned,
        ]
    };
    let counsellors = || {
        vec![
            CounsellorOfCase,
            CounsellorSameOffice,
            CounsellorOtherOffice,
        ]
    };
    let managers = || vec![ProgrammeManager, Admin];
    let rule = |method: &'static str,
                pattern: &'static str,
                path: String,
                form: Vec<(&'static str, &'static str)>,
                allowed: Vec<Who>| Rule {
        method,
        pattern,
        path,
        form,
        allowed,
        guarded: false,
    };
    let guarded =
        |method: &'static str, pattern: &'static str, path: String, allowed: Vec<Who>| Rule {
            method,
            pattern,
            path,
            form: vec![],
            allowed,
            guarded: true,
        };
    let pages: Vec<Rule> = vec![
        rule("GET", "/", "/".into(), vec![], signed_in()),
        rule(
            "GET",
            "/healthz",
            "/healthz".into(),
            vec![],
            EVERYONE.to_vec(),
        ),
        rule("GET", "/login", "/login".into(), vec![], EVERYONE.to_vec()),
        // The second step of signing in needs a pending sign-in (a password given just now):
        // without one, everyone is sent back to the password.
        rule("GET", "/login/code", "/login/code".into(), vec![], vec![]),
        rule(
            "POST",
            "/login/code",
            "/login/code".into(),
            vec![("code", "123456")],
            vec![],
        ),
        rule("GET", "/login/enrol", "/login/enrol".into(), vec![], vec![]),
        rule(
            "POST",
            "/login/enrol",
            "/login/enrol".into(),
            vec![("code", "123456")],
            vec![],
        ),
        // Without the sign-in form's own token: refused to everyone.
        rule(
            "POST",
            "/login",
            "/login".into(),
            vec![("email", "x")],
            vec![],
        ),
        rule(
            "POST",
            "/language",
            "/language".into(),
            vec![("lang", "fr"), ("back", "/home")],
            EVERYONE.to_vec(),
        ),
        rule("GET", "/home", "/home".into(), vec![], signed_in()),
        rule("GET", "/search", "/search".into(), vec![], signed_in()),
        rule(
            "GET",
            "/queues/{queue}",
            "/queues/status-intake".into(),
            vec![],
            searchers(),
        ),
        rule(
            "POST",
            "/search",
            "/search".into(),
            vec![("q", "Miftari")],
            searchers(),
        ),
        rule(
            "GET",
            "/cases/new",
            "/cases/new".into(),
            vec![],
            counsellors(),
        ),
        rule(
            "POST",
            "/cases",
            "/cases".into(),
            vec![("destination_country", "XK"), ("action", "save")],
            counsellors(),
        ),
        rule("GET", "/cases/{id}", case_path.clone(), vec![], readers()),
        rule(
            "GET",
            "/cases/{id}/edit",
            format!("{case_path}/edit"),
            vec![],
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/edit",
            format!("{case_path}/edit"),
            vec![
                ("version", stale),
                ("destination_country", "XK"),
                ("office", "poelkapelle"),
                ("action", "save"),
            ],
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/transition",
            format!("{case_path}/transition"),
            vec![("to", "assessed"), ("reason", "x"), ("version", stale)],
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/booking",
            format!("{case_path}/booking"),
            vec![("reason", "x"), ("version", stale)],
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/notes",
            format!("{case_path}/notes"),
            vec![("body", "a note"), ("sensitivity", "general")],
            note_writers(),
        ),
        rule(
            "GET",
            "/cases/{id}/entitlement",
            format!("{case_path}/entitlement"),
            vec![],
            readers(),
        ),
        rule(
            "POST",
            "/cases/{id}/vulnerabilities",
            format!("{case_path}/vulnerabilities"),
            vec![("person", "x"), ("kind", "complex_medical")],
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/medical-needs",
            format!("{case_path}/medical-needs"),
            vec![
                ("person", "x"),
                ("label", ""),
                ("frequency", "monthly"),
                ("amount", "1"),
            ],
            vec![MedicalAdvisor],
        ),
        guarded(
            "POST",
            "/cases/{id}/medical-needs/{need}",
            format!("{case_path}/medical-needs/{UNKNOWN}"),
            vec![MedicalAdvisor],
        ),
        guarded(
            "POST",
            "/cases/{id}/vulnerabilities/{vulnerability}",
            format!("{case_path}/vulnerabilities/{UNKNOWN}"),
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/premium",
            format!("{case_path}/premium"),
            vec![("amount", "x")],
            writers(),
        ),
        guarded(
            "POST",
            "/cases/{id}/entitlement/changes/{review}",
            format!("{case_path}/entitlement/changes/{UNKNOWN}"),
            vec![ProgrammeManager],
        ),
        rule(
            "GET",
            "/cases/{id}/plan",
            format!("{case_path}/plan"),
            vec![],
            readers(),
        ),
        rule(
            "POST",
            "/cases/{id}/plan/lines",
            format!("{case_path}/plan/lines"),
            vec![("category", "none"), ("amount_eur", "x")],
            plan_editors(),
        ),
        rule(
            "POST",
            "/cases/{id}/plan/lines/{line}/amount",
            format!("{case_path}/plan/lines/{line}/amount"),
            vec![("amount_eur", "x")],
            plan_editors(),
        ),
        guarded(
            "POST",
            "/cases/{id}/plan/lines/{line}/remove",
            format!("{case_path}/plan/lines/{UNKNOWN}/remove"),
            plan_editors(),
        ),
        rule(
            "POST",
            "/cases/{id}/plan/{action}",
            format!("{case_path}/plan/approve"),
            vec![],
            vec![ProgrammeManager],
        ),
        rule(
            "GET",
            "/cases/{id}/sharing",
            format!("{case_path}/sharing"),
            vec![],
            readers(),
        ),
        rule(
            "POST",
            "/cases/{id}/consents",
            format!("{case_path}/consents"),
            vec![("person", "x"), ("purpose", "partner_transfer")],
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/consents/{consent}/withdraw",
            format!("{case_path}/consents/{consent}/withdraw"),
            vec![("withdrawn_on", "not a date")],
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/partner",
            format!("{case_path}/partner"),
            vec![("partner_org", "nobody")],
            writers(),
        ),
        rule(
            "GET",
            "/cases/{id}/delivery",
            format!("{case_path}/delivery"),
            vec![],
            readers(),
        ),
        rule(
            "POST",
            "/cases/{id}/arrival",
            format!("{case_path}/arrival"),
            vec![("arrived_on", "")],
            arrival_roles(),
        ),
        rule(
            "POST",
            "/cases/{id}/spendings",
            format!("{case_path}/spendings"),
            vec![("multipart", "")],
            delivery_roles(),
        ),
        rule(
            "POST",
            "/cases/{id}/checklist",
            format!("{case_path}/checklist"),
            vec![("item", "nothing")],
            delivery_roles(),
        ),
        rule(
            "POST",
            "/cases/{id}/appointments",
            format!("{case_path}/appointments"),
            vec![("kind", "nothing")],
            delivery_roles(),
        ),
        guarded(
            "POST",
            "/cases/{id}/appointments/{appointment}",
            format!("{case_path}/appointments/{UNKNOWN}"),
            delivery_roles(),
        ),
        guarded(
            "POST",
            "/cases/{id}/appointments/{appointment}/correct",
            format!("{case_path}/appointments/{UNKNOWN}/correct"),
            delivery_roles(),
        ),
        guarded(
            "POST",
            "/cases/{id}/spendings/{payment}/withdraw",
            format!("{case_path}/spendings/{UNKNOWN}/withdraw"),
            delivery_roles(),
        ),
        rule(
            "POST",
            "/cases/{id}/final-report",
            format!("{case_path}/final-report"),
            vec![],
            delivery_roles(),
        ),
        rule(
            "GET",
            "/cases/{id}/monitoring",
            format!("{case_path}/monitoring"),
            vec![],
            readers(),
        ),
        // The case has a partner: its caseworker records the follow-ups, not the counsellor.
        rule(
            "POST",
            "/cases/{id}/followups",
            format!("{case_path}/followups"),
            vec![("observed", "")],
            vec![PartnerAssigned],
        ),
        guarded(
            "GET",
            "/documents/{id}",
            format!("/documents/{UNKNOWN}"),
            readers(),
        ),
        rule("GET", "/tasks", "/tasks".into(), vec![], signed_in()),
        rule(
            "GET",
            "/reviews/persons",
            "/reviews/persons".into(),
            vec![],
            vec![ProgrammeManager],
        ),
        guarded(
            "POST",
            "/reviews/persons/{id}",
            format!("/reviews/persons/{UNKNOWN}"),
            vec![ProgrammeManager],
        ),
        guarded(
            "POST",
            "/reviews/persons/{id}/reopen",
            format!("/reviews/persons/{UNKNOWN}/reopen"),
            vec![ProgrammeManager],
        ),
        guarded(
            "POST",
            "/tasks/{id}/done",
            format!("/tasks/{UNKNOWN}/done"),
            vec![
                CounsellorOfCase,
                CounsellorSameOffice,
                CounsellorOtherOffice,
                ProgrammeManager,
                PartnerAssigned,
                PartnerOther,
            ],
        ),
        rule(
            "GET",
            "/admin/partners",
            "/admin/partners".into(),
            vec![],
            managers(),
        ),
        rule(
            "POST",
            "/admin/partners",
            "/admin/partners".into(),
            vec![("id", "!")],
            managers(),
        ),
        rule(
            "GET",
            "/admin/offices",
            "/admin/offices".into(),
            vec![],
            managers(),
        ),
        rule(
            "POST",
            "/admin/offices",
            "/admin/offices".into(),
            vec![("id", "!")],
            managers(),
        ),
        rule(
            "POST",
            "/admin/offices/{id}",
            "/admin/offices/poelkapelle".into(),
            vec![("name", "")],
            managers(),
        ),
        rule(
            "GET",
            "/admin/users",
            "/admin/users".into(),
            vec![],
            vec![Admin],
        ),
        rule(
            "POST",
            "/admin/users",
            "/admin/users".into(),
            vec![("email", "bad")],
            vec![Admin],
        ),
        rule(
            "POST",
            "/admin/users/{id}/active",
            format!("/admin/users/{other_user}/active"),
            vec![("active", "true")],
            vec![Admin],
        ),
        rule(
            "GET",
            "/admin/users/{id}",
            format!("/admin/users/{other_user}"),
            vec![],
            vec![Admin],
        ),
        rule(
            "POST",
            "/admin/users/{id}",
            format!("/admin/users/{other_user}"),
            vec![("role", "pilot")],
            vec![Admin],
        ),
        rule(
            "POST",
            "/admin/users/{id}/reset-link",
            format!("/admin/users/{other_user}/reset-link"),
            vec![],
            vec![Admin],
        ),
        rule(
            "POST",
            "/admin/users/{id}/second-factor/reset",
            format!("/admin/users/{other_user}/second-factor/reset"),
            vec![],
            vec![Admin],
        ),
        // Break-glass access: counsellors, medical advisors and programme managers open it; a
        // form with no reason is refused as input (422) to them, and refused to everyone else.
        rule(
            "GET",
            "/break-glass",
            "/break-glass".into(),
            vec![],
            vec![
                CounsellorOfCase,
                CounsellorSameOffice,
                CounsellorOtherOffice,
                MedicalAdvisor,
                ProgrammeManager,
            ],
        ),
        rule(
            "POST",
            "/break-glass",
            "/break-glass".into(),
            vec![("what", "case")],
            vec![
                CounsellorOfCase,
                CounsellorSameOffice,
                CounsellorOtherOffice,
                MedicalAdvisor,
                ProgrammeManager,
            ],
        ),
        rule(
            "GET",
            "/cases/{id}/break-glass",
            format!("{case_path}/break-glass"),
            vec![],
            vec![
                CounsellorOfCase,
                CounsellorSameOffice,
                ProgrammeManager,
                Auditor,
                DataProtectionOfficer,
            ],
        ),
        rule(
            "GET",
            "/audit/break-glass",
            "/audit/break-glass".into(),
            vec![],
            vec![Auditor, DataProtectionOfficer],
        ),
        rule("GET", "/account", "/account".into(), vec![], signed_in()),
        rule(
            "GET",
            "/account/second-factor",
            "/account/second-factor".into(),
            vec![],
            signed_in(),
        ),
        // A wrong first code: refused as input to whoever is signed in.
        rule(
            "POST",
            "/account/second-factor",
            "/account/second-factor".into(),
            vec![("code", "000000")],
            signed_in(),
        ),
        // A wrong current password: refused as input (422) to whoever is signed in.
        rule(
            "POST",
            "/account/password",
            "/account/password".into(),
            vec![
                ("current", "not it"),
                ("password", "x"),
                ("password_again", "x"),
            ],
            signed_in(),
        ),
        // A link that does not exist: not found for everyone; using it, a conflict.
        rule(
            "GET",
            "/reset",
            "/reset?token=nothing".into(),
            vec![],
            vec![],
        ),
        rule(
            "POST",
            "/reset",
            "/reset".into(),
            vec![
                ("token", "nothing"),
                ("password", "a long enough password"),
                ("password_again", "a long enough password"),
            ],
            EVERYONE.to_vec(),
        ),
        rule(
            "GET",
            "/audit",
            "/audit".into(),
            vec![],
            vec![Auditor, DataProtectionOfficer],
        ),
        rule(
            "POST",
            "/audit",
            "/audit".into(),
            vec![("action", "case.create")],
            vec![Auditor, DataProtectionOfficer],
        ),
        // Subject access: everything about one person, for the data-protection officer only.
        rule(
            "GET",
            "/persons/{id}/export",
            format!("/persons/{adult}/export"),
            vec![],
            vec![DataProtectionOfficer],
        ),
        rule(
            "GET",
            "/persons/{id}/export/json",
            format!("/persons/{adult}/export/json"),
            vec![],
            vec![DataProtectionOfficer],
        ),
        rule(
            "GET",
            "/cases/{id}/children",
            format!("{case_path}/children"),
            vec![],
            readers(),
        ),
        rule(
            "POST",
            "/cases/{id}/best-interests",
            format!("{case_path}/best-interests"),
            vec![("person", "x")],
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/guardian",
            format!("{case_path}/guardian"),
            vec![("person", "x")],
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/reception-check",
            format!("{case_path}/reception-check"),
            vec![("person", "x")],
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/workbook-consent",
            format!("{case_path}/workbook-consent"),
            vec![("person", "x")],
            writers(),
        ),
        rule(
            "POST",
            "/cases/{id}/workbook",
            format!("{case_path}/workbook"),
            vec![
                ("person", "x"),
                ("edition", "nl"),
                ("handed_on", "2026-01-01"),
            ],
            vec![CounsellorOfCase, CounsellorSameOffice],
        ),
        rule(
            "GET",
            "/workbook/orders",
            "/workbook/orders".into(),
            vec![],
            managers(),
        ),
        guarded(
            "POST",
            "/workbook/orders/{id}/ship",
            format!("/workbook/orders/{UNKNOWN}/ship"),
            managers(),
        ),
        guarded(
            "POST",
            "/workbook/orders/{id}/reject",
            format!("/workbook/orders/{UNKNOWN}/reject"),
            managers(),
        ),
        rule(
            "GET",
            "/workbook/stock",
            "/workbook/stock".into(),
            vec![],
            managers(),
        ),
        rule(
            "POST",
            "/workbook/stock",
            "/workbook/stock".into(),
            vec![
                ("location", ""),
                ("edition", "nl"),
                ("mode", "add"),
                ("quantity", "1"),
            ],
            managers(),
        ),
        rule(
            "GET",
            "/public",
            "/public".into(),
            vec![],
            EVERYONE.to_vec(),
        ),
        rule(
            "GET",
            "/public/estimate",
            "/public/estimate".into(),
            vec![],
            EVERYONE.to_vec(),
        ),
        rule(
            "GET",
            "/public/workbook/order",
            "/public/workbook/order".into(),
            vec![],
            EVERYONE.to_vec(),
        ),
        // Without the public form's own token (a cookie set by the form): refused to everyone.
        rule(
            "POST",
            "/public/estimate",
            "/public/estimate".into(),
            vec![("destination", "XK")],
            vec![],
        ),
        rule(
            "POST",
            "/public/workbook/order",
            "/public/workbook/order".into(),
            vec![("organisation", "x")],
            vec![],
        ),
        // Signing out last: the sessions end here, and everyone is sent to the sign-in page.
        rule("POST", "/logout", "/logout".into(), vec![], vec![]),
    ];
    assert_covers_every_route(&pages, "src/pages/mod.rs");
    let mut checked = 0;
    for (who, client, _) in &clients {
        for r in &pages {
            let res = if r.method == "GET" {
                client.get(&r.path).await
            } else if r.form == [("multipart", "")] {
                // An upload carries the session's token in its address, as the page's form does.
                client
                    .http
                    .post(format!("{}{}?_csrf={}", client.base, r.path, client.csrf))
                    .multipart(reqwest::multipart::Form::new().text("vendor", "x"))
                    .send()
                    .await
                    .unwrap()
            } else {
                client.post(&r.path, &r.form).await
            };
            let status = res.status().as_u16();
            let location = res
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = res.text().await.unwrap();
            let what = format!("{who:?} {} {}", r.method, r.path);
            let got = outcome(status, location.as_deref(), &what);
            let may = r.allowed.contains(who);
            if r.guarded {
                // An unknown record: refused is all the outcome can say, but only for those
                // with the right may the answer be anything else.
                assert!(may || got == Outcome::Refused, "{what}: status {status}");
            } else {
                let want = if may {
                    Outcome::Allowed
                } else {
                    Outcome::Refused
                };
                assert_eq!(got, want, "{what}: status {status}");
            }
            if r.method == "GET" && r.path == case_path {
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
            } else if r.method == "GET" && r.path.ends_with("/children") {
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
                        "{what} leaks {secret}"
                    );
                }
            }
            checked += 1;
        }
    }

    let quote = serde_json::json!({"application_date": "2026-03-02", "planned_departure_date": "2026-04-20",
        "destination": "XK", "members": [{"id": "a", "role": "principal", "birth_date": "1984", "nationalities": ["XK"]}]});
    let json = |method: &'static str,
                pattern: &'static str,
                path: String,
                body: serde_json::Value,
                allowed: Vec<Who>| {
        (
            Rule {
                method,
                pattern,
                path,
                form: vec![],
                allowed,
                guarded: false,
            },
            body,
        )
    };
    let apis: Vec<(Rule, serde_json::Value)> = vec![
        json(
            "GET",
            "/cases/{id}",
            api_case.clone(),
            serde_json::Value::Null,
            readers(),
        ),
        json(
            "GET",
            "/cases/{id}/members",
            format!("{api_case}/members"),
            serde_json::Value::Null,
            readers(),
        ),
        json(
            "GET",
            "/cases/{id}/transitions",
            format!("{api_case}/transitions"),
            serde_json::Value::Null,
            readers(),
        ),
        json(
            "PUT",
            "/cases/{id}",
            api_case.clone(),
            serde_json::json!({"version": 999, "household": miftari()}),
            writers(),
        ),
        json(
            "POST",
            "/cases/{id}/transitions",
            format!("{api_case}/transitions"),
            serde_json::json!({"to": "assessed", "reason": "x", "version": 999}),
            writers(),
        ),
        json(
            "POST",
            "/cases",
            "/api/v1/cases".into(),
            serde_json::to_value(bah()).unwrap(),
            vec![CounsellorOfCase, CounsellorSameOffice],
        ),
        json(
            "POST",
            "/search",
            "/api/v1/search".into(),
            serde_json::json!({"q": "Miftari"}),
            searchers(),
        ),
        json(
            "GET",
            "/person-links",
            "/api/v1/person-links".into(),
            serde_json::Value::Null,
            vec![ProgrammeManager],
        ),
        (
            Rule {
                method: "POST",
                pattern: "/person-links/{id}/decision",
                path: format!("/api/v1/person-links/{UNKNOWN}/decision"),
                form: vec![],
                allowed: vec![ProgrammeManager],
                guarded: true,
            },
            serde_json::json!({"decision": "same_person", "reason": "same passport"}),
        ),
        (
            Rule {
                method: "POST",
                pattern: "/person-links/{id}/reopen",
                path: format!("/api/v1/person-links/{UNKNOWN}/reopen"),
                form: vec![],
                allowed: vec![ProgrammeManager],
                guarded: true,
            },
            serde_json::json!({"reason": "decided too fast"}),
        ),
        json(
            "POST",
            "/persons/matches",
            "/api/v1/persons/matches".into(),
            serde_json::json!({"family_name": "Miftary", "birth_date": "1985"}),
            searchers(),
        ),
        json(
            "POST",
            "/quotes",
            "/api/v1/quotes".into(),
            quote,
            searchers(),
        ),
        json(
            "GET",
            "/cases/{id}/plan",
            format!("{api_case}/plan"),
            serde_json::Value::Null,
            readers(),
        ),
        json(
            "POST",
            "/cases/{id}/plan/lines",
            format!("{api_case}/plan/lines"),
            serde_json::json!({"category": "none", "description": "x", "provider": "y", "amount_eur": "1"}),
            plan_editors(),
        ),
        json(
            "POST",
            "/cases/{id}/plan/{action}",
            format!("{api_case}/plan/approve"),
            serde_json::Value::Null,
            vec![ProgrammeManager],
        ),
        json(
            "GET",
            "/cases/{id}/spendings",
            format!("{api_case}/spendings"),
            serde_json::Value::Null,
            readers(),
        ),
        json(
            "POST",
            "/cases/{id}/consents",
            format!("{api_case}/consents"),
            serde_json::json!({"person_id": adult, "purpose": "none", "given_on": "x"}),
            writers(),
        ),
        json(
            "PUT",
            "/cases/{id}/partner",
            format!("{api_case}/partner"),
            serde_json::json!({"partner_org": "nobody"}),
            writers(),
        ),
        json(
            "POST",
            "/cases/{id}/arrival",
            format!("{api_case}/arrival"),
            serde_json::json!({"arrived_on": ""}),
            arrival_roles(),
        ),
        json(
            "GET",
            "/cases/{id}/followups",
            format!("{api_case}/followups"),
            serde_json::Value::Null,
            readers(),
        ),
        json(
            "POST",
            "/cases/{id}/followups",
            format!("{api_case}/followups"),
            serde_json::json!({"visited_on": "", "mode": "", "observed": ""}),
            vec![PartnerAssigned],
        ),
        json(
            "GET",
            "/cases/{id}/surveys",
            format!("{api_case}/surveys"),
            serde_json::Value::Null,
            readers(),
        ),
        json(
            "POST",
            "/cases/{id}/surveys",
            format!("{api_case}/surveys"),
            serde_json::json!({"followup_id": UNKNOWN, "answers": {}}),
            vec![PartnerAssigned],
        ),
        json(
            "GET",
            "/tasks",
            "/api/v1/tasks".into(),
            serde_json::Value::Null,
            signed_in(),
        ),
        json(
            "GET",
            "/audit",
            "/api/v1/audit".into(),
            serde_json::Value::Null,
            vec![Auditor, DataProtectionOfficer],
        ),
        (
            Rule {
                method: "GET",
                pattern: "/documents/{id}",
                path: format!("/api/v1/documents/{UNKNOWN}"),
                form: vec![],
                allowed: readers(),
                guarded: true,
            },
            serde_json::Value::Null,
        ),
        // A multipart payment: with an empty form, refused for its content to those who may.
        (
            Rule {
                method: "POST",
                pattern: "/cases/{id}/spendings",
                path: format!("{api_case}/spendings"),
                form: vec![],
                allowed: delivery_roles(),
                guarded: false,
            },
            serde_json::json!("multipart"),
        ),
    ];
    let api_rules: Vec<Rule> = apis.iter().map(|(r, _)| r.clone()).collect();
    assert_covers_every_route(&api_rules, "src/api");
    let http = reqwest::Client::new();
    for (who, _, token) in &clients {
        for (r, body) in &apis {
            let mut req = http.request(r.method.parse().unwrap(), s.url(&r.path));
            if let Some(t) = token {
                req = req.header("authorization", format!("Bearer {t}"));
            }
            if body == &serde_json::json!("multipart") {
                req = req.multipart(reqwest::multipart::Form::new().text("vendor", "x"));
            } else if !body.is_null() {
                req = req.json(body);
            }
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            let what = format!("{who:?} API {} {}", r.method, r.path);
            let got = outcome(status, None, &what);
            let may = r.allowed.contains(who);
            if r.guarded {
                assert!(may || got == Outcome::Refused, "{what}: status {status}");
            } else {
                let want = if may {
                    Outcome::Allowed
                } else {
                    Outcome::Refused
                };
                assert_eq!(got, want, "{what}: status {status} {text}");
            }
            let reads_case = r.method == "GET" && r.path == api_case;
            for secret in [MEDICAL, TRAFFICKING, MINOR] {
                let expected = reads_case && secrets_for(*who).contains(&secret);
                assert_eq!(text.contains(secret), expected, "{what} and {secret}");
            }
            // The search results of a partner or another office never include the case.
            if r.method == "POST" && r.path.ends_with("/search") && got == Outcome::Allowed {
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
                    DataProtectionOfficer,
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

#[derive(Clone)]
struct Rule {
    method: &'static str,
    /// The route as the router declares it.
    pattern: &'static str,
    path: String,
    form: Vec<(&'static str, &'static str)>,
    allowed: Vec<Who>,
    /// The path names a record that does not exist (see `UNKNOWN`).
    guarded: bool,
}

/// Every route the router declares (read from its source) has a rule here: a new page or
/// endpoint cannot be added without saying who may use it.
fn assert_covers_every_route(rules: &[Rule], source: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(source);
    let files: Vec<std::path::PathBuf> = if dir.is_dir() {
        std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    } else {
        vec![dir]
    };
    let mut declared = std::collections::BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // Pages: `.route("/path", get(..).post(..))`; API: `#[utoipa::path(get, path = "/x"`.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for part in flat.split(".route(").skip(1) {
            let Some(part) = part.trim_start().strip_prefix('"') else {
                continue;
            };
            let (path, rest) = part.split_once('"').unwrap();
            let call = rest.split(".route(").next().unwrap();
            for method in ["get", "post", "put", "delete"] {
                if call.contains(&format!("{method}(")) {
                    declared.insert((method.to_uppercase(), path.to_string()));
                }
            }
        }
        for part in flat.split("#[utoipa::path(").skip(1) {
            let method = part.split(',').next().unwrap().trim().to_uppercase();
            let path = part
                .split("path = \"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            declared.insert((method, path.to_string()));
        }
    }
    declared.remove(&("GET".to_string(), "/openapi.json".to_string()));
    let covered: std::collections::BTreeSet<(String, String)> = rules
        .iter()
        .map(|r| (r.method.to_string(), r.pattern.to_string()))
        .collect();
    let missing: Vec<_> = declared.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without a rule in the matrix: {missing:?}"
    );
    let unknown: Vec<_> = covered.difference(&declared).collect();
    assert!(
        unknown.is_empty(),
        "rules for routes that do not exist: {unknown:?}"
    );
}
