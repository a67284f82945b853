//! Every mail's words: the subjects from the manual, the plain-text Japanese bodies. The links
//! and the footer's contact are put in by `backend::mail::letters` (from PUBLIC_URL and the
//! society's settings).

use std::fmt::Display;

pub const SUBJECT_M1: &str = "利用登録手続きのご案内";
pub const SUBJECT_M2: &str = "本人確認完了のご案内";
pub const SUBJECT_M3: &str = "利用登録完了のご案内";
pub const SUBJECT_ALREADY_REGISTERED: &str = "ご登録済みのメールアドレスです";
pub const SUBJECT_NOT_STARTED: &str = "利用登録を開始できませんでした";
pub const SUBJECT_RESET: &str = "ログインID・パスワード再設定のご案内";
pub const SUBJECT_RESET_UNKNOWN: &str = "ログインID・パスワード再設定のお申し込みについて";
pub const SUBJECT_INQUIRY_ACK: &str = "お問い合わせを受け付けました";
pub const SUBJECT_INQUIRY_STAFF: &str = "【問い合わせ】";
pub const SUBJECT_EMAIL_CONFIRM: &str = "メールアドレス確認のお願い";
pub const SUBJECT_EMAIL_CHANGED: &str = "メールアドレス変更のお知らせ";
pub const SUBJECT_PASSWORD_CHANGED: &str = "パスワード変更のお知らせ";
pub const SUBJECT_TWO_STEP: &str = "2段階認証の設定変更のお知らせ";
pub const SUBJECT_WITHDRAWN: &str = "退会手続き完了のお知らせ";
pub const SUBJECT_LOCKED: &str = "ログインの一時ロックのお知らせ";
pub const SUBJECT_TEMP_PASSWORD: &str = "仮パスワード発行のお知らせ";
pub const SUBJECT_LOGIN_ID: &str = "ログインIDのお知らせ";
pub const SUBJECT_STAFF_SETUP: &str = "職員アカウント設定のご案内";
pub const SUBJECT_INQUIRY_REPLY: &str = "お問い合わせへの回答";
pub const SUBJECT_MEDICAL_PUBLISHED: &str = "医療費のお知らせを掲載しました";
pub const SUBJECT_QUALIFICATION_PUBLISHED: &str = "資格情報のお知らせを掲載しました";
pub const SUBJECT_BENEFITS_PUBLISHED: &str = "給付金のお知らせを掲載しました";

/// The end of every mail: the product, the society and where to ask.
pub fn footer(society: impl Display, contact: impl Display) -> String {
    format!(
        "\n――――――――――――――――――――\n{product}\n{society}\n＜問合先＞ {contact}\n※このメールは送信専用のアドレスから送信しています。ご返信いただいてもお答えできません。\n※お心当たりのない場合は、このメールを破棄してください。\n",
        product = super::PRODUCT_NAME
    )
}

pub const TWO_STEP_ENABLED: &str = "2段階認証を設定しました。次回からのログインでは、パスワードに加えて認証アプリの確認コードが必要です。";
pub const TWO_STEP_BACKUP_CODES: &str = "2段階認証のバックアップコードを再発行しました。これまでのバックアップコードは使えません。";
pub const PASSKEY_ADDED: &str = "パスキーを登録しました。次回から、このパスキーでログインできます。";
pub const PASSKEY_REMOVED: &str = "パスキーを削除しました。削除したパスキーではログインできません。";
pub const TWO_STEP_DISABLED: &str = "2段階認証を解除しました。ログインにはパスワードのみが必要になります。";
pub const TWO_STEP_RESET_BY_STAFF: &str = "2段階認証を、お問い合わせにより健康保険組合が解除しました。ログイン中の端末はすべてログアウトしています。必要に応じて、ログイン後に設定し直してください。";
/// The inquiry mail to the society when the member gave no phone number.
pub const NO_PHONE: &str = "（なし）";
pub const CATEGORY_NO_STOP_IN_TEST: &str = "（職員のテスト送信のため、配信停止のリンクはありません）";

/// The one-click stop of a 配信メール category.
pub fn category_stop(label: impl Display, link: impl Display) -> String {
    format!("「{label}」の配信停止（ログインは不要です）：\n{link}")
}

/// `server send-test-mail`
pub fn test_mail_subject() -> String {
    format!("【{}】テストメール", super::PRODUCT_NAME)
}

