//! Domain types shared by the browser and the server. Each can only be built
//! through a parser that returns the Japanese message to show next to the field,
//! so the same code validates while typing and again on the server.

mod account;
pub mod audit;
pub mod consent;
mod device;
pub mod era;
pub mod family;
mod inquiry;
pub mod medical;
mod member;
pub mod navigation;
mod normalize;
mod notice;
mod profile;
pub mod proof;
mod staff;
pub mod strength;

pub use account::{check_confirmation, parse_nickname, LoginId, Password, PasswordContext, SYMBOLS};
pub use device::device_name;
pub use inquiry::{parse_inquiry_body, parse_name, parse_phone, InquiryInput, InquiryKind};
pub use member::{parse_date, Bango, BirthDate, Branch, Email, Kigo, MemberNumber, MemberStatus};
pub use navigation::{query_value, safe_next, FirstSteps};
pub use normalize::{normalize_digits, trim_spaces};
pub use notice::{
    body_parts, parse_jst_datetime, parse_notice_body, parse_notice_title, Audience, BodyPart, NOTICE_BODY_MAX, NOTICE_TITLE_MAX,
};
pub use profile::{duplicate_of_earlier, parse_profile_email, MailPreference, EMAIL_FIELDS};
pub use staff::{
    mask_email, parse_reason, parse_staff_password, InquiryStatus, MemberAction, SecondFactor, StaffRole, BACKUP_ALPHABET, BACKUP_LEN,
    STAFF_PASSWORD_MIN,
};

/// A message for one form field, in Japanese, naming the field and what to do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError(pub String);

impl FieldError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FieldError {}
