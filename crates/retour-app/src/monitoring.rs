//! After return: the follow-up schedule, monitoring visits with their Reintegration
//! Sustainability Survey, rescoring when an instrument version is loaded, and the survey export.
//!
//! Surveys keep their raw answers; scores are the domain's, computed with the instrument version
//! named beside them, so loading the official weights rescores every survey and keeps the old
//! scores in its history.

use retour_store::{RowKey, Sealed};
use std::collections::BTreeMap;
use std::sync::Arc;

use retour_domain::error::other;
use retour_domain::instrument::{
    score_decimal, score_text, Answers, Band, Instrument, InstrumentVersion, Score, Scores,
    RSS_2017_SOURCE,
};
use retour_domain::monitoring::{
    schedule, ClosingOutcome, FollowUpState, Outcome, ScheduledFollowUp, VisitInput, VisitMode,
};
use retour_domain::plan::TaskKind;
use retour_domain::{Case, Status, ValidationErrors};
use retour_store::{Audit, FollowUpRow, StoreError, SurveyRow, TaskRow};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::authz::{can, require, Action};
use crate::policies::PolicyRejected;
use crate::{Actor, App, AppError, AppResult};

/// Scores as stored beside a survey: exact fractions, with their bands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredScores {
    pub dimensions: Vec<StoredScore>,
    pub composite: Option<String>,
    pub band: Option<Band>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredScore {
    pub code: String,
    pub score: Option<String>,
    pub band: Option<Band>,
}

impl From<&Scores> for StoredScores {
    fn from(s: &Scores) -> Self {
        StoredScores {
            dimensions: s
                .dimensions
                .iter()
                .map(|d| StoredScore {
                    code: d.code.clone(),
                    score: d.score.map(score_text),
                    band: d.band,
                })
                .collect(),
            composite: s.composite.map(score_text),
            band: s.band,
        }
    }
}

/// A stored fraction as a decimal with `places` decimals (for pages, the chart, the export).
pub fn decimal_of(fraction: &str, places: u32) -> Option<rust_decimal::Decimal> {
    retour_domain::instrument::parse_score(fraction).map(|s: Score| score_decimal(s, places))
}

