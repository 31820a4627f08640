//! Correcting and withdrawing what was recorded by mistake: medical needs, vulnerabilities,
//! payments, planned appointments and the departure booking. Only those who may record a fact
//! may correct it, always with a reason; the earlier value stays in the case's corrections (and
//! the audit trail), encrypted like the fact when it is special-category.
//!
//! What is frozen stays frozen: vulnerabilities and medical needs are the entitlement's inputs
//! and change only until a plan is approved (after that, through a plan amendment); payments
//! only until the final report.

use retour_domain::error::other;
use retour_domain::lifecycle::TransitionInput;
use retour_domain::money::typed_cents;
use retour_domain::quote::Vulnerability;
use retour_domain::{parse_date, Invalid, Status, ValidationError, ValidationErrors};
use retour_store::{Audit, Change, CorrectionRow};
use retour_store::{RowKey, Sealed};
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::authz::{can_read, require, Action, Sensitivity};
use crate::entitlements::{class_of, NeedInput};
use crate::plans::case_closed;
use crate::{Actor, App, AppError, AppResult};

/// One field of a corrected fact, typed so that each language writes it its own way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Text(String),
    Cents(i64),
    Date(Date),
    /// A code shown by its label in the reader's language (`label-<group>-<code>`).
    Label {
        group: String,
        code: String,
    },
}

/// A fact as it was or became: named fields (`corr-field-<name>` in the catalogues).
pub type Fact = Vec<(String, Value)>;

/// A correction as the case's readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorrectionView {
    pub id: Uuid,
    /// `medical_need`, `vulnerability`, `payment`, `appointment` or `booking`.
    pub kind: String,
    pub subject_id: Uuid,
    /// `corrected` or `withdrawn`.
    pub action: String,
    pub before: Fact,
    pub after: Option<Fact>,
    pub reason: String,
    pub actor_name: String,
    pub at: time::OffsetDateTime,
}

fn text(name: &str, v: impl Into<String>) -> (String, Value) {
    (name.to_string(), Value::Text(v.into()))
}

fn label(name: &str, group: &str, code: &str) -> (String, Value) {
    (
        name.to_string(),
        Value::Label {
            group: group.into(),
            code: code.into(),
        },
    )
}

/// The reason every correction needs: one paragraph, not empty.
fn reason(errors: &mut ValidationErrors, typed: &str) -> String {
    retour_domain::text::field(
        errors,
        "reason",
        typed,
        true,
        2000,
        retour_domain::text::Shape::Paragraph,
    )
}

struct Recorded<'a> {
    case_id: Uuid,
    kind: &'static str,
    subject_id: Uuid,
    sensitivity: Sensitivity,
    before: Fact,
    after: Option<Fact>,
    reason: &'a str,
}

impl App {
    /// Applies a change and keeps the earlier value, encrypted when the fact is sensitive.
    async fn keep_correction(
        &self,
        actor: &Actor,
        r: Recorded<'_>,
        change: &Change,
    ) -> AppResult<()> {
        let id = Uuid::now_v7();
        let seal = |column: Sealed, f: &Fact| {
            let json = serde_json::to_string(f).expect("a fact serialises");
            if r.sensitivity == Sensitivity::General {
                json
            } else {
                self.cipher.encrypt(column, RowKey::id(id), &json)
            }
        };
        let action = if r.after.is_some() {
            "corrected"
        } else {
            "withdrawn"
        };
        let row = CorrectionRow {
            id,
            case_id: r.case_id,
            kind: r.kind.into(),
            subject_id: r.subject_id,
            action: action.into(),
            sensitivity: r.sensitivity.as_str().into(),
            before: seal(Sealed::CorrectionBefore, &r.before),
            after: r.after.as_ref().map(|f| seal(Sealed::CorrectionAfter, f)),
            reason: r.reason.into(),
            actor_id: actor.id,
            at: time::OffsetDateTime::now_utc(),
        };
        // The audit names what changed, never its special-category content.
        let audit = Audit::new(Some(actor.id), "record.correct")
            .detail(format!("{} {} {action}", r.kind, r.subject_id));
        self.store.correct(&row, change, &audit).await?;
        // A corrected vulnerability or medical need past the freeze opens a review.
        self.review_after_change(actor, r.case_id).await
    }

