//! Free text as people type it: trimmed, bounded, and free of control characters (a NUL, an
//! escape sequence or a right-to-left override in a name would corrupt exports, logs and the
//! way the name is displayed). One check for every text field.

use crate::error::{Invalid, ValidationError, ValidationErrors};

/// What a text field may contain besides printable characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One line: a name, a place, a provider.
    Line,
    /// Several lines and tabs: a note, a summary, a reason.
    Paragraph,
}

/// Characters that change how text is read or shown without being visible: control characters,
/// line and paragraph separators, and the bidirectional overrides and isolates.
fn invisible(c: char, shape: Shape) -> bool {
    if shape == Shape::Paragraph && matches!(c, '\n' | '\r' | '\t') {
        return false;
    }
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// The text trimmed, or why it is refused: a control character, or more than `max` characters.
/// Empty text is returned as empty; whether it is required is the caller's rule.
pub fn check(value: &str, shape: Shape, max: usize) -> Result<String, ValidationError> {
    let v = value.trim();
    if let Some(pos) = v.chars().position(|c| invisible(c, shape)) {
        return Err(ValidationError::new(Invalid::Other {
            code: "control-character",
            value: (pos + 1).to_string(),
        }));
    }
    if v.chars().count() > max {
        return Err(ValidationError::new(Invalid::TooLong { max }));
    }
    Ok(v.to_string())
}

/// [`check`] for one field of a form, collecting the problem (and `required`) into `errors`.
pub fn field(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    required: bool,
    max: usize,
    shape: Shape,
) -> String {
    match check(value, shape, max) {
        Ok(v) if required && v.is_empty() => {
            errors.push(ValidationError::new(Invalid::Required).at(field));
            v
        }
        Ok(v) => v,
        Err(e) => {
            errors.push(e.at(field));
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn control_characters_are_refused_where_they_would_do_harm() {
        assert_eq!(check("  Miftari ", Shape::Line, 200).unwrap(), "Miftari");
        assert_eq!(check("Ахмедов", Shape::Line, 200).unwrap(), "Ахмедов");
        assert_eq!(check("الحسن", Shape::Line, 200).unwrap(), "الحسن");
        for bad in [
            "Mif\0tari",
            "Mif\ttari",
            "a\u{1b}[31mb",
            "abc\u{202E}fed",
            "a\nb",
        ] {
            assert_eq!(
                check(bad, Shape::Line, 200).unwrap_err().code(),
                "control-character",
                "{bad:?}"
            );
        }
        assert_eq!(
            check("first line\nsecond\tline", Shape::Paragraph, 200).unwrap(),
            "first line\nsecond\tline"
        );
        assert!(check("a\0b", Shape::Paragraph, 200).is_err());
        assert_eq!(
            check("abcd", Shape::Line, 3).unwrap_err().invalid,
            Invalid::TooLong { max: 3 }
        );
        let mut errors = ValidationErrors::default();
        assert_eq!(field(&mut errors, "name", " ", true, 10, Shape::Line), "");
        assert_eq!(errors.codes(), vec!["required"]);
    }

    proptest! {
        #[test]
        fn accepted_text_has_no_control_character(s in "\\PC*[\\x00-\\x1f]?\\PC*") {
            if let Ok(v) = check(&s, Shape::Line, 10_000) {
                prop_assert!(!v.chars().any(char::is_control));
                prop_assert_eq!(v.as_str(), s.trim());
            }
        }
    }
}
