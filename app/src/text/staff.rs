//! 職員画面: the words of the staff console (office staff of the society).

pub const CONSOLE: &str = "職員画面";
pub const CONSOLE_HOME: &str = "職員ホーム";
/// ログイン中の端末 on 職員ホーム (staff log in with their address; their account is reset by a 管理者).
pub const SESSIONS_LEAD: &str = "このアカウントでログインしている端末です。心当たりのない端末がある場合は、その端末をログアウトさせてから、管理者にアカウントの再設定を依頼してください。";

// ログイン
pub const LOGIN_TITLE: &str = "職員ログイン";
pub const LOGIN_EMAIL: &str = "ログインID（メールアドレス）";
pub const PASSWORD: &str = "パスワード";
pub const CODE: &str = "確認コード";
pub const CODE_HINT: &str =
    "認証アプリに表示される6桁の数字。スマートフォンが手元にないときはバックアップコード（xxxxx-xxxxx）を入力してください。";
pub const LOGIN: &str = "ログイン";
pub const LOGOUT: &str = "ログアウト";
pub const LOGIN_WRONG: &str =
    "ログインID、パスワードまたは確認コードが正しくありません。確認コードは1回しか使えません。次のコードが表示されてから入力してください。";
pub const REQUIRED_EMAIL: &str = "ログインIDを入力してください。";
pub const REQUIRED_PASSWORD: &str = "パスワードを入力してください。";
pub const SESSION_ENDED: &str = "一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。";

// アカウント設定（初回）
pub const SETUP_TITLE: &str = "職員アカウント設定";
pub const SETUP_LEAD: &str = "パスワードと認証アプリ（2段階認証）を設定します。設定が終わるまでログインできません。";
pub const SETUP_STEP_PASSWORD: &str = "1. パスワードを決める";
pub const SETUP_PASSWORD_HINT: &str = "12文字以上39文字以内。英大文字・英小文字・数字・記号をそれぞれ1文字以上。";
pub const PASSWORD_CONFIRM: &str = "パスワード（確認）";
pub const SETUP_STEP_APP: &str = "2. 認証アプリに登録する";
pub const SETUP_APP_HINT: &str = "スマートフォンの認証アプリ（Google Authenticator、Microsoft Authenticator など）でQRコードを読み取ってください。読み取れない場合は、下のキーを手入力してください。";
pub const SETUP_SECRET: &str = "キー（手入力用）";
pub const SETUP_STEP_CODE: &str = "3. 確認コードを入力する";
pub const SETUP_CODE_HINT: &str = "認証アプリに表示された6桁の数字を入力してください。";
pub const SETUP_SUBMIT: &str = "設定する";
pub const SETUP_CODE_WRONG: &str = "確認コードが正しくありません。認証アプリに表示されている最新の6桁を入力してください。";
pub const SETUP_LINK_GONE: &str =
    "この設定用URLは使用できません（有効期限切れ、または設定済み）。管理者に新しい設定用URLの発行を依頼してください。";
pub const SETUP_DONE_TITLE: &str = "設定が完了しました";
pub const SETUP_BACKUP_LEAD: &str = "バックアップコードです。スマートフォンをなくしたときに確認コードの代わりに使えます（各1回）。この画面を閉じると二度と表示されません。印刷するか、安全な場所に控えてください。";
pub const PRINT: &str = "印刷する";
pub const TO_LOGIN: &str = "職員ログインへ";

// メニュー
pub const MENU_MEMBERS: &str = "加入者検索";
pub const MENU_INQUIRIES: &str = "問い合わせ対応";
pub const MENU_LETTERS: &str = "紙通知の一括印刷";
pub const MENU_AUDIT: &str = "監査ログ";
pub const MENU_STAFF: &str = "職員管理";
pub const OPEN_INQUIRIES: &str = "未対応の問い合わせ";
pub const LOCKED_MEMBERS: &str = "ロック中の加入者";
pub const COUNT_SUFFIX: &str = "件";

// 加入者検索
pub const SEARCH_LABEL: &str = "検索語";
pub const SEARCH_HINT: &str = "記号-番号（例：12-345）、氏名・カナ（一部でも可）、ログインID、メールアドレスのいずれか";
pub const SEARCH: &str = "検索";
pub const NO_HITS: &str = "該当する加入者はいません。";
pub const COL_NUMBER: &str = "記号-番号";
pub const COL_NAME: &str = "氏名";
pub const COL_KANA: &str = "カナ";
pub const COL_STATUS: &str = "区分";
pub const COL_LOGIN_ID: &str = "ログインID";
pub const COL_ACCOUNT: &str = "利用状況";
pub const PREV: &str = "前へ";
pub const NEXT: &str = "次へ";

