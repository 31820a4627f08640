//! Delivery in the country of return: arrival, spending with proofs (multipart upload),
//! the administrative checklist, appointments and the final report; proof downloads; tasks.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Form;
use retour_app::delivery::{DeliveryView, SpendingInput, Upload};
use retour_app::files::MAX_UPLOAD_BYTES;
use retour_app::views::TaskItem;
use retour_domain::plan::{AppointmentKind, CounsellingOutcome, TaskKind};
use retour_domain::{Invalid, ValidationError};
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::pages::{after_form, for_row, parse_id};
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "delivery.html")]
pub struct DeliveryPage {
    l: Layout,
    d: DeliveryView,
    errors: FieldErrors,
    tasks: Vec<TaskItem>,
    /// Corrections of payments and appointments.
    corrections: Vec<retour_app::corrections::CorrectionView>,
}

impl DeliveryPage {
    fn row_error(&self, id: &Uuid, field: &str) -> Option<&String> {
        self.errors.get(&format!("{id}.{field}"))
    }

    fn row_has_errors(&self, id: &Uuid) -> bool {
        let prefix = format!("{id}.");
        self.errors.by_field.keys().any(|k| k.starts_with(&prefix))
    }

    /// Payments can be withdrawn until the final report.
    fn may_withdraw_payments(&self) -> bool {
        self.d.can_record && self.d.final_report.is_none()
    }

    /// Visits still planned and lines with money left, in words.
    fn open_items(&self) -> Vec<String> {
        let mut out = Vec::new();
        for part in self.d.open_items().split_whitespace() {
            if let Some((what, n)) = part.split_once(':') {
                out.push(self.l.ta(&format!("report-open-{what}"), "count", n));
            }
        }
        out
    }

    fn is_eur(&self, code: &str) -> bool {
        code == "EUR"
    }

    /// The ISO 4217 codes a payment may be in.
    fn currencies(&self) -> Vec<&'static str> {
        retour_domain::currency::Currency::all()
            .map(|c| c.code())
            .collect()
    }

    /// An exact decimal stored as text (an amount in another currency, a rate), written as the
    /// reader writes numbers.
    fn number(&self, stored: &str) -> String {
        match stored.parse::<rust_decimal::Decimal>() {
            Ok(d) => self.l.lang.decimal(d, d.scale()),
            Err(_) => stored.to_string(),
        }
    }

    fn cents(&self, c: impl crate::layout::AsCents) -> String {
        self.l.lang.eur(Decimal::new(c.as_cents(), 2))
    }
    fn line_name(&self, id: &Uuid) -> String {
        self.d
            .lines
            .iter()
            .find(|l| l.id == *id)
            .map(|l| {
                format!(
                    "{} · {}",
                    self.l.label("category", l.category),
                    l.description
                )
            })
            .unwrap_or_default()
    }
    fn doc_name(&self, id: &Option<Uuid>) -> Option<(Uuid, String)> {
        let id = (*id)?;
        self.d
            .documents
            .iter()
            .find(|d| d.id == id)
            .map(|d| (d.id, d.file_name.clone()))
    }
    fn appointment_kinds(&self) -> &'static [AppointmentKind] {
        AppointmentKind::ALL
    }
    fn outcomes(&self) -> &'static [CounsellingOutcome] {
        CounsellingOutcome::ALL
    }
    fn spendable(&self) -> Vec<&retour_app::plans::LineView> {
        self.d.lines.iter().filter(|l| l.left() > 0).collect()
    }
    fn planned_total(&self) -> String {
        self.cents(
            self.d
                .lines
                .iter()
                .map(|l| l.approved.unwrap_or(0))
                .sum::<i64>(),
        )
    }
    fn spent_total(&self) -> String {
        self.cents(self.d.lines.iter().map(|l| l.spent).sum::<i64>())
    }
    fn max_upload_mb(&self) -> usize {
        MAX_UPLOAD_BYTES / (1024 * 1024)
    }
}

