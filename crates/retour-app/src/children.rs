//! Children in a case: best-interests assessments, unaccompanied minors' guardian and reception
//! check (all in the `minor_welfare` class, texts encrypted), parents' consent for the workbook
//! and handing it out.
//!
//! Workbooks come from the stock of the case's **office** (`Household::office`): it is the
//! return desk or reception centre whose social workers hand the book out, and the same stable
//! code that scopes counsellors — `location_name` is free text typed per case.

use retour_domain::children::{
    check_workbook, codes, may_consent, past_date, workbook_missing, BestInterestsInput, Edition,
    GuardianInput, ReceptionCheckInput, WorkbookMissing,
};
use retour_domain::quote::Vulnerability;
use retour_domain::{Case, Invalid, Member, ValidationError, ValidationErrors};
use retour_store::{
    Audit, BestInterestsRow, ChildRecords, GuardianRow, HandoutRow, ReceptionCheckRow,
    WorkbookConsentRow,
};
use retour_store::{RowKey, Sealed};
use time::Date;
use uuid::Uuid;

use crate::authz::{can, can_read, require, Action, Sensitivity};
use crate::{Actor, App, AppError, AppResult};

/// A best-interests assessment as one reader may see it: texts `None` when withheld.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BestInterestsView {
    pub assessed_on: Date,
    /// Who assessed: withheld (`None`) from readers without the right to minors' welfare, as
    /// a name beside a child's record says more than the date alone.
    pub assessed_by: Option<String>,
    pub consulted_parents: bool,
    pub consulted_guardian: bool,
    pub consulted_child: bool,
    pub consulted_names: Option<String>,
    pub summary: Option<String>,
    pub conclusion: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct GuardianView {
    pub name: String,
    pub organisation: String,
    pub appointed_on: Date,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ReceptionView {
    pub kind: String,
    pub description: String,
    pub checked_on: Date,
}

/// One minor of the case and what is recorded about them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChildView {
    pub person_id: Uuid,
    pub name: String,
    /// Age today.
    pub age: i32,
    /// `None`: no assessment recorded.
    pub best_interests: Option<BestInterestsView>,
    /// `None` when the reader may not know (minor welfare).
    pub unaccompanied: Option<bool>,
    pub guardian: Option<GuardianView>,
    pub reception: Option<ReceptionView>,
    /// The consenting parent's name and the date.
    pub consent: Option<(String, Date)>,
    /// The hand-out, if the child has the book: date and edition.
    pub handout: Option<(Date, String)>,
    /// What keeps the child from receiving the workbook today (empty: may receive it).
    pub workbook_missing: Vec<WorkbookMissing>,
}

/// One minor as the case page lists them for the workbook: no welfare data, nothing decrypted.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkbookChild {
    pub name: String,
    pub age: i32,
    pub missing: Vec<WorkbookMissing>,
    /// When the child received the book.
    pub handed_on: Option<Date>,
}

/// The children section of a case for one reader.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChildrenView {
    pub children: Vec<ChildView>,
    /// Adults who may consent for a child: (person id, name).
    pub parents: Vec<(Uuid, String)>,
    /// Whether the reader sees the welfare records (and may record them).
    pub welfare_readable: bool,
    pub can_record_welfare: bool,
    pub can_record_consent: bool,
    pub can_hand_out: bool,
    /// The office whose stock hands out the books, and its stock per edition.
    pub stock_location: String,
    pub stock: Vec<(Edition, i64)>,
}

fn member(case: &Case, person_id: Uuid) -> Result<&Member, ValidationError> {
    case.household
        .members
        .iter()
        .find(|m| m.person.id == person_id)
        .ok_or_else(|| {
            ValidationError::new(Invalid::UnknownValue {
                value: person_id.to_string(),
            })
            .at("person")
        })
}

fn minors(case: &Case, day: Date) -> impl Iterator<Item = &Member> {
    case.household.children_on(day)
}

