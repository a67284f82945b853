//! Password strength: the meter shown while typing and the server's refusal of
//! passwords built on common words. Small enough for the wasm bundle.

/// Words that make a password guessable however it is decorated with digits and symbols.
const COMMON_WORDS: &[&str] = &[
    "password", "passw0rd", "pass", "qwerty", "asdf", "zxcv", "letmein", "welcome", "admin", "login", "iloveyou", "monkey", "dragon",
    "sunshine", "princess", "football", "baseball", "soccer", "master", "shadow", "superman", "batman", "trustno", "hello", "freedom",
    "whatever", "starwars", "pokemon", "doraemon", "sakura", "tokyo", "japan", "nihon", "kenpo", "kenko", "portal", "secret", "changeme",
    "abc", "abcd", "test", "guest", "user", "summer", "winter", "spring", "autumn", "love", "flower",
];

/// What the letters of a password say once digits and symbols are removed and leetspeak undone.
fn core_letters(password: &str) -> String {
    password
        .to_ascii_lowercase()
        .chars()
        .filter_map(|c| match c {
            '0' => Some('o'),
            '1' | '!' => Some('i'),
            '3' => Some('e'),
            '4' | '@' => Some('a'),
            '5' | '$' => Some('s'),
            '7' => Some('t'),
            c if c.is_ascii_lowercase() => Some(c),
            _ => None,
        })
        .collect()
}

/// Whether the password is only a common word dressed up (refused by the server).
pub fn is_common(password: &str) -> bool {
    let letters: String = password.to_ascii_lowercase().chars().filter(|c| c.is_ascii_lowercase()).collect();
    let leet = core_letters(password);
    let dressed_up = |core: &str| COMMON_WORDS.iter().any(|w| core.len() <= w.len() + 2 && core.starts_with(w));
    letters.len() < 3 || dressed_up(&letters) || dressed_up(&leet)
}

fn has_run(s: &[u8], len: usize) -> bool {
    s.windows(len).any(|w| {
        let up = w.windows(2).all(|p| p[1] == p[0].wrapping_add(1));
        let down = w.windows(2).all(|p| p[1] == p[0].wrapping_sub(1));
        let same = w.windows(2).all(|p| p[1] == p[0]);
        up || down || same
    })
}

/// 0 (very weak) to 4 (strong).
pub fn score(password: &str) -> u8 {
    if password.is_empty() {
        return 0;
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count() as i32;
    let len = password.chars().count() as i32;
    let mut points = (len - 6).max(0) + classes * 2;
    let lower = password.to_ascii_lowercase();
    if has_run(lower.as_bytes(), 4) {
        points -= 4;
    }
    if ["qwer", "asdf", "zxcv", "1qaz", "2wsx"].iter().any(|k| lower.contains(k)) {
        points -= 3;
    }
    if is_common(password) {
        points -= 8;
    }
    match points {
        i32::MIN..=5 => 0,
        6..=8 => 1,
        9..=11 => 2,
        12..=15 => 3,
        _ => 4,
    }
}

/// The label shown under the password field.
pub fn label(score: u8) -> &'static str {
    match score {
        0 => "とても弱い",
        1 => "弱い",
        2 => "普通",
        3 => "強い",
        _ => "とても強い",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decorated_common_words_are_common() {
        for p in ["Password#123", "P@ssw0rd!2026", "Qwerty#12345", "Kenpo#2026", "Sakura!1985x"] {
            assert!(is_common(p), "{p}");
            assert!(score(p) <= 1, "{p}: {}", score(p));
        }
        assert!(!is_common("Blue7#Harbor-Quilt"));
    }

    #[test]
    fn the_meter_orders_passwords_sensibly() {
        assert_eq!(score(""), 0);
        assert!(score("Abcd#12345") <= 1, "a run of letters and digits");
        assert!(score("Blue7#Harbor-Quilt") >= 3);
        assert!(score("Blue7#Harbor-Quilt-Moon-42") == 4);
        assert_eq!(label(0), "とても弱い");
    }
}
