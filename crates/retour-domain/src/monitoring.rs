//! After return: the follow-up schedule from policy, monitoring visits, and the outcome a case
//! is closed with.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{Invalid, ValidationError, ValidationErrors};
use crate::plan::add_months;
use crate::policy::MonitoringRules;
use crate::text::Shape;

/// How the partner met the returnee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitMode {
    HomeVisit,
    Office,
    Phone,
    Video,
}
crate::string_enum!(VisitMode {
    HomeVisit = "home_visit",
    Office = "office",
    Phone = "phone",
    Video = "video",
});

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Completed,
    DroppedOut,
    ReMigrated,
    Unreachable,
    Deceased,
    /// Needs a text saying what.
    Other,
}
crate::string_enum!(Outcome {
    Completed = "completed",
    DroppedOut = "dropped_out",
    ReMigrated = "re_migrated",
    Unreachable = "unreachable",
    Deceased = "deceased",
    Other = "other",
});

/// A closing outcome as recorded: `other` always comes with its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingOutcome {
    pub outcome: Outcome,
    pub note: String,
}

impl ClosingOutcome {
    /// Reads the outcome fields of the closing form; errors at `outcome` and `outcome_note`.
    pub fn parse(outcome: &str, note: &str) -> Result<ClosingOutcome, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let note = crate::text::field(
            &mut errors,
            "outcome_note",
            note,
            false,
            2000,
            Shape::Paragraph,
        );
        let outcome = match outcome.trim() {
            "" => {
                errors.push(ValidationError::new(Invalid::Required).at("outcome"));
                None
            }
            s => match s.parse::<Outcome>() {
                Ok(o) => Some(o),
                Err(e) => {
                    errors.push(e.at("outcome"));
                    None
                }
            },
        };
        if outcome == Some(Outcome::Other) && note.is_empty() {
            errors.push(ValidationError::new(Invalid::Required).at("outcome_note"));
        }
        errors.into_result(())?;
        Ok(ClosingOutcome {
            outcome: outcome.expect("checked"),
            note,
        })
    }
}

/// What a monitoring visit records, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct VisitInput {
    /// The scheduled follow-up this visit is (`baseline`, `month_6`…), or empty for a visit
    /// outside the schedule.
    #[serde(default)]
    pub followup: String,
    pub visited_on: String,
    pub mode: String,
    #[serde(default)]
    pub met: String,
    #[serde(default)]
    pub observed: String,
    #[serde(default)]
    pub services_in_progress: String,
}

/// A checked monitoring visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub followup: Option<String>,
    pub visited_on: Date,
    pub mode: VisitMode,
    pub met: String,
    pub observed: String,
    pub services_in_progress: String,
}

impl VisitInput {
    /// Checks a visit of a case that arrived on `arrived_on`: a follow-up of the schedule (or
    /// none), a day between the arrival and today, a mode, and what was observed.
    pub fn parse(
        &self,
        rules: &MonitoringRules,
        arrived_on: Date,
        today: Date,
    ) -> Result<Visit, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let followup = match self.followup.trim() {
            "" => None,
            code if rules.followups.iter().any(|f| f.code == code) => Some(code.to_string()),
            code => {
                errors.push(
                    ValidationError::new(Invalid::UnknownValue {
                        value: code.to_string(),
                    })
                    .at("followup"),
                );
                None
            }
        };
        let visited_on = match self.visited_on.trim() {
            "" => {
                errors.push(ValidationError::new(Invalid::Required).at("visited_on"));
                None
            }
            s => match crate::parse_date(s) {
                Ok(d) if d > today => {
                    errors.push(crate::error::day("date-in-future", d).at("visited_on"));
                    None
                }
                Ok(d) if d < arrived_on => {
                    errors.push(
                        ValidationError::new(Invalid::DateOrder {
                            earlier: arrived_on,
                            later: d,
                        })
                        .at("visited_on"),
                    );
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push(e.at("visited_on"));
                    None
                }
            },
        };
        let mode = match self.mode.trim() {
            "" => {
                errors.push(ValidationError::new(Invalid::Required).at("mode"));
                None
            }
            s => match s.parse::<VisitMode>() {
                Ok(m) => Some(m),
                Err(e) => {
                    errors.push(e.at("mode"));
                    None
                }
            },
        };
        let met = crate::text::field(&mut errors, "met", &self.met, false, 500, Shape::Line);
        let observed = crate::text::field(
            &mut errors,
            "observed",
            &self.observed,
            true,
            5000,
            Shape::Paragraph,
        );
        let services_in_progress = crate::text::field(
            &mut errors,
            "services_in_progress",
            &self.services_in_progress,
            false,
            2000,
            Shape::Paragraph,
        );
        errors.into_result(())?;
        Ok(Visit {
            followup,
            visited_on: visited_on.expect("checked"),
            mode: mode.expect("checked"),
            met,
            observed,
            services_in_progress,
        })
    }
}

/// Where a scheduled follow-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpState {
    /// Recorded on that day.
    Done,
    /// Not yet due.
    Upcoming,
    /// Due within the month before its date, or today.
    Due,
    /// Its date has passed without a visit.
    Overdue,
}
crate::string_enum!(FollowUpState {
    Done = "done",
    Upcoming = "upcoming",
    Due = "due",
    Overdue = "overdue",
});