pub fn test_mail(society: impl Display) -> String {
    format!(
        "{product} の送信設定を確認するためのテストメールです。\nこのメールが届いていれば、メール送信は正しく設定されています。\n\n{society}\n",
        product = super::PRODUCT_NAME
    )
}

pub fn m1_invitation(link: impl Display, footer: impl Display) -> String {
    format!("{product}の利用登録のお申し込みを受け付けました。\n\n下記のURLをクリックし、画面の案内にそって本人確認を行ってください。\n{link}\n\n・本人確認では、このメールを受信したメールアドレス、健康保険の記号・番号、生年月日、認証文字を入力します。\n・URLの有効期限は24時間です。一度だけ使えます。期限が切れた場合は、もう一度「新規利用登録」からお手続きください。\n{footer}", product = super::PRODUCT_NAME)
}

pub fn m2_identity_confirmed(link: impl Display, footer: impl Display) -> String {
    format!("本人確認が完了しました。\n\n下記のURLをクリックし、本人確認の画面に表示された「認証キー」（数字4桁）を入力してください。\n{link}\n\n・URLの有効期限は30分です。一度だけ使えます。\n・認証キーを5回まちがえると、この手続きは無効になります。その場合は、もう一度「新規利用登録」からお手続きください。\n{footer}")
}

pub fn m3_registration_complete(login_id: impl Display, link: impl Display, footer: impl Display) -> String {
    format!("{product}の利用登録が完了しました。\n\nログインID： {login_id}\n\n下記のURLからログインしてください（お気に入りに登録すると次回からスムーズです）。\n{link}\n\nパスワードはお知らせしていません。お忘れの場合は、ログイン画面の「ログインID・パスワード忘れた方はこちら」からお手続きください。\n{footer}", product = super::PRODUCT_NAME)
}

pub fn already_registered(login: impl Display, forgot: impl Display, footer: impl Display) -> String {
    format!("「新規利用登録」のお申し込みを受け付けましたが、このメールアドレスは既に{product}に登録されています。\n\nログインはこちら：\n{login}\n\nログインID・パスワードをお忘れの場合はこちら：\n{forgot}\n{footer}", product = super::PRODUCT_NAME)
}

pub fn registration_not_started(inquiry: impl Display, footer: impl Display) -> String {
    format!("「新規利用登録」のお申し込みを受け付けましたが、このメールアドレスでは利用登録を開始できませんでした。\n\n・会社メールアドレスをお使いの方は、入力したアドレスに誤りがないかご確認ください。\n・会社メールアドレスをお持ちでない方、任意継続・特例退職の方、紙でログインID・仮パスワードの通知を受けた方は、下記の「ログイン・パスワード問い合わせ専用フォーム」からお問い合わせください。\n{inquiry}\n{footer}")
}

pub fn account_locked(minutes: impl Display, forgot: impl Display, footer: impl Display) -> String {
    format!("{product}へのログインに続けて失敗したため、お客様のログインIDを一時的にロックしました（{minutes}分間）。\n\nお心当たりがない場合は、第三者がログインを試みた可能性があります。下記からパスワードを再設定してください。\n{forgot}\n{footer}", product = super::PRODUCT_NAME)
}

pub fn email_confirmation(link: impl Display, footer: impl Display) -> String {
    format!("{product}の「プロフィール設定」で、このメールアドレスが登録されようとしています。\n\n下記のURLをクリックし、画面の「確認」をクリックすると登録が完了します。\n{link}\n\n・URLの有効期限は24時間です。一度だけ使えます。\n・お心当たりのない場合は、このメールを破棄してください。メールアドレスは登録されません。\n{footer}", product = super::PRODUCT_NAME)
}

/// To the address 1 in effect before a change of the member's addresses.
pub fn email_changed(label: impl Display, forgot: impl Display, footer: impl Display) -> String {
    format!("{product}に登録されている{label}が変更されました。\n\nお心当たりがない場合は、第三者がログインした可能性があります。速やかに下記からパスワードを再設定し、お問い合わせください。\n{forgot}\n{footer}", product = super::PRODUCT_NAME)
}

