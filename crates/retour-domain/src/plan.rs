//! Reintegration plans: budget lines checked against the entitlement, approvals, spending in
//! the country of return, deadlines counted from arrival, and the tasks they give rise to.
//!
//! Amounts are integer euro cents. Two envelopes are kept apart: medical lines draw on the AMAAR
//! budget and only on it; every other line draws on the reintegration + vulnerability budget.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};
use uuid::Uuid;

use crate::error::{ValidationError, ValidationErrors};
use crate::policy::Deadlines;
use crate::quote::Totals;

use crate::currency::Currency;
use crate::error::{amount, other};
use crate::money::{parse_decimal, NumberStyle};

/// Cents as a plain decimal string (`150000` → `"1500.00"`), for messages.
pub fn cents_str(cents: i64) -> String {
    crate::money::format_eur(cents, crate::money::NumberStyle::Plain)
}

/// What a budget line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Rent, renovation.
    Housing,
    /// Furniture and household goods.
    Furniture,
    /// Consultations, medication, treatment: drawn on the AMAAR budget.
    Medical,
    /// Identity documents, registrations (the Balkan package is services, so often €0).
    AdministrativeSupport,
    /// School fees, material.
    Education,
    /// Job placement, vocational training, or self-employment with a business plan.
    Employment,
    Psychosocial,
}
crate::string_enum!(Category {
    Housing = "housing",
    Furniture = "furniture",
    Medical = "medical",
    AdministrativeSupport = "administrative_support",
    Education = "education",
    Employment = "employment",
    Psychosocial = "psychosocial",
});

/// The budget a line draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Envelope {
    /// Reintegration budget plus vulnerability top-ups, in kind.
    General,
    /// AMAAR, in kind.
    Medical,
}
crate::string_enum!(Envelope {
    General = "general",
    Medical = "medical",
});

impl Category {
    pub fn envelope(self) -> Envelope {
        match self {
            Category::Medical => Envelope::Medical,
            _ => Envelope::General,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentKind {
    JobPlacement,
    Training,
    SelfEmployment,
}
crate::string_enum!(EmploymentKind {
    JobPlacement = "job_placement",
    Training = "training",
    SelfEmployment = "self_employment",
});

/// `draft → submitted → approved → amended (a new version) → submitted → approved …`; a
/// submitted plan can be sent back to its authors, who edit it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Submitted,
    Approved,
    /// An approved plan being changed: a new version, to be approved again. Spending goes on
    /// against the amounts approved last.
    Amended,
}
crate::string_enum!(PlanStatus {
    Draft = "draft",
    Submitted = "submitted",
    Approved = "approved",
    Amended = "amended",
});

impl PlanStatus {
    /// Whether lines may be added, changed or removed.
    pub fn editable(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::Amended)
    }
}

/// The two envelopes of a case, from its entitlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Envelopes {
    pub general: i64,
    pub medical: i64,
}

fn to_cents(d: Decimal) -> i64 {
    (d * Decimal::ONE_HUNDRED)
        .round()
        .to_i64()
        .expect("entitlements are far below i64 cents")
}

impl Envelopes {
    /// Reintegration + vulnerability (general) and AMAAR (medical). The departure premium is cash
    /// and the partner fee is the partner's: neither is the returnee's in-kind budget.
    pub fn from_totals(t: &Totals) -> Envelopes {
        Envelopes {
            general: to_cents(t.reintegration_in_kind + t.vulnerability_in_kind),
            medical: to_cents(t.medical_in_kind),
        }
    }

    pub fn of(&self, e: Envelope) -> i64 {
        match e {
            Envelope::General => self.general,
            Envelope::Medical => self.medical,
        }
    }
}

/// The amounts of one line that the arithmetic needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineAmounts {
    pub category: Category,
    /// The amount in the version being edited or approved.
    pub planned: i64,
    pub spent: i64,
}

/// One envelope on the plan page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EnvelopeUse {
    pub envelope: Envelope,
    pub budget: i64,
    pub committed: i64,
    pub spent: i64,
    /// Budget not yet committed to a line (negative only for a plan that must not be submitted).
    pub uncommitted: i64,
}

/// Budget, committed, spent and uncommitted per envelope, general first.
pub fn usage(env: &Envelopes, lines: &[LineAmounts]) -> [EnvelopeUse; 2] {
    [Envelope::General, Envelope::Medical].map(|e| {
        let of_e = lines.iter().filter(|l| l.category.envelope() == e);
        let committed: i64 = of_e.clone().map(|l| l.planned).sum();
        let spent: i64 = of_e.map(|l| l.spent).sum();
        EnvelopeUse {
            envelope: e,
            budget: env.of(e),
            committed,
            spent,
            uncommitted: env.of(e) - committed,
        }
    })
}

