//! 新規利用登録: the wizard's words.

pub const TITLE: &str = "新規利用登録";

// Step 1
pub const COMPANY_EMAIL: &str = "会社メールアドレス";
pub const SEND: &str = "送信";
pub const STEP1_LEAD: &str = "会社メールアドレスを入力して「送信」をクリックしてください。入力されたメールアドレス宛に、利用登録手続きのご案内（仮ログインのURL）が記載されたメールが送信されます。";
pub const SENT_TITLE: &str = "メール送信完了";
pub const SENT: &str = "入力されたメールアドレス宛にメールを送信しました。";
pub const SENT_NEXT: &str = "「利用登録手続きのご案内」メールに記載されているURLをクリックし、手続きを続けてください。";
pub const NOT_RECEIVED: &str = "メールが受信されない場合";
pub const SPAM_HINT: &str = "迷惑メールフォルダをご確認ください。通知メールアドレス：";

// Step 2
pub const STEP2_TITLE: &str = "本人確認";
pub const STEP2_LEAD: &str = "案内メールを受信した「メールアドレス」と必要事項を入力し、「確認」をクリックしてください。";
pub const EMAIL: &str = "メールアドレス";
pub const EMAIL_HINT: &str = "必ず、案内メールを受信したメールアドレスを入力してください。";
pub const KIGO: &str = "記号";
/// Around the link to 事前準備 on step 1.
pub const STEP1_GUIDE: &str = "登録の前に、";
pub const STEP1_GUIDE_AFTER: &str = "（通知メールの受信設定、記号・番号の確認）をご確認ください。";
pub const KIGO_HINT: &str = "数字2桁";
pub const BANGO: &str = "番号";
pub const BANGO_HINT: &str = "数字1桁～6桁";
pub const BIRTH_DATE: &str = "生年月日";
pub const YEAR: &str = "年";
pub const MONTH: &str = "月";
pub const DAY: &str = "日";
pub const CAPTCHA: &str = "認証文字";
pub const CAPTCHA_HINT: &str = "画像に表示されている文字を入力してください（大文字・小文字は区別しません）。";
pub const CAPTCHA_REFRESH: &str = "画像を変更";
/// The non-visual alternative (the browser proves some work instead).
pub const CAPTCHA_ALTERNATIVE: &str = "画像の文字が読めない方：文字を入力せずに確認する";
pub const CAPTCHA_PROVING: &str = "確認しています。しばらくお待ちください。";
pub const CAPTCHA_PROVED: &str = "確認が完了しました。認証文字の入力は不要です。このまま送信してください。";
pub const CAPTCHA_WRONG: &str = "認証文字が正しくありません。新しい画像の文字を入力してください。";
/// A per-client limit was passed: the form now asks for the 認証文字 as well.
pub const CAPTCHA_REQUIRED: &str = "この通信環境から多くの送信があったため、確認のため認証文字を入力してください。";
pub const CAPTCHA_TOO_MANY: &str = "認証文字の画像の作成が多すぎます。1分ほど待ってから、画面を開き直してください。";
pub const CONFIRM: &str = "確認";
pub const IDENTITY_FAILED: &str = "入力内容に誤りがあるか、本人確認ができませんでした。";

// Step 3
pub const KEY_TITLE: &str = "認証キーの表示";
pub const KEY_LABEL: &str = "認証キー";
pub const KEY_KEEP: &str = "控えておいてください";
pub const KEY_NEXT: &str = "案内メールを受信したメールアドレス宛に「本人確認完了のご案内」が届きます。メールに記載されているURLをクリックし、この認証キーを入力してください（有効期限30分）。";

// Step 4
pub const STEP4_TITLE: &str = "認証キーの入力";
pub const STEP4_LEAD: &str = "本人確認の画面で控えておいた認証キー（数字4桁）を入力し、「認証」をクリックしてください。";
pub const AUTHENTICATE: &str = "認証";
pub const KEY_FORMAT: &str = "認証キーは数字4桁で入力してください。";
pub const KEY_WRONG: &str = "認証キーが正しくありません。";

/// A wrong 認証キー, with the tries left before the registration is spent.
pub fn key_wrong(tries_left: i64) -> String {
    format!("{KEY_WRONG}（あと{tries_left}回まちがえると、この手続きは無効になります）")
}

// Step 5
pub const STEP5_TITLE: &str = "ログインID・パスワードの設定";
pub const STEP5_LEAD: &str =
    "今後ログインの際に使用する任意の「ログインID」、任意の「パスワード」を設定し、「登録」をクリックしてください。";
pub const LOGIN_ID: &str = "ログインID";
pub const LOGIN_ID_HINT: &str = "半角の英小・英大・数字・記号を使用し、8文字以上39文字以内";
pub const PASSWORD: &str = "パスワード";
pub const PASSWORD_HINT: &str = "半角の英小・英大・数字・記号を各1文字以上使用し、10文字以上39文字以内";
pub const PASSWORD_CONFIRM: &str = "パスワード（確認）";
pub const ALLOWED_CHARS: &str = "使用可能文字：a～z、A～Z、0～9、# + , / = ? ! @ * % & ^ ` - .";
pub const ACCOUNT_EMAIL_HINT: &str = "初回ログイン後に、任意のメールアドレスへ変更できます。案内メールを受信したアドレス以外を入力した場合は、そのアドレスに届く確認メールのURLをクリックすると登録されます。";
pub const NICKNAME: &str = "ニックネーム";
pub const REGISTER: &str = "登録";
pub const LOGIN_ID_TAKEN: &str = "このログインIDは既に使われています。別のログインIDを入力してください。";
pub const PASSWORD_COMMON: &str = "このパスワードは推測されやすいため使えません。単語や連続した文字を避けてください。";
pub const STRENGTH: &str = "パスワードの強さ：";
pub const ALREADY_REGISTERED: &str = "この被保険者は既に利用登録されています。ログイン画面からログインしてください。";

// Done
pub const DONE_TITLE: &str = "利用登録完了";
pub const DONE: &str = "利用登録が完了しました。";
pub const DONE_MAIL: &str = "案内メールを受信したメールアドレスに「利用登録完了のご案内」メールが届きます。";
pub const TO_LOGIN: &str = "ログイン";

// Links that cannot be used
pub const LINK_INVALID_TITLE: &str = "このURLは使用できません";
pub const LINK_INVALID: &str =
    "このURLは有効期限が切れているか、既に使用されています。お手数ですが、もう一度「新規利用登録」からお手続きください。";
pub const SPENT: &str =
    "入力の誤りが5回に達したため、この手続きは無効になりました。お手数ですが、もう一度「新規利用登録」からお手続きください。";
pub const START_AGAIN: &str = "新規利用登録をやり直す";
pub const INQUIRY_LINK: &str = "ログイン・パスワード問い合わせ専用フォーム";
pub const PROOF_LIMIT: &str = "文字を読まずに確認する方法は、1時間にご利用いただける回数を超えました。画像の認証文字を入力するか、しばらくたってからお試しください。続けてご利用になれない場合は、お問い合わせフォーム（/inquiry）または健康保険組合の窓口へご連絡ください。";
