//! 事前準備 (manual section 1) and the help next to the 記号・番号 fields: the words.

pub const TITLE: &str = "事前準備";
/// The link to this page from the login page and step 1.
pub const LINK: &str = "事前準備（新規利用登録の前にご確認ください）";
pub const LEAD: &str = "新規利用登録の前に、次の2点をご準備ください。";

pub const MAIL_HEADING: &str = "(1) 通知メールを受信できるようにする";
pub const MAIL_TEXT: &str = "健康マイポータルからのメールは、次の通知メールアドレスから届きます。迷惑メールとして振り分けられないよう、このアドレスからのメールを受信できるように設定してください（ドメイン指定受信など）。";

pub const NUMBER_HEADING: &str = "(2) 健康保険の記号・番号を確認する";
pub const NUMBER_TEXT: &str = "登録時の本人確認や、お問い合わせの際に必要です。次のいずれかでご確認ください。";
/// Where to find 記号・番号: (what, how).
pub const NUMBER_WAYS: [(&str, &str); 3] = [
    (
        "マイナポータルで確認する",
        "マイナポータル（デジタル庁）にログインし、「健康保険証」→「資格情報」を選択します。マイナンバーカードをご準備のうえ、スマートフォンからのアクセスがスムーズです。",
    ),
    ("お勤め先の人事システムで確認する", "導入している会社の方は、人事システムの個人情報のメニューからご確認いただけます。"),
    ("お手元の書類で確認する", "資格確認書、または2025年12月1日まで使われていた保険証カードに記載されています。"),
];
pub const FORMAT_HEADING: &str = "入力のしかた";
pub const FORMAT_TEXT: &str = "記号は数字2桁、番号は数字1桁～6桁です（全角で入力しても構いません）。";

pub const RETIREE_HEADING: &str = "任意継続・特例退職の方";
pub const RETIREE_TEXT: &str = "在職中に登録された方は、新たな登録は不要です。これまでのログインIDでログインし、プロフィール設定でメールアドレス1を会社メールアドレス以外の受け取れるメールアドレスに変更してください。";

pub const UNSURE_HEADING: &str = "新規登録がご不明な方";
/// Before the link to the inquiry form.
pub const UNSURE_TEXT: &str = "新規登録がご不明な方は、";
pub const UNSURE_AFTER: &str = "よりお問い合わせください。";

pub const TO_REGISTER: &str = "新規利用登録へ進む";
pub const TO_LOGIN: &str = "ログイン画面へ";

/// The disclosure next to the 記号・番号 fields (step 2, the inquiry form).
pub const HOWTO_SUMMARY: &str = "記号・番号の確認方法";
pub const HOWTO_ITEMS: [&str; 3] = [
    "マイナポータル：「健康保険証」→「資格情報」",
    "お勤め先の人事システム（導入している会社のみ）",
    "資格確認書、または2025年12月1日まで使われていた保険証カード",
];
pub const HOWTO_MORE: &str = "詳しくは「事前準備」（別のタブで開きます）";
