//! Offices as records: a case and a counsellor name an office by its code, which must be one
//! Retour knows, and pages show the office's name.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use retour_domain::error::other;
use retour_domain::{Invalid, ValidationError, ValidationErrors};

use crate::authz::{require, Action};
use crate::{Actor, App, AppError, AppResult};

/// Offices are few and rarely change: pages read them from memory, refreshed at least this often
/// (another process, a `retour` command, may have added one) and at once after a change here.
const REFRESH: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Office {
    pub id: String,
    pub name: String,
}

/// Every office, by name, with a lookup by code.
#[derive(Debug, Default)]
pub struct Offices {
    pub list: Vec<Office>,
    by_id: HashMap<String, usize>,
}

impl Offices {
    fn new(list: Vec<Office>) -> Offices {
        let by_id = list
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.clone(), i))
            .collect();
        Offices { list, by_id }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// The name of an office, or its code when Retour does not know it.
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.by_id
            .get(id)
            .map(|&i| self.list[i].name.as_str())
            .unwrap_or(id)
    }
}

#[derive(Default)]
pub(crate) struct OfficeCache(std::sync::Mutex<Option<(Instant, Arc<Offices>)>>);

fn valid_code(id: &str) -> bool {
    (2..=40).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl App {
    /// Every office (names are not personal data: anyone signed in may read them).
    pub async fn offices(&self) -> AppResult<Arc<Offices>> {
        if let Some((at, o)) = self.offices.0.lock().expect("office cache").as_ref() {
            if at.elapsed() < REFRESH {
                return Ok(o.clone());
            }
        }
        let rows = self.store.offices().await?;
        let offices = Arc::new(Offices::new(
            rows.into_iter()
                .map(|r| Office {
                    id: r.id,
                    name: r.name,
                })
                .collect(),
        ));
        *self.offices.0.lock().expect("office cache") = Some((Instant::now(), offices.clone()));
        Ok(offices)
    }

    fn forget_offices(&self) {
        *self.offices.0.lock().expect("office cache") = None;
    }

    /// Refuses an office code Retour does not know, at `field`.
    pub(crate) async fn check_office(&self, id: &str, field: &str) -> AppResult<()> {
        let known = self.offices().await?.contains(id) || {
            // Added a moment ago by another process?
            self.forget_offices();
            self.offices().await?.contains(id)
        };
        if known {
            Ok(())
        } else {
            Err(
                ValidationError::new(Invalid::UnknownValue { value: id.into() })
                    .at(field)
                    .into(),
            )
        }
    }

    /// Adds an office (administrators and programme managers; `None` is the operator's command
    /// line), audited.
    pub async fn create_office(
        &self,
        actor: Option<&Actor>,
        id: &str,
        name: &str,
    ) -> AppResult<Office> {
        if let Some(actor) = actor {
            require(actor, Action::ManageOffices, None)?;
        }
        let office = Self::check_new_office(id, name)?;
        self.store.create_office(&office.id, &office.name).await?;
        self.forget_offices();
        self.store
            .append_audit(
                &retour_store::Audit::new(actor.map(|a| a.id), "office.create").detail(&office.id),
                None,
            )
            .await?;
        Ok(office)
    }

    /// Names an office anew (its code, which cases refer to, stays).
    pub async fn rename_office(&self, actor: &Actor, id: &str, name: &str) -> AppResult<()> {
        require(actor, Action::ManageOffices, None)?;
        let office = Self::check_new_office(id, name)?;
        self.store.rename_office(&office.id, &office.name).await?;
        self.forget_offices();
        self.store
            .append_audit(
                &retour_store::Audit::new(Some(actor.id), "office.rename").detail(&office.id),
                None,
            )
            .await?;
        Ok(())
    }

    fn check_new_office(id: &str, name: &str) -> Result<Office, AppError> {
        let mut errors = ValidationErrors::default();
        let id = id.trim().to_ascii_lowercase();
        if !valid_code(&id) {
            errors.push(other("bad-partner-code", id.clone()).at("id"));
        }
        let name = retour_domain::text::field(
            &mut errors,
            "name",
            name,
            true,
            120,
            retour_domain::text::Shape::Line,
        );
        Ok(errors.into_result(Office { id, name })?)
    }

    /// Creates the offices of `list` that do not exist yet (the demo, and tests).
    pub async fn ensure_offices(&self, list: &[(&str, &str)]) -> AppResult<()> {
        for (id, name) in list {
            match self.store.create_office(id, name).await {
                Ok(()) | Err(retour_store::StoreError::Duplicate(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.forget_offices();
        Ok(())
    }
}