/// After パスワード変更 or a reset through ログインID・パスワード忘れた方.
pub fn password_changed(forgot: impl Display, footer: impl Display) -> String {
    format!("{product}のパスワードが変更されました。ほかの端末でのログインは終了しています。\n\nお心当たりがない場合は、第三者がログインした可能性があります。速やかに下記からパスワードを再設定し、お問い合わせください。\n{forgot}\n{footer}", product = super::PRODUCT_NAME)
}

pub fn two_step_changed(sentence: impl Display, forgot: impl Display, footer: impl Display) -> String {
    format!("{product}の{sentence}\n\nお心当たりがない場合は、第三者がログインした可能性があります。速やかに下記からパスワードを再設定し、お問い合わせください。\n{forgot}\n{footer}", product = super::PRODUCT_NAME)
}

pub fn withdrawn(register: impl Display, footer: impl Display) -> String {
    format!("{product}の退会手続きが完了しました。ログインID・パスワード・登録されていたメールアドレスと配信メール設定は削除され、今後このサービスからのメールは届きません。健康保険の資格には影響ありません。\n\nもう一度ご利用になる場合は、新規利用登録からお手続きください。\n{register}\n\nお心当たりがない場合は、第三者がログインした可能性があります。速やかに下記までご連絡ください。\n{footer}", product = super::PRODUCT_NAME)
}

pub fn password_reset(login_id: impl Display, link: impl Display, footer: impl Display) -> String {
    format!("「ログインID・パスワード忘れた方はこちら」のお申し込みを受け付けました。\n\nログインID： {login_id}\n\nパスワードを再設定する場合は、下記のURLをクリックし、新しいパスワードを登録してください。\n{link}\n\n・URLの有効期限は30分です。一度だけ使えます。\n・パスワードを再設定すると、ログイン中の端末はすべてログアウトされます。\n・お心当たりのない場合は、このメールを破棄してください。パスワードは変更されません。\n{footer}")
}

pub fn password_reset_unknown(inquiry: impl Display, footer: impl Display) -> String {
    format!("「ログインID・パスワード忘れた方はこちら」のお申し込みを受け付けましたが、このメールアドレスは{product}に登録されていません。\n\n・プロフィール設定で登録したメールアドレス（メールアドレス1～3）でお試しください。\n・登録したメールアドレスがわからない方、紙の通知を紛失した方は、下記の「ログイン・パスワード問い合わせ専用フォーム」からお問い合わせください。\n{inquiry}\n{footer}", product = super::PRODUCT_NAME)
}

/// To the society's inbox: everything the member typed, to answer them (one value a line).
#[allow(clippy::too_many_arguments)]
pub fn inquiry_to_staff(
    reference: impl Display,
    kind: impl Display,
    name: impl Display,
    kigo: impl Display,
    bango: impl Display,
    birth: impl Display,
    email: impl Display,
    phone: impl Display,
    body: impl Display,
) -> String {
    format!("{product}の「ログイン・パスワード問い合わせ専用フォーム」からお問い合わせがありました。\n\n受付番号： {reference}\n種別： {kind}\n氏名： {name}\n記号・番号： {kigo}-{bango}\n生年月日： {birth}\n連絡先メールアドレス： {email}\n電話番号： {phone}\n\n内容：\n{body}\n\n※対応後は `server inquiries --close {reference}` で完了にしてください。\n", product = super::PRODUCT_NAME)
}

/// To the member: the reference only. Nothing typed in the form is echoed, so the form
/// cannot be used to send someone else a text of one's choosing.
pub fn inquiry_received(reference: impl Display, kind: impl Display, society: impl Display, footer: impl Display) -> String {
    format!("{product}の「ログイン・パスワード問い合わせ専用フォーム」へのお問い合わせを受け付けました。\n\n受付番号： {reference}\n種別： {kind}\n\n内容を確認のうえ、{society}からご連絡します。お電話でお問い合わせの際は、受付番号をお伝えください。\n{footer}", product = super::PRODUCT_NAME)
}

/// `send-test-mail`: proves the SMTP settings.
/// 職員画面: a temporary password was issued for a registered member (the password itself goes by letter).
pub fn temp_password_issued(society: impl Display, login: impl Display, footer: impl Display) -> String {
    format!("{society}で、{product}の仮パスワードを発行しました。これまでのパスワードは使えなくなりました。\n\n郵送でお届けする通知書に記載の仮パスワードでログインし、新しいパスワードを設定してください。\n{login}\n\nお心当たりがない場合は、下記の問合先までご連絡ください。\n{footer}", product = super::PRODUCT_NAME)
}

