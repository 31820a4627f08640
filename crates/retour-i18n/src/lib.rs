//! Every user-facing text of Retour in Dutch, French and English, from the Fluent catalogues in
//! `locales/`, and the locale conventions for dates and amounts.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, LanguageIdentifier, Loader};
use retour_domain::{Arg, NumberStyle, ValidationError};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::HashMap;

pub mod names;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Bidi isolation marks would end up inside HTML attributes and CLI output.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The three languages of Retour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Nl, Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// `nl`, `nl-BE`, `fr_BE.UTF-8`, `EN` … → the language, if it is one of ours.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s
            .trim()
            .split(['-', '_', '.', ';'])
            .next()?
            .to_ascii_lowercase();
        match primary.as_str() {
            "nl" => Some(Lang::Nl),
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The preferred of our languages in an `Accept-Language` header (q-values honoured).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let Some(lang) = it.next().and_then(Lang::parse) else {
                continue;
            };
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    fn id(self) -> LanguageIdentifier {
        self.code().parse().expect("static language ids")
    }

    /// The text for `key`. A missing key (or a missing argument) shows as the key itself, and a
    /// test keeps that from happening.
    pub fn t(self, key: &str) -> String {
        LOCALES
            .try_lookup(&self.id(), key)
            .unwrap_or_else(|| key.to_string())
    }

    /// The text for `key` with its arguments. A plain count (`3`) is passed as a number so that
    /// plural forms (`[one]`, `*[other]`) choose by it; everything else stays text as formatted.
    pub fn t_args(self, key: &str, args: &[(&str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (Cow::Owned(k.to_string()), fluent_value(v)))
            .collect();
        LOCALES
            .try_lookup_with_args(&self.id(), key, &map)
            .unwrap_or_else(|| key.to_string())
    }

    /// A message argument written for this language: amounts and dates as the reader writes them.
    pub fn arg(self, a: &Arg) -> String {
        match a {
            Arg::Text(t) => t.clone(),
            Arg::Cents(c) => self.eur_cents(*c),
            Arg::Date(d) => self.date(*d),
        }
    }

    /// The message for a refused input, without its field (forms show it beside the field).
    pub fn message(self, e: &ValidationError) -> String {
        let key = format!("error-{}", e.code());
        let args: Vec<(&str, String)> = e
            .invalid
            .args()
            .iter()
            .map(|(k, v)| (*k, self.arg(v)))
            .collect();
        let message = self.t_args(&key, &args);
        if message == key {
            self.t_args("error-generic", &[("value", e.code().to_string())])
        } else {
            message
        }
    }

    /// The message for a refused input, with its field when it has one.
    pub fn error(self, e: &ValidationError) -> String {
        let message = self.message(e);
        match &e.field {
            Some(field) => self.t_args(
                "error-field",
                &[("field", field.clone()), ("message", message)],
            ),
            None => message,
        }
    }

    /// How numbers are written in this language: a decimal comma in Dutch and French, a
    /// decimal point in English. Forms read typed amounts in this style.
    pub fn number_style(self) -> NumberStyle {
        match self {
            Lang::Nl | Lang::Fr => NumberStyle::Comma,
            Lang::En => NumberStyle::Point,
        }
    }

    /// Euro amounts: `€ 1.200,00` in Dutch and French, `€1,200.00` in English.
    pub fn eur(self, amount: Decimal) -> String {
        let cents = (amount.round_dp(2) * Decimal::from(100)).trunc();
        self.eur_cents(i64::try_from(cents).unwrap_or(i64::MAX))
    }

    /// Euro cents, written as [`Lang::eur`] writes euro.
    pub fn eur_cents(self, cents: i64) -> String {
        retour_domain::money::format_eur(cents, self.number_style())
    }

    /// A decimal number (an exchange rate, say) with `decimals` decimals, in this language.
    pub fn decimal(self, d: Decimal, decimals: u32) -> String {
        retour_domain::money::format_decimal(d, self.number_style(), decimals)
    }

    /// A birth date as precisely as it is known: a full date as [`Lang::date`] writes it, a month
    /// as `04-1985` (nl), `04/1985` (fr), `Apr 1985` (en), a year alone as the year.
    pub fn birth_date(self, b: &retour_domain::BirthDate) -> String {
        let d = b.date();
        match b.precision() {
            retour_domain::DatePrecision::Day => self.date(d),
            retour_domain::DatePrecision::Month => match self {
                Lang::Nl => format!("{:02}-{:04}", u8::from(d.month()), d.year()),
                Lang::Fr => format!("{:02}/{:04}", u8::from(d.month()), d.year()),
                Lang::En => format!(
                    "{} {:04}",
                    MONTHS_EN[u8::from(d.month()) as usize - 1],
                    d.year()
                ),
            },
            retour_domain::DatePrecision::Year => format!("{:04}", d.year()),
        }
    }

    /// A birth date as a form shows it for typing: day first with the language's separator
    /// (`12-03-1985`, `12/03/1985`), `03-1985` for a month, the year alone for a year.
    pub fn birth_date_typed(self, b: &retour_domain::BirthDate) -> String {
        let d = b.date();
        let sep = if self == Lang::Nl { '-' } else { '/' };
        match b.precision() {
            retour_domain::DatePrecision::Day => {
                format!(
                    "{:02}{sep}{:02}{sep}{:04}",
                    d.day(),
                    u8::from(d.month()),
                    d.year()
                )
            }
            retour_domain::DatePrecision::Month => {
                format!("{:02}{sep}{:04}", u8::from(d.month()), d.year())
            }
            retour_domain::DatePrecision::Year => format!("{:04}", d.year()),
        }
    }

    /// A country by its code, in this language (`XK` → Kosovo); an unknown code as it is.
    pub fn country(self, code: &str) -> String {
        names::country_name(code, self)
            .map(str::to_string)
            .unwrap_or_else(|| code.to_string())
    }

    /// A language by its ISO 639-1 code, in this language (`sq` → Albanees); else as it is.
    pub fn language(self, code: &str) -> String {
        names::language_name(code, self)
            .map(str::to_string)
            .unwrap_or_else(|| code.to_string())
    }

    /// Calendar dates: `20-04-2026` (nl), `20/04/2026` (fr), `20 Apr 2026` (en).
    pub fn date(self, d: time::Date) -> String {
        match self {
            Lang::Nl => format!("{:02}-{:02}-{:04}", d.day(), u8::from(d.month()), d.year()),
            Lang::Fr => format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year()),
            Lang::En => format!(
                "{} {} {:04}",
                d.day(),
                MONTHS_EN[u8::from(d.month()) as usize - 1],
                d.year()
            ),
        }
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The language for command-line messages: `RETOUR_LANG`, else `LANG`, else English.
pub fn cli_lang() -> Lang {
    std::env::var("RETOUR_LANG")
        .ok()
        .and_then(|v| Lang::parse(&v))
        .or_else(|| std::env::var("LANG").ok().and_then(|v| Lang::parse(&v)))
        .unwrap_or(Lang::En)
}

/// A count as a Fluent number (so plurals select on it); any other text as it is, so that
/// references, years-with-leading-zeros and pre-formatted amounts are never re-read.
fn fluent_value(v: &str) -> FluentValue<'static> {
    let plain_count = !v.is_empty()
        && v.len() <= 9
        && v.bytes().all(|b| b.is_ascii_digit())
        && (v == "0" || !v.starts_with('0'));
    if plain_count {
        FluentValue::from(v.parse::<u32>().expect("nine digits fit"))
    } else {
        FluentValue::from(v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use retour_domain::{CountryCode, Invalid};
    use std::collections::BTreeSet;
    use std::str::FromStr;

    fn keys(lang: &str) -> BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut out = BTreeSet::new();
        for f in std::fs::read_dir(dir).unwrap() {
            let path = f.unwrap().path();
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                if let Some((k, _)) = line.split_once(" =") {
                    if !k.starts_with([' ', '#']) && !k.is_empty() {
                        assert!(out.insert(k.to_string()), "{k} twice in {lang}");
                    }
                }
            }
        }
        out
    }

    #[test]
    fn counts_choose_the_plural_form_and_other_digits_stay_text() {
        let one = Lang::En.t_args("search-households", &[("count", "1".into())]);
        assert_eq!(one, "One household found");
        let many = Lang::Fr.t_args("report-open-lines", &[("count", "3".into())]);
        assert_eq!(many, "3 lignes avec un solde");
        assert_eq!(
            Lang::Nl.t_args("report-open-visits", &[("count", "1".into())]),
            "Eén bezoek nog gepland"
        );
        // A zero-padded code is not a count: it stays exactly as written.
        assert_eq!(fluent_value("007"), FluentValue::from("007".to_string()));
    }

    #[test]
    fn every_key_exists_in_every_language() {
        let en = keys("en");
        assert!(en.len() > 20);
        for lang in ["nl", "fr"] {
            let other = keys(lang);
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}: missing {missing:?}, extra {extra:?}"
            );
        }
        let args: Vec<(&str, String)> = [
            "value",
            "max",
            "name",
            "from",
            "to",
            "earlier",
            "later",
            "field",
            "message",
            "detail",
            "count",
            "reference",
            "user",
            "lang",
            "date",
            "amount",
            "months",
            "medical",
            "url",
            "seconds",
            "rate",
            "example",
            "roles",
            "status",
            "class",
            "to",
            "envelope",
            "office",
            "day",
            "assumed",
            "due",
            "frozen",
            "seq",
            "id",
            "last",
            "expected",
            "path",
            "notes",
            "identities",
            "proofs",
            "page",
        ]
        .iter()
        .map(|k| (*k, "x".to_string()))
        .collect();
        for lang in Lang::ALL {
            for k in &en {
                assert_ne!(
                    &lang.t_args(k, &args),
                    k,
                    "{k} does not resolve in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn every_domain_error_code_has_a_message() {
        let samples = [
            Invalid::UnknownCountry { code: "ZZ".into() },
            Invalid::BadDate { value: "x".into() },
            Invalid::BirthDateInFuture {
                value: "2030-01-01".into(),
            },
            Invalid::Required,
            Invalid::TooLong { max: 3 },
            Invalid::NoPrincipal,
            Invalid::SeveralPrincipals,
            Invalid::DuplicateMember { name: "A B".into() },
            Invalid::BadReference { value: "x".into() },
            Invalid::UnknownValue { value: "x".into() },
            Invalid::IllegalTransition {
                from: "intake".into(),
                to: "closed".into(),
            },
            Invalid::DateOrder {
                earlier: time::Date::from_calendar_date(2026, time::Month::March, 20).unwrap(),
                later: time::Date::from_calendar_date(2026, time::Month::March, 2).unwrap(),
            },
            Invalid::Day {
                code: "born-after-departure",
                day: time::Date::from_calendar_date(2026, time::Month::April, 20).unwrap(),
            },
            Invalid::Number {
                code: "ambiguous-amount",
                value: "1,000".into(),
                example: "1.250,50".into(),
            },
            Invalid::Number {
                code: "bad-amount",
                value: "x".into(),
                example: "1.250,50".into(),
            },
            Invalid::Number {
                code: "too-many-decimals",
                value: "1,234".into(),
                example: "1.250,50".into(),
            },
            Invalid::Number {
                code: "negative-amount",
                value: "-1".into(),
                example: "1.250,50".into(),
            },
            Invalid::Number {
                code: "amount-too-large",
                value: "1".into(),
                example: "1.250,50".into(),
            },
        ];
        for lang in Lang::ALL {
            for inv in &samples {
                let key = format!("error-{}", inv.code());
                let e = retour_domain::ValidationError::new(inv.clone());
                assert!(!lang.message(&e).contains("error-"), "{key} in {lang:?}");
            }
        }
        let e = CountryCode::parse("ZZ")
            .unwrap_err()
            .at("destination_country");
        assert_eq!(Lang::Nl.error(&e), "destination_country: “ZZ” is geen gekende landcode (ISO 3166-1 alpha-2, Kosovo is XK).");
        assert!(Lang::Fr
            .error(&e)
            .contains("n’est pas un code de pays connu"));
        assert!(Lang::En.error(&e).contains("is not a known country code"));
        // Amounts and dates inside messages are written the reader's way.
        let left = retour_domain::error::amount("line-overspent", 17_500);
        assert!(
            Lang::Nl.message(&left).contains("€ 175,00"),
            "{}",
            Lang::Nl.message(&left)
        );
        assert!(Lang::En.message(&left).contains("€175.00"));
        let order = retour_domain::ValidationError::new(Invalid::DateOrder {
            earlier: time::Date::from_calendar_date(2026, time::Month::March, 20).unwrap(),
            later: time::Date::from_calendar_date(2026, time::Month::March, 2).unwrap(),
        });
        assert!(Lang::Nl.message(&order).contains("02-03-2026"));
        assert!(Lang::Fr.message(&order).contains("20/03/2026"));
        let typed =
            retour_domain::money::AmountError::Ambiguous.error("1,000", Lang::Nl.number_style());
        assert!(
            Lang::Nl.message(&typed).contains("1.250,50"),
            "{}",
            Lang::Nl.message(&typed)
        );
    }

    #[test]
    fn amounts_and_dates_follow_the_locale() {
        let d = Decimal::from_str("1200").unwrap();
        assert_eq!(Lang::Nl.eur(d), "€ 1.200,00");
        assert_eq!(Lang::Fr.eur(d), "€ 1.200,00");
        assert_eq!(Lang::En.eur(d), "€1,200.00");
        assert_eq!(Lang::Nl.eur(Decimal::from_str("0.05").unwrap()), "€ 0,05");
        assert_eq!(
            Lang::En.eur(Decimal::from_str("1234567.891").unwrap()),
            "€1,234,567.89"
        );
        assert_eq!(Lang::Nl.eur(Decimal::from_str("-25").unwrap()), "-€ 25,00");
        let day = time::Date::from_calendar_date(2026, time::Month::April, 20).unwrap();
        assert_eq!(Lang::Nl.date(day), "20-04-2026");
        assert_eq!(Lang::Fr.date(day), "20/04/2026");
        assert_eq!(Lang::En.date(day), "20 Apr 2026");
    }

    #[test]
    fn birth_dates_a_form_shows_can_be_sent_back_as_they_are() {
        for input in ["1985-03-12", "1985-03", "1985", "2020-02-29"] {
            let b = retour_domain::BirthDate::parse(input).unwrap();
            for lang in Lang::ALL {
                let shown = lang.birth_date_typed(&b);
                assert_eq!(
                    retour_domain::BirthDate::parse(&shown).unwrap(),
                    b,
                    "{shown}"
                );
            }
        }
        let b = retour_domain::BirthDate::parse("1985-03-12").unwrap();
        assert_eq!(Lang::Nl.birth_date_typed(&b), "12-03-1985");
        assert_eq!(Lang::Fr.birth_date(&b), "12/03/1985");
    }

    #[test]
    fn languages_are_chosen_from_headers_and_environment_values() {
        assert_eq!(
            Lang::from_accept_language("fr-BE,fr;q=0.9,en;q=0.8"),
            Some(Lang::Fr)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE, en;q=0.5, nl;q=0.7"),
            Some(Lang::Nl)
        );
        assert_eq!(Lang::from_accept_language("de, es"), None);
        assert_eq!(Lang::parse("nl_BE.UTF-8"), Some(Lang::Nl));
    }
}
