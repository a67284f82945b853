//! 加入者サポート: find a member, see everything about their account, and act on it (each action
//! confirmed with a reason that goes to the audit log with the staff member).

use super::session::StaffMember;
use super::StaffError;
use crate::api::staff::{AccountDetail, AuditLine, EmailLine, Letter, Letters, MailLine, MemberDetail, MemberHit, Paged, SessionLine};
use crate::backend::audit::{self, ByStaff};
use crate::backend::identity::throttle::{self, Principal};
use crate::backend::mail::letters;
use crate::backend::members::login;
use crate::backend::members::settings;
use crate::backend::members::temp_credentials::{self, Issued, Selection};
use crate::backend::platform::clock::jst;
use crate::backend::platform::{AppState, Db, Work};
use crate::domain::{Bango, Email, Kigo, MailPreference, MemberAction, MemberStatus};
use crate::text::staff as text;

pub const PAGE_SIZE: i64 = 20;
/// Days a temporary password issued from the console works (as the CLI's default).
pub const TEMP_PASSWORD_DAYS: i64 = 30;
const TIME: &str = "%Y/%m/%d %H:%M";

/// Hiragana as katakana (the roster's カナ is katakana), spaces removed.
fn kana_query(q: &str) -> String {
    q.chars()
        .filter(|c| !matches!(c, ' ' | '\u{3000}'))
        .map(|c| if ('\u{3041}'..='\u{3096}').contains(&c) { char::from_u32(c as u32 + 0x60).unwrap_or(c) } else { c })
        .collect()
}

/// `%text%` for LIKE with `\` escaping the wildcards a name could contain.
fn like(text: &str) -> String {
    format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

#[derive(sqlx::FromRow)]
struct HitRow {
    kigo: String,
    bango: String,
    name: String,
    name_kana: Option<String>,
    status: String,
    login_id: Option<String>,
    login_id_norm: Option<String>,
    must_change_password: Option<i64>,
    disabled_at: Option<i64>,
}

fn status_label(code: &str) -> String {
    MemberStatus::parse(code).map(|s| s.label().to_string()).unwrap_or_else(|_| code.to_string())
}

/// Who looked at members' data: every search (with the members it showed) and every member's
/// page a staff member opens is in the audit log — it is health-insurance data.
pub struct Viewer<'a> {
    pub staff: &'a StaffMember,
    pub client_ip: Option<&'a str>,
}

/// 加入者検索: 記号・番号, 氏名 or カナ (partial, spaces ignored), login ID, or any address.
pub async fn search(state: &AppState, viewer: Viewer<'_>, query: &str, page: i64) -> Result<Paged<MemberHit>, sqlx::Error> {
    let hits = find(state, query, page).await?;
    if !query.trim().is_empty() {
        let shown: Vec<String> = hits.rows.iter().map(|h| format!("{}-{}", h.kigo, h.bango)).collect();
        let detail = format!("{}件（{}ページ）: {}", hits.total, hits.page, shown.join(", "));
        let entry = audit::AuditEvent::by_staff(audit::Event::StaffSearchedMembers, &viewer.staff.id, viewer.client_ip, &detail);
        audit::record(&state.db, state.clock.now(), entry).await?;
    }
    Ok(hits)
}

