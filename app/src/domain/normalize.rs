//! Normalisers for what members type: Japanese IMEs often produce full-width
//! digits (１２３) and full-width spaces, which we accept.

/// Removes ASCII and full-width (U+3000) spaces around the text.
pub fn trim_spaces(input: &str) -> &str {
    input.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}

/// Trims surrounding spaces and turns full-width digits into ASCII digits.
/// Everything else is kept as typed, so the parser can reject it.
pub fn normalize_digits(input: &str) -> String {
    trim_spaces(input)
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_digits_and_spaces_are_normalised() {
        assert_eq!(normalize_digits("　１２３ "), "123");
        assert_eq!(normalize_digits("０９"), "09");
        assert_eq!(normalize_digits("1a２"), "1a2");
    }

    proptest! {
        #[test]
        fn ascii_digits_are_kept(s in "[0-9]{0,12}") {
            prop_assert_eq!(normalize_digits(&s), s);
        }

        #[test]
        fn full_width_equals_ascii(s in "[0-9]{1,12}") {
            let wide: String = s.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()).collect();
            prop_assert_eq!(normalize_digits(&format!("　{wide} ")), s);
        }

        #[test]
        fn normalising_is_idempotent(s in "\\PC{0,20}") {
            let once = normalize_digits(&s);
            prop_assert_eq!(normalize_digits(&once), once.clone());
        }
    }
}
