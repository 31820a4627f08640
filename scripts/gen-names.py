#!/usr/bin/env python3
"""Generate crates/retour-i18n/src/names.rs: country and language names in nl, fr and en.

The names come from pycountry's copy of the iso-codes data and its gettext translations
(domains iso3166-1 and iso639-3), with the hand-made corrections in the tables below.

    python3 -m venv /tmp/names-venv && /tmp/names-venv/bin/pip install pycountry
    /tmp/names-venv/bin/python scripts/gen-names.py           # (re)write names.rs
    /tmp/names-venv/bin/python scripts/gen-names.py --check   # exit 1 if names.rs is stale
    /tmp/names-venv/bin/python scripts/gen-names.py --review  # names that may be untranslated

The output is deterministic (sorted by code) and is passed through rustfmt when rustfmt is
on PATH, so that `cargo fmt --check` accepts it.
"""

import gettext
import importlib.metadata
import pathlib
import shutil
import subprocess
import sys
import unicodedata

import pycountry

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "retour-i18n" / "src" / "names.rs"
LANGS = ("nl", "fr", "en")

# --- Countries -------------------------------------------------------------------------------

# Not in ISO 3166-1, but a country people return to; XK is the code the EU and others use.
EXTRA_COUNTRIES = {
    "XK": {"nl": "Kosovo", "fr": "Kosovo", "en": "Kosovo"},
}

# Hand corrections: inverted ("Congo, The Democratic Republic of the") or official long forms
# where no common name is translated, untranslated names, and forms people do not use.
COUNTRY_OVERRIDES = {
    "AX": {"fr": "Îles Åland"},
    "BN": {"fr": "Brunei", "en": "Brunei"},
    "BY": {"nl": "Belarus"},
    "CC": {"fr": "Îles Cocos (Keeling)"},
    "CD": {
        "nl": "Democratische Republiek Congo",
        "fr": "République démocratique du Congo",
        "en": "Democratic Republic of the Congo",
    },
    "CG": {
        "nl": "Republiek Congo",
        "fr": "République du Congo",
        "en": "Republic of the Congo",
    },
    "CX": {"fr": "Île Christmas"},
    "FK": {"nl": "Falklandeilanden", "fr": "Îles Malouines", "en": "Falkland Islands"},
    "FM": {"fr": "Micronésie", "en": "Micronesia"},
    "GE": {"nl": "Georgië"},
    "GQ": {"fr": "Guinée équatoriale"},
    "NF": {"nl": "Norfolkeiland"},
    "PN": {"en": "Pitcairn Islands"},
    "PS": {"nl": "Palestina", "fr": "Palestine", "en": "Palestine"},
    "RE": {"fr": "La Réunion"},
    "RU": {"fr": "Russie", "en": "Russia"},
    "SB": {"fr": "Îles Salomon"},
    "VA": {"nl": "Vaticaanstad", "fr": "Vatican", "en": "Vatican City"},
    "VE": {"fr": "Venezuela"},
    "VG": {"nl": "Britse Maagdeneilanden", "en": "British Virgin Islands"},
    "VI": {
        "nl": "Amerikaanse Maagdeneilanden",
        "fr": "Îles Vierges des États-Unis",
        "en": "United States Virgin Islands",
    },
}

# Names whose comma is part of the name rather than an inversion.
COUNTRY_COMMA_OK = {"BQ", "SH"}

# --- Languages -------------------------------------------------------------------------------

