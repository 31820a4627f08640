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
