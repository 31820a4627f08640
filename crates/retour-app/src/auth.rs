//! Accounts, roles and passwords (argon2id through `password-auth`).

use retour_domain::{Invalid, ValidationError, ValidationErrors};
use retour_store::{NewUser, User};
use serde::Serialize;
use uuid::Uuid;

use crate::{App, AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Counsellor,
    MedicalAdvisor,
    ProgrammeManager,
    PartnerCaseworker,
    Auditor,
    /// Answers subject access and rectification requests: reads every case and every class,
    /// writes nothing.
    DataProtectionOfficer,
    Admin,
}
retour_domain::string_enum!(Role {
    Counsellor = "counsellor",
    MedicalAdvisor = "medical_advisor",
    ProgrammeManager = "programme_manager",
    PartnerCaseworker = "partner_caseworker",
    Auditor = "auditor",
    DataProtectionOfficer = "data_protection_officer",
    Admin = "admin",
});

/// Who is acting: a signed-in user as the authorisation layer sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Uuid,
    pub role: Role,
    pub office: Option<String>,
    pub partner_org: Option<String>,
    /// Break-glass grants running for this user's session (see `break_glass`); none through
    /// the API.
    pub glass: crate::break_glass::Glass,
}

/// A staff account as pages, the API and the CLI see it: never its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub office: Option<String>,
    pub partner_org: Option<String>,
    pub locale: String,
    pub active: bool,
    pub created_at: time::OffsetDateTime,
}

impl Account {
    pub(crate) fn from_user(u: &User) -> AppResult<Account> {
        let actor = Actor::from_user(u)?;
        Ok(Account {
            id: u.id,
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: actor.role,
            office: u.office.clone(),
            partner_org: u.partner_org.clone(),
            locale: u.locale.clone(),
            active: u.active,
            created_at: u.created_at,
        })
    }

    /// The account as the authorisation layer sees it.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id,
            role: self.role,
            office: self.office.clone(),
            partner_org: self.partner_org.clone(),
            glass: Default::default(),
        }
    }
}

/// One page of a list paginated by key: `next` is the key to ask for the page after, if any.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// From `limit + 1` rows read: the extra row only tells that there is a next page.
    pub(crate) fn from_rows(mut rows: Vec<T>, limit: usize, key: impl Fn(&T) -> String) -> Page<T> {
        let next = (rows.len() > limit).then(|| key(&rows[limit - 1]));
        rows.truncate(limit);
        Page { items: rows, next }
    }
}

impl Actor {
    pub(crate) fn from_user(u: &User) -> AppResult<Actor> {
        Ok(Actor {
            id: u.id,
            role: u.role.parse().map_err(|_| {
                AppError::Internal(format!("unknown role stored for user {}", u.id))
            })?,
            office: u.office.clone(),
            partner_org: u.partner_org.clone(),
            glass: Default::default(),
        })
    }
}

pub const MIN_PASSWORD: usize = 12;
pub const LOCALES: [&str; 3] = ["nl", "fr", "en"];

pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub office: Option<String>,
    pub partner_org: Option<String>,
    pub locale: String,
    pub password: String,
}

/// Checks a new account, or with `password: None` an account's changed profile.
fn check_account(a: &NewAccount, password: Option<&str>) -> Result<Role, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let email = a.email.trim();
    if email.is_empty() {
        errors.push(ValidationError::new(Invalid::Required).at("email"));
    } else if !email.contains('@')
        || email.len() > 254
        || email.contains(|c: char| c.is_whitespace() || c.is_control())
    {
        errors.push(
            ValidationError::new(Invalid::Other {
                code: "bad-email",
                value: email.into(),
            })
            .at("email"),
        );
    }
    retour_domain::text::field(
        &mut errors,
        "display_name",
        &a.display_name,
        false,
        200,
        retour_domain::text::Shape::Line,
    );
    let role = a
        .role
        .parse::<Role>()
        .map_err(|e| errors.push(e.at("role")))
        .ok();
    match role {
        Some(Role::Counsellor) if a.office.as_deref().unwrap_or("").trim().is_empty() => {
            errors.push(ValidationError::new(Invalid::Required).at("office"))
        }
        Some(Role::PartnerCaseworker)
            if a.partner_org.as_deref().unwrap_or("").trim().is_empty() =>
        {
            errors.push(ValidationError::new(Invalid::Required).at("partner_org"))
        }
        _ => {}
    }
    if !LOCALES.contains(&a.locale.as_str()) {
        errors.push(
            ValidationError::new(Invalid::UnknownValue {
                value: a.locale.clone(),
            })
            .at("locale"),
        );
    }
    if let Some(p) = password {
        if let Err(e) = check_new_password(p, p) {
            errors.0.extend(e.0);
        }
    }
    errors.into_result(role.unwrap_or(Role::Auditor))
}

