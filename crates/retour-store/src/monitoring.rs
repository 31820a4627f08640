//! After return: survey instruments as loaded, monitoring visits, surveys (raw answers and the
//! scores of the instrument version they were last scored with) and their score history.
//!
//! A scheduled follow-up is recorded once per case (a unique index); recording it completes the
//! case's open task for it and any "gone quiet" task in the same transaction.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::db::on_db;
use crate::{Audit, Store, StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct StoredInstrument {
    pub id: String,
    pub content_hash: String,
    pub source: String,
    pub loaded_at: OffsetDateTime,
}

/// A monitoring visit. `observed` and `services_in_progress` are stored as the caller gives
/// them (encrypted by the app).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct FollowUpRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub followup: Option<String>,
    pub visited_on: Date,
    pub mode: String,
    pub met: String,
    pub observed: String,
    pub services_in_progress: String,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct SurveyRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub followup_id: Uuid,
    pub answered_on: Date,
    pub instrument_id: String,
    pub instrument_hash: String,
    /// JSON object: indicator code → option code.
    pub answers: String,
    /// JSON: dimension scores and the composite as exact fractions.
    pub scores: String,
    pub recorded_by: Uuid,
    pub recorded_at: OffsetDateTime,
    pub scored_at: OffsetDateTime,
}

/// Scores a survey had before a rescoring replaced them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ScoreHistoryRow {
    pub survey_id: Uuid,
    pub instrument_hash: String,
    pub scores: String,
    pub scored_at: OffsetDateTime,
    pub replaced_at: OffsetDateTime,
}

/// A survey with what the export needs of its case (no names).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportSurveyRow {
    #[sqlx(flatten)]
    pub survey: SurveyRow,
    pub destination_country: String,
    pub followup: Option<String>,
}

/// A case being followed up, for the job: its arrival and status.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MonitoredCase {
    pub case_id: Uuid,
    pub arrived_on: Date,
    pub status: String,
}

const VISIT_COLS: &str = "id, case_id, followup, visited_on, mode, met, observed, services_in_progress, recorded_by, recorded_at";
const SURVEY_COLS: &str = "id, case_id, followup_id, answered_on, instrument_id, instrument_hash, answers, scores, recorded_by, recorded_at, scored_at";
/// Cases whose follow-ups are watched.
const WATCHED: &str = "('arrived', 'in_reintegration', 'monitoring')";

