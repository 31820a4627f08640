//! No page reads a whole large table: every statement that the pages, searches and API reads
//! of the demo run, as each kind of user reaches them by links, is planned by the database
//! under test, and a plan that reads all of `cases`, `persons`, `plan_lines`, `spendings` or
//! `audit_log` fails the test with the page that ran it. At ten million persons such a page
//! takes minutes; with a few demo rows it would never show.
//!
//! Its own test binary: statements are captured from the process's log events, so no other
//! test may run beside it.

#[allow(dead_code)]
#[path = "web/support.rs"]
mod support;

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Mutex;
use tracing::field::{Field, Visit};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

use support::{sign_in_with, TestServer};

/// Statements run since the last [`take`].
static RAN: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

#[derive(Default)]
struct Statement {
    summary: String,
    full: String,
}

impl Visit for Statement {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => self.summary = value.to_string(),
            // sqlx leaves `db.statement` empty when the summary already is the whole statement.
            "db.statement" | "statement" => self.full = value.trim().to_string(),
            _ => {}
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl<S: tracing::Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut s = Statement::default();
        event.record(&mut s);
        let sql = if s.full.is_empty() { s.summary } else { s.full };
        if !sql.is_empty() {
            RAN.lock().unwrap().push(sql);
        }
    }
}

fn take() -> Vec<String> {
    std::mem::take(&mut *RAN.lock().unwrap())
}

/// Statements whose plan says nothing about reading tables.
fn is_plannable(sql: &str) -> bool {
    let first = sql
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    matches!(
        first.as_str(),
        "SELECT" | "WITH" | "INSERT" | "UPDATE" | "DELETE"
    )
}

fn links(html: &str) -> Vec<String> {
    let href = Regex::new(r##"href="(/[^"#]*)""##).unwrap();
    href.captures_iter(html)
        .map(|c| c[1].replace("&amp;", "&"))
        .filter(|h| !h.starts_with("/static") && !h.starts_with("/public"))
        .collect()
}

#[tokio::test]
async fn no_page_reads_a_whole_large_table() {
    tracing_subscriber::registry()
        .with(
            Capture.with_filter(
                Targets::new()
                    .with_target("sqlx::query", tracing::Level::DEBUG)
                    .with_target("retour_store::read", tracing::Level::DEBUG),
            ),
        )
        .init();

    let s = TestServer::start().await;
    let logins = s.app.load_demo().await.unwrap();
    take();

    // Statement → the first request that ran it.
    let mut ran_by: BTreeMap<String, String> = BTreeMap::new();
    let mut note = |who: &str, what: &str| {
        for sql in take() {
            ran_by
                .entry(sql)
                .or_insert_with(|| format!("{who}: {what}"));
        }
    };
    let case_id = Regex::new(r"^/cases/([0-9a-f-]{36})").unwrap();
    let http = reqwest::Client::new();
    let mut pages = 0;
    for login in &logins {
        let who = login.role.as_str();
        let (status, client) = sign_in_with(&s, login.email, &login.password).await;
        assert_eq!(status, 303, "{} signs in", login.email);
        note(who, "sign-in");

        let mut seen = BTreeSet::new();
        let mut cases = BTreeSet::new();
        let mut queue = VecDeque::from(["/home".to_string()]);
        while let Some(path) = queue.pop_front() {
            if seen.len() >= 200 || !seen.insert(path.clone()) {
                continue;
            }
            let res = client.get(&path).await;
            let status = res.status().as_u16();
            assert!(status < 500, "{who} {path}: {status}");
            let html = if status == 200 {
                res.text().await.unwrap()
            } else {
                String::new()
            };
            note(who, &path);
            pages += 1;
            if let Some(c) = case_id.captures(&path) {
                cases.insert(c[1].to_string());
            }
            queue.extend(links(&html));
        }

        // What is asked by typing: a name, a misspelt one, a year, and the audit filters.
        for (q, year) in [
            ("Miftari", ""),
            ("Miftary", ""),
            ("Ahmadi", "1990"),
            ("a", ""),
        ] {
            let r = client
                .post("/search", &[("q", q), ("birth_year", year)])
                .await;
            assert!(r.status().as_u16() < 500, "{who} search {q}");
            note(who, &format!("search “{q}” {year}"));
        }
        let r = client.post("/audit", &[("action", "case.read")]).await;
        assert!(r.status().as_u16() < 500);
        note(who, "audit filter");

        // The API twins of the pages, with this user's token.
        let (_, token) = s.app.create_api_token(login.email, "plans").await.unwrap();
        take();
        let auth = format!("Bearer {token}");
        let mut api = vec!["/api/v1/tasks".to_string(), "/api/v1/audit".to_string()];
        for id in &cases {
            for tail in [
                "",
                "/members",
                "/plan",
                "/spendings",
                "/transitions",
                "/followups",
                "/surveys",
            ] {
                api.push(format!("/api/v1/cases/{id}{tail}"));
            }
        }
        for path in api {
            let r = http
                .get(s.url(&path))
                .header("authorization", &auth)
                .send()
                .await
                .unwrap();
            assert!(r.status().as_u16() < 500, "{who} {path}");
            note(who, &path);
        }
        let r = http
            .post(s.url("/api/v1/search"))
            .header("authorization", &auth)
            .json(&serde_json::json!({"q": "Miftary"}))
            .send()
            .await
            .unwrap();
        assert!(r.status().as_u16() < 500);
        note(who, "API search");
    }

    let store = s.db.store();
    let mut checked = 0;
    let mut problems = Vec::new();
    for (sql, by) in &ran_by {
        if !is_plannable(sql) {
            continue;
        }
        checked += 1;
        match store.full_scans(sql).await {
            Ok(scans) => {
                for scan in scans {
                    problems.push(format!(
                        "{} read whole ({}) by {by}:\n    {}",
                        scan.table,
                        scan.plan,
                        sql.split_whitespace().collect::<Vec<_>>().join(" ")
                    ));
                }
            }
            Err(e) => problems.push(format!("not plannable ({e}), run by {by}:\n    {sql}")),
        }
    }
    // The capture itself works: the case page's read of the case with its members was seen.
    assert!(
        ran_by
            .keys()
            .any(|sql| sql.contains("FROM cases c JOIN persons p ON p.case_id = c.id")),
        "the case page's statement was captured ({checked} statements over {pages} requests)"
    );
    assert!(checked > 50, "{checked} statements over {pages} requests");
    assert!(
        problems.is_empty(),
        "{} of {checked} statements (over {pages} requests) read a large table whole:\n{}",
        problems.len(),
        problems.join("\n")
    );
    s.stop().await;
}
