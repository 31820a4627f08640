//! Every page of the demo's filled cases, as each role sees them in Dutch and in French, holds
//! no English, no ISO date, no amount with a decimal point and no `EUR`: what a reader of those
//! languages would trip over. Pages are reached by following links from the home page only.

use regex::Regex;
use std::collections::{BTreeSet, VecDeque};

use crate::support::{sign_in_with, TestServer};

/// Words of English that no Dutch or French page should show (whole words).
const ENGLISH: &str = r"\b(the|and|with|your|this|has been|Save|Cancel|Submit|Edit|Delete|Remove|Approve|Approved|Registered|registered|approved|Amount|Payment|Household|Search|Sign out|Next page|None|Unknown|Yes|No|missing|pending|required)\b";

/// What a page shows a reader: the text inside `<main>`, and the texts of its labels for
/// assistive technology.
fn visible_text(html: &str) -> String {
    let main = match (html.find("<main"), html.find("</main>")) {
        (Some(a), Some(b)) => &html[a..b],
        _ => html,
    };
    let attrs = Regex::new(r#"(?:aria-label|title|placeholder|alt)="([^"]*)""#).unwrap();
    let mut out: Vec<String> = attrs
        .captures_iter(main)
        .map(|c| c[1].to_string())
        .collect();
    // Lists to pick from are checked where they are made (names per language); currency codes
    // are ISO 4217 on purpose.
    let scripts = Regex::new(r"(?s)<(script|style|select)\b.*?</(script|style|select)>").unwrap();
    let tags = Regex::new(r"(?s)<[^>]*>").unwrap();
    let without_scripts = scripts.replace_all(main, " ");
    let text = tags.replace_all(&without_scripts, " ");
    out.push(
        text.replace("&nbsp;", " ")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    );
    out.join(" \n ")
}

fn links(html: &str) -> Vec<String> {
    let href = Regex::new(r##"href="(/[^"#]*)""##).unwrap();
    href.captures_iter(html)
        .map(|c| c[1].replace("&amp;", "&"))
        .filter(|h| {
            !h.starts_with("/static")
                && !h.starts_with("/documents/")
                && !h.starts_with("/api")
                && !h.starts_with("/public")
        })
        .collect()
}

#[tokio::test]
async fn dutch_and_french_pages_of_filled_cases_hold_no_english_iso_dates_or_point_decimals() {
    let s = TestServer::start().await;
    let logins = s.app.load_demo().await.unwrap();
    let suspects: Vec<(Regex, &str)> = vec![
        (Regex::new(ENGLISH).unwrap(), "English"),
        (Regex::new(r"\b\d{4}-\d{2}-\d{2}\b").unwrap(), "ISO date"),
        // `€ 1.500,00` groups thousands with a point in nl and fr: only a point before the
        // cents (`1500.00`) or before a rate's digits (`0.0098`) is English writing.
        (
            Regex::new(r"\b\d+\.\d{2}\b|\b\d+\.\d{4,}\b").unwrap(),
            "decimal point",
        ),
        (Regex::new(r"\bEUR\b").unwrap(), "EUR"),
        (
            Regex::new(r"\b[a-z]+(-[a-z]+){2,}\b").unwrap(),
            "message key",
        ),
    ];
    let mut problems = BTreeSet::new();
    let mut visited_total = 0;
    let mut case_pages = 0;
    for login in &logins {
        for lang in ["nl", "fr"] {
            let (status, client) = sign_in_with(&s, login.email, &login.password).await;
            assert_eq!(status, 303, "{} signs in", login.email);
            let r = client
                .post("/language", &[("lang", lang), ("back", "/home")])
                .await;
            assert_eq!(r.status(), 303);
            let mut seen = BTreeSet::new();
            let mut queue = VecDeque::from(["/home".to_string()]);
            // Bounded: every page kind of every demo case is reached well within this.
            while let Some(path) = queue.pop_front() {
                if seen.len() >= 150 || !seen.insert(path.clone()) {
                    continue;
                }
                let res = client.get(&path).await;
                let status = res.status().as_u16();
                assert!(status < 500, "{} {path}: {status}", login.email);
                if status != 200 {
                    continue;
                }
                let html_page = res
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|t| t.starts_with("text/html"));
                let html = res.text().await.unwrap();
                if !html_page {
                    continue;
                }
                // A subject access export is written in the person's own language when Retour
                // has it, whatever the reader's: checked against the language it declares.
                let declared = html
                    .split("<html lang=\"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .unwrap_or("");
                if path.starts_with("/persons/") && declared != lang {
                    assert_eq!(declared.len(), 2, "{path} declares its language");
                    queue.extend(links(&html));
                    continue;
                }
                if path.starts_with("/cases/") {
                    case_pages += 1;
                }
                let text = visible_text(&html);
                for (re, what) in &suspects {
                    for m in re.find_iter(&text) {
                        // French questions invert with a euphonic t: "a-t-il", "arrive-t-elle".
                        if *what == "message key"
                            && ["-t-il", "-t-elle", "-t-on", "-t-ils", "-t-elles"]
                                .iter()
                                .any(|e| m.as_str().ends_with(e))
                        {
                            continue;
                        }
                        let around = |i: usize| text.floor_char_boundary(i);
                        let context = text
                            [around(m.start().saturating_sub(40))..around(m.end() + 40)]
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ");
                        problems.insert(format!(
                            "{lang} {} {}: {what} “{}” in “{context}”",
                            login.role.as_str(),
                            path.split('/').next_back().unwrap_or(""),
                            m.as_str()
                        ));
                    }
                }
                queue.extend(links(&html));
            }
            visited_total += seen.len();
        }
    }
    assert!(
        case_pages > 50,
        "the walk reached the demo's cases ({case_pages} case pages)"
    );
    assert!(
        problems.is_empty(),
        "{} problems on {visited_total} pages:\n{}",
        problems.len(),
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
    s.stop().await;
}
