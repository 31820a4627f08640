//! What every page's frame needs: language, who is signed in, the CSRF token, what the menu offers.

use retour_app::authz::{can, Action};
use retour_app::sessions::Session;
use retour_app::Role;
use retour_i18n::Lang;
use std::collections::HashMap;
use std::fmt::Display;

pub struct Layout {
    pub lang: Lang,
    pub user_name: Option<String>,
    pub role: Option<Role>,
    pub csrf: String,
    pub can_create: bool,
    pub is_admin: bool,
    pub can_manage_partners: bool,
    /// Roles whose cases raise tasks: counsellors, partner caseworkers, programme managers.
    pub has_tasks: bool,
    /// Keeps the workbook stock and handles orders.
    pub can_manage_workbooks: bool,
    pub can_read_audit: bool,
    /// Decides possible duplicates and prior beneficiaries.
    pub can_review_persons: bool,
    pub can_manage_offices: bool,
    /// Offices by code, to show their names (empty on public pages, which show none).
    pub offices: std::sync::Arc<retour_app::offices::Offices>,
}

impl Layout {
    pub fn anonymous(lang: Lang) -> Layout {
        Layout {
            lang,
            user_name: None,
            role: None,
            csrf: String::new(),
            can_create: false,
            is_admin: false,
            can_manage_partners: false,
            has_tasks: false,
            can_manage_workbooks: false,
            can_read_audit: false,
            can_review_persons: false,
            can_manage_offices: false,
            offices: Default::default(),
        }
    }