    /// The corrections of a case that this reader may see, oldest first; sensitive ones are
    /// shown only to readers of their class (and that read is audited).
    pub async fn corrections(
        &self,
        actor: &Actor,
        case_id: Uuid,
    ) -> AppResult<Vec<CorrectionView>> {
        let case = self.case(actor, case_id).await?;
        let mut out = Vec::new();
        let mut read_sensitive = Vec::new();
        for e in self.store.corrections(case_id).await? {
            let c = e.row;
            let class: Sensitivity = c
                .sensitivity
                .parse()
                .map_err(|_| AppError::Internal("unknown sensitivity stored".into()))?;
            if !can_read(actor, class, &case) {
                continue;
            }
            let open = |column: Sealed, s: &str| -> AppResult<Fact> {
                let json = if class == Sensitivity::General {
                    s.to_string()
                } else {
                    self.cipher.decrypt(column, RowKey::id(c.id), s)?
                };
                serde_json::from_str(&json)
                    .map_err(|e| AppError::Internal(format!("stored correction: {e}")))
            };
            if class != Sensitivity::General {
                read_sensitive.push(format!("correction {} ({class})", c.id));
            }
            out.push(CorrectionView {
                id: c.id,
                kind: c.kind,
                subject_id: c.subject_id,
                action: c.action,
                before: open(Sealed::CorrectionBefore, &c.before)?,
                after: c
                    .after
                    .as_deref()
                    .map(|s| open(Sealed::CorrectionAfter, s))
                    .transpose()?,
                reason: c.reason,
                actor_name: e.actor_name,
                at: c.at,
            });
        }
        if !read_sensitive.is_empty() {
            self.store
                .append_audit(
                    &Audit::new(Some(actor.id), "sensitive.read").detail(read_sensitive.join(", ")),
                    Some(case_id),
                )
                .await?;
        }
        Ok(out)
    }

