//! パスキー: セキュリティ設定's list and forms, the login page's button, the code page's button.

pub const TITLE: &str = "パスキー";
pub const LEAD: &str = "パスキーを登録すると、スマートフォンやパソコンの画面ロック（指紋・顔・PIN）でログインできます。パスワードを盗まれても、パスキーがなければログインできません。";
pub const NONE: &str = "パスキーは登録されていません。";
pub const COL_NAME: &str = "名前";
pub const COL_CREATED: &str = "登録日時";
pub const COL_LAST_USED: &str = "最終利用日時";
pub const COL_SYNCED: &str = "同期";
pub const COL_COUNTER: &str = "使用回数の記録";
pub const NEVER_USED: &str = "未使用";
pub const SYNCED_YES: &str = "他の端末と同期（バックアップ）されます";
pub const SYNCED_NO: &str = "この端末のみ";
pub const ADD_TITLE: &str = "パスキーを登録";
pub const NAME: &str = "パスキーの名前";
pub const NAME_HINT: &str = "例：私のスマートフォン（30文字以内）";
pub const NAME_REQUIRED: &str = "パスキーの名前を入力してください。";
pub const NAME_TOO_LONG: &str = "パスキーの名前は30文字以内で入力してください。";
pub const CURRENT_PASSWORD: &str = "ご本人確認：お使いのパスワード";
pub const CODE: &str = "ご本人確認：認証アプリに表示される6桁の数字、またはバックアップコード";
pub const PASSWORD_REQUIRED: &str = "パスキーの登録・削除には、現在のパスワードを入力してください。";
pub const CODE_REQUIRED: &str = "確認コードを入力してください。";
pub const CONFIRM_HINT: &str =
    "登録・削除には、現在のパスワードと、登録済みの確認方法（認証アプリの確認コード、またはお使いのパスキー）が必要です。";
pub const ADD: &str = "パスキーを登録";
pub const REMOVE: &str = "削除";
pub const REMOVE_LABEL: &str = "削除するパスキー";
pub const REMOVE_TITLE: &str = "パスキーを削除";
pub const TOO_MANY: &str = "パスキーは10個まで登録できます。使わないパスキーを削除してから登録してください。";
pub const UNKNOWN: &str = "そのパスキーは登録されていません。ページを再読み込みしてください。";
pub const FAILED: &str = "パスキーを確認できませんでした。もう一度お試しください。";
pub const CANCELLED: &str = "パスキーの操作が取り消されたか、時間切れになりました。もう一度お試しください。";
pub const UNSUPPORTED: &str = "このブラウザはパスキーに対応していません。パスワードでログインしてください。";
pub const NO_SCRIPT: &str = "パスキーを使うには、JavaScriptを有効にしてください。パスワードでのログインはそのまま利用できます。";
pub const LOGIN_BUTTON: &str = "パスキーでログイン";
pub const LOGIN_HINT: &str = "ログインIDやパスワードを入力せずに、登録したパスキーでログインできます。";
pub const SECOND_BUTTON: &str = "パスキーで確認";
pub const SECOND_HINT: &str = "確認コードの代わりに、登録したパスキーで確認できます。";