// 加入者詳細
pub const MEMBER_TITLE: &str = "加入者詳細";
pub const ROSTER: &str = "名簿情報";
pub const BIRTH_DATE: &str = "生年月日";
pub const ROSTER_EMAIL: &str = "会社メールアドレス（名簿）";
pub const ACCOUNT: &str = "アカウント";
pub const REGISTERED_AT: &str = "登録日時";
pub const ADDRESSES: &str = "メールアドレス";
pub const NOT_SET: &str = "（未設定）";
pub const PREFERENCES: &str = "配信メール設定";
pub const SESSIONS: &str = "ログイン中の端末";
pub const NO_SESSIONS: &str = "ありません。";
pub const MAILS: &str = "送信メール（直近20件、本文は表示しません）";
pub const NO_MAILS: &str = "ありません。";
pub const AUDIT: &str = "この加入者の監査ログ（直近50件）";
pub const ACTIONS: &str = "操作";
pub const DONE: &str = "操作を完了しました。";
pub const STATE_NOT_REGISTERED: &str = "未登録";
pub const STATE_REGISTERED: &str = "登録済み";
pub const STATE_LOCKED: &str = "ロック中";
pub const STATE_TEMP: &str = "仮パスワード発行中";
pub const STATE_DISABLED: &str = "利用停止中";
pub const STATE_TWO_STEP: &str = "2段階認証 設定済み";
pub const PENDING_CONFIRMATION: &str = "確認待ち、リンク有効期限 ";
pub const UNKNOWN_DEVICE: &str = "不明な端末";
pub const MAIL_SENT: &str = "送信済み";
pub const MAIL_FAILED: &str = "送信失敗";
pub const MAIL_WAITING: &str = "送信待ち";
pub const COL_TIME: &str = "日時";
pub const COL_TO: &str = "宛先";
pub const COL_SUBJECT: &str = "件名";
pub const COL_RESULT: &str = "結果";
pub const COL_EVENT: &str = "イベント";
pub const COL_STAFF: &str = "職員";
pub const COL_MEMBER: &str = "加入者";
pub const COL_IP: &str = "IPアドレス";
pub const COL_DETAIL: &str = "詳細";
pub const COL_DEVICE: &str = "端末";
pub const COL_STARTED: &str = "ログイン日時";
pub const COL_LAST_SEEN: &str = "最終利用";

// 操作（確認画面）
pub const REASON: &str = "理由";
pub const REASON_HINT: &str = "監査ログに記録されます（例：電話で本人確認のうえ依頼あり）。";
pub const CONFIRM: &str = "実行する";
pub const CANCEL: &str = "戻る";
pub const NEW_EMAIL1: &str = "新しいメールアドレス1";
pub const NEW_EMAIL1_HINT: &str = "加入者から電話で聞いたアドレス。確認メールを送り、加入者がリンクをクリックした時点で変更されます。";

// 操作できない理由
pub const NOT_FOUND: &str = "該当するデータがありません。";
pub const NOT_REGISTERED: &str = "この加入者はまだ利用登録していません。";
pub const NOT_LOCKED: &str = "この加入者はロックされていません。";
pub const EMAIL_REQUIRED: &str = "新しいメールアドレス1を入力してください。";
pub const ADDRESS_TAKEN: &str = "このメールアドレスは他の加入者が登録しています。";
pub const ALREADY_DISABLED: &str = "この加入者は既に利用停止中です。";
pub const NOT_DISABLED: &str = "この加入者は利用停止されていません。";
pub const NO_TWO_STEP: &str = "この加入者は2段階認証を設定していません。";
pub const NO_CONFIRMED_ADDRESS: &str = "確認済みのメールアドレスがないため送信できません。紙通知をご利用ください。";

// 紙通知
pub const LETTERS_TITLE: &str = "紙通知の一括印刷";
pub const LETTERS_LEAD: &str = "会社メールアドレスが名簿になく、まだ利用登録していない加入者全員に仮パスワードを発行し、通知書をまとめて印刷します。発行済みで未使用の仮パスワードは新しいものに置き換わります。";
pub const LETTERS_ISSUE: &str = "発行して印刷画面を開く";
pub const LETTERS_NONE: &str = "対象の加入者はいません。";
pub const LETTERS_ISSUED: &str = "件の通知書を発行しました。印刷後、この画面を閉じると仮パスワードは二度と表示されません。";
pub const LETTER_TITLE: &str = "健康マイポータル ログイン情報のお知らせ";
pub const LETTER_TO: &str = "様";
pub const LETTER_LEAD: &str = "健康マイポータルをご利用いただくためのログイン情報をお知らせします。";
pub const LETTER_URL: &str = "ログイン画面";
pub const LETTER_TEMP_PASSWORD: &str = "仮パスワード";
pub const LETTER_EXPIRES: &str = "仮パスワードの有効期限";
pub const LETTER_STEPS_TITLE: &str = "初めてのログインの手順";
pub const LETTER_STEPS: [&str; 4] = [
    "スマートフォンでQRコードを読み取るか、パソコンでログイン画面のURLを入力してください。",
    "ログインIDと仮パスワードを入力し、「ログイン」をクリックしてください。",
    "「パスワード変更」画面で、ご自身で決めた新しいパスワードを設定してください。",
    "「プロフィール設定」画面で、ニックネームとメールアドレスを登録してください。",
];
pub const LETTER_NOTE: &str = "この通知書は他の人に見せないでください。有効期限を過ぎた場合は、下記の問合先までご連絡ください。";

