//! Name folding for search: transliterations differ (Miftari / Mifteri, Çelik / Celik),
//! so names are compared in a folded ASCII form.

use deunicode::deunicode;

/// Lower-case ASCII with diacritics removed and every run of non-letters collapsed to one space.
pub fn fold(name: &str) -> String {
    let ascii = deunicode(name).to_ascii_lowercase();
    let mut out = String::with_capacity(ascii.len());
    let mut pending_space = false;
    for ch in ascii.chars() {
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

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folding_removes_diacritics_case_and_punctuation() {
        assert_eq!(fold("Çelik"), "celik");
        assert_eq!(fold("  BAH, Mamadou-Aliou "), "bah mamadou aliou");
        assert_eq!(fold("Мифтари"), "miftari");
        assert_eq!(fold("Ndèye"), "ndeye");
        assert_eq!(fold(""), "");
    }
}

/// A coarse sound key for finding other spellings of a name: the first letter, then the
/// consonants with look-alikes merged and repeats collapsed (Miftari, Mifteri → `mftr`;
/// Mohammed, Muhammad → `md`). Candidates found by key are ranked by [`similarity`].
pub fn sound_key(name: &str) -> String {
    let folded: String = fold(name)
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    let mut out = String::new();
    let mut last: Option<char> = None;
    for (i, ch) in folded.chars().enumerate() {
        let mapped = match ch {
            'c' | 'k' | 'q' => 'k',
            'z' | 's' => 's',
            'w' | 'v' => 'v',
            'j' => 'j',
            other => other,
        };
        let skip = i > 0 && matches!(mapped, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h');
        if i == 0 {
            out.push(mapped);
            last = Some(mapped);
            continue;
        }
        if skip {
            continue;
        }
        if last != Some(mapped) {
            out.push(mapped);
        }
        last = Some(mapped);
    }
    out
}

/// How alike two names are, 0.0–1.0 (Jaro-Winkler on the folded forms). Used for ranking only.
pub fn similarity(a: &str, b: &str) -> f64 {
    jaro_winkler(&fold(a), &fold(b))
}

fn jaro_winkler(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() || b.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_match = vec![false; a.len()];
    let mut b_match = vec![false; b.len()];
    let mut matches = 0usize;
    for i in 0..a.len() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_match[j] && a[i] == b[j] {
                a_match[i] = true;
                b_match[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let (mut k, mut transpositions) = (0usize, 0usize);
    for i in 0..a.len() {
        if a_match[i] {
            while !b_match[k] {
                k += 1;
            }
            if a[i] != b[k] {
                transpositions += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    let jaro =
        (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64 / 2.0) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

#[cfg(test)]
mod sound_tests {
    use super::*;

    #[test]
    fn transliterations_share_a_sound_key() {
        for (a, b) in [
            ("Miftari", "Mifteri"),
            ("Mohammed", "Muhammad"),
            ("Hussein", "Husain"),
            ("Bah", "Ba"),
            ("Çelik", "Celik"),
            ("Kelmendi", "Qelmendi"),
        ] {
            assert_eq!(sound_key(a), sound_key(b), "{a} / {b}");
        }
        assert_ne!(sound_key("Miftari"), sound_key("Krasniqi"));
        assert_eq!(sound_key("Miftari"), "mftr");
        assert_eq!(sound_key("Mohammed"), "md");
    }

    #[test]
    fn similarity_ranks_closer_spellings_higher() {
        assert!((similarity("Miftari", "MIFTARI") - 1.0).abs() < 1e-9);
        assert!(similarity("Miftari", "Mifteri") > similarity("Miftari", "Mitrović"));
        assert!(
            (similarity("martha", "marhta") - 0.9611).abs() < 1e-3,
            "textbook Jaro-Winkler value"
        );
        assert_eq!(similarity("", "abc"), 0.0);
    }
}