    pub fn signed(lang: Lang, s: &Session) -> Layout {
        Layout {
            lang,
            user_name: Some(s.user.display_name.clone()),
            role: Some(s.actor.role),
            csrf: s.csrf.clone(),
            can_create: can(&s.actor, Action::CreateCase, None),
            is_admin: can(&s.actor, Action::ManageUsers, None),
            can_manage_partners: can(&s.actor, Action::ManagePartners, None),
            has_tasks: can(&s.actor, Action::ListTasks, None),
            can_manage_workbooks: can(&s.actor, Action::ManageWorkbooks, None),
            can_read_audit: can(&s.actor, Action::ReadAudit, None),
            can_review_persons: can(&s.actor, Action::ReviewPersonLinks, None),
            can_manage_offices: can(&s.actor, Action::ManageOffices, None),
            offices: Default::default(),
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// A text with one named argument.
    pub fn ta(&self, key: &str, name: &str, value: impl Display) -> String {
        self.lang.t_args(key, &[(name, value.to_string())])
    }

    /// One field of a corrected fact, written for this language.
    pub fn fact(&self, v: &retour_app::corrections::Value) -> String {
        use retour_app::corrections::Value;
        match v {
            Value::Text(t) => t.clone(),
            Value::Cents(c) => self.lang.eur_cents(*c),
            Value::Date(d) => self.lang.date(*d),
            Value::Label { group, code } => self.label(group, code),
        }
    }

    /// The translated name of an enumerated value, e.g. `status-intake`.
    /// Why a person was found, in a few words each (`Spelled Agron Miftari · Same birth year`).
    pub fn match_reasons(&self, reasons: &[retour_domain::names::matching::Reason]) -> String {
        use retour_domain::names::matching::Reason;
        reasons
            .iter()
            .map(|r| match r {
                Reason::SameName => self.t("match-same-name"),
                Reason::NameSpelled(v) => self.ta("match-name-spelled", "value", v),
                Reason::SameBirthDate => self.t("match-same-birth-date"),
                Reason::SameBirthMonth => self.t("match-same-birth-month"),
                Reason::SameBirthYear => self.t("match-same-birth-year"),
                Reason::BirthDateClose => self.t("match-birth-date-close"),
                Reason::BirthDateDiffers => self.t("match-birth-date-differs"),
                Reason::SexDiffers => self.t("match-sex-differs"),
                Reason::SameNationality => self.t("match-same-nationality"),
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// A history reason: the system's own reasons are codes, written in the reader's language;
    /// what people typed is shown as typed.
    pub fn reason(&self, reason: &str) -> String {
        let key = format!("reason-{reason}");
        let text = self.t(&key);
        if text == key {
            reason.to_string()
        } else {
            text
        }
    }

    pub fn label(&self, prefix: &str, value: impl Display) -> String {
        self.lang.t(&format!("{prefix}-{value}"))
    }

    pub fn role_label(&self) -> String {
        self.role
            .map(|r| self.label("role", r.as_str()))
            .unwrap_or_default()
    }

    /// The title of a work queue (`/queues/{slug}`).
    pub fn queue_title(&self, slug: &str) -> String {
        match slug.strip_prefix("status-") {
            Some(status) => self.ta("queue-status", "status", self.label("status", status)),
            None => self.t(&format!("queue-{slug}")),
        }
    }

    /// Where a queue's item leads: to the page where its work is done.
    pub fn queue_link(&self, slug: &str, case_id: &uuid::Uuid) -> String {
        match slug {
            "entitlement-changes" => format!("/cases/{case_id}/entitlement#entitlement-change"),
            _ => format!("/cases/{case_id}"),
        }
    }

    /// An office by its code, named.
    pub fn office(&self, code: impl Display) -> String {
        let code = code.to_string();
        self.offices.name(&code).to_string()
    }

    /// A country by its code, named in the reader's language.
    pub fn country(&self, code: impl Display) -> String {
        self.lang.country(&code.to_string())
    }

    pub fn date(&self, d: impl AsDate) -> String {
        self.lang.date(d.as_date())
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn is(&self, code: &str) -> bool {
        self.lang.code() == code
    }
}

/// Inline form errors by field path, already translated.
#[derive(Default)]
pub struct FieldErrors {
    pub by_field: HashMap<String, String>,
    /// Errors that concern the whole form.
    pub general: Vec<String>,
    /// The name of each field in the summary ("Amount: …"), where the catalogue has one.
    pub names: HashMap<String, String>,
    /// The reader's language, which writes "name: message" its own way (French: "nom : …").
    lang: Option<Lang>,
}

impl FieldErrors {
    pub fn from_validation(errs: &retour_domain::ValidationErrors, lang: Lang) -> FieldErrors {
        let mut out = FieldErrors {
            lang: Some(lang),
            ..Default::default()
        };
        for e in &errs.0 {
            let msg = lang.message(e);
            match &e.field {
                Some(f) => {
                    // `members[0].family_name`, `{id}.reason`: the last part names the field.
                    let last = f.rsplit(['.', ']']).next().unwrap_or(f);
                    let key = format!("field-{}", last.replace('_', "-"));
                    let name = lang.t(&key);
                    if name != key {
                        out.names.insert(f.clone(), name);
                    }
                    out.by_field
                        .entry(f.clone())
                        .and_modify(|m| {
                            m.push(' ');
                            m.push_str(&msg)
                        })
                        .or_insert(msg);
                }
                None => out.general.push(msg),
            }
        }
        out
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.by_field.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty() && self.general.is_empty()
    }

    /// All messages, for the summary at the top of a form, each with its field's name.
    pub fn all(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .by_field
            .iter()
            .map(|(k, m)| match self.names.get(k) {
                Some(name) => (
                    k.clone(),
                    match self.lang {
                        Some(lang) => lang.t_args(
                            "error-field",
                            &[("field", name.clone()), ("message", m.clone())],
                        ),
                        None => format!("{name}: {m}"),
                    },
                ),
                None => (k.clone(), m.clone()),
            })
            .collect();
        v.sort();
        v
    }
}

/// Lets templates pass a date however deeply borrowed.
pub trait AsDate {
    fn as_date(&self) -> time::Date;
}
impl AsDate for time::Date {
    fn as_date(&self) -> time::Date {
        *self
    }
}
impl<T: AsDate + ?Sized> AsDate for &T {
    fn as_date(&self) -> time::Date {
        (**self).as_date()
    }
}

/// Lets templates pass an amount in cents however deeply borrowed.
pub trait AsCents {
    fn as_cents(&self) -> i64;
}
impl AsCents for i64 {
    fn as_cents(&self) -> i64 {
        *self
    }
}
impl<T: AsCents + ?Sized> AsCents for &T {
    fn as_cents(&self) -> i64 {
        (**self).as_cents()
    }
}