// 問い合わせ
pub const INQUIRIES_TITLE: &str = "問い合わせ対応";
pub const FILTER_STATUS: &str = "状態";
pub const FILTER_UNFINISHED: &str = "未完了（未対応・対応中）";
pub const FILTER_REFERENCE: &str = "受付番号";
pub const FILTER: &str = "絞り込む";
pub const NO_INQUIRIES: &str = "該当する問い合わせはありません。";
pub const COL_REFERENCE: &str = "受付番号";
pub const COL_KIND: &str = "種別";
pub const COL_ASSIGNEE: &str = "担当者";
pub const COL_RECEIVED: &str = "受付日時";
pub const INQUIRY_TITLE: &str = "問い合わせ詳細";
pub const CONTACT_EMAIL: &str = "連絡先メールアドレス";
pub const PHONE: &str = "電話番号";
pub const BODY: &str = "内容";
pub const MATCHING_MEMBER: &str = "名簿の加入者";
pub const NO_MATCHING_MEMBER: &str = "記号・番号と生年月日が一致する加入者は名簿にいません。";
pub const UNASSIGNED: &str = "（未割当）";
pub const SAVE: &str = "保存";
pub const HISTORY: &str = "対応履歴";
pub const NO_HISTORY: &str = "まだありません。";
pub const ENTRY_REPLY: &str = "回答（メール送信）";
pub const ENTRY_NOTE: &str = "メモ（職員のみ）";
pub const NOTE: &str = "メモを追加";
pub const NOTE_HINT: &str = "職員だけが見られます。加入者には送信されません。";
pub const ADD_NOTE: &str = "メモを保存";
pub const REPLY: &str = "回答をメールで送る";
pub const REPLY_HINT: &str =
    "連絡先メールアドレスに、件名に受付番号を付けて送信します。送った回答はここに残ります。パスワードは書かないでください。";
pub const SEND_REPLY: &str = "回答を送信";
pub const TEXT_REQUIRED: &str = "内容を入力してください。";
pub const TEXT_TOO_LONG: &str = "内容は4000文字以内で入力してください。";

// 監査ログ
pub const AUDIT_TITLE: &str = "監査ログ";
pub const FROM: &str = "開始日";
pub const TO: &str = "終了日";
pub const ALL: &str = "すべて";
pub const MEMBER_NUMBER: &str = "加入者（記号-番号）";
pub const CSV: &str = "CSVで出力";
pub const NO_ENTRIES: &str = "該当する記録はありません。";
pub const TOTAL: &str = "件中";

// 職員管理
pub const STAFF_TITLE: &str = "職員管理";
pub const STAFF_NAME: &str = "氏名";
pub const STAFF_EMAIL: &str = "メールアドレス（ログインID）";
pub const STAFF_ROLE: &str = "権限";
pub const STAFF_STATE: &str = "状態";
pub const STAFF_ADD: &str = "職員を追加";
pub const STAFF_ADD_HINT: &str = "追加すると、設定用URL（24時間有効）をそのアドレスに送ります。";
pub const STAFF_ADDED: &str = "職員を追加し、設定用URLを送信しました。";
pub const STAFF_CHANGED: &str = "変更しました。";
pub const STAFF_ACTIVE: &str = "有効";
pub const STAFF_DISABLED: &str = "停止中";
pub const STAFF_SETUP_PENDING: &str = "設定待ち";
pub const STAFF_SETUP_EXPIRED: &str = "設定用URL期限切れ";
pub const STAFF_DISABLE: &str = "停止";
pub const STAFF_ENABLE: &str = "再開";
pub const STAFF_RESET: &str = "再設定（新しい設定用URL）";
pub const STAFF_EMAIL_TAKEN: &str = "このメールアドレスの職員は既に登録されています。";
pub const STAFF_NAME_REQUIRED: &str = "氏名を入力してください。";
pub const NOT_YOURSELF: &str = "自分自身のアカウントは停止・再開できません。";
pub const YOU: &str = "（あなた）";