# Hand corrections: untranslated or doubled Dutch names, qualifiers nobody says ("Modern Greek
# (1453-)", "Occitan (post 1500)"), and the names people use (Pashto, Kirundi, Punjabi ...).
# French names are written here as French writes them, in lower case.
LANGUAGE_OVERRIDES = {
    "be": {"nl": "Belarussisch"},
    "cu": {"nl": "Kerkslavisch"},
    "el": {"nl": "Grieks", "fr": "grec", "en": "Greek"},
    "et": {"nl": "Estisch"},
    "ff": {"nl": "Fula", "en": "Fula"},
    "fy": {"nl": "Fries", "fr": "frison", "en": "Frisian"},
    "gd": {"nl": "Schots-Gaelisch"},
    "gn": {"nl": "Guarani"},
    "gu": {"fr": "gujarati"},
    "ho": {"fr": "hiri motu"},
    "ht": {"nl": "Haïtiaans Creools", "fr": "créole haïtien", "en": "Haitian Creole"},
    "ia": {"nl": "Interlingua", "fr": "interlingua", "en": "Interlingua"},
    "ii": {"nl": "Yi"},
    "kg": {"nl": "Kikongo", "fr": "kikongo"},
    "kl": {"nl": "Groenlands", "fr": "groenlandais", "en": "Greenlandic"},
    "kn": {"fr": "kannada"},
    "kw": {"nl": "Cornisch"},
    "ky": {"fr": "kirghiz", "en": "Kyrgyz"},
    "lb": {"nl": "Luxemburgs"},
    "li": {"nl": "Limburgs", "en": "Limburgish"},
    "lo": {"nl": "Laotiaans"},
    "ms": {"nl": "Maleis"},
    "ne": {"nl": "Nepalees"},
    "oc": {"nl": "Occitaans", "en": "Occitan"},
    "or": {"en": "Odia"},
    "os": {"nl": "Ossetisch"},
    "pa": {"nl": "Punjabi", "en": "Punjabi"},
    "ps": {"nl": "Pasjtoe", "fr": "pachto", "en": "Pashto"},
    "rm": {"nl": "Reto-Romaans"},
    "rn": {"nl": "Kirundi", "fr": "kirundi", "en": "Kirundi"},
    "se": {"nl": "Noord-Samisch"},
    "sg": {"nl": "Sango"},
    "sh": {"nl": "Servo-Kroatisch"},
    "si": {"nl": "Singalees"},
    "sk": {"nl": "Slowaaks"},
    "so": {"nl": "Somalisch"},
    "st": {"nl": "Zuid-Sotho"},
    "tt": {"nl": "Tataars"},
    "to": {"nl": "Tongaans", "fr": "tongien", "en": "Tongan"},
    "ug": {"nl": "Oeigoers", "en": "Uyghur"},
    "uz": {"fr": "ouzbek"},
}

# Qualifiers that iso-codes adds and a reader does not need.
LANGUAGE_SUFFIXES = (" (macrolanguage)", " (macrolangue)")

# --- What must come out (checked on every run) -----------------------------------------------

EXPECT_COUNTRIES = {
    "XK": ("Kosovo", "Kosovo", "Kosovo"),
    "MK": ("Noord-Macedonië", "Macédoine du Nord", "North Macedonia"),
    "GN": ("Guinee", "Guinée", "Guinea"),
    "CI": ("Ivoorkust", "Côte d’Ivoire", "Côte d'Ivoire"),
    "BE": ("België", "Belgique", "Belgium"),
    "GB": ("Verenigd Koninkrijk", "Royaume-Uni", "United Kingdom"),
    "BO": ("Bolivia", "Bolivie", "Bolivia"),
}
EXPECT_LANGUAGES = {
    "sq": ("Albanees", "albanais", "Albanian"),
}

# Letters without a canonical decomposition, and what they sort as.
FOLD_SPECIAL = {"æ": "ae", "œ": "oe", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i"}


def translator(domain, lang):
    if lang == "en":
        return lambda s: s
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang]).gettext


def country_rows():
    tr = {lang: translator("iso3166-1", lang) for lang in LANGS}
    rows = {}
    for c in pycountry.countries:
        common = getattr(c, "common_name", None)
        names = {}
        for lang in LANGS:
            name = tr[lang](c.name)
            if common is not None:
                # The common name ("Bolivia", not "Bolivia, Plurinational State of"). Where a
                # translation lacks it, the English common name is the same word in nl and fr
                # for every country that has one (checked by --review and EXPECT_COUNTRIES).
                name = tr[lang](common)
            names[lang] = name
        rows[c.alpha_2] = names
    for code, names in EXTRA_COUNTRIES.items():
        assert code not in rows, f"{code} is now in ISO 3166-1: drop it from EXTRA_COUNTRIES"
        rows[code] = dict(names)
    for code, fix in COUNTRY_OVERRIDES.items():
        assert code in rows, f"override for unknown country {code}"
        rows[code].update(fix)
    for code, names in rows.items():
        names["fr"] = names["fr"].replace("'", "’")
        for lang in LANGS:
            name = names[lang]
            assert name and name == name.strip(), (code, lang, name)
            assert name[0].isupper(), (code, lang, name)
            assert ", " not in name or code in COUNTRY_COMMA_OK, (
                f"{code} {lang} {name!r} looks inverted: add an override"
            )
    return rows