async fn find(state: &AppState, query: &str, page: i64) -> Result<Paged<MemberHit>, sqlx::Error> {
    let q = crate::domain::trim_spaces(query);
    let page = page.max(1);
    if q.is_empty() {
        return Ok(Paged { rows: Vec::new(), total: 0, page: 1, pages: 0 });
    }
    let (kigo, bango) = crate::domain::MemberNumber::parse_joined(q)
        .map(|n| (n.kigo.as_str().to_string(), n.bango.as_str().to_string()))
        .unwrap_or_default();
    let exact = q.to_lowercase();
    let name = like(&kana_query(q).replace(['　', ' '], ""));
    let name_as_typed = like(&q.replace(['　', ' '], ""));
    const FROM: &str = "FROM roster r LEFT JOIN accounts a ON a.kigo = r.kigo AND a.bango = r.bango \
        WHERE (r.kigo = $1 AND r.bango = $2) \
           OR REPLACE(REPLACE(r.name, ' ', ''), '　', '') LIKE $3 ESCAPE '\\' \
           OR REPLACE(REPLACE(r.name_kana, ' ', ''), '　', '') LIKE $4 ESCAPE '\\' \
           OR a.login_id_norm = $5 OR r.email_norm = $5 \
           OR a.id IN (SELECT account_id FROM account_emails WHERE email_norm = $5) \
           OR a.id IN (SELECT account_id FROM email_changes WHERE email_norm = $5)";
    let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {FROM}")))
        .bind(&kigo)
        .bind(&bango)
        .bind(&name_as_typed)
        .bind(&name)
        .bind(&exact)
        .fetch_one(&state.db)
        .await?;
    let rows: Vec<HitRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT r.kigo, r.bango, r.name, r.name_kana, r.status, a.login_id, a.login_id_norm, a.must_change_password, a.disabled_at {FROM} \
         ORDER BY r.kigo, r.bango LIMIT $6 OFFSET $7"
    )))
    .bind(&kigo)
    .bind(&bango)
    .bind(&name_as_typed)
    .bind(&name)
    .bind(&exact)
    .bind(PAGE_SIZE)
    .bind((page - 1) * PAGE_SIZE)
    .fetch_all(&state.db)
    .await?;
    let now = state.clock.now();
    let mut hits = Vec::with_capacity(rows.len());
    for r in rows {
        let locked = match &r.login_id_norm {
            Some(norm) => throttle::locked_until(&state.db, Principal::Member, norm, now).await?,
            None => None,
        };
        let account_state = match (&r.login_id, r.disabled_at, locked, r.must_change_password) {
            (None, ..) => text::STATE_NOT_REGISTERED.to_string(),
            (Some(_), Some(_), ..) => text::STATE_DISABLED.to_string(),
            (Some(_), None, Some(until), _) => format!("{}（{}まで）", text::STATE_LOCKED, jst(until, TIME)),
            (Some(_), None, None, Some(1)) => text::STATE_TEMP.to_string(),
            _ => text::STATE_REGISTERED.to_string(),
        };
        hits.push(MemberHit {
            status: status_label(&r.status),
            kigo: r.kigo,
            bango: r.bango,
            name: r.name,
            name_kana: r.name_kana,
            login_id: r.login_id,
            account_state,
        });
    }
    Ok(Paged { rows: hits, total, page, pages: (total + PAGE_SIZE - 1) / PAGE_SIZE })
}

#[derive(sqlx::FromRow)]
pub(super) struct RosterRow {
    pub(super) name: String,
    name_kana: Option<String>,
    birth_date: String,
    email: Option<String>,
    status: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct AccountRow {
    pub(super) id: String,
    login_id: String,
    login_id_norm: String,
    created_at: i64,
    email1: Option<String>,
    email2: Option<String>,
    email3: Option<String>,
    mail_preferences: String,
    pub(super) must_change_password: i64,
    password_expires_at: Option<i64>,
    disabled_at: Option<i64>,
    two_step: i64,
}

impl AccountRow {
    fn confirmed(&self) -> impl Iterator<Item = &String> {
        [&self.email1, &self.email2, &self.email3].into_iter().flatten()
    }
}

pub(super) async fn roster(db: &Db, kigo: &Kigo, bango: &Bango) -> Result<RosterRow, StaffError> {
    sqlx::query_as("SELECT name, name_kana, birth_date, email, status FROM roster WHERE kigo = $1 AND bango = $2")
        .bind(kigo.as_str())
        .bind(bango.as_str())
        .fetch_optional(db)
        .await?
        .ok_or(StaffError::NotFound)
}

pub(super) async fn account(db: &Db, kigo: &Kigo, bango: &Bango) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, login_id, login_id_norm, created_at, email1, email2, email3, mail_preferences, must_change_password, password_expires_at, disabled_at, \
         CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END AS two_step FROM accounts WHERE kigo = $1 AND bango = $2",
    )
    .bind(kigo.as_str())
    .bind(bango.as_str())
    .fetch_optional(db)
    .await
}

