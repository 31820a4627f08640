//! `cargo run --release -p retour-bench -- load --households 1000000` prints the bulk-load rate
//! beside a baseline measured in the same run (generating the same households without storing
//! them), and the database size.

use clap::{Parser, Subcommand};
use retour_app::demo::{Generator, BATCH};
use retour_app::{App, FieldCipher};
use std::time::Instant;

mod search;
mod writes;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Recompute every stored case under a draft policy (+500 € principal budget), beside a plain
    /// read of the same pages. Run `load` first.
    Simulate {
        #[arg(long)]
        database: Option<String>,
    },
    /// The baseline of the write benchmark (`bench/write_load.py`): single-row durable commits
    /// one after another, with Retour's connection settings. Prints commits per second.
    Commits {
        #[arg(long)]
        database: String,
        #[arg(long, default_value_t = 2000)]
        count: u64,
    },
    /// The clients of the concurrent-write benchmark (`bench/write_load.py` starts the server
    /// and passes its API address and a counsellor's token).
    Writes {
        /// The API's base address, `http://host:port/api/v1`.
        #[arg(long)]
        api: String,
        #[arg(long)]
        token: String,
        #[arg(long, default_value_t = 8)]
        clients: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// The raw commit rate measured before, printed beside.
        #[arg(long)]
        raw: f64,
    },
    /// Household saves one after another through the use case (no HTTP), beside raw commits.
    Saves {
        #[arg(long)]
        database: String,
        #[arg(long, default_value_t = 2000)]
        count: u64,
    },
    /// Search and matching over a loaded database (run `load` first): p50/p99 latency over
    /// random persons beside a brute-force scan of the same keys, recall@10 on the labelled
    /// set, and the in-scope recall of counsellors searching persons of their own office.
    Search {
        #[arg(long)]
        database: Option<String>,
        #[arg(long, default_value_t = 200)]
        queries: usize,
        #[arg(long, default_value_t = 11)]
        seed: u64,
    },
    /// The tamper-evident audit trail: `records` records appended, then numbered by the sealing
    /// job and walked by `audit verify`, beside a plain read of the same rows in the same run.
    Audit {
        #[arg(long)]
        database: Option<String>,
        #[arg(long, default_value_t = 1_000_000)]
        records: u64,
    },
    /// Key rotation over a loaded database (run `load` first): every case gets an encrypted
    /// closing note, then `keys rotate` re-encrypts them all under a new key, beside a plain
    /// read of the same values by the same statements in the same run.
    Keys {
        #[arg(long)]
        database: Option<String>,
        #[arg(long, default_value_t = 500)]
        batch: i64,
    },
    /// Generate and store households; report households/s and bytes per household.
    Load {
        #[arg(long, default_value_t = 1_000_000)]
        households: u64,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Database URL; default a fresh SQLite file under target/bench.
        #[arg(long)]
        database: Option<String>,
    },
}

#[tokio::main]
async fn main() {
    let (households, seed, database) = match Cli::parse().command {
        Cmd::Load {
            households,
            seed,
            database,
        } => (households, seed, database),
        Cmd::Simulate { database } => return simulate(database).await,
        Cmd::Audit { database, records } => return audit(database, records).await,
        Cmd::Keys { database, batch } => return keys(database, batch).await,
        Cmd::Commits { database, count } => return commits(&database, count).await,
        Cmd::Saves { database, count } => return saves(&database, count).await,
        Cmd::Writes {
            api,
            token,
            clients,
            seconds,
            raw,
        } => {
            // The clients get a thread and runtime of their own, apart from this one.
            std::thread::spawn(move || writes::run(&api, &token, clients, seconds, raw))
                .join()
                .expect("clients");
            return;
        }
        Cmd::Search {
            database,
            queries,
            seed,
        } => return search::run(database, queries, seed).await,
    };
    let url = database.unwrap_or_else(|| {
        let dir = std::path::Path::new("target/bench");
        std::fs::create_dir_all(dir).expect("bench folder");
        for f in ["load.db", "load.db-wal", "load.db-shm"] {
            let _ = std::fs::remove_file(dir.join(f));
        }
        format!("sqlite://{}", dir.join("load.db").display())
    });

    // Baseline: the same households generated and dropped, no database.
    let started = Instant::now();
    let mut g = Generator::new(seed);
    let mut members = 0usize;
    for _ in 0..households {
        members += g.household().members.len();
    }
    let generate = started.elapsed().as_secs_f64();
    // The same, with every person's search keys computed (what storing adds in the CPU).
    let started = Instant::now();
    let mut g = Generator::new(seed);
    let mut keys = 0usize;
    for _ in 0..households {
        for m in g.household().members {
            let p = &m.person;
            keys += retour_domain::names::person_keys(
                [p.family_name.as_str(), p.given_names.as_str()]
                    .into_iter()
                    .chain(p.other_names.iter().map(String::as_str)),
            )
            .len();
        }
    }
    let generate_keys = started.elapsed().as_secs_f64();

    let store = retour_store::Store::open(&url)
        .await
        .expect("open database");
    // A fresh key per load, kept for the benchmarks that read or rotate what it encrypted.
    let _ = std::fs::remove_file(LOAD_KEY);
    let app = App::new(store.clone(), load_key());
    app.load_demo().await.expect("demo accounts");
    let started = Instant::now();
    let mut last_report = Instant::now();
    app.load_generated(households, seed, |n| {
        if last_report.elapsed().as_secs() >= 10 {
            eprintln!(
                "  {n} households, {:.0}/s",
                n as f64 / started.elapsed().as_secs_f64()
            );
            last_report = Instant::now();
        }
    })
    .await
    .expect("load");
    let load = started.elapsed().as_secs_f64();
    let size = store.size_bytes().await.expect("size");
    let cases = store.count_cases().await.expect("count");

    println!(
        "bulk load of {households} households ({members} persons), batches of {BATCH}, {}",
        retour_store::redact(&url)
    );
    println!("{:<44} {:>12} {:>14}", "", "seconds", "households/s");
    println!(
        "{:<44} {:>12.1} {:>14.0}",
        "baseline: generate only (no database)",
        generate,
        households as f64 / generate
    );
    println!(
        "{:<44} {:>12.1} {:>14.0}",
        "generate + compute search keys (no database)",
        generate_keys,
        households as f64 / generate_keys
    );
    println!(
        "{:<44} {:>12.1} {:>14.0}",
        "generate + store (indexes maintained)",
        load,
        households as f64 / load
    );
    println!(
        "search keys: {keys} ({:.1} per person)",
        keys as f64 / members.max(1) as f64
    );
    println!(
        "cases stored: {cases}; database size: {:.1} MiB ({:.0} bytes per household)",
        size as f64 / 1048576.0,
        size as f64 / households.max(1) as f64
    );
}

