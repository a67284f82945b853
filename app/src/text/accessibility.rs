//! ウェブアクセシビリティ方針 (`/accessibility`), in the form societies publish for JIS X 8341-3:2016.

pub const TITLE: &str = "ウェブアクセシビリティ方針";
pub const FOOTER_LINK: &str = "ウェブアクセシビリティ";
pub const POLICY: &str = "健康マイポータルは、年齢や障害の有無、使う端末にかかわらず、すべての加入者の方が利用できるよう、ウェブアクセシビリティの確保と向上に取り組んでいます。";
pub const SCOPE_TITLE: &str = "対象範囲";
pub const SCOPE: &str = "健康マイポータルの加入者向け画面（ログイン、新規利用登録、ホーム、医療費のお知らせ、資格情報のお知らせ、給付金のお知らせ、各種設定、問い合わせ）";
pub const TARGET_TITLE: &str = "目標とする適合レベル";
pub const TARGET: &str = "JIS X 8341-3:2016 の適合レベル AA に準拠することを目標とします。";
pub const RESULT_TITLE: &str = "試験の結果";
pub const CHECKED_ON: &str = "試験日";
pub const METHOD_TITLE: &str = "自動試験";
pub const METHOD: &str = "各画面を、パソコン（幅1280px）とスマートフォン（幅360px）の表示で、ブラウザ（Chromium）に表示した状態のまま検査ツールで試験しました。以下の一覧は、その試験の記録から作られています。";
pub const TOOL: &str = "検査ツール";
pub const PAGES: &str = "試験した画面数";
pub const CHECKS: &str = "試験の回数";
pub const VIOLATIONS: &str = "検出された問題";
pub const SERIOUS: &str = "うち重大なもの";
pub const TABLE_CAPTION: &str = "試験した画面";
pub const COL_PAGE: &str = "画面";
pub const COL_PATH: &str = "アドレス";
pub const COL_VIEWPORTS: &str = "表示";
pub const COL_CHECKS: &str = "回数";
pub const COL_VIOLATIONS: &str = "問題";
pub const DESKTOP: &str = "パソコン";
pub const PHONE: &str = "スマートフォン";
pub const MANUAL_TITLE: &str = "キーボードと支援技術による確認";
pub const MANUAL: [&str; 4] = [
    "キーボードだけで、新規利用登録の本人確認（手順2）を、認証文字の画像を読まずに（音声で読み上げる代替で）完了できることを確認しています。",
    "キーボードだけで、問い合わせフォームを送信できることを確認しています。",
    "入力の誤りは、各項目のそばに文字で示し、読み上げソフトに伝わるよう項目と関連付けています（aria-describedby、role=\"alert\"）。",
    "スマートフォンの幅（360px）の表示でも、各画面が横に流れず読めることを、上記の自動試験と同じ実行で確認しています。",
];
pub const LIMITS_TITLE: &str = "既知の制約";
pub const LIMITS: [&str; 4] = [
    "スクリーンリーダー（NVDA、VoiceOver など）の実機による試験は、まだ行っていません。",
    "医療費のお知らせなどのPDFは、文字を選択・検索できますが、タグ付きPDFではないため、読み上げの順序が画面と異なることがあります。画面での表示をご利用ください。",
    "パスキーでのログインには、JavaScriptが有効なブラウザが必要です（パスワードでのログインはJavaScriptがなくても利用できます）。",
    "認証文字は画像ですが、音声で読み上げる代替（キーボードで操作できます）を用意しています。",
];
pub const REPORT_TITLE: &str = "お気づきの点のご連絡";
pub const REPORT_BEFORE: &str = "利用しにくい点がありましたら、";
pub const REPORT_LINK: &str = "問い合わせフォーム";
pub const REPORT_AFTER: &str = "（種別「その他」）からお知らせください。内容を確認し、改善に努めます。";
pub const NOT_YET: &str = "試験の記録がまだありません。";