/// The audit entries of an account, newest first, with the staff member who acted.
pub async fn audit_of(db: &Db, account_id: &str, limit: i64) -> Result<Vec<AuditLine>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        at: i64,
        event: String,
        name: Option<String>,
        client_ip: Option<String>,
        detail: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT l.at, l.event, s.name, l.client_ip, l.detail FROM audit_log l LEFT JOIN staff s ON s.id = l.staff_id \
         WHERE l.account_id = $1 ORDER BY l.at DESC, l.id LIMIT $2",
    )
    .bind(account_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditLine {
            at: jst(r.at, TIME),
            event: crate::domain::audit::Event::label_of(&r.event).to_string(),
            staff: r.name,
            member: None,
            client_ip: r.client_ip,
            detail: r.detail,
        })
        .collect())
}

/// 加入者詳細: roster data, the account's state, addresses, preferences, sessions, the last
/// mails (subject and outcome, never the body) and the audit events.
pub async fn detail(state: &AppState, viewer: Viewer<'_>, kigo: &Kigo, bango: &Bango) -> Result<MemberDetail, StaffError> {
    let now = state.clock.now();
    let r = roster(&state.db, kigo, bango).await?;
    let a = account(&state.db, kigo, bango).await?;
    let number = format!("{}-{}", kigo.as_str(), bango.as_str());
    let viewed = audit::AuditEvent {
        account_id: a.as_ref().map(|a| a.id.as_str()),
        ..audit::AuditEvent::by_staff(audit::Event::StaffViewedMember, &viewer.staff.id, viewer.client_ip, &number)
    };
    audit::record(&state.db, now, viewed).await?;
    let mut addresses: Vec<String> = r.email.iter().cloned().collect();
    let (account_detail, audit) = match &a {
        None => (None, Vec::new()),
        Some(a) => {
            let locked = throttle::locked_until(&state.db, Principal::Member, &a.login_id_norm, now).await?;
            let pending: Vec<(i64, String, i64)> =
                sqlx::query_as("SELECT slot, email, expires_at FROM email_changes WHERE account_id = $1")
                    .bind(&a.id)
                    .fetch_all(&state.db)
                    .await?;
            let emails = [&a.email1, &a.email2, &a.email3]
                .into_iter()
                .enumerate()
                .map(|(i, address)| EmailLine {
                    label: crate::text::settings::EMAIL_LABELS[i].to_string(),
                    address: address.clone(),
                    pending: pending
                        .iter()
                        .find(|p| p.0 == i as i64 + 1)
                        .map(|(_, email, until)| format!("{email}（{}{}まで）", text::PENDING_CONFIRMATION, jst(*until, TIME))),
                })
                .collect();
            addresses.extend(a.confirmed().cloned());
            addresses.extend(pending.into_iter().map(|p| p.1));
            let sessions = crate::backend::identity::session::MEMBERS.list(state, &a.id, None).await?;
            let mut states = vec![text::STATE_REGISTERED.to_string()];
            if let Some(until) = locked {
                states.push(format!("{}（{}まで）", text::STATE_LOCKED, jst(until, TIME)));
            }
            if a.must_change_password != 0 {
                let expiry = a.password_expires_at.map(|at| jst(at, TIME)).unwrap_or_default();
                states.push(format!("{}（有効期限 {expiry}）", text::STATE_TEMP));
            }
            if a.disabled_at.is_some() {
                states.push(text::STATE_DISABLED.to_string());
            }
            if a.two_step == 1 {
                states.push(text::STATE_TWO_STEP.to_string());
            }
            let detail = AccountDetail {
                login_id: a.login_id.clone(),
                registered_at: jst(a.created_at, TIME),
                states,
                locked: locked.is_some(),
                disabled: a.disabled_at.is_some(),
                two_step: a.two_step == 1,
                temporary: a.must_change_password != 0,
                emails,
                preferences: MailPreference::parse_list(&a.mail_preferences).into_iter().map(|p| p.label().to_string()).collect(),
                sessions: sessions
                    .into_iter()
                    .map(|s| SessionLine {
                        device: s
                            .user_agent
                            .as_deref()
                            .and_then(crate::domain::device_name)
                            .unwrap_or_else(|| text::UNKNOWN_DEVICE.to_string()),
                        started: jst(s.created_at, TIME),
                        last_seen: jst(s.last_seen_at, TIME),
                        client_ip: s.client_ip,
                    })
                    .collect(),
            };
            (Some(detail), audit_of(&state.db, &a.id, 50).await?)
        }
    };
    addresses.sort();
    addresses.dedup();
    let mails = recent_mails(&state.db, &addresses).await?;
    Ok(MemberDetail {
        kigo: kigo.as_str().to_string(),
        bango: bango.as_str().to_string(),
        active: MemberStatus::parse(&r.status).is_ok_and(|s| s.is_active()),
        status: status_label(&r.status),
        name: r.name,
        name_kana: r.name_kana,
        birth_date: r.birth_date.replace('-', "/"),
        roster_email: r.email.filter(|e| !e.is_empty()),
        account: account_detail,
        mails,
        audit,
    })
}

