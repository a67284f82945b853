//! 配信メール delivery: who receives a category mail, the worker's paced hand-off of a sent
//! campaign to the outbox, and the one-click unsubscribe link every such mail carries.
//! (Composing and sending is the staff console's: `staff::campaigns`.)

use crate::backend::audit;
use crate::backend::mail::{letters, outbox};
use crate::backend::platform::ids::{new_id, secrets_equal};
use crate::backend::platform::{db, secret, Config, Db};
use crate::domain::MailPreference;

/// The confirmed addresses (`account_emails`) of the members who receive a category: registered,
/// not 利用停止, not 資格喪失, the category ticked in 配信メール設定. `$1` = [`category_pattern`].
const ADDRESSES_OF_CATEGORY: &str = "FROM account_emails e JOIN accounts a ON a.id = e.account_id \
     JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango \
     WHERE a.disabled_at IS NULL AND r.status <> 'lost' AND (',' || a.mail_preferences || ',') LIKE $1";

fn category_pattern(category: MailPreference) -> String {
    format!("%,{},%", category.code())
}

/// Whether the campaign mail behind an outbox row would still go to its address now (its
/// member still takes the category, the address is still theirs): a 再送 of a failed one skips
/// an address that has since unsubscribed. A mail of no campaign: `true`.
pub async fn still_wanted(db: &Db, outbox_id: &str) -> Result<bool, sqlx::Error> {
    let (of_campaign, wanted): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT (SELECT COUNT(*) FROM campaign_recipients WHERE outbox_id = $1), \
         (SELECT COUNT(*) FROM campaign_recipients cr JOIN mail_campaigns c ON c.id = cr.campaign_id \
          WHERE cr.outbox_id = $1 AND EXISTS (SELECT 1 {ADDRESSES_OF_CATEGORY_BY_ROW}))"
    )))
    .bind(outbox_id)
    .fetch_one(db)
    .await?;
    Ok(of_campaign == 0 || wanted > 0)
}

/// [`ADDRESSES_OF_CATEGORY`] for one recipient row `cr` of campaign `c`.
const ADDRESSES_OF_CATEGORY_BY_ROW: &str = "FROM account_emails e JOIN accounts a ON a.id = e.account_id \
     JOIN roster r ON r.kigo = a.kigo AND r.bango = a.bango \
     WHERE e.email_norm = cr.email_norm AND a.id = cr.account_id AND a.disabled_at IS NULL AND r.status <> 'lost' \
       AND (',' || a.mail_preferences || ',') LIKE ('%,' || c.category || ',%')";

/// How many addresses (each counted once) and members a mail of this category would reach now.
pub async fn audience(db: &Db, category: MailPreference) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(DISTINCT e.email_norm), COUNT(DISTINCT a.id) {ADDRESSES_OF_CATEGORY}")))
        .bind(category_pattern(category))
        .fetch_one(db)
        .await
}

/// Chooses a campaign's recipients once, at the send (inside its transaction): one row per
/// address, so an address shared by two of a member's slots gets one mail. Returns how many.
pub async fn choose_recipients(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    campaign_id: &str,
    category: MailPreference,
) -> Result<i64, sqlx::Error> {
    choose_among(tx, campaign_id, category, None).await
}

/// [`choose_recipients`] among the members a condition on the account `a` names (`$3` bound to
/// its value): e.g. the households of a 医療費 batch.
async fn choose_among(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    campaign_id: &str,
    category: MailPreference,
    among: Option<(&'static str, &str)>,
) -> Result<i64, sqlx::Error> {
    let condition = among.map(|(sql, _)| format!(" AND {sql}")).unwrap_or_default();
    let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO campaign_recipients (campaign_id, email_norm, email, account_id) \
         SELECT $2, e.email_norm, MIN(e.email), MIN(a.id) {ADDRESSES_OF_CATEGORY}{condition} GROUP BY e.email_norm"
    )))
    .bind(category_pattern(category))
    .bind(campaign_id);
    if let Some((_, value)) = among {
        query = query.bind(value);
    }
    Ok(query.execute(&mut **tx).await?.rows_affected() as i64)
}

