//! The `retour` command as a user runs it: exit codes, messages in their language, and files.

use std::io::Write;
use std::process::{Command, Output, Stdio};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> String {
        format!("sqlite://{}/db/retour.db", self.dir.path().display())
    }

    fn run(&self, args: &[&str], lang: &str, stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_retour"))
            .args(args)
            .current_dir(self.dir.path())
            .env("RETOUR_DATABASE_URL", self.db())
            .env("RETOUR_LANG", lang)
            .env_remove("RETOUR_TEST_DATABASE_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        drop(child.stdin.take());
        child.wait_with_output().unwrap()
    }

    fn write(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }
}

fn policy_file() -> String {
    format!("{}/../../policies/be-2022.toml", env!("CARGO_MANIFEST_DIR"))
}

const EXAMPLE: &str = r#"{"application_date": "2026-03-02", "planned_departure_date": "2026-04-20", "destination": "XK",
 "members": [
   {"id": "a", "role": "principal", "birth_date": "1984-05-11", "nationalities": ["XK"],
    "vulnerabilities": ["complex_medical"], "prior_support_dates": ["2019-06-01"],
    "medical_needs": [{"label": "insulin", "monthly_eur": "120.00"}, {"label": "tests", "one_off_eur": "400.00"}]},
   {"id": "c1", "role": "child", "birth_date": "2015-01-30", "nationalities": ["XK"], "vulnerabilities": []}]}"#;