impl App {
    /// Creates a staff account. Only admins may, except for the operator's CLI (`actor = None`).
    pub async fn create_account(&self, actor: Option<&Actor>, a: NewAccount) -> AppResult<Account> {
        if let Some(actor) = actor {
            crate::authz::require(actor, crate::authz::Action::ManageUsers, None)?;
        }
        let role = check_account(&a, Some(&a.password))?;
        self.check_scope_exists(role, a.office.as_deref(), a.partner_org.as_deref())
            .await?;
        let hash = hash_password(a.password.clone()).await?;
        let trim = |o: Option<String>| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let user = self
            .store
            .create_user(NewUser {
                email: a.email,
                display_name: if a.display_name.trim().is_empty() {
                    a.role.clone()
                } else {
                    a.display_name.trim().into()
                },
                role: role.as_str().into(),
                office: trim(a.office),
                partner_org: trim(a.partner_org),
                locale: a.locale,
                password_hash: hash,
            })
            .await?;
        self.store
            .append_audit(
                &retour_store::Audit::new(actor.map(|a| a.id), "user.create").detail(format!(
                    "user {} role {}{}{}",
                    user.id,
                    user.role,
                    user.office
                        .as_deref()
                        .map(|o| format!(" office {o}"))
                        .unwrap_or_default(),
                    user.partner_org
                        .as_deref()
                        .map(|p| format!(" partner {p}"))
                        .unwrap_or_default()
                )),
                None,
            )
            .await?;
        Account::from_user(&user)
    }

    /// Staff accounts by e-mail address, a page at a time (admins).
    pub async fn accounts(
        &self,
        actor: &Actor,
        after: Option<&str>,
        limit: usize,
    ) -> AppResult<Page<Account>> {
        crate::authz::require(actor, crate::authz::Action::ManageUsers, None)?;
        let rows = self.store.users_page(after, limit as i64 + 1).await?;
        let accounts = rows
            .iter()
            .map(Account::from_user)
            .collect::<AppResult<Vec<_>>>()?;
        Ok(Page::from_rows(accounts, limit, |a| a.email.clone()))
    }

    /// Checks an e-mail and password. Unknown e-mail and wrong password answer the same, and
    /// both pay for a hash so timing does not tell them apart.
    pub(crate) async fn authenticate(&self, email: &str, password: &str) -> AppResult<User> {
        let user = match self.store.user_by_email(email).await {
            Ok(u) => Some(u),
            Err(retour_store::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let password = password.to_string();
        // argon2 takes tens of milliseconds of CPU: off the async workers.
        let matches = tokio::task::spawn_blocking(move || {
            let hash = hash.as_deref().unwrap_or_else(|| dummy_hash());
            password_auth::verify_password(password, hash).is_ok()
        })
        .await
        .map_err(|e| AppError::Internal(format!("password check: {e}")))?;
        match user {
            Some(u) if matches && u.active => Ok(u),
            _ => Err(AppError::Unauthenticated),
        }
    }

    /// Deactivates or reactivates an account (admins; never their own). A deactivated user's
    /// sessions end at once and their API tokens stop working.
    pub async fn set_account_active(
        &self,
        actor: &Actor,
        user_id: Uuid,
        active: bool,
    ) -> AppResult<()> {
        crate::authz::require(actor, crate::authz::Action::ManageUsers, None)?;
        if actor.id == user_id {
            return Err(AppError::Forbidden);
        }
        self.store.set_user_active(user_id, active).await?;
        self.forget_sessions_of(user_id);
        self.store
            .append_audit(
                &retour_store::Audit::new(
                    Some(actor.id),
                    if active {
                        "user.activate"
                    } else {
                        "user.deactivate"
                    },
                )
                .detail(user_id.to_string()),
                None,
            )
            .await?;
        Ok(())
    }

    /// Sets a new password (operator CLI and demo set-up).
    pub async fn reset_password(&self, email: &str, password: &str) -> AppResult<Account> {
        check_new_password(password, password)?;
        let u = self.store.user_by_email(email).await?;
        self.store
            .set_password_hash(u.id, &hash_password(password.to_string()).await?)
            .await?;
        self.store
            .append_audit(
                &retour_store::Audit::new(None, "user.password_reset").detail(u.id.to_string()),
                None,
            )
            .await?;
        Account::from_user(&u)
    }
}

/// An argon2id hash of `password`, computed off the async workers.
async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|e| AppError::Internal(format!("password hash: {e}")))
}

