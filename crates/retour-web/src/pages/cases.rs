//! The case page and the forms that change a case.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use retour_app::cases::{CaseView, Registration};
use retour_app::{AppError, Sensitivity};
use retour_domain::household::HouseholdInput;
use retour_domain::{Case, ValidationError};
use serde::Deserialize;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::forms::{member_rows, HouseholdForm, MemberRow};
use crate::layout::{FieldErrors, Layout};
use crate::pages::parse_id;
use crate::AppState;
use retour_app::authz::{can, Action};

/// A member as the case page lists them.
pub struct MemberLine {
    pub id: uuid::Uuid,
    pub name: String,
    pub relationship: String,
    pub birth: String,
    pub age: i32,
    pub sex: String,
    pub nationalities: String,
    pub languages: String,
    pub other_names: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "case.html")]
pub struct CasePage {
    l: Layout,
    v: CaseView,
    members: Vec<MemberLine>,
    age_on: String,
    errors: FieldErrors,
    notice: Option<String>,
    /// The minors and the children's workbook (see `children.rs`).
    workbook: Vec<retour_app::children::WorkbookChild>,
    /// Today, as a date field's value (the day a departure or arrival is confirmed by default).
    today: String,
    /// The booking can be changed (the case is booked and the reader may move it).
    can_change_booking: bool,
    /// Changes of the booking.
    corrections: Vec<retour_app::corrections::CorrectionView>,
    /// The reader answers subject access requests: each member's export is linked.
    can_export: bool,
    /// Read through break-glass access, until this time.
    glass_until: Option<String>,
    /// The reader answers for this case: who opened break-glass access on it is linked.
    can_review_glass: bool,
    /// The reader may open break-glass access to a class of this case they cannot read.
    can_break_glass: bool,
}