impl App {
    /// Names of the minors of `case` (under 18 today) without a best-interests assessment.
    /// A plan is approved only when this is empty.
    pub async fn best_interests_missing(&self, case: &Case) -> AppResult<Vec<String>> {
        let assessed = self.store.assessed_children(case.id).await?;
        Ok(minors(case, self.today())
            .filter(|m| !assessed.contains(&m.person.id))
            .map(|m| m.person.full_name())
            .collect())
    }

    /// Names of the unaccompanied minors of `case` without a guardian and a reception check
    /// recorded. Departure is booked only when this is empty.
    pub async fn reception_missing(&self, case: &Case) -> AppResult<Vec<String>> {
        let unaccompanied = self.unaccompanied(case.id).await?;
        if unaccompanied.is_empty() {
            return Ok(Vec::new());
        }
        let protected = self.store.protected_children(case.id).await?;
        Ok(minors(case, self.today())
            .filter(|m| unaccompanied.contains(&m.person.id) && !protected.contains(&m.person.id))
            .map(|m| m.person.full_name())
            .collect())
    }

    /// Refuses a lifecycle move that the children's records do not allow yet.
    pub(crate) async fn check_children_for(
        &self,
        case: &Case,
        to: retour_domain::Status,
    ) -> AppResult<()> {
        let (missing, code) = match to {
            retour_domain::Status::PlanApproved => (
                self.best_interests_missing(case).await?,
                codes::BEST_INTERESTS_MISSING,
            ),
            retour_domain::Status::DepartureBooked => (
                self.reception_missing(case).await?,
                codes::RECEPTION_CHECK_MISSING,
            ),
            _ => return Ok(()),
        };
        if missing.is_empty() {
            return Ok(());
        }
        Err(ValidationError::new(Invalid::Other {
            code,
            value: missing.join(", "),
        })
        .at("to")
        .into())
    }

    async fn unaccompanied(&self, case_id: Uuid) -> AppResult<Vec<Uuid>> {
        Ok(self
            .store
            .vulnerabilities(case_id)
            .await?
            .into_iter()
            .filter(|v| v.kind == Vulnerability::UnaccompaniedMinor.as_str())
            .map(|v| v.person_id)
            .collect())
    }

    /// Which minors of a case may receive the workbook today and what is missing for the others.
    /// Shows no welfare data, so every reader of the case may see it.
    pub async fn workbook_summary(
        &self,
        actor: &Actor,
        case: &Case,
    ) -> AppResult<Vec<WorkbookChild>> {
        require(actor, Action::ReadCase, Some(case))?;
        let today = self.today();
        if !case.household.is_family_with_children_on(today) {
            return Ok(Vec::new());
        }
        let marks = self.store.workbook_marks(case.id).await?;
        Ok(minors(case, today)
            .map(|m| {
                let id = m.person.id;
                WorkbookChild {
                    name: m.person.full_name(),
                    age: m.person.birth_date.age_on(today),
                    missing: workbook_missing(
                        m.person.birth_date.date(),
                        today,
                        marks.iter().any(|(p, d)| *p == id && d.is_none()),
                    ),
                    handed_on: marks
                        .iter()
                        .find_map(|(p, d)| (*p == id).then_some(*d).flatten()),
                }
            })
            .collect())
    }

