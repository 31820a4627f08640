//! Partners, consent, reintegration plans, delivery and the deadline job, end to end against a
//! real store (SQLite, or PostgreSQL with RETOUR_TEST_DATABASE_URL).

use retour_app::auth::NewAccount;
use retour_app::delivery::{SpendingInput, Upload};
use retour_app::plans::LineInput;
use retour_app::search::SearchInput;
use retour_app::{Actor, App, AppError, FieldCipher, Role};
use retour_domain::lifecycle::{DepartureBooking, Status, TransitionRequest};
use retour_domain::Case;
use retour_store::testing::TestDb;
use time::Duration;

#[path = "plans/changes.rs"]
mod changes;
#[path = "plans/corrections.rs"]
mod corrections;
#[path = "plans/monitoring.rs"]
mod monitoring;
#[path = "plans/races.rs"]
mod races;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

struct World {
    db: TestDb,
    app: App,
    files: tempfile::TempDir,
    c: Actor,
    pm1: Actor,
    pm2: Actor,
    medical: Actor,
    iom: Actor,
    caritas: Actor,
}

async fn account(
    app: &App,
    email: &str,
    role: Role,
    office: Option<&str>,
    partner: Option<&str>,
) -> Actor {
    let u = app
        .create_account(
            None,
            NewAccount {
                email: email.into(),
                display_name: email.into(),
                role: role.as_str().into(),
                office: office.map(Into::into),
                partner_org: partner.map(Into::into),
                locale: "en".into(),
                password: "correct horse battery".into(),
            },
        )
        .await
        .unwrap();
    u.actor()
}

async fn world() -> World {
    let db = TestDb::new().await;
    let files = tempfile::tempdir().unwrap();
    let app = App::new(db.store.clone(), FieldCipher::random().1).with_files(files.path());
    app.ensure_reference_policy().await.unwrap();
    app.ensure_offices(retour_app::demo::DEMO_OFFICES)
        .await
        .unwrap();
    let c = account(&app, "c@x.org", Role::Counsellor, Some("poelkapelle"), None).await;
    let pm1 = account(&app, "pm1@x.org", Role::ProgrammeManager, None, None).await;
    let pm2 = account(&app, "pm2@x.org", Role::ProgrammeManager, None, None).await;
    let medical = account(&app, "md@x.org", Role::MedicalAdvisor, None, None).await;
    app.create_partner_org(&pm1, "iom-xk", "IOM Kosovo", "iom", &["XK".into()])
        .await
        .unwrap();
    app.create_partner_org(
        &pm1,
        "caritas-gn",
        "Caritas Guinée",
        "caritas",
        &["GN".into()],
    )
    .await
    .unwrap();
    let iom = account(
        &app,
        "iom@x.org",
        Role::PartnerCaseworker,
        None,
        Some("iom-xk"),
    )
    .await;
    let caritas = account(
        &app,
        "car@x.org",
        Role::PartnerCaseworker,
        None,
        Some("caritas-gn"),
    )
    .await;
    World {
        db,
        app,
        files,
        c,
        pm1,
        pm2,
        medical,
        iom,
        caritas,
    }
}

fn codes(r: Result<impl std::fmt::Debug, AppError>) -> Vec<&'static str> {
    match r {
        Err(AppError::Invalid(e)) => e.codes(),
        other => panic!("expected refused input, got {other:?}"),
    }
}

fn today(w: &World) -> String {
    retour_domain::dates::format_date(w.app.today())
}

fn line(category: &str, amount: &str) -> LineInput {
    LineInput {
        category: category.into(),
        employment_kind: None,
        description: format!("{category} for the family"),
        provider: "Local vendor".into(),
        target_date: None,
        amount_eur: amount.into(),
        style: retour_domain::NumberStyle::Plain,
    }
}

/// Records a best-interests assessment for every minor, as a plan's approval requires.
async fn assess_children(w: &World, case: &Case) {
    for m in &case.household.members {
        if retour_domain::age_on(m.person.birth_date.date(), w.app.today()) < 18 {
            w.app
                .record_best_interests(
                    &w.c,
                    case.id,
                    m.person.id,
                    &retour_domain::children::BestInterestsInput {
                        assessed_on: today(w),
                        assessed_by: "Sara Claes, social worker".into(),
                        consulted_parents: true,
                        consulted_guardian: false,
                        consulted_child: true,
                        consulted_names: "Agron and Shqipe Miftari".into(),
                        summary: "Wants to go back with the family.".into(),
                        conclusion: "Return with the family is in the child's interest.".into(),
                    },
                )
                .await
                .unwrap();
        }
    }
}

