//! Amounts as people type and read them. One parser for every typed amount (pages, API, CLI,
//! import, policy files) and one formatter, per writing style. Never a float; never a guess:
//! input that two styles would read as different amounts is refused with an example of how to
//! write it, so that `1,000` never silently becomes one euro.

use rust_decimal::Decimal;

use crate::error::{Invalid, ValidationError};

/// How numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NumberStyle {
    /// Decimal comma; thousands grouped with `.` or spaces: `1.000,50`, `1 000,50` (Dutch, French).
    Comma,
    /// Decimal point; thousands grouped with `,` or spaces: `1,000.50` (English).
    Point,
    /// Digits and a decimal point, nothing else: `1000.50` (JSON, the command line, files).
    #[default]
    Plain,
}

impl NumberStyle {
    pub const ALL: [NumberStyle; 3] = [NumberStyle::Comma, NumberStyle::Point, NumberStyle::Plain];

    fn marks(self) -> (Option<char>, char) {
        match self {
            NumberStyle::Comma => (Some('.'), ','),
            NumberStyle::Point => (Some(','), '.'),
            NumberStyle::Plain => (None, '.'),
        }
    }

    /// What a reader of this style might also have meant: plain numbers are understood
    /// everywhere, so every style also accepts them.
    fn accepted(self) -> &'static [NumberStyle] {
        match self {
            NumberStyle::Comma => &[NumberStyle::Comma, NumberStyle::Plain],
            NumberStyle::Point => &[NumberStyle::Point, NumberStyle::Plain],
            NumberStyle::Plain => &[NumberStyle::Plain],
        }
    }
}

/// Why a typed amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    /// Not a number in any style.
    NotANumber,
    /// Readable, but as different amounts depending on who reads it (`1,000`, `1.000`).
    Ambiguous,
    /// More decimals than the amount may have (cents: two).
    TooManyDecimals,
    Negative,
    /// More than [`MAX_INTEGER_DIGITS`] digits before the decimal mark.
    TooLarge,
}

impl AmountError {
    pub fn code(self) -> &'static str {
        match self {
            AmountError::Empty => "required",
            AmountError::NotANumber => "bad-amount",
            AmountError::Ambiguous => "ambiguous-amount",
            AmountError::TooManyDecimals => "too-many-decimals",
            AmountError::Negative => "negative-amount",
            AmountError::TooLarge => "amount-too-large",
        }
    }

    /// The refusal as a validation error that shows the value typed and how to write one in
    /// `style`.
    pub fn error(self, typed: &str, style: NumberStyle) -> ValidationError {
        if self == AmountError::Empty {
            return ValidationError::new(Invalid::Required);
        }
        ValidationError::new(Invalid::Number {
            code: self.code(),
            value: typed.trim().chars().take(40).collect(),
            example: format_decimal(Decimal::new(125_050, 2), style, 2),
        })
    }
}

/// Largest number of digits before the decimal mark (under a thousand billion).
pub const MAX_INTEGER_DIGITS: usize = 12;

/// Reads a non-negative decimal number typed in `style` with at most `max_decimals` decimals.
/// Every style also accepts plain numbers (`1000.5`); an input that another style would read as
/// a different number is refused as ambiguous.
pub fn parse_decimal(
    input: &str,
    style: NumberStyle,
    max_decimals: u32,
) -> Result<Decimal, AmountError> {
    let text = strip_currency(input);
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let (negative, text) = match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.as_str()),
    };
    let mut ours: Vec<Decimal> = Vec::new();
    let mut too_many_decimals = false;
    let mut too_large = false;
    for s in style.accepted() {
        match read(text, *s) {
            Some(r) if r.scale > max_decimals => too_many_decimals = true,
            Some(r) if r.int_digits > MAX_INTEGER_DIGITS => too_large = true,
            Some(r) if !ours.contains(&r.value) => ours.push(r.value),
            _ => {}
        }
    }
    // What someone used to another style would have meant by the same characters.
    let theirs: Vec<Decimal> = NumberStyle::ALL
        .iter()
        .filter(|s| !style.accepted().contains(s))
        .filter_map(|s| read(text, *s))
        .filter(|r| r.scale <= max_decimals && r.int_digits <= MAX_INTEGER_DIGITS)
        .map(|r| r.value)
        .collect();
    let value = match ours.as_slice() {
        [one] if theirs.iter().all(|t| t == one) => *one,
        [] if theirs.is_empty() => {
            return Err(if too_large {
                AmountError::TooLarge
            } else if too_many_decimals {
                AmountError::TooManyDecimals
            } else {
                AmountError::NotANumber
            })
        }
        _ => return Err(AmountError::Ambiguous),
    };
    if negative && !value.is_zero() {
        return Err(AmountError::Negative);
    }
    Ok(value)
}

