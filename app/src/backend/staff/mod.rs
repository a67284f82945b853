//! 職員画面: the services behind the staff console. Staff accounts and their two-factor login
//! (`accounts`, `session`), member support (`members`), the inquiry queue (`inquiries`) and
//! the audit log's viewer (`audit_view`). Every staff action is recorded with the staff member.

pub mod accounts;
pub mod approvals;
pub mod audit_view;
pub mod benefit_upload;
pub mod campaigns;
pub mod document_uploads;
pub mod family_upload;
pub mod figures;
pub mod inquiries;
pub mod mail_errors;
pub mod medical_upload;
pub mod members;
pub mod notices;
pub mod passkeys;
pub mod roster_upload;
pub mod session;

use crate::backend::identity::password::HashError;
use crate::backend::identity::throttle::LoginError;
use crate::error::AppError;
use crate::text::staff as text;

/// Why a staff request did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// Wrong ID, password or code, or a disabled account: one answer for all.
    #[error("wrong login")]
    LoginWrong,
    #[error(transparent)]
    Login(#[from] LoginError),
    /// The setup link is unknown, used or expired.
    #[error("setup link unusable")]
    SetupLinkGone,
    #[error("wrong code at setup")]
    SetupCodeWrong,
    #[error("the address belongs to another staff account")]
    EmailTaken,
    #[error("not found")]
    NotFound,
    /// What the action needs is not there (no account, nothing to unlock...): the message says.
    #[error("action not possible: {0}")]
    NotPossible(&'static str),
    #[error("the address is already another member's")]
    AddressTaken,
    /// One field of the form is wrong: its name and the message.
    #[error("invalid {0}")]
    Invalid(&'static str, &'static str),
    #[error(transparent)]
    Passkey(crate::backend::identity::webauthn::PasskeyError),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<StaffError> for AppError {
    fn from(e: StaffError) -> Self {
        match e {
            StaffError::LoginWrong => AppError::form(text::LOGIN_WRONG),
            StaffError::Login(LoginError::Wrong) => AppError::form(text::LOGIN_WRONG),
            StaffError::Login(e) => e.into(),
            StaffError::SetupLinkGone => AppError::Gone(text::SETUP_LINK_GONE.into()),
            StaffError::SetupCodeWrong => AppError::Invalid { fields: vec![("code".into(), text::SETUP_CODE_WRONG.into())], message: None },
            StaffError::EmailTaken => AppError::Invalid { fields: vec![("email".into(), text::STAFF_EMAIL_TAKEN.into())], message: None },
            StaffError::NotFound => AppError::form(text::NOT_FOUND),
            StaffError::NotPossible(why) => AppError::form(why),
            StaffError::AddressTaken => AppError::Invalid { fields: vec![("email".into(), text::ADDRESS_TAKEN.into())], message: None },
            StaffError::Invalid(field, message) => AppError::Invalid { fields: vec![(field.into(), message.into())], message: None },
            StaffError::Passkey(e) => e.into(),
            StaffError::Hash(e) => e.into(),
            StaffError::Db(e) => e.into(),
        }
    }
}
