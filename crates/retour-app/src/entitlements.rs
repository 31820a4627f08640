//! Entitlements of stored cases: what the household's vulnerabilities and medical needs give
//! under the policy in force on its application date, recomputed on every view until a plan is
//! approved, then frozen (inputs, policy version and result) so a later policy never changes it.

use retour_domain::money::typed_cents;
use retour_domain::quote::{
    evaluate, Component, MedicalNeedInput, Quote, QuoteInput, QuoteMemberInput, Vulnerability,
};
use retour_domain::NumberStyle;
use retour_domain::{parse_date, Case, Invalid, ValidationError, ValidationErrors};
use retour_store::{
    Audit, CaseFacts, MedicalNeedRow, MemberFacts, PremiumPayment, SnapshotRow, VulnerabilityRow,
};
use retour_store::{RowKey, Sealed};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::authz::{can, can_read, require, Action, Sensitivity};
use crate::{Actor, App, AppError, AppResult};

/// Which special-category class a vulnerability (and its evidence) belongs to.
pub fn class_of(v: Vulnerability) -> Sensitivity {
    match v {
        Vulnerability::ComplexMedical => Sensitivity::Medical,
        Vulnerability::TraffickingVictim => Sensitivity::Trafficking,
        Vulnerability::UnaccompaniedMinor => Sensitivity::MinorWelfare,
    }
}

/// Whether a reader may know that a member has this vulnerability. That a member is a complex
/// medical case is known to everyone on the case (they see the AMAAR total); what the illness
/// is, only to medical advisors.
fn flag_visible(actor: &Actor, v: Vulnerability, case: &Case) -> bool {
    v == Vulnerability::ComplexMedical || can_read(actor, class_of(v), case)
}

fn rule_class(rule: &str) -> Option<Vulnerability> {
    match rule {
        "topup.trafficking" => Some(Vulnerability::TraffickingVictim),
        "topup.unaccompanied_minor" => Some(Vulnerability::UnaccompaniedMinor),
        _ => None,
    }
}

/// Whether a line under `rule` is withheld from this reader (it would reveal a special-category fact).
pub(crate) fn line_withheld(actor: &Actor, rule: &str, case: &Case) -> bool {
    rule_class(rule).is_some_and(|v| !flag_visible(actor, v, case))
}

/// The facts of a loaded case that an entitlement depends on.
pub(crate) fn facts_of(case: &Case) -> CaseFacts {
    let h = &case.household;
    CaseFacts {
        id: case.id,
        destination_country: h.destination_country.to_string(),
        application_date: h.application_date,
        planned_departure_date: h.planned_departure_date,
        members: h
            .members
            .iter()
            .map(|m| MemberFacts {
                id: m.person.id,
                case_id: case.id,
                relationship: m.relationship.as_str().into(),
                birth_date: m.person.birth_date.date(),
                birth_precision: m.person.birth_date.precision().as_str().into(),
                nationalities: serde_json::to_string(&m.person.nationalities)
                    .expect("codes serialise"),
            })
            .collect(),
    }
}

