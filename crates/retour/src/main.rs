//! The `retour` command: serve the web application, manage the database, accounts, tokens,
//! demo data and quotes. Bad input exits with code 2 and a message in the user's language
//! (`RETOUR_LANG` or `LANG`: nl, fr or en).

mod config;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use retour_app::audit::chain::{read_checkpoint, write_checkpoint};
use retour_app::auth::NewAccount;
use retour_app::{App, AppError, FieldCipher};
use retour_i18n::{cli_lang, Lang};
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use config::Config;

#[derive(Parser)]
#[command(
    name = "retour",
    version,
    about = "Case management for assisted voluntary return and reintegration"
)]
struct Cli {
    /// Database URL: sqlite://path (default ./data/retour.db) or postgres://…
    #[arg(long, global = true, env = "RETOUR_DATABASE_URL")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web application (pages, API, /healthz).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "RETOUR_BIND")]
        bind: Option<String>,
        /// Load the demo data first and print the demo sign-in.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (set when Retour is served over HTTPS).
        #[arg(long, env = "RETOUR_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Apply pending database migrations (serve does this too).
    Migrate,
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage offices (the return desks and reception centres cases belong to).
    Office {
        #[command(subcommand)]
        command: OfficeCommand,
    },
    /// Manage personal API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Non-binding quote: what a household could receive, with every amount explained (JSON).
    Quote {
        /// A policy file to use instead of the stored policy in force on the application date.
        #[arg(long)]
        policy_file: Option<std::path::PathBuf>,
        /// The household as JSON (see docs/policy.md), or - for standard input.
        input: std::path::PathBuf,
    },
    /// Check, store and list policy versions.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Check and store survey instruments (the Reintegration Sustainability Survey), and
    /// rescore stored surveys with the current version.
    Instrument {
        #[command(subcommand)]
        command: InstrumentCommand,
    },
    /// Surveys after return.
    Surveys {
        #[command(subcommand)]
        command: SurveysCommand,
    },
    /// Read the audit trail (as the operator).
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The data keys: which key encrypts what, rotation onto a new key, retiring an old one.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Scheduled work: expire budget lines past their deadline and raise tasks (the server
    /// also runs it every hour). Safe to run any number of times.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Retention: erase what the policy's retention rules say is due (the server does it every
    /// hour).
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Find stored persons: `retour persons match` reads one person as JSON on standard input.
    Persons {
        #[command(subcommand)]
        command: PersonsCommand,
    },
    /// Import data from other tools.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Load demo data: the two households of the source pages, demo accounts, and optionally a
    /// generated population.
    Demo {
        /// Also generate this many households.
        #[arg(long, default_value_t = 0)]
        households: u64,
        /// Seed of the generated population (the same seed gives the same households).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Register households from a JSON Lines file (one household per line, in the shape of
    /// `POST /api/v1/cases` with its `office`), as the staff account `--as`. Every line is
    /// checked first; nothing is stored if one is invalid, unless `--skip-invalid`.
    Households {
        /// The file, or - for standard input.
        file: std::path::PathBuf,
        /// The e-mail address of the staff account the households are registered by.
        #[arg(long = "as")]
        as_user: String,
        /// Store the valid lines and report the others.
        #[arg(long)]
        skip_invalid: bool,
        /// Report problems, possible duplicates and prior beneficiaries; store nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum PersonsCommand {
    /// Print the stored persons who may be the one on standard input
    /// (`{"family_name", "given_names", "birth_date": "1984" | "1984-05" | "1984-05-11",
    /// "sex", "nationalities": ["XK"]}`), best first, as JSON.
    Match {
        /// Most candidates printed (1–100).
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff account; the password is asked for, or read from standard input.
    Add {
        #[arg(long)]
        email: String,
        /// counsellor, medical_advisor, programme_manager, partner_caseworker, auditor,
        /// data_protection_officer or admin
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        name: String,
        /// The office of a counsellor (its cases are theirs to see).
        #[arg(long)]
        office: Option<String>,
        /// The partner organisation of a partner caseworker.
        #[arg(long)]
        partner_org: Option<String>,
        /// nl, fr or en
        #[arg(long, default_value = "nl")]
        locale: String,
        /// Read the password from standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove an account's second factor (a lost phone and its recovery codes): its sessions
    /// end, and it sets up a new one at its next sign-in if its role requires it.
    ResetSecondFactor { email: String },
    /// Print a one-time link (24 hours) with which the account holder sets a new password;
    /// earlier links of the account stop working. Retour sends no mail: hand it over yourself.
    ResetPassword {
        email: String,
        /// Where Retour's pages are reached.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
}

#[derive(Subcommand)]
enum OfficeCommand {
    /// Add an office: a code (2 to 40 lower-case letters, digits or hyphens) and its name.
    Add { id: String, name: String },
    /// List the offices, code and name.
    List,
}

#[derive(Subcommand)]
enum InstrumentCommand {
    /// Validate an instrument file; every problem is explained with its line.
    Check { file: std::path::PathBuf },
    /// Store an instrument file as its new version and rescore every stored survey with it
    /// (the earlier scores stay in each survey's history).
    Load { file: std::path::PathBuf },
    /// Rescore the surveys not yet scored with the current version (resumes an interrupted load).
    Rescore {
        #[arg(long, default_value = "RSS-2017")]
        instrument: String,
    },
    /// List the stored versions.
    List,
}

#[derive(Subcommand)]
enum SurveysCommand {
    /// Every survey of an instrument: answers and scores, one row per survey, with a
    /// pseudonymous case key and no names.
    Export {
        #[arg(long, default_value = "csv")]
        format: String,
        #[arg(long, default_value = "RSS-2017")]
        instrument: String,
        /// Where to write; standard output when left out.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Validate a policy file; every problem is explained with its line.
    Check { file: std::path::PathBuf },
    /// Store a policy file as a new version (it applies to cases whose application date is on or
    /// after its effective date).
    Load { file: std::path::PathBuf },
    /// List the stored versions.
    List,
    /// Recompute every stored case under a draft policy: households and totals before and
    /// after, per country of return and per vulnerability group.
    Simulate {
        #[arg(long)]
        draft: std::path::PathBuf,
        /// Print CSV instead of a table.
        #[arg(long)]
        csv: bool,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// How many stored values each key encrypts.
    Status,
    /// Add a new key and re-encrypt every value with it, while the server runs. Run it again
    /// after an interruption: it finishes the same rotation.
    Rotate {
        /// Values per write transaction.
        #[arg(long, default_value_t = 500)]
        batch: i64,
    },
    /// Remove a key from the key file once no value uses it.
    Retire {
        /// The key id (k1, k2, …).
        id: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the whole trail: exit 0 when intact, 1 naming the first record that is wrong.
    Verify {
        /// The checkpoint of the chain's head (default: the server's, `audit-head` beside the
        /// database, or `RETOUR_AUDIT_CHECKPOINT`).
        #[arg(long)]
        checkpoint: Option<std::path::PathBuf>,
    },
    /// Number and link the records written since the server last did, and update the checkpoint.
    Seal,
    /// Records newest first, tab-separated: time (UTC), who, action, case, detail.
    List {
        /// A case reference (R-2026-000123).
        #[arg(long)]
        case: Option<String>,
        /// The e-mail address of the person who acted.
        #[arg(long)]
        actor: Option<String>,
        /// An action, such as case.transition or sensitive.read.
        #[arg(long)]
        action: Option<String>,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD, inclusive.
        #[arg(long)]
        to: Option<String>,
        /// How many records.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Records older than this record id (the `next` printed by the previous page).
        #[arg(long)]
        before: Option<uuid::Uuid>,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Run the deadline job once, as of today (or `--today`).
    Run {
        /// YYYY-MM-DD; defaults to today.
        #[arg(long)]
        today: Option<String>,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Erase the details of ended cases that the rules of the policy in force make due: notes
    /// and special-category details deleted, names and documents pseudonymised, proofs deleted.
    Run {
        /// Say what is due without erasing anything.
        #[arg(long)]
        dry_run: bool,
        /// YYYY-MM-DD; defaults to today.
        #[arg(long)]
        today: Option<String>,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token for a user; it is printed once and stored only as a hash.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "api")]
        name: String,
    },
    /// Revoke a token by its id.
    Revoke {
        #[arg(long)]
        id: uuid::Uuid,
    },
}

/// A failure: `Usage` for bad input (exit 2), `Failed` for everything else (exit 1).
enum Failure {
    Usage(String),
    Failed(String),
}

fn app_failure(e: AppError, lang: Lang) -> Failure {
    match &e {
        AppError::Invalid(errs) => Failure::Usage(
            errs.0
                .iter()
                .map(|v| lang.error(v))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        AppError::NotFound => Failure::Usage(lang.t("error-not-found")),
        AppError::Duplicate(_) => Failure::Usage(lang.t("error-duplicate")),
        AppError::Forbidden => Failure::Usage(lang.t("error-forbidden")),
        AppError::Conflict { .. } => Failure::Failed(lang.t("error-conflict")),
        AppError::Busy(_) => Failure::Failed(lang.t("error-busy")),
        AppError::Unavailable(detail) => {
            Failure::Failed(format!("{}: {detail}", lang.t("cli-database-unavailable")))
        }
        AppError::Unauthenticated => Failure::Usage(lang.t("error-unauthenticated")),
        AppError::Internal(detail) => {
            Failure::Failed(format!("{}\n{detail}", lang.t("error-internal")))
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("RETOUR_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let lang = cli_lang();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(cli, lang)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            eprintln!("retour: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(msg)) => {
            eprintln!("retour: {msg}");
            ExitCode::from(1)
        }
    }
}

async fn open(config: &Config, lang: Lang) -> Result<App, Failure> {
    let cipher = FieldCipher::load(
        std::env::var("RETOUR_DATA_KEY").ok().as_deref(),
        &config.key_file,
    )
    .map_err(|e| app_failure(e, lang))?;
    let app = App::open(&config.database_url, cipher)
        .await
        .map_err(|e| app_failure(e, lang))?;
    let app = match &config.mfa_roles {
        Some(roles) => app.with_mfa_roles(roles.clone()),
        None => app,
    };
    Ok(app
        .with_break_glass(config.break_glass.clone())
        .with_files(&config.files_dir))
}

/// A file's text, or standard input for `-`. An unreadable file is bad input (exit 2).
fn read_input(path: &std::path::Path) -> Result<String, Failure> {
    let mut text = String::new();
    let result = if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    result
        .map(|_| text)
        .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))
}

fn policy_from_file(
    path: &std::path::Path,
    lang: Lang,
) -> Result<retour_domain::policy::Policy, Failure> {
    let text = read_input(path)?;
    retour_domain::policy::Policy::parse(&text).map_err(|problems| {
        let mut msg = lang.t_args(
            "cli-policy-problems",
            &[("value", path.display().to_string())],
        );
        for p in problems {
            msg.push_str(&format!("\n  {}", p));
        }
        Failure::Usage(msg)
    })
}

fn instrument_from_file(
    path: &std::path::Path,
    lang: Lang,
) -> Result<(String, retour_domain::instrument::Instrument), Failure> {
    let text = read_input(path)?;
    let parsed = retour_domain::instrument::Instrument::parse(&text).map_err(|problems| {
        let mut msg = lang.t_args(
            "cli-instrument-problems",
            &[("value", path.display().to_string())],
        );
        for p in problems {
            msg.push_str(&format!("\n  {}", p));
        }
        Failure::Usage(msg)
    })?;
    Ok((text, parsed))
}

/// Rescores every survey of `id`, with a progress bar, and says what it did.
async fn rescore(app: &retour_app::App, id: &str, lang: Lang) -> Result<(), Failure> {
    let bar = progress_bar(
        app.survey_count(id)
            .await
            .map_err(|e| app_failure(e, lang))?,
    );
    let report = app
        .rescore_surveys(id, |n| bar.set_position(n))
        .await
        .map_err(|e| app_failure(e, lang))?;
    bar.finish_and_clear();
    println!(
        "{}",
        lang.t_args(
            "cli-instrument-rescored",
            &[
                ("count", report.rescored.to_string()),
                ("value", report.unchanged.to_string()),
            ]
        )
    );
    if report.refused.is_empty() {
        return Ok(());
    }
    let mut msg = lang.t_args(
        "cli-instrument-refused",
        &[("count", report.refused.len().to_string())],
    );
    for (id, why) in &report.refused {
        msg.push_str(&format!("\n  {id}: {why}"));
    }
    Err(Failure::Usage(msg))
}

/// `retour import households`: check every line, report, then register (or only report).
async fn import_households(
    config: &Config,
    lang: Lang,
    file: &std::path::Path,
    as_user: &str,
    skip_invalid: bool,
    dry_run: bool,
) -> Result<(), Failure> {
    use retour_app::import::ImportLine;
    let text = read_input(file)?;
    let lines: Vec<ImportLine> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| ImportLine {
            line: i + 1,
            input: serde_json::from_str(l)
                .map_err(|e| lang.t_args("error-bad-json", &[("detail", e.to_string())])),
        })
        .collect();
    let app = open(config, lang).await?;
    let actor = app
        .actor_by_email(as_user)
        .await
        .map_err(|e| app_failure(e, lang))?;
    let problems = app
        .check_import(&actor, &lines)
        .await
        .map_err(|e| app_failure(e, lang))?;
    for p in &problems {
        match &p.errors {
            Err(msg) => eprintln!("{}:{}: {msg}", file.display(), p.line),
            Ok(errs) => {
                for e in &errs.0 {
                    eprintln!("{}:{}: {}", file.display(), p.line, lang.error(e));
                }
            }
        }
    }
    if !problems.is_empty() && !skip_invalid {
        return Err(Failure::Usage(lang.t_args(
            "cli-import-invalid",
            &[("count", problems.len().to_string())],
        )));
    }
    let bar = ProgressBar::new(lines.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {eta}")
            .expect("a valid progress template"),
    );
    let outcome = app
        .import_households(&actor, lines, dry_run, |n| bar.inc(n))
        .await
        .map_err(|e| app_failure(e, lang))?;
    bar.finish_and_clear();
    for (line, matches) in &outcome.matches {
        for m in matches {
            let kind = if m.is_prior_beneficiary() {
                "cli-import-prior"
            } else {
                "cli-import-duplicate"
            };
            println!(
                "{}:{}: {}",
                file.display(),
                line,
                lang.t_args(
                    kind,
                    &[
                        ("name", m.member_name.clone()),
                        ("reference", m.reference.clone()),
                        ("value", format!("{:.2}", m.score)),
                    ]
                )
            );
        }
    }
    println!(
        "{}",
        lang.t_args(
            if dry_run {
                "cli-import-dry"
            } else {
                "cli-import-done"
            },
            &[
                ("count", outcome.stored.to_string()),
                ("value", outcome.skipped.to_string()),
            ]
        )
    );
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM (how systemd and container runtimes stop a service): the server
/// then stops taking connections and finishes the requests under way.
async fn stop_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
    tracing::info!("stopping: finishing the requests under way");
}

async fn run(cli: Cli, lang: Lang) -> Result<(), Failure> {
    let config = Config::load(cli.database.as_deref()).map_err(Failure::Usage)?;
    match cli.command {
        Command::Migrate => {
            open(&config, lang).await?;
            println!("{}", lang.t("cli-migrated"));
            Ok(())
        }
        Command::Serve {
            bind,
            demo,
            secure_cookies,
        } => {
            let mut app = open(&config, lang).await?;
            if demo {
                print_demo(&app, lang).await?;
                // Trying the demo needs no authenticator app, unless the configuration asks.
                if config.mfa_roles.is_none() {
                    app = app.with_mfa_roles(Vec::new());
                    println!("{}", lang.t("cli-demo-no-mfa"));
                }
            }
            let bind = bind.unwrap_or(config.bind.clone());
            // The audit trail's sealing, every two seconds: records are numbered and linked, and
            // the head goes to the checkpoint file and the log.
            let sealer = app.clone();
            let checkpoint = config.audit_checkpoint.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(std::time::Duration::from_secs(2));
                loop {
                    every.tick().await;
                    match sealer.seal_audit().await {
                        Ok((n, Some(head))) if n > 0 => {
                            tracing::info!(audit_head = %head.to_line(), sealed = n, "audit sealed");
                            if let Err(e) = write_checkpoint(&checkpoint, head) {
                                tracing::warn!(error = %e, path = %checkpoint.display(), "audit checkpoint not written");
                            }
                        }
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "audit sealing failed"),
                    }
                    // A key added by `retour keys rotate` encrypts from now on.
                    match sealer.reload_keys() {
                        Ok(true) => tracing::info!("data keys reread"),
                        Ok(false) => {}
                        Err(e) => tracing::warn!(error = %e, "data keys not reread"),
                    }
                }
            });
            // The deadline job, every hour; a failed run is logged and retried next hour.
            let jobs = app.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
                loop {
                    every.tick().await;
                    if let Err(e) = jobs.run_jobs(jobs.today()).await {
                        tracing::warn!(error = %e, "deadline job failed");
                    }
                    // Retention, with the same hour: what the policy's rules make due.
                    match jobs.run_retention(jobs.today(), false, |_, _| {}).await {
                        Ok(r) if r.notes + r.identities + r.proofs > 0 => tracing::info!(
                            notes = r.notes,
                            identities = r.identities,
                            proofs = r.proofs,
                            "retention applied"
                        ),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "retention job failed"),
                    }
                }
            });
            let state = retour_web::AppState {
                app,
                secure_cookies,
            };
            let server = retour_web::Server::bind(state, &bind).await.map_err(|e| {
                Failure::Failed(format!("{} {bind}: {e}", lang.t("cli-cannot-bind")))
            })?;
            println!(
                "{}",
                lang.t_args(
                    "cli-listening",
                    &[("url", format!("http://{}/login", server.addr))]
                )
            );
            server
                .run(stop_signal())
                .await
                .map_err(|e| Failure::Failed(e.to_string()))
        }
        Command::Keys { command } => keys_command(&config, lang, command).await,
        Command::Audit {
            command: AuditCommand::Seal,
        } => {
            let app = open(&config, lang).await?;
            let (n, head) = app.seal_audit().await.map_err(|e| app_failure(e, lang))?;
            if let Some(head) = head {
                write_checkpoint(&config.audit_checkpoint, head).map_err(|e| {
                    Failure::Failed(format!("{}: {e}", config.audit_checkpoint.display()))
                })?;
            }
            println!(
                "{}",
                lang.t_args(
                    "cli-audit-sealed",
                    &[
                        ("count", n.to_string()),
                        ("seq", head.map_or(0, |h| h.seq).to_string())
                    ]
                )
            );
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify { checkpoint },
        } => {
            let app = open(&config, lang).await?;
            let path = checkpoint.unwrap_or(config.audit_checkpoint.clone());
            let recorded = read_checkpoint(&path).map_err(|p| {
                Failure::Usage(lang.t_args("cli-audit-bad-checkpoint", &[("path", p)]))
            })?;
            if recorded.is_none() {
                eprintln!(
                    "{}",
                    lang.t_args(
                        "cli-audit-no-checkpoint",
                        &[("path", path.display().to_string())]
                    )
                );
            }
            let total = app
                .audit_head()
                .await
                .map_err(|e| app_failure(e, lang))?
                .map_or(0, |h| h.seq);
            let bar = progress_bar(total as u64);
            let v = app
                .verify_audit(recorded, |n| bar.set_position(n))
                .await
                .map_err(|e| app_failure(e, lang))?;
            bar.finish_and_clear();
            print_verification(&v, lang)
        }
        Command::Audit {
            command:
                AuditCommand::List {
                    case,
                    actor,
                    action,
                    from,
                    to,
                    limit,
                    before,
                },
        } => {
            let app = open(&config, lang).await?;
            let filter = retour_app::audit::AuditFilter {
                case_reference: case,
                actor_email: actor,
                actor_id: None,
                action,
                from,
                to,
            };
            let page = app
                .audit(None, &filter, before, limit.clamp(1, 10_000))
                .await
                .map_err(|e| app_failure(e, lang))?;
            for e in page.items {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    e.at.format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default(),
                    e.actor_name.unwrap_or_else(|| "-".into()),
                    e.action,
                    e.case_reference.unwrap_or_else(|| "-".into()),
                    e.detail
                );
            }
            if let Some(next) = page.next {
                eprintln!("{}", lang.t_args("cli-audit-next", &[("value", next)]));
            }
            Ok(())
        }
        Command::Jobs {
            command: JobsCommand::Run { today },
        } => {
            let app = open(&config, lang).await?;
            let day = match today {
                Some(t) => retour_domain::parse_date(&t)
                    .map_err(|e| Failure::Usage(lang.error(&e.at("today"))))?,
                None => app.today(),
            };
            let r = app.run_jobs(day).await.map_err(|e| app_failure(e, lang))?;
            println!(
                "{}",
                lang.t_args(
                    "cli-jobs-done",
                    &[
                        ("count", r.expired_lines.to_string()),
                        ("value", r.new_tasks.to_string())
                    ]
                )
            );
            Ok(())
        }
        Command::Retention {
            command: RetentionCommand::Run { dry_run, today },
        } => {
            let app = open(&config, lang).await?;
            let day = match today {
                Some(t) => retour_domain::parse_date(&t)
                    .map_err(|e| Failure::Usage(lang.error(&e.at("today"))))?,
                None => app.today(),
            };
            let bar = progress_bar(0);
            let r = app
                .run_retention(day, dry_run, |what, n| {
                    bar.set_message(what.as_str());
                    bar.set_position(n);
                })
                .await
                .map_err(|e| app_failure(e, lang))?;
            bar.finish_and_clear();
            let key = if dry_run {
                "cli-retention-due"
            } else {
                "cli-retention-done"
            };
            println!(
                "{}",
                lang.t_args(
                    key,
                    &[
                        ("notes", r.notes.to_string()),
                        ("identities", r.identities.to_string()),
                        ("proofs", r.proofs.to_string())
                    ]
                )
            );
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    role,
                    name,
                    office,
                    partner_org,
                    locale,
                    password_stdin,
                },
        } => {
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| Failure::Failed(e.to_string()))?;
                s.trim_end_matches(['\n', '\r']).to_string()
            } else {
                rpassword::prompt_password(lang.t("cli-password-prompt"))
                    .map_err(|e| Failure::Usage(e.to_string()))?
            };
            let app = open(&config, lang).await?;
            let u = app
                .create_account(
                    None,
                    NewAccount {
                        email,
                        display_name: name,
                        role,
                        office,
                        partner_org,
                        locale,
                        password,
                    },
                )
                .await
                .map_err(|e| app_failure(e, lang))?;
            println!("{}", lang.t_args("cli-user-added", &[("value", u.email)]));
            Ok(())
        }
        Command::User {
            command: UserCommand::ResetPassword { email, base_url },
        } => {
            let app = open(&config, lang).await?;
            let id = app
                .account_id_by_email(&email)
                .await
                .map_err(|e| app_failure(e, lang))?;
            let (_, token) = app
                .create_reset_link(None, id)
                .await
                .map_err(|e| app_failure(e, lang))?;
            println!("{}/reset?token={token}", base_url.trim_end_matches('/'));
            Ok(())
        }
        Command::User {
            command: UserCommand::ResetSecondFactor { email },
        } => {
            let app = open(&config, lang).await?;
            let id = app
                .account_id_by_email(&email)
                .await
                .map_err(|e| app_failure(e, lang))?;
            app.reset_second_factor(None, id)
                .await
                .map_err(|e| app_failure(e, lang))?;
            println!("{}", lang.t_args("cli-mfa-reset", &[("value", email)]));
            Ok(())
        }
        Command::Office { command } => {
            let app = open(&config, lang).await?;
            match command {
                OfficeCommand::Add { id, name } => {
                    let office = app
                        .create_office(None, &id, &name)
                        .await
                        .map_err(|e| app_failure(e, lang))?;
                    println!("{}", office.id);
                }
                OfficeCommand::List => {
                    for o in &app.offices().await.map_err(|e| app_failure(e, lang))?.list {
                        println!("{:<20} {}", o.id, o.name);
                    }
                }
            }
            Ok(())
        }
        Command::Token { command } => {
            let app = open(&config, lang).await?;
            match command {
                TokenCommand::Create { user, name } => {
                    let (rec, token) = app
                        .create_api_token(&user, &name)
                        .await
                        .map_err(|e| app_failure(e, lang))?;
                    eprintln!(
                        "{}",
                        lang.t_args("cli-token-created", &[("value", rec.id.to_string())])
                    );
                    println!("{token}");
                }
                TokenCommand::Revoke { id } => {
                    app.revoke_api_token(id)
                        .await
                        .map_err(|e| app_failure(e, lang))?;
                    println!("{}", lang.t("cli-token-revoked"));
                }
            }
            Ok(())
        }
        Command::Import {
            command:
                ImportCommand::Households {
                    file,
                    as_user,
                    skip_invalid,
                    dry_run,
                },
        } => import_households(&config, lang, &file, &as_user, skip_invalid, dry_run).await,
        Command::Persons {
            command: PersonsCommand::Match { limit },
        } => {
            let text = read_input(std::path::Path::new("-"))?;
            let input: retour_domain::names::matching::MatchInput = serde_json::from_str(&text)
                .map_err(|e| {
                    Failure::Usage(lang.t_args("error-bad-json", &[("detail", e.to_string())]))
                })?;
            let app = open(&config, lang).await?;
            let found = app
                .match_persons(None, &input, limit)
                .await
                .map_err(|e| app_failure(e, lang))?;
            println!(
                "{}",
                serde_json::to_string_pretty(&found).expect("candidates serialise")
            );
            Ok(())
        }
        Command::Quote { policy_file, input } => {
            let text = read_input(&input)?;
            let parsed: retour_domain::quote::QuoteInput =
                serde_json::from_str(&text).map_err(|e| {
                    Failure::Usage(lang.t_args("error-bad-json", &[("detail", e.to_string())]))
                })?;
            let quote = match policy_file {
                Some(path) => {
                    let policy = policy_from_file(&path, lang)?;
                    retour_domain::quote::quote(
                        &policy,
                        &parsed,
                        time::OffsetDateTime::now_utc().date(),
                    )
                    .map_err(|e| app_failure(AppError::Invalid(e), lang))?
                }
                None => {
                    let app = open(&config, lang).await?;
                    let day = retour_domain::parse_date(&parsed.application_date).map_err(|e| {
                        app_failure(AppError::Invalid(e.at("application_date").into()), lang)
                    })?;
                    let policy = app.policy_on(day).await.map_err(|e| app_failure(e, lang))?;
                    retour_domain::quote::quote(
                        &policy,
                        &parsed,
                        time::OffsetDateTime::now_utc().date(),
                    )
                    .map_err(|e| app_failure(AppError::Invalid(e), lang))?
                }
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&quote).expect("a quote serialises")
            );
            Ok(())
        }
        Command::Instrument { command } => match command {
            InstrumentCommand::Check { file } => {
                let (_, i) = instrument_from_file(&file, lang)?;
                println!(
                    "{}",
                    lang.t_args(
                        "cli-instrument-ok",
                        &[(
                            "value",
                            format!("{} ({}, {})", file.display(), i.id(), i.indicators().len())
                        )]
                    )
                );
                Ok(())
            }
            InstrumentCommand::Load { file } => {
                let (text, i) = instrument_from_file(&file, lang)?;
                let app = open(&config, lang).await?;
                match app.load_instrument(None, &text).await {
                    Ok(v) => println!(
                        "{}",
                        lang.t_args(
                            "cli-instrument-loaded",
                            &[("value", format!("{} {}", v.id, v.content_hash))]
                        )
                    ),
                    Err(Ok(rejected)) => {
                        return Err(Failure::Usage(
                            rejected
                                .0
                                .iter()
                                .map(|p| p.to_string())
                                .collect::<Vec<_>>()
                                .join("\n"),
                        ))
                    }
                    Err(Err(e)) => return Err(app_failure(e, lang)),
                }
                rescore(&app, i.id(), lang).await
            }
            InstrumentCommand::Rescore { instrument } => {
                let app = open(&config, lang).await?;
                rescore(&app, &instrument, lang).await
            }
            InstrumentCommand::List => {
                let app = open(&config, lang).await?;
                for i in app.instruments().await.map_err(|e| app_failure(e, lang))? {
                    println!("{}\t{}\t{}", i.id, i.content_hash, i.loaded_at);
                }
                Ok(())
            }
        },
        Command::Surveys { command } => match command {
            SurveysCommand::Export {
                format,
                instrument,
                output,
            } => {
                if format != "csv" {
                    return Err(Failure::Usage(
                        lang.t_args("cli-export-format", &[("value", format)]),
                    ));
                }
                let app = open(&config, lang).await?;
                let bar = progress_bar(
                    app.survey_count(&instrument)
                        .await
                        .map_err(|e| app_failure(e, lang))?,
                );
                let io = |e: std::io::Error| Failure::Usage(e.to_string());
                let n = match output {
                    Some(path) => {
                        let mut f =
                            std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
                        let n = app
                            .export_surveys_csv(&instrument, &mut f, |n| bar.set_position(n))
                            .await
                            .map_err(|e| app_failure(e, lang))?;
                        std::io::Write::flush(&mut f).map_err(io)?;
                        n
                    }
                    None => {
                        let mut out = std::io::BufWriter::new(std::io::stdout());
                        let n = app
                            .export_surveys_csv(&instrument, &mut out, |n| bar.set_position(n))
                            .await
                            .map_err(|e| app_failure(e, lang))?;
                        std::io::Write::flush(&mut out).map_err(io)?;
                        n
                    }
                };
                bar.finish_and_clear();
                eprintln!(
                    "{}",
                    lang.t_args("cli-surveys-exported", &[("count", n.to_string())])
                );
                Ok(())
            }
        },
        Command::Policy { command } => match command {
            PolicyCommand::Check { file } => {
                let p = policy_from_file(&file, lang)?;
                println!(
                    "{}",
                    lang.t_args(
                        "cli-policy-ok",
                        &[(
                            "value",
                            format!("{} ({}, {})", file.display(), p.id(), p.effective_from())
                        )]
                    )
                );
                Ok(())
            }
            PolicyCommand::Load { file } => {
                policy_from_file(&file, lang)?;
                let text = read_input(&file)?;
                let app = open(&config, lang).await?;
                match app.load_policy(None, &text).await {
                    Ok(rec) => {
                        println!(
                            "{}",
                            lang.t_args(
                                "cli-policy-loaded",
                                &[(
                                    "value",
                                    format!(
                                        "{} {} {}",
                                        rec.policy_id, rec.effective_from, rec.content_hash
                                    )
                                )]
                            )
                        );
                        Ok(())
                    }
                    Err(Ok(rejected)) => Err(Failure::Usage(
                        rejected
                            .0
                            .iter()
                            .map(|p| p.to_string())
                            .collect::<Vec<_>>()
                            .join("\n"),
                    )),
                    Err(Err(e)) => Err(app_failure(e, lang)),
                }
            }
            PolicyCommand::Simulate { draft, csv } => {
                let policy = policy_from_file(&draft, lang)?;
                let app = open(&config, lang).await?;
                let total = app.case_count().await.map_err(|e| app_failure(e, lang))?;
                let bar = progress_bar(total);
                let report = app
                    .simulate(&policy, |n| bar.set_position(n))
                    .await
                    .map_err(|e| app_failure(e, lang))?;
                bar.finish_and_clear();
                print_simulation(&report, csv, lang);
                Ok(())
            }
            PolicyCommand::List => {
                let app = open(&config, lang).await?;
                for p in app
                    .policy_versions()
                    .await
                    .map_err(|e| app_failure(e, lang))?
                {
                    println!(
                        "{}\t{}\t{}\t{}",
                        p.policy_id, p.effective_from, p.content_hash, p.loaded_at
                    );
                }
                Ok(())
            }
        },
        Command::Demo { households, seed } => {
            let app = open(&config, lang).await?;
            print_demo(&app, lang).await?;
            if households > 0 {
                let bar = if std::io::stderr().is_terminal() {
                    let b = ProgressBar::new(households);
                    b.set_style(
                        ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta}")
                            .expect("static template"),
                    );
                    b
                } else {
                    ProgressBar::hidden()
                };
                let started = std::time::Instant::now();
                app.load_generated(households, seed, |n| bar.set_position(n))
                    .await
                    .map_err(|e| app_failure(e, lang))?;
                bar.finish_and_clear();
                let secs = started.elapsed().as_secs_f64();
                println!(
                    "{}",
                    lang.t_args(
                        "cli-generated",
                        &[
                            ("count", households.to_string()),
                            ("seconds", format!("{secs:.1}")),
                            ("rate", format!("{:.0}", households as f64 / secs))
                        ]
                    )
                );
            }
            Ok(())
        }
    }
}