/// The last 20 mails to any of `addresses`: subject, time and outcome.
async fn recent_mails(db: &Db, addresses: &[String]) -> Result<Vec<MailLine>, sqlx::Error> {
    if addresses.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=addresses.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT created_at, recipient, subject, sent_at, failed_at FROM mail_outbox WHERE recipient IN ({}) ORDER BY created_at DESC, id LIMIT 20",
        marks.join(", ")
    );
    let mut query = sqlx::query_as::<_, (i64, String, String, Option<i64>, Option<i64>)>(sqlx::AssertSqlSafe(sql));
    for a in addresses {
        query = query.bind(a);
    }
    Ok(query
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|(at, recipient, subject, sent, failed)| MailLine {
            at: jst(at, TIME),
            recipient,
            subject,
            state: match (sent, failed) {
                (Some(t), _) => format!("{}（{}）", text::MAIL_SENT, jst(t, TIME)),
                (None, Some(_)) => text::MAIL_FAILED.to_string(),
                (None, None) => text::MAIL_WAITING.to_string(),
            },
        })
        .collect())
}

/// What an action produced: letters to print (a temporary password), a request waiting for a
/// second staff member's approval, or nothing to show.
#[derive(Debug)]
pub enum Outcome {
    Done,
    Requested,
    Letters(Letters),
}

/// The letters' common part: the login URL and its QR code.
pub fn letters(state: &AppState, issued: Vec<Issued>, skipped: Vec<String>) -> Letters {
    let url = format!("{}/", state.config.public_url);
    Letters {
        qr: crate::backend::identity::totp::qr_data_uri(&url).unwrap_or_default(),
        contact: state.config.society_contact.clone(),
        url,
        letters: issued
            .into_iter()
            .map(|i| Letter {
                name: i.name,
                kigo: i.kigo,
                bango: i.bango,
                login_id: i.login_id,
                password: i.password,
                expires: jst(i.expires_at, "%Y年%m月%d日 %H:%M"),
            })
            .collect(),
        skipped,
        reissued: false,
    }
}

/// One action staff confirmed: what, why (for the audit log), and the address for メールアドレス1.
#[derive(Debug, Clone, Copy)]
pub struct ActionRequest<'a> {
    pub action: MemberAction,
    pub reason: &'a str,
    pub email: Option<&'a Email>,
}

