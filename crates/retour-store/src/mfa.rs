//! Second factors: an account's TOTP secret (encrypted by the application) and its recovery
//! codes (hashes only). Using a code is one conditional update, so a code works once even when
//! two tabs present it at the same moment.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::cases::now;
use crate::db::on_db;
use crate::script::{Script, ScriptError};
use crate::{Audit, Store, StoreError, StoreResult};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MfaRow {
    /// The secret as the application sealed it (`Sealed::MfaSecret`, bound to the user's id).
    pub secret: String,
    pub last_step: i64,
    pub enrolled_at: OffsetDateTime,
}

fn script_error(e: ScriptError) -> StoreError {
    match e {
        ScriptError::Stale => StoreError::Conflict { current: 0 },
        ScriptError::Failed { error, .. } => StoreError::unique(error, "second factor"),
    }
}

impl Store {
    /// The account's second factor, when it has one.
    pub async fn mfa(&self, user_id: Uuid) -> StoreResult<Option<MfaRow>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT secret, last_step, enrolled_at FROM user_mfa WHERE id = $1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await?))
    }

    /// Stores a confirmed second factor with its recovery codes (replacing any unused ones);
    /// `step` is the step of the code that confirmed it, used up. An account that has one
    /// already is refused ([`StoreError::Duplicate`]): it must be reset first.
    pub async fn enrol_mfa(
        &self,
        user_id: Uuid,
        sealed_secret: &str,
        step: i64,
        code_hashes: &[String],
        audit: &Audit,
    ) -> StoreResult<()> {
        let at = now();
        let mut script = Script::new();
        script.push(
            "INSERT INTO user_mfa (id, secret, last_step, enrolled_at) VALUES ($1, $2, $3, $4)",
            vec![user_id.into(), sealed_secret.into(), step.into(), at.into()],
        );
        script.push(
            "DELETE FROM recovery_codes WHERE user_id = $1",
            vec![user_id.into()],
        );
        for hash in code_hashes {
            script.push(
                "INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES ($1, $2, NULL)",
                vec![user_id.into(), hash.into()],
            );
        }
        self.push_audit(&mut script, audit, None, at);
        self.write_script(script).await.map_err(script_error)?;
        Ok(())
    }

    /// Uses up time step `step` of the account's codes: `false` when that step (or a later
    /// one) was used already, so a code never signs in twice.
    pub async fn take_mfa_step(&self, user_id: Uuid, step: i64) -> StoreResult<bool> {
        let mut script = Script::new();
        script.push(
            "UPDATE user_mfa SET last_step = $1 WHERE id = $2 AND last_step < $1",
            vec![step.into(), user_id.into()],
        );
        let done = self.write_script(script).await.map_err(script_error)?;
        Ok(done[0] == 1)
    }

    /// Uses up a recovery code: `false` when it is not one of the account's, or was used.
    pub async fn take_recovery_code(
        &self,
        user_id: Uuid,
        code_hash: &str,
        audit: &Audit,
    ) -> StoreResult<bool> {
        let at = now();
        let mut script = Script::new();
        script.push(
            "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 \
             AND used_at IS NULL",
            vec![at.into(), user_id.into(), code_hash.into()],
        );
        script.expect_one();
        self.push_audit(&mut script, audit, None, at);
        match self.write_script(script).await {
            Ok(_) => Ok(true),
            Err(ScriptError::Stale) => Ok(false),
            Err(e) => Err(script_error(e)),
        }
    }

    /// How many recovery codes the account has left.
    pub async fn recovery_codes_left(&self, user_id: Uuid) -> StoreResult<i64> {
        Ok(on_db!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await?))
    }

    /// Removes the account's second factor and recovery codes and ends its sessions (an
    /// administrator's reset, for a lost phone); `false` when it had none.
    pub async fn reset_mfa(&self, user_id: Uuid, audit: &Audit) -> StoreResult<bool> {
        let at = now();
        let mut script = Script::new();
        script.push("DELETE FROM user_mfa WHERE id = $1", vec![user_id.into()]);
        script.expect_one();
        script.push(
            "DELETE FROM recovery_codes WHERE user_id = $1",
            vec![user_id.into()],
        );
        script.push(
            "DELETE FROM sessions WHERE user_id = $1",
            vec![user_id.into()],
        );
        self.push_audit(&mut script, audit, None, at);
        match self.write_script(script).await {
            Ok(_) => Ok(true),
            Err(ScriptError::Stale) => Ok(false),
            Err(e) => Err(script_error(e)),
        }
    }
}