/// A plan may be submitted and approved only when each envelope covers its lines, and no line
/// is planned below what was already spent on it.
pub fn check_commitments(env: &Envelopes, lines: &[LineAmounts]) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if lines.is_empty() {
        errors.push(other("plan-empty", "").at("lines"));
    }
    for (i, l) in lines.iter().enumerate() {
        if l.planned < l.spent {
            errors.push(amount("line-below-spent", l.spent).at(format!("lines[{i}]")));
        }
    }
    for u in usage(env, lines) {
        if u.committed > u.budget {
            let code = match u.envelope {
                Envelope::General => "plan-over-general-envelope",
                Envelope::Medical => "plan-over-medical-envelope",
            };
            errors.push(amount(code, u.budget).at("lines"));
        }
    }
    errors.into_result(())
}

/// A new spending on a line: only on an approved amount, never above it. An overspend needs an
/// amendment that raises the line first.
pub fn check_spend(
    approved: Option<i64>,
    spent_so_far: i64,
    amount: i64,
) -> Result<(), ValidationError> {
    let Some(approved) = approved else {
        return Err(other("line-not-approved", ""));
    };
    if amount <= 0 {
        return Err(crate::error::amount("amount-not-positive", amount).at("amount"));
    }
    if spent_so_far + amount > approved {
        return Err(crate::error::amount("line-overspent", approved - spent_so_far).at("amount"));
    }
    Ok(())
}

/// How many distinct programme managers must approve a plan of `total` cents.
pub fn approvals_needed(total: i64, second_approval_above: Option<i64>) -> usize {
    match second_approval_above {
        Some(t) if total > t => 2,
        _ => 1,
    }
}

/// One more approval of a submitted version. `authors` wrote or submitted it; nobody approves
/// their own plan, nor approves twice. `Ok(true)` when the version is now approved.
pub fn approve(
    authors: &[Uuid],
    approvers_so_far: &[Uuid],
    approver: Uuid,
    needed: usize,
) -> Result<bool, ValidationError> {
    // A submitted version always has its submitter among its authors: none known means the
    // authorship was lost, and the four-eyes rule must refuse rather than pass.
    if authors.is_empty() {
        return Err(other("plan-authors-unreadable", ""));
    }
    if authors.contains(&approver) {
        return Err(other("self-approval", ""));
    }
    if approvers_so_far.contains(&approver) {
        return Err(other("already-approved", ""));
    }
    Ok(approvers_so_far.len() + 1 >= needed)
}

/// `d` plus `months` calendar months; a day past the end of the target month becomes its last day
/// (31 January + 1 month = 28 or 29 February).
pub fn add_months(d: Date, months: u32) -> Date {
    let total = d.year() * 12 + (d.month() as i32 - 1) + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(month0 as u8 + 1).expect("1..=12");
    let last = month.length(year);
    // Past the last representable year the calendar ends: saturate rather than fail.
    Date::from_calendar_date(year, month, d.day().min(last)).unwrap_or(Date::MAX)
}

/// The last day a line may be spent on: medical lines `medical_months` after arrival, every
/// other line `reintegration_months`. A line expires the day after.
pub fn line_expiry(category: Category, arrival: Date, deadlines: Deadlines) -> Date {
    let months = match category.envelope() {
        Envelope::Medical => deadlines.medical_months,
        Envelope::General => deadlines.reintegration_months,
    };
    add_months(arrival, months)
}

/// A line whose deadline falls within `warning_days` from `today` (and has not passed).
pub fn deadline_soon(expires_on: Date, today: Date, warning_days: u32) -> bool {
    expires_on >= today && expires_on <= today + Duration::days(warning_days as i64)
}

/// Whether a plan should have been submitted by now, `submission_days` after arrival.
pub fn submission_overdue(arrival: Date, today: Date, submission_days: u32) -> bool {
    today >= arrival + Duration::days(submission_days as i64)
}

/// `count` dates a calendar month apart from `first` (monthly doctor visits, say).
pub fn monthly_schedule(first: Date, count: u32) -> Vec<Date> {
    (0..count).map(|i| add_months(first, i)).collect()
}