    /// The children of a case as `actor` may see them. Reading welfare texts is audited.
    pub async fn children(&self, actor: &Actor, case_id: Uuid) -> AppResult<ChildrenView> {
        let case = self.case(actor, case_id).await?;
        let records: ChildRecords = self.store.child_records(case_id).await?;
        let welfare = can_read(actor, Sensitivity::MinorWelfare, &case);
        let unaccompanied = if welfare {
            self.unaccompanied(case_id).await?
        } else {
            Vec::new()
        };
        let today = self.today();
        let name_of = |id: Uuid| {
            case.household
                .members
                .iter()
                .find(|m| m.person.id == id)
                .map(|m| m.person.full_name())
                .unwrap_or_default()
        };
        let mut read = Vec::new();
        let mut children = Vec::new();
        for m in minors(&case, today) {
            let id = m.person.id;
            let bi = match records.best_interests.iter().find(|r| r.person_id == id) {
                Some(r) => {
                    let row = RowKey::case_person(case.id, id);
                    let open = |c: Sealed, s: &str| -> AppResult<Option<String>> {
                        Ok(if welfare {
                            Some(self.cipher.decrypt(c, row, s)?)
                        } else {
                            None
                        })
                    };
                    if welfare {
                        read.push(format!("best interests {id}"));
                    }
                    Some(BestInterestsView {
                        assessed_on: r.assessed_on,
                        assessed_by: welfare.then(|| r.assessed_by.clone()),
                        consulted_parents: r.consulted_parents,
                        consulted_guardian: r.consulted_guardian,
                        consulted_child: r.consulted_child,
                        consulted_names: open(Sealed::BestInterestsNames, &r.consulted_names)?,
                        summary: open(Sealed::BestInterestsSummary, &r.summary)?,
                        conclusion: open(Sealed::BestInterestsConclusion, &r.conclusion)?,
                    })
                }
                None => None,
            };
            let (guardian, reception) = if welfare {
                let g = match records.guardians.iter().find(|r| r.person_id == id) {
                    Some(r) => {
                        read.push(format!("guardian {id}"));
                        Some(GuardianView {
                            name: self.cipher.decrypt(
                                Sealed::GuardianName,
                                RowKey::case_person(case.id, id),
                                &r.name,
                            )?,
                            organisation: self.cipher.decrypt(
                                Sealed::GuardianOrganisation,
                                RowKey::case_person(case.id, id),
                                &r.organisation,
                            )?,
                            appointed_on: r.appointed_on,
                        })
                    }
                    None => None,
                };
                let c = match records.reception_checks.iter().find(|r| r.person_id == id) {
                    Some(r) => {
                        read.push(format!("reception check {id}"));
                        Some(ReceptionView {
                            kind: r.kind.clone(),
                            description: self.cipher.decrypt(
                                Sealed::ReceptionDescription,
                                RowKey::case_person(case.id, id),
                                &r.description,
                            )?,
                            checked_on: r.checked_on,
                        })
                    }
                    None => None,
                };
                (g, c)
            } else {
                (None, None)
            };
            let consent = records
                .consents
                .iter()
                .find(|c| c.person_id == id)
                .map(|c| (name_of(c.parent_id), c.consented_on));
            let handout = records
                .handouts
                .iter()
                .find(|h| h.person_id == id)
                .map(|h| (h.handed_on, h.edition.clone()));
            children.push(ChildView {
                person_id: id,
                name: m.person.full_name(),
                age: m.person.birth_date.age_on(today),
                best_interests: bi,
                unaccompanied: welfare.then(|| unaccompanied.contains(&id)),
                guardian,
                reception,
                workbook_missing: workbook_missing(
                    m.person.birth_date.date(),
                    today,
                    consent.is_some(),
                ),
                consent,
                handout,
            });
        }
        if !read.is_empty() {
            self.store
                .append_audit(
                    &Audit::new(Some(actor.id), "sensitive.read")
                        .detail(format!("minor_welfare: {}", read.join(", "))),
                    Some(case_id),
                )
                .await?;
        }
        let parents = case
            .household
            .members
            .iter()
            .filter(|m| may_consent(m.relationship, m.person.birth_date.date(), today))
            .map(|m| (m.person.id, m.person.full_name()))
            .collect();
        let may_edit = can(actor, Action::EditCase, Some(&case));
        let can_hand_out = can(actor, Action::HandOutWorkbook, Some(&case));
        let location = case.household.office.clone();
        let mut stock = Vec::new();
        if can_hand_out {
            for e in Edition::ALL {
                stock.push((*e, self.store.stock_of(&location, e.as_str()).await?));
            }
        }
        Ok(ChildrenView {
            children,
            parents,
            welfare_readable: welfare,
            can_record_welfare: may_edit && welfare,
            can_record_consent: may_edit,
            can_hand_out,
            stock_location: location,
            stock,
        })
    }