impl StoredScores {
    pub fn dimension(&self, code: &str) -> Option<&StoredScore> {
        self.dimensions.iter().find(|d| d.code == code)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitView {
    pub id: Uuid,
    pub followup: Option<String>,
    pub visited_on: Date,
    pub mode: VisitMode,
    pub met: String,
    pub observed: String,
    pub services_in_progress: String,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

/// Earlier scores of a survey, replaced when another instrument version rescored it.
#[derive(Debug, Clone, Serialize)]
pub struct EarlierScores {
    pub instrument_hash: String,
    pub scores: StoredScores,
    pub replaced_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveyView {
    pub id: Uuid,
    pub followup_id: Uuid,
    pub followup: Option<String>,
    pub answered_on: Date,
    pub instrument: InstrumentVersion,
    pub answers: BTreeMap<String, String>,
    pub scores: StoredScores,
    pub history: Vec<EarlierScores>,
}

/// The monitoring page of a case.
#[derive(Debug, Clone)]
pub struct MonitoringView {
    pub case: Case,
    pub arrived_on: Option<Date>,
    pub schedule: Vec<ScheduledFollowUp>,
    pub visits: Vec<VisitView>,
    pub surveys: Vec<SurveyView>,
    /// Scheduled follow-ups not yet recorded, which the form offers.
    pub open_followups: Vec<ScheduledFollowUp>,
    /// The instrument each open follow-up is surveyed with (its current version), by id.
    pub instruments: BTreeMap<String, Arc<Instrument>>,
    pub can_record: bool,
    pub outcome: Option<ClosingOutcome>,
}

impl MonitoringView {
    /// The instrument the surveys shown were scored with (the current version of the first).
    pub fn chart_instrument(&self) -> Option<&Arc<Instrument>> {
        self.instruments.values().next()
    }
}

/// What one rescoring run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RescoreReport {
    pub rescored: u64,
    pub unchanged: u64,
    /// Surveys whose answers the new version does not know, with why.
    pub refused: Vec<(Uuid, String)>,
}

/// Statuses in which a case is followed up.
fn followed_up(status: Status) -> bool {
    matches!(
        status,
        Status::Arrived | Status::InReintegration | Status::Monitoring
    )
}

/// The task subject of one scheduled follow-up of a case: stable, so the job raises it once.
pub(crate) fn followup_subject(case_id: Uuid, code: &str) -> Uuid {
    Uuid::new_v5(&case_id, format!("followup:{code}").as_bytes())
}

const PAGE: i64 = 500;

impl App {
    /// Loads the reference instrument shipped with Retour when none of its id is stored.
    pub async fn ensure_reference_instrument(&self) -> AppResult<()> {
        let i = Instrument::parse(RSS_2017_SOURCE)
            .map_err(|e| AppError::Internal(format!("reference instrument: {e:?}")))?;
        if self.store.current_instrument(i.id()).await?.is_none() {
            let audit = Audit::new(None, "instrument.load").detail(format!(
                "{} {}",
                i.id(),
                i.content_hash()
            ));
            match self
                .store
                .insert_instrument(i.id(), i.content_hash(), i.source(), &audit)
                .await
            {
                Ok(_) | Err(StoreError::Duplicate(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Checks an instrument file without storing it.
    pub fn check_instrument(text: &str) -> Result<Instrument, PolicyRejected> {
        Instrument::parse(text).map_err(PolicyRejected)
    }

    /// Stores a new instrument version (operator CLI, or a programme manager); new surveys are
    /// scored with it. Stored surveys are rescored by [`App::rescore_surveys`].
    pub async fn load_instrument(
        &self,
        actor: Option<&Actor>,
        text: &str,
    ) -> Result<InstrumentVersion, Result<PolicyRejected, AppError>> {
        if let Some(a) = actor {
            require(a, Action::LoadInstrument, None).map_err(Err)?;
        }
        let i = Instrument::parse(text).map_err(|p| Ok(PolicyRejected(p)))?;
        let audit = Audit::new(actor.map(|a| a.id), "instrument.load").detail(format!(
            "{} {}",
            i.id(),
            i.content_hash()
        ));
        self.store
            .insert_instrument(i.id(), i.content_hash(), i.source(), &audit)
            .await
            .map_err(|e| Err(e.into()))?;
        Ok(i.version())
    }

    /// Every stored instrument version, oldest first (the operator's `retour instrument list`).
    pub async fn instruments(&self) -> AppResult<Vec<retour_store::StoredInstrument>> {
        Ok(self.store.instruments().await?)
    }

    /// How many surveys an instrument has (for the progress of a rescoring or an export).
    pub async fn survey_count(&self, instrument_id: &str) -> AppResult<u64> {
        Ok(self.store.survey_count(instrument_id).await?)
    }

    /// The current version of an instrument, if one is loaded.
    async fn loaded_instrument(&self, id: &str) -> AppResult<Option<Arc<Instrument>>> {
        match self.store.current_instrument(id).await? {
            Some(stored) => Ok(Some(
                self.parsed_instrument(&stored.content_hash, &stored.source)?,
            )),
            None => Ok(None),
        }
    }

    /// The current (last loaded) version of an instrument, parsed.
    pub async fn instrument(&self, id: &str) -> AppResult<Arc<Instrument>> {
        self.loaded_instrument(id)
            .await?
            .ok_or_else(|| other("instrument-not-loaded", id).into())
    }

    fn parsed_instrument(&self, hash: &str, source: &str) -> AppResult<Arc<Instrument>> {
        if let Some(i) = self.instruments.lock().expect("cache").get(hash) {
            return Ok(i.clone());
        }
        let parsed = Arc::new(Instrument::parse(source).map_err(|e| {
            AppError::Internal(format!("stored instrument no longer parses: {e:?}"))
        })?);
        self.instruments
            .lock()
            .expect("cache")
            .insert(hash.to_string(), parsed.clone());
        Ok(parsed)
    }

    /// Rescores every survey of `instrument_id` not yet scored with its current version,
    /// keeping the old scores in each survey's history. Resumable: a run after a crash picks up
    /// the surveys still on the old version. `progress` is called after each page.
    pub async fn rescore_surveys(
        &self,
        instrument_id: &str,
        mut progress: impl FnMut(u64),
    ) -> AppResult<RescoreReport> {
        let current = self.instrument(instrument_id).await?;
        let mut report = RescoreReport::default();
        let mut after = Uuid::nil();
        loop {
            let page = self.store.surveys_page(instrument_id, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.survey.id;
            for row in &page {
                let s = &row.survey;
                if s.instrument_hash == current.content_hash() {
                    report.unchanged += 1;
                    continue;
                }
                let answers: Answers = serde_json::from_str(&s.answers)
                    .map_err(|e| AppError::Internal(format!("survey {}: {e}", s.id)))?;
                match current.score(&answers) {
                    Ok(scores) => {
                        let text = serde_json::to_string(&StoredScores::from(&scores))
                            .expect("scores serialise");
                        let audit = Audit::new(None, "survey.rescore").detail(format!(
                            "{} -> {}",
                            &s.instrument_hash[..12],
                            &current.content_hash()[..12]
                        ));
                        if self
                            .store
                            .rescore_survey(
                                s.id,
                                &s.instrument_hash,
                                current.content_hash(),
                                &text,
                                OffsetDateTime::now_utc(),
                                &audit,
                            )
                            .await?
                        {
                            report.rescored += 1;
                        } else {
                            report.unchanged += 1;
                        }
                    }
                    Err(e) => report.refused.push((s.id, e.to_string())),
                }
            }
            progress(report.rescored + report.unchanged + report.refused.len() as u64);
        }
        Ok(report)
    }

    /// The follow-up schedule, visits and surveys of a case.
    pub async fn monitoring(&self, actor: &Actor, case_id: Uuid) -> AppResult<MonitoringView> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::ReadCase, Some(&case))?;
        let policy = self.case_policy(&case).await?;
        let rules = policy.monitoring();
        let rows = self.store.followups(case_id).await?;
        let visits = rows
            .into_iter()
            .map(|r| self.visit_view(r))
            .collect::<AppResult<Vec<_>>>()?;
        let recorded: Vec<(String, Date)> = visits
            .iter()
            .filter_map(|v| v.followup.clone().map(|c| (c, v.visited_on)))
            .collect();
        let schedule = match case.arrived_on {
            Some(arrived) => schedule(rules, arrived, &recorded, self.today()),
            None => Vec::new(),
        };
        let history = self.store.score_history(case_id).await?;
        let surveys = self
            .store
            .surveys(case_id)
            .await?
            .into_iter()
            .map(|s| {
                let followup = visits
                    .iter()
                    .find(|v| v.id == s.followup_id)
                    .and_then(|v| v.followup.clone());
                survey_view(s, followup, &history)
            })
            .collect::<AppResult<Vec<_>>>()?;
        let mut instruments = BTreeMap::new();
        for f in &schedule {
            if !instruments.contains_key(&f.instrument) {
                // A policy may name an instrument not loaded yet: the page then offers no survey.
                if let Some(i) = self.loaded_instrument(&f.instrument).await? {
                    instruments.insert(f.instrument.clone(), i);
                }
            }
        }
        let open_followups = schedule
            .iter()
            .filter(|f| f.state != FollowUpState::Done)
            .cloned()
            .collect();
        let outcome = match self.store.case_outcome(case_id).await? {
            Some((o, note)) => Some(ClosingOutcome {
                outcome: o
                    .parse::<Outcome>()
                    .map_err(|_| AppError::Internal("unknown outcome".into()))?,
                note: if note.is_empty() {
                    note
                } else {
                    self.cipher
                        .decrypt(Sealed::ClosureNote, RowKey::id(case_id), &note)?
                },
            }),
            None => None,
        };
        Ok(MonitoringView {
            can_record: can(actor, Action::RecordMonitoring, Some(&case))
                && followed_up(case.status)
                && case.arrived_on.is_some(),
            arrived_on: case.arrived_on,
            case,
            schedule,
            visits,
            surveys,
            open_followups,
            instruments,
            outcome,
        })
    }

    fn visit_view(&self, r: FollowUpRow) -> AppResult<VisitView> {
        Ok(VisitView {
            id: r.id,
            followup: r.followup,
            visited_on: r.visited_on,
            mode: r
                .mode
                .parse()
                .map_err(|_| AppError::Internal("unknown visit mode".into()))?,
            met: r.met,
            observed: self
                .cipher
                .decrypt(Sealed::VisitObserved, RowKey::id(r.id), &r.observed)?,
            services_in_progress: if r.services_in_progress.is_empty() {
                String::new()
            } else {
                self.cipher.decrypt(
                    Sealed::VisitServices,
                    RowKey::id(r.id),
                    &r.services_in_progress,
                )?
            },
            recorded_by: r.recorded_by,
            recorded_at: r.recorded_at,
        })
    }

    /// Records a monitoring visit. A scheduled follow-up comes with its survey (every question
    /// answered, errors at `answers.<indicator>`), scored with the instrument's current version;
    /// a visit outside the schedule has none. Completes the follow-up's task.
    pub async fn record_followup(
        &self,
        actor: &Actor,
        case_id: Uuid,
        input: &VisitInput,
        answers: &BTreeMap<String, String>,
    ) -> AppResult<Uuid> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::RecordMonitoring, Some(&case))?;
        let (true, Some(arrived)) = (followed_up(case.status), case.arrived_on) else {
            return Err(other("not-followed-up", case.reference.to_string()).into());
        };
        let policy = self.case_policy(&case).await?;
        let rules = policy.monitoring();
        let mut errors = ValidationErrors::default();
        let visit = match input.parse(rules, arrived, self.today()) {
            Ok(v) => Some(v),
            Err(e) => {
                errors.0.extend(e.0);
                None
            }
        };
        let code = input.followup.trim();
        let rule = (!code.is_empty())
            .then(|| rules.followups.iter().find(|f| f.code == code))
            .flatten();
        let instrument = match rule {
            Some(r) => Some(
                self.loaded_instrument(&r.instrument)
                    .await?
                    .ok_or_else(|| {
                        AppError::from(
                            other("instrument-not-loaded", r.instrument.clone()).at("followup"),
                        )
                    })?,
            ),
            None => None,
        };
        let checked = match &instrument {
            Some(i) => match i.check_answers(answers) {
                Ok(a) => Some(a),
                Err(e) => {
                    errors.0.extend(e.0);
                    None
                }
            },
            None if answers.values().any(|v| !v.trim().is_empty()) => {
                errors.push(other("survey-without-followup", "").at("followup"));
                None
            }
            None => None,
        };
        errors.into_result(())?;
        let visit = visit.expect("checked");
        let now = OffsetDateTime::now_utc();
        let id = Uuid::now_v7();
        let row = FollowUpRow {
            id,
            case_id,
            followup: visit.followup.clone(),
            visited_on: visit.visited_on,
            mode: visit.mode.as_str().into(),
            met: visit.met,
            observed: self
                .cipher
                .encrypt(Sealed::VisitObserved, RowKey::id(id), &visit.observed),
            services_in_progress: if visit.services_in_progress.is_empty() {
                String::new()
            } else {
                self.cipher.encrypt(
                    Sealed::VisitServices,
                    RowKey::id(id),
                    &visit.services_in_progress,
                )
            },
            recorded_by: actor.id,
            recorded_at: now,
        };
        let survey = match (instrument, checked) {
            (Some(i), Some(a)) => {
                Some(self.survey_row(&i, case_id, row.id, visit.visited_on, &a, actor, now)?)
            }
            _ => None,
        };
        let audit = Audit::new(Some(actor.id), "followup.record").detail(format!(
            "{} {}",
            visit.followup.as_deref().unwrap_or("visit"),
            visit.mode.as_str()
        ));
        self.store
            .record_followup(
                &row,
                survey.as_ref(),
                visit
                    .followup
                    .as_deref()
                    .map(|c| followup_subject(case_id, c)),
                &audit,
            )
            .await?;
        Ok(row.id)
    }

    #[allow(clippy::too_many_arguments)]
    fn survey_row(
        &self,
        i: &Instrument,
        case_id: Uuid,
        followup_id: Uuid,
        answered_on: Date,
        answers: &Answers,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> AppResult<SurveyRow> {
        let scores = i
            .score(answers)
            .map_err(|e| AppError::Internal(format!("checked answers do not score: {e}")))?;
        Ok(SurveyRow {
            id: Uuid::now_v7(),
            case_id,
            followup_id,
            answered_on,
            instrument_id: i.id().into(),
            instrument_hash: i.content_hash().into(),
            answers: serde_json::to_string(answers).expect("answers serialise"),
            scores: serde_json::to_string(&StoredScores::from(&scores)).expect("scores serialise"),
            recorded_by: actor.id,
            recorded_at: now,
            scored_at: now,
        })
    }

    /// Adds the survey of a scheduled follow-up recorded without one.
    pub async fn add_survey(
        &self,
        actor: &Actor,
        case_id: Uuid,
        followup_id: Uuid,
        answers: &BTreeMap<String, String>,
    ) -> AppResult<Uuid> {
        let view = self.monitoring(actor, case_id).await?;
        require(actor, Action::RecordMonitoring, Some(&view.case))?;
        if !view.can_record {
            return Err(other("not-followed-up", view.case.reference.to_string()).into());
        }
        let policy = self.case_policy(&view.case).await?;
        let Some(visit) = view.visits.iter().find(|v| v.id == followup_id) else {
            return Err(AppError::NotFound);
        };
        let Some(rule) = visit
            .followup
            .as_deref()
            .and_then(|c| policy.monitoring().followups.iter().find(|f| f.code == c))
        else {
            return Err(other("survey-without-followup", "")
                .at("followup_id")
                .into());
        };
        let instrument = self.instrument(&rule.instrument).await?;
        let answers = instrument.check_answers(answers)?;
        let row = self.survey_row(
            &instrument,
            case_id,
            followup_id,
            visit.visited_on,
            &answers,
            actor,
            OffsetDateTime::now_utc(),
        )?;
        self.store
            .add_survey(
                &row,
                &Audit::new(Some(actor.id), "survey.record").detail(&rule.code),
            )
            .await?;
        Ok(row.id)
    }

    /// Raises the monitoring tasks as of `today`: each scheduled follow-up once it is due, and a
    /// case that went quiet (nothing recorded for the policy's months since the last follow-up
    /// or the arrival). Returns how many were new.
    pub(crate) async fn raise_monitoring_tasks(&self, today: Date) -> AppResult<u64> {
        let policy = self.policy_on(today).await?;
        let rules = policy.monitoring();
        let now = OffsetDateTime::now_utc();
        let mut new_tasks = 0;
        let mut after = Uuid::nil();
        loop {
            let page = self.store.monitored_cases(after, PAGE).await?;
            let Some((last, _)) = page.last() else { break };
            after = last.case_id;
            let mut tasks = Vec::new();
            for (c, visits) in &page {
                let recorded: Vec<(String, Date)> = visits
                    .iter()
                    .filter_map(|(f, d)| f.clone().map(|f| (f, *d)))
                    .collect();
                for f in schedule(rules, c.arrived_on, &recorded, today) {
                    if matches!(f.state, FollowUpState::Due | FollowUpState::Overdue) {
                        tasks.push(task(
                            c.case_id,
                            TaskKind::FollowUpDue,
                            followup_subject(c.case_id, &f.code),
                            f.due_on,
                            now,
                        ));
                    }
                }
                let last_seen = visits.iter().map(|(_, d)| *d).max().unwrap_or(c.arrived_on);
                if let Some(months) = rules.quiet_months {
                    if c.status != Status::Arrived.as_str()
                        && retour_domain::monitoring::gone_quiet(last_seen, today, months)
                    {
                        // One task per quiet spell: a later spell (after a visit) is a new one.
                        tasks.push(task(
                            c.case_id,
                            TaskKind::CaseQuiet,
                            Uuid::new_v5(&c.case_id, format!("quiet:{last_seen}").as_bytes()),
                            retour_domain::plan::add_months(last_seen, months),
                            now,
                        ));
                    }
                }
            }
            new_tasks += self.store.raise_tasks(&tasks).await?;
        }
        Ok(new_tasks)
    }

    /// Every survey of an instrument as CSV: one row per survey with a pseudonymous case key
    /// (never a name or a reference), the answers and the scores as decimals. Streams page by
    /// page into `out`; returns how many rows were written.
    pub async fn export_surveys_csv(
        &self,
        instrument_id: &str,
        out: &mut impl std::io::Write,
        mut progress: impl FnMut(u64),
    ) -> AppResult<u64> {
        let instrument = self.instrument(instrument_id).await?;
        let mut header: Vec<String> = [
            "case_key",
            "country",
            "followup",
            "answered_on",
            "instrument",
            "instrument_version",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        header.extend(instrument.indicators().iter().map(|i| i.code.clone()));
        header.extend(instrument.dimensions().iter().map(|d| d.code.clone()));
        header.extend(["composite".to_string(), "band".to_string()]);
        let io = |e: std::io::Error| AppError::Internal(format!("export: {e}"));
        writeln!(out, "{}", header.join(",")).map_err(io)?;
        let mut n = 0;
        let mut after = Uuid::nil();
        loop {
            let page = self.store.surveys_page(instrument_id, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.survey.id;
            for row in &page {
                let s = &row.survey;
                let answers: BTreeMap<String, String> = serde_json::from_str(&s.answers)
                    .map_err(|e| AppError::Internal(format!("survey {}: {e}", s.id)))?;
                let scores: StoredScores = serde_json::from_str(&s.scores)
                    .map_err(|e| AppError::Internal(format!("survey {}: {e}", s.id)))?;
                let dec = |f: Option<&String>| {
                    f.and_then(|f| decimal_of(f, 4))
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                };
                let mut cells = vec![
                    self.case_key(s.case_id),
                    row.destination_country.clone(),
                    row.followup.clone().unwrap_or_default(),
                    retour_domain::dates::format_date(s.answered_on),
                    s.instrument_id.clone(),
                    s.instrument_hash[..12].to_string(),
                ];
                cells.extend(
                    instrument
                        .indicators()
                        .iter()
                        .map(|i| answers.get(&i.code).cloned().unwrap_or_default()),
                );
                cells.extend(
                    instrument
                        .dimensions()
                        .iter()
                        .map(|d| dec(scores.dimension(&d.code).and_then(|x| x.score.as_ref()))),
                );
                cells.push(dec(scores.composite.as_ref()));
                cells.push(
                    scores
                        .band
                        .map(|b| b.as_str().to_string())
                        .unwrap_or_default(),
                );
                // Codes, ISO dates and decimals never hold a comma or a quote.
                writeln!(out, "{}", cells.join(",")).map_err(io)?;
                n += 1;
            }
            progress(n);
        }
        Ok(n)
    }

    /// A key that is the same for every survey of a case and reveals nothing about it: a keyed
    /// hash of the case id under the field key.
    fn case_key(&self, case_id: Uuid) -> String {
        self.cipher.keyed_hash(case_id.as_bytes())[..16].to_string()
    }
}

fn task(
    case_id: Uuid,
    kind: TaskKind,
    subject_id: Uuid,
    due_on: Date,
    now: OffsetDateTime,
) -> TaskRow {
    TaskRow {
        id: Uuid::now_v7(),
        case_id,
        kind: kind.as_str().into(),
        subject_id,
        due_on,
        created_at: now,
        done_at: None,
        done_by: None,
    }
}

fn survey_view(
    s: SurveyRow,
    followup: Option<String>,
    history: &[retour_store::ScoreHistoryRow],
) -> AppResult<SurveyView> {
    let id = s.id;
    let bad = move |e: serde_json::Error| AppError::Internal(format!("survey {id}: {e}"));
    Ok(SurveyView {
        id: s.id,
        followup_id: s.followup_id,
        followup,
        answered_on: s.answered_on,
        answers: serde_json::from_str(&s.answers).map_err(bad)?,
        scores: serde_json::from_str(&s.scores).map_err(bad)?,
        history: history
            .iter()
            .filter(|h| h.survey_id == s.id)
            .map(|h| {
                Ok(EarlierScores {
                    instrument_hash: h.instrument_hash.clone(),
                    scores: serde_json::from_str(&h.scores).map_err(bad)?,
                    replaced_at: h.replaced_at,
                })
            })
            .collect::<AppResult<Vec<_>>>()?,
        instrument: InstrumentVersion {
            id: s.instrument_id,
            content_hash: s.instrument_hash,
        },
    })
}
