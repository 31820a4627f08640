//! ISO 3166-1 alpha-2 country codes, plus `XK` for Kosovo (user-assigned, used by the EU and IOM).

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{Invalid, ValidationError};

/// Every officially assigned ISO 3166-1 alpha-2 code, and `XK`.
const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ \
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES \
ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO \
IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK \
ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR \
PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK \
TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK";

/// A validated country code: two upper-case letters that ISO 3166-1 assigns (or `XK`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Parses a code; lower case is accepted and normalised because users type it.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let code = input.trim().to_ascii_uppercase();
        if code.len() == 2 && CODES.split(' ').any(|c| c == code) {
            let b = code.as_bytes();
            Ok(CountryCode([b[0], b[1]]))
        } else {
            Err(ValidationError::new(Invalid::UnknownCountry {
                code: input.trim().to_string(),
            }))
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    pub fn all() -> impl Iterator<Item = CountryCode> {
        CODES
            .split(' ')
            .map(|c| CountryCode::parse(c).expect("static list is valid"))
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for CountryCode {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CountryCode::parse(&value)
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.as_str().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_parse_and_normalise() {
        assert_eq!(CountryCode::parse("xk").unwrap().as_str(), "XK");
        assert_eq!(CountryCode::parse(" GN ").unwrap().as_str(), "GN");
        assert_eq!(CountryCode::all().count(), 250);
    }

    #[test]
    fn unknown_codes_are_refused_with_the_code_in_the_message() {
        for bad in ["ZZ", "K", "KOS", "", "12", "UK"] {
            let err = CountryCode::parse(bad).unwrap_err();
            assert!(err.to_string().contains(bad.trim()), "{err}");
        }
    }
}
