//! Every mail the portal sends: subjects from the manual, plain-text Japanese bodies.
//! Links are built from PUBLIC_URL only.

use super::outbox::Mail;
use super::Config;

pub const SUBJECT_M1: &str = "利用登録手続きのご案内";
pub const SUBJECT_M2: &str = "本人確認完了のご案内";
pub const SUBJECT_M3: &str = "利用登録完了のご案内";
pub const SUBJECT_ALREADY_REGISTERED: &str = "ご登録済みのメールアドレスです";
pub const SUBJECT_NOT_STARTED: &str = "利用登録を開始できませんでした";

fn footer(config: &Config) -> String {
    format!(
        "\n――――――――――――――――――――\n{product}\n{society}\n＜問合先＞ {contact}\n※このメールは送信専用のアドレスから送信しています。ご返信いただいてもお答えできません。\n※お心当たりのない場合は、このメールを破棄してください。\n",
        product = crate::PRODUCT_NAME,
        society = config.society_name,
        contact = config.society_contact,
    )
}

fn url(config: &Config, path: &str) -> String {
    format!("{}{path}", config.public_url)
}

pub fn m1_invitation(config: &Config, to: &str, token: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: SUBJECT_M1.into(),
        body: format!(
            "{product}の利用登録のお申し込みを受け付けました。\n\n下記のURLをクリックし、画面の案内にそって本人確認を行ってください。\n{link}\n\n・本人確認では、このメールを受信したメールアドレス、健康保険の記号・番号、生年月日、認証文字を入力します。\n・URLの有効期限は24時間です。一度だけ使えます。期限が切れた場合は、もう一度「新規利用登録」からお手続きください。\n{footer}",
            product = crate::PRODUCT_NAME,
            link = url(config, &format!("/register/verify/{token}")),
            footer = footer(config),
        ),
    }
}

pub fn m2_identity_confirmed(config: &Config, to: &str, token: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: SUBJECT_M2.into(),
        body: format!(
            "本人確認が完了しました。\n\n下記のURLをクリックし、本人確認の画面に表示された「認証キー」（数字4桁）を入力してください。\n{link}\n\n・URLの有効期限は30分です。一度だけ使えます。\n・認証キーを5回まちがえると、この手続きは無効になります。その場合は、もう一度「新規利用登録」からお手続きください。\n{footer}",
            link = url(config, &format!("/register/confirm/{token}")),
            footer = footer(config),
        ),
    }
}

pub fn m3_registration_complete(config: &Config, to: &str, login_id: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: SUBJECT_M3.into(),
        body: format!(
            "{product}の利用登録が完了しました。\n\nログインID： {login_id}\n\n下記のURLからログインしてください（お気に入りに登録すると次回からスムーズです）。\n{link}\n\nパスワードはお知らせしていません。お忘れの場合は、ログイン画面の「ログインID・パスワード忘れた方はこちら」からお手続きください。\n{footer}",
            product = crate::PRODUCT_NAME,
            link = url(config, "/"),
            footer = footer(config),
        ),
    }
}

pub fn already_registered(config: &Config, to: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: SUBJECT_ALREADY_REGISTERED.into(),
        body: format!(
            "「新規利用登録」のお申し込みを受け付けましたが、このメールアドレスは既に{product}に登録されています。\n\nログインはこちら：\n{login}\n\nログインID・パスワードをお忘れの場合はこちら：\n{forgot}\n{footer}",
            product = crate::PRODUCT_NAME,
            login = url(config, "/"),
            forgot = url(config, "/forgot"),
            footer = footer(config),
        ),
    }
}

pub fn registration_not_started(config: &Config, to: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: SUBJECT_NOT_STARTED.into(),
        body: format!(
            "「新規利用登録」のお申し込みを受け付けましたが、このメールアドレスでは利用登録を開始できませんでした。\n\n・会社メールアドレスをお使いの方は、入力したアドレスに誤りがないかご確認ください。\n・会社メールアドレスをお持ちでない方、任意継続・特例退職の方、紙でログインID・仮パスワードの通知を受けた方は、下記の「ログイン・パスワード問い合わせ専用フォーム」からお問い合わせください。\n{inquiry}\n{footer}",
            inquiry = url(config, "/inquiry"),
            footer = footer(config),
        ),
    }
}

pub fn account_locked(config: &Config, to: &str, minutes: i64) -> Mail {
    Mail {
        to: to.into(),
        subject: crate::text::login::LOCK_MAIL_SUBJECT.into(),
        body: format!(
            "{product}へのログインに続けて失敗したため、お客様のログインIDを一時的にロックしました（{minutes}分間）。\n\nお心当たりがない場合は、第三者がログインを試みた可能性があります。下記からパスワードを再設定してください。\n{forgot}\n{footer}",
            product = crate::PRODUCT_NAME,
            forgot = url(config, "/forgot"),
            footer = footer(config),
        ),
    }
}

pub fn email_confirmation(config: &Config, to: &str, token: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: crate::text::settings::SUBJECT_EMAIL_CONFIRM.into(),
        body: format!(
            "{product}の「プロフィール設定」で、このメールアドレスが登録されようとしています。\n\n下記のURLをクリックし、画面の「確認」をクリックすると登録が完了します。\n{link}\n\n・URLの有効期限は24時間です。一度だけ使えます。\n・お心当たりのない場合は、このメールを破棄してください。メールアドレスは登録されません。\n{footer}",
            product = crate::PRODUCT_NAME,
            link = url(config, &format!("/profile/email/{token}")),
            footer = footer(config),
        ),
    }
}

/// To the address 1 in effect before a change of the member's addresses.
pub fn email_changed(config: &Config, to: &str, label: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: crate::text::settings::SUBJECT_EMAIL_CHANGED.into(),
        body: format!(
            "{product}に登録されている{label}が変更されました。\n\nお心当たりがない場合は、第三者がログインした可能性があります。速やかに下記からパスワードを再設定し、お問い合わせください。\n{forgot}\n{footer}",
            product = crate::PRODUCT_NAME,
            forgot = url(config, "/forgot"),
            footer = footer(config),
        ),
    }
}

/// After パスワード変更 or a reset through ログインID・パスワード忘れた方.
pub fn password_changed(config: &Config, to: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: crate::text::settings::SUBJECT_PASSWORD_CHANGED.into(),
        body: format!(
            "{product}のパスワードが変更されました。ほかの端末でのログインは終了しています。\n\nお心当たりがない場合は、第三者がログインした可能性があります。速やかに下記からパスワードを再設定し、お問い合わせください。\n{forgot}\n{footer}",
            product = crate::PRODUCT_NAME,
            forgot = url(config, "/forgot"),
            footer = footer(config),
        ),
    }
}
