//! 医療費のお知らせ: the page, its PDF for the 医療費控除 and the print page.

pub const TITLE: &str = "医療費のお知らせ";
pub const HOME_LATEST: &str = "診療分まで掲載しています。";
pub const HOME_NONE: &str = "まだ掲載している医療費のお知らせはありません。";
pub const HOME_OPEN: &str = "医療費のお知らせを見る";
pub const LEAD: &str =
    "医療機関等から健康保険組合に届いた診療報酬明細書（レセプト）をもとに、ご家族（同じ記号・番号の方）の医療費をお知らせします。";
pub const NONE: &str = "掲載している医療費のお知らせはありません。医療費のお知らせは、診療月のおよそ2〜3か月後に掲載されます。";
pub const YEAR: &str = "年（診療年）";
pub const PATIENT: &str = "受診者";
pub const EVERYONE: &str = "すべての方";
pub const SHOW: &str = "表示する";
pub const COVERED: &str = "を掲載しています。";
pub const COVERED_LATER: &str = "それ以降の診療分は、処理が済みしだい掲載します。年間の合計は、掲載している月までの合計です。";
pub const COVERED_NONE: &str = "この年の診療分は、まだ掲載していません。";
pub const TOTALS: &str = "受診者ごとの合計";
pub const TOTAL: &str = "合計";
pub const LINES_COUNT: &str = "件数";
pub const MONTH_SUFFIX: &str = "診療分";
pub const COL_MONTH: &str = "療養を受けた年月";
pub const COL_PATIENT: &str = "療養を受けた者";
pub const COL_FACILITY: &str = "療養を受けた病院・診療所・薬局等の名称";
pub const COL_FACILITY_SHORT: &str = "医療機関等";
pub const COL_CATEGORY: &str = "区分";
pub const COL_DAYS: &str = "日数";
pub const COL_TOTAL_COST: &str = "医療費の額（10割）";
pub const COL_SELF_PAY: &str = "被保険者等が支払った医療費の額";
pub const COL_SELF_PAY_SHORT: &str = "自己負担額";
pub const NO_FACILITY: &str = "（名称なし）";
pub const DAYS_SUFFIX: &str = "日";
pub const DOWNLOADS: &str = "医療費控除の申告に使う";
pub const PDF: &str = "医療費控除用（PDF）";
pub const PDF_WITH_NUMBER: &str = "記号・番号を表示したPDF";
pub const PDF_HINT: &str = "確定申告の「医療費控除の明細書」に添付できる、この年の医療費通知です。記号・番号は「*」で隠しています（税務署への提出では隠すよう案内されています）。";
pub const PRINT: &str = "印刷用ページ";
pub const NOTES: &str = "ご注意ください";
pub const NOTE_CLAIMS: &str = "金額は、医療機関等から健康保険組合に届いた診療報酬明細書（レセプト）にもとづくものです。端数処理などにより、医療機関等の窓口で支払った額（領収書の金額）と異なることがあります。";
pub const NOTE_SUBSIDY: &str = "公費負担医療や、お住まいの自治体の医療費助成を受けた分は反映されていません。実際に支払った額と異なる場合は、領収書の金額で申告してください。";
pub const NOTE_FACILITY: &str = "医療機関等の名称がない行は、そのままでは医療費控除の申告に使えません。領収書などで名称を補ってください。";
pub const NOTE_LATE: &str = "医療機関等からの請求が遅れた診療分は、後の月に掲載されることがあります。";
pub const NOTE_BENEFITS: &str =
    "高額療養費・付加給付などの給付金を受け取った場合は、医療費控除の申告で「保険金などで補填される金額」として差し引いてください。";
pub const NOTE_PRIVATE: &str = "このページの内容は、記号・番号が同じご家族の分です。メールには金額や受診内容は記載しません。";

// The PDF and the print page: the six items the tax rules name for a 医療費通知.
pub fn pdf_title(year: i32) -> String {
    format!("医療費のお知らせ（{year}年分）")
}
pub const ITEM_INSURED: &str = "被保険者等の氏名";
pub const ITEM_NUMBER: &str = "記号・番号";
pub const ITEM_INSURER: &str = "保険者の名称";
pub const ITEM_PERIOD: &str = "対象期間";
pub const ITEM_CONTACT: &str = "お問い合わせ先";
pub const ITEM_ISSUED: &str = "作成日";
pub const PDF_LEAD: &str = "この通知は、健康保険組合が医療機関等からの診療報酬明細書（レセプト）にもとづいて作成した医療費通知です。確定申告の医療費控除の明細書として使うことができます。";
pub const PDF_SUBTOTAL: &str = "小計";
pub const PDF_TOTAL: &str = "合計";
