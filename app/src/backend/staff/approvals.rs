//! 依頼と承認: an action that hands over or removes a factor of a registered member
//! (2段階認証リセット, 仮パスワード再発行, メールアドレス1の設定) is asked by one staff member and
//! carried out only when a 管理者 other than them approves it. One insider alone cannot take an
//! account: the requester never sees the resulting credential (a re-issued temporary password is
//! printed by the approver), and nobody both resets a member's 2段階認証 and hands them a
//! temporary password within [`PAIR_SECONDS`].

use super::members::{self, ActionRequest, Outcome};
use super::session::StaffMember;
use super::StaffError;
use crate::api::staff::ApprovalLine;
use crate::backend::audit;
use crate::backend::members::temp_credentials::Reissue;
use crate::backend::platform::clock::jst;
use crate::backend::platform::ids::new_id;
use crate::backend::platform::{db, AppState, Work};
use crate::domain::{Bango, Email, Kigo, MemberAction};
use crate::text::staff as text;

/// How long a request waits for its approval; after that it can only be declined.
pub const REQUEST_SECONDS: i64 = 72 * 3600;
/// Within this, one staff member takes part (asking or approving) in at most one of a member's
/// 2段階認証リセット and 仮パスワード再発行.
pub const PAIR_SECONDS: i64 = 24 * 3600;

/// The other half of the pair that together hand over an account.
fn paired(action: MemberAction) -> Option<MemberAction> {
    match action {
        MemberAction::TwoStepReset => Some(MemberAction::TempPassword),
        MemberAction::TempPassword => Some(MemberAction::TwoStepReset),
        _ => None,
    }
}

/// Refuses when any of `staff` asked for or approved the paired action for this account within
/// [`PAIR_SECONDS`] (or has such a request open).
async fn refuse_pair(
    exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
    account_id: &str,
    action: MemberAction,
    staff: (&str, &str),
    now: i64,
) -> Result<(), StaffError> {
    let Some(other) = paired(action) else { return Ok(()) };
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM staff_requests WHERE account_id = $1 AND action = $2 \
         AND (requested_by IN ($3, $4) OR decided_by IN ($3, $4)) \
         AND (decided_at IS NULL OR (decision = 'approved' AND decided_at > $5))",
    )
    .bind(account_id)
    .bind(other.code())
    .bind(staff.0)
    .bind(staff.1)
    .bind(now - PAIR_SECONDS)
    .fetch_one(exec)
    .await?;
    if n > 0 {
        return Err(StaffError::NotPossible(text::SAME_PERSON_PAIR));
    }
    Ok(())
}

/// Records the request (audited with its reason); a second request for the same account and
/// action while one is open is refused.
pub(super) async fn request(
    state: &AppState,
    staff: &StaffMember,
    client_ip: Option<&str>,
    account_id: &str,
    (kigo, bango): (&Kigo, &Bango),
    request: ActionRequest<'_>,
) -> Result<(), StaffError> {
    let now = state.clock.now();
    let mut work = Work::begin(state, "approvals.request").await?.from_client(client_ip).by_staff(&staff.id);
    refuse_pair(&mut *work.tx, account_id, request.action, (&staff.id, &staff.id), now).await?;
    let inserted = sqlx::query(
        "INSERT INTO staff_requests (id, account_id, kigo, bango, action, email, reason, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(new_id())
    .bind(account_id)
    .bind(kigo.as_str())
    .bind(bango.as_str())
    .bind(request.action.code())
    .bind(request.email.map(Email::as_str))
    .bind(request.reason)
    .bind(&staff.id)
    .bind(now)
    .execute(&mut *work.tx)
    .await;
    match inserted {
        Err(e) if db::unique_violation(&e).is_some() => return Err(StaffError::NotPossible(text::ALREADY_REQUESTED)),
        other => other?,
    };
    let detail = described(request.action, request.email.map(Email::as_str), request.reason);
    work.audit(audit::AuditEvent::on_account(audit::Event::StaffRequestCreated, account_id, &detail)).await?;
    work.commit().await?;
    Ok(())
}

/// What a request asks, for the audit log (an address masked).
fn described(action: MemberAction, email: Option<&str>, reason: &str) -> String {
    match email {
        Some(e) => format!("{}（{}）: {reason}", action.label(), crate::domain::mask_email(e)),
        None => format!("{}: {reason}", action.label()),
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    account_id: String,
    kigo: String,
    bango: String,
    action: String,
    email: Option<String>,
    reason: String,
    requested_by: String,
    requested_at: i64,
    requester: String,
    name: String,
}

const SELECT: &str = "SELECT q.id, q.account_id, q.kigo, q.bango, q.action, q.email, q.reason, q.requested_by, q.requested_at, \
    s.name AS requester, COALESCE(r.name, '') AS name \
    FROM staff_requests q JOIN staff s ON s.id = q.requested_by LEFT JOIN roster r ON r.kigo = q.kigo AND r.bango = q.bango \
    WHERE q.decided_at IS NULL";

impl Row {
    fn line(self, me: &StaffMember, now: i64) -> Option<ApprovalLine> {
        Some(ApprovalLine {
            action: MemberAction::parse(&self.action)?,
            own: self.requested_by == me.id,
            expired: self.requested_at <= now - REQUEST_SECONDS,
            requested_at: jst(self.requested_at, "%Y/%m/%d %H:%M"),
            id: self.id,
            kigo: self.kigo,
            bango: self.bango,
            name: self.name,
            email: self.email,
            reason: self.reason,
            requested_by: self.requester,
        })
    }
}

/// 承認待ち: every open request, oldest first.
pub async fn open(state: &AppState, me: &StaffMember) -> Result<Vec<ApprovalLine>, sqlx::Error> {
    let now = state.clock.now();
    let rows: Vec<Row> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY q.requested_at, q.id"))).fetch_all(&state.db).await?;
    Ok(rows.into_iter().filter_map(|r| r.line(me, now)).collect())
}

/// How many requests wait for a decision (the console's ホーム and menu).
pub async fn open_count(db: &crate::backend::platform::Db) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff_requests WHERE decided_at IS NULL").fetch_one(db).await?;
    Ok(n)
}

async fn open_row(state: &AppState, id: &str) -> Result<Row, StaffError> {
    let row: Option<Row> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} AND q.id = $1"))).bind(id).fetch_optional(&state.db).await?;
    row.ok_or(StaffError::NotPossible(text::REQUEST_DECIDED))
}