impl CasePage {
    fn outcomes(&self) -> &'static [retour_domain::monitoring::Outcome] {
        retour_domain::monitoring::Outcome::ALL
    }

    fn booking_errors(&self) -> bool {
        self.errors
            .by_field
            .keys()
            .any(|k| k.starts_with("change."))
    }

    fn roles(&self, roles: &[retour_app::Role]) -> String {
        roles
            .iter()
            .map(|r| self.l.label("role", r.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn missing(&self, m: &retour_domain::children::WorkbookMissing) -> String {
        match m {
            retour_domain::children::WorkbookMissing::Age => self.l.t("workbook-missing-age"),
            retour_domain::children::WorkbookMissing::Consent => {
                self.l.t("workbook-missing-consent")
            }
        }
    }
}

pub(crate) fn member_lines(
    case: &Case,
    today: time::Date,
    lang: retour_i18n::Lang,
) -> (Vec<MemberLine>, time::Date) {
    let on = case.household.planned_departure_date.unwrap_or(today);
    let lines = case
        .household
        .members
        .iter()
        .map(|m| MemberLine {
            id: m.person.id,
            // Pseudonymised under the retention rules: no name left to show.
            name: match m.person.full_name().trim() {
                "" => lang.t("person-pseudonymised"),
                name => name.to_string(),
            },
            relationship: m.relationship.as_str().into(),
            birth: lang.birth_date(&m.person.birth_date),
            age: m.person.birth_date.age_on(on),
            sex: m.person.sex.as_str().into(),
            nationalities: m
                .person
                .nationalities
                .iter()
                .map(|c| lang.country(c.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            languages: m
                .person
                .languages
                .iter()
                .map(|l| lang.language(l))
                .collect::<Vec<_>>()
                .join(", "),
            other_names: m.person.other_names.join(", "),
        })
        .collect();
    (lines, on)
}

async fn case_page(
    state: &AppState,
    s: &Signed,
    id: uuid::Uuid,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<CasePage, PageError> {
    let v = state
        .app
        .case_view(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let (members, on) = member_lines(&v.case, state.app.today(), s.lang);
    let today = retour_domain::dates::format_date(state.app.today());
    let workbook = state
        .app
        .workbook_summary(&s.session.actor, &v.case)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let can_change_booking = v.case.status == retour_domain::Status::DepartureBooked
        && retour_app::authz::can(
            &s.session.actor,
            retour_app::authz::Action::TransitionCase,
            Some(&v.case),
        );
    // Only a booked case has booking changes to show: other pages stay one read shorter.
    let corrections = if v.case.departure.is_some() {
        state
            .app
            .corrections(&s.session.actor, id)
            .await
            .map_err(|e| PageError::app(e, s.lang))?
            .into_iter()
            .filter(|c| c.kind == "booking")
            .collect()
    } else {
        Vec::new()
    };
    let can_export = retour_app::authz::can(
        &s.session.actor,
        retour_app::authz::Action::ExportSubject,
        Some(&v.case),
    );
    let actor = &s.session.actor;
    let glass_until = actor.glass.until(id).map(|t| {
        format!(
            "{} {:02}:{:02}",
            s.lang.date(t.date()),
            t.hour(),
            t.minute()
        )
    });
    let can_review_glass = can(actor, Action::ReviewBreakGlass, Some(&v.case));
    let can_break_glass = can(actor, Action::BreakGlass, None)
        && [
            Sensitivity::Medical,
            Sensitivity::Trafficking,
            Sensitivity::MinorWelfare,
        ]
        .into_iter()
        .any(|class| !can(actor, Action::ReadSensitive(class), Some(&v.case)));
    Ok(CasePage {
        glass_until,
        can_review_glass,
        can_break_glass,
        can_export,
        can_change_booking,
        corrections,
        workbook,
        l: s.layout(),
        age_on: s.lang.date(on),
        members,
        v,
        errors,
        notice,
        today,
    })
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<CasePage, PageError> {
    let id = parse_id(&id, s.lang)?;
    case_page(&state, &s, id, FieldErrors::default(), None).await
}

#[derive(Template, WebTemplate)]
#[template(path = "case_form.html")]
pub struct CaseFormPage {
    l: Layout,
    /// `None` for a new case.
    case_id: Option<String>,
    reference: String,
    version: i64,
    h: HouseholdInput,
    rows: Vec<MemberRow>,
    errors: FieldErrors,
    office_fixed: bool,
    /// Persons Retour already holds who may be members of this household (before saving).
    matches: Vec<retour_app::links::HouseholdMatch>,
}

impl CaseFormPage {
    /// Every country, named and sorted in the reader's language, for the pick lists.
    fn countries(&self) -> Vec<(&'static str, &'static str)> {
        retour_i18n::names::countries(self.l.lang)
    }

    fn languages(&self) -> Vec<(&'static str, &'static str)> {
        retour_i18n::names::languages(self.l.lang)
    }

    /// Whether `code` is among the comma-separated codes `list` (as a member row holds them).
    fn picked(&self, list: &str, code: &str) -> bool {
        list.split(',').any(|c| c.trim().eq_ignore_ascii_case(code))
    }

    fn member_error(&self, index: &usize, field: &str) -> Option<String> {
        let prefix = format!("members[{index}].{field}");
        let msgs: Vec<&String> = self
            .errors
            .by_field
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(_, m)| m)
            .collect();
        (!msgs.is_empty()).then(|| msgs.into_iter().cloned().collect::<Vec<_>>().join(" "))
    }

    fn member_row_error(&self, index: &usize) -> Option<String> {
        self.errors.get(&format!("members[{index}]")).cloned()
    }
}

pub async fn new_page(s: Signed) -> Result<CaseFormPage, PageError> {
    if !retour_app::authz::can(
        &s.session.actor,
        retour_app::authz::Action::CreateCase,
        None,
    ) {
        return Err(PageError::app(AppError::Forbidden, s.lang));
    }
    let h = HouseholdInput {
        office: s.session.actor.office.clone().unwrap_or_default(),
        location_kind: "reception_centre".into(),
        ..Default::default()
    };
    Ok(CaseFormPage {
        l: s.layout(),
        case_id: None,
        reference: String::new(),
        version: 0,
        rows: member_rows(&h, false, s.lang),
        h,
        errors: FieldErrors::default(),
        office_fixed: s.session.actor.office.is_some(),
        matches: Vec::new(),
    })
}

fn see_other(to: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

pub async fn create(
    State(state): State<AppState>,
    s: Signed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = HouseholdForm::parse(pairs, None);
    let office_fixed = s.session.actor.office.is_some();
    let mut page = CaseFormPage {
        l: s.layout(),
        case_id: None,
        reference: String::new(),
        version: 0,
        rows: member_rows(&form.input, form.action == "add_member", s.lang),
        h: form.input.clone(),
        errors: FieldErrors::default(),
        office_fixed,
        matches: Vec::new(),
    };
    if form.action == "add_member" {
        return Ok(page.into_response());
    }
    // First save: show who Retour may already hold; "register anyway" then saves.
    let confirmed = form.action == "save_anyway";
    match state
        .app
        .register(&s.session.actor, &form.input, !confirmed)
        .await
    {
        Ok(Registration::Registered { case, .. }) => Ok(see_other(format!("/cases/{}", case.id))),
        Ok(Registration::PossibleMatches(m)) => {
            page.matches = m;
            Ok(page.into_response())
        }
        Err(AppError::Invalid(errs)) => {
            page.errors = FieldErrors::from_validation(&errs, s.lang);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError::app(e, s.lang)),
    }
}

pub async fn edit_page(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<CaseFormPage, PageError> {
    let id = parse_id(&id, s.lang)?;
    let case = state
        .app
        .case(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    if !retour_app::authz::can(
        &s.session.actor,
        retour_app::authz::Action::EditCase,
        Some(&case),
    ) {
        return Err(PageError::app(AppError::Forbidden, s.lang));
    }
    let h = HouseholdInput::from_household(&case.household);
    Ok(CaseFormPage {
        l: s.layout(),
        case_id: Some(case.id.to_string()),
        reference: case.reference.to_string(),
        version: case.version,
        rows: member_rows(&h, false, s.lang),
        h,
        errors: FieldErrors::default(),
        office_fixed: !retour_app::authz::can(
            &s.session.actor,
            retour_app::authz::Action::ChooseOffice,
            None,
        ),
        matches: Vec::new(),
    })
}

pub async fn update(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let case = state
        .app
        .case(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    let base = HouseholdInput::from_household(&case.household);
    let form = HouseholdForm::parse(pairs, Some(&base));
    let mut page = CaseFormPage {
        l: s.layout(),
        case_id: Some(case.id.to_string()),
        reference: case.reference.to_string(),
        version: form.version,
        rows: member_rows(&form.input, form.action == "add_member", s.lang),
        h: form.input.clone(),
        errors: FieldErrors::default(),
        office_fixed: !retour_app::authz::can(
            &s.session.actor,
            retour_app::authz::Action::ChooseOffice,
            None,
        ),
        matches: Vec::new(),
    };
    if form.action == "add_member" {
        return Ok(page.into_response());
    }
    match state
        .app
        .update_household(&s.session.actor, id, form.version, &form.input)
        .await
    {
        Ok(case) => Ok(see_other(format!("/cases/{}", case.id))),
        Err(AppError::Invalid(errs)) => {
            page.errors = FieldErrors::from_validation(&errs, s.lang);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(AppError::Conflict { .. }) => {
            page.errors.general.push(s.lang.t("error-conflict"));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError::app(e, s.lang)),
    }
}

#[derive(Deserialize)]
pub struct TransitionForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    booking_date: String,
    #[serde(default)]
    transport: String,
    #[serde(default)]
    travel_document: String,
    /// For a departure or an arrival: the day it happened.
    #[serde(default)]
    on: String,
    /// For closing: how the case ended.
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    outcome_note: String,
}

pub async fn transition(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<TransitionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let input = retour_domain::TransitionInput {
        to: f.to,
        reason: f.reason,
        booking_date: f.booking_date,
        transport: f.transport,
        travel_document: f.travel_document,
        on: f.on,
        outcome: f.outcome,
        outcome_note: f.outcome_note,
    };
    let result = match input.parse() {
        Ok(req) => {
            state
                .app
                .transition(&s.session.actor, id, f.version, &req)
                .await
        }
        Err(errs) => Err(AppError::Invalid(errs)),
    };
    match result {
        Ok(case) => Ok(see_other(format!("/cases/{}", case.id))),
        Err(AppError::Invalid(errs)) => {
            let errors = FieldErrors::from_validation(&errs, s.lang);
            let page = case_page(&state, &s, id, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(AppError::Conflict { .. }) => {
            let page = case_page(
                &state,
                &s,
                id,
                FieldErrors::default(),
                Some(s.lang.t("error-conflict")),
            )
            .await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError::app(e, s.lang)),
    }
}

/// Changes the booked departure, with a reason.
pub async fn change_booking(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<TransitionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let input = retour_domain::TransitionInput {
        to: String::new(),
        reason: f.reason,
        booking_date: f.booking_date,
        transport: f.transport,
        travel_document: f.travel_document,
        ..Default::default()
    };
    let result = state
        .app
        .change_booking(&s.session.actor, id, f.version, &input)
        .await;
    match result {
        Ok(case) => Ok(see_other(format!("/cases/{}", case.id))),
        Err(AppError::Invalid(errs)) => {
            let mut errs = errs;
            for e in &mut errs.0 {
                e.field = e.field.as_ref().map(|f| format!("change.{f}"));
            }
            let errors = FieldErrors::from_validation(&errs, s.lang);
            let page = case_page(&state, &s, id, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(AppError::Conflict { .. }) => {
            let page = case_page(
                &state,
                &s,
                id,
                FieldErrors::default(),
                Some(s.lang.t("error-conflict")),
            )
            .await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError::app(e, s.lang)),
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    sensitivity: String,
}

pub async fn add_note(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let class: Result<Sensitivity, ValidationError> = if f.sensitivity.is_empty() {
        Ok(Sensitivity::General)
    } else {
        f.sensitivity.parse()
    };
    let result = match class {
        Ok(class) => state
            .app
            .add_note(&s.session.actor, id, class, &f.body)
            .await
            .map(|_| ()),
        Err(e) => Err(AppError::Invalid(e.at("sensitivity").into())),
    };
    match result {
        Ok(()) => Ok(see_other(format!("/cases/{id}#notes"))),
        Err(AppError::Invalid(errs)) => {
            let errors = FieldErrors::from_validation(&errs, s.lang);
            let page = case_page(&state, &s, id, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError::app(e, s.lang)),
    }
}