async fn assess(w: &World, case: &Case) -> Case {
    assess_children(w, case).await;
    w.app
        .transition(
            &w.c,
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

/// The Miftari household with a complex medical case (Liridon) priced at €40 a month: the
/// general envelope is 3 × €500 (family top-ups), the medical one 6 × €40 = €240.
async fn miftari_with_needs(w: &World) -> Case {
    let case = w
        .app
        .register_case(&w.c, &retour_app::demo::miftari())
        .await
        .unwrap();
    let liridon = case.household.members[3].person.id;
    w.app
        .record_vulnerability(
            &w.c,
            case.id,
            liridon,
            "complex_medical",
            &today(w),
            "medical file",
            "asthma",
        )
        .await
        .unwrap();
    w.app
        .record_medical_need(
            &w.medical,
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
    assess(w, &w.app.case(&w.c, case.id).await.unwrap()).await
}

async fn consent_and_assign(w: &World, case: &Case, org: &str) {
    let adult = case.household.members[0].person.id;
    w.app
        .record_consent(
            &w.c,
            case.id,
            adult,
            "partner_transfer",
            Some(org),
            &today(w),
        )
        .await
        .unwrap();
    w.app.assign_partner(&w.c, case.id, org).await.unwrap();
}

/// Books departure for today, departs, and has the partner confirm arrival today.
async fn arrive(w: &World, case_id: uuid::Uuid, partner: &Actor) {
    let case = w.app.case(&w.pm1, case_id).await.unwrap();
    let booked = w
        .app
        .transition(
            &w.c,
            case_id,
            case.version,
            &TransitionRequest {
                outcome: None,
                to: Status::DepartureBooked,
                reason: "booked".into(),
                booking: Some(DepartureBooking {
                    date: w.app.today(),
                    transport: "plane".parse().unwrap(),
                    travel_document: "valid".parse().unwrap(),
                }),
                on: None,
            },
        )
        .await
        .unwrap();
    w.app
        .transition(
            &w.c,
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
    w.app
        .confirm_arrival(partner, case_id, &today(w))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_partner_is_assigned_only_with_consent_and_loses_access_when_it_is_withdrawn() {
    let w = world().await;
    let case = w
        .app
        .register_case(&w.c, &retour_app::demo::miftari())
        .await
        .unwrap();
    let (agron, dea) = (
        case.household.members[0].person.id,
        case.household.members[2].person.id,
    );

    assert_eq!(
        codes(w.app.assign_partner(&w.c, case.id, "iom-xk").await),
        vec!["no-consent-for-partner"]
    );
    assert!(matches!(
        w.app.case(&w.iom, case.id).await,
        Err(AppError::NotFound)
    ));
    // A child cannot consent, a partner must be named, and the partner must work in Kosovo.
    assert_eq!(
        codes(
            w.app
                .record_consent(
                    &w.c,
                    case.id,
                    dea,
                    "partner_transfer",
                    Some("iom-xk"),
                    &today(&w)
                )
                .await
        ),
        vec!["consent-by-minor"]
    );
    assert_eq!(
        codes(
            w.app
                .record_consent(&w.c, case.id, agron, "partner_transfer", None, &today(&w))
                .await
        ),
        vec!["required"]
    );
    w.app
        .record_consent(
            &w.c,
            case.id,
            agron,
            "partner_transfer",
            Some("caritas-gn"),
            &today(&w),
        )
        .await
        .unwrap();
    assert_eq!(
        codes(w.app.assign_partner(&w.c, case.id, "caritas-gn").await),
        vec!["partner-not-serving-country"]
    );
    // A partner caseworker cannot record consent or assign.
    assert!(w
        .app
        .record_consent(
            &w.iom,
            case.id,
            agron,
            "partner_transfer",
            Some("iom-xk"),
            &today(&w)
        )
        .await
        .is_err());

    w.app
        .record_consent(
            &w.c,
            case.id,
            agron,
            "partner_transfer",
            Some("iom-xk"),
            &today(&w),
        )
        .await
        .unwrap();
    w.app.assign_partner(&w.c, case.id, "iom-xk").await.unwrap();
    assert!(w.app.case(&w.iom, case.id).await.is_ok());
    assert!(matches!(
        w.app.case(&w.caritas, case.id).await,
        Err(AppError::NotFound)
    ));
    let found = w
        .app
        .search(
            &w.iom,
            &SearchInput {
                q: "Miftary".into(),
                birth_year: None,
                nationality: None,
                after: None,
            },
        )
        .await
        .unwrap();
    assert!(!found.hits.is_empty() && found.hits.iter().all(|h| h.case_id == case.id));
    let found = w
        .app
        .search(
            &w.caritas,
            &SearchInput {
                q: "Miftary".into(),
                birth_year: None,
                nationality: None,
                after: None,
            },
        )
        .await
        .unwrap();
    assert!(found.hits.is_empty());
    // The partner sees no medical item and no trafficking flag.
    let ent = w.app.entitlement(&w.iom, case.id).await.unwrap();
    assert!(ent.medical_items.is_none());

    let consent = w
        .app
        .sharing(&w.c, case.id)
        .await
        .unwrap()
        .consents
        .into_iter()
        .find(|c| c.partner.as_deref() == Some("IOM Kosovo"))
        .unwrap();
    assert!(w
        .app
        .withdraw_consent(&w.c, case.id, consent.id, &today(&w))
        .await
        .unwrap());
    assert!(matches!(
        w.app.case(&w.iom, case.id).await,
        Err(AppError::NotFound)
    ));
    assert!(w
        .app
        .sharing(&w.c, case.id)
        .await
        .unwrap()
        .assigned
        .is_none());
    let trail = w.db.store.audit_for_case(case.id, None, 50).await.unwrap();
    for action in ["consent.record", "case.assign_partner", "consent.withdraw"] {
        assert!(trail.iter().any(|a| a.action == action), "{action} audited");
    }
    w.db.finish().await;
}

#[tokio::test]
async fn plans_are_approved_by_someone_else_and_by_two_above_the_threshold() {
    let w = world().await;
    // Miftari's family returning to Guinea (visa required): €2,000 + 4 × €1,000 + 3 × €500 = €7,500.
    let mut input = retour_app::demo::miftari();
    input.destination_country = "GN".into();
    let case = w.app.register_case(&w.c, &input).await.unwrap();
    let case = assess(&w, &case).await;

    w.app
        .save_line(&w.c, case.id, None, &line("housing", "3000"))
        .await
        .unwrap();
    w.app
        .save_line(&w.c, case.id, None, &line("furniture", "2500"))
        .await
        .unwrap();
    let plan = w.app.plan_view(&w.pm1, case.id).await.unwrap();
    assert_eq!(
        (plan.usage[0].budget, plan.usage[0].committed),
        (750_000, 550_000)
    );
    assert_eq!(
        plan.approvals_needed, 2,
        "€5,500 is above the €5,000 threshold"
    );
    // Approval needs a submitted plan; counsellors do not approve.
    assert_eq!(
        codes(w.app.approve_plan(&w.pm1, case.id).await),
        vec!["plan-not-submitted"]
    );
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    assert!(matches!(
        w.app.approve_plan(&w.c, case.id).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        w.app.approve_plan(&w.iom, case.id).await,
        Err(AppError::NotFound)
    ));
    // Submitted plans cannot be edited.
    assert_eq!(
        codes(
            w.app
                .save_line(&w.c, case.id, None, &line("education", "10"))
                .await
        ),
        vec!["plan-not-editable"]
    );

    assert!(
        !w.app.approve_plan(&w.pm1, case.id).await.unwrap(),
        "one of two approvals"
    );
    assert_eq!(
        codes(w.app.approve_plan(&w.pm1, case.id).await),
        vec!["already-approved"]
    );
    let plan = w.app.plan_view(&w.pm1, case.id).await.unwrap();
    assert_eq!(
        (plan.status.unwrap().as_str(), plan.approvals),
        ("submitted", 1)
    );
    assert!(plan.lines.iter().all(|l| l.approved.is_none()));

    assert!(w.app.approve_plan(&w.pm2, case.id).await.unwrap());
    let plan = w.app.plan_view(&w.pm1, case.id).await.unwrap();
    assert_eq!(plan.status.unwrap().as_str(), "approved");
    assert!(plan.lines.iter().all(|l| l.approved == Some(l.planned)));
    assert_eq!(plan.versions.len(), 1);
    assert_eq!(
        serde_json::from_str::<Vec<uuid::Uuid>>(&plan.versions[0].approvers).unwrap(),
        vec![w.pm1.id, w.pm2.id]
    );
    assert_eq!(plan.versions[0].policy_id, "BE-2022");
    // Approving the plan approved the case's budget: the entitlement is frozen.
    assert_eq!(
        w.app.case(&w.c, case.id).await.unwrap().status,
        Status::PlanApproved
    );
    assert!(w
        .app
        .entitlement(&w.pm1, case.id)
        .await
        .unwrap()
        .frozen_at
        .is_some());

    // An amendment is a new version; the manager who writes it cannot approve it.
    w.app.amend_plan(&w.pm1, case.id).await.unwrap();
    w.app
        .save_line(&w.pm1, case.id, None, &line("education", "200"))
        .await
        .unwrap();
    w.app.submit_plan(&w.pm1, case.id).await.unwrap();
    assert_eq!(
        codes(w.app.approve_plan(&w.pm1, case.id).await),
        vec!["self-approval"]
    );
    // €5,700 still needs two; the second manager alone is not enough.
    assert!(!w.app.approve_plan(&w.pm2, case.id).await.unwrap());
    let pm3 = account(&w.app, "pm3@x.org", Role::ProgrammeManager, None, None).await;
    assert!(w.app.approve_plan(&pm3, case.id).await.unwrap());
    let plan = w.app.plan_view(&w.pm1, case.id).await.unwrap();
    assert_eq!((plan.version, plan.versions.len()), (2, 2));
    w.db.finish().await;
}

#[tokio::test]
async fn lines_stay_within_their_envelopes() {
    let w = world().await;
    let case = miftari_with_needs(&w).await;
    // Kosovo: no basic budget; the family top-ups (€1,500) and AMAAR (€240) only.
    w.app
        .save_line(&w.c, case.id, None, &line("furniture", "1500.01"))
        .await
        .unwrap();
    w.app
        .save_line(&w.c, case.id, None, &line("medical", "240"))
        .await
        .unwrap();
    assert_eq!(
        codes(w.app.submit_plan(&w.c, case.id).await),
        vec!["plan-over-general-envelope"]
    );
    let furniture = w.app.plan_view(&w.c, case.id).await.unwrap().lines[0].id;
    w.app
        .save_line(&w.c, case.id, Some(furniture), &line("furniture", "1500"))
        .await
        .unwrap();
    w.app
        .save_line(&w.c, case.id, None, &line("medical", "0.01"))
        .await
        .unwrap();
    assert_eq!(
        codes(w.app.submit_plan(&w.c, case.id).await),
        vec!["plan-over-medical-envelope"]
    );
    let plan = w.app.plan_view(&w.c, case.id).await.unwrap();
    assert_eq!(
        (plan.usage[1].budget, plan.usage[1].committed),
        (24_000, 24_001)
    );
    w.app
        .remove_line(&w.c, case.id, plan.lines[2].id)
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();

    // Bad lines are refused with every reason.
    let mut bad = line("employment", "-5");
    bad.description = " ".into();
    assert_eq!(
        codes(w.app.save_line(&w.pm1, case.id, None, &bad).await),
        vec!["required", "required", "negative-amount"]
    );
    let mut business = line("employment", "500");
    business.employment_kind = Some("self_employment".into());
    business.description = "A shop".into();
    assert_eq!(
        codes(w.app.save_line(&w.pm1, case.id, None, &business).await),
        vec!["business-plan-required"]
    );
    w.db.finish().await;
}

async fn spend(
    w: &World,
    who: &Actor,
    case_id: uuid::Uuid,
    line: uuid::Uuid,
    amount: &str,
    proof: Option<(&str, &[u8])>,
) -> Result<uuid::Uuid, AppError> {
    w.app
        .record_spending(
            who,
            case_id,
            &SpendingInput {
                line_id: line.to_string(),
                spent_on: today(w),
                amount: amount.into(),
                currency: "EUR".into(),
                rate: String::new(),
                vendor: "Mobilje Ferizaj".into(),
                style: retour_domain::NumberStyle::Plain,
            },
            proof.map(|(n, b)| Upload {
                file_name: n.into(),
                bytes: b.to_vec(),
            }),
        )
        .await
}

fn files_in(dir: &std::path::Path) -> usize {
    walk(dir)
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p)
                } else {
                    1
                }
            })
            .sum()
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn delivery_spends_within_lines_with_proofs_that_only_the_case_s_readers_get() {
    let w = world().await;
    let case = miftari_with_needs(&w).await;
    consent_and_assign(&w, &case, "iom-xk").await;
    w.app
        .save_line(&w.c, case.id, None, &line("furniture", "500"))
        .await
        .unwrap();
    w.app
        .save_line(&w.iom, case.id, None, &line("medical", "240"))
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    assert!(w.app.approve_plan(&w.pm1, case.id).await.unwrap());
    let lines = w.app.plan_view(&w.iom, case.id).await.unwrap().lines;
    let (furniture, medical) = (lines[0].id, lines[1].id);

    // Nothing is spent before arrival.
    assert_eq!(
        codes(spend(&w, &w.iom, case.id, furniture, "10", Some(("r.pdf", PDF))).await),
        vec!["not-arrived"]
    );
    arrive(&w, case.id, &w.iom).await;
    let view = w.app.plan_view(&w.iom, case.id).await.unwrap();
    let today = w.app.today();
    assert_eq!(
        view.lines[0].expires_on,
        Some(retour_domain::plan::add_months(today, 12))
    );
    assert_eq!(
        view.lines[1].expires_on,
        Some(retour_domain::plan::add_months(today, 6))
    );

    spend(
        &w,
        &w.iom,
        case.id,
        furniture,
        "450.00",
        Some(("receipt.pdf", PDF)),
    )
    .await
    .unwrap();
    assert_eq!(files_in(w.files.path()), 1);
    // Overspending, a missing proof, a wrong file and a traversal name leave nothing behind.
    assert_eq!(
        codes(
            spend(
                &w,
                &w.iom,
                case.id,
                furniture,
                "50.01",
                Some(("r.pdf", PDF))
            )
            .await
        ),
        vec!["line-overspent"]
    );
    assert_eq!(
        codes(spend(&w, &w.iom, case.id, furniture, "5", None).await),
        vec!["proof-required"]
    );
    assert_eq!(
        codes(
            spend(
                &w,
                &w.iom,
                case.id,
                furniture,
                "5",
                Some(("photo.png", PDF))
            )
            .await
        ),
        vec!["file-content-mismatch"]
    );
    assert_eq!(
        codes(
            spend(
                &w,
                &w.iom,
                case.id,
                furniture,
                "5",
                Some(("../../x.pdf", PDF))
            )
            .await
        ),
        vec!["bad-file-name"]
    );
    let big = [PDF, &vec![b' '; retour_app::files::MAX_UPLOAD_BYTES][..]].concat();
    assert_eq!(
        codes(spend(&w, &w.iom, case.id, furniture, "5", Some(("big.pdf", &big))).await),
        vec!["file-too-large"]
    );
    assert_eq!(files_in(w.files.path()), 1);
    let d = w.app.delivery(&w.iom, case.id).await.unwrap();
    assert_eq!((d.spendings.len(), d.documents.len()), (1, 1));
    assert_eq!(d.lines[0].spent, 45_000);

    // A foreign-currency payment is converted exactly at the rate of the day.
    let r = w
        .app
        .record_spending(
            &w.iom,
            case.id,
            &SpendingInput {
                line_id: medical.to_string(),
                spent_on: retour_domain::dates::format_date(today),
                amount: "1000".into(),
                currency: "all".into(),
                rate: "0.0098".into(),
                vendor: "Pharmacy".into(),
                style: retour_domain::NumberStyle::Plain,
            },
            Some(Upload {
                file_name: "bill.pdf".into(),
                bytes: PDF.to_vec(),
            }),
        )
        .await;
    r.unwrap();
    assert_eq!(
        w.app.delivery(&w.iom, case.id).await.unwrap().lines[1].spent,
        980
    );

    // The proof is for the case's readers only.
    let doc = d.documents[0].id;
    let (row, bytes) = w.app.document(&w.iom, doc).await.unwrap();
    assert_eq!(
        (row.media_type.as_str(), bytes.as_slice()),
        ("application/pdf", PDF)
    );
    assert!(w.app.document(&w.pm1, doc).await.is_ok());
    assert!(matches!(
        w.app.document(&w.caritas, doc).await,
        Err(AppError::NotFound)
    ));
    // The pharmacy's bill proves a medical payment: medical advisors and the partner that
    // uploaded it open it; the counsellor and the programme manager do not even see it listed.
    let all = w.app.delivery(&w.iom, case.id).await.unwrap();
    let bill = all
        .spendings
        .iter()
        .find(|s| s.line_id == medical)
        .and_then(|s| s.document_id)
        .expect("the bill is listed to the partner that uploaded it");
    assert!(w.app.document(&w.iom, bill).await.is_ok());
    assert!(w.app.document(&w.medical, bill).await.is_ok());
    for reader in [&w.c, &w.pm1] {
        assert!(matches!(
            w.app.document(reader, bill).await,
            Err(AppError::Forbidden)
        ));
        let seen = w.app.delivery(reader, case.id).await.unwrap();
        assert!(seen.documents.iter().all(|d| d.id != bill));
        assert!(seen.spendings.iter().all(|s| s.document_id != Some(bill)));
        assert_eq!(
            seen.documents.len(),
            1,
            "the furniture receipt stays listed"
        );
    }
    assert!(matches!(
        spend(
            &w,
            &w.caritas,
            case.id,
            furniture,
            "1",
            Some(("r.pdf", PDF))
        )
        .await,
        Err(AppError::NotFound)
    ));
    // A counsellor reads but does not record delivery.
    assert!(matches!(
        spend(&w, &w.c, case.id, furniture, "1", Some(("r.pdf", PDF))).await,
        Err(AppError::Forbidden)
    ));

    // Checklist per child, appointments, job counselling outcome.
    let arta = case.household.members[4].person.id;
    w.app
        .set_checklist(
            &w.iom,
            case.id,
            "school_enrolment",
            Some(arta),
            &retour_domain::dates::format_date(today),
        )
        .await
        .unwrap();
    assert_eq!(
        codes(
            w.app
                .set_checklist(&w.iom, case.id, "school_enrolment", None, "2026-01-01")
                .await
        ),
        vec!["required"]
    );
    assert_eq!(
        w.app
            .schedule_appointments(
                &w.iom,
                case.id,
                arta,
                "doctor_visit",
                &retour_domain::dates::format_date(today),
                "6"
            )
            .await
            .unwrap(),
        6
    );
    let agron = case.household.members[0].person.id;
    w.app
        .schedule_appointments(
            &w.iom,
            case.id,
            agron,
            "job_counselling",
            &retour_domain::dates::format_date(today),
            "1",
        )
        .await
        .unwrap();
    let d = w.app.delivery(&w.iom, case.id).await.unwrap();
    assert_eq!(d.appointments.len(), 7);
    let counselling = d
        .appointments
        .iter()
        .find(|a| a.kind.as_str() == "job_counselling")
        .unwrap()
        .id;
    assert_eq!(
        codes(
            w.app
                .record_appointment(&w.iom, case.id, counselling, "attended", None)
                .await
        ),
        vec!["required"]
    );
    w.app
        .record_appointment(
            &w.iom,
            case.id,
            counselling,
            "attended",
            Some("self_employment"),
        )
        .await
        .unwrap();
    assert!(d
        .checklist
        .iter()
        .any(|c| c.person_id == Some(arta) && c.done_on == Some(today)));

    // Closing needs the final report.
    let case_now = w.app.case(&w.c, case.id).await.unwrap();
    let in_reint = w
        .app
        .transition(
            &w.c,
            case.id,
            case_now.version,
            &TransitionRequest {
                outcome: None,
                to: Status::InReintegration,
                reason: "started".into(),
                booking: None,
                on: None,
            },
        )
        .await
        .unwrap();
    let monitoring = w
        .app
        .transition(
            &w.c,
            case.id,
            in_reint.version,
            &TransitionRequest {
                outcome: None,
                to: Status::Monitoring,
                reason: "follow-up".into(),
                booking: None,
                on: None,
            },
        )
        .await
        .unwrap();
    let close = TransitionRequest {
        outcome: Some(retour_domain::monitoring::ClosingOutcome {
            outcome: retour_domain::monitoring::Outcome::Completed,
            note: String::new(),
        }),
        to: Status::Closed,
        reason: "done".into(),
        booking: None,
        on: None,
    };
    assert_eq!(
        codes(
            w.app
                .transition(&w.c, case.id, monitoring.version, &close)
                .await
        ),
        vec!["final-report-missing"]
    );
    // Visits still planned and money left on lines: the partner must say the case ends so.
    assert_eq!(
        codes(
            w.app
                .submit_final_report(
                    &w.iom,
                    case.id,
                    &retour_app::delivery::FinalReportInput {
                        comment: "Family settled.".into(),
                        confirm_open_items: false,
                    },
                )
                .await
        ),
        vec!["open-items-unconfirmed"]
    );
    w.app
        .submit_final_report(
            &w.iom,
            case.id,
            &retour_app::delivery::FinalReportInput {
                comment: "Family settled.".into(),
                confirm_open_items: true,
            },
        )
        .await
        .unwrap();
    let report = w
        .app
        .delivery(&w.iom, case.id)
        .await
        .unwrap()
        .final_report
        .unwrap();
    assert_eq!((report.planned_cents, report.spent_cents), (74_000, 45_980));
    w.app
        .transition(&w.c, case.id, monitoring.version, &close)
        .await
        .unwrap();
    w.db.finish().await;
}

#[tokio::test]
async fn the_deadline_job_expires_lines_and_raises_each_task_once() {
    let w = world().await;
    let case = miftari_with_needs(&w).await;
    consent_and_assign(&w, &case, "iom-xk").await;
    w.app
        .save_line(&w.c, case.id, None, &line("furniture", "500"))
        .await
        .unwrap();
    w.app
        .save_line(&w.c, case.id, None, &line("medical", "240"))
        .await
        .unwrap();
    arrive_after_plan_approval(&w, case.id).await;
    let arrival = w.app.today();
    // The partner keeps up with the follow-ups (their tasks are `monitoring.rs`'s subject).
    for f in ["baseline", "month_6"] {
        w.app
            .record_followup(
                &w.iom,
                case.id,
                &monitoring::visit(f),
                &monitoring::answers(&[("economic", "1"), ("social", "1"), ("psychosocial", "1")]),
            )
            .await
            .unwrap();
    }

    // 31 days later: no plan submitted → one task; running again adds nothing.
    let day31 = arrival + Duration::days(31);
    let r = w.app.run_jobs(day31).await.unwrap();
    assert_eq!((r.expired_lines, r.new_tasks), (0, 1));
    assert_eq!(w.app.run_jobs(day31).await.unwrap().new_tasks, 0);
    let tasks = w.app.tasks(&w.iom, None, 50).await.unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].kind, "plan_not_submitted");
    assert!(w.app.tasks(&w.caritas, None, 50).await.unwrap().is_empty());
    assert_eq!(w.app.tasks(&w.c, None, 50).await.unwrap().len(), 1);

    w.app.submit_plan(&w.c, case.id).await.unwrap();
    w.app.approve_plan(&w.pm1, case.id).await.unwrap();
    // A missed appointment raises a task.
    let arta = case.household.members[4].person.id;
    w.app
        .schedule_appointments(
            &w.iom,
            case.id,
            arta,
            "doctor_visit",
            &retour_domain::dates::format_date(arrival),
            "1",
        )
        .await
        .unwrap();
    let appt = w.app.delivery(&w.iom, case.id).await.unwrap().appointments[0].id;
    w.app
        .record_appointment(&w.iom, case.id, appt, "missed", None)
        .await
        .unwrap();
    // Medical deadline (6 months) in less than 30 days: a task for the medical line only.
    let medical_expiry = retour_domain::plan::add_months(arrival, 6);
    let r = w
        .app
        .run_jobs(medical_expiry - Duration::days(10))
        .await
        .unwrap();
    assert_eq!((r.expired_lines, r.new_tasks), (0, 2));
    let kinds: Vec<String> = w
        .app
        .tasks(&w.iom, None, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.kind)
        .collect();
    assert_eq!(
        kinds,
        vec!["plan_not_submitted", "appointment_missed", "deadline_soon"]
    );
    // A task says what it is about: whose appointment, which kind, which day; which line.
    let listed = w.app.tasks(&w.iom, None, 50).await.unwrap();
    let missed = listed
        .iter()
        .find(|t| t.kind == "appointment_missed")
        .unwrap();
    assert!(missed
        .person
        .as_deref()
        .is_some_and(|p| p.contains("Miftari")));
    assert_eq!(missed.appointment_kind.as_deref(), Some("doctor_visit"));
    assert!(missed.appointment_on.is_some());
    let soon = listed.iter().find(|t| t.kind == "deadline_soon").unwrap();
    assert!(soon.line.is_some());
    // The day after the deadline the medical line expires, once.
    let r = w
        .app
        .run_jobs(medical_expiry + Duration::days(1))
        .await
        .unwrap();
    assert_eq!(r.expired_lines, 1);
    assert_eq!(
        w.app
            .run_jobs(medical_expiry + Duration::days(1))
            .await
            .unwrap(),
        retour_app::tasks::JobReport::default()
    );
    let lines = w.app.plan_view(&w.iom, case.id).await.unwrap().lines;
    assert!(lines
        .iter()
        .any(|l| l.category.as_str() == "medical" && l.expired && l.left() == 0));
    assert!(lines
        .iter()
        .any(|l| l.category.as_str() == "furniture" && !l.expired));

    // Tasks are done by the people on the case.
    let t = w.app.tasks(&w.iom, None, 50).await.unwrap()[0].id;
    assert!(matches!(
        w.app.complete_task(&w.caritas, t).await,
        Err(AppError::NotFound)
    ));
    w.app.complete_task(&w.iom, t).await.unwrap();
    assert_eq!(w.app.tasks(&w.iom, None, 50).await.unwrap().len(), 2);

    // Once the case ends, its tasks leave the lists and the job raises none on it.
    let now = w.app.case(&w.pm1, case.id).await.unwrap();
    let mut moved = now.clone();
    for to in [Status::InReintegration, Status::Monitoring] {
        moved = w
            .app
            .transition(
                &w.c,
                case.id,
                moved.version,
                &TransitionRequest {
                    outcome: None,
                    to,
                    reason: "next".into(),
                    booking: None,
                    on: None,
                },
            )
            .await
            .unwrap();
    }
    w.app
        .submit_final_report(
            &w.iom,
            case.id,
            &retour_app::delivery::FinalReportInput {
                comment: "Family settled.".into(),
                confirm_open_items: true,
            },
        )
        .await
        .unwrap();
    // A visit planned after the report was signed keeps the case open.
    w.app
        .schedule_appointments(
            &w.iom,
            case.id,
            arta,
            "doctor_visit",
            &retour_domain::dates::format_date(arrival),
            "1",
        )
        .await
        .unwrap();
    let close = TransitionRequest {
        outcome: Some(retour_domain::monitoring::ClosingOutcome {
            outcome: retour_domain::monitoring::Outcome::Completed,
            note: String::new(),
        }),
        to: Status::Closed,
        reason: "done".into(),
        booking: None,
        on: None,
    };
    let moved = w.app.case(&w.pm1, case.id).await.unwrap();
    assert_eq!(
        codes(w.app.transition(&w.c, case.id, moved.version, &close).await),
        vec!["follow-ups-open"]
    );
    let planned = w
        .app
        .delivery(&w.iom, case.id)
        .await
        .unwrap()
        .appointments
        .iter()
        .find(|a| a.status == retour_domain::plan::AppointmentStatus::Planned)
        .unwrap()
        .id;
    w.app
        .record_appointment(&w.iom, case.id, planned, "attended", None)
        .await
        .unwrap();
    w.app
        .transition(&w.c, case.id, moved.version, &close)
        .await
        .unwrap();
    assert!(w.app.tasks(&w.iom, None, 50).await.unwrap().is_empty());
    assert_eq!(
        w.app
            .run_jobs(medical_expiry + Duration::days(60))
            .await
            .unwrap()
            .new_tasks,
        0
    );
    w.db.finish().await;
}