// 職員ホームの数字
pub const FIGURES_USE: &str = "利用状況";
pub const FIGURES_REGISTERED: &str = "利用登録済み";
pub const FIGURES_ELIGIBLE: &str = "対象者（名簿）";
pub const FIGURES_RATE: &str = "登録率";
pub const FIGURES_WEEKLY: &str = "週ごとの利用登録（直近12週、月曜始まり）";
pub const FIGURES_MAIL: &str = "メール送信";
pub const FIGURES_WAITING: &str = "送信待ち";
pub const FIGURES_OLDEST: &str = "最も古いもの：";
pub const FIGURES_FAILED: &str = "今週の送信エラー";
pub const MAIL_ERRORS: &str = "送信エラー";
pub const MAIL_ERRORS_LEAD: &str = "再送を繰り返しても届かなかったメールです（本文は表示しません）。宛先の誤りは加入者に確認してください。「再送」は新しいメールを送ります。URLが記載されたメール（利用登録・パスワード再設定・メールアドレス確認・職員アカウント設定）は、新しいURLで送り直します。";
pub const RESEND: &str = "再送";
pub const RESENT: &str = "再送済み";
pub const RESEND_DONE: &str = "再送しました。";
pub const RESEND_ALREADY: &str = "このメールは既に再送しています。";
pub const RESEND_NOT_FAILED: &str = "このメールは送信エラーではありません。";
pub const RESEND_CONFIRMATION_GONE: &str =
    "このメールアドレスの確認は取り消されたか期限が切れています。加入者に、プロフィール設定から登録し直すよう案内してください。";
pub const RESEND_STAFF_ADMIN_ONLY: &str = "職員アカウント設定のご案内の再送（設定のやり直し）は管理者が行います。";
pub const RESEND_STAFF_GONE: &str = "この職員アカウントは見つかりません。";
pub const MAIL_ERRORS_NONE: &str = "送信エラーはありません。";
pub const MAIL_ERRORS_ANSWER: &str = "メールサーバーの応答";

// 名簿アップロード
pub const MENU_ROSTER: &str = "名簿アップロード";
pub const ROSTER_LEAD: &str =
    "被保険者名簿のCSVファイル（UTF-8 または Shift_JIS、見出しは英語または日本語）を選び、確認画面で内容を確かめてから適用します。";
pub const ROSTER_FILE: &str = "名簿ファイル（CSV）";
pub const ROSTER_MODE: &str = "取込方法";
pub const ROSTER_UPSERT: &str = "追加・更新（ファイルにない加入者はそのまま）";
pub const ROSTER_REPLACE: &str = "全件置換（ファイルにない加入者は資格喪失になり、ログインできなくなります）";
pub const ROSTER_UPLOAD: &str = "確認画面へ";
pub const ROSTER_PREVIEW: &str = "名簿の確認";
pub const ROSTER_ERRORS: &str = "誤りがあるため適用できません。ファイルを直して、もう一度アップロードしてください。";
pub const ROSTER_NEW: &str = "新規";
pub const ROSTER_CHANGED: &str = "変更";
pub const ROSTER_UNCHANGED: &str = "変更なし";
pub const ROSTER_RETIRED: &str = "資格喪失になる加入者";
pub const ROSTER_APPLY: &str = "この内容で適用する";
pub const ROSTER_APPLYING: &str = "適用しています… ";
pub const ROSTER_ROWS: &str = " 行";
pub const ROSTER_APPLIED: &str = "適用済み：";
pub const ROSTER_ENCODING: &str = "ファイルの文字コードを判別できません。UTF-8 または Shift_JIS で保存したCSVファイルを選んでください。";
pub const ROSTER_NO_FILE: &str = "名簿ファイルを選んでください。";
pub const ROSTER_TOO_LARGE: &str = "ファイルが大きすぎます（32MBまで）。";
pub const ROSTER_HAS_ERRORS: &str = "このファイルには誤りがあるため適用できません。";
pub const ROSTER_ALREADY_APPLIED: &str = "このファイルは既に適用されています。";

// お知らせ管理
pub const MENU_NOTICES: &str = "お知らせ管理";
pub const NOTICE_NEW: &str = "お知らせを作成";
pub const NOTICE_EDIT: &str = "お知らせの編集";
pub const NOTICE_TITLE: &str = "件名";
pub const NOTICE_BODY: &str = "本文";
pub const NOTICE_BODY_HINT: &str =
    "文章のみ（4000文字以内）。改行はそのまま表示され、https:// で始まるURLはリンクになります。HTMLなどの書式は使えません。";
