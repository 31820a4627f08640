//! Person links: a member of a new household who may be a person Retour already holds (a
//! possible duplicate, or a prior beneficiary), recorded at registration and decided once by a
//! programme manager. A decision is guarded in its statement (`status = 'open'`), so two
//! managers deciding at once get one decision and one conflict.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::cases::now;
use crate::db::on_db;
use crate::{Audit, Store, StoreError, StoreResult};

/// A link to record.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub person_id: Uuid,
    pub other_case_id: Uuid,
    pub other_person_id: Uuid,
    /// `duplicate` or `prior_support`.
    pub kind: &'static str,
    pub score: String,
    /// JSON of the match reasons.
    pub reasons: String,
    pub support_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct LinkRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub reference: String,
    pub person_id: Uuid,
    pub family_name: String,
    pub given_names: String,
    pub other_case_id: Uuid,
    pub other_reference: String,
    pub other_office: String,
    pub other_person_id: Uuid,
    pub other_family_name: String,
    pub other_given_names: String,
    pub kind: String,
    pub score: String,
    pub reasons: String,
    pub support_on: Option<Date>,
    pub status: String,
    pub decision_reason: Option<String>,
    pub created_at: OffsetDateTime,
}

const SELECT: &str = "SELECT l.id, l.case_id, c.reference, l.person_id, p.family_name, p.given_names, \
    l.other_case_id, oc.reference AS other_reference, oc.office AS other_office, l.other_person_id, \
    op.family_name AS other_family_name, op.given_names AS other_given_names, l.kind, l.score, l.reasons, \
    l.support_on, l.status, l.decision_reason, l.created_at \
    FROM person_links l JOIN cases c ON c.id = l.case_id JOIN persons p ON p.id = l.person_id \
    JOIN cases oc ON oc.id = l.other_case_id JOIN persons op ON op.id = l.other_person_id";

impl Store {
    /// Records the links of a newly registered case (a link already recorded is kept as it is).
    pub async fn insert_links(
        &self,
        case_id: Uuid,
        links: &[NewLink],
        audit: &Audit,
    ) -> StoreResult<()> {
        if links.is_empty() {
            return Ok(());
        }
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            for l in links {
                sqlx::query(
                    "INSERT INTO person_links (id, case_id, person_id, other_case_id, other_person_id, kind, score, \
                     reasons, support_on, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10) \
                     ON CONFLICT (person_id, other_person_id) DO NOTHING")
                    .bind(Uuid::now_v7()).bind(case_id).bind(l.person_id).bind(l.other_case_id)
                    .bind(l.other_person_id).bind(l.kind).bind(&l.score).bind(&l.reasons)
                    .bind(l.support_on).bind(at)
                    .execute(&mut *tx).await?;
            }
            insert_audit!(self, &mut *tx, audit, Some(case_id), at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Links still to be decided, oldest first, `limit` after `after` (keyset pagination).
    pub async fn open_links(&self, after: Option<Uuid>, limit: i64) -> StoreResult<Vec<LinkRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "{SELECT} WHERE l.status = 'open' AND l.id > $1 ORDER BY l.id LIMIT $2"))
            .bind(after.unwrap_or(Uuid::nil())).bind(limit).fetch_all(pool).await?))
    }

    /// The links of one case (as the new case), oldest first.
    pub async fn case_links(&self, case_id: Uuid) -> StoreResult<Vec<LinkRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(&format!(
            "{SELECT} WHERE l.case_id = $1 ORDER BY l.id"))
            .bind(case_id).fetch_all(pool).await?))
    }

    pub async fn link(&self, id: Uuid) -> StoreResult<LinkRow> {
        on_db!(self, pool => sqlx::query_as(&format!("{SELECT} WHERE l.id = $1"))
            .bind(id).fetch_optional(pool).await?)
        .ok_or(StoreError::NotFound)
    }

    /// Decides an open link (`confirmed` or `dismissed`); a link decided meanwhile is a conflict.
    pub async fn decide_link(
        &self,
        id: Uuid,
        status: &'static str,
        reason: &str,
        actor: Uuid,
        audit: &Audit,
    ) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let case: Option<Uuid> = sqlx::query_scalar(
                "UPDATE person_links SET status = $1, decision_reason = $2, decided_by = $3, decided_at = $4 \
                 WHERE id = $5 AND status = 'open' RETURNING case_id")
                .bind(status).bind(reason).bind(actor).bind(at).bind(id)
                .fetch_optional(&mut *tx).await?;
            let Some(case) = case else {
                let exists: Option<String> = sqlx::query_scalar("SELECT status FROM person_links WHERE id = $1")
                    .bind(id).fetch_optional(&mut *tx).await?;
                return Err(match exists {
                    Some(_) => StoreError::Conflict { current: 0 },
                    None => StoreError::NotFound,
                });
            };
            insert_audit!(self, &mut *tx, audit, Some(case), at)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Decided links, the most recently decided first, `limit` decided before link `before`
    /// (keyset on the decision time and id).
    pub async fn decided_links(
        &self,
        before: Option<(OffsetDateTime, Uuid)>,
        limit: i64,
    ) -> StoreResult<Vec<LinkRow>> {
        Ok(on_db!(self, pool => match before {
            None => sqlx::query_as(&format!(
                "{SELECT} WHERE l.status <> 'open' ORDER BY l.decided_at DESC, l.id DESC LIMIT $1"))
                .bind(limit).fetch_all(pool).await?,
            Some((at, id)) => sqlx::query_as(&format!(
                "{SELECT} WHERE l.status <> 'open' AND (l.decided_at < $1 OR (l.decided_at = $1 AND l.id < $2)) \
                 ORDER BY l.decided_at DESC, l.id DESC LIMIT $3"))
                .bind(at).bind(id).bind(limit).fetch_all(pool).await?,
        }))
    }

    /// Undoes a decision: the link is open again (a confirmed prior beneficiary's exclusion
    /// lifts with it); a link that is open already is a conflict.
    pub async fn reopen_link(&self, id: Uuid, audit: &Audit) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::writer::begin_write(pool, self).await?;
            let case: Option<Uuid> = sqlx::query_scalar(
                "UPDATE person_links SET status = 'open', decision_reason = NULL, decided_by = NULL, \
                 decided_at = NULL WHERE id = $1 AND status <> 'open' RETURNING case_id")
                .bind(id)
                .fetch_optional(&mut *tx).await?;
            let Some(case) = case else {
                let exists: Option<String> = sqlx::query_scalar("SELECT status FROM person_links WHERE id = $1")
                    .bind(id).fetch_optional(&mut *tx).await?;
                return Err(match exists {
                    Some(_) => StoreError::Conflict { current: 0 },
                    None => StoreError::NotFound,
                });
            };
            insert_audit!(self, &mut *tx, audit, Some(case), at)?;
            tx.commit().await?;
        });
        Ok(())
    }
}