/// An amount paid in `currency` at `rate` euro per unit, as typed in `style`, in euro cents
/// rounded half away from zero. EUR amounts take rate 1 (an empty rate means 1). Returns the
/// amount and rate as exact decimals, and the euro cents.
pub fn to_eur_cents(
    amount: &str,
    currency: &str,
    rate: &str,
    style: NumberStyle,
) -> Result<(Decimal, Decimal, i64), ValidationErrors> {
    /// Rates are quoted to at most eight decimals (0.00981234 euro per lek).
    const RATE_DECIMALS: u32 = 8;
    let mut errors = ValidationErrors::default();
    let currency_d = Currency::parse(currency);
    if currency_d.is_none() {
        errors.push(other("bad-currency", currency.trim()).at("currency"));
    }
    let decimals = currency_d.map_or(2, |c| c.decimals());
    let amount_d = parse_decimal(amount, style, decimals)
        .map_err(|e| errors.push(e.error(amount, style).at("amount")))
        .ok();
    if amount_d.is_some_and(|a| a.is_zero()) {
        errors.push(other("amount-not-positive", amount.trim()).at("amount"));
    }
    let is_eur = currency_d == Some(Currency::EUR);
    let rate_d = if is_eur && rate.trim().is_empty() {
        Some(Decimal::ONE)
    } else {
        parse_decimal(rate, style, RATE_DECIMALS)
            .map_err(|e| errors.push(e.error(rate, style).at("rate")))
            .ok()
    };
    match rate_d {
        Some(r) if r.is_zero() || r >= Decimal::from(100_000) => {
            errors.push(other("bad-rate", rate.trim()).at("rate"))
        }
        Some(r) if is_eur && r != Decimal::ONE => {
            errors.push(other("eur-rate-not-one", rate.trim()).at("rate"))
        }
        _ => {}
    }
    errors.into_result(())?;
    let (a, r) = (amount_d.expect("checked"), rate_d.expect("checked"));
    let eur = (a * r).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let cents = to_cents(eur);
    if cents <= 0 {
        return Err(ValidationErrors::from(
            crate::error::amount("amount-not-positive", cents).at("amount"),
        ));
    }
    // Amounts with the currency's decimals ("420.50" euro, "1500000" Guinean francs); rates as
    // written, without trailing zeros.
    let mut a = a.normalize();
    if a.scale() < decimals {
        a.rescale(decimals);
    }
    Ok((a, r.normalize(), cents))
}

/// Items of the administrative-support checklist; school enrolment is one per child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistItem {
    IdentityDocuments,
    MunicipalRegistration,
    JobOfficeRegistration,
    SchoolEnrolment,
}
crate::string_enum!(ChecklistItem {
    IdentityDocuments = "identity_documents",
    MunicipalRegistration = "municipal_registration",
    JobOfficeRegistration = "job_office_registration",
    SchoolEnrolment = "school_enrolment",
});

impl ChecklistItem {
    pub fn per_child(self) -> bool {
        self == ChecklistItem::SchoolEnrolment
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentKind {
    DoctorVisit,
    JobCounselling,
}
crate::string_enum!(AppointmentKind {
    DoctorVisit = "doctor_visit",
    JobCounselling = "job_counselling",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    Planned,
    Attended,
    Missed,
}
crate::string_enum!(AppointmentStatus {
    Planned = "planned",
    Attended = "attended",
    Missed = "missed",
});

/// What a job-counselling session concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CounsellingOutcome {
    WageEmployment,
    SelfEmployment,
    Undecided,
}
crate::string_enum!(CounsellingOutcome {
    WageEmployment = "wage_employment",
    SelfEmployment = "self_employment",
    Undecided = "undecided",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// No plan submitted some days after arrival.
    PlanNotSubmitted,
    AppointmentMissed,
    /// A line with money left expires soon.
    DeadlineSoon,
    /// The household changed after its entitlement was frozen: a programme manager decides.
    EntitlementChanged,
    /// A follow-up of the monitoring schedule is due (subject: the case and the follow-up).
    FollowUpDue,
    /// No follow-up recorded for the policy's quiet months.
    CaseQuiet,
    /// Someone opened break-glass access on the case (subject: the grant): its counsellor and
    /// the programme managers check why.
    BreakGlass,
}
crate::string_enum!(TaskKind {
    PlanNotSubmitted = "plan_not_submitted",
    AppointmentMissed = "appointment_missed",
    DeadlineSoon = "deadline_soon",
    EntitlementChanged = "entitlement_changed",
    FollowUpDue = "followup_due",
    CaseQuiet = "case_quiet",
    BreakGlass = "break_glass",
});

/// Purposes a returnee consents to, each recorded separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    /// Taking part in the reintegration programme.
    Reintegration,
    /// Sharing the case with a named partner organisation.
    PartnerTransfer,
}
crate::string_enum!(ConsentPurpose {
    Reintegration = "reintegration",
    PartnerTransfer = "partner_transfer",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    Iom,
    Caritas,
    Enabel,
    LocalNgo,
}
crate::string_enum!(PartnerKind {
    Iom = "iom",
    Caritas = "caritas",
    Enabel = "enabel",
    LocalNgo = "local_ngo",
});

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const D: Deadlines = Deadlines {
        reintegration_months: 12,
        medical_months: 6,
    };

    #[test]
    fn deadlines_run_from_arrival() {
        let arrival = date!(2027 - 01 - 31);
        assert_eq!(
            line_expiry(Category::Furniture, arrival, D),
            date!(2028 - 01 - 31)
        );
        assert_eq!(
            line_expiry(Category::Medical, arrival, D),
            date!(2027 - 07 - 31)
        );
        assert_eq!(add_months(arrival, 1), date!(2027 - 02 - 28));
        assert_eq!(add_months(date!(2028 - 01 - 31), 1), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 11 - 15), 14), date!(2028 - 01 - 15));
        assert_eq!(add_months(date!(9999 - 12 - 01), 1), Date::MAX);
        assert!(deadline_soon(
            date!(2027 - 07 - 31),
            date!(2027 - 07 - 01),
            30
        ));
        assert!(!deadline_soon(
            date!(2027 - 07 - 31),
            date!(2027 - 06 - 30),
            30
        ));
        assert!(!deadline_soon(
            date!(2027 - 07 - 31),
            date!(2027 - 08 - 01),
            30
        ));
        assert!(submission_overdue(arrival, date!(2027 - 03 - 02), 30));
        assert!(!submission_overdue(arrival, date!(2027 - 03 - 01), 30));
        assert_eq!(
            monthly_schedule(date!(2027 - 02 - 10), 3),
            vec![
                date!(2027 - 02 - 10),
                date!(2027 - 03 - 10),
                date!(2027 - 04 - 10)
            ]
        );
    }

