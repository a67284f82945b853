//! Counters for operators, read from `/metrics` on `METRICS_ADDR` (server crate, `metrics.rs`).
//! Without `METRICS_ADDR` no recorder is installed and every call here does nothing.
//!
//! Logins and registration steps are counted where they are audited, so the figures and the
//! audit log cannot disagree.

use crate::domain::audit::Event;
use metrics::counter;

/// Counts an audited event: every event by name, and logins and registration steps also under
/// the names dashboards expect.
pub fn audited(event: Event) {
    counter!("portal_audit_events_total", "event" => event.code()).increment(1);
    if let Some((principal, outcome)) = login_outcome(event) {
        counter!("portal_logins_total", "principal" => principal, "outcome" => outcome).increment(1);
    }
    if let Some(step) = registration_step(event) {
        counter!("portal_registrations_total", "step" => step).increment(1);
    }
}

fn login_outcome(event: Event) -> Option<(&'static str, &'static str)> {
    Some(match event {
        Event::Login => ("member", "ok"),
        Event::LoginFailed => ("member", "failed"),
        Event::LoginLocked => ("member", "locked"),
        Event::StaffLogin => ("staff", "ok"),
        Event::StaffLoginFailed => ("staff", "failed"),
        Event::StaffLoginLocked => ("staff", "locked"),
        _ => return None,
    })
}

/// The wizard's steps as the manual numbers them (step 3 is the mail with the key).
fn registration_step(event: Event) -> Option<&'static str> {
    Some(match event {
        Event::RegistrationStarted => "1_mail_sent",
        Event::RegistrationStartRegistered | Event::RegistrationStartUnknown => "1_refused",
        Event::RegistrationIdentityVerified => "2_identity_verified",
        Event::RegistrationKeyConfirmed => "4_key_confirmed",
        Event::AccountCreated => "5_completed",
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
        assert_eq!(login_outcome(Event::Login), Some(("member", "ok")));
        assert_eq!(login_outcome(Event::StaffLoginLocked), Some(("staff", "locked")));
        assert_eq!(login_outcome(Event::LoginFailed), Some(("member", "failed")));
        assert_eq!(login_outcome(Event::Logout), None);
        assert_eq!(login_outcome(Event::StaffLogout), None);
        assert_eq!(registration_step(Event::AccountCreated), Some("5_completed"));
        assert_eq!(registration_step(Event::RegistrationStartUnknown), Some("1_refused"));
        assert_eq!(registration_step(Event::Login), None);
    }
}
