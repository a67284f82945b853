//! What the staff pages receive from the staff services (職員画面). Dates and labels arrive
//! formatted (JST, Japanese): the pages only show them.

use crate::domain::{InquiryStatus, StaffRole};
use serde::{Deserialize, Serialize};

/// The staff member of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffView {
    pub name: String,
    pub role: StaffRole,
}

/// 職員アカウント設定: what the one-time setup link shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupInfo {
    pub name: String,
    pub email: String,
    /// The TOTP secret as text (base32), for apps that cannot scan.
    pub secret: String,
    /// The `otpauth://` QR code as an `<img>` data URI.
    pub qr: String,
}

/// ホーム of the console: what waits for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub staff: StaffView,
    pub open_inquiries: i64,
    pub locked_members: i64,
    /// Requests waiting for a 管理者's approval (依頼と承認).
    pub open_approvals: i64,
    pub figures: Figures,
    /// ログイン中の端末 of the staff member.
    pub sessions: Vec<crate::api::DeviceSession>,
}

/// The society's main question (how many use the portal) and the health of the mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Per 区分 (在職, 任意継続, 特例退職): the label, members registered, members eligible.
    pub by_status: Vec<(String, i64, i64)>,
    /// The last 12 weeks (Monday to Sunday, JST), oldest first: the week's Monday (M/D), registrations.
    pub weekly: Vec<(String, i64)>,
    pub outbox_waiting: i64,
    /// When the oldest waiting mail was written (JST), if any waits.
    pub oldest_waiting: Option<String>,
    pub failed_this_week: i64,
}

/// 送信エラー: a mail given up after its last attempt (never its body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedMailLine {
    pub id: String,
    pub failed_at: String,
    /// When staff sent it again (JST), if they did.
    pub resent: Option<String>,
    pub recipient: String,
    pub subject: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// 記号 and 番号 of the member whose address it is, if any.
    pub member: Option<(String, String)>,
}

/// One row of 加入者検索.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberHit {
    pub kigo: String,
    pub bango: String,
    pub name: String,
    pub name_kana: Option<String>,
    pub status: String,
    pub login_id: Option<String>,
    pub account_state: String,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub rows: Vec<T>,
    pub total: i64,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
}

/// 加入者詳細.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDetail {
    pub kigo: String,
    pub bango: String,
    pub name: String,
    pub name_kana: Option<String>,
    pub birth_date: String,
    pub status: String,
    pub active: bool,
    pub roster_email: Option<String>,
    pub account: Option<AccountDetail>,
    pub mails: Vec<MailLine>,
    pub audit: Vec<AuditLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetail {
    pub login_id: String,
    pub registered_at: String,
    /// 登録済み / ロック中（…まで） / 仮パスワード発行中（有効期限 …） / 利用停止中
    pub states: Vec<String>,
    pub locked: bool,
    pub disabled: bool,
    /// 2段階認証 is set (staff may reset it for a member who lost it).
    pub two_step: bool,
    /// Signed in only with a temporary password so far (its letter may be issued again directly).
    pub temporary: bool,
    pub emails: Vec<EmailLine>,
    pub preferences: Vec<String>,
    pub sessions: Vec<SessionLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailLine {
    pub label: String,
    pub address: Option<String>,
    /// An address waiting for its confirmation link, with the link's expiry.
    pub pending: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionLine {
    pub device: String,
    pub started: String,
    pub last_seen: String,
    pub client_ip: Option<String>,
}

/// A mail sent (or being sent) to a member: never its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailLine {
    pub at: String,
    pub recipient: String,
    pub subject: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: String,
    pub event: String,
    pub staff: Option<String>,
    /// 記号-番号 of the member concerned.
    pub member: Option<String>,
    pub client_ip: Option<String>,
    pub detail: Option<String>,
}

/// 監査ログ: the page of entries and the staff to filter by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Paged<AuditLine>,
    pub staff: Vec<StaffOption>,
    pub events: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffOption {
    pub id: String,
    pub name: String,
}

/// 紙通知: one letter per member; the password exists only in this answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    pub name: String,
    pub kigo: String,
    pub bango: String,
    pub login_id: String,
    pub password: String,
    pub expires: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letters {
    pub letters: Vec<Letter>,
    /// The portal's login URL and its QR code (data URI), printed on every letter.
    pub url: String,
    pub qr: String,
    /// The society's contact (＜問合先＞), printed at the foot of every letter.
    pub contact: String,
    /// Members not issued, with the reason.
    pub skipped: Vec<String>,
    /// Re-issued for a registered member after a request and a second staff member's approval:
    /// the letter says so (a member who asked for nothing calls the society).
    pub reissued: bool,
}

/// A request waiting for (or decided by) a second staff member: what is asked, by whom, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalLine {
    pub id: String,
    pub kigo: String,
    pub bango: String,
    pub name: String,
    pub action: crate::domain::MemberAction,
    /// メールアドレス1の設定: the address asked for (in full: the approver checks it).
    pub email: Option<String>,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    /// Older than the time a request may wait: it can only be declined.
    pub expired: bool,
    /// The viewer asked for it themself: another 管理者 decides.
    pub own: bool,
}