pub const NOTICE_STARTS: &str = "掲載開始";
pub const NOTICE_ENDS: &str = "掲載終了";
pub const NOTICE_ENDS_HINT: &str = "空欄の場合は取り下げるまで掲載します。";
pub const NOTICE_AUDIENCE: &str = "対象";
pub const NOTICE_AUDIENCE_HINT: &str = "どれも選ばない場合は全員に表示します。";
pub const NOTICE_IMPORTANT: &str = "重要（一覧の先頭に表示）";
pub const NOTICE_SAVE: &str = "保存する";
pub const NOTICE_SAVED: &str = "保存しました。";
pub const NOTICE_WITHDRAW: &str = "取り下げる";
pub const NOTICE_RESTORE: &str = "掲載に戻す";
pub const NOTICE_NONE: &str = "お知らせはまだありません。";
pub const NOTICE_SCHEDULED: &str = "掲載予定";
pub const NOTICE_SHOWN: &str = "掲載中";
pub const NOTICE_ENDED: &str = "掲載終了";
pub const NOTICE_WITHDRAWN: &str = "取り下げ";
pub const NOTICE_ENDS_BEFORE_START: &str = "掲載終了は掲載開始より後の日時にしてください。";
pub const IMPORTANT: &str = "重要";

// 配信メール
pub const MENU_CAMPAIGNS: &str = "配信メール";
pub const CAMPAIGN_NEW: &str = "配信メールを作成";
pub const CAMPAIGN_EDIT: &str = "配信メールの編集";
pub const CAMPAIGN_VIEW: &str = "配信メール";
pub const CAMPAIGN_CATEGORY: &str = "種類（配信メール設定）";
pub const CAMPAIGN_CATEGORY_HINT: &str = "この種類を「受け取る」に設定している加入者の、確認済みのメールアドレス（1～3）に送ります。";
pub const CAMPAIGN_SUBJECT: &str = "件名";
pub const CAMPAIGN_BODY: &str = "本文";
pub const CAMPAIGN_BODY_HINT: &str = "文字だけのメールです。末尾に、配信メール設定の変更先と配信停止のリンクが自動で付きます。";
pub const CAMPAIGN_SAVE: &str = "下書きを保存する";
pub const CAMPAIGN_SAVED: &str = "保存しました。";
pub const CAMPAIGN_NONE: &str = "配信メールはまだありません。";
pub const CAMPAIGN_DRAFT: &str = "下書き";
pub const CAMPAIGN_SENDING: &str = "送信中";
pub const CAMPAIGN_DONE: &str = "送信完了";
pub const CAMPAIGN_AUDIENCE: &str = "配信対象";
pub const CAMPAIGN_AUDIENCE_NOTE: &str = "件数は現時点のものです。送信した時点の設定で宛先が決まります。";
pub const CAMPAIGN_TEST: &str = "自分宛てにテスト送信";
pub const CAMPAIGN_TEST_SENT: &str = "テストメールを送信しました。職員アカウントのメールアドレスをご確認ください。";
pub const CAMPAIGN_TEST_PREFIX: &str = "【テスト】";
pub const CAMPAIGN_SEND: &str = "送信する";
pub const CAMPAIGN_SEND_CONFIRM: &str = "件名・本文と配信対象の件数を確認しました";
pub const CAMPAIGN_SEND_CONFIRM_REQUIRED: &str = "送信する前に、内容と件数を確認してチェックを入れてください。";
pub const CAMPAIGN_SEND_ADMIN_ONLY: &str = "送信は管理者が行います。下書きを保存して、管理者に依頼してください。";
pub const CAMPAIGN_ALREADY_SENT: &str = "この配信メールは送信済みのため、変更・再送信できません。";
pub const CAMPAIGN_NO_RECIPIENTS: &str = "配信対象のメールアドレスがありません。";
pub const CAMPAIGN_COUNT_CHANGED: &str = "配信対象の件数が画面を開いた後に変わりました。件数を確認して、もう一度送信してください。";
pub const CAMPAIGN_STARTED: &str = "送信を開始しました。";
pub const CAMPAIGN_PROGRESS: &str = "送信状況";
pub const CAMPAIGN_TOTAL: &str = "宛先";
pub const CAMPAIGN_WAITING: &str = "送信待ち";
pub const CAMPAIGN_SENT: &str = "送信済み";
pub const CAMPAIGN_FAILED: &str = "送信エラー";
pub const CAMPAIGN_STARTED_AT: &str = "送信開始";
pub const CAMPAIGN_CREATED_BY: &str = "作成者";
pub const CAMPAIGN_CREATED: &str = "作成日時";
pub const CAMPAIGN_CATEGORY_REQUIRED: &str = "種類を選んでください。";
pub const CAMPAIGN_ADDRESSES: &str = "件のアドレス";
pub const MEMBERS_COUNT: &str = "名";