#[test]
fn quote_prints_json_and_refuses_bad_input_with_exit_code_2() {
    let env = Env::new();
    let input = env.write("case.json", EXAMPLE);
    let out = env.run(
        &["quote", "--policy-file", &policy_file(), &input],
        "en",
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let q: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Kosovo is visa-exempt: premiums 50 + 25; AMAAR 400 + 6 × 120 = 1120 and the family top-up
    // 500 need approval; partner fee 300 because there is an in-kind amount.
    assert_eq!(q["policy"], "BE-2022");
    assert_eq!(q["country_category"], "visa_exempt");
    assert_eq!(q["totals"]["departure_premium_cash"], "75.00");
    assert_eq!(q["totals"]["medical_in_kind"], "1120.00");
    assert_eq!(q["totals"]["vulnerability_in_kind"], "500.00");
    assert_eq!(q["totals"]["partner_fee"], "300.00");
    assert_eq!(q["totals"]["approval_required"], "1620.00");
    assert_eq!(
        q["services"],
        serde_json::json!(["balkan_administrative_support"])
    );

    // The same from standard input, and from the stored policy in force (the reference policy).
    let stdin = env.run(
        &["quote", "--policy-file", &policy_file(), "-"],
        "en",
        Some(EXAMPLE),
    );
    assert_eq!(stdin.stdout, out.stdout);
    let stored = env.run(&["quote", &input], "en", None);
    assert_eq!(
        stored.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&stored.stderr)
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&stored.stdout).unwrap()["totals"],
        q["totals"]
    );

    let bad = env.write(
        "bad.json",
        &EXAMPLE.replace("\"destination\": \"XK\"", "\"destination\": \"KS\""),
    );
    for (lang, text) in [
        ("en", "is not a known country code"),
        ("nl", "is geen gekende landcode"),
        ("fr", "n’est pas un code de pays connu"),
    ] {
        let out = env.run(
            &["quote", "--policy-file", &policy_file(), &bad],
            lang,
            None,
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(text),
            "{lang}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let not_json = env.write("x.json", "{\"members\": [");
    assert_eq!(
        env.run(
            &["quote", "--policy-file", &policy_file(), &not_json],
            "en",
            None
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        env.run(
            &["quote", "--policy-file", &policy_file(), "missing.json"],
            "en",
            None
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn policy_check_explains_problems_with_their_line() {
    let env = Env::new();
    let ok = env.run(&["policy", "check", &policy_file()], "en", None);
    assert_eq!(ok.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("BE-2022"));
    let text = std::fs::read_to_string(policy_file())
        .unwrap()
        .replace("adult = \"350.00\"", "adult = \"-350.00\"");
    let broken = env.write("broken.toml", &text);
    let out = env.run(&["policy", "check", &broken], "en", None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = text.lines().position(|l| l.contains("-350.00")).unwrap() + 1;
    assert!(err.contains(&format!("line {line}")), "{err}");

    // Loading stores a new version once; the same content again is refused.
    let load = env.run(&["policy", "load", &policy_file()], "en", None);
    assert_eq!(
        load.status.code(),
        Some(2),
        "the reference policy is already stored on first start"
    );
    let next = env.write(
        "be-2027.toml",
        &std::fs::read_to_string(policy_file())
            .unwrap()
            .replace(
                "effective_from = \"2022-01-01\"",
                "effective_from = \"2027-01-01\"",
            )
            .replace("per_case = \"300.00\"", "per_case = \"350.00\""),
    );
    assert_eq!(
        env.run(&["policy", "load", &next], "en", None)
            .status
            .code(),
        Some(0)
    );
    let list = String::from_utf8(env.run(&["policy", "list"], "en", None).stdout).unwrap();
    assert_eq!(list.lines().count(), 2, "{list}");
}

#[test]
fn accounts_demo_and_migrations_from_the_command_line() {
    let env = Env::new();
    assert_eq!(env.run(&["migrate"], "en", None).status.code(), Some(0));
    assert!(
        env.dir.path().join("db/retour.db").exists(),
        "the SQLite file and its folder are created"
    );
    assert!(
        env.dir.path().join("db/retour.key").exists(),
        "the data key is created beside it"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &str| {
        std::fs::metadata(env.dir.path().join(p))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("db"), 0o700, "the folder is Retour's user's only");
    assert_eq!(mode("db/retour.db"), 0o600, "so is the database file");
    assert_eq!(mode("db/retour.key"), 0o600, "and the data key");
    // Offices are records: a counsellor of an office Retour does not know is refused.
    let unknown = env.run(
        &[
            "user",
            "add",
            "--email",
            "z@x.org",
            "--role",
            "counsellor",
            "--office",
            "poelkapel",
            "--password-stdin",
        ],
        "en",
        Some("a long enough password\n"),
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("poelkapel"));
    let office = |lang| {
        env.run(
            &["office", "add", "poelkapelle", "Opvangcentrum Poelkapelle"],
            lang,
            None,
        )
    };
    assert_eq!(office("en").status.code(), Some(0));
    assert_eq!(office("nl").status.code(), Some(2), "a code in use");
    let list = String::from_utf8(env.run(&["office", "list"], "en", None).stdout).unwrap();
    assert!(list.contains("Opvangcentrum Poelkapelle"), "{list}");
    let add = |email: &str, role: &str, pw: &str| {
        env.run(
            &[
                "user",
                "add",
                "--email",
                email,
                "--role",
                role,
                "--office",
                "poelkapelle",
                "--password-stdin",
            ],
            "en",
            Some(pw),
        )
    };
    assert_eq!(
        add("a@x.org", "counsellor", "a long enough password\n")
            .status
            .code(),
        Some(0)
    );
    let dup = add("A@x.org", "counsellor", "a long enough password\n");
    assert_eq!(dup.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));
    // The operator reads the trail: the account creation is in it, by the command line.
    let trail = env.run(&["audit", "list", "--action", "user.create"], "en", None);
    assert_eq!(trail.status.code(), Some(0));
    let lines = String::from_utf8_lossy(&trail.stdout).to_string();
    assert_eq!(lines.lines().count(), 1, "{lines}");
    assert!(lines.contains("\t-\tuser.create\t-\tuser "), "{lines}");
    let wrong = env.run(&["audit", "list", "--action", "drop.table"], "nl", None);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("is geen toegelaten waarde"));
    let bad = add("b@x.org", "boss", "short\n");
    assert_eq!(bad.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&bad.stderr);
    assert!(
        msg.contains("“boss”") && msg.contains("at least 12 characters"),
        "{msg}"
    );

    let demo = env.run(&["demo", "--households", "30", "--seed", "5"], "en", None);
    assert_eq!(
        demo.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let out = String::from_utf8_lossy(&demo.stdout);
    assert!(
        out.contains("counsellor@demo.retour.example") && out.contains("30 households generated"),
        "{out}"
    );
    // The operator's way out when an administrator lost their phone and recovery codes.
    let reset = env.run(&["user", "reset-second-factor", "a@x.org"], "nl", None);
    assert_eq!(reset.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&reset.stdout).contains("opnieuw ingesteld"));
    assert_eq!(
        env.run(&["user", "reset-second-factor", "nobody@x.org"], "en", None)
            .status
            .code(),
        Some(2)
    );
    // Retention: nothing in a fresh demo is old enough; a dry run says so and erases nothing.
    let due = env.run(&["retention", "run", "--dry-run"], "nl", None);
    assert_eq!(due.status.code(), Some(0));
    let said = String::from_utf8_lossy(&due.stdout);
    assert!(
        said.contains("niets gewist") && said.contains("notities van 0"),
        "{said}"
    );
    // Ten years on, the demo's ended cases are due.
    let later = env.run(
        &["retention", "run", "--dry-run", "--today", "2036-12-31"],
        "en",
        None,
    );
    let said = String::from_utf8_lossy(&later.stdout);
    assert!(!said.contains("notes of 0 cases"), "{said}");
    assert_eq!(
        env.run(&["retention", "run", "--today", "31-31-2036"], "en", None)
            .status
            .code(),
        Some(2)
    );
    let token = env.run(&["token", "create", "--user", "a@x.org"], "en", None);
    assert_eq!(token.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&token.stdout)
        .trim()
        .starts_with("rt_"));
    assert_eq!(
        env.run(&["token", "create", "--user", "nobody@x.org"], "en", None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        env.run(&["frobnicate"], "en", None).status.code(),
        Some(2),
        "unknown commands are usage errors"
    );
}

#[test]
fn the_deadline_job_runs_from_cron_and_refuses_a_bad_date() {
    let env = Env::new();
    let ok = env.run(&["jobs", "run"], "en", None);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout).trim(),
        "Deadline job done: 0 budget lines expired, 0 new tasks."
    );
    let again = env.run(&["jobs", "run", "--today", "2027-06-30"], "nl", None);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stdout).contains("Termijncontrole uitgevoerd"));
    let bad = env.run(&["jobs", "run", "--today", "31/06/2027"], "fr", None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&bad.stderr).trim().is_empty());
}