    #[test]
    fn approval_needs_distinct_approvers_who_did_not_write_the_plan() {
        let (author, a, b) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        assert_eq!(approvals_needed(500_000, Some(500_000)), 1);
        assert_eq!(approvals_needed(500_001, Some(500_000)), 2);
        assert_eq!(approvals_needed(9_999_999, None), 1);
        assert_eq!(
            approve(&[author], &[], author, 1).unwrap_err().code(),
            "self-approval"
        );
        assert!(approve(&[author], &[], a, 1).unwrap());
        assert!(!approve(&[author], &[], a, 2).unwrap());
        assert_eq!(
            approve(&[author], &[a], a, 2).unwrap_err().code(),
            "already-approved"
        );
        assert!(approve(&[author], &[a], b, 2).unwrap());
        // Authorship that could not be read refuses, never lets anyone approve.
        assert_eq!(
            approve(&[], &[], a, 1).unwrap_err().code(),
            "plan-authors-unreadable"
        );
    }

    #[test]
    fn envelopes_keep_medical_apart() {
        let env = Envelopes {
            general: 150_000,
            medical: 60_000,
        };
        let line = |category, planned| LineAmounts {
            category,
            planned,
            spent: 0,
        };
        assert!(check_commitments(
            &env,
            &[
                line(Category::Housing, 100_000),
                line(Category::Medical, 60_000)
            ]
        )
        .is_ok());
        // Medical money cannot pay for furniture, nor general money for medicine.
        let e = check_commitments(
            &env,
            &[
                line(Category::Furniture, 150_001),
                line(Category::Medical, 1),
            ],
        )
        .unwrap_err();
        assert_eq!(e.codes(), vec!["plan-over-general-envelope"]);
        let e = check_commitments(&env, &[line(Category::Medical, 60_001)]).unwrap_err();
        assert_eq!(e.codes(), vec!["plan-over-medical-envelope"]);
        assert_eq!(
            check_commitments(&env, &[]).unwrap_err().codes(),
            vec!["plan-empty"]
        );
        let e = check_commitments(
            &env,
            &[LineAmounts {
                category: Category::Housing,
                planned: 10,
                spent: 20,
            }],
        )
        .unwrap_err();
        assert_eq!(e.codes(), vec!["line-below-spent"]);
        let u = usage(
            &env,
            &[
                line(Category::Housing, 100_000),
                line(Category::Medical, 10_000),
            ],
        );
        assert_eq!(
            (
                u[0].committed,
                u[0].uncommitted,
                u[1].committed,
                u[1].uncommitted
            ),
            (100_000, 50_000, 10_000, 50_000)
        );
    }

