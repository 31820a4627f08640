//! Calendar dates, birth dates of known precision, and age on a given day.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::{Date, Month};

use crate::error::{Invalid, ValidationError};

/// Parses a calendar date as machines write it (`YYYY-MM-DD`) and as people here write it, day
/// first: `20-04-2026` (Dutch), `20/04/2026` (French), `20.04.2026`, with or without leading
/// zeros. A year always has four digits, so the two orders never meet.
pub fn parse_date(input: &str) -> Result<Date, ValidationError> {
    let s = input.trim();
    let bad = || {
        ValidationError::new(Invalid::BadDate {
            value: s.chars().take(40).collect(),
        })
    };
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let (y, m, d) = match parts.as_slice() {
        [y, m, d]
            if s.contains('-') && digits(y, 4..=4) && digits(m, 2..=2) && digits(d, 2..=2) =>
        {
            (*y, *m, *d)
        }
        [d, m, y] if digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4) => (*y, *m, *d),
        _ => return Err(bad()),
    };
    // One kind of separator in a date.
    if s.matches(['-', '/', '.'])
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        != 1
    {
        return Err(bad());
    }
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u8 = m.parse().map_err(|_| bad())?;
    let d: u8 = d.parse().map_err(|_| bad())?;
    let month = Month::try_from(m).map_err(|_| bad())?;
    Date::from_calendar_date(y, month, d).map_err(|_| bad())
}

pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// How much of a birth date is known. Many applicants know only their year of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    Day,
    Month,
    Year,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        match s {
            "day" => Ok(DatePrecision::Day),
            "month" => Ok(DatePrecision::Month),
            "year" => Ok(DatePrecision::Year),
            other => Err(ValidationError::new(Invalid::UnknownValue {
                value: other.into(),
            })),
        }
    }
}

/// A birth date as far as it is known. An unknown day or month is stored as the 1st / January,
/// the convention of the Belgian national register for incomplete dates, and the precision is kept
/// so that the partial date is displayed as it was given (`1990`, `1990-07`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BirthDate {
    date: Date,
    precision: DatePrecision,
}

/// The oldest age a birth date may give.
pub const MAX_AGE_YEARS: i32 = 120;

impl BirthDate {
    pub fn new(date: Date, precision: DatePrecision) -> Self {
        let date = match precision {
            DatePrecision::Day => date,
            DatePrecision::Month => date.replace_day(1).expect("day 1 exists"),
            DatePrecision::Year => {
                Date::from_calendar_date(date.year(), Month::January, 1).expect("1 January exists")
            }
        };
        BirthDate { date, precision }
    }

    /// Accepts a full date as [`parse_date`] does, a month (`YYYY-MM`, or `04-1985`,
    /// `04/1985`), or a year (`YYYY`).
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let s = input.trim();
        let bad = || {
            ValidationError::new(Invalid::BadDate {
                value: s.chars().take(40).collect(),
            })
        };
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        match parts.as_slice() {
            [_] if s.len() == 4 => Ok(BirthDate::new(
                parse_date(&format!("{s}-01-01")).map_err(|_| bad())?,
                DatePrecision::Year,
            )),
            [y, m] if y.len() == 4 && s.contains('-') => Ok(BirthDate::new(
                parse_date(&format!("{y}-{m:0>2}-01")).map_err(|_| bad())?,
                DatePrecision::Month,
            )),
            [m, y] if y.len() == 4 && m.len() <= 2 => Ok(BirthDate::new(
                parse_date(&format!("{y}-{m:0>2}-01")).map_err(|_| bad())?,
                DatePrecision::Month,
            )),
            [_, _, _] => Ok(BirthDate::new(parse_date(s)?, DatePrecision::Day)),
            _ => Err(bad()),
        }
    }

    /// Like [`BirthDate::parse`], and refuses a date after `today`.
    pub fn parse_not_after(input: &str, today: Date) -> Result<Self, ValidationError> {
        let b = BirthDate::parse(input)?;
        if b.date > today {
            return Err(ValidationError::new(Invalid::BirthDateInFuture {
                value: input.trim().to_string(),
            }));
        }
        // Nobody alive was born more than 120 years ago: `1850` or `0000` is a typing error.
        if b.date.year() < today.year() - MAX_AGE_YEARS {
            return Err(ValidationError::new(Invalid::Other {
                code: "birth-date-too-old",
                value: input.trim().to_string(),
            }));
        }
        Ok(b)
    }

    pub fn date(&self) -> Date {
        self.date
    }
    pub fn precision(&self) -> DatePrecision {
        self.precision
    }

    /// Age in whole years on `on`. A birthday on `on` counts (18 on the 18th birthday);
    /// someone born on 29 February turns a year older on 1 March in common years.
    pub fn age_on(&self, on: Date) -> i32 {
        age_on(self.date, on)
    }
}

