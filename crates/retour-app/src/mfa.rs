//! Two-step sign-in: after the password, a six-digit code from an authenticator app (TOTP,
//! RFC 6238: SHA-1, 30-second steps, one step of clock drift either way), or one of ten
//! single-use recovery codes for a lost phone.
//!
//! Which roles must use it is a setting ([`DEFAULT_MFA_ROLES`] unless the configuration names
//! others); anyone may set it up from their account page. An account of such a role that has
//! none sets it up at its next sign-in, before it gets a session: it scans a QR code, confirms
//! with a first code and is shown its recovery codes once. Between the password and the code a
//! sign-in is *pending*: a secret held in memory for five minutes that allows nothing but the
//! second step. Secrets are encrypted like every special-category field (bound to the account);
//! recovery codes are kept as hashes; a code, like a recovery code, signs in once; wrong codes
//! are throttled per account and client like wrong passwords. An administrator can reset an
//! account's second factor (a lost phone), which ends its sessions; every step is audited.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;
use retour_store::{Audit, RowKey, Sealed, StoreError};
use totp_rs::{Algorithm, Secret, TOTP};
use uuid::Uuid;

use crate::auth::{Account, Role};
use crate::crypto::{hash_secret, new_secret};
use crate::sessions::{NewSession, SignInError, SignInErrorOr, Throttle};
use crate::{Actor, App, AppError, AppResult};

/// The roles that must sign in with a second factor unless the configuration says otherwise:
/// those who read special-category data across all cases, approve money, or manage accounts.
pub const DEFAULT_MFA_ROLES: [Role; 5] = [
    Role::MedicalAdvisor,
    Role::ProgrammeManager,
    Role::Auditor,
    Role::DataProtectionOfficer,
    Role::Admin,
];

/// How long a pending sign-in (password given, code not yet) lasts.
pub const PENDING_FOR: Duration = Duration::from_secs(5 * 60);
/// Pending sign-ins kept at most; past this the oldest are forgotten (they sign in again).
const MAX_PENDING: usize = 10_000;
pub const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Retour";
/// Letters and digits that cannot be mistaken for one another when copied by hand.
const CODE_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// What the password step leads to.
pub enum SignInStep {
    /// Signed in.
    Done(Box<NewSession>),
    /// The account has a second factor: ask for a code.
    SecondFactor { pending: String },
    /// The account's role requires a second factor it does not have yet: set it up first.
    Enrol { pending: String },
}

/// What the enrolment page shows: the secret as a QR code and as text to type.
pub struct Enrolment {
    /// The secret in base32, in groups of four, for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://` address the QR code holds.
    pub uri: String,
    /// The QR code as an SVG image.
    pub qr_svg: String,
}

/// The second factor of an account, as its account page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondFactorStatus {
    pub enrolled: bool,
    pub recovery_codes_left: i64,
    /// The account's role requires one.
    pub required: bool,
}

struct Pending {
    user_id: Uuid,
    since: Instant,
    /// What the sign-in may do next.
    purpose: Purpose,
    /// The secret offered for enrolment, until it is confirmed.
    offered: Option<Vec<u8>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Purpose {
    SecondFactor,
    Enrol,
    /// A signed-in user setting it up from their account page (keyed by their session).
    AccountSetup,
}

/// Sign-ins between the password and the code, by the hash of their secret.
#[derive(Default)]
pub struct PendingSignIns {
    map: Mutex<HashMap<String, Pending>>,
}

impl PendingSignIns {
    fn insert(&self, user_id: Uuid, purpose: Purpose) -> String {
        let secret = new_secret();
        self.insert_as(hash_secret(&secret), user_id, purpose);
        secret
    }

    fn insert_as(&self, key: String, user_id: Uuid, purpose: Purpose) {
        let mut map = self.map.lock().expect("pending lock");
        map.retain(|_, p| p.since.elapsed() < PENDING_FOR);
        if map.len() >= MAX_PENDING {
            if let Some(oldest) = map
                .iter()
                .min_by_key(|(_, p)| p.since)
                .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
        map.insert(
            key,
            Pending {
                user_id,
                since: Instant::now(),
                purpose,
                offered: None,
            },
        );
    }

    /// The live pending sign-in of `key` for `purposes`, run through `f`.
    fn with<T>(
        &self,
        key: &str,
        purposes: &[Purpose],
        f: impl FnOnce(&mut Pending) -> T,
    ) -> Option<T> {
        let mut map = self.map.lock().expect("pending lock");
        let p = map.get_mut(key)?;
        if p.since.elapsed() >= PENDING_FOR || !purposes.contains(&p.purpose) {
            return None;
        }
        Some(f(p))
    }

    fn remove(&self, key: &str) {
        self.map.lock().expect("pending lock").remove(key);
    }
}

fn totp(secret: &[u8], account: &str) -> TOTP {
    // `new_unchecked`: the label check refuses a ':' that e-mail addresses never have anyway,
    // and our secrets are 160 bits, the RFC's recommendation.
    TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        0,
        30,
        secret.to_vec(),
        Some(ISSUER.to_string()),
        account.to_string(),
    )
}

/// The time step a six-digit `code` belongs to, within one step of `now` either way.
fn matching_step(secret: &[u8], code: &str, now: u64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret, "");
    let step = now / 30;
    [step, step.saturating_sub(1), step + 1]
        .into_iter()
        .find(|s| t.check(&code, s * 30))
        .map(|s| s as i64)
}

