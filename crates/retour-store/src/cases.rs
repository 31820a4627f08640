//! Cases: one household returning together, its members, lifecycle transitions and notes.

use retour_domain::lifecycle::{Status, TransitionRequest};
use retour_domain::{Case, CaseReference, Household, ValidationErrors};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::db::on_db;
use crate::fast_read::{HistoryRow, CASE_SQL, HISTORY_SQL};
use crate::rows::{
    bind_person, bump_count, insert_keys, key_rows, placeholders, push_count, push_keys,
    push_persons, to_json, CaseRow, PersonRow, PersonValues, PERSON_INSERT_ARITY,
    PERSON_INSERT_COLUMNS,
};
use crate::script::{Script, ScriptError};
use crate::Audit;
use crate::{Store, StoreError, StoreResult};

macro_rules! insert_transition {
    ($exec:expr, $case:expr, $from:expr, $to:expr, $actor:expr, $at:expr, $reason:expr, $date:expr, $transport:expr, $doc:expr) => {
        sqlx::query(
            "INSERT INTO case_transitions (id, case_id, from_status, to_status, actor_id, at, reason, departure_date, transport, travel_document) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(Uuid::now_v7())
        .bind($case)
        .bind($from)
        .bind($to)
        .bind($actor)
        .bind($at)
        .bind($reason)
        .bind($date)
        .bind($transport)
        .bind($doc)
        .execute($exec)
        .await
    };
}

/// Moves a case through its lifecycle inside the caller's transaction `$tx`: the move must be
/// legal now and the case still at `$expected`; records who, when and why, the status counts,
/// the audit record and the move's effect. Returns early from the caller with the error otherwise.
macro_rules! apply_transition {
    ($store:expr, $tx:expr, $id:expr, $expected:expr, $actor:expr, $request:expr, $audit:expr, $effect:expr, $at:expr) => {{
        let (b_date, b_transport, b_doc) = match &$request.booking {
            Some(b) => (
                Some(b.date),
                Some(b.transport.as_str()),
                Some(b.travel_document.as_str()),
            ),
            None => (None, None, None),
        };
            let current: Option<(String, i64, String)> = sqlx::query_as("SELECT status, version, office FROM cases WHERE id = $1")
                .bind($id)
                .fetch_optional(&mut **$tx)
                .await?;
            let Some((status, version, office)) = current else { return Err(StoreError::NotFound) };
            if version != $expected {
                return Err(StoreError::Conflict { current: version });
            }
            let from: Status = status.parse().map_err(|e| StoreError::corrupt("cases", e))?;
            // The full check (dates, booking, documents) was made by the caller on the case at
            // `$expected`; the version proves it still stands. The state machine is checked here
            // too, as the last word.
            from.transition($request.to).map_err(ValidationErrors::from)?;
            let departed_on = ($request.to == Status::Departed).then_some($request.on).flatten();
            let updated = sqlx::query(
                "UPDATE cases SET status = $1, version = version + 1, updated_at = $2, \
                 departure_date = COALESCE($3, departure_date), transport = COALESCE($4, transport), \
                 travel_document = COALESCE($5, travel_document), departed_on = COALESCE($6, departed_on), \
                 ended_on = COALESCE($9, ended_on) \
                 WHERE id = $7 AND version = $8",
            )
            .bind($request.to.as_str())
            .bind($at)
            .bind(b_date)
            .bind(b_transport)
            .bind(b_doc)
            .bind(departed_on)
            .bind($id)
            .bind($expected)
            // The day a case ends starts its retention periods.
            .bind($request.to.is_final().then(|| $at.date()))
            .execute(&mut **$tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::Conflict { current: version + 1 });
            }
            bump_count!(&mut **$tx, &office, from.as_str(), -1)?;
            bump_count!(&mut **$tx, &office, $request.to.as_str(), 1)?;
            insert_transition!(&mut **$tx, $id, Some(from.as_str()), $request.to.as_str(), $actor, $at, &$request.reason, b_date, b_transport, b_doc)?;
            insert_audit!($store, &mut **$tx, $audit, Some($id), $at)?;
            if let Some(TransitionEffect::Arrival(a)) = $effect {
                sqlx::query("INSERT INTO arrivals (case_id, arrived_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4)")
                    .bind($id).bind(a.arrived_on).bind($actor).bind($at)
                    .execute(&mut **$tx).await.map_err(|e| StoreError::unique(e, "arrival"))?;
                sqlx::query("UPDATE plan_lines SET expires_on = CASE WHEN category = 'medical' THEN $1 ELSE $2 END WHERE case_id = $3")
                    .bind(a.medical_expiry).bind(a.general_expiry).bind($id)
                    .execute(&mut **$tx).await?;
            }
            if let Some(TransitionEffect::Closure { outcome, note }) = $effect {
                sqlx::query("UPDATE cases SET outcome = $1, outcome_note = $2 WHERE id = $3")
                    .bind(outcome).bind(note).bind($id)
                    .execute(&mut **$tx).await?;
            }
            if let Some(TransitionEffect::Freeze(f)) = $effect {
                // Frozen once: a later approval (after an amendment) replaces the snapshot.
                sqlx::query("DELETE FROM entitlement_snapshots WHERE case_id = $1").bind($id).execute(&mut **$tx).await?;
                sqlx::query(
                    "INSERT INTO entitlement_snapshots (case_id, policy_id, policy_hash, input, quote, frozen_at, frozen_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind($id)
                .bind(&f.policy_id)
                .bind(&f.policy_hash)
                .bind(&f.input)
                .bind(&f.quote)
                .bind($at)
                .bind(f.frozen_by)
                .execute(&mut **$tx)
                .await?;
            }
    }};
}
pub(crate) use {apply_transition, insert_transition};

/// What a transition writes besides the move itself, in the same transaction.
#[derive(Debug, Clone)]
pub enum TransitionEffect {
    /// Approval of the plan: the entitlement is frozen.
    Freeze(crate::SnapshotRow),
    /// Arrival in the country of return: deadlines of the plan's lines start.
    Arrival(Arrival),
    /// Closing: how the case ended (the note as stored, encrypted by the caller).
    Closure { outcome: String, note: String },
}

#[derive(Debug, Clone, Copy)]
pub struct Arrival {
    pub arrived_on: Date,
    /// Deadlines of the medical lines and of every other line, from the policy.
    pub medical_expiry: Date,
    pub general_expiry: Date,
}

pub struct NewCase {
    pub household: Household,
    pub counsellor_id: Option<Uuid>,
    /// Who registers the case: recorded as the actor of the first transition (into `intake`).
    pub created_by: Uuid,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TransitionRecord {
    pub id: Uuid,
    pub from: Option<Status>,
    pub to: Status,
    pub actor_id: Uuid,
    pub at: OffsetDateTime,
    pub reason: String,
    pub departure_date: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NoteRecord {
    pub id: Uuid,
    pub author_id: Uuid,
    pub at: OffsetDateTime,
    /// `general`, or the special-category class whose readers alone may see the body.
    pub sensitivity: String,
    pub body: String,
}

/// Timestamps are stored to the microsecond, which both backends keep exactly.
pub(crate) fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000)
        .expect("valid nanosecond")
}

const CASE_UPDATE: &str = "UPDATE cases SET destination_country = $1, destination_place = $2, location_kind = $3, \
    location_name = $4, office = $5, application_date = $6, planned_departure_date = $7, asylum_history = $8, \
    counsellor_id = $9, updated_at = $10, version = version + 1 WHERE id = $11 AND version = $12";

impl Store {
    /// Registers a household as a new case in `intake`, with the next reference of `year`.
    pub async fn create_case(&self, new: NewCase, year: i32, audit: &Audit) -> StoreResult<Case> {
        let id = Uuid::now_v7();
        let at = now();
        let h = &new.household;
        let names = key_rows(&h.office, &h.members);
        let numbered = self.numbered();
        let persons: Vec<PersonValues> = h
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| PersonValues::new(id, i, m))
            .collect();
        let person_sql = format!(
            "INSERT INTO persons ({PERSON_INSERT_COLUMNS}) VALUES {}",
            placeholders(persons.len(), PERSON_INSERT_ARITY, self.numbered())
        );
        let number: i64 = on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let number: i64 = sqlx::query_scalar(
                "INSERT INTO case_reference_counters (year, last_number) VALUES ($1, 1) \
                 ON CONFLICT (year) DO UPDATE SET last_number = case_reference_counters.last_number + 1 RETURNING last_number",
            )
            .bind(year)
            .fetch_one(&mut *tx)
            .await?;
            let reference = CaseReference { year, number: number as u32 }.to_string();
            sqlx::query(
                "INSERT INTO cases (id, reference, status, version, destination_country, destination_place, location_kind, \
                 location_name, office, counsellor_id, partner_org, application_date, planned_departure_date, departure_date, \
                 transport, travel_document, asylum_history, created_at, updated_at) \
                 VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, NULL, $10, $11, NULL, NULL, NULL, $12, $13, $13)",
            )
            .bind(id)
            .bind(&reference)
            .bind(Status::Intake.as_str())
            .bind(h.destination_country.as_str())
            .bind(&h.destination_place)
            .bind(h.location_kind.as_str())
            .bind(&h.location_name)
            .bind(&h.office)
            .bind(new.counsellor_id)
            .bind(h.application_date)
            .bind(h.planned_departure_date)
            .bind(to_json(&h.asylum_history))
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let mut q = sqlx::query(&person_sql);
            for v in &persons {
                q = bind_person!(q, v);
            }
            q.execute(&mut *tx).await.map_err(|e| StoreError::unique(e, "person"))?;
            insert_keys!(tx, &names, numbered)?;
            bump_count!(&mut *tx, &h.office, Status::Intake.as_str(), 1)?;
            insert_transition!(&mut *tx, id, None::<&str>, Status::Intake.as_str(), new.created_by, at, &new.reason, None::<Date>, None::<&str>, None::<&str>)?;
            insert_audit!(self, &mut *tx, audit, Some(id), at)?;
            tx.commit().await?;
            number
        });
        let _ = number;
        self.case(id).await
    }

    /// A case with its members, in two statements (case row, then members by index).
    pub async fn case(&self, id: Uuid) -> StoreResult<Case> {
        // One statement: the case row repeated beside each member (a case always has a principal).
        if let Some(reader) = &self.reader {
            let mut rows = reader.0.case(id)?.into_iter();
            let Some((case_row, first)) = rows.next() else {
                return Err(StoreError::NotFound);
            };
            let mut members = vec![first.into_member()?];
            for (_, p) in rows {
                members.push(p.into_member()?);
            }
            return case_row.into_case(members);
        }
        let rows: Vec<CaseMemberRow> = on_db!(self, pool => sqlx::query_as(CASE_SQL)
        .bind(id)
        .fetch_all(pool)
        .await?);
        let mut rows = rows.into_iter();
        let Some(first) = rows.next() else {
            return Err(StoreError::NotFound);
        };
        let (case_row, first_person) = first.split();
        let mut members = vec![first_person.into_member()?];
        for r in rows {
            members.push(r.split().1.into_member()?);
        }
        case_row.into_case(members)
    }

    /// The lifecycle history (oldest first) and the notes of a case, in one statement.
    pub async fn history_and_notes(
        &self,
        case_id: Uuid,
    ) -> StoreResult<(Vec<TransitionRecord>, Vec<NoteRecord>)> {
        let rows: Vec<HistoryRow> = match &self.reader {
            Some(reader) => reader.0.history(case_id)?,
            None => {
                on_db!(self, pool => sqlx::query_as(HISTORY_SQL).bind(case_id).fetch_all(pool).await?)
            }
        };
        let corrupt = |e| StoreError::corrupt("case_transitions", e);
        let (mut history, mut notes) = (Vec::new(), Vec::new());
        for r in rows {
            if r.kind == "T" {
                history.push(TransitionRecord {
                    id: r.id,
                    from: r.a.map(|s| s.parse()).transpose().map_err(corrupt)?,
                    to: r.b.unwrap_or_default().parse().map_err(corrupt)?,
                    actor_id: r.who,
                    at: r.at,
                    reason: r.reason.unwrap_or_default(),
                    departure_date: r.departure_date,
                });
            } else {
                notes.push(NoteRecord {
                    id: r.id,
                    author_id: r.who,
                    at: r.at,
                    sensitivity: r.a.unwrap_or_default(),
                    body: r.b.unwrap_or_default(),
                });
            }
        }
        Ok((history, notes))
    }

    pub async fn case_id_by_reference(&self, reference: &CaseReference) -> StoreResult<Uuid> {
        let id: Option<Uuid> = on_db!(self, pool => sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
            .bind(reference.to_string())
            .fetch_optional(pool)
            .await?);
        id.ok_or(StoreError::NotFound)
    }

    /// Replaces the household facts and members of a case, if it is still at `expected_version`,
    /// where it was in `previous` office and status. A stale version is refused with
    /// [`StoreError::Conflict`] and nothing is written.
    pub async fn update_household(
        &self,
        id: Uuid,
        expected_version: i64,
        household: &Household,
        counsellor_id: Option<Uuid>,
        previous: (&str, Status),
        audit: &Audit,
    ) -> StoreResult<Case> {
        let at = now();
        let persons: Vec<PersonValues> = household
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| PersonValues::new(id, i, m))
            .collect();
        // One script: the update guarded by the version, then everything that follows from it.
        let mut script = Script::new();
        script.push(
            CASE_UPDATE,
            vec![
                household.destination_country.as_str().into(),
                (&household.destination_place).into(),
                household.location_kind.as_str().into(),
                (&household.location_name).into(),
                (&household.office).into(),
                household.application_date.into(),
                household.planned_departure_date.into(),
                to_json(&household.asylum_history).into(),
                counsellor_id.into(),
                at.into(),
                id.into(),
                expected_version.into(),
            ],
        );
        script.expect_one();
        // `previous` was read at `expected_version`, which the update proves current.
        let (old_office, status) = previous;
        if old_office != household.office {
            push_count(&mut script, old_office, status.as_str(), -1);
            push_count(&mut script, &household.office, status.as_str(), 1);
        }
        // Members are replaced as a whole: their ids are kept, so references to them survive.
        // Their search keys go with them (`ON DELETE CASCADE`) and are written again.
        script.push("DELETE FROM persons WHERE case_id = $1", vec![id.into()]);
        let persons_at = push_persons(&mut script, &persons);
        push_keys(
            &mut script,
            &key_rows(&household.office, &household.members),
        );
        self.push_audit(&mut script, audit, Some(id), at);
        match self.write_script(script).await {
            Ok(_) => {}
            Err(ScriptError::Stale) => return Err(self.stale(id).await),
            Err(ScriptError::Failed { at, error }) if at == persons_at => {
                return Err(StoreError::unique(error, "person"))
            }
            Err(ScriptError::Failed { error, .. }) => return Err(error.into()),
        }
        self.case(id).await
    }

    /// Moves a case through its lifecycle if the move is legal now and the case is still at
    /// `expected_version`; records who, when and why. Otherwise nothing changes.
    pub async fn transition(
        &self,
        id: Uuid,
        expected_version: i64,
        actor: Uuid,
        request: &TransitionRequest,
        audit: &Audit,
        effect: Option<&TransitionEffect>,
    ) -> StoreResult<Case> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            apply_transition!(self, &mut tx, id, expected_version, actor, request, audit, effect, at);
            tx.commit().await?;
        });
        self.case(id).await
    }

    /// Records the arrival day of a case that moved past `arrived` without one, and starts the
    /// plan's deadlines from it, if the case is still at `expected_version`.
    pub async fn record_arrival(
        &self,
        id: Uuid,
        expected_version: i64,
        actor: Uuid,
        arrival: &Arrival,
        audit: &Audit,
    ) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let n = sqlx::query("UPDATE cases SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3")
                .bind(at).bind(id).bind(expected_version)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(StoreError::Conflict { current: expected_version + 1 });
            }
            sqlx::query("INSERT INTO arrivals (case_id, arrived_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4)")
                .bind(id).bind(arrival.arrived_on).bind(actor).bind(at)
                .execute(&mut *tx).await.map_err(|e| StoreError::unique(e, "arrival"))?;
            sqlx::query("UPDATE plan_lines SET expires_on = CASE WHEN category = 'medical' THEN $1 ELSE $2 END WHERE case_id = $3")
                .bind(arrival.medical_expiry).bind(arrival.general_expiry).bind(id)
                .execute(&mut *tx).await?;
            insert_audit!(self, &mut *tx, audit, Some(id), at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn add_note(
        &self,
        id: Uuid,
        case_id: Uuid,
        author: Uuid,
        sensitivity: &str,
        body: &str,
        audit: &Audit,
    ) -> StoreResult<NoteRecord> {
        let note = NoteRecord {
            id,
            author_id: author,
            at: now(),
            sensitivity: sensitivity.to_string(),
            body: body.to_string(),
        };
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            sqlx::query("INSERT INTO case_notes (id, case_id, author_id, at, sensitivity, body) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(note.id)
                .bind(case_id)
                .bind(note.author_id)
                .bind(note.at)
                .bind(&note.sensitivity)
                .bind(&note.body)
                .execute(&mut *tx)
                .await?;
            insert_audit!(self, &mut *tx, audit, Some(case_id), note.at)?;
            tx.commit().await?;
        });
        Ok(note)
    }

    pub async fn count_cases(&self) -> StoreResult<i64> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(pool).await?),
        )
    }
}