/// One line of the inquiry queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryLine {
    pub reference: String,
    pub kind: String,
    pub name: String,
    pub status: InquiryStatus,
    pub assignee: Option<String>,
    pub received: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryDetail {
    pub reference: String,
    pub kind: String,
    pub name: String,
    pub kigo: String,
    pub bango: String,
    pub birth_date: String,
    pub email: String,
    pub phone: Option<String>,
    pub body: String,
    pub status: InquiryStatus,
    pub assignee_id: Option<String>,
    pub received: String,
    /// 記号・番号 and birth date match this roster member.
    pub member: Option<(String, String)>,
    pub entries: Vec<InquiryEntry>,
    pub staff: Vec<StaffOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryEntry {
    pub is_reply: bool,
    pub staff: String,
    pub at: String,
    pub body: String,
}

/// 職員管理: one staff account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffLine {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: StaffRole,
    pub state: String,
    pub disabled: bool,
    pub is_self: bool,
}

/// お知らせ管理: one notice in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeLine {
    pub id: String,
    pub title: String,
    /// 掲載予定 / 掲載中 / 掲載終了 / 取り下げ
    pub state: String,
    pub audience: String,
    pub starts: String,
    pub ends: Option<String>,
    pub important: bool,
}

/// The notice form's values (`datetime-local` strings, JST).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeForm {
    pub id: Option<String>,
    pub title: String,
    pub body: String,
    pub starts: String,
    pub ends: String,
    /// Status codes; empty = every member.
    pub audience: Vec<String>,
    pub important: bool,
    pub withdrawn: bool,
}

/// 名簿アップロード: what a file would do, before it is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterPreview {
    pub id: String,
    pub file_name: String,
    /// 全件置換 (else 追加・更新).
    pub replace: bool,
    pub uploaded: String,
    /// Lines with what is wrong (nothing can be applied while there are any).
    pub errors: Vec<String>,
    pub new: usize,
    /// 記号-番号 and the fields that change (the first 500).
    pub changed: Vec<(String, String)>,
    pub changed_total: usize,
    pub unchanged: u64,
    /// 記号-番号 and 氏名 of the members who would become 資格喪失.
    pub retired: Vec<(String, String)>,
    /// So many would be retired (over 5 % of the active roster, or over 100) that the 管理者 types
    /// their number to apply it.
    pub retire_confirm: bool,
    /// The plan's digest: the apply is refused when the roster changed since this preview.
    pub digest: String,
    /// Set once applied: when and what it did.
    pub applied: Option<String>,
}

/// 被扶養者名簿アップロード: what a family file would do, before it is applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyPreview {
    pub id: String,
    pub file_name: String,
    pub uploaded: String,
    /// Lines with what is wrong (nothing can be applied while there are any).
    pub errors: Vec<String>,
    pub households: usize,
    pub new: usize,
    /// Line and 記号-番号-枝番 of the changed rows (the first 500).
    pub changed: Vec<String>,
    pub changed_total: usize,
    pub unchanged: usize,
    /// 記号-番号-枝番 and 氏名 of the 被扶養者 the file no longer lists (they leave the family).
    pub removed: Vec<(String, String)>,
    /// The plan's digest: the apply is refused when the family or the roster changed since.
    pub digest: String,
    /// Set once applied: when and what it did.
    pub applied: Option<String>,
}

