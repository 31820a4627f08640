//! The demo's cases, walked through the same use cases as people use, so that every role's home
//! has work on it: a plan waiting for approval, a medical case waiting for pricing, an arrival to
//! confirm, visits due, payments with proofs, and cases in every state of the lifecycle.

use retour_domain::children::BestInterestsInput;
use retour_domain::household::HouseholdInput;
use retour_domain::lifecycle::{DepartureBooking, Status, TransitionRequest};
use retour_domain::{Case, NumberStyle};
use time::Duration;
use uuid::Uuid;

use crate::delivery::{SpendingInput, Upload};
use crate::entitlements::NeedInput;
use crate::plans::LineInput;
use crate::{Actor, App, AppResult};

/// A one-page PDF: the demo's proofs of payment.
const PROOF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

/// Who acts in the demo story.
pub(crate) struct Cast {
    pub counsellor: Actor,
    pub medical: Actor,
    pub manager: Actor,
    pub manager2: Actor,
    pub iom: Actor,
    pub caritas: Actor,
}

fn household(json: serde_json::Value) -> HouseholdInput {
    serde_json::from_value(json).expect("demo households are valid")
}

impl App {
    fn day(&self, offset: i64) -> String {
        retour_domain::dates::format_date(self.today() + Duration::days(offset))
    }

    async fn step(&self, who: &Actor, case: &Case, to: Status, on: bool) -> AppResult<Case> {
        let booking = (to == Status::DepartureBooked).then(|| DepartureBooking {
            date: self.today(),
            transport: retour_domain::lifecycle::Transport::Plane,
            travel_document: retour_domain::lifecycle::TravelDocumentStatus::Valid,
        });
        self.transition(
            who,
            case.id,
            case.version,
            &TransitionRequest {
                outcome: (to == Status::Closed).then(|| {
                    retour_domain::monitoring::ClosingOutcome {
                        outcome: retour_domain::monitoring::Outcome::Completed,
                        note: String::new(),
                    }
                }),
                to,
                reason: "demo".into(),
                booking,
                on: on.then(|| self.today()),
            },
        )
        .await
    }

