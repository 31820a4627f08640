//! `cargo run --release -p retour-bench -- load --households 1000000` prints the bulk-load rate
//! beside a baseline measured in the same run (generating the same households without storing
//! them), and the database size.

use clap::{Parser, Subcommand};
use retour_app::demo::{Generator, BATCH};
use retour_app::{App, FieldCipher};
use std::time::Instant;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
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
    let Cmd::Load {
        households,
        seed,
        database,
    } = Cli::parse().command;
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

    let store = retour_store::Store::open(&url)
        .await
        .expect("open database");
    let app = App::new(store.clone(), FieldCipher::random().1);
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
        "generate + store (indexes maintained)",
        load,
        households as f64 / load
    );
    println!(
        "cases stored: {cases}; database size: {:.1} MiB ({:.0} bytes per household)",
        size as f64 / 1048576.0,
        size as f64 / households.max(1) as f64
    );
}