/// 職員画面: the member asked for their login ID (by phone, or through the inquiry form).
pub fn login_id_notice(login_id: impl Display, login: impl Display, footer: impl Display) -> String {
    format!("お問い合わせいただいた{product}のログインIDをお知らせします。\n\nログインID：{login_id}\n\nログインはこちらから。\n{login}\n\nパスワードがわからない場合は、ログイン画面の「ログインID・パスワードを忘れた方」から再設定してください。\n{footer}", product = super::PRODUCT_NAME)
}

/// A staff login ID locked by failures: staff have no self-service reset, a 管理者 resets them.
pub fn staff_account_locked(minutes: impl Display, footer: impl Display) -> String {
    format!("{product}の職員画面へのログインに続けて失敗したため、このログインIDを一時的にロックしました（{minutes}分間）。\n\nお心当たりがない場合は、第三者がログインを試みた可能性があります。管理者に連絡し、パスワードと認証アプリの再設定を依頼してください。\n{footer}", product = super::PRODUCT_NAME)
}

/// 職員管理: the one-time link to set up a staff account (password and authenticator).
pub fn staff_setup(name: impl Display, link: impl Display, footer: impl Display) -> String {
    format!("{name} 様\n\n{product}の職員画面のアカウントが用意されました。下記のURLから、パスワードと認証アプリ（2段階認証）を設定してください。\n{link}\n\n・URLの有効期限は24時間です。一度だけ使えます。\n・認証アプリ（Google Authenticator、Microsoft Authenticator など）をスマートフォンにご用意ください。\n{footer}", product = super::PRODUCT_NAME)
}

/// 問い合わせ: the society's answer, kept with the inquiry. The reference is in the subject so
/// the member's reply (to the society's address) can be matched.
pub fn inquiry_reply(
    name: impl Display,
    society: impl Display,
    reference: impl Display,
    answer: impl Display,
    login: impl Display,
    footer: impl Display,
) -> String {
    format!(
        "{name} 様\n\n{society}です。お問い合わせ（受付番号 {reference}）にお答えします。\n\n{answer}\n\n{product}：{login}\n{footer}",
        product = super::PRODUCT_NAME
    )
}

/// 配信メール: the society's text for one 配信メール設定 category, with where to change the
/// setting and (for a member) the link that stops this category without logging in.
/// `unsubscribe` is `None` in the test a staff member sends to themself.
pub fn category_mail(body: impl Display, label: impl Display, profile: impl Display, stop: impl Display, footer: impl Display) -> String {
    format!("{body}\n\n――――――――――――――――――――\nこのメールは、{product}の配信メール設定で「{label}」を受け取る設定の方にお送りしています。\n配信メール設定の変更（ログイン後の「プロフィール設定」）：\n{profile}\n{stop}\n{footer}", product = super::PRODUCT_NAME)
}

/// The 医療費通知 mail of a published batch: that it is there, never what it says (amounts,
/// facilities and 受診者 stay behind the login).
pub fn benefits_published(link: impl Display) -> String {
    format!("{product}に、新しい「給付金支給決定通知書」を掲載しました。\n\nログインしてご確認ください。\n{link}\n\n・給付の種類や金額、受診された方などは、このメールには記載していません。", product = super::PRODUCT_NAME)
}

pub fn qualification_published(link: impl Display) -> String {
    format!("{product}に、新しい「資格情報のお知らせ」を掲載しました。\n\nご加入の内容（記号・番号・枝番、氏名、資格取得日など）に変更があったか、新しくご家族が加入されました。ログインしてご確認ください。\n{link}\n\n・ご加入の内容は、このメールには記載していません。\n・「資格情報のお知らせ」は保険証ではありません。医療機関等ではマイナ保険証をご利用ください。", product = super::PRODUCT_NAME)
}

pub fn medical_published(link: impl Display) -> String {
    format!("{product}に、新しい「医療費のお知らせ」を掲載しました。\n\nログインしてご確認ください。\n{link}\n\n・医療費の金額や受診内容は、このメールには記載していません。\n・医療費控除の申告に使える「医療費控除用（PDF）」も、同じページからダウンロードできます。", product = super::PRODUCT_NAME)
}