/// 給付金の決定取込: what a file would load, before it is loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenefitPreview {
    pub id: String,
    pub file_name: String,
    pub uploaded: String,
    pub errors: Vec<String>,
    /// The 決定日 (the batch), in words.
    pub decided_on: String,
    pub lines: u64,
    pub households: u64,
    /// A batch of the same 決定日 is loaded: this file replaces it.
    pub replaces: bool,
    pub applied: Option<String>,
}

/// A loaded decision batch, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenefitBatchView {
    pub id: String,
    pub label: String,
    pub file_name: String,
    pub loaded: String,
    pub lines: i64,
    pub campaign_id: Option<String>,
}

/// An issuing run of 資格情報のお知らせ, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationIssueView {
    pub id: String,
    pub issued: String,
    /// 名簿 / 被扶養者名簿, and who applied it (a CLI import names nobody).
    pub source: String,
    pub by: String,
    pub notices: i64,
    /// Addresses the mail went to (`None`: no mail, a CLI import).
    pub recipients: Option<i64>,
}

/// 医療費データ取込: what a file would load, before it is loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicalPreview {
    pub id: String,
    pub file_name: String,
    pub uploaded: String,
    /// Lines with what is wrong (nothing can be loaded while there are any).
    pub errors: Vec<String>,
    /// The 処理年月 ('YYYY-MM') and in words.
    pub batch: String,
    pub batch_label: String,
    pub lines: u64,
    pub households: u64,
    /// The 診療年月 the lines cover, in words.
    pub months: String,
    /// Lines whose 記号・番号 is not on the roster: how many, and the first of them.
    pub unknown: u64,
    pub unknown_shown: Vec<String>,
    /// Lines of the same 処理年月 loaded before, which this file replaces.
    pub replaced: u64,
    /// The batch it replaces is public: members see the new lines at once.
    pub replaces_published: bool,
    /// Set once loaded: when and what it did.
    pub applied: Option<String>,
}

/// A loaded 医療費 batch, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicalBatchView {
    /// The 処理年月, 'YYYY-MM'.
    pub id: String,
    pub label: String,
    pub file_name: String,
    pub loaded: String,
    pub lines: i64,
    pub unknown: i64,
    pub months: String,
    /// 未公開 / 公開予約（…） / 公開中（…〜） / 取り下げ（…）
    pub state: String,
    pub publishable: bool,
    pub withdrawable: bool,
    /// The campaign of its 掲載 mail, once started.
    pub campaign_id: Option<String>,
}

/// 配信メール: one line of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignLine {
    pub id: String,
    pub subject: String,
    pub category: String,
    pub state: String,
    pub created: String,
    pub progress: CampaignProgress,
}

/// How far a sent campaign is: addresses chosen, still waiting for the worker, delivered, given up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignProgress {
    pub total: i64,
    pub waiting: i64,
    pub sent: i64,
    pub failed: i64,
}

impl CampaignProgress {
    /// Every address has its answer (delivered or given up).
    pub fn finished(&self) -> bool {
        self.sent + self.failed >= self.total
    }
}

/// A campaign as its page shows it: the draft's values, or the sent mail and its progress.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignForm {
    pub id: Option<String>,
    /// A `MailPreference` code; empty for a new one.
    pub category: String,
    pub subject: String,
    pub body: String,
    /// Addresses and members the category reaches now (drafts), or were chosen (sent).
    pub addresses: i64,
    pub members: i64,
    pub created_by: String,
    /// When it was sent (JST) and the progress; `None` for a draft.
    pub started: Option<String>,
    pub progress: CampaignProgress,
    /// The digest of category, subject and body as this page shows them: the send carries it
    /// and is refused when the draft changed since (what the 管理者 reviewed is what goes out).
    pub digest: String,
}
