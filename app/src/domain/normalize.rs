//! Normalisers for what members type: Japanese IMEs often produce full-width
//! digits (１２３) and full-width spaces, which we accept.

/// Removes ASCII and full-width (U+3000) spaces around the text.
pub fn trim_spaces(input: &str) -> &str {
    input.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}

/// What a phone's Japanese keyboard types for an ASCII login ID or address: full-width letters,
/// digits and symbols (ＴＡＲＯ＠ｅｘａｍｐｌｅ．ｊｐ, U+FF01–U+FF5E) become their ASCII forms, the
/// full-width space a space, and the surrounding spaces go. Case is left to the caller.
pub fn fold_width(input: &str) -> String {
    trim_spaces(input)
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// The form a login ID (a member's, or a staff member's address) is looked up and counted by,
/// however it was typed: width folded, trimmed, lower case.
pub fn login_key(typed: &str) -> String {
    fold_width(typed).to_lowercase()
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
    fn a_phone_keyboard_types_the_same_login_id() {
        assert_eq!(login_key("　ＴａｒｏＹａｍａｄａ＿０１ "), "taroyamada_01");
        assert_eq!(login_key("Ｔａｒｏ＠Ｅｘａｍｐｌｅ．ｃｏ．ｊｐ"), "taro@example.co.jp");
        assert_eq!(fold_width("ａ＃＋，／＝？！＊％＆＾｀－．"), "a#+,/=?!*%&^`-.");
        // Only the full-width ASCII block: kana and kanji stay what they are.
        assert_eq!(fold_width("山田ﾀﾛｳ"), "山田ﾀﾛｳ");
    }

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
        fn every_width_of_an_ascii_id_has_one_key(s in "[!-~]{1,39}") {
            let wide: String = s.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
            prop_assert_eq!(login_key(&wide), login_key(&s));
            prop_assert_eq!(login_key(&s.to_uppercase()), login_key(&s));
        }

        #[test]
        fn normalising_is_idempotent(s in "\\PC{0,20}") {
            let once = normalize_digits(&s);
            prop_assert_eq!(normalize_digits(&once), once.clone());
        }
    }
}
