//! Configuration: `retour.toml` in the working folder, then `RETOUR_*` variables, then flags.

use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    bind: Option<String>,
    key_file: Option<PathBuf>,
    files_dir: Option<PathBuf>,
    audit_checkpoint: Option<PathBuf>,
    mfa_roles: Option<Vec<String>>,
    break_glass_hours: Option<i64>,
    break_glass_closed_kinds: Option<Vec<String>>,
}

pub struct Config {
    pub database_url: String,
    pub bind: String,
    /// The data key for encrypted fields, when `RETOUR_DATA_KEY` is not set.
    pub key_file: PathBuf,
    /// Where uploaded proofs of payment are kept.
    pub files_dir: PathBuf,
    /// The head of the audit chain, kept outside the database so that cutting off the newest
    /// records is detected.
    pub audit_checkpoint: PathBuf,
    /// The roles that must sign in with a second factor, when the configuration names them
    /// (`mfa_roles` in the file, or `RETOUR_MFA_ROLES` with commas; empty for none); `None`
    /// keeps the default (`retour_app::mfa::DEFAULT_MFA_ROLES`).
    pub mfa_roles: Option<Vec<retour_app::Role>>,
    /// Break-glass access: how long a grant lasts, and which vulnerability kinds close a case
    /// to it (`RETOUR_BREAK_GLASS_HOURS`, `RETOUR_BREAK_GLASS_CLOSED_KINDS` with commas).
    pub break_glass: retour_app::break_glass::GlassSettings,
}

pub const DEFAULT_DATABASE: &str = "sqlite://./data/retour.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

impl Config {
    /// `database` is the flag or `RETOUR_DATABASE_URL` (clap reads both).
    pub fn load(database: Option<&str>) -> Result<Config, String> {
        let path = std::env::var("RETOUR_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from("retour.toml"));
        let file: FileConfig = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?,
            Err(_) => FileConfig::default(),
        };
        let database_url = database
            .map(str::to_string)
            .or(file.database_url)
            .unwrap_or_else(|| DEFAULT_DATABASE.to_string());
        let key_file = std::env::var("RETOUR_KEY_FILE")
            .map(PathBuf::from)
            .ok()
            .or(file.key_file)
            .unwrap_or_else(|| default_beside(&database_url, "retour.key"));
        let files_dir = std::env::var("RETOUR_FILES_DIR")
            .map(PathBuf::from)
            .ok()
            .or(file.files_dir)
            .unwrap_or_else(|| default_beside(&database_url, "files"));
        let audit_checkpoint = std::env::var("RETOUR_AUDIT_CHECKPOINT")
            .map(PathBuf::from)
            .ok()
            .or(file.audit_checkpoint)
            .unwrap_or_else(|| default_beside(&database_url, "audit-head"));
        let mfa_roles = match std::env::var("RETOUR_MFA_ROLES") {
            Ok(list) => Some(
                list.split(',')
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            Err(_) => file.mfa_roles,
        }
        .map(|names: Vec<String>| {
            names
                .iter()
                .map(|n| {
                    n.parse::<retour_app::Role>()
                        .map_err(|_| format!("mfa_roles: unknown role {n:?}"))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
        let mut break_glass = retour_app::break_glass::GlassSettings::default();
        let hours =
            match std::env::var("RETOUR_BREAK_GLASS_HOURS") {
                Ok(h) => Some(h.trim().parse::<i64>().map_err(|_| {
                    format!("RETOUR_BREAK_GLASS_HOURS: not a number of hours: {h:?}")
                })?),
                Err(_) => file.break_glass_hours,
            };
        if let Some(h) = hours {
            if !(1..=24).contains(&h) {
                return Err(format!("break_glass_hours: {h} is not between 1 and 24"));
            }
            break_glass.hours = h;
        }
        let closed = match std::env::var("RETOUR_BREAK_GLASS_CLOSED_KINDS") {
            Ok(list) => Some(
                list.split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            Err(_) => file.break_glass_closed_kinds,
        };
        if let Some(kinds) = closed {
            for k in &kinds {
                if k.parse::<retour_domain::quote::Vulnerability>().is_err() {
                    return Err(format!(
                        "break_glass_closed_kinds: unknown vulnerability {k:?}"
                    ));
                }
            }
            break_glass.closed_kinds = kinds;
        }
        Ok(Config {
            break_glass,
            mfa_roles,
            files_dir,
            audit_checkpoint,
            database_url,
            bind: file.bind.unwrap_or_else(|| DEFAULT_BIND.to_string()),
            key_file,
        })
    }
}

/// Beside the SQLite file; in `./data/` for PostgreSQL.
fn default_beside(url: &str, name: &str) -> PathBuf {
    url.strip_prefix("sqlite://")
        .map(|p| PathBuf::from(p.split('?').next().unwrap_or(p)))
        .and_then(|p| p.parent().map(|d| d.join(name)))
        .unwrap_or_else(|| PathBuf::from("./data").join(name))
}
