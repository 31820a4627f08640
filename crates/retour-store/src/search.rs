//! Finding cases: search-first (by reference or a name in any spelling), never a browse-everything
//! list. Every lookup goes through an index; candidate sets are bounded.

use time::{Date, Month};
use uuid::Uuid;

use crate::db::on_db;
use crate::{Store, StoreResult};

/// Which cases a reader may see: the store filters, the app layer decides which scope applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Office(String),
    Partner(String),
    Nothing,
}

impl Scope {
    fn binds(&self) -> (Option<&str>, Option<&str>, bool) {
        match self {
            Scope::All => (None, None, true),
            Scope::Office(o) => (Some(o.as_str()), None, true),
            Scope::Partner(p) => (None, Some(p.as_str()), true),
            Scope::Nothing => (None, None, false),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NameSearch {
    /// Folded words of the name typed (each searched as a family-name prefix and by sound key).
    pub words: Vec<(String, String)>,
    pub birth_year: Option<i32>,
    pub nationality: Option<String>,
    pub scope: Scope,
}

/// Most candidate persons read for one word and one way of matching.
pub const CANDIDATES: i64 = 100;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PersonHit {
    pub case_id: Uuid,
    pub reference: String,
    pub status: String,
    pub destination_country: String,
    pub person_id: Uuid,
    pub relationship: String,
    pub family_name: String,
    pub given_names: String,
    pub other_names: String,
    pub birth_date: Date,
    pub birth_precision: String,
}

enum AssigneeKey<'a> {
    Id(Uuid),
    Org(&'a str),
}

/// Whose cases a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignee {
    Counsellor(Uuid),
    Partner(String),
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct CaseSummary {
    pub id: Uuid,
    pub reference: String,
    pub status: String,
    pub destination_country: String,
    pub family_name: String,
    pub given_names: String,
}

/// The exclusive upper bound of the strings starting with `prefix` (for index range scans).
fn prefix_end(prefix: &str) -> String {
    let mut s = prefix.to_string();
    s.push('\u{10FFFF}');
    s
}

impl Store {
    /// Persons matching any word by family-name prefix or sound key (also in other spellings),
    /// within the scope and filters. Returns at most `4 × CANDIDATES` rows per word, unranked.
    pub async fn search_persons(&self, q: &NameSearch) -> StoreResult<Vec<PersonHit>> {
        let (office, partner, any) = q.scope.binds();
        if !any || q.words.is_empty() {
            return Ok(Vec::new());
        }
        let (from, to) = match q.birth_year {
            Some(y) => (
                Date::from_calendar_date(y, Month::January, 1).ok(),
                Date::from_calendar_date(y + 1, Month::January, 1).ok(),
            ),
            None => (None, None),
        };
        let nationality = q.nationality.as_ref().map(|n| format!("%\"{n}\"%"));
        let sql = "WITH hits AS ( \
              SELECT id AS person_id FROM (SELECT id FROM persons WHERE name_folded >= $1 AND name_folded < $2 LIMIT $9) a \
              UNION SELECT id FROM (SELECT id FROM persons WHERE name_key = $3 LIMIT $9) b \
              UNION SELECT person_id FROM (SELECT person_id FROM person_names WHERE name_folded >= $1 AND name_folded < $2 LIMIT $9) c \
              UNION SELECT person_id FROM (SELECT person_id FROM person_names WHERE name_key = $3 LIMIT $9) d ) \
            SELECT c.id AS case_id, c.reference, c.status, c.destination_country, p.id AS person_id, p.relationship, \
                   p.family_name, p.given_names, p.other_names, p.birth_date, p.birth_precision \
            FROM hits h JOIN persons p ON p.id = h.person_id JOIN cases c ON c.id = p.case_id \
            WHERE ($4 IS NULL OR c.office = $4) AND ($5 IS NULL OR c.partner_org = $5) \
              AND ($6 IS NULL OR p.birth_date >= $6) AND ($7 IS NULL OR p.birth_date < $7) \
              AND ($8 IS NULL OR p.nationalities LIKE $8)";
        let mut out: Vec<PersonHit> = Vec::new();
        for (folded, key) in &q.words {
            let rows: Vec<PersonHit> = on_db!(self, pool => sqlx::query_as(sql)
                .bind(folded)
                .bind(prefix_end(folded))
                .bind(key)
                .bind(office)
                .bind(partner)
                .bind(from)
                .bind(to)
                .bind(nationality.as_deref())
                .bind(CANDIDATES)
                .fetch_all(pool)
                .await?);
            for r in rows {
                if !out.iter().any(|o| o.person_id == r.person_id) {
                    out.push(r);
                }
            }
        }
        Ok(out)
    }

    /// The case with this reference, as a summary, if it is in scope.
    pub async fn case_summary_by_reference(
        &self,
        reference: &str,
        scope: &Scope,
    ) -> StoreResult<Option<CaseSummary>> {
        let (office, partner, any) = scope.binds();
        if !any {
            return Ok(None);
        }
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT c.id, c.reference, c.status, c.destination_country, p.family_name, p.given_names \
             FROM cases c JOIN persons p ON p.case_id = c.id AND p.relationship = 'principal' \
             WHERE c.reference = $1 AND ($2 IS NULL OR c.office = $2) AND ($3 IS NULL OR c.partner_org = $3)",
        )
        .bind(reference)
        .bind(office)
        .bind(partner)
        .fetch_optional(pool)
        .await?))
    }

