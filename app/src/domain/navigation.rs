//! Where a request may go: the page to return to after login, the pages a member must see
//! first, and how a value is written into a link.

/// A value for a URL query: every byte percent-encoded but the unreserved ones (RFC 3986:
/// letters, digits, `-._~`) and `/`, which a query may hold as it is (`next=/home` stays
/// readable). The one encoder of every link and redirect the portal builds.
pub fn query_value(s: &str) -> String {
    const QUERY_VALUE: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');
    percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// What a member must do before anything else, in this order: change a temporary password,
/// agree to 利用規約 and 個人情報の取扱い at their current versions, set up 2段階認証 when the
/// society requires it (`MEMBER_2FA=required`), set the profile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FirstSteps {
    pub change_password: bool,
    pub agree: bool,
    pub enrol: bool,
    pub set_profile: bool,
}

impl FirstSteps {
    /// Where the member must go first, if not where they asked to go.
    pub fn forced_path(&self) -> Option<&'static str> {
        if self.change_password {
            Some("/password")
        } else if self.agree {
            Some("/consent")
        } else if self.enrol {
            Some("/security")
        } else if self.set_profile {
            Some("/profile")
        } else {
            None
        }
    }

    /// Whether `path` may be shown now: the forced page, or anything when nothing is forced.
    /// A member who does not agree to new terms may still leave (退会) instead.
    pub fn may_visit(&self, path: &str) -> bool {
        match self.forced_path() {
            None => true,
            // The backup codes of an enrolment are shown once, whatever comes next.
            Some(forced) => {
                forced == path || (forced == "/consent" && path == "/withdraw") || (forced != "/password" && path == "/security/codes")
            }
        }
    }
}

/// What a member who left (資格喪失, within `DOCUMENTS_AFTER_LEAVING_MONTHS`) may still open: ホーム,
/// the household's documents and the society's notices; everything that changes something is
/// closed to them (they go to ホーム).
pub fn readable_after_leaving(route: &str) -> bool {
    let path = route.split(['?', '#']).next().unwrap_or("");
    const READ: [&str; 5] = ["/medical", "/family", "/qualification", "/benefits", "/notices"];
    path == "/home" || READ.iter().any(|r| path == *r || path.strip_prefix(r).is_some_and(|rest| rest.starts_with('/')))
}

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
    fn a_query_value_keeps_unreserved_bytes_and_slashes_and_encodes_the_rest() {
        assert_eq!(query_value("/staff/members?q=12-345"), "/staff/members%3Fq%3D12-345");
        assert_eq!(query_value("山田 a&b=c~_."), "%E5%B1%B1%E7%94%B0%20a%26b%3Dc~_.");
        assert_eq!(query_value("100%"), "100%25");
    }

    #[test]
    fn first_steps_come_in_order_and_hold_every_other_page() {
        let all = FirstSteps { change_password: true, agree: true, enrol: true, set_profile: true };
        assert_eq!(all.forced_path(), Some("/password"));
        assert!(all.may_visit("/password"));
        for open in [
            "/home",
            "/medical",
            "/medical/pdf?year=2026",
            "/medical/print?year=2026",
            "/qualification/pdf",
            "/benefits/2026-11-10-2",
            "/notices/x",
        ] {
            assert!(readable_after_leaving(open), "{open}");
        }
        for closed in ["/profile", "/password", "/security", "/withdraw", "/medicalx", "/consent", "/inquiry", ""] {
            assert!(!readable_after_leaving(closed), "{closed}");
        }
        assert!(!all.may_visit("/home"));
        assert!(!all.may_visit("/security/codes"), "no backup codes before the temporary password is changed");
        let agree = FirstSteps { change_password: false, ..all };
        assert_eq!(agree.forced_path(), Some("/consent"));
        assert!(agree.may_visit("/withdraw"), "who does not agree may leave instead");
        assert!(agree.may_visit("/security/codes"), "codes of an enrolment are shown once");
        assert!(!agree.may_visit("/profile"));
        let enrol = FirstSteps { agree: false, ..agree };
        assert_eq!(enrol.forced_path(), Some("/security"));
        assert!(!enrol.may_visit("/withdraw"));
        let profile = FirstSteps { enrol: false, ..enrol };
        assert_eq!(profile.forced_path(), Some("/profile"));
        assert!(profile.may_visit("/profile") && !profile.may_visit("/home"));
        assert_eq!(FirstSteps::default().forced_path(), None);
        assert!(FirstSteps::default().may_visit("/anything"));
    }

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
