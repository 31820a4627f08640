//! Whether a statement reads a whole large table: the check behind "no page scans a table".
//!
//! At ten million persons a page that reads all of `cases` or `audit_log` is minutes, not
//! milliseconds, and a test database of a few rows never shows it. So the test suite asks each
//! backend's planner for the plan of every statement the pages ran, with the planner told that
//! tables are large (SQLite assumes that without statistics; PostgreSQL is told not to choose a
//! sequential scan when any index would do), and refuses a plan that reads one of
//! [`LARGE_TABLES`] from end to end.

use serde_json::Value;
use sqlx::Row;

use crate::db::Db;
use crate::{Store, StoreResult};

/// The tables that grow with the number of people served.
pub const LARGE_TABLES: &[&str] = &["cases", "persons", "plan_lines", "spendings", "audit_log"];

/// A large table read from end to end by one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullScan {
    pub table: String,
    /// The planner's words for it.
    pub plan: String,
}

impl Store {
    /// The large tables that `sql` reads whole, as this backend would run it with parameters
    /// bound (their values unknown to the planner).
    pub async fn full_scans(&self, sql: &str) -> StoreResult<Vec<FullScan>> {
        match &self.db {
            Db::Sqlite(p) => {
                let rows = sqlx::query(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .fetch_all(p)
                    .await?;
                let details: Vec<String> = rows.iter().map(|r| r.get::<String, _>(3)).collect();
                Ok(sqlite_full_scans(sql, &details))
            }
            Db::Postgres(p) => {
                let mut tx = p.begin().await?;
                // A generic plan is the one chosen for unknown parameter values; without a
                // sequential scan to fall back on, the planner uses an index wherever one fits.
                sqlx::raw_sql(
                    "SET LOCAL enable_seqscan = off; SET LOCAL plan_cache_mode = force_generic_plan",
                )
                .execute(&mut *tx)
                .await?;
                // A name of its own: a statement left behind by a failed call stays on its
                // connection for the session.
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                let name = format!(
                    "retour_plan_{}",
                    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                sqlx::raw_sql(&format!("PREPARE {name} AS {sql}"))
                    .execute(&mut *tx)
                    .await?;
                let nulls = vec!["NULL"; parameter_count(sql)].join(", ");
                let execute = if nulls.is_empty() {
                    format!("EXECUTE {name}")
                } else {
                    format!("EXECUTE {name}({nulls})")
                };
                let row = sqlx::query(&format!("EXPLAIN (FORMAT JSON) {execute}"))
                    .fetch_one(&mut *tx)
                    .await?;
                // `json` travels as its text; sqlx only decodes it to a string unchecked.
                let text: String = row.try_get_unchecked(0)?;
                let plan: Value = serde_json::from_str(&text).map_err(|e| {
                    crate::StoreError::Database(sqlx::Error::Protocol(format!(
                        "unreadable plan: {e}"
                    )))
                })?;
                sqlx::raw_sql(&format!("DEALLOCATE {name}"))
                    .execute(&mut *tx)
                    .await?;
                tx.rollback().await?;
                Ok(postgres_full_scans(&plan))
            }
        }
    }
}

/// The highest `$n` in `sql`.
fn parameter_count(sql: &str) -> usize {
    let b = sql.as_bytes();
    let mut max = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j > start {
                max = max.max(sql[start..j].parse().unwrap_or(0));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    max
}

const NOT_AN_ALIAS: &[&str] = &[
    "where",
    "on",
    "join",
    "left",
    "right",
    "inner",
    "outer",
    "cross",
    "natural",
    "using",
    "order",
    "group",
    "limit",
    "set",
    "values",
    "union",
    "select",
    "as",
    "having",
    "window",
    "returning",
    "offset",
    "full",
    "lateral",
];

/// Name (or alias) → table, from the `FROM` and `JOIN` clauses of `sql`.
fn table_names(sql: &str) -> Vec<(String, String)> {
    let words: Vec<String> = sql
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if w != "from" && w != "join" {
            continue;
        }
        let Some(table) = words.get(i + 1) else {
            continue;
        };
        out.push((table.clone(), table.clone()));
        let mut k = i + 2;
        if words.get(k).map(String::as_str) == Some("as") {
            k += 1;
        }
        if let Some(alias) = words.get(k) {
            if !NOT_AN_ALIAS.contains(&alias.as_str()) {
                out.push((alias.clone(), table.clone()));
            }
        }
    }
    out
}

/// Reads SQLite's `EXPLAIN QUERY PLAN` lines: `SCAN x` reads all of `x`; `SCAN x USING INDEX`
/// reads all of an index, which only a `LIMIT` with the index's own order keeps short.
pub(crate) fn sqlite_full_scans(sql: &str, details: &[String]) -> Vec<FullScan> {
    let names = table_names(sql);
    let lower = sql.to_ascii_lowercase();
    let limited = lower.contains(" limit ") && !details.iter().any(|d| d.contains("TEMP B-TREE"));
    let mut out = Vec::new();
    for d in details {
        let Some(rest) = d.strip_prefix("SCAN ") else {
            continue;
        };
        let name = rest
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let table = names
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.clone())
            .unwrap_or(name);
        if !LARGE_TABLES.contains(&table.as_str()) {
            continue;
        }
        if rest.contains(" USING ") && limited {
            continue;
        }
        out.push(FullScan {
            table,
            plan: d.clone(),
        });
    }
    out
}

/// Reads PostgreSQL's JSON plan: a sequential scan of a large table, or an index scan without a
/// condition that no `LIMIT` above it stops early.
pub(crate) fn postgres_full_scans(plan: &Value) -> Vec<FullScan> {
    let mut out = Vec::new();
    let roots: Vec<&Value> = match plan {
        Value::Array(a) => a.iter().filter_map(|p| p.get("Plan")).collect(),
        v => v.get("Plan").into_iter().collect(),
    };
    for root in roots {
        walk(root, false, &mut out);
    }
    out
}

fn walk(node: &Value, limited: bool, out: &mut Vec<FullScan>) {
    let kind = node.get("Node Type").and_then(Value::as_str).unwrap_or("");
    let limited = match kind {
        "Limit" => true,
        // These read all of their input before the limit sees a row.
        "Sort" | "Aggregate" | "Hash" | "Materialize" | "SetOp" | "WindowAgg" | "Unique" => false,
        _ => limited,
    };
    if let Some(table) = node.get("Relation Name").and_then(Value::as_str) {
        if LARGE_TABLES.contains(&table) {
            let whole = match kind {
                "Seq Scan" => true,
                "Index Scan" | "Index Only Scan" => node.get("Index Cond").is_none() && !limited,
                _ => false,
            };
            if whole {
                let index = node
                    .get("Index Name")
                    .and_then(Value::as_str)
                    .map(|i| format!(" using {i}"))
                    .unwrap_or_default();
                let filter = node
                    .get("Filter")
                    .and_then(Value::as_str)
                    .map(|f| format!(" filter {f}"))
                    .unwrap_or_default();
                out.push(FullScan {
                    table: table.to_string(),
                    plan: format!("{kind} on {table}{index}{filter}"),
                });
            }
        }
    }
    if let Some(Value::Array(children)) = node.get("Plans") {
        for c in children {
            walk(c, limited, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::sqlite_store;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn sqlite_scans_are_named_by_their_table_not_their_alias() {
        let sql = "SELECT * FROM cases c JOIN persons AS p ON p.case_id = c.id WHERE c.office = $1";
        let scans = sqlite_full_scans(
            sql,
            &lines(&["SCAN p", "SEARCH c USING INDEX cases_office (office=?)"]),
        );
        assert_eq!(
            scans,
            vec![FullScan {
                table: "persons".into(),
                plan: "SCAN p".into()
            }]
        );
    }

    #[test]
    fn an_index_read_in_order_under_a_limit_is_not_a_scan_but_a_sort_is() {
        let sql = "SELECT id FROM cases ORDER BY created_at LIMIT 50";
        assert!(
            sqlite_full_scans(sql, &lines(&["SCAN cases USING INDEX cases_created"])).is_empty()
        );
        assert_eq!(
            sqlite_full_scans(sql, &lines(&["SCAN cases", "USE TEMP B-TREE FOR ORDER BY"])).len(),
            1
        );
        let small = "SELECT * FROM offices";
        assert!(sqlite_full_scans(small, &lines(&["SCAN offices"])).is_empty());
    }

    #[test]
    fn postgres_plans_are_walked_to_every_scan() {
        let plan: Value = serde_json::from_str(
            r#"[{"Plan": {"Node Type": "Limit", "Plans": [
                {"Node Type": "Sort", "Plans": [
                    {"Node Type": "Index Only Scan", "Relation Name": "audit_log", "Index Name": "audit_log_pkey"}]},
                {"Node Type": "Index Scan", "Relation Name": "cases", "Index Name": "cases_pkey"},
                {"Node Type": "Nested Loop", "Plans": [
                    {"Node Type": "Seq Scan", "Relation Name": "persons", "Filter": "(x = 1)"},
                    {"Node Type": "Index Scan", "Relation Name": "spendings", "Index Cond": "(case_id = c.id)"}]}]}}]"#,
        )
        .unwrap();
        let tables: Vec<String> = postgres_full_scans(&plan)
            .into_iter()
            .map(|s| s.table)
            .collect();
        assert_eq!(tables, vec!["audit_log", "persons"]);
    }

    #[test]
    fn parameters_are_counted_by_their_highest_number() {
        assert_eq!(parameter_count("SELECT $1, $12, $3"), 12);
        assert_eq!(parameter_count("SELECT 1"), 0);
    }

    #[tokio::test]
    async fn the_live_planner_is_asked() {
        let (store, _dir) = sqlite_store().await;
        let scans = store
            .full_scans("SELECT count(*) FROM cases")
            .await
            .unwrap();
        assert_eq!(scans.len(), 1, "{scans:?}");
        let by_id = store
            .full_scans("SELECT reference FROM cases WHERE id = $1")
            .await
            .unwrap();
        assert!(by_id.is_empty(), "{by_id:?}");
    }
}
