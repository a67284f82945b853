//! Where a request may go: the page to return to after login.

/// A path of this site to go to after login, checked as a browser will read the `Location`:
/// browsers drop tabs and newlines and read `\\` as `/`, so `/\t/evil.example` would be
/// `//evil.example`, another host. Only printable ASCII without `\\`, one leading `/`.
/// Anything else (which also could not be a header value) goes to ホーム.
pub fn safe_next(next: &str) -> &str {
    let printable = next.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b'\\');
    if printable && next.starts_with('/') && !next.starts_with("//") {
        next
    } else {
        "/home"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/home"), "/home");
        assert_eq!(safe_next("/profile?saved=1"), "/profile?saved=1");
        assert_eq!(safe_next("/%09/evil.example"), "/%09/evil.example", "still encoded: a path of this site");
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil",
            "/\\/evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            " //evil.example",
            "/ /evil.example",
            "\t//evil.example",
            "/\u{0}",
            "/\u{7f}",
            "/ホーム",
            "home",
            "",
            "javascript:alert(1)",
            "https:evil.example",
        ] {
            assert_eq!(safe_next(bad), "/home", "{bad}");
        }
    }
}
