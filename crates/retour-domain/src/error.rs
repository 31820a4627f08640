//! Validation errors carry a stable code and named arguments, not prose: the text a user reads
//! comes from the translation catalogues (`retour-i18n`), in their language.

use std::fmt;

/// What is wrong with an input. Each variant maps to the catalogue key `error-<code>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    UnknownCountry {
        code: String,
    },
    BadDate {
        value: String,
    },
    BirthDateInFuture {
        value: String,
    },
    Required,
    TooLong {
        max: usize,
    },
    NoPrincipal,
    SeveralPrincipals,
    DuplicateMember {
        name: String,
    },
    BadReference {
        value: String,
    },
    UnknownValue {
        value: String,
    },
    IllegalTransition {
        from: String,
        to: String,
    },
    DateOrder {
        earlier: time::Date,
        later: time::Date,
    },
    /// A typed number that cannot be read, or reads two ways; `example` shows how to write one.
    Number {
        code: &'static str,
        value: String,
        example: String,
    },
    /// A refusal that quotes an amount (what is left on a line, say), in euro cents.
    Amount {
        code: &'static str,
        cents: i64,
    },
    /// A refusal that quotes a day (the planned departure, say), written as each language writes dates.
    Day {
        code: &'static str,
        day: time::Date,
    },
    Other {
        code: &'static str,
        value: String,
    },
}

/// A message argument: text shown as typed, or an amount or a date that each language writes
/// its own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Cents(i64),
    Date(time::Date),
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Text(t) => f.write_str(t),
            Arg::Cents(c) => f.write_str(&crate::money::format_eur(
                *c,
                crate::money::NumberStyle::Plain,
            )),
            Arg::Date(d) => f.write_str(&crate::dates::format_date(*d)),
        }
    }
}

impl Invalid {
    pub fn code(&self) -> &'static str {
        match self {
            Invalid::UnknownCountry { .. } => "unknown-country",
            Invalid::BadDate { .. } => "bad-date",
            Invalid::BirthDateInFuture { .. } => "birth-date-in-future",
            Invalid::Required => "required",
            Invalid::TooLong { .. } => "too-long",
            Invalid::NoPrincipal => "no-principal",
            Invalid::SeveralPrincipals => "several-principals",
            Invalid::DuplicateMember { .. } => "duplicate-member",
            Invalid::BadReference { .. } => "bad-reference",
            Invalid::UnknownValue { .. } => "unknown-value",
            Invalid::IllegalTransition { .. } => "illegal-transition",
            Invalid::DateOrder { .. } => "date-order",
            Invalid::Number { code, .. }
            | Invalid::Amount { code, .. }
            | Invalid::Day { code, .. }
            | Invalid::Other { code, .. } => code,
        }
    }

    /// Named arguments for the message, in the order the catalogue uses them.
    pub fn args(&self) -> Vec<(&'static str, Arg)> {
        let text = |v: &String| Arg::Text(v.clone());
        match self {
            Invalid::UnknownCountry { code } => vec![("value", text(code))],
            Invalid::BadDate { value }
            | Invalid::BirthDateInFuture { value }
            | Invalid::BadReference { value }
            | Invalid::UnknownValue { value }
            | Invalid::Other { value, .. } => vec![("value", text(value))],
            Invalid::Number { value, example, .. } => {
                vec![("value", text(value)), ("example", text(example))]
            }
            Invalid::Amount { cents, .. } => vec![("value", Arg::Cents(*cents))],
            Invalid::Day { day, .. } => vec![("value", Arg::Date(*day))],
            Invalid::TooLong { max } => vec![("max", Arg::Text(max.to_string()))],
            Invalid::DuplicateMember { name } => vec![("name", text(name))],
            Invalid::IllegalTransition { from, to } => {
                vec![("from", text(from)), ("to", text(to))]
            }
            Invalid::DateOrder { earlier, later } => {
                vec![
                    ("earlier", Arg::Date(*earlier)),
                    ("later", Arg::Date(*later)),
                ]
            }
            Invalid::Required | Invalid::NoPrincipal | Invalid::SeveralPrincipals => vec![],
        }
    }
}

/// A refusal that quotes a day.
pub fn day(code: &'static str, day: time::Date) -> ValidationError {
    ValidationError::new(Invalid::Day { code, day })
}

/// A refusal that quotes an amount in euro cents.
pub fn amount(code: &'static str, cents: i64) -> ValidationError {
    ValidationError::new(Invalid::Amount { code, cents })
}

/// An input that was refused, and the field it concerns (a dotted path such as `members[2].birth_date`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub field: Option<String>,
    pub invalid: Invalid,
}

/// A refusal with its own code and one value (`Invalid::Other`), for rules outside the
/// common kinds.
pub fn other(code: &'static str, value: impl Into<String>) -> ValidationError {
    ValidationError::new(Invalid::Other {
        code,
        value: value.into(),
    })
}

impl ValidationError {
    pub fn new(invalid: Invalid) -> Self {
        ValidationError {
            field: None,
            invalid,
        }
    }

    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(match self.field.take() {
            Some(inner) if inner.starts_with('[') => format!("{}{inner}", field.into()),
            Some(inner) => format!("{}.{inner}", field.into()),
            None => field.into(),
        });
        self
    }

    pub fn code(&self) -> &'static str {
        self.invalid.code()
    }
}

/// Technical form for logs and test failures; users see the translated message instead.
impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.code())?;
        for (k, v) in self.invalid.args() {
            write!(f, " {k}={v:?}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Several problems found in one input, so a form can show them all at once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    pub fn push(&mut self, e: ValidationError) {
        self.0.push(e);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_result<T>(self, ok: T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(ok)
        } else {
            Err(self)
        }
    }
    pub fn codes(&self) -> Vec<&'static str> {
        self.0.iter().map(|e| e.code()).collect()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| e.to_string()).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for ValidationErrors {}

impl From<ValidationError> for ValidationErrors {
    fn from(e: ValidationError) -> Self {
        ValidationErrors(vec![e])
    }
}
