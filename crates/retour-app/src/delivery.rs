//! Delivery in the country of return, mostly by the partner caseworker: arrival (deadlines start
//! then), spending against approved lines with a proof of payment, the administrative-support
//! checklist, appointments, and the final report that lets the case be closed.

use retour_domain::dates::format_date;
use retour_domain::lifecycle::TransitionRequest;
use retour_domain::plan::{
    self, AppointmentKind, AppointmentStatus, Category, ChecklistItem, CounsellingOutcome,
};
use retour_domain::{age_on, parse_date, Invalid, Status, ValidationError, ValidationErrors};
use retour_store::{
    AppointmentRow, Arrival, Audit, ChecklistRow, DocumentRow, FinalReportRow, SpendingRow,
};
use uuid::Uuid;

use crate::authz::{can, require, Action};
use crate::files::{check_upload, sha256_hex};
use crate::plans::{case_closed, LineView};
use crate::{Actor, App, AppError, AppResult};

use retour_domain::error::other;

/// A spending as a form or the API sends it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SpendingInput {
    pub line_id: String,
    pub spent_on: String,
    /// In `currency`, as typed.
    pub amount: String,
    /// ISO 4217, e.g. `EUR`, `ALL`.
    pub currency: String,
    /// Euro for one unit of `currency` on `spent_on`; empty for EUR.
    #[serde(default)]
    pub rate: String,
    pub vendor: String,
    /// How amount and rate were written: the page's language, or plain for the API.
    #[serde(skip)]
    pub style: retour_domain::NumberStyle,
}