    /// The cases in scope whose reference starts with `prefix`, or is one of `any_of`, in
    /// reference order, at most `limit` (through the unique index on references).
    pub async fn case_summaries_by_references(
        &self,
        prefix: Option<&str>,
        any_of: &[String],
        scope: &Scope,
        limit: i64,
    ) -> StoreResult<Vec<CaseSummary>> {
        let (office, partner, any) = scope.binds();
        if !any {
            return Ok(Vec::new());
        }
        let select = "SELECT c.id, c.reference, c.status, c.destination_country, p.family_name, p.given_names \
             FROM cases c JOIN persons p ON p.case_id = c.id AND p.relationship = 'principal' \
             WHERE ($1 IS NULL OR c.office = $1) AND ($2 IS NULL OR c.partner_org = $2)";
        Ok(match prefix {
            Some(prefix) => on_db!(self, pool => sqlx::query_as(&format!(
                "{select} AND c.reference >= $3 AND c.reference < $4 ORDER BY c.reference LIMIT $5"))
                .bind(office).bind(partner).bind(prefix).bind(prefix_end(prefix)).bind(limit)
                .fetch_all(pool).await?),
            None => {
                let list = (0..any_of.len())
                    .map(|i| format!("${}", i + 4))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql =
                    format!("{select} AND c.reference IN ({list}) ORDER BY c.reference LIMIT $3");
                on_db!(self, pool => {
                    let mut q = sqlx::query_as(&sql).bind(office).bind(partner).bind(limit);
                    for r in any_of {
                        q = q.bind(r);
                    }
                    q.fetch_all(pool).await?
                })
            }
        })
    }

    /// Cases assigned to a counsellor or a partner organisation, in id order, `limit` after the
    /// case id `after` (keyset pagination).
    pub async fn assigned_cases(
        &self,
        to: &Assignee,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<CaseSummary>> {
        // One statement per kind of assignee, so each walks its own index in id order.
        let (sql, key) = match to {
            Assignee::Counsellor(id) => (
                "SELECT c.id, c.reference, c.status, c.destination_country, p.family_name, p.given_names \
                 FROM cases c JOIN persons p ON p.case_id = c.id AND p.relationship = 'principal' \
                 WHERE c.counsellor_id = $1 AND c.id > $2 ORDER BY c.id LIMIT $3",
                AssigneeKey::Id(*id),
            ),
            Assignee::Partner(org) => (
                "SELECT c.id, c.reference, c.status, c.destination_country, p.family_name, p.given_names \
                 FROM cases c JOIN persons p ON p.case_id = c.id AND p.relationship = 'principal' \
                 WHERE c.partner_org = $1 AND c.id > $2 ORDER BY c.id LIMIT $3",
                AssigneeKey::Org(org.as_str()),
            ),
        };
        Ok(on_db!(self, pool => {
            let q = sqlx::query_as(sql);
            let q = match key {
                AssigneeKey::Id(id) => q.bind(id),
                AssigneeKey::Org(org) => q.bind(org),
            };
            q            .bind(after.unwrap_or(Uuid::nil()))
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Number of cases per status within the scope, from the maintained counters (no row counting),
    /// except for a partner, whose assigned cases are counted through their index.
    pub async fn status_counts(&self, scope: &Scope) -> StoreResult<Vec<(String, i64)>> {
        let rows: Vec<(String, i64)> = match scope {
            Scope::Nothing => Vec::new(),
            Scope::All => {
                on_db!(self, pool => sqlx::query_as("SELECT status, CAST(SUM(n) AS BIGINT) FROM status_counts GROUP BY status HAVING SUM(n) <> 0").fetch_all(pool).await?)
            }
            Scope::Office(o) => {
                on_db!(self, pool => sqlx::query_as("SELECT status, n FROM status_counts WHERE office = $1 AND n <> 0").bind(o).fetch_all(pool).await?)
            }
            Scope::Partner(p) => {
                on_db!(self, pool => sqlx::query_as("SELECT status, COUNT(*) FROM cases WHERE partner_org = $1 GROUP BY status").bind(p).fetch_all(pool).await?)
            }
        };
        Ok(rows)
    }
}
