//! Every mail the portal sends, put together: the words from `text::mail`, the links from
//! PUBLIC_URL only, the footer from the society's settings.

use crate::backend::audit;
use crate::backend::mail::outbox::{Mail, MailKind};
use crate::backend::platform::Config;
use crate::text::mail as text;

fn footer(config: &Config) -> String {
    text::footer(&config.society_name, &config.society_contact)
}

pub fn url(config: &Config, path: &str) -> String {
    format!("{}{path}", config.public_url)
}

pub fn m1_invitation(config: &Config, to: &str, token: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Registration,
        subject: text::SUBJECT_M1.into(),
        body: text::m1_invitation(url(config, &format!("/register/verify/{token}")), footer(config)),
    }
}

pub fn m2_identity_confirmed(config: &Config, to: &str, token: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Registration,
        subject: text::SUBJECT_M2.into(),
        body: text::m2_identity_confirmed(url(config, &format!("/register/confirm/{token}")), footer(config)),
    }
}

pub fn m3_registration_complete(config: &Config, to: &str, login_id: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_M3.into(),
        body: text::m3_registration_complete(login_id, url(config, "/"), footer(config)),
    }
}

pub fn already_registered(config: &Config, to: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_ALREADY_REGISTERED.into(),
        body: text::already_registered(url(config, "/"), url(config, "/forgot"), footer(config)),
    }
}

pub fn registration_not_started(config: &Config, to: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_NOT_STARTED.into(),
        body: text::registration_not_started(url(config, "/inquiry"), footer(config)),
    }
}

pub fn account_locked(config: &Config, to: &str, minutes: i64) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_LOCKED.into(),
        body: text::account_locked(minutes, url(config, "/forgot"), footer(config)),
    }
}

pub fn email_confirmation(config: &Config, to: &str, token: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::EmailConfirmation,
        subject: text::SUBJECT_EMAIL_CONFIRM.into(),
        body: text::email_confirmation(url(config, &format!("/profile/email/{token}")), footer(config)),
    }
}

/// To the address 1 in effect before a change of the member's addresses.
pub fn email_changed(config: &Config, to: &str, label: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_EMAIL_CHANGED.into(),
        body: text::email_changed(label, url(config, "/forgot"), footer(config)),
    }
}

/// After パスワード変更 or a reset through ログインID・パスワード忘れた方.
pub fn password_changed(config: &Config, to: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_PASSWORD_CHANGED.into(),
        body: text::password_changed(url(config, "/forgot"), footer(config)),
    }
}

/// 退会: to the old address 1, after the account is gone.
/// What changed in a member's 2段階認証 (each change is audited and mailed to address 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoStepChange {
    Enabled,
    BackupCodes,
    Disabled,
    ResetByStaff,
    PasskeyAdded,
    PasskeyRemoved,
}

impl TwoStepChange {
    pub fn event(self) -> audit::Event {
        match self {
            Self::Enabled => audit::Event::TwoStepEnabled,
            Self::BackupCodes => audit::Event::TwoStepBackupCodesRenewed,
            Self::Disabled => audit::Event::TwoStepDisabled,
            Self::ResetByStaff => audit::Event::StaffTwoStepReset,
            Self::PasskeyAdded => audit::Event::PasskeyAdded,
            Self::PasskeyRemoved => audit::Event::PasskeyRemoved,
        }
    }

    fn sentence(self) -> &'static str {
        match self {
            Self::Enabled => text::TWO_STEP_ENABLED,
            Self::BackupCodes => text::TWO_STEP_BACKUP_CODES,
            Self::Disabled => text::TWO_STEP_DISABLED,
            Self::ResetByStaff => text::TWO_STEP_RESET_BY_STAFF,
            Self::PasskeyAdded => text::PASSKEY_ADDED,
            Self::PasskeyRemoved => text::PASSKEY_REMOVED,
        }
    }
}

pub fn two_step_changed(config: &Config, to: &str, change: TwoStepChange) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_TWO_STEP.into(),
        body: text::two_step_changed(change.sentence(), url(config, "/forgot"), footer(config)),
    }
}

pub fn withdrawn(config: &Config, to: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_WITHDRAWN.into(),
        body: text::withdrawn(url(config, "/register"), footer(config)),
    }
}