    #[test]
    fn spending_is_converted_exactly() {
        use NumberStyle::*;
        let (_, _, c) = to_eur_cents("1000", "ALL", "0.0098", Plain).unwrap();
        assert_eq!(c, 980);
        let (_, _, c) = to_eur_cents("0.5", "USD", "0.01", Plain).unwrap();
        assert_eq!(c, 1); // 0.005 rounds half away from zero
        assert_eq!(to_eur_cents("250,40", "EUR", "", Comma).unwrap().2, 25040);
        assert_eq!(
            to_eur_cents("€ 1.000,50", "EUR", "", Comma).unwrap().2,
            100_050
        );
        assert_eq!(
            to_eur_cents("5.000,00", "ALL", "0,0098", Comma).unwrap().2,
            4900
        );
        assert_eq!(
            to_eur_cents("1,000", "ALL", "0,0098", Comma)
                .unwrap_err()
                .codes(),
            vec!["ambiguous-amount"]
        );
        assert_eq!(
            to_eur_cents("1.000", "ALL", "0.0098", Point)
                .unwrap_err()
                .codes(),
            vec!["ambiguous-amount"]
        );
        assert_eq!(
            to_eur_cents("12,500,000", "ALL", "0.0098", Comma)
                .unwrap_err()
                .codes(),
            vec!["ambiguous-amount"]
        );
        assert_eq!(
            to_eur_cents("1000,5", "ALL", "0,0098", Comma).unwrap().2,
            980
        );
        // A Guinean franc has no decimals, a Tunisian dinar three.
        assert_eq!(
            to_eur_cents("1.500.000", "GNF", "0,000105", Comma)
                .unwrap()
                .2,
            15750
        );
        assert_eq!(
            to_eur_cents("12,5", "GNF", "0,000105", Comma)
                .unwrap_err()
                .codes(),
            vec!["too-many-decimals"]
        );
        assert_eq!(
            to_eur_cents("1.010,125", "TND", "0,29", Comma).unwrap().2,
            29294
        );
        // Ten dinar and 125 millimes, or ten thousand one hundred and twenty-five dinar.
        assert_eq!(
            to_eur_cents("10,125", "TND", "0,29", Comma)
                .unwrap_err()
                .codes(),
            vec!["ambiguous-amount"]
        );
        assert_eq!(
            to_eur_cents("10", "EUR", "1.1", Plain).unwrap_err().codes(),
            vec!["eur-rate-not-one"]
        );
        assert_eq!(
            to_eur_cents("-3", "XYZ", "x", Plain).unwrap_err().codes(),
            vec!["bad-currency", "negative-amount", "bad-amount"]
        );
        assert_eq!(
            check_spend(None, 0, 5).unwrap_err().code(),
            "line-not-approved"
        );
        assert_eq!(
            check_spend(Some(100), 60, 41).unwrap_err().code(),
            "line-overspent"
        );
        assert!(check_spend(Some(100), 60, 40).is_ok());
    }

    proptest! {
        #[test]
        fn accepted_plans_never_commit_more_than_the_envelopes(
            general in 0i64..1_000_000, medical in 0i64..1_000_000,
            lines in proptest::collection::vec((0usize..7, 0i64..400_000), 1..12)
        ) {
            let env = Envelopes { general, medical };
            let lines: Vec<LineAmounts> = lines.into_iter()
                .map(|(c, planned)| LineAmounts { category: Category::ALL[c], planned, spent: 0 })
                .collect();
            let ok = check_commitments(&env, &lines).is_ok();
            let u = usage(&env, &lines);
            prop_assert_eq!(ok, u.iter().all(|u| u.committed <= u.budget));
            prop_assert_eq!(u[0].committed + u[1].committed, lines.iter().map(|l| l.planned).sum::<i64>());
        }

        #[test]
        fn accepted_spending_never_exceeds_the_approved_line(
            approved in 0i64..500_000, attempts in proptest::collection::vec(-10i64..200_000, 0..30)
        ) {
            let mut spent = 0;
            for a in attempts {
                if check_spend(Some(approved), spent, a).is_ok() {
                    spent += a;
                }
                prop_assert!(spent <= approved);
            }
        }

        #[test]
        fn months_later_is_later_and_keeps_the_day_when_it_can(y in 1990i32..2100, m in 1u8..=12, d in 1u8..=31, k in 0u32..40) {
            let month = time::Month::try_from(m).unwrap();
            let day = d.min(month.length(y));
            let start = Date::from_calendar_date(y, month, day).unwrap();
            let end = add_months(start, k);
            prop_assert!(end >= start);
            prop_assert!(end.day() == day || end.day() == end.month().length(end.year()));
            let months = (end.year() - y) * 12 + end.month() as i32 - m as i32;
            prop_assert_eq!(months, k as i32);
        }
    }
}
