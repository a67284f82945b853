//! 紙で送付が必要な加入者: of the households a document went to, those who cannot receive it
//! online (not registered, no confirmed address, 利用停止, 資格喪失) get it on paper; the console
//! exports them for the printer.

use crate::backend::platform::Db;

/// Why a household still gets the paper document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperReason {
    NotRegistered,
    NoConfirmedAddress,
    Disabled,
    Lost,
}

/// (記号, 番号, 氏名 of the insured person, why).
pub type Household = (String, String, String, PaperReason);

/// The households on the roster `r` matching `among` (an SQL condition on `r` with `$1` =
/// `value`) that need paper, by 記号・番号.
pub async fn needing_paper(db: &Db, among: &'static str, value: &str) -> Result<Vec<Household>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        kigo: String,
        bango: String,
        name: String,
        status: String,
        account: Option<String>,
        disabled_at: Option<i64>,
        addresses: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT r.kigo, r.bango, r.name, r.status, a.id AS account, a.disabled_at, \
         (SELECT COUNT(*) FROM account_emails e WHERE e.account_id = a.id) AS addresses \
         FROM roster r LEFT JOIN accounts a ON a.kigo = r.kigo AND a.bango = r.bango \
         WHERE {among} ORDER BY r.kigo, r.bango"
    )))
    .bind(value)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|Row { kigo, bango, name, status, account, disabled_at, addresses }| {
            let reason = if status == crate::domain::MemberStatus::Lost.code() {
                PaperReason::Lost
            } else if account.is_none() {
                PaperReason::NotRegistered
            } else if disabled_at.is_some() {
                PaperReason::Disabled
            } else if addresses == 0 {
                PaperReason::NoConfirmedAddress
            } else {
                return None;
            };
            Some((kigo, bango, name, reason))
        })
        .collect())
}
