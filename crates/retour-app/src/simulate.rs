//! Policy simulation: every stored case recomputed under a draft policy, compared with the
//! policy in force on its application date, aggregated per country of return and per
//! vulnerability group. Streams the cases in pages by key; nothing is written.

use retour_domain::policy::Policy;
use retour_domain::quote::{evaluate, Quote, Vulnerability};
use retour_store::CaseFacts;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

use crate::entitlements::quote_input;
use crate::{App, AppError, AppResult};

/// Cases read per page.
pub const PAGE: i64 = 2_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub households: u64,
    pub before: Decimal,
    pub after: Decimal,
}

impl Row {
    pub fn difference(&self) -> Decimal {
        self.after - self.before
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    /// Per country of return.
    pub by_country: BTreeMap<String, Row>,
    /// Per vulnerability group; a household counts in every group it belongs to.
    pub by_group: BTreeMap<String, Row>,
    pub total: Row,
    /// Cases without the dates an entitlement needs, or whose household no longer validates.
    pub skipped: u64,
}

/// Everything a household receives: cash, in kind and the partner fee.
fn amount(q: &Quote) -> Decimal {
    let t = &q.totals;
    t.departure_premium_cash
        + t.reintegration_in_kind
        + t.vulnerability_in_kind
        + t.medical_in_kind
        + t.partner_fee
}

fn groups(case: &CaseFacts, kinds: &[Vulnerability]) -> Vec<&'static str> {
    let mut g = Vec::new();
    let family = case.planned_departure_date.is_some_and(|d| {
        case.members
            .iter()
            .any(|m| retour_domain::age_on(m.birth_date, d) < 18)
    });
    if family {
        g.push("family_with_children");
    }
    for (v, name) in [
        (Vulnerability::ComplexMedical, "complex_medical"),
        (Vulnerability::TraffickingVictim, "trafficking_victim"),
        (Vulnerability::UnaccompaniedMinor, "unaccompanied_minor"),
    ] {
        if kinds.contains(&v) {
            g.push(name);
        }
    }
    if g.is_empty() {
        g.push("none");
    }
    g
}

/// The stored policy versions, newest effective date (then newest load) first, parsed once.
async fn stored_policies(app: &App) -> AppResult<Vec<Policy>> {
    let mut out = Vec::new();
    for p in app.store.policies().await?.into_iter().rev() {
        out.push(
            Policy::parse(&p.source)
                .map_err(|e| AppError::Internal(format!("stored policy {}: {e:?}", p.id)))?,
        );
    }
    Ok(out)
}

impl App {
    /// Recomputes every case under `draft`; `progress` is told how many cases are done.
    pub async fn simulate(
        &self,
        draft: &Policy,
        mut progress: impl FnMut(u64),
    ) -> AppResult<Report> {
        let policies = stored_policies(self).await?;
        let today = self.today();
        let mut report = Report::default();
        let mut after: Option<Uuid> = None;
        let mut done = 0u64;
        while let Some(FactsPage {
            cases,
            vulns,
            needs,
        }) = self.facts_page(&mut after).await?
        {
            for case in &cases {
                done += 1;
                let v: Vec<_> = vulns
                    .iter()
                    .filter(|x| x.case_id == case.id)
                    .cloned()
                    .collect();
                let n: Vec<_> = needs
                    .iter()
                    .filter(|x| x.case_id == case.id)
                    .cloned()
                    .collect();
                let Some(input) = quote_input(case, &v, &n) else {
                    report.skipped += 1;
                    continue;
                };
                let Ok(household) = input.validate(today) else {
                    report.skipped += 1;
                    continue;
                };
                let Some(current) = policies
                    .iter()
                    .find(|p| p.effective_from() <= household.application_date())
                else {
                    report.skipped += 1;
                    continue;
                };
                let before = amount(&evaluate(current, &household));
                let after_amount = amount(&evaluate(draft, &household));
                let kinds: Vec<Vulnerability> =
                    v.iter().filter_map(|x| x.kind.parse().ok()).collect();
                let add = |row: &mut Row| {
                    row.households += 1;
                    row.before += before;
                    row.after += after_amount;
                };
                add(report
                    .by_country
                    .entry(case.destination_country.clone())
                    .or_default());
                for g in groups(case, &kinds) {
                    add(report.by_group.entry(g.to_string()).or_default());
                }
                add(&mut report.total);
            }
            progress(done);
        }
        Ok(report)
    }

    /// How many cases a simulation will go through (for its progress bar).
    pub async fn case_count(&self) -> AppResult<u64> {
        Ok(self.store.count_cases().await? as u64)
    }

    /// The same pages read without evaluating anything: the baseline of the simulation benchmark.
    pub async fn read_all_cases(&self, mut progress: impl FnMut(u64)) -> AppResult<u64> {
        let mut after: Option<Uuid> = None;
        let mut done = 0u64;
        while let Some(page) = self.facts_page(&mut after).await? {
            done += page.cases.len() as u64;
            progress(done);
        }
        Ok(done)
    }

    /// The next page of cases after `after` with their vulnerabilities and medical needs
    /// (three statements), moving `after` on; `None` past the last case.
    async fn facts_page(&self, after: &mut Option<Uuid>) -> AppResult<Option<FactsPage>> {
        let cases = self.store.case_facts_after(*after, PAGE).await?;
        let (Some(first), Some(last)) = (cases.first(), cases.last()) else {
            return Ok(None);
        };
        let (vulns, needs) = self
            .store
            .entitlement_inputs_in_range(first.id, last.id)
            .await?;
        *after = Some(last.id);
        Ok(Some(FactsPage {
            cases,
            vulns,
            needs,
        }))
    }
}

struct FactsPage {
    cases: Vec<CaseFacts>,
    vulns: Vec<retour_store::VulnerabilityRow>,
    needs: Vec<retour_store::MedicalNeedRow>,
}