async fn delivery_page(
    state: &AppState,
    s: &Signed,
    id: Uuid,
    errors: FieldErrors,
) -> Result<DeliveryPage, PageError> {
    let actor = &s.session.actor;
    let d = state
        .app
        .delivery(actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let tasks = state
        .app
        .case_tasks(actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let corrections = state
        .app
        .corrections(actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?
        .into_iter()
        .filter(|c| matches!(c.kind.as_str(), "payment" | "appointment"))
        .collect();
    Ok(DeliveryPage {
        l: s.layout(),
        d,
        errors,
        tasks,
        corrections,
    })
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<DeliveryPage, PageError> {
    let id = parse_id(&id, s.lang)?;
    delivery_page(&state, &s, id, FieldErrors::default()).await
}

#[derive(Deserialize)]
pub struct ArrivalForm {
    #[serde(default)]
    arrived_on: String,
}

pub async fn arrival(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<ArrivalForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state
        .app
        .confirm_arrival(&s.session.actor, id, &f.arrived_on)
        .await;
    after_form(
        &s,
        r,
        format!("/cases/{id}/delivery"),
        "error-duplicate",
        |e| delivery_page(&state, &s, id, e),
    )
    .await
}

/// Reads the spending form: its fields and at most one file, `proof`. A body over the limit is
/// cut off by the router before it gets here; a field too large for the form is refused.
/// Reads a spending form; amounts in it are written in `style` (the page's language, or plain
/// for the API).
pub(crate) async fn read_spending(
    mut m: Multipart,
    style: retour_domain::NumberStyle,
) -> Result<(SpendingInput, Option<Upload>, String), ValidationError> {
    let mut input = SpendingInput {
        style,
        ..Default::default()
    };
    let mut proof = None;
    let mut csrf = String::new();
    let too_large = || {
        ValidationError::new(Invalid::Other {
            code: "file-too-large",
            value: "5 MB".into(),
        })
        .at("proof")
    };
    while let Some(field) = m.next_field().await.map_err(|_| too_large())? {
        let name = field.name().unwrap_or("").to_string();
        if name == "proof" {
            let file_name = field.file_name().unwrap_or("").to_string();
            let bytes = field.bytes().await.map_err(|_| too_large())?;
            if !(file_name.is_empty() && bytes.is_empty()) {
                proof = Some(Upload {
                    file_name,
                    bytes: bytes.to_vec(),
                });
            }
            continue;
        }
        let value = field.text().await.map_err(|_| too_large())?;
        let value: String = value.chars().take(1000).collect();
        match name.as_str() {
            "line_id" => input.line_id = value,
            "spent_on" => input.spent_on = value,
            "amount" => input.amount = value,
            "currency" => input.currency = value,
            "rate" => input.rate = value,
            "vendor" => input.vendor = value,
            "_csrf" => csrf = value,
            _ => {}
        }
    }
    Ok((input, proof, csrf))
}

pub async fn add_spending(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    m: Multipart,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = match read_spending(m, s.lang.number_style()).await {
        Ok((input, proof, _)) => state
            .app
            .record_spending(&s.session.actor, id, &input, proof)
            .await
            .map(|_| ()),
        Err(e) => Err(e.into()),
    };
    after_form(
        &s,
        r,
        format!("/cases/{id}/delivery"),
        "error-duplicate",
        |e| delivery_page(&state, &s, id, e),
    )
    .await
}

#[derive(Deserialize)]
pub struct ChecklistForm {
    #[serde(default)]
    item: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    done_on: String,
}

pub async fn checklist(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<ChecklistForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let person = Uuid::parse_str(&f.person).ok();
    let r = state
        .app
        .set_checklist(&s.session.actor, id, &f.item, person, &f.done_on)
        .await;
    after_form(
        &s,
        r,
        format!("/cases/{id}/delivery"),
        "error-duplicate",
        |e| delivery_page(&state, &s, id, e),
    )
    .await
}

#[derive(Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    first_on: String,
    #[serde(default)]
    count: String,
}

pub async fn schedule(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<ScheduleForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state
        .app
        .schedule_appointments(
            &s.session.actor,
            id,
            Uuid::parse_str(&f.person).unwrap_or(Uuid::nil()),
            &f.kind,
            &f.first_on,
            &f.count,
        )
        .await
        .map(|_| ());
    after_form(
        &s,
        r,
        format!("/cases/{id}/delivery"),
        "error-duplicate",
        |e| delivery_page(&state, &s, id, e),
    )
    .await
}

#[derive(Deserialize)]
pub struct AppointmentForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    outcome: String,
}

pub async fn appointment(
    State(state): State<AppState>,
    s: Signed,
    Path((id, appt)): Path<(String, String)>,
    Form(f): Form<AppointmentForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let appt = parse_id(&appt, s.lang)?;
    let r = state
        .app
        .record_appointment(&s.session.actor, id, appt, &f.status, Some(&f.outcome))
        .await;
    after_form(
        &s,
        r,
        format!("/cases/{id}/delivery"),
        "error-duplicate",
        |e| delivery_page(&state, &s, id, e),
    )
    .await
}

#[derive(Deserialize)]
pub struct CorrectionForm {
    /// The new day of an appointment; empty (or the withdraw button) withdraws it.
    #[serde(default)]
    on: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    action: String,
}

/// Moves or withdraws a planned appointment.
pub async fn correct_appointment(
    State(state): State<AppState>,
    s: Signed,
    Path((id, appt)): Path<(String, String)>,
    Form(f): Form<CorrectionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let appt = parse_id(&appt, s.lang)?;
    let on = (f.action != "withdraw").then_some(f.on.as_str());
    let r = state
        .app
        .correct_appointment(&s.session.actor, id, appt, on, &f.reason)
        .await;
    after_form(
        &s,
        for_row(appt, r),
        format!("/cases/{id}/delivery#appointments"),
        "error-duplicate",
        |e| delivery_page(&state, &s, id, e),
    )
    .await
}

/// Withdraws a payment recorded by mistake.
pub async fn withdraw_payment(
    State(state): State<AppState>,
    s: Signed,
    Path((id, payment)): Path<(String, String)>,
    Form(f): Form<CorrectionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let payment = parse_id(&payment, s.lang)?;
    let r = state
        .app
        .withdraw_payment(&s.session.actor, id, payment, &f.reason)
        .await;
    after_form(
        &s,
        for_row(payment, r),
        format!("/cases/{id}/delivery#spendings"),
        "error-duplicate",
        |e| delivery_page(&state, &s, id, e),
    )
    .await
}

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    comment: String,
    #[serde(default)]
    confirm_open_items: Option<String>,
}

pub async fn final_report(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<ReportForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let input = retour_app::delivery::FinalReportInput {
        comment: f.comment,
        confirm_open_items: f.confirm_open_items.is_some(),
    };
    let r = state
        .app
        .submit_final_report(&s.session.actor, id, &input)
        .await;
    after_form(
        &s,
        r,
        format!("/cases/{id}/delivery"),
        "error-duplicate",
        |e| delivery_page(&state, &s, id, e),
    )
    .await
}

/// A proof of payment, as an attachment, for whoever may read its case (others: not found).
pub async fn document(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let (doc, bytes) = state
        .app
        .document(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(proof_response(&doc, bytes))
}

/// A proof as a download: its checked type, as an attachment with a plain-ASCII name, never cached.
pub(crate) fn proof_response(doc: &retour_app::views::Document, bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&doc.media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    let safe: String = doc
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

// ---- tasks --------------------------------------------------------------------------------------

#[derive(Template, WebTemplate)]
#[template(path = "tasks.html")]
pub struct TasksPage {
    l: Layout,
    tasks: Vec<TaskItem>,
    next_after: Option<Uuid>,
}

impl TasksPage {
    fn kind(&self, k: &str) -> String {
        k.parse::<TaskKind>()
            .map(|k| self.l.label("task", k))
            .unwrap_or_else(|_| k.to_string())
    }

    /// What the task is about: whose appointment of which kind on which day, or which line.
    fn about(&self, t: &TaskItem) -> Option<String> {
        match (&t.person, &t.appointment_kind, t.appointment_on, &t.line) {
            (Some(person), Some(kind), Some(on), _) => Some(format!(
                "{person} · {} · {}",
                self.l.label("appointment", kind),
                self.l.date(on)
            )),
            (_, _, _, Some(line)) => Some(line.clone()),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    after: Option<String>,
}

const TASK_PAGE: i64 = 50;

pub async fn tasks(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<PageQuery>,
) -> Result<TasksPage, PageError> {
    let after = q.after.as_deref().and_then(|a| Uuid::parse_str(a).ok());
    let mut tasks = state
        .app
        .tasks(&s.session.actor, after, TASK_PAGE + 1)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let next_after = (tasks.len() as i64 > TASK_PAGE).then(|| tasks[TASK_PAGE as usize - 1].id);
    tasks.truncate(TASK_PAGE as usize);
    Ok(TasksPage {
        l: s.layout(),
        tasks,
        next_after,
    })
}

pub async fn task_done(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    state
        .app
        .complete_task(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok((
        axum::http::StatusCode::SEE_OTHER,
        [(header::LOCATION, "/tasks".to_string())],
    )
        .into_response())
}