/// A progress bar on a terminal, nothing when the output goes to a file or pipe.
async fn keys_command(config: &Config, lang: Lang, command: KeysCommand) -> Result<(), Failure> {
    use retour_app::keys::Refusal;
    let app = open(config, lang).await?;
    match command {
        KeysCommand::Status => {
            let status = app.key_status().await.map_err(|e| app_failure(e, lang))?;
            let active = status
                .keys
                .last()
                .map(|(k, _)| k.clone())
                .unwrap_or_default();
            for (id, n) in &status.keys {
                let key = if *id == active {
                    "cli-keys-active"
                } else {
                    "cli-keys-key"
                };
                println!(
                    "{}",
                    lang.t_args(key, &[("id", id.clone()), ("count", n.to_string())])
                );
            }
            if status.legacy > 0 {
                println!(
                    "{}",
                    lang.t_args("cli-keys-legacy", &[("count", status.legacy.to_string())])
                );
            }
            if status.clear > 0 {
                println!(
                    "{}",
                    lang.t_args("cli-keys-clear", &[("count", status.clear.to_string())])
                );
            }
            Ok(())
        }
        KeysCommand::Rotate { batch } => {
            if !(1..=10_000).contains(&batch) {
                return Err(Failure::Usage(
                    lang.t_args("cli-keys-bad-batch", &[("value", batch.to_string())]),
                ));
            }
            let bar = progress_bar(0);
            let r = app
                .rotate_keys(batch, std::time::Duration::from_secs(3), |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
                .await
                .map_err(|e| app_failure(e, lang))?;
            bar.finish_and_clear();
            let message = if r.added {
                "cli-keys-rotated"
            } else {
                "cli-keys-resumed"
            };
            println!(
                "{}",
                lang.t_args(
                    message,
                    &[("id", r.key.clone()), ("count", r.resealed.to_string())]
                )
            );
            Ok(())
        }
        KeysCommand::Retire { id } => {
            let refused = |key: &str, count: u64| {
                Failure::Usage(
                    lang.t_args(key, &[("id", id.clone()), ("count", count.to_string())]),
                )
            };
            match app
                .retire_key(&id)
                .await
                .map_err(|e| app_failure(e, lang))?
            {
                Ok(()) => {
                    println!("{}", lang.t_args("cli-keys-retired", &[("id", id.clone())]));
                    Ok(())
                }
                Err(Refusal::Unknown) => Err(refused("cli-keys-unknown", 0)),
                Err(Refusal::First) => Err(refused("cli-keys-first", 0)),
                Err(Refusal::Active) => Err(refused("cli-keys-active-stays", 0)),
                Err(Refusal::InUse(n)) => Err(refused("cli-keys-in-use", n)),
            }
        }
    }
}

fn progress_bar(len: u64) -> ProgressBar {
    if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(len);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta}")
                .expect("static template"),
        );
        b
    } else {
        ProgressBar::hidden()
    }
}

