//! Sign-in, sessions and API tokens. Sessions live in the database (they survive a restart) and
//! are cached in memory, so a page costs no session query; the cache is the first thing checked.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;
use time::OffsetDateTime;

use crate::crypto::{hash_secret, new_secret};
use crate::{Actor, App, AppError, AppResult};

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: time::Duration = time::Duration::minutes(30);
/// `last_seen` is written to the database at most this often per session.
const TOUCH_EVERY: time::Duration = time::Duration::minutes(1);
/// Sign-in attempts allowed per account from one client address within [`THROTTLE_WINDOW`]:
/// a sixth attempt from that client waits, whatever the password. Other clients (the account's
/// owner at their own desk) are not affected by it.
pub const MAX_FAILURES: u32 = 5;
/// Sign-in attempts allowed per client address within [`THROTTLE_WINDOW`], over all accounts:
/// guesses spread over many accounts are throttled too.
pub const MAX_ATTEMPTS_PER_CLIENT: u32 = 100;
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Keys the throttle keeps before it forgets those whose quota is whole again; past this even
/// then, new clients wait (a flood of addresses pauses sign-in rather than growing memory).
const MAX_TRACKED: usize = 200_000;

#[derive(Clone, Debug)]
pub struct Session {
    pub user: crate::auth::Account,
    pub actor: Actor,
    pub csrf: String,
    last_seen: OffsetDateTime,
    stored_seen: OffsetDateTime,
}

#[derive(Default)]
pub struct SessionCache {
    map: Mutex<HashMap<String, Session>>,
}

/// Sign-in throttling in bounded memory (governor's keyed limiters): every attempt per client
/// address, and failed attempts per account and client. Account keys are hashed, so a
/// megabyte-long e-mail costs 16 bytes. Successful sign-ins never count against the account, so
/// someone who signs in and out all day at their desk is never locked out.
pub struct Throttle {
    per_client: DefaultKeyedRateLimiter<IpAddr>,
    failures: DefaultKeyedRateLimiter<[u8; 16]>,
    /// Account-and-client keys whose failures are used up, and until when they wait.
    locked: Mutex<HashMap<[u8; 16], std::time::Instant>>,
    attempts: std::sync::atomic::AtomicU64,
}

impl Default for Throttle {
    fn default() -> Self {
        let quota = |n: u32, burst: u32| {
            Quota::with_period(THROTTLE_WINDOW / n)
                .expect("a non-zero period")
                .allow_burst(NonZeroU32::new(burst).expect("non-zero"))
        };
        Throttle {
            per_client: RateLimiter::keyed(quota(MAX_ATTEMPTS_PER_CLIENT, MAX_ATTEMPTS_PER_CLIENT)),
            // The failure that finds this quota empty is the last one allowed: it locks.
            failures: RateLimiter::keyed(quota(MAX_FAILURES, MAX_FAILURES - 1)),
            locked: Default::default(),
            attempts: Default::default(),
        }
    }
}

/// How long an account waits, for one client, after its failures are used up.
const LOCKED_FOR: Duration = Duration::from_secs(THROTTLE_WINDOW.as_secs() / MAX_FAILURES as u64);

impl Throttle {
    pub(crate) fn key(email: &str, client: IpAddr) -> [u8; 16] {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(email.trim().to_lowercase().as_bytes());
        h.update(client.to_string().as_bytes());
        h.finalize()[..16].try_into().expect("16 bytes")
    }

    /// Takes one attempt for `key` from `client`; `false` when the client's quota is used up or
    /// the account is locked for this client.
    pub(crate) fn attempt(&self, key: &[u8; 16], client: IpAddr) -> bool {
        let n = self
            .attempts
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let crowded = || {
            self.per_client.len()
                + self.failures.len()
                + self.locked.lock().expect("throttle lock").len()
                > MAX_TRACKED
        };
        if n.is_multiple_of(1024) || crowded() {
            self.per_client.retain_recent();
            self.failures.retain_recent();
            self.per_client.shrink_to_fit();
            self.failures.shrink_to_fit();
            let now = std::time::Instant::now();
            self.locked
                .lock()
                .expect("throttle lock")
                .retain(|_, until| *until > now);
        }
        if crowded() {
            return false;
        }
        let client_ok = self.per_client.check_key(&client).is_ok();
        let unlocked = self
            .locked
            .lock()
            .expect("throttle lock")
            .get(key)
            .is_none_or(|until| *until <= std::time::Instant::now());
        client_ok && unlocked
    }

