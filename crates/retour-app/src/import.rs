//! Bulk import of households from another tool (JSON Lines, one household per line in the shape
//! of `POST /api/v1/cases`, with its `office`), on behalf of a staff account. Every line is read
//! and validated before anything is stored; each household is then registered as that account
//! would register it through the page, possible duplicates and prior beneficiaries included.

use retour_domain::{HouseholdInput, ValidationErrors};
use uuid::Uuid;

use crate::links::HouseholdMatch;
use crate::{Actor, App, AppError, AppResult};

/// One line of the file: its number (from 1) and what it holds.
pub struct ImportLine {
    pub line: usize,
    pub input: Result<HouseholdInput, String>,
}

/// What is wrong with one line.
pub struct LineProblem {
    pub line: usize,
    /// A field path (`members[0].birth_date`), or empty for the line as a whole.
    pub errors: Result<ValidationErrors, String>,
}

/// What an import did (or, dry, would do).
#[derive(Default)]
pub struct ImportOutcome {
    pub stored: usize,
    pub skipped: usize,
    /// Per line, the persons Retour already holds who may be members of that household.
    pub matches: Vec<(usize, Vec<HouseholdMatch>)>,
}

impl App {
    /// The staff account an import acts as (its rights and office apply).
    pub async fn actor_by_email(&self, email: &str) -> AppResult<Actor> {
        let user = self.store.user_by_email(email).await?;
        if !user.active {
            return Err(AppError::Forbidden);
        }
        Actor::from_user(&user)
    }

    /// Validates every line as registering it would (nothing is stored).
    pub async fn check_import(
        &self,
        actor: &Actor,
        lines: &[ImportLine],
    ) -> AppResult<Vec<LineProblem>> {
        let today = self.today();
        let offices = self.offices().await?;
        Ok(lines
            .iter()
            .filter_map(|l| {
                let errors = match &l.input {
                    Err(msg) => Err(msg.clone()),
                    Ok(input) => match crate::cases::with_own_office(actor, input)
                        .parse(today, Uuid::now_v7)
                    {
                        Ok(h) if offices.contains(&h.office) => return None,
                        Ok(h) => Ok(retour_domain::ValidationError::new(
                            retour_domain::Invalid::UnknownValue { value: h.office },
                        )
                        .at("office")
                        .into()),
                        Err(e) => Ok(e),
                    },
                };
                Some(LineProblem {
                    line: l.line,
                    errors,
                })
            })
            .collect())
    }

    /// Registers the valid lines (all of them must be valid unless `skip_invalid`), or with
    /// `dry_run` only reports their possible duplicates and prior beneficiaries.
    pub async fn import_households(
        &self,
        actor: &Actor,
        lines: Vec<ImportLine>,
        dry_run: bool,
        mut progress: impl FnMut(u64),
    ) -> AppResult<ImportOutcome> {
        let mut outcome = ImportOutcome::default();
        let bad: std::collections::HashSet<usize> = self
            .check_import(actor, &lines)
            .await?
            .into_iter()
            .map(|p| p.line)
            .collect();
        for l in lines {
            progress(1);
            let Ok(input) = l.input else {
                outcome.skipped += 1;
                continue;
            };
            if bad.contains(&l.line) {
                outcome.skipped += 1;
                continue;
            }
            let matches = if dry_run {
                self.registration_matches(actor, &input).await?
            } else {
                outcome.stored += 1;
                match self.register(actor, &input, false).await? {
                    crate::cases::Registration::Registered { matches, .. } => matches,
                    crate::cases::Registration::PossibleMatches(m) => m,
                }
            };
            if !matches.is_empty() {
                outcome.matches.push((l.line, matches));
            }
        }
        Ok(outcome)
    }
}