fn print_simulation(report: &retour_app::simulate::Report, csv: bool, lang: Lang) {
    let rows = report
        .by_country
        .iter()
        .map(|(k, r)| ("country", k.as_str(), r))
        .chain(
            report
                .by_group
                .iter()
                .map(|(k, r)| ("vulnerability", k.as_str(), r)),
        )
        .chain(std::iter::once(("total", "all", &report.total)));
    if csv {
        println!("dimension,key,households,before_eur,after_eur,difference_eur");
        for (dim, key, r) in rows {
            println!(
                "{dim},{key},{},{:.2},{:.2},{:.2}",
                r.households,
                r.before,
                r.after,
                r.difference()
            );
        }
    } else {
        println!(
            "{:<14} {:<22} {:>10} {:>18} {:>18} {:>16}",
            "",
            "",
            lang.t("sim-households"),
            lang.t("sim-before"),
            lang.t("sim-after"),
            lang.t("sim-difference")
        );
        for (dim, key, r) in rows {
            println!(
                "{:<14} {:<22} {:>10} {:>18} {:>18} {:>16}",
                dim,
                key,
                r.households,
                lang.eur(r.before),
                lang.eur(r.after),
                lang.eur(r.difference())
            );
        }
        if report.skipped > 0 {
            println!(
                "{}",
                lang.t_args("sim-skipped", &[("count", report.skipped.to_string())])
            );
        }
    }
}