    /// A wrong password for `key`: once the allowed failures are used up, the account waits
    /// for this client.
    pub(crate) fn failed(&self, key: &[u8; 16]) {
        if self.failures.check_key(key).is_err() {
            self.locked
                .lock()
                .expect("throttle lock")
                .insert(*key, std::time::Instant::now() + LOCKED_FOR);
        }
    }

    /// How many keys are tracked (for tests of the bound).
    pub fn tracked(&self) -> usize {
        self.per_client.len()
            + self.failures.len()
            + self.locked.lock().expect("throttle lock").len()
    }
}

/// What a successful sign-in hands to the browser: the cookie value (secret) and the CSRF token.
pub struct NewSession {
    pub token: String,
    pub session: Session,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SignInError {
    /// Wrong e-mail or password (never says which), or a wrong second-factor code.
    Refused,
    /// Too many failures for this address; try later.
    Throttled,
    /// The second step came too late (or the sign-in is unknown): sign in again.
    Expired,
}

impl App {
    /// Checks the credentials from `client` (the connection's address). Too many attempts for
    /// an account from one client, or from one client over all accounts, make that client
    /// wait, whatever the password. The second step, if any, is `mfa`'s.
    pub(crate) async fn check_password(
        &self,
        email: &str,
        password: &str,
        client: IpAddr,
    ) -> Result<retour_store::User, SignInErrorOr> {
        let key = Throttle::key(email, client);
        if !self.throttle.attempt(&key, client) {
            return Err(SignInErrorOr::SignIn(SignInError::Throttled));
        }
        match self.authenticate(email, password).await {
            Ok(u) => Ok(u),
            Err(AppError::Unauthenticated) => {
                self.throttle.failed(&key);
                Err(SignInErrorOr::SignIn(SignInError::Refused))
            }
            Err(e) => Err(SignInErrorOr::App(e)),
        }
    }

    /// Opens a session for a user who passed every step of signing in.
    pub(crate) async fn open_session(&self, user: &retour_store::User) -> AppResult<NewSession> {
        let token = new_secret();
        let csrf = new_secret();
        let rec = self
            .store
            .create_session(&hash_secret(&token), user.id, &csrf)
            .await?;
        self.store
            .append_audit(
                &retour_store::Audit::new(Some(user.id), "session.sign_in"),
                None,
            )
            .await?;
        let mut actor = Actor::from_user(user)?;
        actor.glass = self.glass_of(user.id).await?;
        let session = Session {
            user: crate::auth::Account::from_user(user)?,
            actor,
            csrf,
            last_seen: rec.last_seen,
            stored_seen: rec.last_seen,
        };
        self.sessions
            .map
            .lock()
            .expect("session lock")
            .insert(rec.token_hash, session.clone());
        Ok(NewSession { token, session })
    }

    /// The live session for a cookie value, or `None` when unknown, ended or idle too long.
    pub async fn session(&self, token: &str) -> AppResult<Option<Session>> {
        let hash = hash_secret(token);
        let now = OffsetDateTime::now_utc();
        let cached = self
            .sessions
            .map
            .lock()
            .expect("session lock")
            .get(&hash)
            .cloned();
        let mut session = match cached {
            Some(s) => s,
            None => {
                let Some(rec) = self.store.session(&hash).await? else {
                    return Ok(None);
                };
                let user = self.store.user(rec.user_id).await?;
                let mut actor = Actor::from_user(&user)?;
                actor.glass = self.glass_of(user.id).await?;
                Session {
                    user: crate::auth::Account::from_user(&user)?,
                    actor,
                    csrf: rec.csrf,
                    last_seen: rec.last_seen,
                    stored_seen: rec.last_seen,
                }
            }
        };
        if now - session.last_seen > IDLE_TIMEOUT || !session.user.active {
            self.sessions
                .map
                .lock()
                .expect("session lock")
                .remove(&hash);
            self.store.delete_session(&hash).await?;
            return Ok(None);
        }
        session.last_seen = now;
        if now - session.stored_seen > TOUCH_EVERY {
            self.store.touch_session(&hash, now).await?;
            session.stored_seen = now;
        }
        self.sessions
            .map
            .lock()
            .expect("session lock")
            .insert(hash, session.clone());
        Ok(Some(session))
    }