    /// Withdraws a vulnerability recorded by mistake, by those who may record it.
    pub async fn withdraw_vulnerability(
        &self,
        actor: &Actor,
        case_id: Uuid,
        id: Uuid,
        why: &str,
    ) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::EditCase, Some(&case))?;
        let v = self
            .store
            .vulnerabilities(case_id)
            .await?
            .into_iter()
            .find(|v| v.id == id)
            .ok_or(AppError::NotFound)?;
        let kind: Vulnerability = v
            .kind
            .parse()
            .map_err(|_| AppError::Internal("unknown vulnerability stored".into()))?;
        let class = class_of(kind);
        if kind != Vulnerability::ComplexMedical && !can_read(actor, class, &case) {
            return Err(AppError::Forbidden);
        }
        let mut errors = ValidationErrors::default();
        let why = reason(&mut errors, why);
        errors.into_result(())?;
        let before = vec![
            text("person", person_name(&case, v.person_id)),
            label("kind", "vulnerability", &v.kind),
            ("recorded_on".into(), Value::Date(v.recorded_on)),
            text(
                "source",
                self.cipher
                    .decrypt(Sealed::VulnerabilitySource, RowKey::id(v.id), &v.source)?,
            ),
            text(
                "evidence",
                self.cipher.decrypt(
                    Sealed::VulnerabilityEvidence,
                    RowKey::id(v.id),
                    &v.evidence,
                )?,
            ),
        ];
        self.keep_correction(
            actor,
            Recorded {
                case_id,
                kind: "vulnerability",
                subject_id: id,
                // Complex-medical evidence is health data even when a counsellor records it.
                sensitivity: if class == Sensitivity::General {
                    Sensitivity::Medical
                } else {
                    class
                },
                before,
                after: None,
                reason: &why,
            },
            &Change::WithdrawVulnerability,
        )
        .await
    }

    /// Corrects a medical need (what, how often, how much), by a medical advisor.
    pub async fn correct_medical_need(
        &self,
        actor: &Actor,
        case_id: Uuid,
        id: Uuid,
        need: &NeedInput,
        why: &str,
    ) -> AppResult<()> {
        let (_, before) = self.medical_need_before(actor, case_id, id).await?;
        let mut errors = ValidationErrors::default();
        let label_text = retour_domain::text::field(
            &mut errors,
            "label",
            &need.label,
            true,
            500,
            retour_domain::text::Shape::Line,
        );
        let frequency = need.frequency.trim();
        if !matches!(frequency, "monthly" | "one_off") {
            errors.push(
                ValidationError::new(Invalid::UnknownValue {
                    value: frequency.chars().take(40).collect(),
                })
                .at("frequency"),
            );
        }
        let cents = typed_cents(&need.amount_eur, need.style)
            .map_err(|e| errors.push(e.at("amount")))
            .ok();
        let why = reason(&mut errors, why);
        errors.into_result(())?;
        let cents = cents.expect("checked");
        let after = vec![
            before[0].clone(),
            text("label", label_text.trim()),
            label("frequency", "frequency", frequency),
            ("amount".into(), Value::Cents(cents)),
        ];
        self.keep_correction(
            actor,
            Recorded {
                case_id,
                kind: "medical_need",
                subject_id: id,
                sensitivity: Sensitivity::Medical,
                before,
                after: Some(after),
                reason: &why,
            },
            &Change::UpdateMedicalNeed {
                label: self.cipher.encrypt(
                    Sealed::MedicalNeedLabel,
                    RowKey::id(id),
                    label_text.trim(),
                ),
                frequency: frequency.into(),
                amount_cents: cents,
            },
        )
        .await
    }

    /// Withdraws a medical need recorded by mistake, by a medical advisor.
    pub async fn withdraw_medical_need(
        &self,
        actor: &Actor,
        case_id: Uuid,
        id: Uuid,
        why: &str,
    ) -> AppResult<()> {
        let (_, before) = self.medical_need_before(actor, case_id, id).await?;
        let mut errors = ValidationErrors::default();
        let why = reason(&mut errors, why);
        errors.into_result(())?;
        self.keep_correction(
            actor,
            Recorded {
                case_id,
                kind: "medical_need",
                subject_id: id,
                sensitivity: Sensitivity::Medical,
                before,
                after: None,
                reason: &why,
            },
            &Change::WithdrawMedicalNeed,
        )
        .await
    }

    async fn medical_need_before(
        &self,
        actor: &Actor,
        case_id: Uuid,
        id: Uuid,
    ) -> AppResult<(retour_domain::Case, Fact)> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::RecordMedicalNeeds, Some(&case))?;
        let n = self
            .store
            .medical_needs(case_id)
            .await?
            .into_iter()
            .find(|n| n.id == id)
            .ok_or(AppError::NotFound)?;
        let before = vec![
            text("person", person_name(&case, n.person_id)),
            text(
                "label",
                self.cipher
                    .decrypt(Sealed::MedicalNeedLabel, RowKey::id(n.id), &n.label)?,
            ),
            label("frequency", "frequency", &n.frequency),
            ("amount".into(), Value::Cents(n.amount_cents)),
        ];
        Ok((case, before))
    }

    /// Withdraws a payment recorded by mistake (wrong line, amount or day): its money returns
    /// to the line, its proof stays with the withdrawn record. Recording it again, right, is a
    /// new payment. Not after the final report.
    pub async fn withdraw_payment(
        &self,
        actor: &Actor,
        case_id: Uuid,
        id: Uuid,
        why: &str,
    ) -> AppResult<()> {
        let view = self.delivery(actor, case_id).await?;
        require(actor, Action::RecordDelivery, Some(&view.case))?;
        if case_closed(&view.case) {
            return Err(AppError::Forbidden);
        }
        let p = view
            .spendings
            .iter()
            .find(|s| s.id == id)
            .ok_or(AppError::NotFound)?;
        if view.final_report.is_some() {
            return Err(other("final-report-submitted", view.case.reference.to_string()).into());
        }
        let mut errors = ValidationErrors::default();
        let why = reason(&mut errors, why);
        errors.into_result(())?;
        let line = view
            .lines
            .iter()
            .find(|l| l.id == p.line_id)
            .map(|l| l.description.clone())
            .unwrap_or_default();
        let mut before = vec![
            text("line", line),
            ("spent_on".into(), Value::Date(p.spent_on)),
            ("amount".into(), Value::Cents(p.eur_cents)),
            text("vendor", p.vendor.clone()),
        ];
        if p.currency != "EUR" {
            before.push(text("paid", format!("{} {}", p.amount, p.currency)));
        }
        self.keep_correction(
            actor,
            Recorded {
                case_id,
                kind: "payment",
                subject_id: id,
                sensitivity: Sensitivity::General,
                before,
                after: None,
                reason: &why,
            },
            &Change::WithdrawPayment,
        )
        .await
    }

    /// Moves a planned appointment to another day (`on` as the forms write dates), or, with
    /// no day, withdraws it.
    pub async fn correct_appointment(
        &self,
        actor: &Actor,
        case_id: Uuid,
        id: Uuid,
        on: Option<&str>,
        why: &str,
    ) -> AppResult<()> {
        let view = self.delivery(actor, case_id).await?;
        require(actor, Action::RecordDelivery, Some(&view.case))?;
        if case_closed(&view.case) {
            return Err(AppError::Forbidden);
        }
        let a = view
            .appointments
            .iter()
            .find(|a| a.id == id)
            .ok_or(AppError::NotFound)?;
        if a.status != retour_domain::plan::AppointmentStatus::Planned {
            return Err(other("appointment-not-planned", a.status.as_str()).into());
        }
        let mut errors = ValidationErrors::default();
        let day = match on.map(str::trim) {
            None => None,
            Some("") => {
                errors.push(ValidationError::new(Invalid::Required).at("on"));
                None
            }
            Some(on) => parse_date(on).map_err(|e| errors.push(e.at("on"))).ok(),
        };
        if let (Some(d), Some(arrived)) = (day, view.arrival) {
            if d < arrived {
                errors.push(
                    ValidationError::new(Invalid::DateOrder {
                        earlier: arrived,
                        later: d,
                    })
                    .at("on"),
                );
            }
        }
        let why = reason(&mut errors, why);
        errors.into_result(())?;
        let person = a.person.clone();
        let before = vec![
            text("person", person.clone()),
            label("appointment", "appointment", a.kind.as_str()),
            ("scheduled_on".into(), Value::Date(a.scheduled_on)),
        ];
        let (after, change) = match day {
            None => (None, Change::WithdrawAppointment),
            Some(d) => (
                Some(vec![
                    before[0].clone(),
                    before[1].clone(),
                    ("scheduled_on".into(), Value::Date(d)),
                ]),
                Change::RescheduleAppointment { on: d },
            ),
        };
        self.keep_correction(
            actor,
            Recorded {
                case_id,
                kind: "appointment",
                subject_id: id,
                sensitivity: Sensitivity::General,
                before,
                after,
                reason: &why,
            },
            &change,
        )
        .await
    }

    /// Changes the booked departure (the flight moved, the document arrived) while the case is
    /// booked, with a reason; `version` is the case version the form was read at.
    pub async fn change_booking(
        &self,
        actor: &Actor,
        case_id: Uuid,
        version: i64,
        booking: &TransitionInput,
    ) -> AppResult<retour_domain::Case> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::TransitionCase, Some(&case))?;
        if case.status != Status::DepartureBooked {
            return Err(other("booking-not-open", case.reference.to_string()).into());
        }
        let Some(old) = case.departure else {
            return Err(other("booking-not-open", case.reference.to_string()).into());
        };
        let input = TransitionInput {
            to: Status::DepartureBooked.as_str().into(),
            ..booking.clone()
        };
        let mut errors = ValidationErrors::default();
        let new = match input.parse() {
            Ok(r) => r.booking,
            Err(e) => {
                errors.0.extend(e.0);
                None
            }
        };
        if let Some(b) = new.filter(|b| b.date < self.today()) {
            errors.push(
                ValidationError::new(Invalid::DateOrder {
                    earlier: self.today(),
                    later: b.date,
                })
                .at("booking.date"),
            );
        }
        let why = reason(&mut errors, &booking.reason);
        errors.into_result(())?;
        let new = new.expect("checked");
        let fact = |b: &retour_domain::lifecycle::DepartureBooking| {
            vec![
                ("booking_date".to_string(), Value::Date(b.date)),
                label("transport", "transport", b.transport.as_str()),
                label(
                    "travel_document",
                    "travel-document",
                    b.travel_document.as_str(),
                ),
            ]
        };
        self.keep_correction(
            actor,
            Recorded {
                case_id,
                kind: "booking",
                subject_id: case_id,
                sensitivity: Sensitivity::General,
                before: fact(&old),
                after: Some(fact(&new)),
                reason: &why,
            },
            &Change::ChangeBooking {
                version,
                date: new.date,
                transport: new.transport.as_str().into(),
                travel_document: new.travel_document.as_str().into(),
            },
        )
        .await?;
        self.case(actor, case_id).await
    }
}

fn person_name(case: &retour_domain::Case, id: Uuid) -> String {
    case.household
        .members
        .iter()
        .find(|m| m.person.id == id)
        .map(|m| m.person.full_name())
        .unwrap_or_default()
}