/// Refuses an action of a staff member on their own member record (the 記号・番号 given when
/// they were added, or their address is the roster's or one of the account's): nobody hands
/// themself a factor.
pub(super) async fn refuse_own_record(db: &Db, staff: &StaffMember, kigo: &Kigo, bango: &Bango) -> Result<(), StaffError> {
    let (own,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM staff s, roster r LEFT JOIN accounts a ON a.kigo = r.kigo AND a.bango = r.bango \
         WHERE s.id = $1 AND r.kigo = $2 AND r.bango = $3 \
           AND ((s.member_kigo = r.kigo AND s.member_bango = r.bango) \
             OR r.email_norm = s.email_norm OR lower(a.email1) = s.email_norm OR lower(a.email2) = s.email_norm OR lower(a.email3) = s.email_norm)",
    )
    .bind(&staff.id)
    .bind(kigo.as_str())
    .bind(bango.as_str())
    .fetch_one(db)
    .await?;
    if own > 0 {
        return Err(StaffError::NotPossible(text::NOT_OWN_RECORD));
    }
    Ok(())
}

/// Carries out one action on a member's account, with the staff member and reason in the audit
/// log. An action that hands over or removes a factor of a registered member becomes a request
/// for a 管理者 other than the requester (`approvals`).
pub async fn act(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    (kigo, bango): (&Kigo, &Bango),
    request: ActionRequest<'_>,
) -> Result<Outcome, StaffError> {
    let ActionRequest { action, reason, email } = request;
    let now = state.clock.now();
    roster(&state.db, kigo, bango).await?;
    refuse_own_record(&state.db, staff, kigo, bango).await?;
    let a = account(&state.db, kigo, bango).await?;
    let registered = a.as_ref().is_some_and(|a| a.must_change_password == 0);
    if action.needs_approval(registered) {
        let a = a.ok_or(StaffError::NotPossible(text::NOT_REGISTERED))?;
        possible(&state.db, &a, action, email).await?;
        super::approvals::request(state, staff, client_ip, &a.id, (kigo, bango), request).await?;
        return Ok(Outcome::Requested);
    }
    if action == MemberAction::TempPassword {
        // A first letter (never registered, or its temporary password still unused).
        let selection = Selection::Members(vec![(kigo.clone(), bango.clone())]);
        let by = ByStaff { staff_id: &staff.id, reason };
        let report = temp_credentials::issue(&state.db, now, &selection, TEMP_PASSWORD_DAYS, Some(by)).await?;
        if report.issued.is_empty() {
            return Err(StaffError::NotPossible(report.skipped.first().map(|s| s.reason).unwrap_or(text::NOT_REGISTERED)));
        }
        return Ok(Outcome::Letters(letters(state, report.issued, Vec::new())));
    }
    let a = a.ok_or(StaffError::NotPossible(text::NOT_REGISTERED))?;
    let mut work = Work::begin(state, "members.act").await?.from_client(client_ip).by_staff(&staff.id);
    let detail = perform(&mut work, &a, action, reason, email).await?;
    work.audit(audit::AuditEvent::on_account(action.event(), &a.id, &detail)).await?;
    work.commit().await?;
    Ok(Outcome::Done)
}