// 依頼と承認 (two people for an action that hands over or removes a member's factor)
pub const MENU_APPROVALS: &str = "承認待ち";
pub const APPROVALS_TITLE: &str = "承認待ちの依頼";
pub const APPROVALS_LEAD: &str = "登録済みの加入者の2段階認証リセット、仮パスワードの再発行、メールアドレス1の設定は、依頼した職員とは別の管理者が承認したときに実行されます。依頼の内容と理由を、お問い合わせの記録と照らし合わせてから判断してください。";
pub const APPROVALS_NONE: &str = "承認待ちの依頼はありません。";
pub const APPROVAL_TITLE: &str = "依頼の確認";
pub const COL_ACTION: &str = "操作";
pub const COL_REQUESTER: &str = "依頼者";
pub const COL_REQUESTED_AT: &str = "依頼日時";
pub const COL_REASON: &str = "理由";
pub const ASKED_EMAIL: &str = "設定するアドレス";
pub const OPEN_REQUEST: &str = "確認する";
pub const OWN_REQUEST_NOTE: &str = "ご自身の依頼です。別の管理者が判断します。";
pub const EXPIRED_NOTE: &str = "依頼から72時間が過ぎたため、承認できません。却下して、必要なら改めて依頼してください。";
pub const DECISION: &str = "判断";
pub const APPROVE: &str = "承認して実行する";
pub const REJECT: &str = "却下する";
pub const DECIDE: &str = "確定する";
pub const DECISION_REQUIRED: &str = "承認するか却下するかを選んでください。";
pub const DECIDED: &str = "依頼を処理しました。";
pub const REQUESTED: &str = "依頼を受け付けました。別の管理者が承認すると実行されます（承認待ち）。";
pub const APPROVAL_NOTE: &str = "この操作は、登録済みの加入者の認証手段を変えるため、あなたの依頼のあと、別の管理者の承認で実行されます。仮パスワードの通知書は承認した管理者が印刷します。";
pub const NOT_OWN_RECORD: &str = "ご自身の加入者情報は操作できません。別の職員に依頼してください。";
pub const SAME_PERSON_PAIR: &str =
    "24時間以内に同じ職員が、この加入者の2段階認証リセットと仮パスワード発行の両方に関わることはできません。別の職員が担当してください。";
pub const ALREADY_REQUESTED: &str = "この加入者には同じ操作の依頼が既に承認待ちです。";
pub const REQUEST_DECIDED: &str = "この依頼は既に処理されたか、見つかりません。";
pub const NOT_OWN_REQUEST: &str = "ご自身の依頼は承認・却下できません。別の管理者が判断します。";
pub const REQUEST_EXPIRED: &str = "依頼から72時間が過ぎたため、承認できません。";
pub const REQUEST_NOT_NEEDED: &str =
    "この加入者はまだご自身のパスワードを設定していないため、依頼は不要です。加入者詳細から仮パスワードを発行してください。";
pub const LETTER_REISSUED_NOTE: &str = "この仮パスワードは、お問い合わせにもとづき、健康保険組合の職員2名の確認を経て再発行しました。お心当たりがない場合は、ログインせずに、すぐに下記の問合先へご連絡ください。";
pub const LETTERS_COUNT_LEAD: &str = "次の件数の通知書を発行します：";
pub const LETTERS_COUNT_SUFFIX: &str = "件";
pub const LETTERS_COUNT_NONE: &str = "発行の対象となる加入者はいません。";
pub const LETTERS_COUNT_CHANGED: &str = "件数が確認したときから変わりました。表示し直した件数を確認して、もう一度発行してください。";
pub const RESEND_STAFF_DISABLED: &str =
    "この職員アカウントは停止中のため、設定メールを再送できません。先に職員管理で利用を再開してください。";
pub const RESEND_STAFF_REASON: &str = "送信できなかった設定メールの再送";
pub const STAFF_CHANGE_TITLE: &str = "職員アカウントの変更";
pub const STAFF_CHANGE_DISABLE: &str = "この職員はログインできなくなり、ログイン中の端末もすべてログアウトされます。";
pub const STAFF_CHANGE_ENABLE: &str = "この職員が再びログインできるようにします。";
pub const STAFF_CHANGE_RESET: &str = "パスワード・認証アプリ・バックアップコードを無効にし、新しい設定用リンクを職員のアドレスに送ります。停止中のアカウントは停止されたままです。";
pub const CAMPAIGN_CHANGED: &str =
    "確認したあとに件名・本文・配信区分が変更されました。表示し直した内容を確認してから、もう一度送信してください。";
pub const RESEND_UNSUBSCRIBED: &str = "このアドレスは、その後この配信区分の受け取りをやめたため、再送しません。";
pub const ROSTER_REPLACE_EMPTY: &str =
    "全件置換のファイルに加入者の行がありません。全員が資格喪失になるため、適用できません。ファイルを確認してください。";