async fn print_demo(app: &App, lang: Lang) -> Result<(), Failure> {
    let logins = app.load_demo().await.map_err(|e| app_failure(e, lang))?;
    println!("{}", lang.t("cli-demo-loaded"));
    for l in logins {
        println!("  {:<40} {:<24} {}", l.email, l.role.as_str(), l.password);
    }
    Ok(())
}

/// The outcome of `audit verify`: exit 0 when every record is intact, 1 naming the first wrong.
fn print_verification(
    v: &retour_app::audit::chain::AuditVerification,
    lang: Lang,
) -> Result<(), Failure> {
    use retour_app::audit::chain::Break;
    let broken = v.broken.map(|b| {
        let args: Vec<(&str, String)> = match b {
            Break::Deleted { from, to } => vec![("from", from.to_string()), ("to", to.to_string())],
            Break::CutOff { last, expected } => {
                vec![
                    ("last", last.to_string()),
                    ("expected", expected.to_string()),
                ]
            }
            other => vec![("seq", other.seq().to_string())],
        };
        lang.t_args(&format!("cli-audit-broken-{}", b.kind()), &args)
    });
    let mut problems: Vec<String> = broken.into_iter().collect();
    for id in v.pending_bad.iter().take(10) {
        problems.push(lang.t_args("cli-audit-pending-bad", &[("id", id.to_string())]));
    }
    if problems.is_empty() {
        println!(
            "{}",
            lang.t_args(
                "cli-audit-intact",
                &[
                    ("count", v.checked.to_string()),
                    ("seq", v.head.map_or(0, |h| h.seq).to_string())
                ]
            )
        );
        if v.pending > 0 {
            println!(
                "{}",
                lang.t_args("cli-audit-pending", &[("count", v.pending.to_string())])
            );
        }
        Ok(())
    } else {
        Err(Failure::Failed(problems.join("\n")))
    }
}