/// A campaign the portal starts itself when the society publishes a document: written, frozen
/// and its recipients chosen in one go, in the caller's transaction.
pub struct OwnCampaign<'a> {
    pub id: &'a str,
    pub category: MailPreference,
    pub subject: &'a str,
    pub body: &'a str,
    /// Who published (the campaign list names them).
    pub staff_id: &'a str,
    pub now: i64,
    /// The members it goes to among the category's (see [`choose_among`]).
    pub among: (&'static str, &'a str),
}

/// Starts an [`OwnCampaign`]; the worker then hands its mails to the outbox at the pace of
/// every campaign. Returns how many addresses it goes to.
pub async fn start_own(tx: &mut sqlx::Transaction<'_, sqlx::Any>, c: OwnCampaign<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO mail_campaigns (id, category, subject, body, created_by, created_at, updated_at, started_at, started_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $6, $5)",
    )
    .bind(c.id)
    .bind(c.category.code())
    .bind(c.subject)
    .bind(c.body)
    .bind(c.staff_id)
    .bind(c.now)
    .execute(&mut **tx)
    .await?;
    let total = choose_among(tx, c.id, c.category, Some(c.among)).await?;
    sqlx::query("UPDATE mail_campaigns SET total = $1 WHERE id = $2").bind(total).bind(c.id).execute(&mut **tx).await?;
    Ok(total)
}

#[derive(sqlx::FromRow)]
struct Waiting {
    campaign_id: String,
    email_norm: String,
    email: String,
    account_id: String,
    category: String,
    subject: String,
    body: String,
}

/// One pass of the worker: hands waiting campaign mails to the outbox, no more than
/// `rate_per_minute` in any minute (`MAIL_RATE_PER_MINUTE`), oldest campaign first. Dispatchers
/// (two workers, two instances) take turns on the `campaign_dispatch` row, so each counts the
/// minute's hand-offs with every earlier one committed; each address is taken by a conditional
/// update in the same transaction as its outbox row, so none is queued twice, also across a
/// restart. Returns how many were queued.
pub async fn dispatch(db: &Db, config: &Config, now: i64, rate_per_minute: i64) -> Result<usize, sqlx::Error> {
    if !any_waiting(db).await? {
        return Ok(0);
    }
    let mut tx = db::begin(db).await?;
    sqlx::query("UPDATE campaign_dispatch SET last_run_at = $1 WHERE id = 1").bind(now).execute(&mut *tx).await?;
    let (recent,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM campaign_recipients WHERE queued_at > $1").bind(now - 60).fetch_one(&mut *tx).await?;
    let allowance = rate_per_minute - recent;
    if allowance <= 0 {
        return Ok(0);
    }
    let waiting: Vec<Waiting> = sqlx::query_as(
        "SELECT r.campaign_id, r.email_norm, r.email, r.account_id, c.category, c.subject, c.body \
         FROM campaign_recipients r JOIN mail_campaigns c ON c.id = r.campaign_id \
         WHERE r.queued_at IS NULL ORDER BY c.started_at, r.campaign_id, r.email_norm LIMIT $1",
    )
    .bind(allowance)
    .fetch_all(&mut *tx)
    .await?;
    let mut queued = 0;
    for w in &waiting {
        let Some(category) = MailPreference::from_code(&w.category) else { continue };
        let outbox_id = new_id();
        let taken = sqlx::query(
            "UPDATE campaign_recipients SET queued_at = $1, outbox_id = $2 WHERE campaign_id = $3 AND email_norm = $4 AND queued_at IS NULL",
        )
        .bind(now)
        .bind(&outbox_id)
        .bind(&w.campaign_id)
        .bind(&w.email_norm)
        .execute(&mut *tx)
        .await?;
        if taken.rows_affected() != 1 {
            continue;
        }
        let link = unsubscribe_url(config, &w.account_id, category);
        let mail = letters::category_mail(config, &w.email, category, &w.subject, &w.body, Some(&link));
        outbox::insert(&mut *tx, &outbox_id, now, &mail, Some(&link)).await?;
        queued += 1;
    }
    tx.commit().await?;
    Ok(queued)
}

/// Whether a sent campaign still has addresses waiting for the worker.
pub async fn any_waiting(db: &Db) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM campaign_recipients WHERE queued_at IS NULL LIMIT 1").fetch_optional(db).await?;
    Ok(row.is_some())
}

const TOKEN_MAC_HEX: usize = 32;

