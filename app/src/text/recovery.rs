//! ログインID・パスワード忘れた方 and パスワード再設定: the words of the screens.

pub const FORGOT_TITLE: &str = "ログインID・パスワード忘れた方";
pub const FORGOT_LEAD: &str =
    "登録のメールアドレスを入力し、「送信」をクリックしてください。ログインIDと、パスワードを再設定するためのURLをメールでお知らせします。";
pub const FORGOT_EMAIL: &str = "登録のメールアドレス";
pub const FORGOT_EMAIL_HINT: &str = "プロフィール設定で登録したメールアドレス1～3のいずれか";
pub const SEND: &str = "送信";
pub const FORGOT_SENT_TITLE: &str = "メール送信完了";
pub const FORGOT_SENT: &str = "入力されたメールアドレス宛にメールを送信しました。";
pub const FORGOT_SENT_NEXT: &str = "メールに記載されているURLから、30分以内にパスワードを再設定してください。メールが届かない場合は、迷惑メールフォルダをご確認いただくか、下記のフォームからお問い合わせください。";

pub const RESET_TITLE: &str = "パスワード再設定";
pub const RESET_LEAD: &str = "新しいパスワードを入力し、「登録」をクリックしてください。";
pub const NEW_PASSWORD: &str = "新しいパスワード";
pub const CONFIRM_PASSWORD: &str = "パスワード確認";
pub const RESET_DONE_TITLE: &str = "パスワード再設定完了";
pub const RESET_DONE: &str = "パスワードを再設定しました。新しいパスワードでログインしてください。";
pub const RESET_LINK_INVALID: &str = "このURLは有効期限（30分）が切れているか、既に使用されています。お手数ですが、もう一度「ログインID・パスワード忘れた方はこちら」からお手続きください。";