impl Store {
    /// Why a versioned write of case `id` changed nothing: a newer version, or no such case.
    async fn stale(&self, id: Uuid) -> StoreError {
        let current: Result<Option<i64>, sqlx::Error> = on_db!(self, pool => sqlx::query_scalar("SELECT version FROM cases WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await);
        match current {
            Ok(Some(current)) => StoreError::Conflict { current },
            Ok(None) => StoreError::NotFound,
            Err(e) => e.into(),
        }
    }

    /// The case a person belongs to.
    pub async fn case_of_person(&self, person_id: Uuid) -> StoreResult<Option<Uuid>> {
        Ok(
            on_db!(self, pool => sqlx::query_scalar("SELECT case_id FROM persons WHERE id = $1")
            .bind(person_id)
            .fetch_optional(pool)
            .await?),
        )
    }

    /// Whether a person with this family name (in any letter case or accents) and given names is stored.
    pub async fn person_exists(&self, family_name: &str, given_names: &str) -> StoreResult<bool> {
        let folded = retour_domain::names::fold(family_name);
        let found: Option<i32> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT 1 FROM persons WHERE name_folded = $1 AND given_names = $2 LIMIT 1",
        )
        .bind(&folded)
        .bind(given_names)
        .fetch_optional(pool)
        .await?);
        Ok(found.is_some())
    }
}