def language_rows():
    tr = {lang: translator("iso639-3", lang) for lang in LANGS}
    rows = {}
    for lang_rec in pycountry.languages:
        code = getattr(lang_rec, "alpha_2", None)
        if code is None:
            continue
        # The 639-3 record of the language, by its alpha_3, names it in the translations.
        rec = pycountry.languages.get(alpha_3=lang_rec.alpha_3)
        names = {}
        for lang in LANGS:
            name = tr[lang](rec.name)
            for suffix in LANGUAGE_SUFFIXES:
                name = name.removesuffix(suffix)
            names[lang] = name
        rows[code] = names
    for code, fix in LANGUAGE_OVERRIDES.items():
        assert code in rows, f"override for unknown language {code}"
        rows[code].update(fix)
    for code, names in rows.items():
        fr = names["fr"].replace("'", "’")
        names["fr"] = fr[:1].lower() + fr[1:]
        for lang in LANGS:
            name = names[lang]
            assert name and name == name.strip(), (code, lang, name)
            assert "(" not in name and ";" not in name and ", " not in name, (code, lang, name)
            assert name[0].islower() if lang == "fr" else name[0].isupper(), (code, lang, name)
    return rows


def check_expected(countries, languages):
    for table, expect in ((countries, EXPECT_COUNTRIES), (languages, EXPECT_LANGUAGES)):
        for code, want in expect.items():
            got = tuple(table[code][lang] for lang in LANGS)
            assert got == want, f"{code}: {got} != {want}"


def fold_table(countries, languages):
    letters = set()
    for table in (countries, languages):
        for names in table.values():
            for name in names.values():
                letters.update(ch for ch in name if ord(ch) > 127 and ch.isalpha())
    fold = {}
    for ch in letters:
        low = ch.lower()
        if low in FOLD_SPECIAL:
            folded = FOLD_SPECIAL[low]
        else:
            folded = "".join(
                c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c)
            )
        assert folded.isascii() and folded.isalpha(), f"no fold for {ch!r}: add it to FOLD_SPECIAL"
        fold[ch] = folded
    return dict(sorted(fold.items()))


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rust_char(c):
    return "'" + c.replace("\\", "\\\\").replace("'", "\\'") + "'"


def table_lines(rows):
    lines = []
    for code in sorted(rows):
        items = [rust_str(code)] + [rust_str(rows[code][lang]) for lang in LANGS]
        one = "    (" + ", ".join(items) + "),"
        if len(one) <= 100:
            lines.append(one)
        else:
            lines.append("    (")
            lines.extend(f"        {item}," for item in items)
            lines.append("    ),")
    return "\n".join(lines)


def render(countries, languages, fold):
    version = importlib.metadata.version("pycountry")
    fold_lines = "\n".join(f"    ({rust_char(k)}, {rust_str(v)})," for k, v in fold.items())
    return (
        HEADER.format(version=version)
        + "/// (ISO 3166-1 alpha-2 code, Dutch, French, English name), sorted by code: every current\n"
        + "/// ISO 3166-1 country, and Kosovo as `XK`.\n"
        + "pub(crate) static COUNTRIES: &[(&str, &str, &str, &str)] = &[\n"
        + table_lines(countries)
        + "\n];\n\n"
        + "/// (ISO 639-1 code, Dutch, French, English name), sorted by code: every language with a\n"
        + "/// two-letter code. Dutch and English capitalise language names, French does not.\n"
        + "pub(crate) static LANGUAGES: &[(&str, &str, &str, &str)] = &[\n"
        + table_lines(languages)
        + "\n];\n\n"
        + "/// The letters with diacritics occurring in the names, sorted, and what they sort as.\n"
        + "static FOLD: &[(char, &str)] = &[\n"
        + fold_lines
        + "\n];\n"
        + CODE
    )


