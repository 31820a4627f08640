//! Names across spellings and scripts. A name is stored and shown as typed; for finding it,
//! every word of it is folded to lower-case ASCII and given *keys*: the folded word itself, a
//! consonant skeleton and a Double Metaphone code. Two spellings of one name (Miftari / Miftary,
//! Шевченко / Shevchenko, محمد / Mohammed) share at least one key, so an index on keys finds
//! candidates, which [`matching::score`] then ranks.

pub mod matching;
mod script;

use std::collections::BTreeSet;

use rphonetic::{DoubleMetaphone, Encoder};

pub use script::to_latin;

/// Lower-case ASCII in Latin letters, diacritics removed, apostrophes dropped (N'Diaye → ndiaye)
/// and every other run of non-letters collapsed to one space.
pub fn fold(name: &str) -> String {
    let latin = to_latin(name).to_ascii_lowercase();
    let mut out = String::with_capacity(latin.len());
    let mut pending_space = false;
    for ch in latin.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(ch);
        } else {
            pending_space = true;
        }
    }
    out
}

/// Particles that are part of a name but do not identify it on their own (al-Hassan, da Silva).
const PARTICLES: &[&str] = &[
    "al", "el", "ul", "ad", "ed", "as", "ash", "ben", "bin", "ibn", "bint", "abu", "da", "de",
    "do", "dos", "das", "di", "del", "della", "van", "von", "der", "den", "la", "le", "y", "e",
];

fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

/// The folded words of a name that identify it: particles and single letters left out.
pub fn words(name: &str) -> Vec<String> {
    fold(name)
        .split(' ')
        .filter(|w| w.len() >= 2 && !is_particle(w))
        .map(str::to_string)
        .collect()
}

/// A coarse sound key: the first letter (any vowel as `a`), then the consonants with
/// look-alikes and digraphs merged and repeats collapsed. Miftari, Mifteri → `mftr`;
/// Mohammed, Muhammad, محمد → `mmd`… Arabic and Cyrillic transliterations differ mostly in
/// vowels and in `kh`/`h`, `ch`/`c`, so the key leaves vowels out and merges those.
pub fn sound_key(word: &str) -> String {
    skeleton(&fold(word), &PRIMARY)
}

/// The sound keys of a word: [`sound_key`], then a second one where a digraph is read the
/// other way names are written: French `ch` as in Chergui (شرقي), `th` and `dh` as the `s`
/// and `z` of Turkish and Persian spellings (Osman / عثمان, Rezaei / رضایی), and `zh` as
/// `z` then `h` (Zahra / زهرا). Only given when it differs.
pub fn sound_keys(word: &str) -> Vec<String> {
    let folded = fold(word);
    let primary = skeleton(&folded, &PRIMARY);
    let second = skeleton(&folded, &SECOND);
    if second == primary {
        vec![primary]
    } else {
        vec![primary, second]
    }
}

/// Digraphs and what they are read as, longest first.
type Readings = [(&'static str, &'static str); 15];

