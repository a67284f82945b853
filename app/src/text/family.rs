//! ご家族 and 資格情報のお知らせ: the pages and the PDF.

pub const FAMILY_TITLE: &str = "ご家族";
pub const FAMILY_LEAD: &str = "健康保険組合に登録されている、あなたの記号・番号のご家族（被保険者本人と被扶養者）です。";
pub const FAMILY_CORRECTIONS: &str =
    "内容に誤りがある場合や、ご家族の加入・脱退（就職、結婚、出生など）があった場合は、勤務先の担当部署を通じて届出をしてください。ご不明な点は";
pub const FAMILY_CORRECTIONS_LINK: &str = "お問い合わせ";
pub const FAMILY_CORRECTIONS_END: &str = "からご連絡ください。";
pub const FAMILY_NONE: &str = "登録されている被扶養者はいません。";
pub const COL_NAME: &str = "氏名";
pub const COL_RELATION: &str = "続柄";
pub const COL_BRANCH: &str = "枝番";
pub const COL_BIRTH: &str = "生年月日";
pub const COL_ACQUIRED: &str = "資格取得日";
pub const COL_STATE: &str = "状態";
pub const COVERED: &str = "加入中";
pub const LOST_ON: &str = "資格喪失";
pub const NOT_GIVEN: &str = "—";
pub const FAMILY_OPEN: &str = "ご家族の登録内容を見る";
pub const QUALIFICATION_OPEN: &str = "資格情報のお知らせを見る";

pub const TITLE: &str = "資格情報のお知らせ";
pub const LEAD: &str = "健康保険の資格情報（保険者番号、記号・番号・枝番など）をお知らせします。加入されたときと、内容が変わったときに新しいお知らせを掲載します。";
pub const NOT_A_CARD: &str = "このお知らせは保険証ではありません。医療機関・薬局では、マイナ保険証（健康保険証として利用登録したマイナンバーカード）をご利用ください。";
pub const MYNA_HOW: &str = "医療機関・薬局でマイナ保険証による確認ができないときは、マイナ保険証とあわせてこのお知らせを窓口でご提示ください。マイナ保険証をお持ちでない方には、健康保険組合から「資格確認書」をお送りしています。ご自身の資格情報は、マイナポータルの「健康保険証」の画面でも確認できます。";
pub const MYNA_LINK: &str = "マイナポータル（資格情報の確認）";
/// Where マイナポータル shows a person's 健康保険 資格情報.
pub const MYNA_URL: &str = "https://myna.go.jp/";
pub const NONE: &str = "掲載している資格情報のお知らせはありません。名簿に登録されると掲載されます。";
pub const CURRENT: &str = "現在のお知らせ";
pub const HISTORY: &str = "これまでに発行したお知らせ";
pub const HISTORY_NONE: &str = "以前に発行したお知らせはありません。";
pub const ITEM_INSURER_NUMBER: &str = "保険者番号";
pub const ITEM_INSURER_NAME: &str = "保険者名称";
pub const ITEM_KIGO: &str = "記号";
pub const ITEM_BANGO: &str = "番号";
pub const ITEM_BRANCH: &str = "枝番";
pub const ITEM_NAME: &str = "氏名";
pub const ITEM_BIRTH: &str = "生年月日";
pub const ITEM_ACQUIRED: &str = "資格取得年月日";
pub const ITEM_RELATION: &str = "続柄";
pub const ITEM_ISSUED: &str = "発行日";
pub const ITEM_VERSION: &str = "版";
pub const PDF_ONE: &str = "この方のお知らせ（PDF）";
pub const PDF_ALL: &str = "ご家族全員のお知らせ（PDF）";
pub const PDF_HINT: &str = "PDFは、ダウンロードのたびにその時点の内容で作成します。";
pub const HISTORY_PDF: &str = "PDF";
pub const SUPERSEDED: &str = "（以前の版）";
pub const PDF_FOR: &str = "様";

pub fn version_label(version: i64) -> String {
    format!("第{version}版")
}

/// ホーム: how many of the household have a current notice.
pub fn home_count(people: usize) -> String {
    format!("ご家族{people}名分の資格情報のお知らせを掲載しています。")
}

// 給付金支給決定通知書
pub const BENEFITS_TITLE: &str = "給付金支給決定通知書";
pub const BENEFITS_LEAD: &str = "健康保険組合が支給を決定した給付金（高額療養費、付加給付、傷病手当金など）をお知らせします。";
pub const BENEFITS_NONE: &str = "掲載している給付金の支給決定はありません。";
pub const BENEFITS_OPEN: &str = "給付金のお知らせを見る";
pub const BENEFIT_KIND: &str = "給付の種類";
pub const BENEFIT_TARGET: &str = "対象";
pub const BENEFIT_PATIENT: &str = "受診者";
pub const BENEFIT_FACILITY: &str = "医療機関等";
pub const BENEFIT_DECIDED: &str = "決定日";
pub const BENEFIT_AMOUNT: &str = "支給額";
pub const BENEFIT_PAY_ON: &str = "支給予定日";
pub const BENEFIT_ACCOUNT: &str = "振込先";
pub const BENEFIT_INSURED: &str = "被保険者氏名";
pub const BENEFIT_NUMBER: &str = "記号・番号";
pub const BENEFIT_PDF: &str = "通知書（PDF）";
pub const BENEFIT_DETAIL: &str = "詳しく見る";
pub const BENEFIT_LEAD_PDF: &str = "次のとおり支給することを決定しましたので、お知らせします。";
pub const BENEFIT_NOTE_PAY: &str =
    "支給予定日は金融機関の都合により前後することがあります。振込先は口座番号の末尾3桁のみを表示しています。";
pub const BENEFIT_NOTE_TAX: &str = "医療費控除を申告される場合、給付金（高額療養費など）は医療費から差し引いてください。";
pub const BENEFIT_NOTE_NOT_GIVEN: &str = "—";
pub const BENEFITS_BACK: &str = "給付金のお知らせ一覧へ";

/// ホーム: how many decisions the household has.
pub fn benefits_count(n: usize) -> String {
    format!("{n}件の給付金支給決定通知書を掲載しています。")
}

/// ホーム of a member who left: what is still open, and until when.
pub fn read_only(until: &str) -> String {
    format!("資格を喪失されたため、{until}まで、医療費のお知らせ・資格情報のお知らせ・給付金支給決定通知書の閲覧とダウンロードのみご利用いただけます（プロフィールやパスワードの変更などはできません）。")
}