/// An uploaded file as received.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ChecklistEntry {
    pub item: ChecklistItem,
    /// For school enrolment: the child.
    pub person_id: Option<Uuid>,
    pub person: Option<String>,
    pub done_on: Option<time::Date>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AppointmentView {
    pub id: Uuid,
    pub person: String,
    pub kind: AppointmentKind,
    pub scheduled_on: time::Date,
    pub status: AppointmentStatus,
    pub outcome: Option<CounsellingOutcome>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DeliveryView {
    pub case: retour_domain::Case,
    pub arrival: Option<time::Date>,
    pub lines: Vec<LineView>,
    pub spendings: Vec<crate::views::Payment>,
    pub documents: Vec<crate::views::Document>,
    pub checklist: Vec<ChecklistEntry>,
    pub appointments: Vec<AppointmentView>,
    pub final_report: Option<crate::views::FinalReport>,
    pub can_record: bool,
    pub can_confirm_arrival: bool,
    pub can_submit_report: bool,
}

/// The final report as a form sends it.
#[derive(Debug, Clone, Default)]
pub struct FinalReportInput {
    pub comment: String,
    /// Confirms that the case ends with visits still planned or money left on lines.
    pub confirm_open_items: bool,
}

impl DeliveryView {
    /// What is still open on the case, in words a reader's language does not need (codes and
    /// counts): `visits:2 lines:1`, or empty when nothing is.
    pub fn open_items(&self) -> String {
        use retour_domain::plan::AppointmentStatus;
        let visits = self
            .appointments
            .iter()
            .filter(|a| a.status == AppointmentStatus::Planned)
            .count();
        let lines = self
            .lines
            .iter()
            .filter(|l| !l.expired && l.left() > 0)
            .count();
        let mut out = Vec::new();
        if visits > 0 {
            out.push(format!("visits:{visits}"));
        }
        if lines > 0 {
            out.push(format!("lines:{lines}"));
        }
        out.join(" ")
    }
}

impl App {
    pub async fn delivery(&self, actor: &Actor, case_id: Uuid) -> AppResult<DeliveryView> {
        let plan = self.plan_view(actor, case_id).await?;
        let case = plan.case;
        let name_of = |id: Uuid| {
            case.household
                .members
                .iter()
                .find(|m| m.person.id == id)
                .map(|m| m.person.full_name())
                .unwrap_or_default()
        };
        let done = self.store.checklist(case_id).await?;
        let done_on = |item: ChecklistItem, person: Uuid| {
            done.iter()
                .find(|c| c.item == item.as_str() && c.person_id == person)
                .map(|c| c.done_on)
        };
        let today = self.today();
        let mut checklist = Vec::new();
        for item in ChecklistItem::ALL.iter().copied() {
            if item.per_child() {
                for m in &case.household.members {
                    if age_on(m.person.birth_date.date(), today) < 18 {
                        checklist.push(ChecklistEntry {
                            item,
                            person_id: Some(m.person.id),
                            person: Some(m.person.full_name()),
                            done_on: done_on(item, m.person.id),
                        });
                    }
                }
            } else {
                checklist.push(ChecklistEntry {
                    item,
                    person_id: None,
                    person: None,
                    done_on: done_on(item, Uuid::nil()),
                });
            }
        }
        let appointments = self
            .store
            .appointments(case_id)
            .await?
            .into_iter()
            .map(|a| {
                Ok(AppointmentView {
                    id: a.id,
                    person: name_of(a.person_id),
                    kind: a
                        .kind
                        .parse()
                        .map_err(|_| AppError::Internal("unknown appointment kind".into()))?,
                    scheduled_on: a.scheduled_on,
                    status: a
                        .status
                        .parse()
                        .map_err(|_| AppError::Internal("unknown appointment status".into()))?,
                    outcome: a.outcome.and_then(|o| o.parse().ok()),
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let may = can(actor, Action::RecordDelivery, Some(&case)) && !case_closed(&case);
        // Proofs of medical payments are listed only to those who may open them.
        let documents: Vec<retour_store::DocumentRow> = self
            .store
            .documents(case_id)
            .await?
            .into_iter()
            .filter(|(_, access)| {
                crate::authz::can_read_proof(
                    actor,
                    &case,
                    access.medical,
                    access.uploader_org.as_deref(),
                )
            })
            .map(|(d, _)| d)
            .collect();
        let readable: Vec<Uuid> = documents.iter().map(|d| d.id).collect();
        let final_report = self.store.final_report(case_id).await?.map(Into::into);
        let approved_once = !plan.versions.is_empty();
        Ok(DeliveryView {
            arrival: plan.arrival,
            lines: plan.lines,
            spendings: {
                let mut spendings: Vec<crate::views::Payment> =
                    crate::views::all(self.store.spendings(case_id).await?);
                for s in &mut spendings {
                    if s.document_id.is_some_and(|d| !readable.contains(&d)) {
                        s.document_id = None;
                    }
                }
                spendings
            },
            documents: documents
                .into_iter()
                .filter(|d| readable.contains(&d.id))
                .map(Into::into)
                .collect(),
            checklist,
            appointments,
            can_record: may && plan.arrival.is_some(),
            // Also when the case moved on without its arrival day: the form leads back.
            can_confirm_arrival: can(actor, Action::RecordArrival, Some(&case))
                && case.arrived_on.is_none()
                && matches!(
                    case.status,
                    Status::Departed
                        | Status::Arrived
                        | Status::InReintegration
                        | Status::Monitoring
                ),
            can_submit_report: may
                && plan.arrival.is_some()
                && approved_once
                && final_report.is_none(),
            final_report,
            case,
        })
    }

    /// Confirms the returnee's arrival: the case moves to `arrived` and the deadlines of the
    /// plan's lines start from this date.
    pub async fn confirm_arrival(&self, actor: &Actor, case_id: Uuid, on: &str) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::RecordArrival, Some(&case))?;
        let day = parse_date(on).map_err(|e| e.at("arrived_on"))?;
        if case.arrived_on.is_some() {
            return Err(other("arrival-recorded", case.reference.to_string()).into());
        }
        if case.status != Status::Departed {
            // A case moved on without its arrival day (before it was asked for): the day is
            // recorded now, and the deadlines start, without moving the case again.
            if matches!(
                case.status,
                Status::Arrived | Status::InReintegration | Status::Monitoring
            ) {
                return self.record_missing_arrival(actor, &case, day).await;
            }
            return Err(other("not-departed", case.reference.to_string()).into());
        }
        self.transition(
            actor,
            case_id,
            case.version,
            &TransitionRequest {
                outcome: None,
                to: Status::Arrived,
                reason: "arrival-confirmed".into(),
                booking: None,
                on: Some(day),
            },
        )
        .await
        .map_err(|e| match e {
            AppError::Invalid(errs) => AppError::Invalid(ValidationErrors(
                errs.0
                    .into_iter()
                    .map(|mut v| {
                        if v.field.as_deref() == Some("on") {
                            v.field = Some("arrived_on".into());
                        }
                        v
                    })
                    .collect(),
            )),
            other => other,
        })?;
        Ok(())
    }

    async fn record_missing_arrival(
        &self,
        actor: &Actor,
        case: &retour_domain::Case,
        day: time::Date,
    ) -> AppResult<()> {
        let left = case.departed_on.or(case.departure.map(|b| b.date));
        if day > self.today() {
            return Err(other("date-in-future", format_date(day))
                .at("arrived_on")
                .into());
        }
        if let Some(left) = left.filter(|d| day < *d) {
            return Err(ValidationError::new(Invalid::DateOrder {
                earlier: left,
                later: day,
            })
            .at("arrived_on")
            .into());
        }
        let deadlines = self.case_policy(case).await?.deadlines();
        self.store
            .record_arrival(
                case.id,
                case.version,
                actor.id,
                &Arrival {
                    arrived_on: day,
                    medical_expiry: plan::line_expiry(Category::Medical, day, deadlines),
                    general_expiry: plan::line_expiry(Category::Housing, day, deadlines),
                },
                &Audit::new(Some(actor.id), "case.arrival"),
            )
            .await?;
        Ok(())
    }

    /// Records a payment against an approved line, with its proof. Nothing is kept when anything
    /// is refused: the proof is checked before it is written and removed if the row is refused.
    pub async fn record_spending(
        &self,
        actor: &Actor,
        case_id: Uuid,
        input: &SpendingInput,
        proof: Option<Upload>,
    ) -> AppResult<Uuid> {
        let view = self.delivery(actor, case_id).await?;
        require(actor, Action::RecordDelivery, Some(&view.case))?;
        if case_closed(&view.case) {
            return Err(AppError::Forbidden);
        }
        if view.arrival.is_none() {
            return Err(other("not-arrived", view.case.reference.to_string()).into());
        }
        let mut errors = ValidationErrors::default();
        let line = Uuid::parse_str(input.line_id.trim())
            .ok()
            .and_then(|id| view.lines.iter().find(|l| l.id == id));
        if line.is_none() {
            errors.push(
                ValidationError::new(Invalid::UnknownValue {
                    value: input.line_id.trim().chars().take(40).collect(),
                })
                .at("line_id"),
            );
        }
        let day = parse_date(&input.spent_on)
            .map_err(|e| errors.push(e.at("spent_on")))
            .ok();
        if day.is_some_and(|d| d > self.today()) {
            errors.push(other("date-in-future", input.spent_on.trim()).at("spent_on"));
        }
        // Support is delivered in the country of return: nothing is paid before arrival.
        if let (Some(d), Some(arrived)) = (day, view.arrival) {
            if d < arrived {
                errors.push(
                    ValidationError::new(Invalid::DateOrder {
                        earlier: arrived,
                        later: d,
                    })
                    .at("spent_on"),
                );
            }
        }
        let vendor = &retour_domain::text::field(
            &mut errors,
            "vendor",
            &input.vendor,
            true,
            200,
            retour_domain::text::Shape::Line,
        );
        let currency = input.currency.trim().to_ascii_uppercase();
        let converted = plan::to_eur_cents(&input.amount, &currency, &input.rate, input.style)
            .map_err(|e| errors.0.extend(e.0))
            .ok();
        let proof_type = match &proof {
            None => {
                errors.push(other("proof-required", "").at("proof"));
                None
            }
            Some(p) => check_upload(&p.file_name, &p.bytes)
                .map_err(|e| errors.push(e))
                .ok(),
        };
        if let (Some(l), Some((_, _, cents))) = (line, converted) {
            if l.expired {
                errors.push(retour_domain::error::amount("line-expired", l.left()).at("line_id"));
            } else if let Err(e) = plan::check_spend(l.approved, l.spent, cents) {
                errors.push(e);
            }
        }
        errors.into_result(())?;
        let (line, (amount, rate, cents)) = (line.expect("checked"), converted.expect("checked"));
        let proof = proof.expect("checked");
        let now = time::OffsetDateTime::now_utc();
        let doc = DocumentRow {
            id: Uuid::now_v7(),
            case_id,
            file_name: proof.file_name.clone(),
            media_type: proof_type.expect("checked").media_type().into(),
            size_bytes: proof.bytes.len() as i64,
            sha256: sha256_hex(&proof.bytes),
            uploaded_by: actor.id,
            uploaded_at: now,
        };
        let files = self.files()?;
        files
            .put(case_id, doc.id, &proof.bytes)
            .map_err(|e| AppError::Internal(format!("storing a proof: {e}")))?;
        let row = SpendingRow {
            id: Uuid::now_v7(),
            case_id,
            line_id: line.id,
            spent_on: day.expect("checked"),
            amount: amount.to_string(),
            currency,
            rate: rate.to_string(),
            eur_cents: cents,
            vendor: vendor.into(),
            document_id: Some(doc.id),
            recorded_by: actor.id,
            recorded_at: now,
        };
        let audit = Audit::new(Some(actor.id), "spending.record")
            .detail(format!("line {} {} cents", line.id, cents));
        match self.store.add_spending(&row, Some(&doc), &audit).await {
            Ok(true) => Ok(row.id),
            Ok(false) => {
                files.discard(case_id, doc.id);
                Err(retour_domain::error::amount("line-overspent", line.left())
                    .at("amount")
                    .into())
            }
            Err(e) => {
                files.discard(case_id, doc.id);
                Err(e.into())
            }
        }
    }

    /// A proof of payment, for whoever may read its case; every download is audited.
    pub async fn document(
        &self,
        actor: &Actor,
        document_id: Uuid,
    ) -> AppResult<(crate::views::Document, Vec<u8>)> {
        let (doc, access) = self
            .store
            .document(document_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let case = self.case(actor, doc.case_id).await?;
        if !crate::authz::can_read_proof(
            actor,
            &case,
            access.medical,
            access.uploader_org.as_deref(),
        ) {
            return Err(AppError::Forbidden);
        }
        if let Some(on) = access.erased_on {
            return Err(ValidationError::new(Invalid::Day {
                code: "proof-erased",
                day: on,
            })
            .into());
        }
        let bytes = self
            .files()?
            .get(doc.case_id, doc.id)
            .map_err(|e| AppError::Internal(format!("reading a proof: {e}")))?;
        self.store
            .append_audit(
                &Audit::new(Some(actor.id), "document.read").detail(doc.id.to_string()),
                Some(doc.case_id),
            )
            .await?;
        Ok((doc.into(), bytes))
    }

    /// Ticks off an administrative-support item (for school enrolment: per child).
    pub async fn set_checklist(
        &self,
        actor: &Actor,
        case_id: Uuid,
        item: &str,
        person_id: Option<Uuid>,
        done_on: &str,
    ) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::RecordDelivery, Some(&case))?;
        if case_closed(&case) {
            return Err(AppError::Forbidden);
        }
        let mut errors = ValidationErrors::default();
        let item = item
            .parse::<ChecklistItem>()
            .map_err(|e| errors.push(e.at("item")))
            .ok();
        let day = parse_date(done_on)
            .map_err(|e| errors.push(e.at("done_on")))
            .ok();
        if day.is_some_and(|d| d > self.today()) {
            errors.push(other("date-in-future", done_on.trim()).at("done_on"));
        }
        let person = match (item.map(|i| i.per_child()), person_id) {
            (Some(true), Some(p)) => {
                let child = case.household.members.iter().any(|m| {
                    m.person.id == p && age_on(m.person.birth_date.date(), self.today()) < 18
                });
                if !child {
                    errors.push(
                        ValidationError::new(Invalid::UnknownValue {
                            value: p.to_string(),
                        })
                        .at("person"),
                    );
                }
                p
            }
            (Some(true), None) => {
                errors.push(ValidationError::new(Invalid::Required).at("person"));
                Uuid::nil()
            }
            _ => Uuid::nil(),
        };
        errors.into_result(())?;
        let item = item.expect("checked");
        self.store
            .set_checklist(
                &ChecklistRow {
                    case_id,
                    item: item.as_str().into(),
                    person_id: person,
                    done_on: day.expect("checked"),
                    recorded_by: actor.id,
                    recorded_at: time::OffsetDateTime::now_utc(),
                },
                &Audit::new(Some(actor.id), "checklist.set").detail(item.as_str()),
            )
            .await?;
        Ok(())
    }

    /// Schedules `count` appointments a month apart from `first` (e.g. monthly doctor visits
    /// for a child over six months).
    pub async fn schedule_appointments(
        &self,
        actor: &Actor,
        case_id: Uuid,
        person_id: Uuid,
        kind: &str,
        first: &str,
        count: &str,
    ) -> AppResult<usize> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::RecordDelivery, Some(&case))?;
        if case_closed(&case) {
            return Err(AppError::Forbidden);
        }
        let mut errors = ValidationErrors::default();
        let kind = kind
            .parse::<AppointmentKind>()
            .map_err(|e| errors.push(e.at("kind")))
            .ok();
        let first = parse_date(first)
            .map_err(|e| errors.push(e.at("first_on")))
            .ok();
        // A schedule starts within a year before or two years after today (reintegration lasts
        // at most a year); anything else is a typing error.
        if let Some(d) = first.filter(|d| {
            *d < self.today() - time::Duration::days(366)
                || *d > self.today() + time::Duration::days(731)
        }) {
            errors.push(
                other("date-out-of-range", retour_domain::dates::format_date(d)).at("first_on"),
            );
        }
        let count = match count.trim().parse::<u32>() {
            Ok(n) if (1..=24).contains(&n) => Some(n),
            _ => {
                errors.push(
                    other(
                        "bad-count",
                        count.trim().chars().take(10).collect::<String>(),
                    )
                    .at("count"),
                );
                None
            }
        };
        if !case
            .household
            .members
            .iter()
            .any(|m| m.person.id == person_id)
        {
            errors.push(
                ValidationError::new(Invalid::UnknownValue {
                    value: person_id.to_string(),
                })
                .at("person"),
            );
        }
        errors.into_result(())?;
        let now = time::OffsetDateTime::now_utc();
        let rows: Vec<AppointmentRow> =
            plan::monthly_schedule(first.expect("checked"), count.expect("checked"))
                .into_iter()
                .map(|d| AppointmentRow {
                    id: Uuid::now_v7(),
                    case_id,
                    person_id,
                    kind: kind.expect("checked").as_str().into(),
                    scheduled_on: d,
                    status: AppointmentStatus::Planned.as_str().into(),
                    outcome: None,
                    updated_by: actor.id,
                    updated_at: now,
                })
                .collect();
        self.store
            .add_appointments(
                &rows,
                &Audit::new(Some(actor.id), "appointment.schedule").detail(format!(
                    "{} x {}",
                    rows.len(),
                    kind.expect("checked")
                )),
            )
            .await?;
        Ok(rows.len())
    }

    /// Records whether an appointment was attended or missed; a job-counselling session that
    /// took place records its outcome.
    pub async fn record_appointment(
        &self,
        actor: &Actor,
        case_id: Uuid,
        appointment_id: Uuid,
        status: &str,
        outcome: Option<&str>,
    ) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::RecordDelivery, Some(&case))?;
        if case_closed(&case) {
            return Err(AppError::Forbidden);
        }
        let appt = self
            .store
            .appointments(case_id)
            .await?
            .into_iter()
            .find(|a| a.id == appointment_id)
            .ok_or(AppError::NotFound)?;
        let mut errors = ValidationErrors::default();
        let status = status
            .parse::<AppointmentStatus>()
            .map_err(|e| errors.push(e.at("status")))
            .ok();
        let outcome = match outcome.map(str::trim).filter(|o| !o.is_empty()) {
            Some(o) => o
                .parse::<CounsellingOutcome>()
                .map_err(|e| errors.push(e.at("outcome")))
                .ok(),
            None => None,
        };
        if appt.kind == AppointmentKind::JobCounselling.as_str()
            && status == Some(AppointmentStatus::Attended)
            && outcome.is_none()
        {
            errors.push(ValidationError::new(Invalid::Required).at("outcome"));
        }
        if status == Some(AppointmentStatus::Attended) && appt.scheduled_on > self.today() {
            errors.push(
                other(
                    "date-in-future",
                    retour_domain::dates::format_date(appt.scheduled_on),
                )
                .at("status"),
            );
        }
        errors.into_result(())?;
        let outcome = outcome.filter(|_| appt.kind == AppointmentKind::JobCounselling.as_str());
        self.store
            .set_appointment(
                case_id,
                appointment_id,
                status.expect("checked").as_str(),
                outcome.map(|o| o.as_str()),
                actor.id,
                &Audit::new(Some(actor.id), "appointment.record")
                    .detail(status.expect("checked").as_str()),
            )
            .await?;
        Ok(())
    }

    /// Submits the final report: actual spending per line against the plan, with the proofs.
    /// Afterwards the case can be closed.
    /// Submits the final report: spent against approved per line, a comment, and, when visits
    /// are still planned or lines have money left, the submitter's confirmation that the case
    /// ends with them open.
    pub async fn submit_final_report(
        &self,
        actor: &Actor,
        case_id: Uuid,
        report: &FinalReportInput,
    ) -> AppResult<()> {
        let view = self.delivery(actor, case_id).await?;
        require(actor, Action::RecordDelivery, Some(&view.case))?;
        if !view.can_submit_report {
            return Err(other("final-report-not-ready", view.case.reference.to_string()).into());
        }
        let mut errors = ValidationErrors::default();
        let comment = retour_domain::text::field(
            &mut errors,
            "comment",
            &report.comment,
            false,
            5000,
            retour_domain::text::Shape::Paragraph,
        );
        let open = view.open_items();
        if !open.is_empty() && !report.confirm_open_items {
            errors.push(other("open-items-unconfirmed", open.clone()).at("confirm_open_items"));
        }
        errors.into_result(())?;
        let report = FinalReportRow {
            case_id,
            planned_cents: view.lines.iter().map(|l| l.approved.unwrap_or(0)).sum(),
            spent_cents: view.lines.iter().map(|l| l.spent).sum(),
            submitted_by: actor.id,
            submitted_at: time::OffsetDateTime::now_utc(),
            comment,
            open_items: open,
        };
        self.store
            .submit_final_report(&report, &Audit::new(Some(actor.id), "final_report.submit"))
            .await?;
        Ok(())
    }

    fn files(&self) -> AppResult<&crate::files::FileStore> {
        self.files
            .as_ref()
            .ok_or_else(|| AppError::Internal("no folder for uploaded files is configured".into()))
    }
}