#[test]
fn the_server_finishes_and_exits_cleanly_when_the_service_manager_stops_it() {
    use std::io::{BufRead, BufReader};
    let env = Env::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_retour"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(env.dir.path())
        .env("RETOUR_DATABASE_URL", env.db())
        .env("RETOUR_LANG", "en")
        .env_remove("RETOUR_TEST_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the address is printed")
        .to_string();
    let addr = url.trim_start_matches("http://").split('/').next().unwrap();
    // A request is answered, and logged with its id and path but not its query string.
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"GET /healthz?secret=42 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("x-request-id:"));
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a clean stop, not a kill");
    let mut log = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut log).unwrap();
    assert!(log.contains("path=/healthz"), "{log}");
    assert!(!log.contains("secret"), "no query string in the log: {log}");
    assert!(log.contains("stopping"), "{log}");
}

#[test]
fn persons_are_matched_and_households_imported_from_the_command_line() {
    let env = Env::new();
    assert!(env.run(&["demo"], "en", None).status.success());
    // Matching: the contract's JSON in, candidates best first out.
    let out = env.run(
        &["persons", "match", "--limit", "3"],
        "en",
        Some(r#"{"family_name": "Miftary", "given_names": "Agron", "birth_date": "1985"}"#),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["candidates"][0]["family_name"], "Miftari");
    assert_eq!(v["candidates"][0]["given_names"], "Agron");
    assert!(v["candidates"][0]["score"].as_f64().unwrap() >= 0.8);
    assert_eq!(v["truncated"], false);
    // Every problem of bad input, exit 2.
    let out = env.run(
        &["persons", "match"],
        "fr",
        Some(r#"{"family_name": "", "birth_date": "1984-13", "nationalities": ["ZZ"]}"#),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("family_name")
            && err.contains("birth_date")
            && err.contains("nationalities[0]"),
        "{err}"
    );

    // Import: one invalid line stores nothing; --skip-invalid stores the others and reports
    // the household Retour already holds.
    let good = r#"{"destination_country": "XK", "location_kind": "reception_centre", "location_name": "Poelkapelle", "office": "poelkapelle", "application_date": "2026-10-05", "planned_departure_date": "2027-01-20", "members": [{"relationship": "principal", "family_name": "Miftary", "given_names": "Agron", "birth_date": "1985", "sex": "male", "nationalities": ["XK"]}]}"#;
    let other = good.replace("Miftary", "Gashi").replace("Agron", "Besnik");
    let file = env.write("in.jsonl", &format!("{good}\n{other}\n{{not json\n"));
    let args = [
        "import",
        "households",
        file.as_str(),
        "--as",
        "counsellor@demo.retour.example",
    ];
    let out = env.run(&args, "nl", None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("in.jsonl:3") && err.contains("niets opgeslagen"),
        "{err}"
    );
    let dry = env.run(
        &[&args[..], &["--skip-invalid", "--dry-run"]].concat(),
        "en",
        None,
    );
    assert!(dry.status.success());
    let said = String::from_utf8_lossy(&dry.stdout);
    assert!(said.contains("in.jsonl:1") && said.contains("R-"), "{said}");
    let out = env.run(&[&args[..], &["--skip-invalid"]].concat(), "en", None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2 households registered, one line skipped")
    );
    let found = env.run(
        &["persons", "match"],
        "en",
        Some(r#"{"family_name": "Gashi", "given_names": "Besnik"}"#),
    );
    let v: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(v["candidates"][0]["given_names"], "Besnik");
}

fn instrument_file() -> String {
    format!(
        "{}/../../instruments/rss-2017.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn survey_instruments_are_checked_loaded_rescored_and_surveys_exported() {
    let env = Env::new();
    let ok = env.run(&["instrument", "check", &instrument_file()], "en", None);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("RSS-2017, 15"));
    // Weights that do not add up: refused, naming the line.
    let text = std::fs::read_to_string(instrument_file()).unwrap();
    let broken = env.write(
        "broken.toml",
        &text.replacen("weight = \"1/5\"", "weight = \"1/4\"", 1),
    );
    let out = env.run(&["instrument", "check", &broken], "nl", None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bevat fouten"), "{err}");
    assert!(
        err.contains("line ") && err.contains("add up to 21/20, not 1"),
        "{err}"
    );

    // The demo has one survey (Caritas Guinée's baseline of the Diallo household).
    assert_eq!(env.run(&["demo"], "en", None).status.code(), Some(0));
    let csv_path = env.dir.path().join("surveys.csv");
    let export = env.run(
        &[
            "surveys",
            "export",
            "--format",
            "csv",
            "--output",
            csv_path.to_str().unwrap(),
        ],
        "en",
        None,
    );
    assert_eq!(
        export.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    assert!(String::from_utf8_lossy(&export.stderr).contains("One survey exported."));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.lines().nth(1).unwrap().contains(",GN,baseline,"),
        "{csv}"
    );
    assert!(!csv.contains("Diallo"), "no names in the export");
    assert_eq!(
        env.run(&["surveys", "export", "--format", "xlsx"], "fr", None)
            .status
            .code(),
        Some(2)
    );

    // The official weights: stored, and the demo's survey rescored once.
    let official = env.write(
        "official.toml",
        &text.replacen("provisional = true", "provisional = false", 1),
    );
    let load = env.run(&["instrument", "load", &official], "en", None);
    assert_eq!(
        load.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&load.stderr)
    );
    assert!(String::from_utf8_lossy(&load.stdout)
        .contains("One survey rescored, 0 already up to date."));
    let again = env.run(&["instrument", "rescore"], "en", None);
    assert!(String::from_utf8_lossy(&again.stdout)
        .contains("0 surveys rescored, 1 already up to date."));
    let list = String::from_utf8(env.run(&["instrument", "list"], "en", None).stdout).unwrap();
    assert_eq!(
        list.lines().filter(|l| l.starts_with("RSS-2017\t")).count(),
        2
    );
    // The same file twice is refused.
    assert_eq!(
        env.run(&["instrument", "load", &official], "en", None)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn the_audit_trail_is_sealed_and_verified_from_the_command_line() {
    let env = Env::new();
    for code in ["gent", "luik", "genk"] {
        let added = env.run(
            &["office", "add", code, &format!("Loket {code}")],
            "en",
            None,
        );
        assert_eq!(
            added.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&added.stderr)
        );
    }
    let sealed = env.run(&["audit", "seal"], "en", None);
    assert_eq!(sealed.status.code(), Some(0));
    let out = String::from_utf8_lossy(&sealed.stdout).trim().to_string();
    let newest: i64 = out
        .rsplit("number ")
        .next()
        .and_then(|n| n.trim_end_matches('.').parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    assert!(newest >= 3, "{out}");
    assert_eq!(
        out,
        format!("{newest} records numbered; the newest is number {newest}.")
    );
    let head = env.dir.path().join("db/audit-head");
    let recorded = std::fs::read_to_string(&head).expect("the checkpoint beside the database");
    assert!(recorded.starts_with(&format!("{newest} ")), "{recorded}");

    let ok = env.run(&["audit", "verify"], "nl", None);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout).trim(),
        format!(
            "Het auditspoor is intact: {newest} registraties gecontroleerd, tot nummer {newest}."
        )
    );

    // The checkpoint knows of records the database no longer holds: the newest were cut off.
    std::fs::write(&head, format!("{} {}\n", newest + 4, "ab".repeat(32))).unwrap();
    let cut = env.run(&["audit", "verify"], "fr", None);
    assert_eq!(cut.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&cut.stderr).trim(),
        format!(
            "retour: Les enregistrements les plus récents ont été coupés : le journal s’arrête au numéro {newest}, le point de contrôle indique le numéro {} (supprimés).",
            newest + 4
        )
    );

    let bad = env.write("not-a-head", "hello");
    let refused = env.run(&["audit", "verify", "--checkpoint", &bad], "en", None);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not an audit checkpoint"));
}

#[test]
fn data_keys_are_rotated_and_retired_from_the_command_line() {
    let env = Env::new();
    let status = env.run(&["keys", "status"], "en", None);
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&status.stdout).trim(),
        "k1 (encrypts): 0 values"
    );
    let rotated = env.run(&["keys", "rotate"], "nl", None);
    assert_eq!(rotated.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&rotated.stdout).trim(),
        "Nieuwe sleutel k2: 0 waarden opnieuw versleuteld."
    );
    let status = env.run(&["keys", "status"], "fr", None);
    assert_eq!(
        String::from_utf8_lossy(&status.stdout).trim(),
        "k1 : 0 valeurs\nk2 (chiffre) : 0 valeurs"
    );
    // The first key and the active one stay; an unknown one is named.
    for (id, message) in [
        ("k1", "retour: La clé k1 reste : les pseudonymes et les sceaux du journal d’audit en dérivent."),
        ("k2", "retour: La clé k2 chiffre les nouvelles valeurs et reste."),
        ("k7", "retour: Il n’y a pas de clé k7. `retour keys status` affiche les clés."),
    ] {
        let refused = env.run(&["keys", "retire", id], "fr", None);
        assert_eq!(refused.status.code(), Some(2), "{id}");
        assert_eq!(String::from_utf8_lossy(&refused.stderr).trim(), message);
    }
    let bad = env.run(&["keys", "rotate", "--batch", "0"], "en", None);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        env.run(&["keys", "rotate"], "en", None).status.code(),
        Some(0)
    );
    let retired = env.run(&["keys", "retire", "k2"], "en", None);
    assert_eq!(retired.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&retired.stdout).trim(),
        "Key k2 was removed from the key file."
    );
    let status = env.run(&["keys", "status"], "en", None);
    assert_eq!(
        String::from_utf8_lossy(&status.stdout).trim(),
        "k1: 0 values\nk3 (encrypts): 0 values"
    );
}