    pub async fn sign_out(&self, token: &str) -> AppResult<()> {
        let hash = hash_secret(token);
        let removed = self
            .sessions
            .map
            .lock()
            .expect("session lock")
            .remove(&hash);
        self.store.delete_session(&hash).await?;
        if let Some(s) = removed {
            self.store
                .append_audit(
                    &retour_store::Audit::new(Some(s.user.id), "session.sign_out"),
                    None,
                )
                .await?;
        }
        Ok(())
    }

    /// Stores the language a signed-in user chose, and uses it from the next request on.
    pub async fn set_locale(&self, token: &str, locale: &str) -> AppResult<()> {
        if !crate::auth::LOCALES.contains(&locale) {
            return Err(retour_domain::ValidationError::new(
                retour_domain::Invalid::UnknownValue {
                    value: locale.into(),
                },
            )
            .at("locale")
            .into());
        }
        let Some(session) = self.session(token).await? else {
            return Err(AppError::Unauthenticated);
        };
        self.store.set_user_locale(session.user.id, locale).await?;
        let mut map = self.sessions.map.lock().expect("session lock");
        for s in map.values_mut().filter(|s| s.user.id == session.user.id) {
            s.user.locale = locale.to_string();
        }
        Ok(())
    }

    /// Forgets cached sessions of a user except the one whose token hashes to `keep`.
    pub(crate) fn forget_other_sessions_of(&self, user_id: uuid::Uuid, keep: &str) {
        self.sessions
            .map
            .lock()
            .expect("session lock")
            .retain(|hash, s| s.user.id != user_id || hash == keep);
    }

    /// Gives every cached session of a user their break-glass grants as they now stand.
    pub(crate) fn refresh_glass(&self, user_id: uuid::Uuid, glass: crate::break_glass::Glass) {
        let mut map = self.sessions.map.lock().expect("session lock");
        for s in map.values_mut().filter(|s| s.user.id == user_id) {
            s.actor.glass = glass.clone();
        }
    }

    /// Forgets cached sessions of a user (after deactivation or a role change).
    pub fn forget_sessions_of(&self, user_id: uuid::Uuid) {
        self.sessions
            .map
            .lock()
            .expect("session lock")
            .retain(|_, s| s.user.id != user_id);
    }

    /// Creates a personal API token for a user; the plaintext is shown once and never stored.
    pub async fn create_api_token(&self, email: &str, name: &str) -> AppResult<(ApiToken, String)> {
        let user = self.store.user_by_email(email).await?;
        let token = format!("rt_{}", new_secret());
        let rec = self
            .store
            .create_api_token(user.id, name, &hash_secret(&token))
            .await?;
        self.store
            .append_audit(
                &retour_store::Audit::new(None, "token.create")
                    .detail(format!("token {} for {}", rec.id, user.id)),
                None,
            )
            .await?;
        Ok((
            ApiToken {
                id: rec.id,
                user_id: rec.user_id,
                name: rec.name,
                created_at: rec.created_at,
            },
            token,
        ))
    }

    pub async fn revoke_api_token(&self, id: uuid::Uuid) -> AppResult<()> {
        self.store.revoke_api_token(id).await?;
        self.store
            .append_audit(
                &retour_store::Audit::new(None, "token.revoke").detail(format!("token {id}")),
                None,
            )
            .await?;
        Ok(())
    }

    /// The actor behind a bearer token.
    pub async fn actor_for_token(
        &self,
        token: &str,
    ) -> AppResult<Option<(crate::auth::Account, Actor)>> {
        match self.store.user_by_api_token(&hash_secret(token)).await? {
            Some(u) => {
                let a = Actor::from_user(&u)?;
                Ok(Some((crate::auth::Account::from_user(&u)?, a)))
            }
            None => Ok(None),
        }
    }
}

#[derive(Debug)]
pub enum SignInErrorOr {
    SignIn(SignInError),
    App(AppError),
}

/// A personal API token's record (its secret is shown once, at creation, and never stored).
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: uuid::Uuid,
    pub user_id: uuid::Uuid,
    pub name: String,
    pub created_at: OffsetDateTime,
}
