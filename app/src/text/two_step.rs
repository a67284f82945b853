//! 2段階認証: セキュリティ設定, the code after the password, and the reset link's code.

pub const TITLE: &str = "2段階認証の設定";
pub const LINK: &str = "2段階認証の設定";
pub const LEAD: &str = "2段階認証を設定すると、ログインのたびにパスワードに加えて、スマートフォンの認証アプリ（Google Authenticator、Microsoft Authenticator など）に表示される6桁の確認コードを入力します。パスワードが他人に知られても、不正にログインされるのを防げます。";
pub const REQUIRED_LEAD: &str = "健康保険組合の方針により、2段階認証の設定が必要です。設定が終わるまで、ほかの画面はご利用いただけません。";
pub const ON: &str = "2段階認証：設定済み";
pub const OFF: &str = "2段階認証：未設定";

pub const STEP_SCAN: &str = "1. 認証アプリで次のQRコードを読み取ってください。読み取れない場合は、下のキーを手入力してください。";
pub const QR_ALT: &str = "認証アプリに登録するためのQRコード";
pub const SECRET_LABEL: &str = "手入力用のキー";
pub const STEP_CONFIRM: &str = "2. 認証アプリに表示された6桁の確認コードを入力して、「設定する」を押してください。";
pub const CODE: &str = "確認コード";
pub const CODE_HINT: &str = "認証アプリに表示される6桁の数字";
pub const ENROL: &str = "設定する";
pub const CODE_REQUIRED: &str = "確認コードを入力してください。";
pub const CODE_WRONG: &str = "確認コードが正しくありません。認証アプリに表示されている最新の6桁を入力してください。";

pub const ENROLLED: &str = "2段階認証を設定しました。";
pub const RENEWED: &str = "バックアップコードを再発行しました。これまでのバックアップコードは使えません。";
pub const BACKUP_TITLE: &str = "バックアップコード";
pub const BACKUP_LEAD: &str = "スマートフォンをなくしたときは、確認コードの代わりに次のバックアップコードを1回ずつ使えます。この画面は一度しか表示されません。印刷するか書き写して、大切に保管してください。";
pub const BACKUP_LEFT: &str = "未使用のバックアップコード：";
pub const BACKUP_RENEW: &str = "バックアップコードを再発行する";
pub const BACKUP_RENEW_HINT: &str = "再発行すると、これまでのバックアップコードは使えなくなります。";
pub const TO_PROFILE: &str = "プロフィール設定へ戻る";
pub const TO_HOME: &str = "ホームへ";

pub const DISABLE_TITLE: &str = "2段階認証を解除する";
pub const DISABLE_HINT: &str = "解除には、現在のパスワードと確認コード（またはバックアップコード）が必要です。";
pub const DISABLE: &str = "解除する";
pub const DISABLED: &str = "2段階認証を解除しました。";
pub const REQUIRED_NO_DISABLE: &str = "健康保険組合の方針により、2段階認証は解除できません。";
pub const PASSWORD_REQUIRED: &str = "現在のパスワードを入力してください。";

pub const LOGIN_CODE_TITLE: &str = "確認コードの入力";
pub const LOGIN_CODE_LEAD: &str = "認証アプリに表示されている6桁の確認コードを入力してください。";
pub const LOGIN_CODE_BACKUP: &str = "スマートフォンが手元にない場合は、バックアップコード（10文字）を入力できます。";
pub const LOGIN_CODE_LABEL: &str = "確認コードまたはバックアップコード";
pub const LOGIN_CODE_BUTTON: &str = "ログイン";
pub const LOGIN_CODE_EXPIRED: &str = "確認コードの入力期限が過ぎたか、続けて間違えました。お手数ですが、もう一度ログインしてください。";
pub const LOST_BOTH: &str =
    "認証アプリもバックアップコードも使えない場合は、お問い合わせフォームからご連絡ください。ご本人確認のうえ、2段階認証を解除します。";

pub const RESET_CODE_HINT: &str = "2段階認証を設定しているため、確認コード（またはバックアップコード）も入力してください。";
pub const ALREADY_ON: &str = "2段階認証は既に設定されています。";
pub const NOT_ON: &str = "2段階認証は設定されていません。";
pub const CODES_GONE: &str =
    "バックアップコードは一度だけ表示されます。表示済みのため、もう表示できません。必要な場合は再発行してください。";
pub const REAUTH: &str = "現在のパスワード";
pub const STEP_PASSWORD: &str = "3. 現在のパスワードを入力してください。";
pub const BACKUP_RENEW_NEEDS: &str = "再発行には、現在のパスワードと確認コード（またはバックアップコード）が必要です。";
pub const OTHERS_ENDED: &str = "設定を変更すると、この端末以外のログインは終了します。";