pub const ROSTER_CHANGED_SINCE: &str = "確認したあとに名簿が変更されました（別のアップロードやコマンドでの取込）。もう一度アップロードして、新しい確認画面で内容を確かめてください。";
pub const ROSTER_RETIRE_COUNT: &str = "資格喪失になる人数（確認のため入力）";
pub const ROSTER_RETIRE_COUNT_HINT: &str = "多くの加入者が資格喪失になります。上に表示された人数を半角数字で入力してください。";
pub const ROSTER_RETIRE_COUNT_WRONG: &str = "資格喪失になる人数が一致しません。上に表示された人数を入力してください。";
pub const STAFF_MEMBER_NUMBER: &str = "ご本人の記号・番号（任意）";
pub const STAFF_MEMBER_NUMBER_HINT: &str =
    "この健康保険組合の加入者でもある場合に「12-345」の形で入力します。ご本人の加入者情報は操作できなくなります。";
pub const STAFF_MEMBER_NUMBER_WRONG: &str = "記号・番号は「12-345」の形（記号2桁、番号1〜6桁）で入力してください。";

pub const MENU_MEDICAL: &str = "医療費データ取込";
pub const MEDICAL_LEAD: &str = "審査支払機関から届いた医療費データ（1つの処理年月のCSV）を取り込み、加入者に「医療費のお知らせ」として公開します。同じ処理年月をもう一度取り込むと、その処理年月の内容が置き換わります。";
pub const MEDICAL_FILE: &str = "医療費データ（CSV）";
pub const MEDICAL_NO_FILE: &str = "医療費データのファイルを選んでください。";
pub const MEDICAL_TOO_LARGE: &str =
    "ファイルが大きすぎます（64MBまで。それより大きいファイルは server import-medical で取り込んでください）。";
pub const MEDICAL_PREVIEW: &str = "医療費データの確認";
pub const MEDICAL_ERRORS: &str = "誤りがあるため取り込めません。ファイルを直して、もう一度アップロードしてください。";
pub const MEDICAL_HAS_ERRORS: &str = "このファイルには誤りがあるため取り込めません。";
pub const MEDICAL_BATCH: &str = "処理年月";
pub const MEDICAL_LINES: &str = "行数";
pub const MEDICAL_HOUSEHOLDS: &str = "世帯（記号・番号）";
pub const MEDICAL_MONTHS: &str = "診療年月";
pub const MEDICAL_UNKNOWN: &str = "名簿にない記号・番号の行";
pub const MEDICAL_UNKNOWN_HINT: &str =
    "名簿にない記号・番号の行も取り込みます。名簿に追加されると、その加入者に表示されます。記号・番号の誤りでないか確認してください。";
pub const MEDICAL_REPLACES: &str = "この処理年月は取込済みです。取り込むと、これまでの行が置き換わります：";
pub const MEDICAL_REPLACES_PUBLIC: &str =
    "この処理年月は公開中です。取り込むと、加入者にはすぐに新しい内容が表示されます（掲載メールは再送しません）。";
pub const MEDICAL_APPLY: &str = "この内容で取り込む";
pub const MEDICAL_APPLIED: &str = "取込済み：";
pub const MEDICAL_BATCHES: &str = "取込済みの医療費データ";
pub const MEDICAL_NO_BATCHES: &str = "まだ取り込まれていません。";
pub const MEDICAL_STATE: &str = "公開状態";
pub const MEDICAL_UNPUBLISHED: &str = "未公開";
pub const MEDICAL_SCHEDULED: &str = "公開予約";
pub const MEDICAL_PUBLIC: &str = "公開中";
pub const MEDICAL_WITHDRAWN: &str = "取り下げ";
pub const MEDICAL_PUBLISH_AT: &str = "公開日時";
pub const MEDICAL_PUBLISH_HINT: &str =
    "空欄のときは、すぐに公開します。公開と同時に、「医療費通知」を受け取る設定の加入者へ掲載メールを送ります（金額などは記載しません）。";
pub const MEDICAL_SCHEDULE: &str = "公開予約する";
pub const MEDICAL_WITHDRAW: &str = "取り下げる";
pub const MEDICAL_WITHDRAW_HINT: &str = "取り下げると加入者には表示されなくなり、まだ送っていない掲載メールは送りません。";
pub const MEDICAL_TOO_FAR: &str = "公開日時は1年以内にしてください。";
pub const MEDICAL_ALREADY_SCHEDULED: &str = "この医療費データは既に公開（または公開予約）されています。";
pub const MEDICAL_NOT_PUBLISHED: &str = "この医療費データは公開されていません。";
pub const MEDICAL_PAPER: &str = "紙で送付が必要な加入者（CSV）";
pub const MEDICAL_PAPER_HINT: &str =
    "この処理年月に医療費がある加入者のうち、未登録・確認済みメールアドレスなし・利用停止・資格喪失の方です。印刷・郵送にお使いください。";