/// The unsubscribe token: the member and the category in clear, bound together by a MAC under
/// the server key. It opens nothing but turning that one category off for that one member.
pub fn unsubscribe_token(account_id: &str, category: MailPreference) -> String {
    let mac = secret::mac(&["unsubscribe-v1", account_id, category.code()]);
    format!("{account_id}.{}.{}", category.code(), &mac[..TOKEN_MAC_HEX])
}

pub fn unsubscribe_url(config: &Config, account_id: &str, category: MailPreference) -> String {
    format!("{}/unsubscribe/{}", config.public_url, unsubscribe_token(account_id, category))
}

/// The member and category of a genuine token.
fn read_token(token: &str) -> Option<(String, MailPreference)> {
    let mut parts = token.split('.');
    let (account_id, code, _mac) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let category = MailPreference::from_code(code)?;
    // The whole token against the ones we would make (under the key, or an old one while a
    // rotation runs: the link is in mails already sent): the MAC's length is compared with it.
    let genuine = secret::macs(&["unsubscribe-v1", account_id, category.code()])
        .into_iter()
        .any(|mac| secrets_equal(&format!("{account_id}.{}.{}", category.code(), &mac[..TOKEN_MAC_HEX]), token));
    genuine.then(|| (account_id.to_string(), category))
}

/// What an unsubscribe link finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsubscribe {
    /// The category is (now) off for the member.
    Off(MailPreference),
    /// Not a link of ours, or the account no longer exists.
    Unknown,
}

/// The category of a link and whether it is still on (the page before the button).
pub async fn unsubscribe_state(db: &Db, token: &str) -> Result<Option<(MailPreference, bool)>, sqlx::Error> {
    let Some((account_id, category)) = read_token(token) else { return Ok(None) };
    let row: Option<(String,)> =
        sqlx::query_as("SELECT mail_preferences FROM accounts WHERE id = $1").bind(&account_id).fetch_optional(db).await?;
    Ok(row.map(|(stored,)| (category, MailPreference::parse_list(&stored).contains(&category))))
}

/// Turns the link's category off for its member: from the page's button, or the mail
/// program's one-click POST. Idempotent; a concurrent change of 配信メール設定 is not lost
/// (the write is conditional on the list it read).
pub async fn unsubscribe(db: &Db, now: i64, client_ip: Option<&str>, token: &str) -> Result<Unsubscribe, sqlx::Error> {
    let Some((account_id, category)) = read_token(token) else { return Ok(Unsubscribe::Unknown) };
    loop {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT mail_preferences FROM accounts WHERE id = $1").bind(&account_id).fetch_optional(db).await?;
        let Some((stored,)) = row else { return Ok(Unsubscribe::Unknown) };
        let mut prefs = MailPreference::parse_list(&stored);
        if !prefs.contains(&category) {
            return Ok(Unsubscribe::Off(category));
        }
        prefs.retain(|p| *p != category);
        let mut tx = db::begin(db).await?;
        let done = sqlx::query("UPDATE accounts SET mail_preferences = $1, updated_at = $2 WHERE id = $3 AND mail_preferences = $4")
            .bind(MailPreference::to_list(&prefs))
            .bind(now)
            .bind(&account_id)
            .bind(&stored)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 1 {
            audit::record(
                &mut *tx,
                now,
                audit::AuditEvent {
                    account_id: Some(&account_id),
                    client_ip,
                    detail: Some(category.label()),
                    ..audit::AuditEvent::of(audit::Event::MailUnsubscribed)
                },
            )
            .await?;
            tx.commit().await?;
            return Ok(Unsubscribe::Off(category));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_only_its_member_and_category() {
        let token = unsubscribe_token("a1b2", MailPreference::MedicalExpenses);
        assert_eq!(read_token(&token), Some(("a1b2".to_string(), MailPreference::MedicalExpenses)));
        let other_category = token.replace("medical_expenses", "newsletter");
        assert_eq!(read_token(&other_category), None);
        let other_member = token.replacen("a1b2", "a1b3", 1);
        assert_eq!(read_token(&other_member), None);
        assert_eq!(read_token(&format!("{token}.x")), None);
        assert_eq!(read_token("a1b2.medical_expenses"), None);
        assert_eq!(read_token(""), None);
    }
}
