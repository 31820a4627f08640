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
    Admin,
}
retour_domain::string_enum!(Role {
    Counsellor = "counsellor",
    MedicalAdvisor = "medical_advisor",
    ProgrammeManager = "programme_manager",
    PartnerCaseworker = "partner_caseworker",
    Auditor = "auditor",
    Admin = "admin",
});

/// Who is acting: a signed-in user as the authorisation layer sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Uuid,
    pub role: Role,
    pub office: Option<String>,
    pub partner_org: Option<String>,
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

fn check_account(a: &NewAccount) -> Result<Role, ValidationErrors> {
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
    if a.password.chars().count() < MIN_PASSWORD {
        errors.push(
            ValidationError::new(Invalid::Other {
                code: "password-too-short",
                value: MIN_PASSWORD.to_string(),
            })
            .at("password"),
        );
    }
    errors.into_result(role.unwrap_or(Role::Auditor))
}

impl App {
    /// Creates a staff account. Only admins may, except for the operator's CLI (`actor = None`).
    pub async fn create_account(&self, actor: Option<&Actor>, a: NewAccount) -> AppResult<Account> {
        if let Some(actor) = actor {
            crate::authz::require(actor, crate::authz::Action::ManageUsers, None)?;
        }
        let role = check_account(&a)?;
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
        if password.chars().count() < MIN_PASSWORD {
            return Err(ValidationError::new(Invalid::Other {
                code: "password-too-short",
                value: MIN_PASSWORD.to_string(),
            })
            .at("password")
            .into());
        }
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