HEADER = """\
//! Names of countries (ISO 3166-1 alpha-2, and Kosovo as `XK`) and of languages (ISO 639-1) in
//! Dutch, French and English, so that pages show "Kosovo" or "Albanees" rather than a code.
//!
//! GENERATED by `scripts/gen-names.py` from pycountry's iso-codes data (pycountry {version})
//! and the corrections listed in that script. Do not edit this file by hand: change the script
//! and run it again.

use crate::Lang;

"""

CODE = """
type Entry = (&'static str, &'static str, &'static str, &'static str);

/// The name of the country with this ISO 3166-1 alpha-2 code (any case; `XK` is Kosovo).
pub fn country_name(code: &str, lang: Lang) -> Option<&'static str> {
    lookup(COUNTRIES, code).map(|e| pick(e, lang))
}

/// The name of the language with this ISO 639-1 code (any case).
pub fn language_name(code: &str, lang: Lang) -> Option<&'static str> {
    lookup(LANGUAGES, code).map(|e| pick(e, lang))
}

/// Every country as (code, name), in the alphabetical order of the names in `lang`.
pub fn countries(lang: Lang) -> Vec<(&'static str, &'static str)> {
    sorted_by_name(COUNTRIES, lang)
}

/// Every language as (code, name), in the alphabetical order of the names in `lang`.
pub fn languages(lang: Lang) -> Vec<(&'static str, &'static str)> {
    sorted_by_name(LANGUAGES, lang)
}

fn pick(e: &Entry, lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => e.1,
        Lang::Fr => e.2,
        Lang::En => e.3,
    }
}

/// The entry for `code`, compared without regard to ASCII case (the tables' codes are letters).
fn lookup(table: &'static [Entry], code: &str) -> Option<&'static Entry> {
    let folded = |s: &'static str| s.bytes().map(|b| b.to_ascii_lowercase());
    let wanted = code.bytes().map(|b| b.to_ascii_lowercase());
    table
        .binary_search_by(|e| folded(e.0).cmp(wanted.clone()))
        .ok()
        .map(|i| &table[i])
}

/// `name` in lower case without diacritics, to sort by: "Égypte" sorts as "egypte".
fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.chars() {
        match FOLD.binary_search_by(|&(letter, _)| letter.cmp(&c)) {
            Ok(i) => key.push_str(FOLD[i].1),
            Err(_) => key.extend(c.to_lowercase()),
        }
    }
    key
}

fn sorted_by_name(table: &'static [Entry], lang: Lang) -> Vec<(&'static str, &'static str)> {
    let mut list: Vec<(&'static str, &'static str)> =
        table.iter().map(|e| (e.0, pick(e, lang))).collect();
    list.sort_by_cached_key(|&(code, name)| (sort_key(name), code));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spot_checks() {
        assert_eq!(country_name("XK", Lang::Nl), Some("Kosovo"));
        assert_eq!(country_name("xk", Lang::En), Some("Kosovo"));
        assert_eq!(country_name("gn", Lang::Fr), Some("Guinée"));
        assert_eq!(country_name("BE", Lang::Nl), Some("België"));
        assert_eq!(country_name("BE", Lang::Fr), Some("Belgique"));
        assert_eq!(country_name("mK", Lang::Nl), Some("Noord-Macedonië"));
        assert_eq!(country_name("CI", Lang::Fr), Some("Côte d’Ivoire"));
        assert_eq!(language_name("sq", Lang::Nl), Some("Albanees"));
        assert_eq!(language_name("sq", Lang::Fr), Some("albanais"));
        assert_eq!(language_name("sq", Lang::En), Some("Albanian"));
        assert_eq!(language_name("SQ", Lang::Fr), Some("albanais"));
    }

    #[test]
    fn unknown_codes_have_no_name() {
        for code in ["", "X", "ZZ", "XKX", "É"] {
            assert_eq!(country_name(code, Lang::En), None, "{code}");
        }
        for code in ["", "q", "qq", "sqi", "alb"] {
            assert_eq!(language_name(code, Lang::En), None, "{code}");
        }
    }

    #[test]
    fn every_entry_has_three_names_and_codes_are_unique_and_sorted() {
        for (table, upper) in [(COUNTRIES, true), (LANGUAGES, false)] {
            assert!(table.len() > 100);
            for e in table {
                let (code, nl, fr, en) = *e;
                assert!(code.len() == 2, "{code}");
                assert!(code.bytes().all(|b| b.is_ascii_alphabetic()), "{code}");
                let expected_case = if upper {
                    code.to_ascii_uppercase()
                } else {
                    code.to_ascii_lowercase()
                };
                assert_eq!(code, expected_case);
                for name in [nl, fr, en] {
                    assert!(!name.trim().is_empty(), "{code}");
                }
            }
            for pair in table.windows(2) {
                assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
            }
        }
    }

    #[test]
    fn language_names_are_cased_as_each_language_writes_them() {
        for &(code, nl, fr, en) in LANGUAGES {
            assert!(nl.starts_with(char::is_uppercase), "{code} {nl}");
            assert!(fr.starts_with(char::is_lowercase), "{code} {fr}");
            assert!(en.starts_with(char::is_uppercase), "{code} {en}");
        }
    }

    #[test]
    fn french_uses_the_typographic_apostrophe() {
        for &(code, _, fr, _) in COUNTRIES.iter().chain(LANGUAGES) {
            assert!(!fr.contains('\\''), "{code} {fr}");
        }
    }

    #[test]
    fn lists_are_sorted_by_folded_name() {
        for lang in Lang::ALL {
            for (list, table) in [(countries(lang), COUNTRIES), (languages(lang), LANGUAGES)] {
                assert_eq!(list.len(), table.len());
                for pair in list.windows(2) {
                    assert!(sort_key(pair[0].1) <= sort_key(pair[1].1), "{pair:?}");
                }
            }
        }
        let fr = countries(Lang::Fr);
        assert_eq!(fr[0], ("AF", "Afghanistan"));
        let at = |code: &str| fr.iter().position(|&(c, _)| c == code).unwrap();
        // Égypte among the E's, not after Zimbabwe as a byte-wise sort would put it.
        assert_eq!(fr[at("EG")].1, "Égypte");
        assert!(at("DM") < at("EG") && at("EG") < at("ES") && at("ES") < at("FI"));
        assert!(at("EG") < at("EC"), "Égypte before Équateur");
        let nl = languages(Lang::Nl);
        assert_eq!(nl[0].1, "Abchazisch");
        assert_eq!(sort_key("Îles Åland"), "iles aland");
    }
}
"""


def rustfmt(text):
    exe = shutil.which("rustfmt")
    if exe is None:
        print("gen-names: rustfmt not found; output not formatted", file=sys.stderr)
        return text
    done = subprocess.run(
        [exe, "--edition", "2021", "--emit", "stdout"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def review(countries, languages):
    """Names equal to the English one: maybe untranslated (many are simply the same word)."""
    for title, table in (("countries", countries), ("languages", languages)):
        for code in sorted(table):
            n = table[code]
            same = [lang for lang in ("nl", "fr") if n[lang].lower() == n["en"].lower()]
            if same:
                print(f"{title} {code}: {n['nl']} | {n['fr']} | {n['en']}  (same in {','.join(same)})")


def main(argv):
    countries = country_rows()
    languages = language_rows()
    check_expected(countries, languages)
    if "--review" in argv:
        review(countries, languages)
        return 0
    text = rustfmt(render(countries, languages, fold_table(countries, languages)))
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"gen-names: {OUT.relative_to(ROOT)} is not up to date", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(
        f"gen-names: wrote {OUT.relative_to(ROOT)}: "
        f"{len(countries)} countries, {len(languages)} languages",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