pub fn password_reset(config: &Config, to: &str, login_id: &str, token: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::PasswordReset,
        subject: text::SUBJECT_RESET.into(),
        body: text::password_reset(login_id, url(config, &format!("/forgot/reset/{token}")), footer(config)),
    }
}

pub fn password_reset_unknown(config: &Config, to: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_RESET_UNKNOWN.into(),
        body: text::password_reset_unknown(url(config, "/inquiry"), footer(config)),
    }
}

/// To the society's inbox: everything the member typed, to answer them.
pub fn inquiry_to_staff(config: &Config, reference: &str, i: &crate::domain::InquiryInput) -> Mail {
    Mail {
        to: config.inquiry_to.clone(),
        kind: MailKind::Plain,
        subject: format!("{}{reference} {}", text::SUBJECT_INQUIRY_STAFF, i.kind.label()),
        body: text::inquiry_to_staff(
            reference,
            i.kind.label(),
            &i.name,
            i.kigo.as_str(),
            i.bango.as_str(),
            i.birth_date.iso(),
            i.email.as_str(),
            i.phone.as_deref().unwrap_or(text::NO_PHONE),
            &i.body,
        ),
    }
}

/// To the member: the reference only. Nothing typed in the form is echoed, so the form
/// cannot be used to send someone else a text of one's choosing.
pub fn inquiry_received(config: &Config, to: &str, reference: &str, kind: crate::domain::InquiryKind) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_INQUIRY_ACK.into(),
        body: text::inquiry_received(reference, kind.label(), &config.society_name, footer(config)),
    }
}

/// `send-test-mail`: proves the SMTP settings.
/// 職員画面: a temporary password was issued for a registered member (the password itself goes by letter).
pub fn temp_password_issued(config: &Config, to: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_TEMP_PASSWORD.into(),
        body: text::temp_password_issued(&config.society_name, url(config, "/"), footer(config)),
    }
}

/// 職員画面: the member asked for their login ID (by phone, or through the inquiry form).
pub fn login_id_notice(config: &Config, to: &str, login_id: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_LOGIN_ID.into(),
        body: text::login_id_notice(login_id, url(config, "/"), footer(config)),
    }
}

/// A staff login ID locked by failures: staff have no self-service reset, a 管理者 resets them.
pub fn staff_account_locked(config: &Config, to: &str, minutes: i64) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: text::SUBJECT_LOCKED.into(),
        body: text::staff_account_locked(minutes, footer(config)),
    }
}

/// 職員管理: the one-time link to set up a staff account (password and authenticator).
pub fn staff_setup(config: &Config, to: &str, name: &str, link: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::StaffSetup,
        subject: text::SUBJECT_STAFF_SETUP.into(),
        body: text::staff_setup(name, link, footer(config)),
    }
}

/// 問い合わせ: the society's answer, kept with the inquiry. The reference is in the subject so
/// the member's reply (to the society's address) can be matched.
pub fn inquiry_reply(config: &Config, to: &str, reference: &str, name: &str, answer: &str) -> Mail {
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: format!("【{reference}】{}", text::SUBJECT_INQUIRY_REPLY),
        body: text::inquiry_reply(name, &config.society_name, reference, answer, url(config, "/"), footer(config)),
    }
}

pub fn test_mail(config: &Config, to: &str) -> Mail {
    Mail { to: to.into(), kind: MailKind::Plain, subject: text::test_mail_subject(), body: text::test_mail(&config.society_name) }
}

/// 配信メール: the society's text for one 配信メール設定 category, with where to change the
/// setting and (for a member) the link that stops this category without logging in.
/// `unsubscribe` is `None` in the test a staff member sends to themself.
pub fn category_mail(
    config: &Config,
    to: &str,
    category: crate::domain::MailPreference,
    subject: &str,
    body: &str,
    unsubscribe: Option<&str>,
) -> Mail {
    let label = category.label();
    let stop = match unsubscribe {
        Some(link) => text::category_stop(label, link),
        None => text::CATEGORY_NO_STOP_IN_TEST.to_string(),
    };
    Mail {
        to: to.into(),
        kind: MailKind::Plain,
        subject: subject.into(),
        body: text::category_mail(body, label, url(config, "/profile"), &stop, footer(config)),
    }
}