/// One follow-up of a case's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduledFollowUp {
    pub code: String,
    pub instrument: String,
    pub due_on: Date,
    pub state: FollowUpState,
    pub done_on: Option<Date>,
}

/// A follow-up counts as due from this many days before its date.
pub const DUE_WINDOW_DAYS: i64 = 30;

/// The schedule of a case that arrived on `arrived_on`, given the follow-ups already recorded
/// (code → day) and today.
pub fn schedule(
    rules: &MonitoringRules,
    arrived_on: Date,
    recorded: &[(String, Date)],
    today: Date,
) -> Vec<ScheduledFollowUp> {
    rules
        .followups
        .iter()
        .map(|f| {
            let due_on = add_months(arrived_on, f.due_months);
            let done_on = recorded
                .iter()
                .filter(|(c, _)| *c == f.code)
                .map(|(_, d)| *d)
                .min();
            let state = if done_on.is_some() {
                FollowUpState::Done
            } else if today > due_on {
                FollowUpState::Overdue
            } else if today >= due_on - time::Duration::days(DUE_WINDOW_DAYS) {
                FollowUpState::Due
            } else {
                FollowUpState::Upcoming
            };
            ScheduledFollowUp {
                code: f.code.clone(),
                instrument: f.instrument.clone(),
                due_on,
                state,
                done_on,
            }
        })
        .collect()
}

/// Whether a case whose last sign of life (the last follow-up, or the arrival) was on `last`
/// has gone quiet by `today`.
pub fn gone_quiet(last: Date, today: Date, quiet_months: u32) -> bool {
    today > add_months(last, quiet_months)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::FollowUpRule;
    use time::macros::date;

    fn rules() -> MonitoringRules {
        let f = |code: &str, m| FollowUpRule {
            code: code.into(),
            due_months: m,
            instrument: "RSS-2017".into(),
        };
        MonitoringRules {
            followups: vec![f("baseline", 1), f("month_6", 6), f("month_12", 12)],
            quiet_months: Some(4),
        }
    }

    #[test]
    fn the_schedule_runs_from_the_arrival() {
        let s = schedule(
            &rules(),
            date!(2026 - 01 - 31),
            &[("baseline".into(), date!(2026 - 02 - 20))],
            date!(2026 - 07 - 01),
        );
        let due: Vec<_> = s
            .iter()
            .map(|f| (f.code.as_str(), f.due_on, f.state))
            .collect();
        assert_eq!(
            due,
            [
                ("baseline", date!(2026 - 02 - 28), FollowUpState::Done),
                ("month_6", date!(2026 - 07 - 31), FollowUpState::Due),
                ("month_12", date!(2027 - 01 - 31), FollowUpState::Upcoming),
            ]
        );
        let later = schedule(&rules(), date!(2026 - 01 - 31), &[], date!(2026 - 03 - 01));
        assert_eq!(later[0].state, FollowUpState::Overdue);
    }

    #[test]
    fn quiet_counts_whole_months() {
        assert!(!gone_quiet(date!(2026 - 01 - 15), date!(2026 - 05 - 15), 4));
        assert!(gone_quiet(date!(2026 - 01 - 15), date!(2026 - 05 - 16), 4));
    }

    #[test]
    fn a_visit_needs_a_day_after_arrival_a_mode_and_an_observation() {
        let input = VisitInput {
            followup: "month_3".into(),
            visited_on: "2026-01-01".into(),
            mode: "fax".into(),
            ..Default::default()
        };
        let e = input
            .parse(&rules(), date!(2026 - 01 - 10), date!(2026 - 06 - 01))
            .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|e| e.field.clone().unwrap()).collect();
        assert_eq!(fields, ["followup", "visited_on", "mode", "observed"]);
        let ok = VisitInput {
            followup: "baseline".into(),
            visited_on: "2026-02-01".into(),
            mode: "home_visit".into(),
            observed: "Shop open".into(),
            ..Default::default()
        }
        .parse(&rules(), date!(2026 - 01 - 10), date!(2026 - 06 - 01))
        .unwrap();
        assert_eq!(ok.followup.as_deref(), Some("baseline"));
        assert_eq!(ok.mode, VisitMode::HomeVisit);
        let future = VisitInput {
            visited_on: "2026-06-02".into(),
            mode: "phone".into(),
            observed: "x".into(),
            ..Default::default()
        }
        .parse(&rules(), date!(2026 - 01 - 10), date!(2026 - 06 - 01));
        assert!(future.is_err());
    }

    #[test]
    fn closing_needs_an_outcome_and_other_needs_its_text() {
        assert!(ClosingOutcome::parse("", "").is_err());
        assert!(ClosingOutcome::parse("other", " ").is_err());
        assert!(ClosingOutcome::parse("lost", "").is_err());
        let o = ClosingOutcome::parse("re_migrated", "").unwrap();
        assert_eq!(o.outcome, Outcome::ReMigrated);
        assert_eq!(
            ClosingOutcome::parse("other", "Moved in with family abroad")
                .unwrap()
                .note,
            "Moved in with family abroad"
        );
    }
}
