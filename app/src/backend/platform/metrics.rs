//! Counters for operators, read from `/metrics` on `METRICS_ADDR` (server crate, `metrics.rs`).
//! Without `METRICS_ADDR` no recorder is installed and every call here does nothing.
//!
//! Logins and registration steps are counted where they are audited, so the figures and the
//! audit log cannot disagree.

use metrics::counter;

/// Counts an audited event: every event by name, and logins and registration steps also under
/// the names dashboards expect.
pub fn audited(event: &str) {
    counter!("portal_audit_events_total", "event" => event.to_string()).increment(1);
    if let Some((principal, outcome)) = login_outcome(event) {
        counter!("portal_logins_total", "principal" => principal, "outcome" => outcome).increment(1);
    }
    if let Some(step) = registration_step(event) {
        counter!("portal_registrations_total", "step" => step).increment(1);
    }
}

fn login_outcome(event: &str) -> Option<(&'static str, &'static str)> {
    let (principal, rest) = match event.strip_prefix("staff_") {
        Some(rest) => ("staff", rest),
        None => ("member", event),
    };
    let outcome = match rest {
        "login" => "ok",
        "login_failed" => "failed",
        "login_locked" => "locked",
        _ => return None,
    };
    Some((principal, outcome))
}

/// The wizard's steps as the manual numbers them (step 3 is the mail with the key).
fn registration_step(event: &str) -> Option<&'static str> {
    Some(match event {
        "registration_started" => "1_mail_sent",
        "registration_start_registered" | "registration_start_unknown" => "1_refused",
        "registration_identity_verified" => "2_identity_verified",
        "registration_key_confirmed" => "4_key_confirmed",
        "account_created" => "5_completed",
        _ => return None,
    })
}

/// What happened to a mail of the outbox: `queued`, `sent`, `retry` (an attempt failed, another
/// follows) or `failed` (given up).
pub fn mail(outcome: &'static str) {
    counter!("portal_mails_total", "outcome" => outcome).increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_and_registration_steps_are_named_from_audit_events() {
        assert_eq!(login_outcome("login"), Some(("member", "ok")));
        assert_eq!(login_outcome("staff_login_locked"), Some(("staff", "locked")));
        assert_eq!(login_outcome("login_failed"), Some(("member", "failed")));
        assert_eq!(login_outcome("logout"), None);
        assert_eq!(login_outcome("staff_logout"), None);
        assert_eq!(registration_step("account_created"), Some("5_completed"));
        assert_eq!(registration_step("registration_start_unknown"), Some("1_refused"));
        assert_eq!(registration_step("login"), None);
    }
}