impl Store {
    /// Sets the partner organisation without any consent check: for tests and data migrations
    /// only. Retour itself assigns through [`Store::assign_partner`], which requires a consent in
    /// force, and no use case calls this.
    pub async fn set_partner_org(
        &self,
        case_id: Uuid,
        partner_org: Option<&str>,
        audit: &Audit,
    ) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let n = sqlx::query("UPDATE cases SET partner_org = $1, version = version + 1, updated_at = $2 WHERE id = $3")
                .bind(partner_org)
                .bind(at)
                .bind(case_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            insert_audit!(self, &mut *tx, audit, Some(case_id), at)?;
            tx.commit().await?;
        });
        Ok(())
    }
}

#[derive(sqlx::FromRow)]
struct CaseMemberRow {
    #[sqlx(flatten)]
    case: CaseRow,
    p_id: Uuid,
    p_relationship: String,
    p_family_name: String,
    p_given_names: String,
    p_other_names: String,
    p_birth_date: Date,
    p_birth_precision: String,
    p_sex: String,
    p_nationalities: String,
    p_languages: String,
    p_documents: String,
}

impl CaseMemberRow {
    fn split(self) -> (CaseRow, PersonRow) {
        let person = PersonRow {
            id: self.p_id,
            relationship: self.p_relationship,
            family_name: self.p_family_name,
            given_names: self.p_given_names,
            other_names: self.p_other_names,
            birth_date: self.p_birth_date,
            birth_precision: self.p_birth_precision,
            sex: self.p_sex,
            nationalities: self.p_nationalities,
            languages: self.p_languages,
            documents: self.p_documents,
        };
        (self.case, person)
    }
}
