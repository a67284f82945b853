//! ログイン・パスワード問い合わせ専用フォーム: the words of the screen.

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
pub const INQUIRY_TOO_MANY: &str =
    "短時間に多くのお問い合わせがありました。しばらく時間をおいてから、もう一度お試しいただくか、お電話でお問い合わせください。";
