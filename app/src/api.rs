//! The values that cross the server-function boundary: plain serde types, built by the
//! services (`backend/`) and shown by the pages. Nothing here knows about either side.

pub mod staff;

use crate::domain::MailPreference;
use serde::{Deserialize, Serialize};

/// The society running the portal, from the server's configuration (shown by the layout,
/// which is rendered on the server only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteInfo {
    pub society_name: String,
    pub society_contact: String,
}

/// What a form needs to show a CAPTCHA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptchaView {
    pub id: String,
    /// `data:image/png;base64,...` (allowed by the CSP's `img-src data:`)
    pub image: String,
}

/// What a public form with a CAPTCHA and a birth date needs from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormWithCaptcha {
    pub captcha: CaptchaView,
    /// The last year the birth-date pulldown offers (this year, JST).
    pub this_year: i32,
}

/// The defaults of 新規利用登録 step 5: the company address and the member's 氏名.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDefaults {
    pub email: String,
    pub nickname: String,
    /// The versions of 利用規約 and 個人情報の取扱い the form asks agreement to.
    pub consent_key: String,
}

/// One 健保からのお知らせ on ホーム.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: String,
    pub title: String,
    pub body: String,
    /// JST, e.g. 2026/11/26
    pub published: String,
    /// 重要: listed first, marked.
    pub important: bool,
}

/// What ホーム shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub name: String,
    pub notices: Vec<Notice>,
    /// The household's latest 診療年月 in 医療費のお知らせ (「2026年9月」), if any is published.
    pub medical_latest: Option<String>,
    /// How many of the household hold a current 資格情報のお知らせ.
    pub qualification_current: usize,
    /// How many 給付金支給決定通知書 the household has.
    pub benefits: usize,
    /// 資格喪失: the last day the member may read the documents (「2027年3月1日」).
    pub read_only_until: Option<String>,
}

/// An address waiting for its confirmation link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEmail {
    pub slot: u8,
    pub email: String,
    /// JST, e.g. 2026/11/26 15:00
    pub expires: String,
}

/// What プロフィール設定 shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileData {
    pub login_id: String,
    pub nickname: String,
    /// Addresses 1–3 in effect ("" when none).
    pub emails: Vec<String>,
    pub pending: Vec<PendingEmail>,
    pub preferences: Vec<MailPreference>,
    /// Signed in with a temporary password: the profile is set for the first time.
    pub first_time: bool,
    /// ログイン中の端末 (rendered by the page, not sent to the form's island).
    pub sessions: Vec<DeviceSession>,
    /// 任意継続 or 特例退職 on the roster: the page advises replacing a company address 1.
    pub left_company: bool,
    /// 2段階認証 is set (セキュリティ設定's state, shown beside its link).
    pub two_step: bool,
}

/// One open session of the member, as ログイン中の端末 lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSession {
    /// Names the session in the form that ends it (a prefix of its stored hash, not the secret).
    pub handle: String,
    /// e.g. 「iPhone・Safari」
    pub device: String,
    /// JST, e.g. 2026/11/26 15:00
    pub logged_in: String,
    pub last_seen: String,
    pub current: bool,
}

/// What パスワード変更 needs: the rules' context for checking while typing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPageData {
    pub login_id: String,
    pub email1: Option<String>,
    /// Signed in with a temporary password: the first password of the member's own.
    pub first_time: bool,
}

/// The address a confirmation link would register, in slot 1–3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLink {
    pub slot: u8,
    pub email: String,
}

/// A usable password-reset link: whose it is and whether 2段階認証 asks for a code too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetLinkView {
    pub login_id: String,
    pub needs_code: bool,
}

/// セキュリティ設定 (2段階認証).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityData {
    pub enrolled: bool,
    /// The member's passkeys, oldest first.
    pub passkeys: Vec<PasskeyLine>,
    /// `MEMBER_2FA=required`: it cannot be turned off (and must be set before anything else).
    pub required: bool,
    pub backup_codes_left: i64,
    /// While not enrolled: the QR code (`otpauth://` URL as an SVG data URI) and the key as text.
    pub qr: Option<String>,
    pub secret: Option<String>,
}

/// What the browser does next in a passkey ceremony (`public/passkey.js`): create a credential,
/// get an assertion, or stop (reload the page, or go somewhere).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyStep {
    /// `navigator.credentials.create` options (JSON).
    pub create: Option<String>,
    /// `navigator.credentials.get` options (JSON).
    pub get: Option<String>,
    pub done: bool,
    pub go: Option<String>,
}

/// One passkey as セキュリティ設定 lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyLine {
    pub id: String,
    pub name: String,
    pub created: String,
    pub last_used: Option<String>,
    /// The signature counter the authenticator last reported (0: it keeps none, as synced passkeys).
    pub counter: i64,
    /// Backup eligible: the passkey is synchronised to the member's other devices.
    pub synced: bool,
}
