//! プロフィール設定 and パスワード変更: the words of the screens and their mails.

pub const PROFILE_TITLE: &str = "プロフィール設定";
pub const PROFILE_LEAD: &str = "健保からのお知らせ（給付金のお知らせなど）を受信するメールアドレスやログインIDの変更ができます。＊は必須入力です。メールアドレス2～3は任意となります。変更後、「登録」をクリックしてください。";
pub const PROFILE_FIRST: &str = "初めてのログインです。ニックネームとメールアドレスを登録してください。";
pub const PROFILE_ADVICE: &str = "メールアドレス2～3に会社メールアドレス以外の登録をお薦めします。";
pub const PROFILE_RETIREE: &str =
    "任意継続・特例退職の方で在職時に登録された方は、メールアドレス1を会社メールアドレス以外の受け取れるメールアドレスに変更してください。";
pub const EMAIL_CONFIRM_HINT: &str = "新しいメールアドレスは、そのアドレスに届く確認メールのURLをクリックした時点で登録されます。";
pub const MAIL_PREFERENCES: &str = "配信メール設定";
pub const MAIL_PREFERENCES_LEAD: &str = "希望のメールにチェックを付けてください。";
pub const MAIL_PREFERENCES_NOTE: &str = "配信メール設定は、デフォルトのまま、チェックは外さないでください。";
pub const EMAIL_LABELS: [&str; 3] = ["メールアドレス1", "メールアドレス2", "メールアドレス3"];
pub const REGISTER: &str = "登録";
pub const SAVED: &str = "プロフィールを登録しました。";
pub const SAVED_PENDING: &str = "プロフィールを登録しました。新しいメールアドレスに確認メールを送信しました。メールに記載されているURLをクリックすると、メールアドレスの変更が完了します（有効期限24時間）。";
pub const PENDING_TITLE: &str = "確認待ちのメールアドレス";
pub const PENDING_NOTE: &str = "確認メールのURLがクリックされるまで、変更前のメールアドレスが使われます。";
pub const PENDING_UNTIL: &str = "有効期限：";
pub const RESEND: &str = "確認メールを再送";
pub const CANCEL: &str = "変更を取り消す";
pub const RESENT: &str = "確認メールを再送しました。";
pub const CANCELLED: &str = "メールアドレスの変更を取り消しました。";
pub const TOO_MANY_RESENDS: &str = "確認メールの再送が続いたため、しばらく時間をおいてから、もう一度お試しください。";
pub const NOTHING_PENDING: &str = "このメールアドレスの変更は、既に完了したか取り消されています。";

pub const EMAIL_CONFIRM_TITLE: &str = "メールアドレスの確認";
pub const EMAIL_CONFIRM_LEAD: &str = "次のメールアドレスを登録します。よろしければ「確認」をクリックしてください。";
pub const EMAIL_CONFIRM_BUTTON: &str = "確認";
pub const EMAIL_CONFIRMED: &str = "メールアドレスの変更が完了しました。";
pub const EMAIL_LINK_INVALID: &str =
    "このURLは有効期限が切れているか、既に使用されています。お手数ですが、ログイン後「プロフィール設定」から確認メールを再送してください。";
pub const EMAIL_TAKEN: &str =
    "このメールアドレスは別のアカウントで登録されているため、登録できませんでした。別のメールアドレスをご利用ください。";
pub const EMAIL_ALREADY_OURS: &str = "このメールアドレスは既に登録されています。";
pub const TO_PROFILE: &str = "プロフィール設定へ";

pub const PASSWORD_TITLE: &str = "パスワード変更";
pub const PASSWORD_LEAD: &str =
    "ログイン時のパスワードを変更できます。変更前パスワードと変更後パスワードを入力し、「登録」をクリックしてください。";