async fn simulate(database: Option<String>) {
    let url = database.unwrap_or_else(|| "sqlite://target/bench/load.db".into());
    let store = retour_store::Store::open(&url)
        .await
        .expect("open database (run `load` first)");
    let app = App::new(store.clone(), load_key());
    app.ensure_reference_policy()
        .await
        .expect("reference policy");
    let cases = store.count_cases().await.expect("count");
    let draft = retour_domain::policy::Policy::parse(
        &retour_domain::policy::BE_2022_SOURCE
            .replace("principal = \"2000.00\"", "principal = \"2500.00\""),
    )
    .expect("draft policy");
    let started = Instant::now();
    let read = app.read_all_cases(|_| {}).await.expect("read");
    let read_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let report = app.simulate(&draft, |_| {}).await.expect("simulate");
    let sim_s = started.elapsed().as_secs_f64();
    println!(
        "policy simulation over {cases} stored cases, {}",
        retour_store::redact(&url)
    );
    println!("{:<44} {:>12} {:>14}", "", "seconds", "households/s");
    println!(
        "{:<44} {:>12.1} {:>14.0}",
        "baseline: plain read of the same pages",
        read_s,
        read as f64 / read_s
    );
    println!(
        "{:<44} {:>12.1} {:>14.0}",
        "read + evaluate twice (in force, draft)",
        sim_s,
        cases as f64 / sim_s
    );
    println!(
        "ratio simulation / read: {:.2}; households evaluated {}, skipped {}",
        sim_s / read_s,
        report.total.households,
        report.skipped
    );
    println!(
        "total before {} after {} difference {}",
        report.total.before,
        report.total.after,
        report.total.difference()
    );
}

async fn commits(url: &str, count: u64) {
    let store = retour_store::Store::open(url).await.expect("open database");
    let took = store.raw_commits(count).await.expect("commits");
    println!("{:.0}", count as f64 / took.as_secs_f64());
}

async fn saves(url: &str, count: u64) {
    let store = retour_store::Store::open(url).await.expect("open database");
    let app = App::new(store, FieldCipher::random().1);
    app.ensure_reference_policy().await.expect("policy");
    app.create_office(None, "poelkapelle", "Opvangcentrum Poelkapelle")
        .await
        .expect("office");
    let c = app
        .create_account(
            None,
            retour_app::auth::NewAccount {
                email: format!("c{}@bench.example", std::process::id()),
                display_name: "c".into(),
                role: "counsellor".into(),
                office: Some("poelkapelle".into()),
                partner_org: None,
                locale: "en".into(),
                password: "a long enough password".into(),
            },
        )
        .await
        .expect("account")
        .actor();
    let mut case = app
        .register_case(&c, &retour_app::demo::miftari())
        .await
        .expect("case");
    let started = Instant::now();
    for i in 0..count {
        let mut h = retour_domain::HouseholdInput::from_household(&case.household);
        h.destination_place = format!("Ferizaj {i}");
        case = app
            .update_household(&c, case.id, case.version, &h)
            .await
            .expect("save");
    }
    let took = started.elapsed();
    println!(
        "{count} saves in {:.2} s: {:.0}/s, {:.0} µs each",
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64(),
        took.as_micros() as f64 / count as f64
    );
}

