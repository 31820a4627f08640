//! Policy versions and quotes: the non-binding "what support could we get?".

use retour_domain::policy::{Policy, PolicyProblem, BE_2022_SOURCE};
use retour_domain::quote::{quote, Quote, QuoteInput};
use retour_domain::{parse_date, Invalid, ValidationError};
use retour_store::{Audit, StoreError};

use crate::{Actor, App, AppError, AppResult};

/// A policy file that does not pass the checks, with every problem and its line.
#[derive(Debug)]
pub struct PolicyRejected(pub Vec<PolicyProblem>);

impl App {
    /// Loads the reference policy shipped with Retour when no policy is stored yet.
    pub async fn ensure_reference_policy(&self) -> AppResult<()> {
        if self.store.policies().await?.is_empty() {
            let p = Policy::parse(BE_2022_SOURCE)
                .map_err(|e| AppError::Internal(format!("reference policy: {e:?}")))?;
            match self
                .store
                .insert_policy(
                    p.id(),
                    p.effective_from(),
                    p.content_hash(),
                    p.source(),
                    None,
                )
                .await
            {
                Ok(_) | Err(StoreError::Duplicate(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.ensure_reference_instrument().await
    }

    /// Stores a new policy version (operator CLI, or a programme manager).
    pub async fn load_policy(
        &self,
        actor: Option<&Actor>,
        text: &str,
    ) -> Result<crate::views::PolicyVersion, Result<PolicyRejected, AppError>> {
        if let Some(a) = actor {
            crate::authz::require(a, crate::authz::Action::LoadPolicy, None).map_err(Err)?;
        }
        let p = Policy::parse(text).map_err(|problems| Ok(PolicyRejected(problems)))?;
        let rec = self
            .store
            .insert_policy(
                p.id(),
                p.effective_from(),
                p.content_hash(),
                p.source(),
                actor.map(|a| a.id),
            )
            .await
            .map_err(|e| Err(e.into()))?;
        self.store
            .append_audit(
                &Audit::new(actor.map(|a| a.id), "policy.load").detail(format!(
                    "{} {} {}",
                    p.id(),
                    p.effective_from(),
                    p.content_hash()
                )),
                None,
            )
            .await
            .map_err(|e| Err(e.into()))?;
        Ok(rec.into())
    }

    /// Every stored policy version, oldest first (the operator's `retour policy list`).
    pub async fn policy_versions(&self) -> AppResult<Vec<crate::views::PolicyVersion>> {
        Ok(crate::views::all(self.store.policies().await?))
    }

    /// The policy in force on a day, parsed.
    pub async fn policy_on(&self, day: time::Date) -> AppResult<std::sync::Arc<Policy>> {
        let stored = self.store.policy_in_force(day).await?.ok_or_else(|| {
            AppError::Invalid(
                ValidationError::new(Invalid::Other {
                    code: "no-policy",
                    value: retour_domain::dates::format_date(day),
                })
                .at("application_date")
                .into(),
            )
        })?;
        self.parsed_policy(stored)
    }

    /// The exact version a snapshot was frozen under, parsed.
    pub(crate) async fn policy_version(
        &self,
        version: &retour_domain::policy::PolicyVersion,
    ) -> AppResult<std::sync::Arc<Policy>> {
        let stored = self
            .store
            .policy_version(&version.id, &version.content_hash)
            .await?
            .ok_or_else(|| {
                AppError::Internal(format!("frozen policy {} is not stored", version.id))
            })?;
        self.parsed_policy(stored)
    }

    fn parsed_policy(
        &self,
        stored: retour_store::StoredPolicy,
    ) -> AppResult<std::sync::Arc<Policy>> {
        // A stored version never changes, so it is parsed once and cached by its content hash.
        if let Some(p) = self
            .policies
            .lock()
            .expect("policy cache")
            .get(&stored.content_hash)
        {
            return Ok(p.clone());
        }
        let parsed = std::sync::Arc::new(Policy::parse(&stored.source).map_err(|e| {
            AppError::Internal(format!(
                "stored policy {} no longer parses: {e:?}",
                stored.id
            ))
        })?);
        self.policies
            .lock()
            .expect("policy cache")
            .insert(stored.content_hash, parsed.clone());
        Ok(parsed)
    }

    /// A quote under the policy in force on the application date. Stores nothing.
    pub async fn quote(&self, actor: &Actor, input: &QuoteInput) -> AppResult<Quote> {
        crate::authz::require(actor, crate::authz::Action::Quote, None)?;
        let day = parse_date(&input.application_date)
            .map_err(|e| AppError::Invalid(e.at("application_date").into()))?;
        let policy = self.policy_on(day).await?;
        Ok(quote(&policy, input, self.today())?)
    }
}
