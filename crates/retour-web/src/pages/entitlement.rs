//! The entitlement page of a case: amounts with the rule behind each, vulnerabilities, medical
//! needs (items for medical advisors only) and the premium paid at departure.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use retour_app::entitlements::EntitlementView;
use retour_app::AppError;
use retour_domain::Case;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::pages::{after_form, for_row, parse_id};
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "entitlement.html")]
pub struct EntitlementPage {
    l: Layout,
    case: Case,
    e: EntitlementView,
    errors: FieldErrors,
    /// Corrections of medical needs and vulnerabilities this reader may see.
    corrections: Vec<retour_app::corrections::CorrectionView>,
}

impl EntitlementPage {
    fn eur(&self, d: &Decimal) -> String {
        self.l.lang.eur(*d)
    }

    fn cents(&self, c: &i64) -> String {
        self.l.lang.eur(Decimal::new(*c, 2))
    }

    /// An amount as this page's forms read it back (`45,50` in Dutch and French).
    fn typed(&self, d: &Decimal) -> String {
        self.l.lang.decimal(*d, 2)
    }

    fn row_error(&self, id: &uuid::Uuid, field: &str) -> Option<&String> {
        self.errors.get(&format!("{id}.{field}"))
    }

    fn row_has_errors(&self, id: &uuid::Uuid) -> bool {
        let prefix = format!("{id}.");
        self.errors.by_field.keys().any(|k| k.starts_with(&prefix))
    }

    fn may_withdraw(&self, kind: &retour_domain::quote::Vulnerability) -> bool {
        self.e.can_record_vulnerability.contains(kind)
    }

    /// Catalogue key of a rule name (`premium.adult.eu` → `rule-premium-adult-eu`).
    fn rule(&self, rule: &str) -> String {
        self.l.t(&format!("rule-{}", rule.replace('.', "-")))
    }

    fn totals(&self) -> Vec<(&'static str, Decimal)> {
        let Some(q) = &self.e.quote else {
            return Vec::new();
        };
        let t = &q.totals;
        vec![
            ("departure_premium_cash", t.departure_premium_cash),
            ("reintegration_in_kind", t.reintegration_in_kind),
            ("vulnerability_in_kind", t.vulnerability_in_kind),
            ("medical_in_kind", t.medical_in_kind),
            ("partner_fee", t.partner_fee),
            ("approval_required", t.approval_required),
        ]
    }

    /// Totals a reader may not see when one of the lines is withheld from them.
    fn total_hidden(&self, name: &str) -> bool {
        self.e.totals_withheld && matches!(name, "vulnerability_in_kind" | "approval_required")
    }

    /// The premium to pay, as this page's form reads it back: on the day the household
    /// leaves when that differs from the frozen one.
    fn premium_due(&self) -> String {
        match (&self.e.premium_on_departure, &self.e.quote) {
            (Some(p), _) => self.typed(&p.due),
            (None, Some(q)) => self.typed(&q.totals.departure_premium_cash),
            (None, None) => String::new(),
        }
    }

    /// A difference with its sign: `+ € 1.675,00`, `− € 175,00`.
    fn signed(&self, d: &Decimal) -> String {
        if d.is_sign_negative() && !d.is_zero() {
            format!("− {}", self.l.lang.eur(-*d))
        } else {
            format!("+ {}", self.l.lang.eur(*d))
        }
    }

    fn departure_key(&self, actual: &bool) -> &'static str {
        if *actual {
            "premium-on-actual-departure"
        } else {
            "premium-on-booked-departure"
        }
    }

    /// Who decided a review, when, and how.
    fn decision(&self, r: &retour_app::entitlement_changes::ReviewView) -> String {
        let when = r
            .decided_at
            .map(|d| self.l.lang.date(d.date()))
            .unwrap_or_default();
        let who = r.decided_by.clone().unwrap_or_default();
        self.l.lang.t_args(
            &format!("change-decided-{}", r.status),
            &[("date", when), ("name", who)],
        )
    }
}