macro_rules! insert_survey {
    ($tx:expr, $s:expr) => {
        sqlx::query(&format!(
            "INSERT INTO surveys ({SURVEY_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind($s.id)
        .bind($s.case_id)
        .bind($s.followup_id)
        .bind($s.answered_on)
        .bind(&$s.instrument_id)
        .bind(&$s.instrument_hash)
        .bind(&$s.answers)
        .bind(&$s.scores)
        .bind($s.recorded_by)
        .bind($s.recorded_at)
        .bind($s.scored_at)
        .execute(&mut *$tx)
        .await
        .map_err(|e| StoreError::unique(e, "survey"))
    };
}

impl Store {
    /// Stores an instrument version; the same content twice is `Duplicate("instrument")`.
    pub async fn insert_instrument(
        &self,
        id: &str,
        content_hash: &str,
        source: &str,
        audit: &Audit,
    ) -> StoreResult<StoredInstrument> {
        let rec = StoredInstrument {
            id: id.into(),
            content_hash: content_hash.into(),
            source: source.into(),
            loaded_at: crate::cases::now(),
        };
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query("INSERT INTO instruments (id, content_hash, source, loaded_at) VALUES ($1, $2, $3, $4)")
                .bind(&rec.id).bind(&rec.content_hash).bind(&rec.source).bind(rec.loaded_at)
                .execute(&mut *tx).await.map_err(|e| StoreError::unique(e, "instrument"))?;
            insert_audit!(self, &mut *tx, audit, None::<Uuid>, rec.loaded_at)?;
            tx.commit().await?;
        });
        Ok(rec)
    }

    /// The version of an instrument loaded last: the one new surveys are scored with.
    pub async fn current_instrument(&self, id: &str) -> StoreResult<Option<StoredInstrument>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, content_hash, source, loaded_at FROM instruments WHERE id = $1 ORDER BY loaded_at DESC LIMIT 1")
            .bind(id).fetch_optional(pool).await?))
    }

    /// Every loaded version of every instrument, oldest first.
    pub async fn instruments(&self) -> StoreResult<Vec<StoredInstrument>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT id, content_hash, source, loaded_at FROM instruments ORDER BY loaded_at, id")
            .fetch_all(pool).await?))
    }

    /// Records a visit and its survey. A scheduled follow-up already recorded for the case is
    /// `Duplicate("follow-up")`. Completes the case's open task for this follow-up
    /// (`due_task`) and any open "gone quiet" task.
    pub async fn record_followup(
        &self,
        visit: &FollowUpRow,
        survey: Option<&SurveyRow>,
        due_task: Option<Uuid>,
        audit: &Audit,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query(&format!("INSERT INTO followups ({VISIT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
                .bind(visit.id).bind(visit.case_id).bind(&visit.followup).bind(visit.visited_on)
                .bind(&visit.mode).bind(&visit.met).bind(&visit.observed).bind(&visit.services_in_progress)
                .bind(visit.recorded_by).bind(visit.recorded_at)
                .execute(&mut *tx).await.map_err(|e| StoreError::unique(e, "follow-up"))?;
            if let Some(s) = survey {
                insert_survey!(tx, s)?;
            }
            sqlx::query("UPDATE tasks SET done_at = $1, done_by = $2 WHERE case_id = $3 AND done_at IS NULL \
                         AND ((kind = 'followup_due' AND subject_id = $4) OR kind = 'case_quiet')")
                .bind(visit.recorded_at).bind(visit.recorded_by).bind(visit.case_id)
                .bind(due_task.unwrap_or(Uuid::nil()))
                .execute(&mut *tx).await?;
            insert_audit!(self, &mut *tx, audit, Some(visit.case_id), visit.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Adds the survey of a visit recorded without one; a second survey is `Duplicate("survey")`.
    pub async fn add_survey(&self, survey: &SurveyRow, audit: &Audit) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            insert_survey!(tx, survey)?;
            insert_audit!(self, &mut *tx, audit, Some(survey.case_id), survey.recorded_at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// How many surveys an instrument has (operator commands only: it counts).
    pub async fn survey_count(&self, instrument_id: &str) -> StoreResult<u64> {
        let (n,): (i64,) = on_db!(self, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM surveys WHERE instrument_id = $1").bind(instrument_id).fetch_one(pool).await?);
        Ok(n.max(0) as u64)
    }

    /// A case's visits, in the order they happened.
    pub async fn followups(&self, case_id: Uuid) -> StoreResult<Vec<FollowUpRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {VISIT_COLS} FROM followups WHERE case_id = $1 ORDER BY visited_on, id"))
            .bind(case_id).fetch_all(pool).await?))
    }

    /// A case's surveys, in the order they were answered.
    pub async fn surveys(&self, case_id: Uuid) -> StoreResult<Vec<SurveyRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {SURVEY_COLS} FROM surveys WHERE case_id = $1 ORDER BY answered_on, id"))
            .bind(case_id).fetch_all(pool).await?))
    }

    /// The earlier scores of a case's surveys, oldest first.
    pub async fn score_history(&self, case_id: Uuid) -> StoreResult<Vec<ScoreHistoryRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT h.survey_id, h.instrument_hash, h.scores, h.scored_at, h.replaced_at FROM survey_score_history h \
             JOIN surveys s ON s.id = h.survey_id WHERE s.case_id = $1 ORDER BY h.replaced_at, h.survey_id")
            .bind(case_id).fetch_all(pool).await?))
    }

    /// Surveys under an instrument, `limit` after `after`, with their case's country.
    pub async fn surveys_page(
        &self,
        instrument_id: &str,
        after: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<ExportSurveyRow>> {
        let cols = SURVEY_COLS
            .split(", ")
            .map(|c| format!("s.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT {cols}, c.destination_country, f.followup FROM surveys s JOIN cases c ON c.id = s.case_id \
             JOIN followups f ON f.id = s.followup_id WHERE s.instrument_id = $1 AND s.id > $2 ORDER BY s.id LIMIT $3"))
            .bind(instrument_id).bind(after).bind(limit).fetch_all(pool).await?))
    }

    /// Replaces a survey's scores with those of another instrument version, keeping the old
    /// ones in its history. `false` when the survey is no longer scored with `from_hash`
    /// (rescored meanwhile), so two runs never stack the same history twice.
    pub async fn rescore_survey(
        &self,
        id: Uuid,
        from_hash: &str,
        to_hash: &str,
        scores: &str,
        at: OffsetDateTime,
        audit: &Audit,
    ) -> StoreResult<bool> {
        Ok(on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let n = sqlx::query("INSERT INTO survey_score_history (survey_id, instrument_hash, scores, scored_at, replaced_at) \
                                 SELECT id, instrument_hash, scores, scored_at, $1 FROM surveys WHERE id = $2 AND instrument_hash = $3")
                .bind(at).bind(id).bind(from_hash).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Ok(false);
            }
            sqlx::query("UPDATE surveys SET instrument_hash = $1, scores = $2, scored_at = $3 WHERE id = $4")
                .bind(to_hash).bind(scores).bind(at).bind(id).execute(&mut *tx).await?;
            let case_id: Option<(Uuid,)> = sqlx::query_as("SELECT case_id FROM surveys WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
            insert_audit!(self, &mut *tx, audit, case_id.map(|c| c.0), at)?;
            tx.commit().await?;
            true
        }))
    }

    /// Cases whose follow-ups are watched, `limit` after `after`, with the follow-ups recorded
    /// for them (follow-up code or none, day).
    pub async fn monitored_cases(
        &self,
        after: Uuid,
        limit: i64,
    ) -> StoreResult<Vec<(MonitoredCase, Vec<(Option<String>, Date)>)>> {
        let cases: Vec<MonitoredCase> = on_db!(self, pool => sqlx::query_as(&format!(
            "SELECT c.id AS case_id, a.arrived_on, c.status FROM cases c JOIN arrivals a ON a.case_id = c.id \
             WHERE c.status IN {WATCHED} AND c.id > $1 ORDER BY c.id LIMIT $2"))
            .bind(after).bind(limit).fetch_all(pool).await?);
        let (Some(first), Some(last)) = (cases.first(), cases.last()) else {
            return Ok(Vec::new());
        };
        let visits: Vec<(Uuid, Option<String>, Date)> = on_db!(self, pool => sqlx::query_as(
            "SELECT case_id, followup, visited_on FROM followups WHERE case_id >= $1 AND case_id <= $2")
            .bind(first.case_id).bind(last.case_id).fetch_all(pool).await?);
        Ok(cases
            .into_iter()
            .map(|c| {
                let mine = visits
                    .iter()
                    .filter(|(id, _, _)| *id == c.case_id)
                    .map(|(_, f, d)| (f.clone(), *d))
                    .collect();
                (c, mine)
            })
            .collect())
    }

    /// How a closed case ended: outcome and note (as stored).
    pub async fn case_outcome(&self, case_id: Uuid) -> StoreResult<Option<(String, String)>> {
        let row: Option<(Option<String>, Option<String>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT outcome, outcome_note FROM cases WHERE id = $1").bind(case_id).fetch_optional(pool).await?);
        Ok(row.and_then(|(o, n)| o.map(|o| (o, n.unwrap_or_default()))))
    }
}
