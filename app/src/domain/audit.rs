//! The audit log's events: one list, with the code each is stored under (never changed: rows
//! written years ago keep their meaning) and its words in `text::audit`. A new event cannot be
//! written without its words: the list takes all three together.

use crate::text::audit as text;

macro_rules! events {
    ($($variant:ident = $code:literal: $label:ident,)*) => {
        /// Every event the audit log records.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Event {
            $($variant,)*
        }

        impl Event {
            pub const ALL: &'static [Event] = &[$(Event::$variant,)*];

            /// The code stored in `audit_log.event` (and the `/metrics` label).
            pub fn code(self) -> &'static str {
                match self {
                    $(Event::$variant => $code,)*
                }
            }

            /// The event in words, as 監査ログ shows it.
            pub fn label(self) -> &'static str {
                match self {
                    $(Event::$variant => text::$label,)*
                }
            }
        }
    };
}

events! {
    Login = "login": LOGIN,
    Logout = "logout": LOGOUT,
    LoginFailed = "login_failed": LOGIN_FAILED,
    LoginLocked = "login_locked": LOGIN_LOCKED,
    LoginRefusedLocked = "login_refused_locked": LOGIN_REFUSED_LOCKED,
    LoginRefusedWait = "login_refused_wait": LOGIN_REFUSED_WAIT,
    LoginTempExpired = "login_temp_expired": LOGIN_TEMP_EXPIRED,
    AccountCreated = "account_created": ACCOUNT_CREATED,
    RegistrationIdentityVerified = "registration_identity_verified": REGISTRATION_IDENTITY_VERIFIED,
    RegistrationKeyConfirmed = "registration_key_confirmed": REGISTRATION_KEY_CONFIRMED,
    ClientChallenged = "client_challenged": CLIENT_CHALLENGED,
    InquiryLimited = "inquiry_limited": INQUIRY_LIMITED,
    RosterImported = "roster_imported": ROSTER_IMPORTED,
    SessionEndedByMember = "session_ended_by_member": SESSION_ENDED_BY_MEMBER,
    OtherSessionsEnded = "other_sessions_ended": OTHER_SESSIONS_ENDED,
    EmailChangeCancelled = "email_change_cancelled": EMAIL_CHANGE_CANCELLED,
    EmailConfirmationResent = "email_confirmation_resent": EMAIL_CONFIRMATION_RESENT,
    PasswordChanged = "password_changed": PASSWORD_CHANGED,
    AccountWithdrawn = "account_withdrawn": ACCOUNT_WITHDRAWN,
    ConsentAgreed = "consent_agreed": CONSENT_AGREED,
    TwoStepEnabled = "two_step_enabled": TWO_STEP_ENABLED,
    TwoStepBackupCodesRenewed = "two_step_backup_codes_renewed": TWO_STEP_BACKUP_CODES_RENEWED,
    TwoStepDisabled = "two_step_disabled": TWO_STEP_DISABLED,
    PasskeyAdded = "passkey_added": PASSKEY_ADDED,
    PasskeyRemoved = "passkey_removed": PASSKEY_REMOVED,
    PasswordReset = "password_reset": PASSWORD_RESET,
    EmailConfirmed = "email_confirmed": EMAIL_CONFIRMED,
    ProfileUpdated = "profile_updated": PROFILE_UPDATED,
    TempCredentialsIssued = "temp_credentials_issued": TEMP_CREDENTIALS_ISSUED,
    InquiryReceived = "inquiry_received": INQUIRY_RECEIVED,
    InquiryClosed = "inquiry_closed": INQUIRY_CLOSED,
    StaffLogin = "staff_login": STAFF_LOGIN,
    StaffLogout = "staff_logout": STAFF_LOGOUT,
    StaffSessionEnded = "staff_session_ended": STAFF_SESSION_ENDED,
    StaffOtherSessionsEnded = "staff_other_sessions_ended": STAFF_OTHER_SESSIONS_ENDED,
    StaffLoginFailed = "staff_login_failed": STAFF_LOGIN_FAILED,
    StaffLoginLocked = "staff_login_locked": STAFF_LOGIN_LOCKED,
    StaffLoginRefusedLocked = "staff_login_refused_locked": STAFF_LOGIN_REFUSED_LOCKED,
    StaffLoginRefusedWait = "staff_login_refused_wait": STAFF_LOGIN_REFUSED_WAIT,
    StaffLoginRefusedClient = "staff_login_refused_client": STAFF_LOGIN_REFUSED_CLIENT,
    StaffAdded = "staff_added": STAFF_ADDED,
    StaffSetupCompleted = "staff_setup_completed": STAFF_SETUP_COMPLETED,
    StaffDisabled = "staff_disabled": STAFF_DISABLED,
    StaffEnabled = "staff_enabled": STAFF_ENABLED,
    StaffReset = "staff_reset": STAFF_RESET,
    StaffUnlock = "staff_unlock": STAFF_UNLOCK,
    StaffEndSessions = "staff_end_sessions": STAFF_END_SESSIONS,
    StaffSetEmail1 = "staff_set_email1": STAFF_SET_EMAIL1,
    StaffDisable = "staff_disable": STAFF_DISABLE,
    StaffEnable = "staff_enable": STAFF_ENABLE,
    StaffSendLoginId = "staff_send_login_id": STAFF_SEND_LOGIN_ID,
    StaffTwoStepReset = "staff_two_step_reset": STAFF_TWO_STEP_RESET,
    StaffPasskeyAdded = "staff_passkey_added": STAFF_PASSKEY_ADDED,
    StaffPasskeyRemoved = "staff_passkey_removed": STAFF_PASSKEY_REMOVED,
    StaffRequestCreated = "staff_request_created": STAFF_REQUEST_CREATED,
    StaffRequestApproved = "staff_request_approved": STAFF_REQUEST_APPROVED,
    StaffRequestRejected = "staff_request_rejected": STAFF_REQUEST_REJECTED,
    StaffViewedMember = "staff_viewed_member": STAFF_VIEWED_MEMBER,
    StaffSearchedMembers = "staff_searched_members": STAFF_SEARCHED_MEMBERS,
    StaffInquiryUpdated = "staff_inquiry_updated": STAFF_INQUIRY_UPDATED,
    StaffInquiryNote = "staff_inquiry_note": STAFF_INQUIRY_NOTE,
    StaffInquiryReplied = "staff_inquiry_replied": STAFF_INQUIRY_REPLIED,
    StaffRosterApplied = "staff_roster_applied": STAFF_ROSTER_APPLIED,
    StaffRosterUploaded = "staff_roster_uploaded": STAFF_ROSTER_UPLOADED,
    StaffNoticeCreated = "staff_notice_created": STAFF_NOTICE_CREATED,
    StaffNoticeUpdated = "staff_notice_updated": STAFF_NOTICE_UPDATED,
    StaffNoticeWithdrawn = "staff_notice_withdrawn": STAFF_NOTICE_WITHDRAWN,
    StaffNoticeRestored = "staff_notice_restored": STAFF_NOTICE_RESTORED,
    StaffAuditExported = "staff_audit_exported": STAFF_AUDIT_EXPORTED,
    StaffCampaignSaved = "staff_campaign_saved": STAFF_CAMPAIGN_SAVED,
    StaffCampaignTest = "staff_campaign_test": STAFF_CAMPAIGN_TEST,
    StaffCampaignSent = "staff_campaign_sent": STAFF_CAMPAIGN_SENT,
    MedicalLoaded = "medical_loaded": MEDICAL_LOADED,
    StaffMedicalUploaded = "staff_medical_uploaded": STAFF_MEDICAL_UPLOADED,
    StaffMedicalScheduled = "staff_medical_scheduled": STAFF_MEDICAL_SCHEDULED,
    StaffMedicalWithdrawn = "staff_medical_withdrawn": STAFF_MEDICAL_WITHDRAWN,
    StaffMedicalPaperExported = "staff_medical_paper_exported": STAFF_MEDICAL_PAPER_EXPORTED,
    MedicalAnnounced = "medical_announced": MEDICAL_ANNOUNCED,
    MedicalPruned = "medical_pruned": MEDICAL_PRUNED,
    FamilyImported = "family_imported": FAMILY_IMPORTED,
    BenefitsLoaded = "benefits_loaded": BENEFITS_LOADED,
    BenefitsPruned = "benefits_pruned": BENEFITS_PRUNED,
    StaffBenefitsUploaded = "staff_benefits_uploaded": STAFF_BENEFITS_UPLOADED,
    StaffBenefitsPaperExported = "staff_benefits_paper_exported": STAFF_BENEFITS_PAPER_EXPORTED,
    StaffFamilyUploaded = "staff_family_uploaded": STAFF_FAMILY_UPLOADED,
    StaffFamilyApplied = "staff_family_applied": STAFF_FAMILY_APPLIED,
    QualificationIssued = "qualification_issued": QUALIFICATION_ISSUED,
    StaffQualificationPaperExported = "staff_qualification_paper_exported": STAFF_QUALIFICATION_PAPER_EXPORTED,
    MailUnsubscribed = "mail_unsubscribed": MAIL_UNSUBSCRIBED,
    StaffMailResent = "staff_mail_resent": STAFF_MAIL_RESENT,
    RegistrationStarted = "registration_started": REGISTRATION_STARTED,
    RegistrationStartRegistered = "registration_start_registered": REGISTRATION_START_REGISTERED,
    RegistrationStartUnknown = "registration_start_unknown": REGISTRATION_START_UNKNOWN,
    RegistrationIdentityFailed = "registration_identity_failed": REGISTRATION_IDENTITY_FAILED,
    RegistrationIdentitySpent = "registration_identity_spent": REGISTRATION_IDENTITY_SPENT,
    RegistrationKeyFailed = "registration_key_failed": REGISTRATION_KEY_FAILED,
    RegistrationKeySpent = "registration_key_spent": REGISTRATION_KEY_SPENT,
    RegisterMailDropped = "register_mail_dropped": REGISTER_MAIL_DROPPED,
    ResetRequested = "reset_requested": RESET_REQUESTED,
    ResetRequestedUnknown = "reset_requested_unknown": RESET_REQUESTED_UNKNOWN,
    ForgotMailDropped = "forgot_mail_dropped": FORGOT_MAIL_DROPPED,
}

impl Event {
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|e| e.code() == code)
    }

    /// The words of a stored code; a code no longer written is shown as it is stored.
    pub fn label_of(code: &str) -> &str {
        match Self::from_code(code) {
            Some(e) => e.label(),
            None => code,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_its_own_code_and_words() {
        let mut codes: Vec<_> = Event::ALL.iter().map(|e| e.code()).collect();
        let mut labels: Vec<_> = Event::ALL.iter().map(|e| e.label()).collect();
        codes.sort_unstable();
        codes.dedup();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(codes.len(), Event::ALL.len(), "codes are unique");
        assert_eq!(labels.len(), Event::ALL.len(), "two events with the same words could not be told apart in 監査ログ");
        for e in Event::ALL {
            assert_eq!(Event::from_code(e.code()), Some(*e));
            assert!(!e.label().is_empty() && !e.label().is_ascii(), "{e:?} is shown in Japanese");
        }
        assert_eq!(Event::label_of("an_old_code"), "an_old_code");
    }
}