async fn page(
    state: &AppState,
    s: &Signed,
    id: uuid::Uuid,
    errors: FieldErrors,
) -> Result<EntitlementPage, PageError> {
    let case = state
        .app
        .case(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let e = state
        .app
        .entitlement(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let corrections = state
        .app
        .corrections(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?
        .into_iter()
        .filter(|c| matches!(c.kind.as_str(), "medical_need" | "vulnerability"))
        .collect();
    Ok(EntitlementPage {
        l: s.layout(),
        case,
        e,
        errors,
        corrections,
    })
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<EntitlementPage, PageError> {
    let id = parse_id(&id, s.lang)?;
    page(&state, &s, id, FieldErrors::default()).await
}

/// After a form: back to the page, or the page again with the problems shown.
async fn outcome(
    state: &AppState,
    s: &Signed,
    id: uuid::Uuid,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    let to = format!("/cases/{id}/entitlement");
    after_form(s, result, to, "error-duplicate", |errors| {
        page(state, s, id, errors)
    })
    .await
}

fn person(raw: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(raw).unwrap_or(uuid::Uuid::nil())
}

#[derive(Deserialize)]
pub struct VulnerabilityForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    recorded_on: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    evidence: String,
}

pub async fn add_vulnerability(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<VulnerabilityForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state
        .app
        .record_vulnerability(
            &s.session.actor,
            id,
            person(&f.person),
            &f.kind,
            &f.recorded_on,
            &f.source,
            &f.evidence,
        )
        .await;
    outcome(&state, &s, id, r).await
}

#[derive(Deserialize)]
pub struct MedicalForm {
    #[serde(default)]
    person: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    frequency: String,
    #[serde(default)]
    amount: String,
}

pub async fn add_medical_need(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<MedicalForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state
        .app
        .record_medical_need(
            &s.session.actor,
            id,
            &retour_app::entitlements::NeedInput {
                person_id: person(&f.person),
                label: f.label.clone(),
                frequency: f.frequency.clone(),
                amount_eur: f.amount.clone(),
                style: s.lang.number_style(),
            },
        )
        .await;
    outcome(&state, &s, id, r).await
}

#[derive(Deserialize)]
pub struct PremiumForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    paid_on: String,
}

pub async fn record_premium(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<PremiumForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let r = state
        .app
        .record_premium(
            &s.session.actor,
            id,
            &f.amount,
            &f.paid_on,
            s.lang.number_style(),
        )
        .await;
    outcome(&state, &s, id, r).await
}

#[derive(Deserialize)]
pub struct NeedCorrectionForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    frequency: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
    /// `correct` or `withdraw`: the button pressed.
    #[serde(default)]
    action: String,
}

/// Corrects or withdraws a medical need.
pub async fn correct_medical_need(
    State(state): State<AppState>,
    s: Signed,
    Path((id, need)): Path<(String, String)>,
    Form(f): Form<NeedCorrectionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let need = parse_id(&need, s.lang)?;
    let actor = &s.session.actor;
    let r = if f.action == "withdraw" {
        state
            .app
            .withdraw_medical_need(actor, id, need, &f.reason)
            .await
    } else {
        let input = retour_app::entitlements::NeedInput {
            person_id: uuid::Uuid::nil(),
            label: f.label.clone(),
            frequency: f.frequency.clone(),
            amount_eur: f.amount.clone(),
            style: s.lang.number_style(),
        };
        state
            .app
            .correct_medical_need(actor, id, need, &input, &f.reason)
            .await
    };
    outcome(&state, &s, id, for_row(need, r)).await
}

#[derive(Deserialize)]
pub struct ChangeDecisionForm {
    #[serde(default)]
    revision: String,
    /// `confirm` or `keep`: the button pressed.
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

/// A programme manager confirms the entitlement computed again after a change, or keeps the frozen one.
pub async fn decide_change(
    State(state): State<AppState>,
    s: Signed,
    Path((id, review)): Path<(String, String)>,
    Form(f): Form<ChangeDecisionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let review = parse_id(&review, s.lang)?;
    // A revision that does not read is stale by definition: the page is reloaded with the conflict.
    let revision = f.revision.trim().parse().unwrap_or(-1);
    let r = state
        .app
        .decide_entitlement_change(
            &s.session.actor,
            id,
            review,
            revision,
            f.action == "confirm",
            &f.reason,
        )
        .await;
    outcome(&state, &s, id, r).await
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    reason: String,
}

/// Withdraws a vulnerability recorded by mistake.
pub async fn withdraw_vulnerability(
    State(state): State<AppState>,
    s: Signed,
    Path((id, vulnerability)): Path<(String, String)>,
    Form(f): Form<WithdrawForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let vulnerability = parse_id(&vulnerability, s.lang)?;
    let r = state
        .app
        .withdraw_vulnerability(&s.session.actor, id, vulnerability, &f.reason)
        .await;
    outcome(&state, &s, id, for_row(vulnerability, r)).await
}