/// One open request, as its approver sees it.
pub async fn one(state: &AppState, me: &StaffMember, id: &str) -> Result<ApprovalLine, StaffError> {
    let row = open_row(state, id).await?;
    row.line(me, state.clock.now()).ok_or(StaffError::NotFound)
}

/// A 管理者's decision on a request. Approved, the action is carried out in the same transaction
/// that claims the request (two approvals at once: one carries it out), under the approver's
/// name with both reasons in the audit log. A re-issued temporary password comes back as the
/// approver's letter.
pub async fn decide(
    state: &AppState,
    me: &StaffMember,
    client_ip: Option<&str>,
    id: &str,
    approve: bool,
    note: &str,
) -> Result<Outcome, StaffError> {
    let now = state.clock.now();
    let row = open_row(state, id).await?;
    let action = MemberAction::parse(&row.action).ok_or(StaffError::NotFound)?;
    if row.requested_by == me.id {
        return Err(StaffError::NotPossible(text::NOT_OWN_REQUEST));
    }
    let (kigo, bango) =
        (Kigo::parse(&row.kigo).map_err(|_| StaffError::NotFound)?, Bango::parse(&row.bango).map_err(|_| StaffError::NotFound)?);
    if !approve {
        let mut work = Work::begin(state, "approvals.decide").await?.from_client(client_ip).by_staff(&me.id);
        claim(&mut work.tx, &row, me, "rejected", note, now, false).await?;
        let detail = format!("{}: {note}（依頼: {}）", action.label(), row.requester);
        work.audit(audit::AuditEvent::on_account(audit::Event::StaffRequestRejected, &row.account_id, &detail)).await?;
        work.commit().await?;
        return Ok(Outcome::Done);
    }
    if row.requested_at <= now - REQUEST_SECONDS {
        return Err(StaffError::NotPossible(text::REQUEST_EXPIRED));
    }
    members::refuse_own_record(&state.db, me, &kigo, &bango).await?;
    // The same account still (not withdrawn and registered again since the request).
    let account = members::account(&state.db, &kigo, &bango).await?.filter(|a| a.id == row.account_id);
    let account = account.ok_or(StaffError::NotPossible(text::NOT_REGISTERED))?;
    let email = row.email.as_deref().map(Email::parse).transpose().map_err(|_| StaffError::NotPossible(text::EMAIL_REQUIRED))?;
    // Hashed before the transaction: a hash must not hold the database's write lock.
    let reissue = match action {
        MemberAction::TempPassword if account.must_change_password == 0 => {
            Some(Reissue::prepare(&state.db, &account.id, members::TEMP_PASSWORD_DAYS, now).await?)
        }
        MemberAction::TempPassword => return Err(StaffError::NotPossible(text::REQUEST_NOT_NEEDED)),
        _ => None,
    };
    let mut work = Work::begin(state, "approvals.decide").await?.from_client(client_ip).by_staff(&me.id);
    refuse_pair(&mut *work.tx, &row.account_id, action, (&me.id, &row.requested_by), now).await?;
    claim(&mut work.tx, &row, me, "approved", note, now, true).await?;
    let detail = format!("{}（依頼: {}、承認: {note}）", row.reason, row.requester);
    let issued = match reissue {
        Some(r) => {
            let issued = r.apply(&mut work).await?;
            work.audit(audit::AuditEvent::on_account(audit::Event::TempCredentialsIssued, &row.account_id, &detail)).await?;
            Some(issued)
        }
        None => {
            let detail = members::perform(&mut work, &account, action, &detail, email.as_ref()).await?;
            work.audit(audit::AuditEvent::on_account(action.event(), &row.account_id, &detail)).await?;
            None
        }
    };
    let approved = format!("{}: {note}（依頼: {}）", action.label(), row.requester);
    work.audit(audit::AuditEvent::on_account(audit::Event::StaffRequestApproved, &row.account_id, &approved)).await?;
    work.commit().await?;
    Ok(match issued {
        Some(issued) => {
            Outcome::Letters(crate::api::staff::Letters { reissued: true, ..members::letters(state, vec![issued], Vec::new()) })
        }
        None => Outcome::Done,
    })
}

/// Marks the request decided, once: a second decision sent at the same moment is refused. An
/// approval also needs the request still within [`REQUEST_SECONDS`].
async fn claim(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    row: &Row,
    me: &StaffMember,
    decision: &str,
    note: &str,
    now: i64,
    fresh_only: bool,
) -> Result<(), StaffError> {
    let oldest = if fresh_only { now - REQUEST_SECONDS } else { i64::MIN };
    let done = sqlx::query(
        "UPDATE staff_requests SET decided_by = $1, decided_at = $2, decision = $3, decision_reason = $4 \
         WHERE id = $5 AND decided_at IS NULL AND requested_by <> $1 AND requested_at > $6",
    )
    .bind(&me.id)
    .bind(now)
    .bind(decision)
    .bind(note)
    .bind(&row.id)
    .bind(oldest)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StaffError::NotPossible(text::REQUEST_DECIDED));
    }
    Ok(())
}
