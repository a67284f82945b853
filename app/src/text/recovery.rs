//! ログインID・パスワード忘れた方 and the inquiry form: the words of the screens and mails.

pub const FORGOT_TITLE: &str = "ログインID・パスワード忘れた方";
pub const FORGOT_LEAD: &str = "登録のメールアドレスを入力し、「送信」をクリックしてください。ログインIDと、パスワードを再設定するためのURLをメールでお知らせします。";
pub const FORGOT_EMAIL: &str = "登録のメールアドレス";
pub const FORGOT_EMAIL_HINT: &str = "プロフィール設定で登録したメールアドレス1～3のいずれか";
pub const SEND: &str = "送信";
pub const FORGOT_SENT_TITLE: &str = "メール送信完了";
pub const FORGOT_SENT: &str = "入力されたメールアドレス宛にメールを送信しました。";
pub const FORGOT_SENT_NEXT: &str = "メールに記載されているURLから、30分以内にパスワードを再設定してください。メールが届かない場合は、迷惑メールフォルダをご確認いただくか、下記のフォームからお問い合わせください。";
pub const TOO_MANY: &str = "短時間に多くのお申し込みがありました。しばらく時間をおいてから、もう一度お試しください。";

pub const RESET_TITLE: &str = "パスワード再設定";
pub const RESET_LEAD: &str = "新しいパスワードを入力し、「登録」をクリックしてください。";
pub const NEW_PASSWORD: &str = "新しいパスワード";
pub const CONFIRM_PASSWORD: &str = "パスワード確認";
pub const RESET_DONE_TITLE: &str = "パスワード再設定完了";
pub const RESET_DONE: &str = "パスワードを再設定しました。新しいパスワードでログインしてください。";
pub const RESET_LINK_INVALID: &str = "このURLは有効期限（30分）が切れているか、既に使用されています。お手数ですが、もう一度「ログインID・パスワード忘れた方はこちら」からお手続きください。";
pub const FORGOT_AGAIN: &str = "ログインID・パスワード忘れた方はこちら";

pub const SUBJECT_RESET: &str = "ログインID・パスワード再設定のご案内";
pub const SUBJECT_RESET_UNKNOWN: &str = "ログインID・パスワード再設定のお申し込みについて";

pub const INQUIRY_TITLE: &str = "ログイン・パスワード問い合わせ専用フォーム";
pub const INQUIRY_LEAD: &str = "新規登録ができない方、ログインID・パスワードがわからない方、紙の通知を紛失した方はこちらからお問い合わせください。内容を確認のうえ、健康保険組合からご連絡します。";
pub const NAME: &str = "氏名";
pub const NAME_HINT: &str = "保険証に記載の氏名（例：健保 太郎）";
pub const CONTACT_EMAIL: &str = "連絡先メールアドレス";
pub const CONTACT_EMAIL_HINT: &str = "受付のお知らせと回答をお送りします。";
pub const PHONE: &str = "電話番号";
pub const PHONE_HINT: &str = "任意。日中に連絡のつく番号（例：03-1234-5678）";
pub const KIND: &str = "種別";
pub const KIND_CHOOSE: &str = "選択してください";
pub const BODY: &str = "内容";
pub const BODY_HINT: &str = "お困りの内容を具体的にご記入ください（2000文字以内）。パスワードは書かないでください。";
pub const INQUIRY_SEND: &str = "送信";
pub const INQUIRY_SENT_TITLE: &str = "お問い合わせ受付完了";
pub const INQUIRY_SENT: &str = "お問い合わせを受け付けました。";
pub const INQUIRY_REFERENCE: &str = "受付番号";
pub const INQUIRY_SENT_NEXT: &str = "連絡先メールアドレス宛に受付のお知らせを送信しました。健康保険組合からの連絡をお待ちください。";
pub const INQUIRY_TOO_MANY: &str = "短時間に多くのお問い合わせがありました。しばらく時間をおいてから、もう一度お試しいただくか、お電話でお問い合わせください。";

pub const SUBJECT_INQUIRY_ACK: &str = "お問い合わせを受け付けました";
pub const SUBJECT_INQUIRY_STAFF: &str = "【問い合わせ】";
