//! The reintegration plan: lines checked against the entitlement, submission, approval by
//! programme managers, amendments.

use retour_domain::lifecycle::TransitionRequest;
use retour_domain::plan::{
    self, Category, EmploymentKind, EnvelopeUse, Envelopes, LineAmounts, PlanStatus,
};
use retour_domain::quote::Quote;
use retour_domain::{parse_date, Case, Invalid, Status};
use retour_domain::{ValidationError, ValidationErrors};
use retour_store::{
    Approval, Audit, BudgetMove, LineValues, PlanLineRow, PlanMove, PlanVersionRow,
};
use uuid::Uuid;

use crate::authz::{can, require, Action};
use crate::{Actor, App, AppError, AppResult};
use retour_domain::money::typed_cents;
use retour_domain::text::{self, Shape};

use retour_domain::error::other;

/// One line on the plan page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LineView {
    pub id: Uuid,
    pub category: Category,
    pub employment_kind: Option<EmploymentKind>,
    pub description: String,
    pub provider: String,
    pub target_date: Option<time::Date>,
    pub planned: i64,
    pub approved: Option<i64>,
    pub spent: i64,
    pub expires_on: Option<time::Date>,
    pub expired: bool,
}

impl LineView {
    /// What may still be spent: the approved amount less what was spent (0 once expired).
    pub fn left(&self) -> i64 {
        if self.expired {
            0
        } else {
            self.approved.unwrap_or(0) - self.spent
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PlanView {
    pub case: Case,
    pub status: Option<PlanStatus>,
    pub version: i32,
    pub lines: Vec<LineView>,
    /// General (reintegration + vulnerability) then medical (AMAAR).
    pub usage: [EnvelopeUse; 2],
    /// Whether the envelopes come from the frozen entitlement (else: computed now).
    pub frozen: bool,
    /// The policy the envelopes were computed with.
    pub policy: Option<String>,
    pub approvals: usize,
    pub approvals_needed: usize,
    pub arrival: Option<time::Date>,
    pub versions: Vec<crate::views::ApprovedVersion>,
    pub can_edit: bool,
    pub can_submit: bool,
    pub can_approve: bool,
    pub can_amend: bool,
    /// What the programme manager asked to change when sending the plan back.
    pub sent_back_reason: Option<String>,
}

/// What a form sends for one plan line.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LineInput {
    pub category: String,
    #[serde(default)]
    pub employment_kind: Option<String>,
    pub description: String,
    pub provider: String,
    #[serde(default)]
    pub target_date: Option<String>,
    /// Euro, as typed (`1.450,00` on a Dutch page, `1450.00` in JSON).
    pub amount_eur: String,
    /// How the amount was written: the page's language, or plain for the API.
    #[serde(skip)]
    pub style: retour_domain::NumberStyle,
}

impl App {
    /// The entitlement the plan is checked against: frozen when the case's budget was approved,
    /// else computed now. `None` while the case lacks the dates a quote needs.
    async fn plan_quote(&self, case: &Case) -> AppResult<Option<(Quote, bool)>> {
        if let Some(s) = self.store.snapshot(case.id).await? {
            let q = serde_json::from_str::<Quote>(&s.quote)
                .map_err(|e| AppError::Internal(format!("snapshot: {e}")))?;
            return Ok(Some((q, true)));
        }
        let v = self.store.vulnerabilities(case.id).await?;
        let n = self.store.medical_needs(case.id).await?;
        Ok(self
            .current_quote(case, &v, &n)
            .await?
            .map(|(_, q)| (q, false)))
    }

    fn line_views(rows: Vec<(PlanLineRow, i64)>) -> AppResult<Vec<LineView>> {
        rows.into_iter()
            .map(|(l, spent)| {
                Ok(LineView {
                    id: l.id,
                    category: l
                        .category
                        .parse()
                        .map_err(|_| AppError::Internal("unknown line category".into()))?,
                    employment_kind: l.employment_kind.and_then(|k| k.parse().ok()),
                    description: l.description,
                    provider: l.provider,
                    target_date: l.target_date,
                    planned: l.planned_cents,
                    approved: l.approved_cents,
                    spent,
                    expires_on: l.expires_on,
                    expired: l.expired,
                })
            })
            .collect()
    }

    fn amounts(lines: &[LineView]) -> Vec<LineAmounts> {
        lines
            .iter()
            .map(|l| LineAmounts {
                category: l.category,
                planned: l.planned,
                spent: l.spent,
            })
            .collect()
    }

    async fn approvals_needed(&self, case: &Case, lines: &[LineView]) -> AppResult<usize> {
        let total: i64 = lines.iter().map(|l| l.planned).sum();
        let threshold = match case.household.application_date {
            Some(d) => self
                .policy_on(d)
                .await?
                .plan()
                .second_approval_above
                .and_then(|t| {
                    use rust_decimal::prelude::ToPrimitive;
                    (t * rust_decimal::Decimal::ONE_HUNDRED).trunc().to_i64()
                }),
            None => None,
        };
        Ok(plan::approvals_needed(total, threshold))
    }

    pub async fn plan_view(&self, actor: &Actor, case_id: Uuid) -> AppResult<PlanView> {
        let case = self.case(actor, case_id).await?;
        let row = self.store.plan(case_id).await?;
        let lines = Self::line_views(self.store.plan_lines(case_id).await?)?;
        let quote = match self.plan_quote(&case).await {
            Ok(q) => q,
            // A household that no longer validates shows empty envelopes, as on the entitlement page.
            Err(AppError::Invalid(_)) => None,
            Err(e) => return Err(e),
        };
        let envelopes = quote
            .as_ref()
            .map(|(q, _)| Envelopes::from_totals(&q.totals))
            .unwrap_or_default();
        let status = match &row {
            Some(r) => Some(
                r.status
                    .parse::<PlanStatus>()
                    .map_err(|_| AppError::Internal("unknown plan status".into()))?,
            ),
            None => None,
        };
        let version = row.as_ref().map(|r| r.version).unwrap_or(1);
        let approvals = match &row {
            Some(r) if status == Some(PlanStatus::Submitted) => {
                self.store.plan_approvals(case_id, r.version).await?.len()
            }
            _ => 0,
        };
        let editable = status.is_none_or(|s| s.editable());
        let may_edit = can(actor, Action::EditPlan, Some(&case)) && !case_closed(&case);
        Ok(PlanView {
            usage: plan::usage(&envelopes, &Self::amounts(&lines)),
            frozen: quote.as_ref().is_some_and(|(_, f)| *f),
            policy: quote.as_ref().map(|(q, _)| q.policy().to_string()),
            approvals,
            approvals_needed: self.approvals_needed(&case, &lines).await?,
            arrival: self.store.arrival(case_id).await?,
            versions: crate::views::all(self.store.plan_versions(case_id).await?),
            can_edit: may_edit && editable,
            can_submit: may_edit && editable && !lines.is_empty(),
            can_approve: can(actor, Action::ApprovePlan, Some(&case))
                && status == Some(PlanStatus::Submitted),
            can_amend: may_edit && status == Some(PlanStatus::Approved),
            sent_back_reason: row.as_ref().and_then(|r| r.sent_back_reason.clone()),
            status,
            version,
            lines,
            case,
        })
    }

    /// Adds a line (`line_id` `None`) or changes one, while the plan is a draft or an amendment.
    pub async fn save_line(
        &self,
        actor: &Actor,
        case_id: Uuid,
        line_id: Option<Uuid>,
        input: &LineInput,
    ) -> AppResult<Uuid> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::EditPlan, Some(&case))?;
        if case_closed(&case) {
            return Err(AppError::Forbidden);
        }
        let mut errors = ValidationErrors::default();
        let category = input
            .category
            .parse::<Category>()
            .map_err(|e| errors.push(e.at("category")))
            .ok();
        let kind_text = input
            .employment_kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty());
        let employment_kind = match (category, kind_text) {
            (Some(Category::Employment), None) => {
                errors.push(ValidationError::new(Invalid::Required).at("employment_kind"));
                None
            }
            (Some(Category::Employment), Some(k)) => k
                .parse::<EmploymentKind>()
                .map_err(|e| errors.push(e.at("employment_kind")))
                .ok(),
            _ => None,
        };
        let description = &text::field(
            &mut errors,
            "description",
            &input.description,
            true,
            500,
            Shape::Paragraph,
        );
        // Self-employment is funded on a business plan: the line must summarise it.
        if employment_kind == Some(EmploymentKind::SelfEmployment)
            && description.chars().count() < 40
        {
            errors.push(other("business-plan-required", "40").at("description"));
        }
        let provider = &text::field(
            &mut errors,
            "provider",
            &input.provider,
            true,
            200,
            Shape::Line,
        );
        let target_date = match input.target_date.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => parse_date(t)
                .map_err(|e| errors.push(e.at("target_date")))
                .ok(),
            _ => None,
        };
        let cents = typed_cents(&input.amount_eur, input.style)
            .map_err(|e| errors.push(e.at("amount_eur")))
            .ok();
        let existing = self.store.plan_lines(case_id).await?;
        if let (Some(id), Some(c)) = (line_id, cents) {
            match existing.iter().find(|(l, _)| l.id == id) {
                None => return Err(AppError::NotFound),
                Some((_, spent)) if c < *spent => errors.push(
                    retour_domain::error::amount("line-below-spent", *spent).at("amount_eur"),
                ),
                Some((l, spent))
                    if *spent > 0 && Some(l.category.as_str()) != category.map(|c| c.as_str()) =>
                {
                    errors.push(
                        retour_domain::error::amount("line-has-spending", *spent).at("category"),
                    )
                }
                _ => {}
            }
        }
        errors.into_result(())?;
        let category = category.expect("checked");
        let plan = self
            .store
            .ensure_plan(case_id, &Audit::new(Some(actor.id), "plan.create"))
            .await?;
        let status: PlanStatus = plan
            .status
            .parse()
            .map_err(|_| AppError::Internal("unknown plan status".into()))?;
        if !status.editable() {
            return Err(other("plan-not-editable", status.as_str()).into());
        }
        let expires_on = match self.store.arrival(case_id).await? {
            Some(arrival) => {
                let deadlines = self.case_policy(&case).await?.deadlines();
                Some(plan::line_expiry(category, arrival, deadlines))
            }
            None => None,
        };
        let id = line_id.unwrap_or_else(Uuid::now_v7);
        self.store
            .write_line(
                case_id,
                id,
                Some(&LineValues {
                    category: category.as_str().into(),
                    employment_kind: employment_kind.map(|k| k.as_str().into()),
                    description: description.into(),
                    provider: provider.into(),
                    target_date,
                    planned_cents: cents.expect("checked"),
                    expires_on,
                }),
                actor.id,
                &Audit::new(Some(actor.id), "plan.line").detail(category.as_str()),
            )
            .await?;
        Ok(id)
    }

    /// Removes a line that has no spending, while the plan is editable.
    pub async fn remove_line(&self, actor: &Actor, case_id: Uuid, line_id: Uuid) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::EditPlan, Some(&case))?;
        if case_closed(&case) {
            return Err(AppError::Forbidden);
        }
        let plan = self.store.plan(case_id).await?.ok_or(AppError::NotFound)?;
        if !plan
            .status
            .parse::<PlanStatus>()
            .is_ok_and(|s| s.editable())
        {
            return Err(other("plan-not-editable", plan.status).into());
        }
        if let Some((_, spent)) = self
            .store
            .plan_lines(case_id)
            .await?
            .iter()
            .find(|(l, _)| l.id == line_id)
        {
            if *spent > 0 {
                return Err(retour_domain::error::amount("line-has-spending", *spent).into());
            }
        }
        self.store
            .write_line(
                case_id,
                line_id,
                None,
                actor.id,
                &Audit::new(Some(actor.id), "plan.line_remove"),
            )
            .await?;
        Ok(())
    }

    /// Submits the draft or amendment for approval, if every envelope covers its lines.
    pub async fn submit_plan(&self, actor: &Actor, case_id: Uuid) -> AppResult<()> {
        let view = self.plan_view(actor, case_id).await?;
        require(actor, Action::EditPlan, Some(&view.case))?;
        if case_closed(&view.case) {
            return Err(AppError::Forbidden);
        }
        let Some(plan) = self.store.plan(case_id).await? else {
            return Err(other("plan-empty", "").into());
        };
        if !view.status.is_some_and(|s| s.editable()) {
            return Err(other("plan-not-editable", plan.status).into());
        }
        self.check_envelopes(&view.case, &view.lines).await?;
        if !self
            .store
            .move_plan(
                case_id,
                &PlanMove {
                    from: &["draft", "amended"],
                    to: "submitted",
                    author: Some(actor.id),
                    version_step: 0,
                    sent_back_reason: None,
                },
                &Audit::new(Some(actor.id), "plan.submit"),
            )
            .await?
        {
            return Err(AppError::Conflict {
                current: plan.version as i64,
            });
        }
        Ok(())
    }

    async fn check_envelopes(&self, case: &Case, lines: &[LineView]) -> AppResult<Quote> {
        let Some((quote, _)) = self.plan_quote(case).await? else {
            return Err(other("entitlement-incomplete", case.reference.to_string()).into());
        };
        plan::check_commitments(
            &Envelopes::from_totals(&quote.totals),
            &Self::amounts(lines),
        )?;
        Ok(quote)
    }

    /// Sends a submitted plan back to its authors (a programme manager's decision), saying
    /// what they must change; the reason shows on the plan until it is submitted again.
    pub async fn send_back_plan(
        &self,
        actor: &Actor,
        case_id: Uuid,
        reason: &str,
    ) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::ApprovePlan, Some(&case))?;
        if case_closed(&case) {
            return Err(AppError::Forbidden);
        }
        let mut errors = ValidationErrors::default();
        let reason = retour_domain::text::field(
            &mut errors,
            "reason",
            reason,
            true,
            2000,
            retour_domain::text::Shape::Paragraph,
        );
        errors.into_result(())?;
        let Some(plan) = self.store.plan(case_id).await? else {
            return Err(other("plan-not-submitted", "").into());
        };
        let back = if self.store.plan_versions(case_id).await?.is_empty() {
            "draft"
        } else {
            "amended"
        };
        if !self
            .store
            .move_plan(
                case_id,
                &PlanMove {
                    from: &["submitted"],
                    to: back,
                    author: None,
                    version_step: 0,
                    sent_back_reason: Some(reason.as_str()),
                },
                &Audit::new(Some(actor.id), "plan.send_back"),
            )
            .await?
        {
            return Err(other("plan-not-submitted", plan.status).into());
        }
        Ok(())
    }

    /// Opens an amendment of the approved plan: a new version to be approved again. Spending
    /// goes on against the amounts approved last.
    pub async fn amend_plan(&self, actor: &Actor, case_id: Uuid) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::EditPlan, Some(&case))?;
        if case_closed(&case) {
            return Err(AppError::Forbidden);
        }
        if !self
            .store
            .move_plan(
                case_id,
                &PlanMove {
                    from: &["approved"],
                    to: "amended",
                    author: Some(actor.id),
                    version_step: 1,
                    sent_back_reason: None,
                },
                &Audit::new(Some(actor.id), "plan.amend"),
            )
            .await?
        {
            return Err(other("plan-not-approved", "").into());
        }
        Ok(())
    }

    /// One programme manager's approval of the submitted plan. Nobody approves a plan they wrote
    /// or submitted; plans above the policy's threshold need two distinct approvers. The final
    /// approval of a case still in `assessed` also approves its budget (the lifecycle move that
    /// freezes the entitlement). Returns whether the plan is now approved.
    pub async fn approve_plan(&self, actor: &Actor, case_id: Uuid) -> AppResult<bool> {
        let view = self.plan_view(actor, case_id).await?;
        require(actor, Action::ApprovePlan, Some(&view.case))?;
        if case_closed(&view.case) {
            return Err(AppError::Forbidden);
        }
        let Some(plan) = self.store.plan(case_id).await? else {
            return Err(other("plan-not-submitted", "").into());
        };
        if view.status != Some(PlanStatus::Submitted) {
            return Err(other("plan-not-submitted", plan.status).into());
        }
        let quote = self.check_envelopes(&view.case, &view.lines).await?;
        // Unreadable authorship refuses the approval: the four-eyes rule never fails open.
        let authors = match self.store.plan_authors(case_id, plan.version).await {
            Ok(a) => a,
            Err(retour_store::StoreError::Corrupt { .. }) => {
                return Err(other("plan-authors-unreadable", "").into())
            }
            Err(e) => return Err(e.into()),
        };
        let so_far = self.store.plan_approvals(case_id, plan.version).await?;
        plan::approve(&authors, &so_far, actor.id, view.approvals_needed)?;
        // The first plan of an assessed case also approves its budget, in the approval's own
        // transaction: the lifecycle move that freezes the entitlement the plan was checked
        // against. What that move needs is checked before anything is recorded, whichever
        // approval turns out to complete the plan.
        let budget = if view.case.status == Status::Assessed {
            require(actor, Action::ApproveBudget, Some(&view.case))?;
            self.check_children_for(&view.case, Status::PlanApproved)
                .await?;
            Some(BudgetMove {
                case_version: view.case.version,
                actor: actor.id,
                request: TransitionRequest {
                    outcome: None,
                    to: Status::PlanApproved,
                    reason: "plan-approved".into(),
                    booking: None,
                    on: None,
                },
                freeze: retour_store::TransitionEffect::Freeze(
                    self.snapshot_for_approval(actor, &view.case).await?,
                ),
                audit: Audit::new(Some(actor.id), "case.transition").detail(format!(
                    "{} -> {}",
                    view.case.status,
                    Status::PlanApproved
                )),
            })
        } else if view.case.status == Status::Intake {
            return Err(other("case-not-assessed", view.case.reference.to_string()).into());
        } else {
            None
        };
        let expiry = match view.arrival {
            Some(a) => {
                let d = self.case_policy(&view.case).await?.deadlines();
                Some((
                    plan::line_expiry(Category::Medical, a, d),
                    plan::line_expiry(Category::Housing, a, d),
                ))
            }
            None => None,
        };
        let history = PlanVersionRow {
            case_id,
            version: plan.version,
            approved_at: time::OffsetDateTime::now_utc(),
            total_cents: view.lines.iter().map(|l| l.planned).sum(),
            lines: serde_json::to_string(
                &view
                    .lines
                    .iter()
                    .map(|l| {
                        serde_json::json!({
                            "id": l.id, "category": l.category, "employment_kind": l.employment_kind,
                            "description": l.description, "provider": l.provider,
                            "target_date": l.target_date.map(retour_domain::dates::format_date),
                            "amount_cents": l.planned,
                        })
                    })
                    .collect::<Vec<_>>(),
            )
            .expect("serialises"),
            // The store records who actually approved, counted in its transaction.
            approvers: String::new(),
            policy_id: quote.policy_version.id.clone(),
            policy_hash: quote.policy_version.content_hash.clone(),
        };
        let audit = Audit::new(Some(actor.id), "plan.approve").detail(format!(
            "version {} (approval {} of {})",
            plan.version,
            so_far.len() + 1,
            view.approvals_needed
        ));
        let outcome = self
            .store
            .approve_plan(
                case_id,
                plan.version,
                actor.id,
                view.approvals_needed,
                &history,
                expiry,
                &audit,
                budget.as_ref(),
            )
            .await?;
        match outcome {
            Approval::Stale => Err(AppError::Conflict {
                current: plan.version as i64,
            }),
            Approval::Recorded => Ok(false),
            Approval::Approved => Ok(true),
        }
    }

    /// The policy in force on the case's application date (today's when it has none).
    pub(crate) async fn case_policy(
        &self,
        case: &Case,
    ) -> AppResult<std::sync::Arc<retour_domain::policy::Policy>> {
        self.policy_on(case.household.application_date.unwrap_or(self.today()))
            .await
    }
}

/// Nothing is planned or spent on a case that ended.
pub(crate) fn case_closed(case: &Case) -> bool {
    matches!(
        case.status,
        Status::Closed | Status::Withdrawn | Status::NoShow
    )
}