/// The quote request a stored case amounts to; `None` while the dates it needs are missing.
/// Medical items are named by their id, so the request (and a frozen snapshot) holds no diagnosis.
pub fn quote_input(
    case: &CaseFacts,
    vulnerabilities: &[VulnerabilityRow],
    needs: &[MedicalNeedRow],
) -> Option<QuoteInput> {
    let (Some(application), Some(departure)) = (case.application_date, case.planned_departure_date)
    else {
        return None;
    };
    let cents = |c: i64| (Decimal::new(c, 2)).to_string();
    Some(QuoteInput {
        application_date: retour_domain::dates::format_date(application),
        planned_departure_date: retour_domain::dates::format_date(departure),
        destination: case.destination_country.clone(),
        members: case
            .members
            .iter()
            .map(|m| {
                let mut kinds: Vec<String> = vulnerabilities
                    .iter()
                    .filter(|v| v.person_id == m.id)
                    .map(|v| v.kind.clone())
                    .collect();
                kinds.sort();
                kinds.dedup();
                let precision = retour_domain::DatePrecision::parse(&m.birth_precision)
                    .unwrap_or(retour_domain::DatePrecision::Day);
                QuoteMemberInput {
                    id: m.id.to_string(),
                    role: m.relationship.clone(),
                    birth_date: retour_domain::BirthDate::new(m.birth_date, precision).to_string(),
                    nationalities: serde_json::from_str(&m.nationalities).unwrap_or_default(),
                    vulnerabilities: kinds,
                    prior_support_dates: Vec::new(),
                    medical_needs: needs
                        .iter()
                        .filter(|n| n.person_id == m.id)
                        .map(|n| MedicalNeedInput {
                            label: n.id.to_string(),
                            monthly_eur: (n.frequency == "monthly").then(|| cents(n.amount_cents)),
                            one_off_eur: (n.frequency != "monthly").then(|| cents(n.amount_cents)),
                        })
                        .collect(),
                }
            })
            .collect(),
    })
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LineView {
    pub member: String,
    pub component: Component,
    pub rule: String,
    /// `None`: withheld from this reader (it would reveal a special-category fact).
    pub amount: Option<Decimal>,
    pub requires_approval: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct VulnerabilityView {
    pub id: Uuid,
    pub member: String,
    pub kind: Option<Vulnerability>,
    pub recorded_on: Option<time::Date>,
    pub source: Option<String>,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MedicalItemView {
    pub id: Uuid,
    pub member: String,
    pub label: String,
    pub frequency: String,
    pub amount: Decimal,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EntitlementView {
    pub quote: Option<Quote>,
    pub lines: Vec<LineView>,
    /// Totals that would reveal a withheld line are withheld too.
    pub totals_withheld: bool,
    /// When the plan was approved and the entitlement frozen.
    pub frozen_at: Option<time::OffsetDateTime>,
    pub vulnerabilities: Vec<VulnerabilityView>,
    /// The itemised medical needs: only for medical advisors.
    pub medical_items: Option<Vec<MedicalItemView>>,
    pub premium: Option<crate::views::PremiumPaid>,
    pub can_record_vulnerability: Vec<Vulnerability>,
    pub can_record_medical: bool,
    pub can_record_premium: bool,
    /// The household changed after the freeze: the open review, for a programme manager.
    pub change: Option<crate::entitlement_changes::PendingChange>,
    /// Reviews decided since the freeze, newest first.
    pub reviews: Vec<crate::entitlement_changes::ReviewView>,
    /// The premium on the day the household actually leaves, when it differs from the frozen one.
    pub premium_on_departure: Option<crate::entitlement_changes::PremiumOnDeparture>,
}

/// An itemised medical need as a form or the API sends it.
#[derive(Debug, Clone)]
pub struct NeedInput {
    pub person_id: Uuid,
    /// What is needed (a consultation, a medication), never shown to non-medical readers.
    pub label: String,
    /// `monthly` or `one_off`.
    pub frequency: String,
    /// Euro, as typed.
    pub amount_eur: String,
    pub style: NumberStyle,
}

impl App {
    /// The quote request the case amounts to as it stands, with the support a confirmed prior
    /// beneficiary received (the exclusion rule decides with it); `None` while dates are missing.
    pub(crate) async fn current_input(
        &self,
        case: &Case,
        vulnerabilities: &[VulnerabilityRow],
        needs: &[MedicalNeedRow],
    ) -> AppResult<Option<QuoteInput>> {
        let Some(mut input) = quote_input(&facts_of(case), vulnerabilities, needs) else {
            return Ok(None);
        };
        for link in self.store.case_links(case.id).await? {
            if link.kind != "prior_support" || link.status != "confirmed" {
                continue;
            }
            let (Some(on), Some(member)) = (
                link.support_on,
                input
                    .members
                    .iter_mut()
                    .find(|m| m.id == link.person_id.to_string()),
            ) else {
                continue;
            };
            member
                .prior_support_dates
                .push(retour_domain::dates::format_date(on));
        }
        Ok(Some(input))
    }

    pub(crate) async fn current_quote(
        &self,
        case: &Case,
        vulnerabilities: &[VulnerabilityRow],
        needs: &[MedicalNeedRow],
    ) -> AppResult<Option<(QuoteInput, Quote)>> {
        let Some(input) = self.current_input(case, vulnerabilities, needs).await? else {
            return Ok(None);
        };
        let household = input.validate(self.today())?;
        let policy = self.policy_on(household.application_date()).await?;
        let quote = evaluate(&policy, &household);
        Ok(Some((input, quote)))
    }

    /// The frozen snapshot when a plan was approved, else the entitlement computed now.
    pub async fn entitlement(&self, actor: &Actor, case_id: Uuid) -> AppResult<EntitlementView> {
        let case = self.case(actor, case_id).await?;
        let stored_vulnerabilities = self.store.vulnerabilities(case_id).await?;
        let stored_needs = self.store.medical_needs(case_id).await?;
        let snapshot = self.store.snapshot(case_id).await?;
        let (quote, frozen_at) = match frozen_quote(snapshot.as_ref())? {
            Some((q, at)) => (Some(q), Some(at)),
            None => match self
                .current_quote(&case, &stored_vulnerabilities, &stored_needs)
                .await
            {
                Ok(q) => (q.map(|(_, q)| q), None),
                // A household that no longer validates (e.g. a birth date after the application) shows no entitlement.
                Err(AppError::Invalid(_)) => (None, None),
                Err(e) => return Err(e),
            },
        };
        let name_of = |id: &str| {
            case.household
                .members
                .iter()
                .find(|m| m.person.id.to_string() == id)
                .map(|m| m.person.full_name())
                .unwrap_or_else(|| id.to_string())
        };
        let mut totals_withheld = false;
        let lines = quote
            .as_ref()
            .map(|q| {
                q.lines
                    .iter()
                    .map(|l| {
                        let hidden = line_withheld(actor, &l.rule, &case);
                        totals_withheld |= hidden;
                        LineView {
                            member: name_of(&l.member),
                            component: l.component,
                            rule: l.rule.clone(),
                            amount: (!hidden).then_some(l.amount),
                            requires_approval: l.requires_approval,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut vulnerabilities = Vec::new();
        let mut read_sensitive = Vec::new();
        for v in stored_vulnerabilities {
            let kind: Vulnerability = v
                .kind
                .parse()
                .map_err(|_| AppError::Internal("unknown vulnerability stored".into()))?;
            let member = name_of(&v.person_id.to_string());
            if flag_visible(actor, kind, &case) {
                let evidence = if can_read(actor, class_of(kind), &case) {
                    read_sensitive.push(format!(
                        "vulnerability {} evidence ({})",
                        v.id,
                        class_of(kind)
                    ));
                    Some(self.cipher.decrypt(
                        Sealed::VulnerabilityEvidence,
                        RowKey::id(v.id),
                        &v.evidence,
                    )?)
                } else {
                    None
                };
                vulnerabilities.push(VulnerabilityView {
                    id: v.id,
                    member,
                    kind: Some(kind),
                    recorded_on: Some(v.recorded_on),
                    source: Some(self.cipher.decrypt(
                        Sealed::VulnerabilitySource,
                        RowKey::id(v.id),
                        &v.source,
                    )?),
                    evidence,
                });
            } else {
                vulnerabilities.push(VulnerabilityView {
                    id: v.id,
                    member,
                    kind: None,
                    recorded_on: None,
                    source: None,
                    evidence: None,
                });
            }
        }
        let medical_items = if can_read(actor, Sensitivity::Medical, &case) {
            let mut items = Vec::new();
            for n in stored_needs {
                read_sensitive.push(format!("medical need {}", n.id));
                items.push(MedicalItemView {
                    id: n.id,
                    member: name_of(&n.person_id.to_string()),
                    label: self.cipher.decrypt(
                        Sealed::MedicalNeedLabel,
                        RowKey::id(n.id),
                        &n.label,
                    )?,
                    frequency: n.frequency,
                    amount: Decimal::new(n.amount_cents, 2),
                });
            }
            Some(items)
        } else {
            None
        };
        if !read_sensitive.is_empty() {
            self.store
                .append_audit(
                    &Audit::new(Some(actor.id), "sensitive.read").detail(read_sensitive.join(", ")),
                    Some(case_id),
                )
                .await?;
        }
        let may_edit = can(actor, Action::EditCase, Some(&case));
        let (change, reviews) = if frozen_at.is_some() {
            self.entitlement_reviews(actor, &case).await?
        } else {
            (None, Vec::new())
        };
        let premium_on_departure = match &snapshot {
            Some(s) => self.premium_on_departure(actor, &case, s).await?,
            None => None,
        };
        // After the freeze too: a change then opens a review instead of moving the entitlement.
        let can_record_vulnerability = if may_edit {
            [
                Vulnerability::ComplexMedical,
                Vulnerability::TraffickingVictim,
                Vulnerability::UnaccompaniedMinor,
            ]
            .into_iter()
            .filter(|v| *v == Vulnerability::ComplexMedical || can_read(actor, class_of(*v), &case))
            .collect()
        } else {
            Vec::new()
        };
        let can_record_premium = premium_allowed(actor, &case, frozen_at.is_some());
        Ok(EntitlementView {
            quote,
            lines,
            totals_withheld,
            frozen_at,
            vulnerabilities,
            medical_items,
            premium: self.store.premium_payment(case_id).await?.map(Into::into),
            can_record_vulnerability,
            can_record_medical: can(actor, Action::RecordMedicalNeeds, Some(&case)),
            can_record_premium,
            change,
            reviews,
            premium_on_departure,
        })
    }

    /// Records a vulnerability of a member, with date, source and an evidence note (encrypted).
    #[allow(clippy::too_many_arguments)]
    pub async fn record_vulnerability(
        &self,
        actor: &Actor,
        case_id: Uuid,
        person_id: Uuid,
        kind: &str,
        recorded_on: &str,
        source: &str,
        evidence: &str,
    ) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        crate::authz::require(actor, Action::EditCase, Some(&case))?;
        let mut errors = ValidationErrors::default();
        let kind: Option<Vulnerability> = kind
            .parse()
            .map_err(|e: ValidationError| errors.push(e.at("kind")))
            .ok();
        let day = parse_date(recorded_on)
            .map_err(|e| errors.push(e.at("recorded_on")))
            .ok();
        if let Some(d) = day.filter(|d| *d > self.today()) {
            errors.push(
                ValidationError::new(Invalid::DateOrder {
                    earlier: d,
                    later: self.today(),
                })
                .at("recorded_on"),
            );
        }
        let source = &retour_domain::text::field(
            &mut errors,
            "source",
            source,
            true,
            500,
            retour_domain::text::Shape::Line,
        );
        let evidence = &retour_domain::text::field(
            &mut errors,
            "evidence",
            evidence,
            false,
            5000,
            retour_domain::text::Shape::Paragraph,
        );
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
        let kind = kind.expect("checked");
        if kind != Vulnerability::ComplexMedical && !can_read(actor, class_of(kind), &case) {
            return Err(AppError::Forbidden);
        }
        let id = Uuid::now_v7();
        let source = source.trim();
        let row = VulnerabilityRow {
            id,
            case_id,
            person_id,
            kind: kind.as_str().into(),
            recorded_on: day.expect("checked"),
            source: if source.is_empty() {
                String::new()
            } else {
                self.cipher
                    .encrypt(Sealed::VulnerabilitySource, RowKey::id(id), source)
            },
            evidence: self.cipher.encrypt(
                Sealed::VulnerabilityEvidence,
                RowKey::id(id),
                evidence.trim(),
            ),
            recorded_by: actor.id,
            recorded_at: time::OffsetDateTime::now_utc(),
        };
        self.store
            .add_vulnerability(
                &row,
                &Audit::new(Some(actor.id), "vulnerability.record").detail(class_of(kind).as_str()),
            )
            .await?;
        self.review_after_change(actor, case_id).await
    }

    /// Records an itemised medical need (medical advisors only); the label is encrypted.
    pub async fn record_medical_need(
        &self,
        actor: &Actor,
        case_id: Uuid,
        need: &NeedInput,
    ) -> AppResult<()> {
        let NeedInput {
            person_id,
            label,
            frequency,
            amount_eur,
            style,
        } = need;
        let (person_id, label, frequency, amount_eur, style) = (
            *person_id,
            label.as_str(),
            frequency.as_str(),
            amount_eur.as_str(),
            *style,
        );
        let case = self.case(actor, case_id).await?;
        crate::authz::require(actor, Action::RecordMedicalNeeds, Some(&case))?;
        let mut errors = ValidationErrors::default();
        let label = &retour_domain::text::field(
            &mut errors,
            "label",
            label,
            true,
            500,
            retour_domain::text::Shape::Line,
        );
        if !matches!(frequency, "monthly" | "one_off") {
            errors.push(
                ValidationError::new(Invalid::UnknownValue {
                    value: frequency.into(),
                })
                .at("frequency"),
            );
        }
        let cents = typed_cents(amount_eur, style)
            .map_err(|e| errors.push(e.at("amount")))
            .ok();
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
        let id = Uuid::now_v7();
        let row = MedicalNeedRow {
            id,
            case_id,
            person_id,
            label: self
                .cipher
                .encrypt(Sealed::MedicalNeedLabel, RowKey::id(id), label.trim()),
            frequency: frequency.into(),
            amount_cents: cents.expect("checked"),
            recorded_by: actor.id,
            recorded_at: time::OffsetDateTime::now_utc(),
        };
        self.store
            .add_medical_need(
                &row,
                &Audit::new(Some(actor.id), "medical_need.record").detail("medical"),
            )
            .await?;
        self.review_after_change(actor, case_id).await
    }

    /// The snapshot to freeze when this case's plan is approved now.
    pub(crate) async fn snapshot_for_approval(
        &self,
        actor: &Actor,
        case: &Case,
    ) -> AppResult<SnapshotRow> {
        let vulnerabilities = self.store.vulnerabilities(case.id).await?;
        let needs = self.store.medical_needs(case.id).await?;
        let Some((input, quote)) = self.current_quote(case, &vulnerabilities, &needs).await? else {
            return Err(ValidationError::new(Invalid::Other {
                code: "entitlement-incomplete",
                value: case.reference.to_string(),
            })
            .into());
        };
        Ok(SnapshotRow {
            case_id: case.id,
            policy_id: quote.policy_version.id.clone(),
            policy_hash: quote.policy_version.content_hash.clone(),
            input: serde_json::to_string(&input).expect("serialises"),
            quote: serde_json::to_string(&quote).expect("serialises"),
            frozen_at: time::OffsetDateTime::now_utc(),
            frozen_by: actor.id,
        })
    }

    /// Records the departure premium paid in cash (amount, date, who), once per case.
    pub async fn record_premium(
        &self,
        actor: &Actor,
        case_id: Uuid,
        amount_eur: &str,
        paid_on: &str,
        style: NumberStyle,
    ) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        let snapshot = self.store.snapshot(case_id).await?;
        let frozen = frozen_quote(snapshot.as_ref())?;
        require(actor, Action::EditCase, Some(&case))?;
        if !premium_allowed(actor, &case, frozen.is_some()) {
            // Who may is settled: what is missing is the moment (a frozen budget, departure).
            return Err(
                retour_domain::error::other("premium-not-due", case.reference.to_string()).into(),
            );
        }
        let mut errors = ValidationErrors::default();
        let cents = typed_cents(amount_eur, style)
            .map_err(|e| errors.push(e.at("amount")))
            .ok();
        let day = parse_date(paid_on)
            .map_err(|e| errors.push(e.at("paid_on")))
            .ok();
        // Ages count on the day the household leaves, which may not be the day the freeze assumed.
        let on_departure = match &snapshot {
            Some(s) => self.premium_on_departure(actor, &case, s).await?,
            None => None,
        };
        let due = match (on_departure, frozen) {
            (Some(p), _) => p.due,
            (None, Some((q, _))) => q.totals.departure_premium_cash,
            (None, None) => Decimal::ZERO,
        };
        if let Some(c) = cents {
            if Decimal::new(c, 2) > due {
                let due_cents = i64::try_from((due * Decimal::from(100)).trunc()).unwrap_or(0);
                errors.push(
                    retour_domain::error::amount("premium-above-entitlement", due_cents)
                        .at("amount"),
                );
            }
        }
        errors.into_result(())?;
        let p = PremiumPayment {
            case_id,
            amount_cents: cents.expect("checked"),
            paid_on: day.expect("checked"),
            recorded_by: actor.id,
            recorded_at: time::OffsetDateTime::now_utc(),
        };
        self.store
            .record_premium(&p, &Audit::new(Some(actor.id), "premium.record"))
            .await?;
        Ok(())
    }
}

/// The entitlement frozen when the plan was approved, and when; `None` before approval.
fn frozen_quote(
    snapshot: Option<&SnapshotRow>,
) -> AppResult<Option<(Quote, time::OffsetDateTime)>> {
    snapshot
        .map(|s| {
            let q = serde_json::from_str::<Quote>(&s.quote)
                .map_err(|e| AppError::Internal(format!("snapshot: {e}")))?;
            Ok((q, s.frozen_at))
        })
        .transpose()
}

/// The premium is paid in cash at departure, from the frozen entitlement, by whoever may edit the case.
fn premium_allowed(actor: &Actor, case: &Case, frozen: bool) -> bool {
    frozen
        && can(actor, Action::EditCase, Some(case))
        && matches!(
            case.status,
            retour_domain::Status::DepartureBooked | retour_domain::Status::Departed
        )
}