/// A euro amount typed in `style`, in cents (at most two decimals).
pub fn parse_cents(input: &str, style: NumberStyle) -> Result<i64, AmountError> {
    let d = parse_decimal(input, style, 2)?;
    let cents = d * Decimal::from(100);
    i64::try_from(cents.trunc()).map_err(|_| AmountError::TooLarge)
}

/// [`parse_cents`] with the refusal as a validation error that shows how to write an amount.
pub fn typed_cents(input: &str, style: NumberStyle) -> Result<i64, ValidationError> {
    parse_cents(input, style).map_err(|e| e.error(input, style))
}

/// `d` with `decimals` decimals (rounded half away from zero), grouped by thousands in `style`.
pub fn format_decimal(d: Decimal, style: NumberStyle, decimals: u32) -> String {
    let rounded = d.round_dp_with_strategy(
        decimals,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let mut abs = rounded.abs();
    abs.rescale(decimals);
    let text = abs.to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (text, String::new()),
    };
    let (group, mark) = style.marks();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if let Some(g) = group {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(g);
            }
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push(mark);
        out.push_str(&frac);
    }
    out
}

/// Euro cents as a person reads them: `€ 1.200,00` (comma style), `€1,200.00` (point style),
/// `1200.00` (plain, as the API writes amounts).
pub fn format_eur(cents: i64, style: NumberStyle) -> String {
    let d = Decimal::new(cents, 2);
    let number = format_decimal(d.abs(), style, 2);
    let sign = if cents < 0 { "-" } else { "" };
    match style {
        NumberStyle::Comma => format!("{sign}€ {number}"),
        NumberStyle::Point => format!("{sign}€{number}"),
        NumberStyle::Plain => format!("{sign}{number}"),
    }
}

struct Reading {
    value: Decimal,
    /// Decimals as typed (`1.50` has two).
    scale: u32,
    int_digits: usize,
}

