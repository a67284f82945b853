//! 利用規約, 個人情報の取扱い and the agreement to them (step 5, `/consent`).

pub const TERMS_TITLE: &str = "利用規約";
pub const PRIVACY_TITLE: &str = "個人情報の取扱い";
/// Before the version line of a document.
pub const VERSION_PREFIX: &str = "版：";

pub const AGREE_LEAD: &str = "ご利用の前に、次の内容をご確認ください（別のタブで開きます）。";
pub const AGREE_LABEL: &str = "利用規約と個人情報の取扱いに同意します";
pub const AGREE_REQUIRED: &str = "利用規約と個人情報の取扱いをご確認のうえ、同意する場合はチェックを入れてください。";
pub const CHANGED: &str =
    "利用規約または個人情報の取扱いが改定されました。ページを読み込み直し、改定後の内容をご確認のうえ、もう一度同意してください。";

pub const CONSENT_TITLE: &str = "利用規約への同意";
pub const CONSENT_FIRST: &str =
    "健康マイポータルをご利用いただくには、利用規約と個人情報の取扱いへの同意が必要です。内容をご確認のうえ、同意してください。";
pub const CONSENT_CHANGED: &str =
    "利用規約または個人情報の取扱いが改定されました。引き続きご利用いただくには、改定後の内容をご確認のうえ、同意してください。";
pub const CONSENT_BUTTON: &str = "同意して続ける";
pub const DISAGREE: &str = "同意されない場合は、ログアウトしてください。退会の手続きは";
pub const DISAGREE_LINK: &str = "こちら";
pub const DISAGREE_AFTER: &str = "からできます。";
pub const LOGOUT: &str = "ログアウト";
