//! The clients of the concurrent-write benchmark (`bench/write_load.py` sets up the server and
//! calls this): N clients save households through the JSON API at once. Each alternates between
//! its own case (nobody else writes it: every save must succeed) and one of two shared cases
//! (read the version, save; a 409 means someone else was first, and the client reads again).
//! At the end every case's version is checked against the saves answered 200: a save answered
//! 200 whose version step is missing is a lost write.
//!
//! The clients are Rust on one thread of their own so that the load generator takes little of
//! the two cores the server is measured on (the Python clients this replaces took half a core).

use serde_json::{json, Value};
use std::time::{Duration, Instant};

#[derive(Default, Debug, Clone)]
struct Tally {
    own: u64,
    shared: u64,
    conflicts: u64,
    server_errors: u64,
    other: u64,
}

fn household(i: u64) -> Value {
    json!({
        "destination_country": "XK", "destination_place": format!("Ferizaj {i}"),
        "location_kind": "reception_centre", "location_name": "Poelkapelle", "office": "poelkapelle",
        "application_date": "2026-10-05", "planned_departure_date": "2027-01-20",
        "members": [{"relationship": "principal", "family_name": "Berisha",
            "given_names": format!("Arben {i}"), "birth_date": "1980-01-01", "sex": "male",
            "nationalities": ["XK"], "languages": ["sq"]}],
    })
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    fn new(base: &str, token: &str) -> Client {
        Client {
            // One kept-alive connection per client, as a browser tab or a script has.
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .timeout(Duration::from_secs(60))
                .build()
                .expect("HTTP client"),
            base: base.to_string(),
            token: token.to_string(),
        }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        match req.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                let body = if status < 300 {
                    r.json().await.unwrap_or(Value::Null)
                } else {
                    let _ = r.bytes().await;
                    Value::Null
                };
                (status, body)
            }
            // A connection refused or reset counts as a server error.
            Err(_) => (599, Value::Null),
        }
    }
}

async fn client(c: Client, own: String, shared: [String; 2], deadline: Instant) -> Tally {
    let mut t = Tally::default();
    let mut version = 1;
    let mut n: u64 = 0;
    while Instant::now() < deadline {
        n += 1;
        let status = if n % 2 == 1 {
            let (status, case) = c
                .send(
                    reqwest::Method::PUT,
                    &format!("/cases/{own}"),
                    Some(json!({"version": version, "household": household(n)})),
                )
                .await;
            if status == 200 {
                version = case["version"].as_i64().expect("version");
                t.own += 1;
                continue;
            }
            status
        } else {
            let target = &shared[(n / 2 % 2) as usize];
            let (status, case) = c
                .send(reqwest::Method::GET, &format!("/cases/{target}"), None)
                .await;
            if status != 200 {
                status
            } else {
                let (status, _) = c
                    .send(
                        reqwest::Method::PUT,
                        &format!("/cases/{target}"),
                        Some(json!({"version": case["version"], "household": household(n)})),
                    )
                    .await;
                if status == 200 {
                    t.shared += 1;
                    continue;
                }
                status
            }
        };
        match status {
            409 => t.conflicts += 1,
            s if s >= 500 => t.server_errors += 1,
            _ => t.other += 1,
        }
    }
    t
}

/// Runs the clients against `base` (`http://host:port/api/v1`) and prints the tally; exits 1 on
/// any server error or lost write.
pub fn run(base: &str, token: &str, clients: usize, seconds: u64, raw: f64) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let setup = Client::new(base, token);
        let mut cases = Vec::new();
        for i in 0..clients + 2 {
            let (status, case) = setup
                .send(reqwest::Method::POST, "/cases", Some(household(i as u64)))
                .await;
            assert_eq!(status, 201, "registering a case");
            cases.push(case["id"].as_str().expect("id").to_string());
        }
        let shared = [cases[clients].clone(), cases[clients + 1].clone()];
        let started = Instant::now();
        let deadline = started + Duration::from_secs(seconds);
        let tasks: Vec<_> = (0..clients)
            .map(|k| {
                tokio::spawn(client(
                    Client::new(base, token),
                    cases[k].clone(),
                    shared.clone(),
                    deadline,
                ))
            })
            .collect();
        let mut tallies = Vec::new();
        for t in tasks {
            tallies.push(t.await.expect("client"));
        }
        let took = started.elapsed().as_secs_f64();
        let version = |id: String| {
            let setup = &setup;
            async move {
                let (status, case) = setup
                    .send(reqwest::Method::GET, &format!("/cases/{id}"), None)
                    .await;
                assert_eq!(status, 200);
                case["version"].as_i64().expect("version") as u64 - 1
            }
        };
        let mut lost: i64 = 0;
        for (k, t) in tallies.iter().enumerate() {
            lost += (version(cases[k].clone()).await as i64 - t.own as i64).abs();
        }
        let steps = version(shared[0].clone()).await + version(shared[1].clone()).await;
        let shared_saves: u64 = tallies.iter().map(|t| t.shared).sum();
        lost += (steps as i64 - shared_saves as i64).abs();
        let own: u64 = tallies.iter().map(|t| t.own).sum();
        let sum = |f: fn(&Tally) -> u64| tallies.iter().map(f).sum::<u64>();
        let saves = own + shared_saves;
        println!("{:46} {:>12}", "", "per second");
        println!("{:46} {:>12.0}", "baseline: raw single-row durable commits", raw);
        println!(
            "{:46} {:>12.0}",
            "saves answered 200 (own and shared cases)",
            saves as f64 / took
        );
        println!(
            "share of the raw commit rate: {:.2}",
            saves as f64 / took / raw
        );
        println!(
            "saves {saves} (own {own}, shared {shared_saves}), 409 {}, 5xx {}, other refusals {}, lost {lost}",
            sum(|t| t.conflicts),
            sum(|t| t.server_errors),
            sum(|t| t.other),
        );
        if sum(|t| t.server_errors) > 0 || lost > 0 {
            std::process::exit(1);
        }
    });
}