/// A real argon2id hash, verified against when the e-mail is unknown so both paths cost the same.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| password_auth::generate_hash(random_password()))
}

/// A random password for generated accounts (demo), 20 characters from an unambiguous alphabet.
pub fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// What an admin changes about an account (from the user form): name, role, office, partner.
#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    pub display_name: String,
    pub role: String,
    pub office: Option<String>,
    pub partner_org: Option<String>,
}

/// How long a password reset link works.
pub const RESET_LINK_HOURS: i64 = 24;

fn trimmed(o: Option<&str>) -> Option<String> {
    o.map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

/// A new password typed twice: long enough, and the same both times.
fn check_new_password(new: &str, again: &str) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if new.chars().count() < MIN_PASSWORD {
        errors.push(
            ValidationError::new(Invalid::Other {
                code: "password-too-short",
                value: MIN_PASSWORD.to_string(),
            })
            .at("password"),
        );
    } else if new != again {
        errors.push(
            ValidationError::new(Invalid::Other {
                code: "password-mismatch",
                value: String::new(),
            })
            .at("password_again"),
        );
    }
    errors.into_result(())
}

impl App {
    /// An account's office and a partner caseworker's organisation must be ones Retour knows.
    async fn check_scope_exists(
        &self,
        role: Role,
        office: Option<&str>,
        partner: Option<&str>,
    ) -> AppResult<()> {
        match (role, trimmed(office)) {
            (Role::PartnerCaseworker, _) | (_, None) => {}
            (_, Some(o)) => self.check_office(&o, "office").await?,
        }
        match (role, trimmed(partner)) {
            (Role::PartnerCaseworker, Some(p)) if self.store.partner_org(&p).await?.is_none() => {
                Err(ValidationError::new(Invalid::UnknownValue { value: p })
                    .at("partner_org")
                    .into())
            }
            _ => Ok(()),
        }
    }

    /// The signed-in user's own account.
    pub async fn own_account(&self, actor: &Actor) -> AppResult<Account> {
        Account::from_user(&self.store.user(actor.id).await?)
    }

    /// One account, for its admin page.
    pub async fn account(&self, actor: &Actor, user_id: Uuid) -> AppResult<Account> {
        crate::authz::require(actor, crate::authz::Action::ManageUsers, None)?;
        Account::from_user(&self.store.user(user_id).await?)
    }

    /// Changes an account's name, role, office and partner (admins; never their own role, so
    /// that the last admin cannot lock everyone out). The account's sessions end: the new role
    /// and scope hold from its next sign-in. Audited with what changed.
    pub async fn update_account(
        &self,
        actor: &Actor,
        user_id: Uuid,
        c: AccountChange,
    ) -> AppResult<Account> {
        crate::authz::require(actor, crate::authz::Action::ManageUsers, None)?;
        let before = self.store.user(user_id).await?;
        let as_new = NewAccount {
            email: before.email.clone(),
            display_name: c.display_name.clone(),
            role: c.role.clone(),
            office: c.office.clone(),
            partner_org: c.partner_org.clone(),
            locale: before.locale.clone(),
            password: String::new(),
        };
        let role = check_account(&as_new, None)?;
        if actor.id == user_id && role.as_str() != before.role {
            return Err(AppError::Forbidden);
        }
        self.check_scope_exists(role, c.office.as_deref(), c.partner_org.as_deref())
            .await?;
        // Only the scope that goes with the role is kept.
        let office = trimmed(c.office.as_deref()).filter(|_| role != Role::PartnerCaseworker);
        let partner_org =
            trimmed(c.partner_org.as_deref()).filter(|_| role == Role::PartnerCaseworker);
        let display_name = trimmed(Some(&c.display_name)).unwrap_or(before.display_name.clone());
        let after = self
            .store
            .update_user(
                user_id,
                &retour_store::UserChange {
                    display_name,
                    role: role.as_str().into(),
                    office,
                    partner_org,
                },
            )
            .await?;
        self.forget_sessions_of(user_id);
        let show = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
        self.store
            .append_audit(
                &retour_store::Audit::new(Some(actor.id), "user.update").detail(format!(
                    "user {user_id} role {} -> {} office {} -> {} partner {} -> {}",
                    before.role,
                    after.role,
                    show(&before.office),
                    show(&after.office),
                    show(&before.partner_org),
                    show(&after.partner_org)
                )),
                None,
            )
            .await?;
        Account::from_user(&after)
    }