/// The budget approved by a programme manager (through the case lifecycle), then departure and
/// arrival confirmed by the partner, without a submitted plan.
async fn arrive_after_plan_approval(w: &World, case_id: uuid::Uuid) {
    let case = w.app.case(&w.pm1, case_id).await.unwrap();
    w.app
        .transition(
            &w.pm1,
            case_id,
            case.version,
            &TransitionRequest {
                outcome: None,
                to: Status::PlanApproved,
                reason: "budget".into(),
                booking: None,
                on: None,
            },
        )
        .await
        .unwrap();
    arrive(w, case_id, &w.iom).await;
}

#[tokio::test]
async fn two_managers_approving_at_once_complete_the_approval() {
    let w = world().await;
    let mut input = retour_app::demo::miftari();
    input.destination_country = "GN".into();
    let case = w.app.register_case(&w.c, &input).await.unwrap();
    let case = assess(&w, &case).await;
    w.app
        .save_line(&w.c, case.id, None, &line("housing", "5500"))
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    let (a, b) = tokio::join!(
        w.app.approve_plan(&w.pm1, case.id),
        w.app.approve_plan(&w.pm2, case.id)
    );
    // Whichever came second completed it; neither is lost.
    assert_eq!(
        [a.unwrap(), b.unwrap()]
            .iter()
            .filter(|done| **done)
            .count(),
        1
    );
    let plan = w.app.plan_view(&w.pm1, case.id).await.unwrap();
    assert_eq!(plan.status.unwrap().as_str(), "approved");
    let mut approvers: Vec<uuid::Uuid> = serde_json::from_str(&plan.versions[0].approvers).unwrap();
    approvers.sort();
    let mut expected = vec![w.pm1.id, w.pm2.id];
    expected.sort();
    assert_eq!(approvers, expected);
    assert_eq!(
        w.app.case(&w.c, case.id).await.unwrap().status,
        Status::PlanApproved
    );

    // A schedule typed with a wrong year is refused with a reason, never a crash.
    let child = case.household.members[4].person.id;
    assert_eq!(
        codes(
            w.app
                .schedule_appointments(&w.pm1, case.id, child, "doctor_visit", "9999-12-01", "2")
                .await
        ),
        vec!["date-out-of-range"]
    );
    // Nothing is planned on a withdrawn case.
    let now = w.app.case(&w.c, case.id).await.unwrap();
    w.app
        .transition(
            &w.c,
            case.id,
            now.version,
            &TransitionRequest {
                outcome: None,
                to: Status::Withdrawn,
                reason: "changed their mind".into(),
                booking: None,
                on: None,
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        w.app.amend_plan(&w.c, case.id).await,
        Err(AppError::Forbidden)
    ));
    w.db.finish().await;
}

