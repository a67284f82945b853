//! ログイン and ホーム: the words of the screens.

pub const TITLE: &str = "ログイン";
pub const LOGIN_ID: &str = "ログインID";
pub const PASSWORD: &str = "パスワード";
pub const LOGIN: &str = "ログイン";
pub const REGISTER_LINK: &str = "新規利用登録";
pub const FORGOT_LINK: &str = "ログインID・パスワード忘れた方はこちら";
pub const INQUIRY_LINK: &str = "ログイン・パスワード問い合わせ専用フォーム";
/// Before the inquiry link (manual section 6 (2)).
pub const UNSURE_PREFIX: &str = "新規登録がご不明な方・紙の通知を紛失された方：";
pub const QR_TITLE: &str = "スマートフォンからのアクセス";
pub const QR_HINT: &str =
    "このQRコードを読み取ると、スマートフォンでログイン画面を開けます（お気に入りに登録すると次回からスムーズです）。";
pub const WRONG: &str = "ログインIDまたはパスワードが正しくありません。";
pub const WAIT: &str = "ログインに続けて失敗したため、しばらく時間をおいてから再度お試しください。";
pub const LOCKED: &str = "ログインに続けて失敗したため、このログインIDは一時的にロックされています。しばらく時間をおいてから再度お試しいただくか、「ログインID・パスワード忘れた方はこちら」からパスワードを再設定してください。";
pub const REQUIRED_ID: &str = "ログインIDを入力してください。";
pub const REQUIRED_PASSWORD: &str = "パスワードを入力してください。";
pub const TEMP_EXPIRED: &str = "仮パスワードの有効期限が切れています。お手数ですが「ログイン・パスワード問い合わせ専用フォーム」から仮パスワードの再発行をお申し込みください。";
pub const SESSION_ENDED: &str = "一定時間操作がなかったか、ログアウトしたため、ログインし直してください。";

pub const HOME_TITLE: &str = "ホーム";
pub const GREETING_SUFFIX: &str = "さん";
pub const NAME_HINT: &str =
    "被保険者ご自身の名前になっていることを確認してください。万が一、違う名前が表示された場合は、速やかに下記までご連絡ください。";
pub const NOTICES: &str = "健保からのお知らせ";
pub const NO_NOTICES: &str = "現在、お知らせはありません。";
pub const MENU: &str = "メニュー";
pub const PROFILE: &str = "プロフィール設定";
pub const PASSWORD_CHANGE: &str = "パスワード変更";
pub const LOGOUT: &str = "ログアウト";
pub const NOTICE_BACK: &str = "ホームへ戻る";
pub const NOTICE_GONE: &str = "このお知らせは表示できません（掲載が終了したか、取り下げられました）。";
pub const IMPORTANT: &str = "重要";
