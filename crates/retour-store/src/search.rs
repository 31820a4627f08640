//! Finding cases: search-first (by reference or a name in any spelling), never a browse-everything
//! list. Every lookup goes through an index; candidate sets are bounded.

use time::Date;
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

/// Persons to find by their name keys (see `retour_domain::names`), inside a scope.
#[derive(Debug, Clone)]
pub struct KeySearch {
    /// A person must match every group; a group matches when any of its keys does.
    pub groups: Vec<KeyGroup>,
    /// Only persons born in one of these years (an index condition), when given.
    pub birth_years: Option<Vec<i32>>,
    /// Only persons of this nationality (ISO code), when given.
    pub nationality: Option<String>,
    pub scope: Scope,
}

/// The keys of one typed word: exact keys, and a key prefix (`w:mift`) for a word being typed.
#[derive(Debug, Clone, Default)]
pub struct KeyGroup {
    pub exact: Vec<String>,
    pub prefix: Option<String>,
}

/// The persons found, and whether some key had more than were read.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    pub persons: Vec<PersonHit>,
    pub truncated: bool,
}

/// Most persons whose details one lookup reads (the closest spellings first).
pub const MAX_CANDIDATES: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct PersonHit {
    pub case_id: Uuid,
    pub reference: String,
    pub status: String,
    pub office: String,
    pub destination_country: String,
    pub person_id: Uuid,
    pub relationship: String,
    pub family_name: String,
    pub given_names: String,
    pub other_names: String,
    pub birth_date: Date,
    pub birth_precision: String,
    pub sex: String,
    pub nationalities: String,
    /// The last day the case received support (departure premium paid, plan line spent).
    pub last_support: Option<Date>,
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
    /// Persons matching every key group, inside the scope and filters, in two statements: the
    /// ids through the name-key index (the first group read in the scope's index, each further
    /// group checked on the person's own keys), then the details of at most
    /// [`MAX_CANDIDATES`]; `truncated` when more matched. Unranked.
    pub async fn persons_by_keys(&self, q: &KeySearch) -> StoreResult<Candidates> {
        let (office, partner, any) = q.scope.binds();
        let empty = |g: &KeyGroup| g.exact.is_empty() && g.prefix.is_none();
        if !any || q.groups.is_empty() || q.groups.iter().any(empty) {
            return Ok(Candidates::default());
        }
        let mut binds: Vec<Bind> = Vec::new();
        let mut next = |b: Bind| {
            binds.push(b);
            format!("${}", binds.len())
        };
        // The first group: one index seek per key (and one range for a word being typed).
        let driver = &q.groups[0];
        let years = q.birth_years.as_ref().map(|ys| {
            ys.iter()
                .map(|y| next(Bind::Int(*y as i64)))
                .collect::<Vec<_>>()
                .join(", ")
        });
        let (from, scope) = match (office, partner) {
            (Some(o), _) => (
                "name_keys k",
                format!("k.office = {}", next(Bind::Text(o.into()))),
            ),
            (_, Some(p)) => (
                "cases c JOIN persons p ON p.case_id = c.id JOIN name_keys k ON k.person_id = p.id",
                format!("c.partner_org = {}", next(Bind::Text(p.into()))),
            ),
            _ => ("name_keys k", "1 = 1".to_string()),
        };
        let year_cond = years
            .as_ref()
            .map(|y| format!(" AND k.birth_year IN ({y})"))
            .unwrap_or_default();
        let mut branches = Vec::new();
        if !driver.exact.is_empty() {
            let list: Vec<String> = driver
                .exact
                .iter()
                .map(|k| next(Bind::Text(k.clone())))
                .collect();
            branches.push(format!(
                "SELECT k.person_id FROM {from} WHERE {scope} AND k.key IN ({}){year_cond}",
                list.join(", ")
            ));
        }
        if let Some(prefix) = &driver.prefix {
            let a = next(Bind::Text(prefix.clone()));
            let b = next(Bind::Text(prefix_end(prefix)));
            branches.push(format!(
                "SELECT k.person_id FROM {from} WHERE {scope} AND k.key >= {a} AND k.key < {b}{year_cond}"
            ));
        }
        // Every further group: among the candidate's own few keys (index on person_id, key).
        let mut checks = String::new();
        for (i, g) in q.groups.iter().enumerate().skip(1) {
            let mut alts = Vec::new();
            if !g.exact.is_empty() {
                let list: Vec<String> = g
                    .exact
                    .iter()
                    .map(|k| next(Bind::Text(k.clone())))
                    .collect();
                alts.push(format!("o{i}.key IN ({})", list.join(", ")));
            }
            if let Some(prefix) = &g.prefix {
                let a = next(Bind::Text(prefix.clone()));
                let b = next(Bind::Text(prefix_end(prefix)));
                alts.push(format!("(o{i}.key >= {a} AND o{i}.key < {b})"));
            }
            checks.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM name_keys o{i} WHERE o{i}.person_id = d.person_id AND ({}))",
                alts.join(" OR ")
            ));
        }
        let limit = next(Bind::Int(MAX_CANDIDATES as i64 + 1));
        // Persons sharing more of the first group's keys first (the word as typed and its
        // sound, before the sound alone), so that a cut answer keeps the closest spellings.
        let sql = format!(
            "SELECT d.person_id FROM ({}) d WHERE 1 = 1{checks} \
             GROUP BY d.person_id ORDER BY COUNT(*) DESC, d.person_id LIMIT {limit}",
            branches.join(" UNION ALL ")
        );
        let mut ids: Vec<Uuid> = on_db!(self, pool => {
            let mut query = sqlx::query_scalar(&sql);
            for b in &binds {
                query = match b {
                    Bind::Text(t) => query.bind(t.clone()),
                    Bind::Int(i) => query.bind(*i),
                };
            }
            query.fetch_all(pool).await?
        });
        let truncated = ids.len() > MAX_CANDIDATES;
        ids.truncate(MAX_CANDIDATES);
        if ids.is_empty() {
            return Ok(Candidates {
                persons: Vec::new(),
                truncated,
            });
        }
        let numbered = true;
        let nationality = q.nationality.as_ref().map(|n| format!("%\"{n}\"%"));
        let list = (0..ids.len())
            .map(|i| {
                if numbered {
                    format!("${}", i + 2)
                } else {
                    "?".to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let first = if numbered { "$1" } else { "?" };
        let details = format!(
            "SELECT c.id AS case_id, c.reference, c.status, c.office, c.destination_country, p.id AS person_id, \
                    p.relationship, p.family_name, p.given_names, p.other_names, p.birth_date, p.birth_precision, \
                    p.sex, p.nationalities, \
                    (SELECT MAX(d) FROM (SELECT paid_on AS d FROM premium_payments WHERE case_id = c.id \
                      UNION ALL SELECT spent_on FROM spendings WHERE case_id = c.id) s) AS last_support \
             FROM persons p JOIN cases c ON c.id = p.case_id \
             WHERE (CAST({first} AS TEXT) IS NULL OR p.nationalities LIKE {first}) AND p.id IN ({list})"
        );
        let persons: Vec<PersonHit> = on_db!(self, pool => {
            let mut query = sqlx::query_as(&details).bind(nationality.as_deref());
            for id in &ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await?
        });
        Ok(Candidates { persons, truncated })
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

enum Bind {
    Text(String),
    Int(i64),
}