    async fn assess_children(&self, who: &Actor, case: &Case) -> AppResult<()> {
        for m in &case.household.members {
            if retour_domain::age_on(m.person.birth_date.date(), self.today()) < 18 {
                self.record_best_interests(
                    who,
                    case.id,
                    m.person.id,
                    &BestInterestsInput {
                        assessed_on: self.day(0),
                        assessed_by: "Sara Claes".into(),
                        consulted_parents: true,
                        consulted_guardian: false,
                        consulted_child: true,
                        consulted_names: "Beide ouders".into(),
                        summary: "Wil met het gezin terugkeren.".into(),
                        conclusion: "Terugkeren met het gezin is in het belang van het kind."
                            .into(),
                    },
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn share_with(&self, who: &Actor, case: &Case, partner: &str) -> AppResult<()> {
        let adult = case.household.members[0].person.id;
        self.record_consent(
            who,
            case.id,
            adult,
            "partner_transfer",
            Some(partner),
            &self.day(0),
        )
        .await?;
        self.assign_partner(who, case.id, partner).await
    }

    async fn line(
        &self,
        who: &Actor,
        case: Uuid,
        category: &str,
        what: &str,
        eur: &str,
    ) -> AppResult<Uuid> {
        self.save_line(
            who,
            case,
            None,
            &LineInput {
                category: category.into(),
                employment_kind: None,
                description: what.into(),
                provider: "Lokale leverancier".into(),
                target_date: None,
                amount_eur: eur.into(),
                style: NumberStyle::Plain,
            },
        )
        .await
    }

    async fn current(&self, who: &Actor, case: &Case) -> AppResult<Case> {
        self.case(who, case.id).await
    }

    /// The demo cases, once (the Miftari household marks that they exist).
    pub(crate) async fn load_demo_story(&self, cast: &Cast) -> AppResult<()> {
        let c = &cast.counsellor;
        let app = super::demo::miftari();
        let miftari = self.register_case(c, &app).await?;
        let bah = self.register_case(c, &super::demo::bah()).await?;

        // Mr Bah: a serious illness, waiting for the medical advisor to price his needs.
        self.record_vulnerability(
            c,
            bah.id,
            bah.household.members[0].person.id,
            "complex_medical",
            &self.day(0),
            "medisch dossier van het opvangcentrum",
            "Heeft regelmatig behandeling nodig; details bij de medisch adviseur.",
        )
        .await?;

        // The Miftari family: Liridon's monthly check-ups priced, the children assessed, the
        // plan written with IOM Kosovo and submitted: waiting for a programme manager.
        let liridon = miftari.household.members[3].person.id;
        self.record_vulnerability(
            c,
            miftari.id,
            liridon,
            "complex_medical",
            &self.day(0),
            "Brief van de huisarts",
            "Astma",
        )
        .await?;
        self.record_medical_need(
            &cast.medical,
            miftari.id,
            &NeedInput {
                person_id: liridon,
                label: "Controle bij de kinderarts".into(),
                frequency: "monthly".into(),
                amount_eur: "40".into(),
                style: NumberStyle::Plain,
            },
        )
        .await?;
        self.assess_children(c, &miftari).await?;
        let miftari = self.current(c, &miftari).await?;
        let miftari = self.step(c, &miftari, Status::Assessed, false).await?;
        self.share_with(c, &miftari, "iom-xk").await?;
        self.line(
            &cast.iom,
            miftari.id,
            "medical",
            "Maandelijkse controles voor Liridon",
            "240",
        )
        .await?;
        self.line(
            &cast.iom,
            miftari.id,
            "administrative_support",
            "Identiteitsdocumenten en inschrijvingen",
            "100",
        )
        .await?;
        self.submit_plan(c, miftari.id).await?;

        // The Diallo family (Guinea): plan approved, departed and arrived today, a payment with
        // its proof, monthly doctor visits: Caritas Guinée's work.
        let diallo = self
            .register_case(
                c,
                &household(serde_json::json!({
                    "destination_country": "GN", "destination_place": "Kindia",
                    "location_kind": "reception_centre", "location_name": "Poelkapelle", "office": super::demo::DEMO_OFFICE,
                    "application_date": self.day(-60), "planned_departure_date": self.day(0),
                    "members": [
                        {"relationship": "principal", "family_name": "Diallo", "given_names": "Mariama", "birth_date": "1990-02-11",
                         "sex": "female", "nationalities": ["GN"], "languages": ["ff", "fr"]},
                        {"relationship": "child", "family_name": "Diallo", "given_names": "Ibrahima", "birth_date": self.day(-9 * 365),
                         "sex": "male", "nationalities": ["GN"], "languages": ["ff", "fr"]}
                    ]
                })),
            )
            .await?;
        self.assess_children(c, &diallo).await?;
        let diallo = self.current(c, &diallo).await?;
        let diallo = self.step(c, &diallo, Status::Assessed, false).await?;
        self.share_with(c, &diallo, "caritas-gn").await?;
        let rent = self
            .line(
                &cast.caritas,
                diallo.id,
                "housing",
                "Loyer des six premiers mois",
                "1200",
            )
            .await?;
        self.line(
            &cast.caritas,
            diallo.id,
            "education",
            "Frais de scolarité et fournitures pour Ibrahima",
            "300",
        )
        .await?;
        self.submit_plan(c, diallo.id).await?;
        self.approve_plan(&cast.manager2, diallo.id).await?;
        let diallo = self.current(c, &diallo).await?;
        let diallo = self
            .step(c, &diallo, Status::DepartureBooked, false)
            .await?;
        let diallo = self.step(c, &diallo, Status::Departed, true).await?;
        self.confirm_arrival(&cast.caritas, diallo.id, &self.day(0))
            .await?;
        if self.files.is_some() {
            self.record_spending(
                &cast.caritas,
                diallo.id,
                &SpendingInput {
                    line_id: rent.to_string(),
                    spent_on: self.day(0),
                    amount: "1500000".into(),
                    currency: "GNF".into(),
                    rate: "0.000105".into(),
                    vendor: "Propriétaire, Kindia".into(),
                    style: NumberStyle::Plain,
                },
                Some(Upload {
                    file_name: "quittance-loyer.pdf".into(),
                    bytes: PROOF.to_vec(),
                }),
            )
            .await?;
        }
        let ibrahima = diallo.household.members[1].person.id;
        self.schedule_appointments(
            &cast.caritas,
            diallo.id,
            ibrahima,
            "doctor_visit",
            &self.day(3),
            "6",
        )
        .await?;
        // Caritas Guinée's first visit: the baseline survey of a hard start, answered in the
        // middle of each scale.
        let rss = self.instrument("RSS-2017").await?;
        let answers = rss
            .indicators()
            .iter()
            .map(|i| (i.code.clone(), i.options[i.options.len() / 2].code.clone()))
            .collect();
        self.record_followup(
            &cast.caritas,
            diallo.id,
            &retour_domain::monitoring::VisitInput {
                followup: "baseline".into(),
                visited_on: self.day(0),
                mode: "home_visit".into(),
                met: "Mamadou Diallo, Ibrahima".into(),
                observed: "Logement trouvé à Kindia ; Ibrahima suit ses soins. Pas encore de revenu régulier.".into(),
                services_in_progress: "Loyer, suivi médical d’Ibrahima".into(),
            },
            &answers,
        )
        .await?;

        // Arben Berisha (Kosovo): departed today, his arrival for IOM Kosovo to confirm.
        let berisha = self
            .register_case(
                c,
                &household(serde_json::json!({
                    "destination_country": "XK", "destination_place": "Peja",
                    "location_kind": "private_address", "location_name": "Gent", "office": super::demo::DEMO_OFFICE,
                    "application_date": self.day(-45), "planned_departure_date": self.day(0),
                    "members": [{"relationship": "principal", "family_name": "Berisha", "given_names": "Arben",
                                 "birth_date": "1979-06-30", "sex": "male", "nationalities": ["XK"], "languages": ["sq"]}]
                })),
            )
            .await?;
        let berisha = self.step(c, &berisha, Status::Assessed, false).await?;
        self.share_with(c, &berisha, "iom-xk").await?;
        let berisha = self.current(c, &berisha).await?;
        let berisha = self
            .step(&cast.manager, &berisha, Status::PlanApproved, false)
            .await?;
        let berisha = self
            .step(c, &berisha, Status::DepartureBooked, false)
            .await?;
        self.step(c, &berisha, Status::Departed, true).await?;

        // A withdrawal, a missed departure, and a case followed to its close.
        let single = |family: &str, given: &str, country: &str, birth: &str| {
            household(serde_json::json!({
                "destination_country": country, "location_kind": "reception_centre",
                "location_name": "Poelkapelle", "office": super::demo::DEMO_OFFICE,
                "application_date": self.day(-30), "planned_departure_date": self.day(0),
                "members": [{"relationship": "principal", "family_name": family, "given_names": given,
                             "birth_date": birth, "sex": "male", "nationalities": [country], "languages": ["en"]}]
            }))
        };
        let ahmadi = self
            .register_case(c, &single("Ahmadi", "Farid", "AF", "1994"))
            .await?;
        self.step(c, &ahmadi, Status::Withdrawn, false).await?;
        let okafor = self
            .register_case(c, &single("Okafor", "Chinedu", "NG", "1988-11-02"))
            .await?;
        let okafor = self.step(c, &okafor, Status::Assessed, false).await?;
        let okafor = self
            .step(&cast.manager, &okafor, Status::PlanApproved, false)
            .await?;
        let okafor = self
            .step(c, &okafor, Status::DepartureBooked, false)
            .await?;
        self.step(c, &okafor, Status::NoShow, false).await?;
        let kapanadze = self
            .register_case(c, &single("Kapanadze", "Giorgi", "GE", "1983-04-19"))
            .await?;
        let mut k = self.step(c, &kapanadze, Status::Assessed, false).await?;
        k = self
            .step(&cast.manager, &k, Status::PlanApproved, false)
            .await?;
        for (to, on) in [
            (Status::DepartureBooked, false),
            (Status::Departed, true),
            (Status::Arrived, true),
            (Status::InReintegration, false),
            (Status::Monitoring, false),
            (Status::Closed, false),
        ] {
            k = self.step(c, &k, to, on).await?;
        }

        // Workbooks in stock at the reception centre and centrally.
        for (location, edition, n) in [
            ("poelkapelle", "nl", "20"),
            ("poelkapelle", "fr", "10"),
            ("central", "nl", "100"),
            ("central", "fr", "60"),
        ] {
            self.change_workbook_stock(&cast.manager, location, edition, "set", n)
                .await?;
        }
        Ok(())
    }
}
