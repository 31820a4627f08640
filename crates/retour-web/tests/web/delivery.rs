//! Partners, plans and delivery over HTTP and in a real browser: the partner scope through
//! pages, API, search and downloads; proof uploads refused with a message and nothing kept;
//! the Miftari story end to end.

use fantoccini::Locator;
use retour_app::plans::LineInput;
use retour_app::{Actor, Role};
use retour_domain::lifecycle::{DepartureBooking, Status, TransitionRequest};
use retour_domain::Case;
use uuid::Uuid;

use crate::browser::{
    axe_source, check_accessibility, fill, html, screenshot, start_browser, submit, wait_path,
};
use crate::support::{TestServer, PASSWORD};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

struct Cast {
    c: Actor,
    pm: Actor,
    caritas: Actor,
}

async fn cast(s: &TestServer) -> Cast {
    let c = s
        .account("sara@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let pm = s
        .account("nadia@x.org", Role::ProgrammeManager, None, None)
        .await;
    s.app
        .create_partner_org(&pm, "iom-xk", "IOM Kosovo", "iom", &["XK".into()])
        .await
        .unwrap();
    s.app
        .create_partner_org(
            &pm,
            "caritas-gn",
            "Caritas Guinée",
            "caritas",
            &["GN".into()],
        )
        .await
        .unwrap();
    s.account(
        "besa@iom.example",
        Role::PartnerCaseworker,
        None,
        Some("iom-xk"),
    )
    .await;
    let caritas = s
        .account(
            "moussa@caritas.example",
            Role::PartnerCaseworker,
            None,
            Some("caritas-gn"),
        )
        .await;
    Cast { c, pm, caritas }
}

fn today(s: &TestServer) -> String {
    retour_domain::dates::format_date(s.app.today())
}

/// A case registered, its minors' best interests assessed, and moved to `assessed`.
async fn assessed(s: &TestServer, who: &Cast, input: &retour_domain::HouseholdInput) -> Case {
    let case = s.app.register_case(&who.c, input).await.unwrap();
    for m in &case.household.members {
        if retour_domain::age_on(m.person.birth_date.date(), s.app.today()) < 18 {
            s.app
                .record_best_interests(
                    &who.c,
                    case.id,
                    m.person.id,
                    &retour_domain::children::BestInterestsInput {
                        assessed_on: today(s),
                        assessed_by: "Sara Claes, social worker".into(),
                        consulted_parents: true,
                        consulted_guardian: false,
                        consulted_child: true,
                        consulted_names: "the parents".into(),
                        summary: "Returns with the family.".into(),
                        conclusion: "In the child's interest.".into(),
                    },
                )
                .await
                .unwrap();
        }
    }
    s.app
        .transition(
            &who.c,
            case.id,
            case.version,
            &TransitionRequest {
                outcome: None,
                to: Status::Assessed,
                reason: "assessed".into(),
                booking: None,
                on: None,
            },
        )
        .await
        .unwrap()
}

async fn book_and_depart(s: &TestServer, who: &Cast, case_id: Uuid) {
    let case = s.app.case(&who.pm, case_id).await.unwrap();
    let booking = DepartureBooking {
        date: s.app.today(),
        transport: "plane".parse().unwrap(),
        travel_document: "valid".parse().unwrap(),
    };
    let booked = s
        .app
        .transition(
            &who.c,
            case_id,
            case.version,
            &TransitionRequest {
                outcome: None,
                to: Status::DepartureBooked,
                reason: "booked".into(),
                booking: Some(booking),
                on: None,
            },
        )
        .await
        .unwrap();
    s.app
        .transition(
            &who.c,
            case_id,
            booked.version,
            &TransitionRequest {
                outcome: None,
                to: Status::Departed,
                reason: "left".into(),
                booking: None,
                on: Some(time::OffsetDateTime::now_utc().date()),
            },
        )
        .await
        .unwrap();
}

/// Mr Bah's case, assigned to Caritas Guinée with consent, with an approved plan, arrived, and
/// one payment with its proof.
async fn bah_with_a_proof(s: &TestServer, who: &Cast) -> (Case, Uuid) {
    let case = assessed(s, who, &retour_app::demo::bah()).await;
    let principal = case.household.members[0].person.id;
    s.app
        .record_consent(
            &who.c,
            case.id,
            principal,
            "partner_transfer",
            Some("caritas-gn"),
            &today(s),
        )
        .await
        .unwrap();
    s.app
        .assign_partner(&who.c, case.id, "caritas-gn")
        .await
        .unwrap();
    s.app
        .save_line(
            &who.c,
            case.id,
            None,
            &LineInput {
                category: "housing".into(),
                employment_kind: None,
                description: "Rent, first six months".into(),
                provider: "Landlord".into(),
                target_date: None,
                amount_eur: "900".into(),
                style: retour_domain::NumberStyle::Plain,
            },
        )
        .await
        .unwrap();
    s.app.submit_plan(&who.c, case.id).await.unwrap();
    assert!(s.app.approve_plan(&who.pm, case.id).await.unwrap());
    book_and_depart(s, who, case.id).await;
    s.app
        .confirm_arrival(&who.caritas, case.id, &today(s))
        .await
        .unwrap();
    let line = s.app.plan_view(&who.caritas, case.id).await.unwrap().lines[0].id;
    s.app
        .record_spending(
            &who.caritas,
            case.id,
            &retour_app::delivery::SpendingInput {
                line_id: line.to_string(),
                spent_on: today(s),
                amount: "300".into(),
                currency: "EUR".into(),
                rate: String::new(),
                vendor: "Landlord".into(),
                style: retour_domain::NumberStyle::Plain,
            },
            Some(retour_app::delivery::Upload {
                file_name: "rent.pdf".into(),
                bytes: PDF.to_vec(),
            }),
        )
        .await
        .unwrap();
    let doc = s
        .app
        .delivery(&who.caritas, case.id)
        .await
        .unwrap()
        .documents[0]
        .id;
    (case, doc)
}

fn count_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| {
                let p = e.unwrap().path();
                if p.is_dir() {
                    count_files(&p)
                } else {
                    1
                }
            })
            .sum()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn a_partner_never_reaches_another_partners_case_through_pages_api_search_or_downloads() {
    let s = TestServer::start().await;
    let who = cast(&s).await;
    let (bah, doc) = bah_with_a_proof(&s, &who).await;
    let iom = s.sign_in("besa@iom.example").await;
    let caritas = s.sign_in("moussa@caritas.example").await;

    for path in [
        format!("/cases/{}", bah.id),
        format!("/cases/{}/plan", bah.id),
        format!("/cases/{}/delivery", bah.id),
        format!("/cases/{}/sharing", bah.id),
        format!("/cases/{}/entitlement", bah.id),
        format!("/documents/{doc}"),
    ] {
        assert_eq!(iom.get(&path).await.status(), 404, "IOM on {path}");
        assert_eq!(caritas.get(&path).await.status(), 200, "Caritas on {path}");
    }
    let proof = caritas.get(&format!("/documents/{doc}")).await;
    assert_eq!(proof.headers()["content-type"], "application/pdf");
    assert!(proof.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(proof.bytes().await.unwrap().as_ref(), PDF);
    // Writes are refused the same way, and change nothing.
    let line = s.app.plan_view(&who.pm, bah.id).await.unwrap().lines[0].id;
    let r = iom
        .post(
            &format!("/cases/{}/plan/lines/{line}/amount", bah.id),
            &[("amount_eur", "1")],
        )
        .await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        s.app.plan_view(&who.pm, bah.id).await.unwrap().lines[0].planned,
        90_000
    );
    // Search finds nothing of the other partner's.
    let found = iom
        .post(
            "/search",
            &[("q", "Bah"), ("birth_year", ""), ("nationality", "")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!found.contains(&bah.reference.to_string()));
    let found = caritas
        .post(
            "/search",
            &[("q", "Bah"), ("birth_year", ""), ("nationality", "")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(found.contains(&bah.reference.to_string()));

    // The API: same scope.
    let (_, token) = s
        .app
        .create_api_token("besa@iom.example", "t")
        .await
        .unwrap();
    let http = reqwest::Client::new();
    for path in [
        format!("/api/v1/cases/{}/plan", bah.id),
        format!("/api/v1/cases/{}/spendings", bah.id),
        format!("/api/v1/documents/{doc}"),
    ] {
        let r = http
            .get(s.url(&path))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "API {path}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
    let (_, ctoken) = s
        .app
        .create_api_token("moussa@caritas.example", "t")
        .await
        .unwrap();
    let plan: serde_json::Value = http
        .get(s.url(&format!("/api/v1/cases/{}/plan", bah.id)))
        .header("authorization", format!("Bearer {ctoken}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plan["status"], "approved");
    assert_eq!(plan["lines"][0]["spent_eur"], "300.00");
    assert_eq!(plan["envelopes"][0]["budget_eur"], "2000.00");
    let r = http
        .post(s.url("/api/v1/search"))
        .header("authorization", format!("Bearer {token}"))
        .json(&serde_json::json!({"q": "Bah"}))
        .send()
        .await
        .unwrap();
    let hits: serde_json::Value = r.json().await.unwrap();
    assert_eq!(hits["hits"].as_array().unwrap().len(), 0);
    s.stop().await;
}

#[tokio::test]
async fn bad_uploads_are_refused_with_a_clear_message_and_leave_nothing_behind() {
    let s = TestServer::start().await;
    let who = cast(&s).await;
    let (bah, _) = bah_with_a_proof(&s, &who).await;
    let line = s.app.plan_view(&who.pm, bah.id).await.unwrap().lines[0].id;
    let caritas = s.sign_in("moussa@caritas.example").await;
    let before = count_files(s.db.files.path());
    assert_eq!(before, 1);

    let send = |name: &'static str, bytes: Vec<u8>, lang: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("_csrf", caritas.csrf.clone())
            .text("line_id", line.to_string())
            .text("spent_on", today(&s))
            .text("amount", "10")
            .text("currency", "EUR")
            .text("rate", "")
            .text("vendor", "Shop")
            .part(
                "proof",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
        caritas
            .http
            .post(s.url(&format!(
                "/cases/{}/spendings?_csrf={}",
                bah.id, caritas.csrf
            )))
            .header("accept-language", lang)
            .multipart(form)
            .send()
    };
    // An upload without the session's token in the form's address is refused unread.
    let forged = caritas
        .http
        .post(s.url(&format!("/cases/{}/spendings", bah.id)))
        .multipart(reqwest::multipart::Form::new().text("_csrf", caritas.csrf.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let cases: [(&str, Vec<u8>, &str, &str); 4] = [
        (
            "big.pdf",
            [PDF, &vec![b' '; retour_app::files::MAX_UPLOAD_BYTES][..]].concat(),
            "en",
            "The file is too large: at most 5 MB.",
        ),
        (
            "huge.pdf",
            [
                PDF,
                &vec![b' '; retour_app::files::MAX_UPLOAD_BYTES * 2][..],
            ]
            .concat(),
            "en",
            "The file is too large",
        ),
        ("receipt.jpg", PDF.to_vec(), "en", "does not match its name"),
        (
            "../../etc/receipt.pdf",
            PDF.to_vec(),
            "en",
            "is not accepted: use a plain name",
        ),
    ];
    for (name, bytes, lang, message) in cases {
        let r = send(name, bytes, lang).await.unwrap();
        let status = r.status();
        let page = r.text().await.unwrap();
        assert_eq!(status, 422, "{name}");
        assert!(page.contains(message), "{name}: {message}");
    }
    assert_eq!(count_files(s.db.files.path()), before, "nothing was kept");
    let d = s.app.delivery(&who.pm, bah.id).await.unwrap();
    assert_eq!((d.spendings.len(), d.documents.len()), (1, 1));
    // The reader's own language: Dutch, then French.
    for (lang, message) in [
        (
            "nl",
            "komt niet overeen met de naam: laad het echte PDF-, JPEG- of PNG-bestand op",
        ),
        ("fr", "ne correspond pas à son nom"),
    ] {
        assert_eq!(
            caritas
                .post("/language", &[("lang", lang), ("back", "/home")])
                .await
                .status(),
            303
        );
        let r = send("receipt.jpg", PDF.to_vec(), lang).await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{lang}");
    }
    assert_eq!(count_files(s.db.files.path()), before);
    s.stop().await;
}

#[tokio::test]
async fn the_miftari_story_from_consent_to_a_receipt_in_a_real_browser() {
    let s = TestServer::start().await;
    let who = cast(&s).await;
    s.account("pieter@x.org", Role::MedicalAdvisor, None, None)
        .await;
    let medical = s.db.actor_of("pieter@x.org").await;
    let (bah, _) = bah_with_a_proof(&s, &who).await;
    // Liridon (9) is a complex medical case: monthly check-ups priced by the medical advisor.
    let case = assessed(&s, &who, &retour_app::demo::miftari()).await;
    let liridon = case.household.members[3].person.id;
    s.app
        .record_vulnerability(
            &who.c,
            case.id,
            liridon,
            "complex_medical",
            &today(&s),
            "medical file",
            "chronic asthma",
        )
        .await
        .unwrap();
    s.app
        .record_medical_need(
            &medical,
            case.id,
            &retour_app::entitlements::NeedInput {
                person_id: liridon,
                label: "paediatric check-up".to_string(),
                frequency: "monthly".to_string(),
                amount_eur: "40.00".to_string(),
                style: retour_domain::NumberStyle::Plain,
            },
        )
        .await
        .unwrap();
    let axe = axe_source();
    let (_driver, b) = start_browser().await;
    let sign_in = |email: &'static str| {
        let b = b.clone();
        let url = s.url("/login");
        async move {
            b.goto(&url).await.unwrap();
            fill(&b, "#email", email).await;
            fill(&b, "#password", PASSWORD).await;
            submit(&b, "form[action='/login'] button[type=submit]").await;
            wait_path(&b, "/home", |p| p == "/home").await;
        }
    };
    let sign_out = || async { submit(&b, "form[action='/logout'] button[type=submit]").await };
    let select = |css: &'static str, value: String| {
        let b = b.clone();
        async move {
            b.find(Locator::Css(css))
                .await
                .unwrap()
                .select_by_value(&value)
                .await
                .unwrap();
        }
    };
    let date_input = |d: time::Date| format!("{:02}/{:02}/{}", d.month() as u8, d.day(), d.year());

    // The counsellor records Agron's consent to share with IOM Kosovo, then assigns the case.
    sign_in("sara@x.org").await;
    b.goto(&s.url(&format!("/cases/{}/sharing", case.id)))
        .await
        .unwrap();
    check_accessibility(&b, &axe, "sharing page").await;
    submit(&b, "#assign-form button[type=submit]").await;
    assert!(html(&b)
        .await
        .contains("There is no consent in force to share this case with IOM Kosovo"));
    select("#c-partner", "iom-xk".into()).await;
    fill(&b, "#c-given", &date_input(s.app.today())).await;
    submit(&b, "#consent-form button[type=submit]").await;
    submit(&b, "#assign-form button[type=submit]").await;
    assert!(html(&b)
        .await
        .contains("This case is assigned to IOM Kosovo."));
    screenshot(&b, "sharing").await;

    // The counsellor proposes the plan: housing, furniture, medical, administrative support.
    b.goto(&s.url(&format!("/cases/{}/plan", case.id)))
        .await
        .unwrap();
    for (category, description, amount) in [
        ("housing", "Rent of a flat in Ferizaj, 6 months", "600"),
        ("furniture", "Beds, table and kitchen goods", "500"),
        ("medical", "Monthly paediatric check-ups for Liridon", "240"),
        (
            "administrative_support",
            "Identity documents, registrations, school enrolment",
            "0",
        ),
    ] {
        select("#ln-category", category.into()).await;
        fill(&b, "#ln-description", description).await;
        fill(&b, "#ln-provider", "IOM Kosovo").await;
        fill(&b, "#ln-amount", amount).await;
        submit(&b, "#line-form button[type=submit]").await;
    }
    check_accessibility(&b, &axe, "plan page").await;
    submit(&b, "#plan-submit").await;
    assert!(html(&b).await.contains("Submitted for approval"));
    sign_out().await;

    // The programme manager approves it.
    sign_in("nadia@x.org").await;
    b.goto(&s.url(&format!("/cases/{}/plan", case.id)))
        .await
        .unwrap();
    submit(&b, "#plan-approve").await;
    let page = html(&b).await;
    assert!(page.contains("Approved"), "approved");
    screenshot(&b, "plan-approved").await;
    sign_out().await;
    book_and_depart(&s, &who, case.id).await;

    // The partner caseworker sees only the Miftari case.
    sign_in("besa@iom.example").await;
    let home = html(&b).await;
    assert!(home.contains(&case.reference.to_string()));
    assert!(!home.contains(&bah.reference.to_string()));
    b.goto(&s.url(&format!("/cases/{}/delivery", case.id)))
        .await
        .unwrap();
    check_accessibility(&b, &axe, "delivery page").await;
    fill(&b, "#ar-date", &date_input(s.app.today())).await;
    submit(&b, "#arrival-form button[type=submit]").await;
    // A furniture purchase with its receipt.
    let folder = tempfile::tempdir().unwrap();
    let receipt = folder.path().join("receipt-mobilje.pdf");
    std::fs::write(&receipt, PDF).unwrap();
    let furniture = s
        .app
        .plan_view(&who.pm, case.id)
        .await
        .unwrap()
        .lines
        .iter()
        .find(|l| l.category.as_str() == "furniture")
        .unwrap()
        .id;
    select("#sp-line", furniture.to_string()).await;
    fill(&b, "#sp-date", &date_input(s.app.today())).await;
    fill(&b, "#sp-amount", "420.50").await;
    fill(&b, "#sp-vendor", "Mobilje Ferizaj").await;
    b.find(Locator::Css("#sp-proof"))
        .await
        .unwrap()
        .send_keys(&receipt.display().to_string())
        .await
        .unwrap();
    submit(&b, "#spending-form button[type=submit]").await;
    let page = html(&b).await;
    std::fs::write(std::env::temp_dir().join("retour-delivery.html"), &page).unwrap();
    assert!(
        page.contains("Mobilje Ferizaj") && page.contains("420.50"),
        "the payment is listed"
    );
    // A doctor visit for Liridon, attended.
    select("#ap-person", liridon.to_string()).await;
    fill(&b, "#ap-first", &date_input(s.app.today())).await;
    fill(&b, "#ap-count", "1").await;
    submit(&b, "#schedule-form button[type=submit]").await;
    submit(&b, "#appointments button[value=attended]").await;
    assert!(html(&b).await.contains("Doctor visit"));
    check_accessibility(&b, &axe, "delivery page with records").await;
    screenshot(&b, "delivery").await;
    let d = s.app.delivery(&who.pm, case.id).await.unwrap();
    assert_eq!(d.spendings.len(), 1);
    assert_eq!(d.spendings[0].eur_cents, 42_050);
    assert_eq!(d.appointments[0].status.as_str(), "attended");
    // The final report: money is left on lines, so the partner must confirm it ends so.
    fill(
        &b,
        "#report-comment",
        "Family settled; rent paid by the landlord's deal.",
    )
    .await;
    submit(&b, "form[action$='/final-report'] button[type=submit]").await;
    let page = html(&b).await;
    assert!(
        page.contains("3 lines with money left") && page.contains("id=\"confirm-open-err\""),
        "the open items are named and the confirmation asked"
    );
    assert!(s
        .app
        .delivery(&who.pm, case.id)
        .await
        .unwrap()
        .final_report
        .is_none());
    fill(&b, "#report-comment", "Family settled.").await;
    b.find(Locator::Css("#confirm-open"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit(&b, "form[action$='/final-report'] button[type=submit]").await;
    assert!(html(&b).await.contains("Family settled."));
    let report = s
        .app
        .delivery(&who.pm, case.id)
        .await
        .unwrap()
        .final_report
        .unwrap();
    assert_eq!(report.comment, "Family settled.");
    assert_eq!(report.open_items, "lines:3");
    // Another partner's case, by its URL: not found.
    b.goto(&s.url(&format!("/cases/{}", bah.id))).await.unwrap();
    assert!(html(&b).await.contains("404") || html(&b).await.to_lowercase().contains("not found"));
    s.stop().await;
}