/// The amount as a reader of `style` understands `s`, if it is well-formed in that style.
fn read(s: &str, style: NumberStyle) -> Option<Reading> {
    let (group, mark) = style.marks();
    let (int_part, frac) = match s.rsplit_once(mark) {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let digits: String = if int_part.bytes().all(|b| b.is_ascii_digit()) {
        int_part.to_string()
    } else {
        // Grouped thousands: one separator throughout, groups of three after the first.
        let sep = int_part.chars().find(|c| !c.is_ascii_digit())?;
        if !(Some(sep) == group || (sep == ' ' && group.is_some())) {
            return None;
        }
        let groups: Vec<&str> = int_part.split(sep).collect();
        let well_formed = (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !well_formed {
            return None;
        }
        groups.concat()
    };
    if digits.is_empty() {
        return None;
    }
    let scale = frac.map_or(0, |f| f.len() as u32);
    let int_digits = digits.trim_start_matches('0').len();
    let text = match frac {
        Some(f) => format!("{digits}.{f}"),
        None => digits,
    };
    if text.len() > 28 {
        return None;
    }
    let value: Decimal = text.parse().ok()?;
    Some(Reading {
        value,
        scale,
        int_digits,
    })
}

/// The input without surrounding spaces and a `€` or `EUR` before or after the number; every
/// kind of space (no-break, narrow no-break, thin) counts as a plain space.
fn strip_currency(input: &str) -> String {
    let spaced: String = input
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '\u{202F}' || c == '\u{00A0}' {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut s = spaced.trim();
    for symbol in ["€", "EUR", "eur", "Eur"] {
        if let Some(rest) = s.strip_prefix(symbol) {
            s = rest.trim_start();
        } else if let Some(rest) = s.strip_suffix(symbol) {
            s = rest.trim_end();
        }
    }
    // `-€ 25,00`: the sign may stand before the symbol.
    if let Some(rest) = s.strip_prefix("-€").or_else(|| s.strip_prefix("-EUR")) {
        return format!("-{}", rest.trim_start());
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use NumberStyle::*;

    fn cents(s: &str, style: NumberStyle) -> Result<i64, AmountError> {
        parse_cents(s, style)
    }

    #[test]
    fn amounts_are_read_as_people_write_them() {
        assert_eq!(cents("1.000,50", Comma), Ok(100_050));
        assert_eq!(cents("1 000,50", Comma), Ok(100_050));
        assert_eq!(cents("1\u{202F}000,50", Comma), Ok(100_050));
        assert_eq!(cents("€ 2.000,00", Comma), Ok(200_000));
        assert_eq!(cents("2.000,00 €", Comma), Ok(200_000));
        assert_eq!(cents("1.000", Comma), Ok(100_000));
        assert_eq!(cents("1.234.567,89", Comma), Ok(123_456_789));
        assert_eq!(cents("120", Comma), Ok(12_000));
        assert_eq!(cents("0,05", Comma), Ok(5));
        assert_eq!(cents("1000.5", Comma), Ok(100_050));
        assert_eq!(cents("1,000.50", Point), Ok(100_050));
        assert_eq!(cents("€1,200.00", Point), Ok(120_000));
        assert_eq!(cents("1,000", Point), Ok(100_000));
        assert_eq!(cents("1000.5", Point), Ok(100_050));
        assert_eq!(cents("1000.5", Plain), Ok(100_050));
        assert_eq!(cents("0", Plain), Ok(0));
    }

    #[test]
    fn input_two_readers_would_read_differently_is_refused() {
        for s in ["1,000", "2,500", "1,000,000"] {
            assert_eq!(cents(s, Comma), Err(AmountError::Ambiguous), "{s}");
        }
        for s in ["1.000", "2.500", "1.000,50"] {
            assert_eq!(cents(s, Point), Err(AmountError::Ambiguous), "{s}");
        }
        for s in ["1,000", "1.000", "2,5", "1.000,50"] {
            assert_eq!(cents(s, Plain), Err(AmountError::Ambiguous), "{s}");
        }
        // A rate with decimals: `1.000` is a thousand or one.
        assert_eq!(
            parse_decimal("1.000", Comma, 6),
            Err(AmountError::Ambiguous)
        );
        assert_eq!(
            parse_decimal("0,0098", Comma, 6).unwrap().to_string(),
            "0.0098"
        );
    }

    #[test]
    fn what_is_not_an_amount_says_why() {
        assert_eq!(cents("", Comma), Err(AmountError::Empty));
        assert_eq!(cents("  ", Comma), Err(AmountError::Empty));
        assert_eq!(cents("abc", Comma), Err(AmountError::NotANumber));
        assert_eq!(cents("1.2.3", Plain), Err(AmountError::NotANumber));
        assert_eq!(cents("12,3456", Comma), Err(AmountError::TooManyDecimals));
        assert_eq!(cents("-25", Comma), Err(AmountError::Negative));
        assert_eq!(cents("-€ 25,00", Comma), Err(AmountError::Negative));
        assert_eq!(cents("1e5", Plain), Err(AmountError::NotANumber));
        assert_eq!(cents("9999999999999", Plain), Err(AmountError::TooLarge));
        assert_eq!(cents("1.00.000", Comma), Err(AmountError::NotANumber));
        assert_eq!(cents("NaN", Plain), Err(AmountError::NotANumber));
    }

    #[test]
    fn amounts_are_written_per_style() {
        assert_eq!(format_eur(120_000, Comma), "€ 1.200,00");
        assert_eq!(format_eur(120_000, Point), "€1,200.00");
        assert_eq!(format_eur(120_000, Plain), "1200.00");
        assert_eq!(format_eur(5, Comma), "€ 0,05");
        assert_eq!(format_eur(-2500, Comma), "-€ 25,00");
        assert_eq!(
            format_decimal("0.0098".parse().unwrap(), Comma, 4),
            "0,0098"
        );
        assert_eq!(
            AmountError::Ambiguous.error("1,000", Comma),
            ValidationError::new(Invalid::Number {
                code: "ambiguous-amount",
                value: "1,000".into(),
                example: "1.250,50".into()
            })
        );
    }

    proptest! {
        #[test]
        fn formatting_then_parsing_gives_the_amount_back(c in 0i64..100_000_000_000_000) {
            for style in NumberStyle::ALL {
                prop_assert_eq!(parse_cents(&format_eur(c, style), style), Ok(c));
                let plain = format_decimal(Decimal::new(c, 2), style, 2);
                prop_assert_eq!(parse_cents(&plain, style), Ok(c));
            }
        }

        #[test]
        fn an_accepted_amount_means_the_same_to_every_reader_of_its_style(s in "[0-9]{1,7}([.,][0-9]{1,4})?([.,][0-9]{3})?") {
            for style in NumberStyle::ALL {
                if let Ok(v) = parse_decimal(&s, style, 2) {
                    for other in NumberStyle::ALL {
                        if let Ok(w) = parse_decimal(&s, other, 2) {
                            prop_assert_eq!(v, w, "{} read as {} and {}", s, v, w);
                        }
                    }
                }
            }
        }
    }
}
