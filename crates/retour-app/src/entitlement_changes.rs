//! A household that changes after its entitlement was frozen: a baby is born, a member joins or
//! leaves, a vulnerability or medical need is recorded, the flight moves. Before the freeze the
//! entitlement simply follows the household; after it, every such change computes the entitlement
//! again under the frozen policy version and, when a line differs, opens a review with a task for
//! a programme manager, who confirms the new entitlement or keeps the frozen one with a reason.
//! The departure premium is paid on the day the household actually leaves.

use retour_domain::quote::{evaluate, Component, Quote, QuoteInput};
use retour_domain::revision::{self, LineChange, RecomputeError, Recomputed};
use retour_domain::Case;
use retour_store::{Audit, Proposal, ReviewDecision, SnapshotRow};
use rust_decimal::Decimal;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::authz::{can, require, Action};
use crate::{Actor, App, AppError, AppResult};

/// Days a programme manager has to decide a review (the task's due date).
const REVIEW_DAYS: i64 = 7;

/// One line that differs, as a reader may see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChangeLine {
    /// `None`: the member is no longer in the household.
    pub member: Option<String>,
    pub component: Component,
    pub rule: String,
    /// `None` in all three: withheld from this reader (a special-category fact).
    pub before: Option<Decimal>,
    pub after: Option<Decimal>,
    pub difference: Option<Decimal>,
    pub withheld: bool,
}

/// The open review: what the household gives now against what was frozen.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PendingChange {
    pub review_id: Uuid,
    pub revision: i64,
    pub raised_at: OffsetDateTime,
    pub lines: Vec<ChangeLine>,
    /// Sum of the differences; `None` when a line is withheld from this reader.
    pub difference: Option<Decimal>,
    pub can_decide: bool,
}

/// A decided review, for the entitlement's history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReviewView {
    /// `confirmed`, `kept` or `lapsed`.
    pub status: String,
    pub raised_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub lines: Vec<ChangeLine>,
}

/// The departure premium on the day the household left (or is booked to leave), when that day
/// is not the one the frozen entitlement assumed and the premium differs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PremiumOnDeparture {
    pub day: Date,
    /// Whether `day` is the confirmed departure (else the booked one).
    pub actual: bool,
    pub assumed_day: Date,
    pub frozen: Decimal,
    pub due: Decimal,
    pub lines: Vec<ChangeLine>,
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> AppResult<T> {
    serde_json::from_str(s).map_err(|e| AppError::Internal(format!("stored {what}: {e}")))
}

impl App {
    /// The frozen entitlement computed again for the case as it stands; `None` while the
    /// household does not make a valid request (a missing date, say).
    async fn recompute_frozen(
        &self,
        case: &Case,
        snapshot: &SnapshotRow,
    ) -> AppResult<Option<(QuoteInput, Recomputed)>> {
        let frozen: Quote = parse("snapshot", &snapshot.quote)?;
        let v = self.store.vulnerabilities(case.id).await?;
        let n = self.store.medical_needs(case.id).await?;
        let Some(input) = self.current_input(case, &v, &n).await? else {
            return Ok(None);
        };
        let policy = self.policy_version(&frozen.policy_version).await?;
        match revision::recompute(&policy, &frozen, &input, self.today()) {
            Ok(r) => Ok(Some((input, r))),
            Err(RecomputeError::Invalid(_)) => Ok(None),
            Err(RecomputeError::OtherPolicy { .. }) => Err(AppError::Internal(
                "policy version differs from the snapshot's".into(),
            )),
        }
    }

    /// After a write that may change the entitlement: when it is frozen, opens, updates or
    /// lapses the case's review. Runs after the write committed, so it sees what was saved.
    pub(crate) async fn review_after_change(&self, actor: &Actor, case_id: Uuid) -> AppResult<()> {
        let Some(snapshot) = self.store.snapshot(case_id).await? else {
            return Ok(());
        };
        let case = self.case(actor, case_id).await?;
        let Some((input, r)) = self.recompute_frozen(&case, &snapshot).await? else {
            return Ok(());
        };
        let proposal = (!r.changes.is_empty()).then(|| Proposal {
            input: serde_json::to_string(&input).expect("serialises"),
            quote: serde_json::to_string(&r.quote).expect("serialises"),
            frozen_quote: snapshot.quote.clone(),
            changes: serde_json::to_string(&r.changes).expect("serialises"),
        });
        self.store
            .sync_review(
                case_id,
                proposal.as_ref(),
                self.today() + Duration::days(REVIEW_DAYS),
                Some(actor.id),
            )
            .await?;
        Ok(())
    }

    fn change_lines(&self, actor: &Actor, case: &Case, changes: &[LineChange]) -> Vec<ChangeLine> {
        changes
            .iter()
            .map(|c| {
                let withheld = crate::entitlements::line_withheld(actor, &c.rule, case);
                ChangeLine {
                    member: case
                        .household
                        .members
                        .iter()
                        .find(|m| m.person.id.to_string() == c.member)
                        .map(|m| m.person.full_name()),
                    component: c.component,
                    rule: c.rule.clone(),
                    before: if withheld { None } else { c.before },
                    after: if withheld { None } else { c.after },
                    difference: (!withheld).then(|| c.difference()),
                    withheld,
                }
            })
            .collect()
    }