const PRIMARY: Readings = [
    ("shch", "s"),
    ("sch", "s"),
    ("sh", "s"),
    ("tch", "c"),
    ("tsh", "c"),
    ("ch", "c"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("x", "ks"),
];

const SECOND: Readings = [
    ("shch", "s"),
    ("sch", "s"),
    ("sh", "s"),
    ("tch", "c"),
    ("tsh", "c"),
    ("ch", "s"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "z"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "s"),
    ("dh", "z"),
    ("x", "ks"),
];

fn skeleton(folded: &str, readings: &Readings) -> String {
    let mut merged: String = folded.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    for (digraph, read) in readings {
        merged = merged.replace(digraph, read);
    }
    let mut out = String::new();
    let mut last: Option<char> = None;
    for (i, ch) in merged.chars().enumerate() {
        let vowel = matches!(ch, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if i == 0 {
            let first = if vowel { 'a' } else { merge(ch) };
            out.push(first);
            last = Some(first);
            continue;
        }
        // A medial `w` is mostly a vowel written by Arabic transliteration (محمود → mhmwd).
        if vowel || ch == 'h' || ch == 'w' {
            continue;
        }
        let mapped = merge(ch);
        if last != Some(mapped) {
            out.push(mapped);
        }
        last = Some(mapped);
    }
    out
}

fn merge(ch: char) -> char {
    match ch {
        'c' | 'k' | 'q' | 'g' => 'k',
        'z' | 's' => 's',
        'w' | 'v' | 'f' | 'p' | 'b' => 'v',
        'd' | 't' => 't',
        other => other,
    }
}

/// The primary Double Metaphone code of a folded word (at most 6 letters).
pub fn metaphone(word: &str) -> String {
    DoubleMetaphone::new(Some(6)).encode(&fold(word))
}

/// The index keys of one folded word: `w:` the word (also found by its start), `s:` its sound
/// keys. The metaphone ranks candidates (see [`WordForm::similarity`]) but is not indexed: on
/// the labelled set it found no person the sound key missed, and a third key per word made the
/// index half as large again.
pub fn word_keys(word: &str) -> Vec<String> {
    let mut keys = vec![format!("w:{word}")];
    keys.extend(sound_index_keys(word));
    keys
}

/// The `s:` index keys of one word: its [`sound_keys`].
pub fn sound_index_keys(word: &str) -> BTreeSet<String> {
    sound_keys(word)
        .into_iter()
        .map(|s| format!("s:{s}"))
        .collect()
}

/// Every index key of a person's names: the keys of each word, of each two adjacent words
/// written as one (Ben Ali / Benali, El Amrani / Elamrani), and of a word without a leading
/// article written onto it (Alhassan / Hassan).
pub fn name_keys<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for name in names {
        let all: Vec<String> = fold(name).split(' ').map(str::to_string).collect();
        for w in all.iter().filter(|w| w.len() >= 2 && !is_particle(w)) {
            keys.extend(word_keys(w));
            if let Some(rest) = without_article(w) {
                keys.extend(word_keys(rest));
            }
        }
        for pair in all.windows(2) {
            if pair[0].is_empty() || pair[1].is_empty() {
                continue;
            }
            keys.extend(word_keys(&format!("{}{}", pair[0], pair[1])));
        }
    }
    keys
}

/// Most distinct sound keys of one person that pair keys are made of (66 pairs at most): a
/// family name and two given names, each with a second sound key and written together, are 10.
const MAX_PAIRED: usize = 12;

/// Pair keys (`p:AKRN+MFTR`): one for every two distinct sound keys among `keys` (as given by
/// [`name_keys`]), in either order. Blocking on a pair of names is what keeps matching a common
/// family name fast: the persons called Hoxha *and* Agron, not every Hoxha checked for Agron.
pub fn pair_keys<'a>(keys: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let sounds: Vec<&str> = keys
        .into_iter()
        .filter_map(|k| k.strip_prefix("s:"))
        .filter(|s| !s.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .take(MAX_PAIRED)
        .collect();
    let mut out = Vec::new();
    for (i, a) in sounds.iter().enumerate() {
        for b in &sounds[i + 1..] {
            out.push(format!("p:{a}+{b}"));
        }
    }
    out
}

/// The pair keys joining one of `a`'s sound keys with one of `b`'s (see [`pair_keys`]).
pub fn pair_keys_between(a: &BTreeSet<String>, b: &BTreeSet<String>) -> BTreeSet<String> {
    let sounds = |keys: &BTreeSet<String>| -> Vec<String> {
        keys.iter()
            .filter_map(|k| k.strip_prefix("s:"))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut out = BTreeSet::new();
    for x in sounds(a) {
        for y in sounds(b) {
            if x != y {
                let (lo, hi) = if x < y { (&x, &y) } else { (&y, &x) };
                out.insert(format!("p:{lo}+{hi}"));
            }
        }
    }
    out
}

/// The pair keys joining the sounds of two different words among `words` (both names typed in
/// one field: Singh Gurpreet), every one of them stored for a person bearing both words.
pub fn pair_keys_across(words: &[String]) -> BTreeSet<String> {
    let per_word: Vec<BTreeSet<String>> = words.iter().map(|w| sound_index_keys(w)).collect();
    let mut pairs = BTreeSet::new();
    for (i, a) in per_word.iter().enumerate() {
        for b in &per_word[i + 1..] {
            pairs.extend(pair_keys_between(a, b));
        }
    }
    pairs
}

/// Every stored key of a person's names: [`name_keys`] and their [`pair_keys`].
pub fn person_keys<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut keys = name_keys(names);
    let pairs = pair_keys(&keys);
    keys.extend(pairs);
    keys
}

/// `alhassan` → `hassan`: an Arabic article written onto the name, before a consonant.
fn without_article(word: &str) -> Option<&str> {
    let rest = word
        .strip_prefix("al")
        .or_else(|| word.strip_prefix("el"))?;
    let first = rest.chars().next()?;
    (rest.len() >= 4 && !"aeiouy".contains(first)).then_some(rest)
}

/// A folded word with its sound key and metaphone, computed once for many comparisons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordForm {
    pub folded: String,
    sounds: Vec<String>,
    metaphone: String,
}

impl WordForm {
    /// `word` must be folded (one of [`words`]).
    pub fn new(word: &str) -> WordForm {
        WordForm {
            folded: word.to_string(),
            sounds: sound_keys(word),
            metaphone: metaphone(word),
        }
    }

    /// How alike two words are, 0.0–1.0: Jaro–Winkler, raised when they sound alike (a shared
    /// sound key and the same metaphone: 0.9; one of the two: 0.8).
    pub fn similarity(&self, other: &WordForm) -> f64 {
        if self.folded == other.folded {
            return 1.0;
        }
        let jw = strsim::jaro_winkler(&self.folded, &other.folded);
        let same_sound = self.sounds.iter().any(|s| other.sounds.contains(s));
        let phonetic = match (same_sound, self.metaphone == other.metaphone) {
            (true, true) => 0.9,
            (true, false) | (false, true) => 0.8,
            _ => 0.0,
        };
        jw.max(phonetic)
    }
}

/// How alike two names are as one word each, particles left out, 0.0–1.0 (see
/// [`WordForm::similarity`]).
pub fn word_similarity(a: &str, b: &str) -> f64 {
    let word = |n: &str| WordForm::new(&words(n).join(" "));
    word(a).similarity(&word(b))
}

#[cfg(test)]
mod tests;
