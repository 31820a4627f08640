//! `retour-bench search`: finding people at scale. Figures beside a brute-force scan of the same
//! name keys in the same run; recall measured, never assumed.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use retour_app::auth::NewAccount;
use retour_app::search::SearchInput;
use retour_app::{Actor, App, FieldCipher};
use retour_domain::names::matching::MatchInput;
use retour_store::SampledPerson;
use std::collections::HashMap;
use std::time::{Duration, Instant};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    ms(sorted[i])
}

struct Row {
    what: &'static str,
    times: Vec<Duration>,
    note: String,
}

impl Row {
    fn print(&mut self) {
        self.times.sort();
        println!(
            "{:<46} {:>8} {:>9.2} {:>9.2}  {}",
            self.what,
            self.times.len(),
            percentile(&self.times, 0.5),
            percentile(&self.times, 0.99),
            self.note
        );
    }
}

/// A stored person as a counsellor would type them for matching: names, birth year, sex.
fn typed(p: &SampledPerson) -> MatchInput {
    MatchInput {
        family_name: p.family_name.clone(),
        given_names: p.given_names.clone(),
        birth_date: Some(p.birth_date.year().to_string()),
        sex: Some(p.sex.clone()),
        nationalities: Vec::new(),
    }
}

async fn counsellor(app: &App, office: &str) -> Actor {
    app.create_account(
        None,
        NewAccount {
            email: format!("bench-{office}-{}@bench.example", std::process::id()),
            display_name: format!("Bench {office}"),
            role: "counsellor".into(),
            office: Some(office.into()),
            partner_org: None,
            locale: "en".into(),
            password: "a long enough password".into(),
        },
    )
    .await
    .expect("account")
    .actor()
}