    /// The open review (with the differences as they stand now) and the decided ones.
    pub(crate) async fn entitlement_reviews(
        &self,
        actor: &Actor,
        case: &Case,
    ) -> AppResult<(Option<PendingChange>, Vec<ReviewView>)> {
        let mut pending = None;
        let mut history = Vec::new();
        for e in self.store.reviews(case.id).await? {
            let r = e.review;
            let changes: Vec<LineChange> = parse("review changes", &r.changes)?;
            let lines = self.change_lines(actor, case, &changes);
            if r.status == "open" {
                let difference = lines.iter().map(|l| l.difference).sum::<Option<Decimal>>();
                pending = Some(PendingChange {
                    review_id: r.id,
                    revision: r.revision,
                    raised_at: r.raised_at,
                    lines,
                    difference,
                    can_decide: can(actor, Action::ReviewEntitlementChange, Some(case)),
                });
            } else {
                history.push(ReviewView {
                    status: r.status,
                    raised_at: r.raised_at,
                    decided_at: r.decided_at,
                    decided_by: e.decided_by_name,
                    reason: r.reason,
                    lines,
                });
            }
        }
        Ok((pending, history))
    }

    /// A programme manager confirms the entitlement computed again (it is frozen in place of the
    /// old one, and the plan's envelopes follow) or keeps the frozen one, with a reason.
    /// `revision` is the review as the manager saw it: a review changed since is a conflict.
    pub async fn decide_entitlement_change(
        &self,
        actor: &Actor,
        case_id: Uuid,
        review_id: Uuid,
        revision: i64,
        confirm: bool,
        reason: &str,
    ) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::ReviewEntitlementChange, Some(&case))?;
        let mut errors = retour_domain::ValidationErrors::default();
        let reason = retour_domain::text::field(
            &mut errors,
            "reason",
            reason,
            !confirm,
            2000,
            retour_domain::text::Shape::Paragraph,
        );
        errors.into_result(())?;
        let open = self
            .store
            .open_review(case_id)
            .await?
            .filter(|r| r.id == review_id);
        let Some(open) = open else {
            // Decided by someone else, or lapsed: nothing is open under this id any more.
            return Err(AppError::Conflict { current: revision });
        };
        if confirm {
            // What is frozen is what the household gives now, exactly as the manager saw it.
            let snapshot = self
                .store
                .snapshot(case_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let now = self.recompute_frozen(&case, &snapshot).await?;
            let same = now.as_ref().is_some_and(|(_, r)| {
                serde_json::to_string(&r.quote).expect("serialises") == open.quote
            });
            if !same {
                self.review_after_change(actor, case_id).await?;
                return Err(AppError::Conflict {
                    current: open.revision + 1,
                });
            }
        }
        let (decision, action) = if confirm {
            (ReviewDecision::Confirm, "entitlement.confirm")
        } else {
            (
                ReviewDecision::Keep(reason.trim().to_string()),
                "entitlement.keep",
            )
        };
        self.store
            .decide_review(
                review_id,
                revision,
                &decision,
                actor.id,
                &Audit::new(Some(actor.id), action),
            )
            .await?;
        Ok(())
    }

    /// The departure premium on the day the household left (confirmed) or is booked to leave,
    /// under the frozen policy version; `None` when that is the day the freeze assumed, or when
    /// the premium is the same.
    pub(crate) async fn premium_on_departure(
        &self,
        actor: &Actor,
        case: &Case,
        snapshot: &SnapshotRow,
    ) -> AppResult<Option<PremiumOnDeparture>> {
        let (day, actual) = match (case.departed_on, case.departure) {
            (Some(d), _) => (d, true),
            (None, Some(b)) => (b.date, false),
            (None, None) => return Ok(None),
        };
        let input: QuoteInput = parse("snapshot input", &snapshot.input)?;
        let frozen: Quote = parse("snapshot", &snapshot.quote)?;
        let assumed_day = retour_domain::parse_date(&input.planned_departure_date)
            .map_err(|e| AppError::Internal(format!("snapshot input: {e}")))?;
        if assumed_day == day {
            return Ok(None);
        }
        let Ok(household) = revision::on_actual_departure(&input, day).validate(self.today())
        else {
            return Ok(None);
        };
        let policy = self.policy_version(&frozen.policy_version).await?;
        let on_day = evaluate(&policy, &household);
        let changes: Vec<LineChange> = revision::line_changes(&frozen, &on_day)
            .into_iter()
            .filter(|c| c.component == Component::DeparturePremium)
            .collect();
        if changes.is_empty() {
            return Ok(None);
        }
        Ok(Some(PremiumOnDeparture {
            day,
            actual,
            assumed_day,
            frozen: frozen.totals.departure_premium_cash,
            due: on_day.totals.departure_premium_cash,
            lines: self.change_lines(actor, case, &changes),
        }))
    }
}