/// Whether the action can be done on this account now (asked before a request is made, and
/// again by `perform` when it is carried out).
pub(super) async fn possible<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    a: &AccountRow,
    action: MemberAction,
    email: Option<&Email>,
) -> Result<(), StaffError> {
    match action {
        MemberAction::TwoStepReset if a.two_step == 0 => Err(StaffError::NotPossible(text::NO_TWO_STEP)),
        MemberAction::SetEmail1 => {
            let email = email.ok_or(StaffError::NotPossible(text::EMAIL_REQUIRED))?;
            let owner: Option<(String,)> = sqlx::query_as("SELECT account_id FROM account_emails WHERE email_norm = $1")
                .bind(email.normalized())
                .fetch_optional(db)
                .await?;
            if owner.is_some_and(|(id,)| id != a.id) {
                return Err(StaffError::AddressTaken);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Does one action (not 仮パスワード発行) inside the caller's transaction; returns the audit detail.
pub(super) async fn perform(
    work: &mut Work<'_>,
    a: &AccountRow,
    action: MemberAction,
    reason: &str,
    email: Option<&Email>,
) -> Result<String, StaffError> {
    let mut detail = reason.to_string();
    match action {
        MemberAction::Unlock => {
            if throttle::locked_until(&work.state.db, Principal::Member, &a.login_id_norm, work.now).await?.is_none() {
                return Err(StaffError::NotPossible(text::NOT_LOCKED));
            }
            login::lift_account_lock(&mut work.tx, &a.id).await?;
        }
        MemberAction::EndSessions => {
            let ended = login::end_sessions(&mut work.tx, &a.id, None).await?;
            detail = format!("{reason}（{ended}件）");
        }
        MemberAction::SetEmail1 => {
            possible(&mut *work.tx, a, action, email).await?;
            let email = email.ok_or(StaffError::NotPossible(text::EMAIL_REQUIRED))?;
            settings::request_confirmation(work, &a.id, 1, email.as_str()).await?;
            detail = format!("{reason}（確認メール送信: {}）", crate::domain::mask_email(email.as_str()));
        }
        MemberAction::Disable | MemberAction::Enable => {
            let disable = action == MemberAction::Disable;
            if disable == a.disabled_at.is_some() {
                return Err(StaffError::NotPossible(if disable { text::ALREADY_DISABLED } else { text::NOT_DISABLED }));
            }
            sqlx::query("UPDATE accounts SET disabled_at = $1, updated_at = $2 WHERE id = $3")
                .bind(disable.then_some(work.now))
                .bind(work.now)
                .bind(&a.id)
                .execute(&mut *work.tx)
                .await?;
            if disable {
                login::end_sessions(&mut work.tx, &a.id, None).await?;
            }
        }
        MemberAction::SendLoginId => {
            let mut sent = 0;
            for to in a.confirmed() {
                work.mail(&letters::login_id_notice(&work.state.config, to, &a.login_id)).await?;
                sent += 1;
            }
            if sent == 0 {
                return Err(StaffError::NotPossible(text::NO_CONFIRMED_ADDRESS));
            }
        }
        MemberAction::TwoStepReset => {
            if !crate::backend::members::two_step::reset_for_staff(work, &a.id).await? {
                return Err(StaffError::NotPossible(text::NO_TWO_STEP));
            }
        }
        MemberAction::TempPassword => return Err(StaffError::NotPossible(text::NOT_REGISTERED)),
    }
    Ok(detail)
}

/// 紙通知 for every active member without a company address and without an account, in one job,
/// when their number is still the one the 管理者 was shown (`expected`).
pub async fn letters_for_all_without_email(
    state: &AppState,
    staff: &StaffMember,
    reason: &str,
    expected: usize,
) -> Result<Letters, StaffError> {
    if temp_credentials::count(&state.db, &Selection::AllWithoutEmail).await? != expected {
        return Err(StaffError::NotPossible(text::LETTERS_COUNT_CHANGED));
    }
    let by = ByStaff { staff_id: &staff.id, reason };
    let report = temp_credentials::issue(&state.db, state.clock.now(), &Selection::AllWithoutEmail, TEMP_PASSWORD_DAYS, Some(by)).await?;
    let skipped = report.skipped.iter().map(|s| format!("{}-{}: {}", s.kigo, s.bango, s.reason)).collect();
    Ok(letters(state, report.issued, skipped))
}

/// How many members are locked out right now (the console's ホーム).
pub async fn locked_count(state: &AppState) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_throttle WHERE key LIKE 'login-id:%' AND locked_until > $1")
        .bind(state.clock.now())
        .fetch_one(&state.db)
        .await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_numbers_and_kana_queries() {
        let n = crate::domain::MemberNumber::parse_joined("１２－００３４５").unwrap();
        assert_eq!((n.kigo.as_str(), n.bango.as_str()), ("12", "345"));
        assert!(crate::domain::MemberNumber::parse_joined("山田").is_none());
        assert_eq!(kana_query("やまだ たろう"), "ヤマダタロウ");
        assert_eq!(like("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