    /// Changes the signed-in user's password after checking the current one; their other
    /// sessions end (a stolen session does not outlive the change).
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        session_token: &str,
        current: &str,
        new: &str,
        again: &str,
    ) -> AppResult<()> {
        let user = self.store.user(actor.id).await?;
        let hash = user.password_hash.clone();
        let current = current.to_string();
        let matches = tokio::task::spawn_blocking(move || {
            password_auth::verify_password(current, &hash).is_ok()
        })
        .await
        .map_err(|e| AppError::Internal(format!("password check: {e}")))?;
        if !matches {
            return Err(ValidationError::new(Invalid::Other {
                code: "password-wrong",
                value: String::new(),
            })
            .at("current")
            .into());
        }
        check_new_password(new, again)?;
        let keep = crate::crypto::hash_secret(session_token);
        self.store
            .change_password(
                actor.id,
                &hash_password(new.to_string()).await?,
                Some(&keep),
            )
            .await?;
        self.forget_other_sessions_of(actor.id, &keep);
        self.store
            .append_audit(
                &retour_store::Audit::new(Some(actor.id), "user.password_change"),
                None,
            )
            .await?;
        Ok(())
    }

    /// A one-time link secret to set a new password, valid for [`RESET_LINK_HOURS`]; earlier
    /// links of the account stop working. By an admin, or by the operator (`actor = None`).
    pub async fn create_reset_link(
        &self,
        actor: Option<&Actor>,
        user_id: Uuid,
    ) -> AppResult<(Account, String)> {
        if let Some(actor) = actor {
            crate::authz::require(actor, crate::authz::Action::ManageUsers, None)?;
        }
        let user = self.store.user(user_id).await?;
        let token = crate::crypto::new_secret();
        self.store
            .create_password_reset(
                user.id,
                &crate::crypto::hash_secret(&token),
                actor.map(|a| a.id),
                time::OffsetDateTime::now_utc() + time::Duration::hours(RESET_LINK_HOURS),
            )
            .await?;
        self.store
            .append_audit(
                &retour_store::Audit::new(actor.map(|a| a.id), "user.reset_link")
                    .detail(user.id.to_string()),
                None,
            )
            .await?;
        Ok((Account::from_user(&user)?, token))
    }

    /// The account id of an e-mail address (the operator's CLI).
    pub async fn account_id_by_email(&self, email: &str) -> AppResult<Uuid> {
        Ok(self.store.user_by_email(email).await?.id)
    }

    /// The account a reset link is for, while it works.
    pub async fn reset_link_account(&self, token: &str) -> AppResult<Account> {
        match self
            .store
            .password_reset_user(&crate::crypto::hash_secret(token))
            .await?
        {
            Some(u) => Account::from_user(&u),
            None => Err(AppError::NotFound),
        }
    }

    /// Uses a reset link: the new password holds and every session of the account ends. A link
    /// used, replaced or past its time is `NotFound`.
    pub async fn reset_with_link(&self, token: &str, new: &str, again: &str) -> AppResult<()> {
        check_new_password(new, again)?;
        let hash = hash_password(new.to_string()).await?;
        let user_id = self
            .store
            .use_password_reset(&crate::crypto::hash_secret(token), &hash)
            .await?;
        self.forget_sessions_of(user_id);
        self.store
            .append_audit(
                &retour_store::Audit::new(Some(user_id), "user.password_reset")
                    .detail(user_id.to_string()),
                None,
            )
            .await?;
        Ok(())
    }
}