pub const PASSWORD_FIRST: &str = "仮パスワードでログインしました。ご自身で決めたパスワードに変更してください。";
pub const CURRENT_PASSWORD: &str = "変更前パスワード";
pub const NEW_PASSWORD: &str = "変更後パスワード";
pub const CONFIRM_PASSWORD: &str = "パスワード確認";
pub const SHOW_PASSWORD: &str = "パスワードを表示する";
pub const REAUTH: &str = "現在のパスワード";

pub const WITHDRAW_TITLE: &str = "退会";
pub const WITHDRAW_LINK: &str = "退会（アカウントの削除）";
pub const WITHDRAW_LEAD: &str = "退会すると、ログインID・パスワード・登録したメールアドレス・配信メール設定が削除され、健康マイポータルからのメールは届かなくなります。健康保険の資格（加入者名簿）には影響しません。もう一度ご利用になる場合は、新規利用登録からやり直してください。";
pub const WITHDRAW_PASSWORD_HINT: &str = "確認のため、現在のパスワードを入力してください。";
pub const WITHDRAW_REQUIRED: &str = "現在のパスワードを入力してください。";
pub const WITHDRAW_BUTTON: &str = "退会する";
pub const WITHDRAWN_TITLE: &str = "退会手続きが完了しました";
pub const WITHDRAWN_TEXT: &str = "ご利用ありがとうございました。登録されていたメールアドレス1に、退会手続き完了のお知らせを送信しました。";
pub const WITHDRAWN_ALREADY: &str = "このアカウントは既に退会しています。";
pub const REAUTH_HINT: &str = "ログインIDまたはメールアドレスを変更・追加する場合は、確認のため現在のパスワードを入力してください。";
pub const REAUTH_REQUIRED: &str = "ログインIDまたはメールアドレスを変更・追加するには、現在のパスワードを入力してください。";
pub const REAUTH_WRONG: &str = "現在のパスワードが正しくありません。";
pub const CURRENT_REQUIRED: &str = "変更前パスワードを入力してください。";
pub const CURRENT_WRONG: &str = "変更前パスワードが正しくありません。";
pub const SAME_AS_CURRENT: &str = "変更前と同じパスワードは設定できません。別のパスワードを入力してください。";
pub const PASSWORD_CHANGED: &str = "パスワードを変更しました。ほかの端末でのログインは終了しました。";

pub use super::registration::{LOGIN_ID, NICKNAME};

// ログイン中の端末
pub const SESSIONS_TITLE: &str = "ログイン中の端末";
pub const SESSIONS_LEAD: &str = "このログインIDでログインしている端末です。心当たりのない端末がある場合は、その端末をログアウトさせてから、パスワードを変更してください。";
pub const THIS_DEVICE: &str = "この端末";
pub const LAST_SEEN: &str = "最終利用：";
pub const LOGGED_IN_AT: &str = "ログイン：";
pub const END_SESSION: &str = "ログアウトさせる";
pub const END_OTHERS: &str = "他の端末をすべてログアウト";
pub const SESSION_ENDED: &str = "選択した端末をログアウトさせました。";
pub const OTHERS_ENDED: &str = "他の端末をすべてログアウトさせました。";
pub const UNKNOWN_DEVICE: &str = "不明な端末";

// 配信停止 (the link at the end of a category mail)
pub const UNSUBSCRIBE_TITLE: &str = "配信メールの停止";
pub const UNSUBSCRIBE_LEAD: &str = "のメールの配信を停止します。よろしければ「配信を停止する」を押してください。";
pub const UNSUBSCRIBE_BUTTON: &str = "配信を停止する";
pub const UNSUBSCRIBED: &str = "のメールの配信を停止しました。";
pub const UNSUBSCRIBE_OTHERS: &str =
    "ほかの種類の配信メールや、配信の再開は、ログイン後の「プロフィール設定」の「配信メール設定」で変更できます。";
pub const UNSUBSCRIBE_INVALID: &str = "このリンクは使用できません。配信メールの設定は、ログイン後の「プロフィール設定」で変更できます。";