/// A recovery code as typed: letters and digits only, lower case.
fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn new_recovery_code() -> String {
    let mut bytes = [0u8; 10];
    rand::thread_rng().fill_bytes(&mut bytes);
    let chars: String = bytes
        .iter()
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// A QR code of `text` as an SVG image: one path of dark modules, a quiet zone of four.
pub fn qr_svg(text: &str, title: &str) -> String {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).expect("an otpauth address fits");
    let border = 4;
    let size = qr.size() + 2 * border;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let title = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"240\" \
         height=\"240\" role=\"img\" aria-label=\"{title}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl App {
    /// Which roles must use a second factor (see [`DEFAULT_MFA_ROLES`]).
    pub fn with_mfa_roles(mut self, roles: Vec<Role>) -> App {
        self.mfa_roles = std::sync::Arc::new(roles);
        self
    }

    pub fn mfa_roles(&self) -> &[Role] {
        &self.mfa_roles
    }

    /// Checks the password from `client` and says what comes next: a session, or the second
    /// step (a code, or setting one up when the role requires it).
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: IpAddr,
    ) -> Result<SignInStep, SignInErrorOr> {
        let user = self.check_password(email, password, client).await?;
        let enrolled = self
            .store
            .mfa(user.id)
            .await
            .map_err(|e| SignInErrorOr::App(e.into()))?
            .is_some();
        let role: Role = user
            .role
            .parse()
            .map_err(|_| SignInErrorOr::App(AppError::Internal("unknown role stored".into())))?;
        if enrolled {
            let pending = self.pending.insert(user.id, Purpose::SecondFactor);
            return Ok(SignInStep::SecondFactor { pending });
        }
        if self.mfa_roles.contains(&role) {
            let pending = self.pending.insert(user.id, Purpose::Enrol);
            return Ok(SignInStep::Enrol { pending });
        }
        self.open_session(&user)
            .await
            .map(|s| SignInStep::Done(Box::new(s)))
            .map_err(SignInErrorOr::App)
    }

    /// The second step: a code from the app or a recovery code, for the pending sign-in.
    pub async fn second_factor(
        &self,
        pending: &str,
        code: &str,
        client: IpAddr,
    ) -> Result<NewSession, SignInErrorOr> {
        let key = hash_secret(pending);
        let Some(user_id) = self
            .pending
            .with(&key, &[Purpose::SecondFactor], |p| p.user_id)
        else {
            return Err(SignInErrorOr::SignIn(SignInError::Expired));
        };
        let throttle_key = Throttle::key(&user_id.to_string(), client);
        if !self.throttle.attempt(&throttle_key, client) {
            return Err(SignInErrorOr::SignIn(SignInError::Throttled));
        }
        let app_err = |e: StoreError| SignInErrorOr::App(e.into());
        let row = self.store.mfa(user_id).await.map_err(app_err)?;
        let Some(row) = row else {
            // Reset by an administrator meanwhile: start again.
            self.pending.remove(&key);
            return Err(SignInErrorOr::SignIn(SignInError::Expired));
        };
        let secret = self
            .cipher
            .decrypt(Sealed::MfaSecret, RowKey::id(user_id), &row.secret)
            .and_then(|hex_secret| {
                hex::decode(hex_secret)
                    .map_err(|_| AppError::Internal("a second-factor secret is not hex".into()))
            })
            .map_err(SignInErrorOr::App)?;
        let accepted = match matching_step(&secret, code, unix_now()) {
            Some(step) => self
                .store
                .take_mfa_step(user_id, step)
                .await
                .map_err(app_err)?,
            None => {
                let hash = hash_secret(&normalise_recovery(code));
                self.store
                    .take_recovery_code(
                        user_id,
                        &hash,
                        &Audit::new(Some(user_id), "user.mfa_recovery_code"),
                    )
                    .await
                    .map_err(app_err)?
            }
        };
        if !accepted {
            self.throttle.failed(&throttle_key);
            return Err(SignInErrorOr::SignIn(SignInError::Refused));
        }
        self.pending.remove(&key);
        let user = self.store.user(user_id).await.map_err(app_err)?;
        if !user.active {
            return Err(SignInErrorOr::SignIn(SignInError::Refused));
        }
        self.open_session(&user).await.map_err(SignInErrorOr::App)
    }

    /// The secret offered to a pending enrolment (the same one until it is confirmed).
    pub async fn enrolment(&self, pending: &str) -> AppResult<Enrolment> {
        self.offer(&hash_secret(pending), &[Purpose::Enrol]).await
    }

    /// Confirms a pending enrolment with a first code: stores the second factor, signs in, and
    /// returns the recovery codes (shown this once).
    pub async fn confirm_enrolment(
        &self,
        pending: &str,
        code: &str,
        client: IpAddr,
    ) -> Result<(NewSession, Vec<String>), SignInErrorOr> {
        let key = hash_secret(pending);
        let codes = self.confirm(&key, &[Purpose::Enrol], code, client).await?;
        let user_id = self
            .pending
            .with(&key, &[Purpose::Enrol], |p| p.user_id)
            .ok_or(SignInErrorOr::SignIn(SignInError::Expired))?;
        self.pending.remove(&key);
        let user = self
            .store
            .user(user_id)
            .await
            .map_err(|e| SignInErrorOr::App(e.into()))?;
        let session = self.open_session(&user).await.map_err(SignInErrorOr::App)?;
        Ok((session, codes))
    }

    /// Setting up a second factor from the account page: the secret offered to the signed-in
    /// user of `session_token`.
    pub async fn account_enrolment(
        &self,
        actor: &Actor,
        session_token: &str,
    ) -> AppResult<Enrolment> {
        let key = format!("account:{}", hash_secret(session_token));
        if self
            .pending
            .with(&key, &[Purpose::AccountSetup], |p| p.user_id == actor.id)
            != Some(true)
        {
            self.pending
                .insert_as(key.clone(), actor.id, Purpose::AccountSetup);
        }
        self.offer(&key, &[Purpose::AccountSetup]).await
    }

    /// Confirms the account page's set-up with a first code; returns the recovery codes.
    pub async fn confirm_account_enrolment(
        &self,
        actor: &Actor,
        session_token: &str,
        code: &str,
        client: IpAddr,
    ) -> Result<Vec<String>, SignInErrorOr> {
        let key = format!("account:{}", hash_secret(session_token));
        if self
            .pending
            .with(&key, &[Purpose::AccountSetup], |p| p.user_id == actor.id)
            != Some(true)
        {
            return Err(SignInErrorOr::SignIn(SignInError::Expired));
        }
        let codes = self
            .confirm(&key, &[Purpose::AccountSetup], code, client)
            .await?;
        self.pending.remove(&key);
        Ok(codes)
    }

    async fn offer(&self, key: &str, purposes: &[Purpose]) -> AppResult<Enrolment> {
        let (user_id, secret) = self
            .pending
            .with(key, purposes, |p| {
                let secret = p
                    .offered
                    .get_or_insert_with(|| {
                        let mut s = vec![0u8; 20];
                        rand::thread_rng().fill_bytes(&mut s);
                        s
                    })
                    .clone();
                (p.user_id, secret)
            })
            .ok_or(AppError::Unauthenticated)?;
        let user = self.store.user(user_id).await?;
        let t = totp(&secret, &user.email);
        let encoded = match Secret::Raw(secret).to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => unreachable!("to_encoded encodes"),
        };
        let grouped = encoded
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        let uri = t.get_url();
        Ok(Enrolment {
            qr_svg: qr_svg(&uri, ISSUER),
            secret: grouped,
            uri,
        })
    }

    /// Checks the first code against the offered secret and stores the second factor.
    async fn confirm(
        &self,
        key: &str,
        purposes: &[Purpose],
        code: &str,
        client: IpAddr,
    ) -> Result<Vec<String>, SignInErrorOr> {
        let Some((user_id, offered)) = self
            .pending
            .with(key, purposes, |p| (p.user_id, p.offered.clone()))
        else {
            return Err(SignInErrorOr::SignIn(SignInError::Expired));
        };
        let Some(secret) = offered else {
            return Err(SignInErrorOr::SignIn(SignInError::Expired));
        };
        let throttle_key = Throttle::key(&user_id.to_string(), client);
        if !self.throttle.attempt(&throttle_key, client) {
            return Err(SignInErrorOr::SignIn(SignInError::Throttled));
        }
        let Some(step) = matching_step(&secret, code, unix_now()) else {
            self.throttle.failed(&throttle_key);
            return Err(SignInErrorOr::SignIn(SignInError::Refused));
        };
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| hash_secret(&normalise_recovery(c)))
            .collect();
        let sealed = self.cipher.encrypt(
            Sealed::MfaSecret,
            RowKey::id(user_id),
            &hex::encode(&secret),
        );
        self.store
            .enrol_mfa(
                user_id,
                &sealed,
                step,
                &hashes,
                &Audit::new(Some(user_id), "user.mfa_enrol"),
            )
            .await
            .map_err(|e| SignInErrorOr::App(e.into()))?;
        Ok(codes)
    }

    /// The second factor of an account: the account itself, or an administrator.
    pub async fn second_factor_status(
        &self,
        actor: &Actor,
        account: &Account,
    ) -> AppResult<SecondFactorStatus> {
        if actor.id != account.id {
            crate::authz::require(actor, crate::authz::Action::ManageUsers, None)?;
        }
        let enrolled = self.store.mfa(account.id).await?.is_some();
        let recovery_codes_left = if enrolled {
            self.store.recovery_codes_left(account.id).await?
        } else {
            0
        };
        Ok(SecondFactorStatus {
            enrolled,
            recovery_codes_left,
            required: self.mfa_roles.contains(&account.role),
        })
    }

    /// An administrator (or, with `None`, the operator's command line) removes an account's
    /// second factor (a lost phone): its sessions end, and it sets one up again at its next
    /// sign-in if its role requires it.
    pub async fn reset_second_factor(&self, actor: Option<&Actor>, user_id: Uuid) -> AppResult<()> {
        if let Some(actor) = actor {
            crate::authz::require(actor, crate::authz::Action::ManageUsers, None)?;
        }
        let reset = self
            .store
            .reset_mfa(
                user_id,
                &Audit::new(actor.map(|a| a.id), "user.mfa_reset")
                    .detail(format!("user {user_id}")),
            )
            .await?;
        // Nothing to reset (another administrator was first): the same outcome.
        if !reset {
            self.store.user(user_id).await?;
            return Ok(());
        }
        self.forget_sessions_of(user_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 test vector (secret "12345678901234567890", 59 s → 94287082, of which
    /// the last six digits).
    #[test]
    fn codes_follow_rfc_6238() {
        let secret = b"12345678901234567890";
        assert_eq!(matching_step(secret, "287082", 59), Some(1));
        assert_eq!(
            matching_step(secret, "287 082", 59),
            Some(1),
            "spaces allowed"
        );
        // One step of drift either way, no more.
        assert_eq!(matching_step(secret, "287082", 89), Some(1));
        assert_eq!(matching_step(secret, "287082", 29), Some(1));
        assert_eq!(matching_step(secret, "287082", 150), None);
        assert_eq!(matching_step(secret, "28708", 59), None);
        assert_eq!(matching_step(secret, "abcdef", 59), None);
    }

    #[test]
    fn recovery_codes_are_read_as_people_copy_them() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(
            normalise_recovery(&code.to_uppercase().replace('-', " ")),
            normalise_recovery(&code)
        );
        assert!(code
            .bytes()
            .all(|b| b == b'-' || CODE_ALPHABET.contains(&b)));
    }

    #[test]
    fn the_qr_code_is_an_accessible_image() {
        let svg = qr_svg(
            "otpauth://totp/Retour:a%40b?secret=AAAA&issuer=Retour",
            "Retour",
        );
        assert!(svg.starts_with("<svg") && svg.contains("role=\"img\""));
        assert!(svg.contains("aria-label=\"Retour\""));
    }

    #[test]
    fn pending_sign_ins_expire_and_allow_only_their_step() {
        let p = PendingSignIns::default();
        let id = Uuid::now_v7();
        let s = p.insert(id, Purpose::SecondFactor);
        let key = hash_secret(&s);
        assert_eq!(
            p.with(&key, &[Purpose::SecondFactor], |p| p.user_id),
            Some(id)
        );
        assert_eq!(p.with(&key, &[Purpose::Enrol], |p| p.user_id), None);
        p.map.lock().unwrap().get_mut(&key).unwrap().since = Instant::now() - PENDING_FOR;
        assert_eq!(p.with(&key, &[Purpose::SecondFactor], |p| p.user_id), None);
    }
}
