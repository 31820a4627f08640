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
    /// The birth year the reader gave: persons born in it come first, then a year either side.
    pub closest_year: Option<i32>,
    pub scope: Scope,
    /// Keys that the closest persons carry (the word as typed, the pair key of two words).
    /// When given, the answer is paged in tiers: first every matching person carrying one of
    /// them, in person order straight from the index, so that a page of a common name costs
    /// one page however many bear it; then (with `walk_exact`) the other bearers of the first
    /// group's exact keys, the same way; then the rest, ranked. Empty: one ranked tier
    /// (matching).
    pub anchors: Vec<String>,
    /// Walk the first group's exact keys as a tier of their own (see `anchors`): right for one
    /// word, whose sound-alikes all match; not for several, where a walk would check every
    /// bearer of the first word's sound for the others.
    pub walk_exact: bool,
    /// Where the previous page ended (see [`Candidates::next`]); the first page when `None`.
    pub after: Option<PageKey>,
    /// Most persons in one answer (at most [`MAX_CANDIDATES`]).
    pub limit: usize,
}

/// A place in the order of a key search's answer: persons born closest to the year given first,
/// then those sharing more of the first word's keys, then by id. Pages follow one another by it (keyset pagination), so a page costs the
/// same however far the reader has paged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageKey {
    /// 0: the anchored persons, 1: the first group's other exact-key bearers, both in person
    /// order; 2: the rest, ranked.
    pub tier: i64,
    /// Within tier 2 (0 elsewhere).
    pub rank: i64,
    pub person_id: Uuid,
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
    /// Where the next page starts, when more matched.
    pub next: Option<PageKey>,
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
    /// group checked on the person's own keys), then the details of at most `limit` of them
    /// after `after`; `truncated` and `next` when more matched. Unranked within the page.
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
        let anchored = !q.anchors.is_empty();
        let walk_exact = anchored && q.walk_exact && !driver.exact.is_empty();
        let exact_list: Vec<String> = driver
            .exact
            .iter()
            .map(|k| next(Bind::Text(k.clone())))
            .collect();
        let exact_list = exact_list.join(", ");
        // Walked in tier 1, the first group's exact keys are not read again in tier 2.
        if !driver.exact.is_empty() && !walk_exact {
            branches.push(format!(
                "SELECT k.person_id, k.birth_year FROM {from} WHERE {scope} AND k.key IN ({exact_list}){year_cond}"
            ));
        }
        if let Some(prefix) = &driver.prefix {
            let a = next(Bind::Text(prefix.clone()));
            let b = next(Bind::Text(prefix_end(prefix)));
            branches.push(format!(
                "SELECT k.person_id, k.birth_year FROM {from} WHERE {scope} AND k.key >= {a} AND k.key < {b}{year_cond}"
            ));
        }
        // Every further group: among the candidate's own few keys (index on person_id, key).
        let checks = checks_on(&mut next, &q.groups, 1, "d.person_id");
        let page = q.limit.clamp(1, MAX_CANDIDATES);
        let after = q.after;
        // Which tiers this page may still read, and where each starts.
        let from_tier = after.map_or(0, |a| a.tier);
        let start = |tier: i64, next: &mut dyn FnMut(Bind) -> String| {
            let id = match after {
                Some(a) if a.tier == tier => a.person_id,
                _ => Uuid::nil(),
            };
            next(Bind::Id(id))
        };
        let mut arms = Vec::new();
        let anchor_list = anchored.then(|| {
            q.anchors
                .iter()
                .map(|k| next(Bind::Text(k.clone())))
                .collect::<Vec<_>>()
                .join(", ")
        });
        let limit = next(Bind::Int(page as i64 + 1));
        // Tier 0: every matching person carrying an anchor, walked in person order through
        // (office, key, person) (or sorted, in the whole programme), stopped at the page's end.
        if let (Some(anchors), true) = (&anchor_list, from_tier <= 0) {
            let from_id = start(0, &mut next);
            let distinct = if q.anchors.len() > 1 { "DISTINCT " } else { "" };
            let all_checks = checks_on(&mut next, &q.groups, 0, "k.person_id");
            arms.push(format!(
                "SELECT * FROM (SELECT {distinct}k.person_id AS person_id, CAST(0 AS BIGINT) AS tier, \
                 CAST(0 AS BIGINT) AS rank FROM {from} WHERE {scope} AND k.key IN ({anchors}){year_cond} \
                 AND k.person_id > {from_id}{all_checks} ORDER BY k.person_id LIMIT {limit}) t0"
            ));
        }
        // Tier 1: the bearers of the first group's exact keys (the sound-alikes) without an
        // anchor, walked the same way: a rare spelling of a common sound reads a page of them,
        // not all of them.
        if let (Some(anchors), true) = (&anchor_list, walk_exact && from_tier <= 1) {
            let from_id = start(1, &mut next);
            let distinct = if driver.exact.len() > 1 {
                "DISTINCT "
            } else {
                ""
            };
            let further = checks_on(&mut next, &q.groups, 1, "k.person_id");
            arms.push(format!(
                "SELECT * FROM (SELECT {distinct}k.person_id AS person_id, CAST(1 AS BIGINT) AS tier, \
                 CAST(0 AS BIGINT) AS rank FROM {from} WHERE {scope} AND k.key IN ({exact_list}){year_cond} \
                 AND k.person_id > {from_id} AND NOT EXISTS (SELECT 1 FROM name_keys t \
                 WHERE t.person_id = k.person_id AND t.key IN ({anchors})){further} \
                 ORDER BY k.person_id LIMIT {limit}) t1"
            ));
        }
        // A person's keys all carry the person's birth year, so MAX reads that year.
        let rank = match q.closest_year {
            Some(y) => {
                let (y0, lo, hi) = (
                    next(Bind::Int(y as i64)),
                    next(Bind::Int(y as i64 - 1)),
                    next(Bind::Int(y as i64 + 1)),
                );
                format!(
                    "(MAX(CASE WHEN d.birth_year = {y0} THEN 2000 \
                       WHEN d.birth_year BETWEEN {lo} AND {hi} THEN 1000 ELSE 0 END) + COUNT(*))"
                )
            }
            None => "COUNT(*)".to_string(),
        };
        let having = match after {
            Some(k) if k.tier == 2 && !k.person_id.is_nil() => {
                let n = next(Bind::Int(k.rank));
                let n2 = next(Bind::Int(k.rank));
                let id = next(Bind::Id(k.person_id));
                format!(" HAVING {rank} < {n} OR ({rank} = {n2} AND d.person_id > {id})")
            }
            _ => String::new(),
        };
        let not_before = match (&anchor_list, walk_exact) {
            (Some(a), true) => format!(
                " AND NOT EXISTS (SELECT 1 FROM name_keys t WHERE t.person_id = d.person_id AND t.key IN ({a}, {exact_list}))"
            ),
            (Some(a), false) => format!(
                " AND NOT EXISTS (SELECT 1 FROM name_keys t WHERE t.person_id = d.person_id AND t.key IN ({a}))"
            ),
            (None, _) => String::new(),
        };
        // Tier 2 (the only one when not anchored): the rest, persons born closest to the year
        // given first, then sharing more of the first group's keys (the word as typed and its
        // sound, before the sound alone), so that a page or a cut answer holds the closest first.
        if !branches.is_empty() {
            arms.push(format!(
                "SELECT * FROM (SELECT d.person_id AS person_id, CAST(2 AS BIGINT) AS tier, CAST({rank} AS BIGINT) AS rank \
                 FROM ({}) d WHERE 1 = 1{checks}{not_before} \
                 GROUP BY d.person_id{having} ORDER BY {rank} DESC, d.person_id LIMIT {limit}) t2",
                branches.join(" UNION ALL ")
            ));
        }
        if arms.is_empty() {
            return Ok(Candidates::default());
        }
        // Both engines run the arms of a UNION ALL in order and stop at the outer LIMIT, so
        // tier 1 is not computed while tier 0 fills the page.
        let sql = format!("{} LIMIT {limit}", arms.join(" UNION ALL "));
        let mut found: Vec<(Uuid, i64, i64)> = on_db!(self, pool => {
            let mut query = sqlx::query_as(&sql);
            for b in &binds {
                query = match b {
                    Bind::Text(t) => query.bind(t.clone()),
                    Bind::Int(i) => query.bind(*i),
                    Bind::Id(u) => query.bind(*u),
                };
            }
            query.fetch_all(pool).await?
        });
        let truncated = found.len() > page;
        found.truncate(page);
        let next_page =
            truncated
                .then(|| found.last())
                .flatten()
                .map(|&(person_id, tier, rank)| PageKey {
                    tier,
                    rank,
                    person_id,
                });
        let ids: Vec<Uuid> = found.into_iter().map(|(id, _, _)| id).collect();
        if ids.is_empty() {
            return Ok(Candidates {
                persons: Vec::new(),
                truncated,
                next: next_page,
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
        Ok(Candidates {
            persons,
            truncated,
            next: next_page,
        })
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

/// `AND EXISTS` a key of each group from `from` on, among the person's own keys.
fn checks_on(
    next: &mut impl FnMut(Bind) -> String,
    groups: &[KeyGroup],
    from: usize,
    person: &str,
) -> String {
    let mut checks = String::new();
    for (i, g) in groups.iter().enumerate().skip(from) {
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
            " AND EXISTS (SELECT 1 FROM name_keys o{i} WHERE o{i}.person_id = {person} AND ({}))",
            alts.join(" OR ")
        ));
    }
    checks
}

enum Bind {
    Text(String),
    Int(i64),
    Id(Uuid),
}