pub async fn run(database: Option<String>, queries: usize, seed: u64) {
    let url = database.unwrap_or_else(|| "sqlite://target/bench/load.db".into());
    let store = retour_store::Store::open(&url)
        .await
        .expect("open database (run `load` first)");
    let app = App::new(store.clone(), FieldCipher::random().1);
    let persons = store.count_persons().await.expect("count");
    let cases = store.count_cases().await.expect("count");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut sample: Vec<SampledPerson> = Vec::new();
    while sample.len() < queries {
        let at = rng.gen_range(0..persons);
        if let Some(p) = store.person_at(at).await.expect("sample") {
            sample.push(p);
        }
    }
    let mut counsellors: HashMap<String, Actor> = HashMap::new();
    for p in &sample {
        if !counsellors.contains_key(&p.office) {
            let a = counsellor(&app, &p.office).await;
            counsellors.insert(p.office.clone(), a);
        }
    }
    println!(
        "search and matching over {persons} persons in {cases} cases, {}",
        retour_store::redact(&url)
    );
    println!(
        "{:<46} {:>8} {:>9} {:>9}",
        "", "requests", "p50 ms", "p99 ms"
    );

    // Baseline: the persons sharing a query's keys, found by reading every key row.
    let mut baseline = Row {
        what: "baseline: brute-force scan of the same keys",
        times: Vec::new(),
        note: String::new(),
    };
    for p in sample.iter().take(3) {
        let keys: Vec<String> =
            retour_domain::names::name_keys([p.family_name.as_str(), p.given_names.as_str()])
                .into_iter()
                .collect();
        let started = Instant::now();
        let n = store.persons_by_keys_scan(&keys).await.expect("scan");
        baseline.times.push(started.elapsed());
        baseline.note = format!("{n} persons share the last query's keys");
    }
    baseline.print();

    // Warm-up, untimed: 50 other random persons matched and searched, so that the figures are
    // of a running server (connections open, statements prepared), not of its first queries.
    let mut warm_rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    for _ in 0..50 {
        let at = warm_rng.gen_range(0..persons);
        if let Some(p) = store.person_at(at).await.expect("sample") {
            app.match_persons(None, &typed(&p), 10)
                .await
                .expect("match");
            if let Some(actor) = counsellors.get(&p.office) {
                let q = SearchInput {
                    q: p.family_name.clone(),
                    ..SearchInput::default()
                };
                app.search(actor, &q).await.expect("search");
            }
        }
    }

    // Matching: the person as a counsellor would type them, with the birth year only.
    let mut matching = Row {
        what: "match: names + birth year (whole programme)",
        times: Vec::new(),
        note: String::new(),
    };
    let (mut top10, mut truncated) = (0, 0);
    for p in &sample {
        let started = Instant::now();
        let r = app.match_persons(None, &typed(p), 10).await.expect("match");
        matching.times.push(started.elapsed());
        if r.candidates.iter().any(|c| c.person_id == p.person_id) {
            top10 += 1;
        }
        if r.truncated {
            truncated += 1;
        }
    }
    matching.note = format!(
        "the person in the top 10: {top10}/{}; truncated {truncated}",
        sample.len()
    );
    matching.print();

    // Counsellors searching persons of their own office.
    for (what, with_year) in [
        ("search: family name (counsellor, own office)", false),
        ("search: family name + birth year", true),
    ] {
        let mut row = Row {
            what,
            times: Vec::new(),
            note: String::new(),
        };
        // The reader pages on (the "next page" button) until the person is shown; the first
        // page and the later ones are timed apart.
        let mut later_pages = Row {
            what: "  its later pages",
            times: Vec::new(),
            note: String::new(),
        };
        let (mut first_page, mut later, mut missed, mut most_pages) = (0, 0, 0, 0);
        for p in &sample {
            let actor = &counsellors[&p.office];
            let mut input = SearchInput {
                q: p.family_name.clone(),
                birth_year: with_year.then(|| p.birth_date.year().to_string()),
                nationality: None,
                after: None,
            };
            let mut pages = 0;
            loop {
                let started = Instant::now();
                let r = app.search(actor, &input).await.expect("search");
                let took = started.elapsed();
                if pages == 0 {
                    row.times.push(took);
                } else {
                    later_pages.times.push(took);
                }
                pages += 1;
                if r.hits.iter().any(|h| h.case_id == p.case_id) {
                    if pages == 1 {
                        first_page += 1;
                    } else {
                        later += 1;
                    }
                    break;
                }
                match r.next {
                    Some(next) => input.after = Some(next),
                    None => {
                        missed += 1;
                        break;
                    }
                }
            }
            most_pages = most_pages.max(pages);
        }
        row.note = format!(
            "in-scope recall {}/{}: on the first page {first_page}, on a later page {later} (at most page {most_pages}); missed {missed}",
            first_page + later,
            sample.len()
        );
        row.print();
        later_pages.print();
    }

    // The labelled set, among everyone already stored.
    let office = "bench-labelled";
    // Already there when the benchmark ran before on this database; the account below fails
    // loudly if it is missing for any other reason.
    let _ = app.create_office(None, office, "Bench labelled set").await;
    let c = counsellor(&app, office).await;
    let mut targets = Vec::new();
    let text = include_str!("../../retour-app/tests/data/match_pairs.jsonl");
    let pairs: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("labelled line"))
        .collect();
    let household = |p: &serde_json::Value| -> retour_domain::HouseholdInput {
        let country = p["nationalities"][0].as_str().unwrap_or("XK").to_string();
        serde_json::from_value(serde_json::json!({
            "destination_country": country, "location_kind": "reception_centre",
            "location_name": "Centre", "office": office,
            "application_date": "2026-10-05", "planned_departure_date": "2027-01-20",
            "members": [{"relationship": "principal", "family_name": p["family_name"],
                "given_names": p["given_names"], "other_names": p["other_names"],
                "birth_date": p["birth_date"], "sex": p["sex"], "nationalities": p["nationalities"],
                "languages": []}]
        }))
        .expect("household")
    };
    for p in &pairs {
        let t = app
            .register_case(&c, &household(&p["target"]))
            .await
            .expect("target");
        targets.push(t.id);
        for d in p["decoys"].as_array().into_iter().flatten() {
            app.register_case(&c, &household(d)).await.expect("decoy");
        }
    }
    let mut labelled = Row {
        what: "match: labelled set (243 pairs, whole programme)",
        times: Vec::new(),
        note: String::new(),
    };
    let mut hits = 0;
    let mut misses = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    for (p, target) in pairs.iter().zip(&targets) {
        let q: MatchInput = serde_json::from_value(p["query"].clone()).expect("query");
        let started = Instant::now();
        let r = app.match_persons(None, &q, 10).await.expect("match");
        let took = started.elapsed();
        labelled.times.push(took);
        if took > slowest.0 {
            slowest = (took, format!("{} {}", q.given_names, q.family_name));
        }
        if r.candidates.iter().any(|x| x.case_id == *target) {
            hits += 1;
        } else {
            // Why: where the target stands among more candidates, and the tenth's score.
            let wide = app.match_persons(None, &q, 100).await.expect("match");
            let at = wide.candidates.iter().position(|x| x.case_id == *target);
            misses.push(format!(
                "{} {} {:?}: target {} (score {}), tenth {:.3}",
                q.given_names,
                q.family_name,
                q.birth_date,
                at.map_or("not in 100".into(), |i| format!("#{}", i + 1)),
                at.map_or("-".into(), |i| format!("{:.3}", wide.candidates[i].score)),
                r.candidates.last().map_or(0.0, |c| c.score)
            ));
        }
    }
    labelled.note = format!(
        "recall@10 {hits}/{} = {:.1}%; slowest: {} ({:.1} ms)",
        pairs.len(),
        100.0 * hits as f64 / pairs.len() as f64,
        slowest.1,
        ms(slowest.0)
    );
    labelled.print();
    for m in misses {
        println!("  missed: {m}");
    }
}