/// Age in completed years of someone born on `birth` on the day `on` (negative never: 0 before birth).
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut years = on.year() - birth.year();
    let (bm, bd) = (u8::from(birth.month()), birth.day());
    let (om, od) = (u8::from(on.month()), on.day());
    if (om, od) < (bm, bd) {
        years -= 1;
    }
    years.max(0)
}

/// A person counts as an adult when 18 or older on the given day (the planned departure date).
pub fn is_adult_on(birth: Date, on: Date) -> bool {
    age_on(birth, on) >= 18
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            DatePrecision::Day => f.write_str(&format_date(self.date)),
            DatePrecision::Month => write!(
                f,
                "{:04}-{:02}",
                self.date.year(),
                u8::from(self.date.month())
            ),
            DatePrecision::Year => write!(f, "{:04}", self.date.year()),
        }
    }
}

impl TryFrom<String> for BirthDate {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        BirthDate::parse(&s)
    }
}

impl From<BirthDate> for String {
    fn from(b: BirthDate) -> String {
        b.to_string()
    }
}

#[cfg(test)]
mod typed_dates {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_are_read_as_machines_and_people_write_them() {
        for s in [
            "2026-04-20",
            "20-04-2026",
            "20/04/2026",
            "20.04.2026",
            "20/4/2026",
        ] {
            assert_eq!(parse_date(s).unwrap(), date!(2026 - 04 - 20), "{s}");
        }
        for bad in [
            "2026/04/20",
            "04-20-2026",
            "20-04/2026",
            "20-04-26",
            "2026-4-20",
            "",
            "x",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert_eq!(
            BirthDate::parse("04-1985").unwrap(),
            BirthDate::parse("1985-04").unwrap()
        );
        assert_eq!(
            BirthDate::parse("4/1985").unwrap().precision(),
            DatePrecision::Month
        );
        assert_eq!(
            BirthDate::parse("12.03.1985").unwrap(),
            BirthDate::parse("1985-03-12").unwrap()
        );
        assert_eq!(
            BirthDate::parse("1985").unwrap().precision(),
            DatePrecision::Year
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn age_counts_the_birthday_itself() {
        let b = date!(2008 - 04 - 20);
        assert_eq!(age_on(b, date!(2026 - 04 - 19)), 17);
        assert_eq!(age_on(b, date!(2026 - 04 - 20)), 18);
        assert!(is_adult_on(b, date!(2026 - 04 - 20)));
        assert!(!is_adult_on(b, date!(2026 - 04 - 19)));
        assert_eq!(age_on(b, date!(2000 - 01 - 01)), 0);
    }

    #[test]
    fn leap_day_birthdays_advance_on_first_of_march_in_common_years() {
        let b = date!(2008 - 02 - 29);
        assert_eq!(age_on(b, date!(2026 - 02 - 28)), 17);
        assert_eq!(age_on(b, date!(2026 - 03 - 01)), 18);
        assert_eq!(age_on(b, date!(2028 - 02 - 29)), 20);
    }

    #[test]
    fn partial_birth_dates_keep_their_precision() {
        let y = BirthDate::parse("1990").unwrap();
        assert_eq!(y.precision(), DatePrecision::Year);
        assert_eq!(y.date(), date!(1990 - 01 - 01));
        assert_eq!(y.to_string(), "1990");
        let m = BirthDate::parse("1990-07").unwrap();
        assert_eq!(m.to_string(), "1990-07");
        assert_eq!(m.age_on(date!(2008 - 07 - 01)), 18);
        assert_eq!(
            BirthDate::parse("1990-07-15").unwrap().to_string(),
            "1990-07-15"
        );
    }

    #[test]
    fn bad_and_future_dates_are_refused() {
        for bad in [
            "1990-13-01",
            "1990-02-30",
            "19900101",
            "abc",
            "90",
            "1990-7-1",
        ] {
            assert_eq!(
                BirthDate::parse(bad).unwrap_err().code(),
                "bad-date",
                "{bad}"
            );
        }
        let err = BirthDate::parse_not_after("2030-01-01", date!(2026 - 11 - 22)).unwrap_err();
        assert_eq!(err.code(), "birth-date-in-future");
        assert!(BirthDate::parse_not_after("2026-11-22", date!(2026 - 11 - 22)).is_ok());
    }
}