    /// Loads a case the actor may record a minor's welfare on, and the minor.
    async fn welfare_case(&self, actor: &Actor, case_id: Uuid) -> AppResult<Case> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::EditCase, Some(&case))?;
        if !can_read(actor, Sensitivity::MinorWelfare, &case) {
            return Err(AppError::Forbidden);
        }
        Ok(case)
    }

    /// Records (or corrects) the best-interests assessment of a minor; texts are encrypted.
    pub async fn record_best_interests(
        &self,
        actor: &Actor,
        case_id: Uuid,
        person_id: Uuid,
        input: &BestInterestsInput,
    ) -> AppResult<()> {
        let case = self.welfare_case(actor, case_id).await?;
        let m = member(&case, person_id)?;
        let bi = input.parse(m.person.birth_date.date(), self.today())?;
        let row = BestInterestsRow {
            case_id,
            person_id,
            assessed_on: bi.assessed_on,
            assessed_by: bi.assessed_by,
            consulted_parents: bi.consulted_parents,
            consulted_guardian: bi.consulted_guardian,
            consulted_child: bi.consulted_child,
            consulted_names: self.cipher.encrypt(
                Sealed::BestInterestsNames,
                RowKey::case_person(case_id, person_id),
                &bi.consulted_names,
            ),
            summary: self.cipher.encrypt(
                Sealed::BestInterestsSummary,
                RowKey::case_person(case_id, person_id),
                &bi.summary,
            ),
            conclusion: self.cipher.encrypt(
                Sealed::BestInterestsConclusion,
                RowKey::case_person(case_id, person_id),
                &bi.conclusion,
            ),
            recorded_by: actor.id,
            recorded_at: time::OffsetDateTime::now_utc(),
        };
        self.store
            .put_best_interests(
                &row,
                &Audit::new(Some(actor.id), "child.best_interests").detail("minor_welfare"),
            )
            .await?;
        Ok(())
    }

    /// Checks that a member is an unaccompanied minor today.
    async fn unaccompanied_minor(&self, case: &Case, person_id: Uuid) -> AppResult<()> {
        let m = member(case, person_id)?;
        if m.person.birth_date.age_on(self.today()) >= 18
            || !self.unaccompanied(case.id).await?.contains(&person_id)
        {
            return Err(ValidationError::new(Invalid::Other {
                code: codes::NOT_UNACCOMPANIED,
                value: m.person.full_name(),
            })
            .at("person")
            .into());
        }
        Ok(())
    }

    /// Records the guardian of an unaccompanied minor (encrypted).
    pub async fn record_guardian(
        &self,
        actor: &Actor,
        case_id: Uuid,
        person_id: Uuid,
        input: &GuardianInput,
    ) -> AppResult<()> {
        let case = self.welfare_case(actor, case_id).await?;
        self.unaccompanied_minor(&case, person_id).await?;
        let g = input.parse(self.today())?;
        let row = GuardianRow {
            case_id,
            person_id,
            name: self.cipher.encrypt(
                Sealed::GuardianName,
                RowKey::case_person(case_id, person_id),
                &g.name,
            ),
            organisation: self.cipher.encrypt(
                Sealed::GuardianOrganisation,
                RowKey::case_person(case_id, person_id),
                &g.organisation,
            ),
            appointed_on: g.appointed_on,
            recorded_by: actor.id,
            recorded_at: time::OffsetDateTime::now_utc(),
        };
        self.store
            .put_guardian(
                &row,
                &Audit::new(Some(actor.id), "child.guardian").detail("minor_welfare"),
            )
            .await?;
        Ok(())
    }

    /// Records who awaits an unaccompanied minor in the country of return (encrypted).
    pub async fn record_reception_check(
        &self,
        actor: &Actor,
        case_id: Uuid,
        person_id: Uuid,
        input: &ReceptionCheckInput,
    ) -> AppResult<()> {
        let case = self.welfare_case(actor, case_id).await?;
        self.unaccompanied_minor(&case, person_id).await?;
        let r = input.parse(self.today())?;
        let row = ReceptionCheckRow {
            case_id,
            person_id,
            kind: r.kind.as_str().into(),
            description: self.cipher.encrypt(
                Sealed::ReceptionDescription,
                RowKey::case_person(case_id, person_id),
                &r.description,
            ),
            checked_on: r.checked_on,
            recorded_by: actor.id,
            recorded_at: time::OffsetDateTime::now_utc(),
        };
        self.store
            .put_reception_check(
                &row,
                &Audit::new(Some(actor.id), "child.reception_check").detail("minor_welfare"),
            )
            .await?;
        Ok(())
    }

    /// Records a parent's consent for a child's workbook: an adult principal or partner of the
    /// household consents for a minor of it.
    pub async fn record_workbook_consent(
        &self,
        actor: &Actor,
        case_id: Uuid,
        person_id: Uuid,
        parent_id: Uuid,
        consented_on: &str,
    ) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::EditCase, Some(&case))?;
        let mut errors = ValidationErrors::default();
        let today = self.today();
        let day = past_date("consented_on", consented_on, today)
            .map_err(|e| errors.push(e))
            .ok();
        match member(&case, person_id) {
            Ok(child) if child.person.birth_date.age_on(day.unwrap_or(today)) >= 18 => errors.push(
                ValidationError::new(Invalid::Other {
                    code: codes::NOT_A_MINOR,
                    value: child.person.full_name(),
                })
                .at("person"),
            ),
            Ok(_) => {}
            Err(e) => errors.push(e),
        }
        match member(&case, parent_id) {
            Ok(p)
                if may_consent(
                    p.relationship,
                    p.person.birth_date.date(),
                    day.unwrap_or(today),
                ) => {}
            Ok(p) => errors.push(
                ValidationError::new(Invalid::Other {
                    code: codes::NOT_A_PARENT,
                    value: p.person.full_name(),
                })
                .at("parent"),
            ),
            Err(e) => errors.push(e.at("parent")),
        }
        errors.into_result(())?;
        let row = WorkbookConsentRow {
            case_id,
            person_id,
            parent_id,
            consented_on: day.expect("checked"),
            recorded_by: actor.id,
            recorded_at: time::OffsetDateTime::now_utc(),
        };
        self.store
            .put_workbook_consent(&row, &Audit::new(Some(actor.id), "workbook.consent"))
            .await?;
        Ok(())
    }

    /// Hands the workbook to a child: aged 6 to 12 on `handed_on`, with a parent's consent, and
    /// a book of that edition in the office's stock (taken in the same transaction).
    pub async fn hand_out_workbook(
        &self,
        actor: &Actor,
        case_id: Uuid,
        person_id: Uuid,
        edition: &str,
        handed_on: &str,
    ) -> AppResult<()> {
        let case = self.case(actor, case_id).await?;
        require(actor, Action::HandOutWorkbook, Some(&case))?;
        let mut errors = ValidationErrors::default();
        let child = member(&case, person_id).map_err(|e| errors.push(e)).ok();
        let edition: Option<Edition> = edition
            .trim()
            .parse()
            .map_err(|e: ValidationError| errors.push(e.at("edition")))
            .ok();
        let day = past_date("handed_on", handed_on, self.today())
            .map_err(|e| errors.push(e))
            .ok();
        errors.into_result(())?;
        let (child, edition, day) = (
            child.expect("checked"),
            edition.expect("checked"),
            day.expect("checked"),
        );
        let consent = self
            .store
            .child_records(case_id)
            .await?
            .consents
            .iter()
            .any(|c| c.person_id == person_id);
        check_workbook(child.person.birth_date.date(), day, consent)?;
        let row = HandoutRow {
            id: Uuid::now_v7(),
            case_id,
            person_id,
            edition: edition.as_str().into(),
            handed_on: day,
            handed_by: actor.id,
            location: case.household.office.clone(),
            recorded_at: time::OffsetDateTime::now_utc(),
        };
        self.store
            .hand_out_workbook(
                &row,
                &Audit::new(Some(actor.id), "workbook.hand_out").detail(edition.as_str()),
            )
            .await?;
        Ok(())
    }
}