#[tokio::test]
async fn each_role_finds_its_work_in_its_queues() {
    use retour_app::queues::QueueKind;
    let w = world().await;
    let names = |p: retour_app::Page<retour_app::queues::QueueItem>| -> Vec<String> {
        p.items.into_iter().map(|i| i.reference).collect()
    };
    // Liridon is a complex medical case: waiting for the medical advisor's pricing.
    let case = w
        .app
        .register_case(&w.c, &retour_app::demo::miftari())
        .await
        .unwrap();
    let liridon = case.household.members[3].person.id;
    w.app
        .record_vulnerability(
            &w.c,
            case.id,
            liridon,
            "complex_medical",
            &today(&w),
            "file",
            "asthma",
        )
        .await
        .unwrap();
    let medical = w.app.my_queues(&w.medical).await.unwrap();
    assert_eq!(medical.len(), 1);
    assert_eq!(medical[0].kind, QueueKind::MedicalToPrice);
    assert_eq!(medical[0].items[0].reference, case.reference.to_string());
    w.app
        .record_medical_need(
            &w.medical,
            case.id,
            &retour_app::entitlements::NeedInput {
                person_id: liridon,
                label: "check-up".into(),
                frequency: "monthly".into(),
                amount_eur: "40".into(),
                style: retour_domain::NumberStyle::Plain,
            },
        )
        .await
        .unwrap();
    assert!(
        w.app.my_queues(&w.medical).await.unwrap()[0]
            .items
            .is_empty(),
        "priced: off the queue"
    );

    // A submitted plan waits for programme managers who did not write it, with its total.
    let case = assess(&w, &w.app.case(&w.c, case.id).await.unwrap()).await;
    w.app
        .save_line(&w.pm2, case.id, None, &line("housing", "1200"))
        .await
        .unwrap();
    w.app.submit_plan(&w.c, case.id).await.unwrap();
    let queue = |who: &Actor| {
        let app = w.app.clone();
        let who = who.clone();
        async move {
            app.queue(&who, QueueKind::PlansToApprove, None, 10)
                .await
                .unwrap()
        }
    };
    let waiting = queue(&w.pm1).await;
    assert_eq!(waiting.items[0].amount_cents, Some(120_000));
    assert!(
        queue(&w.pm2).await.items.is_empty(),
        "not the plan's own author"
    );
    assert!(matches!(
        w.app.queue(&w.c, QueueKind::PlansToApprove, None, 10).await,
        Err(AppError::Forbidden)
    ));
    // Status lists are within the scope: the other partner sees none of it.
    let assessed = w
        .app
        .queue(&w.c, QueueKind::Status(Status::Assessed), None, 10)
        .await
        .unwrap();
    assert_eq!(names(assessed), vec![case.reference.to_string()]);
    assert!(w
        .app
        .queue(&w.caritas, QueueKind::Status(Status::Assessed), None, 10)
        .await
        .unwrap()
        .items
        .is_empty());
    w.db.finish().await;
}