pub const MEDICAL_MAIL: &str = "掲載メールの送信状況";
pub const PAPER_NOT_REGISTERED: &str = "未登録";
pub const PAPER_NO_ADDRESS: &str = "確認済みメールアドレスなし";
pub const PAPER_DISABLED: &str = "利用停止";
pub const PAPER_LOST: &str = "資格喪失";

// 被扶養者名簿・資格情報のお知らせ
pub const MENU_FAMILY: &str = "被扶養者名簿・資格情報";
pub const FAMILY_LEAD: &str = "被扶養者名簿（CSV）を取り込みます。ファイルに含まれる記号・番号ごとに、その世帯の被扶養者がファイルの内容に置き換わります（ファイルにない世帯はそのままです）。取り込むと、加入・変更のあった方に「資格情報のお知らせ」を発行し、「通知書・証明書」のメールを希望する加入者にお知らせします。";
pub const FAMILY_FILE: &str = "被扶養者名簿（CSV）";
pub const FAMILY_NO_FILE: &str = "被扶養者名簿のファイルを選んでください。";
pub const FAMILY_PREVIEW: &str = "被扶養者名簿の確認";
pub const FAMILY_HOUSEHOLDS: &str = "置き換える世帯（記号・番号）";
pub const FAMILY_NEW: &str = "新しい被扶養者";
pub const FAMILY_CHANGED: &str = "内容が変わる被扶養者";
pub const FAMILY_UNCHANGED: &str = "変更なし";
pub const FAMILY_REMOVED: &str = "世帯から外れる被扶養者（ファイルにない方）";
pub const FAMILY_APPLY: &str = "この内容で取り込む";
pub const FAMILY_APPLIED: &str = "取込済み：";
pub const FAMILY_HAS_ERRORS: &str = "このファイルには誤りがあるため取り込めません。";
pub const FAMILY_CHANGED_SINCE: &str =
    "確認したあとに名簿または被扶養者名簿が変更されました。もう一度アップロードして、新しい確認画面で内容を確かめてください。";
pub const QUALIFICATION_ISSUES: &str = "資格情報のお知らせの発行履歴";
pub const QUALIFICATION_NO_ISSUES: &str = "まだ発行していません。";
pub const QUALIFICATION_ISSUED_AT: &str = "発行日時";
pub const QUALIFICATION_SOURCE: &str = "きっかけ";
pub const QUALIFICATION_SOURCE_ROSTER: &str = "名簿の取込";
pub const QUALIFICATION_SOURCE_FAMILY: &str = "被扶養者名簿の取込";
pub const QUALIFICATION_BY_COMMAND: &str = "コマンド";
pub const QUALIFICATION_NOTICES: &str = "発行数";
pub const QUALIFICATION_MAIL: &str = "メール宛先";
pub const QUALIFICATION_NO_MAIL: &str = "送信なし";
pub const QUALIFICATION_PAPER: &str = "紙で送付（CSV）";
pub const QUALIFICATION_PAPER_HINT: &str = "お知らせを発行した世帯のうち、ポータルで受け取れない方（未登録、確認済みのメールアドレスがない、利用停止、資格喪失）の一覧です。印刷・郵送の手配に使ってください。";

// 給付金の決定取込
pub const MENU_BENEFITS: &str = "給付金の決定取込";
pub const BENEFITS_LEAD: &str = "給付金の支給決定（1回の決定分＝1つの決定日のCSV）を取り込み、加入者に「給付金支給決定通知書」として掲載します。取り込むとすぐに掲載され、「通知書・証明書」のメールを希望する加入者にお知らせします。同じ決定日をもう一度取り込むと、その決定日の内容が置き換わります。";
pub const BENEFITS_FILE: &str = "給付金の決定ファイル（CSV）";
pub const BENEFITS_NO_FILE: &str = "給付金の決定ファイルを選んでください。";
pub const BENEFITS_PREVIEW: &str = "給付金の決定の確認";
pub const BENEFITS_DECIDED: &str = "決定日";
pub const BENEFITS_LINES: &str = "件数";
pub const BENEFITS_REPLACES: &str = "この決定日は取込済みです。取り込むと、これまでの内容が置き換わります（メールはもう一度送ります）。";
pub const BENEFITS_APPLY: &str = "この内容で取り込んで掲載する";
pub const BENEFITS_APPLIED: &str = "取込済み：";
pub const BENEFITS_BATCHES: &str = "取込済みの決定";
pub const BENEFITS_NO_BATCHES: &str = "まだ取り込まれていません。";
pub const BENEFITS_MAIL: &str = "掲載メールの送信状況";
