//! Retention and pseudonymisation: the details of an ended case are erased by category, on the
//! schedule of the policy in force (`[retention]`, see `docs/policy.md`): free-text notes and
//! special-category details deleted, names and documents pseudonymised, proofs of payment
//! deleted. What stays: the case's facts and amounts, the members' relationships, sex,
//! nationalities and birth year, and for each pseudonymised person a keyed hash of their folded
//! names and birth year, so that the prior-support rule still recognises them when they apply
//! again. The job runs with the server every hour and as `retour retention run [--dry-run]`;
//! each erasure is one write with its audit record, and a second run finds nothing left to do.

use retour_domain::policy::RetentionRules;
use retour_domain::quote::years_before;
use retour_store::{Audit, Erasure, Pseudonym};
use time::Date;
use uuid::Uuid;

use crate::{App, AppError, AppResult};

/// Cases read per statement by the job.
const BATCH: i64 = 500;

/// What a run did (or, dry, would do): cases per category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub notes: u64,
    pub identities: u64,
    pub proofs: u64,
}

impl App {
    /// The keyed hash that stands for a person after pseudonymisation: their names folded (any
    /// letter case, accents, script, word order) and their birth year, under the pseudonym key.
    pub fn person_key(&self, family_name: &str, given_names: &str, birth_year: i32) -> String {
        let mut words: Vec<String> = retour_domain::names::fold(family_name)
            .split_whitespace()
            .chain(retour_domain::names::fold(given_names).split_whitespace())
            .map(str::to_string)
            .collect();
        words.sort();
        self.cipher
            .keyed_hash(format!("person v1|{}|{birth_year}", words.join(" ")).as_bytes())
    }

    /// Runs the retention rules of the policy in force on `today` (the operator's command line
    /// or the server's job); `dry_run` counts without erasing.
    pub async fn run_retention(
        &self,
        today: Date,
        dry_run: bool,
        progress: impl FnMut(Erasure, u64),
    ) -> AppResult<RetentionReport> {
        let rules = match self.policy_on(today).await {
            Ok(p) => p.retention(),
            // No policy in force: nothing says what is due.
            Err(AppError::Invalid(_) | AppError::NotFound) => return Ok(Default::default()),
            Err(e) => return Err(e),
        };
        self.apply_retention(rules, today, dry_run, progress).await
    }

    /// [`App::run_retention`] with the rules given.
    pub async fn apply_retention(
        &self,
        rules: RetentionRules,
        today: Date,
        dry_run: bool,
        mut progress: impl FnMut(Erasure, u64),
    ) -> AppResult<RetentionReport> {
        let mut report = RetentionReport::default();
        for what in Erasure::ALL {
            let years = match what {
                Erasure::Notes => rules.notes_years,
                Erasure::Identity => rules.identity_years,
                Erasure::Proofs => rules.proofs_years,
            };
            let Some(years) = years else { continue };
            let cutoff = years_before(today, years);
            let mut after = Uuid::nil();
            let mut done = 0;
            loop {
                let due = self
                    .store
                    .due_for_erasure(what, cutoff, after, BATCH)
                    .await?;
                let Some(last) = due.last() else { break };
                after = *last;
                for case_id in due {
                    if dry_run || self.erase(what, case_id, today).await? {
                        done += 1;
                    }
                }
                progress(what, done);
            }
            match what {
                Erasure::Notes => report.notes = done,
                Erasure::Identity => report.identities = done,
                Erasure::Proofs => report.proofs = done,
            }
        }
        Ok(report)
    }

    /// Erases one category of one case; `false` when another run was first.
    async fn erase(&self, what: Erasure, case_id: Uuid, today: Date) -> AppResult<bool> {
        let audit = Audit::new(
            None,
            match what {
                Erasure::Notes => "retention.notes",
                Erasure::Identity => "retention.identity",
                Erasure::Proofs => "retention.proofs",
            },
        );
        Ok(match what {
            Erasure::Notes => self.store.erase_notes(case_id, today, &audit).await?,
            Erasure::Identity => {
                let support_on = self.store.last_support(case_id).await?;
                let persons = self.store.persons_for_erasure(case_id).await?;
                let pseudonyms: Vec<Pseudonym> = persons
                    .iter()
                    .map(|p| {
                        let year = p.birth_date.year();
                        Pseudonym {
                            person_id: p.id,
                            key_hash: self.person_key(&p.family_name, &p.given_names, year),
                            birth_year_start: Date::from_calendar_date(
                                year,
                                time::Month::January,
                                1,
                            )
                            .unwrap_or(p.birth_date),
                            support_on,
                        }
                    })
                    .collect();
                let audit = audit.detail(format!("{} persons", pseudonyms.len()));
                self.store
                    .pseudonymise(case_id, today, &pseudonyms, &audit)
                    .await?
            }
            Erasure::Proofs => {
                let documents = self.store.proofs_to_erase(case_id).await?;
                // The files go first: a row marked erased never points at a file still there.
                if let Some(files) = &self.files {
                    for id in &documents {
                        files.discard(case_id, *id);
                    }
                }
                let audit = audit.detail(format!("{} proofs", documents.len()));
                self.store.erase_proofs(case_id, today, &audit).await?
            }
        })
    }
}