/// Appends `records` audit records to a fresh database, then times the sealing job, the full
/// verification and, as the baseline, a plain read of the same rows in the same batches.
/// The data keys of the last `load` (rotation adds to them).
const LOAD_KEY: &str = "target/bench/load.key";

fn load_key() -> FieldCipher {
    std::fs::create_dir_all("target/bench").expect("bench folder");
    FieldCipher::load(None, std::path::Path::new(LOAD_KEY)).expect("the load's key file")
}

async fn keys(database: Option<String>, batch: i64) {
    use retour_store::{RowKey, Sealed};
    let url = database.unwrap_or_else(|| "sqlite://target/bench/load.db".into());
    let store = retour_store::Store::open(&url)
        .await
        .expect("open database (run `load` first)");
    let cipher = load_key();
    let app = App::new(store.clone(), cipher.clone());
    let started = Instant::now();
    let notes = store
        .bench_fill_closure_notes(
            |id| {
                cipher.encrypt(
                    Sealed::ClosureNote,
                    RowKey::id(id),
                    "Terug bij familie in Tirana; werkt in de bakkerij van zijn oom.",
                )
            },
            |_| {},
        )
        .await
        .expect("fill");
    let fill = started.elapsed().as_secs_f64();
    // Baseline: the statements rotation reads with, and nothing else.
    let started = Instant::now();
    let mut after = None;
    let mut read = 0u64;
    loop {
        let values = store
            .sealed_batch(Sealed::ClosureNote, after, "-", batch)
            .await
            .expect("read");
        let Some(last) = values.last() else { break };
        after = Some(last.row);
        read += values.len() as u64;
    }
    let plain = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let r = app
        .rotate_keys(batch, std::time::Duration::ZERO, |_, _| {})
        .await
        .expect("rotate");
    let rotate = started.elapsed().as_secs_f64();
    let status = app.key_status().await.expect("status");
    assert_eq!(status.pending(), 0, "every value under the new key");
    // The demo's encrypted values are rotated too.
    assert!(
        read == notes && r.resealed >= notes,
        "{read} {} {notes}",
        r.resealed
    );
    let rate = |secs: f64| notes as f64 / secs;
    println!(
        "key rotation over {notes} encrypted closing notes (one per case), batch {batch}, {}",
        retour_store::redact(&url)
    );
    println!(
        "  fill (1,000 per statement):  {fill:.1} s, {:.0} values/s",
        rate(fill)
    );
    println!(
        "  plain read (baseline):       {plain:.1} s, {:.0} values/s",
        rate(plain)
    );
    println!(
        "  rotate (decrypt, encrypt, guarded write): {rotate:.1} s, {:.0} values/s ({} values, the demo's included), {:.2}x the plain read's time",
        r.resealed as f64 / rotate,
        r.resealed,
        rotate / plain
    );
}

async fn audit(database: Option<String>, records: u64) {
    let url = database.unwrap_or_else(|| {
        let dir = std::path::Path::new("target/bench");
        std::fs::create_dir_all(dir).expect("bench folder");
        for f in ["audit.db", "audit.db-wal", "audit.db-shm"] {
            let _ = std::fs::remove_file(dir.join(f));
        }
        format!("sqlite://{}", dir.join("audit.db").display())
    });
    let store = retour_store::Store::open(&url)
        .await
        .expect("open database");
    let app = App::new(store.clone(), FieldCipher::random().1);
    let started = Instant::now();
    let mut last = Instant::now();
    store
        .bench_fill_audit(records, |n| {
            if last.elapsed().as_secs() >= 10 {
                eprintln!("  {n} records written");
                last = Instant::now();
            }
        })
        .await
        .expect("fill");
    let fill = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let (sealed, head) = app.seal_audit().await.expect("seal");
    let seal = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let read = store.bench_read_audit().await.expect("read");
    let plain = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let v = app.verify_audit(head, |_| {}).await.expect("verify");
    let verify = started.elapsed().as_secs_f64();
    assert_eq!(v.broken, None, "the trail verifies");
    assert_eq!((v.checked, read, sealed), (records, records, records));
    let rate = |secs: f64| records as f64 / secs;
    println!(
        "audit trail of {records} records, {}",
        retour_store::redact(&url)
    );
    println!(
        "  append (1,000 per statement): {fill:.1} s, {:.0} records/s",
        rate(fill)
    );
    println!(
        "  seal (number and link all):   {seal:.1} s, {:.0} records/s",
        rate(seal)
    );
    println!(
        "  plain read (baseline):        {plain:.1} s, {:.0} records/s",
        rate(plain)
    );
    println!(
        "  verify (seal and link each):  {verify:.1} s, {:.0} records/s, {:.2}x the plain read's time",
        rate(verify),
        verify / plain
    );
}
