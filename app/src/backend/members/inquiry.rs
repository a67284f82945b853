//! ログイン・パスワード問い合わせ専用フォーム: stored in the database, mailed to
//! the society's inbox and acknowledged to the member with a reference number, both
//! through the outbox in the same transaction (nothing is lost while SMTP is down).

use crate::backend::audit;
use crate::backend::mail::letters;
use crate::backend::platform::ids::new_id;
use crate::backend::platform::{rate, AppState, Db, Work};
use crate::domain::InquiryInput;
use crate::error::AppError;
use crate::text::inquiry as text;

/// Why an inquiry was not stored.
#[derive(Debug, thiserror::Error)]
pub enum InquiryError {
    #[error("too many inquiries from this client or address this hour")]
    TooMany,
    #[error("no free reference number")]
    NoFreeReference,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<InquiryError> for AppError {
    fn from(e: InquiryError) -> Self {
        match e {
            InquiryError::TooMany => AppError::Limited(text::INQUIRY_TOO_MANY.into()),
            InquiryError::NoFreeReference => {
                tracing::error!("five inquiry references drawn were all taken");
                AppError::Internal
            }
            InquiryError::Db(e) => e.into(),
        }
    }
}
use rand::seq::IndexedRandom;

/// Every inquiry already needs a CAPTCHA; this only stops a flood (no office sends 60 an hour).
pub const PER_CLIENT_PER_HOUR: i64 = 60;
pub const PER_ADDRESS_PER_HOUR: i64 = 3;

/// `Q-20261125-7K3M`: the date (JST) and four characters that cannot be misread on the phone.
fn new_reference(now: i64) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let tail: String = (0..4).map(|_| char::from(*ALPHABET.choose(&mut rng).expect("non-empty"))).collect();
    format!("Q-{}-{tail}", crate::backend::platform::clock::jst(now, "%Y%m%d"))
}

/// Stores the inquiry and writes both mails. Returns the reference number.
pub async fn submit(state: &AppState, client_ip: Option<&str>, input: &InquiryInput) -> Result<String, InquiryError> {
    let now = state.clock.now();
    let keys = [rate::key("inquiry-client", &rate::client(client_ip)), rate::key("inquiry-mail", &input.email.normalized())];
    let limits = [PER_CLIENT_PER_HOUR, PER_ADDRESS_PER_HOUR];
    // Counted first, in the transaction that stores the inquiry: one atomic statement each.
    let mut work = Work::begin(state, "inquiry.submit").await?.from_client(client_ip);
    for (key, limit) in keys.iter().zip(limits) {
        if rate::hit(&mut *work.tx, key, now, 3600).await? > limit {
            work.audit(audit::AuditEvent::of(audit::Event::InquiryLimited)).await?;
            work.commit().await?;
            return Err(InquiryError::TooMany);
        }
    }
    // A reference drawn twice on one day (1 in a million) is drawn again; `DO NOTHING` keeps
    // the transaction usable where a failed insert would abort it (PostgreSQL).
    for _ in 0..5 {
        let reference = new_reference(now);
        let inserted = sqlx::query(
            "INSERT INTO inquiries (id, reference, kind, name, kigo, bango, birth_date, email, phone, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (reference) DO NOTHING",
        )
        .bind(new_id())
        .bind(&reference)
        .bind(input.kind.code())
        .bind(&input.name)
        .bind(input.kigo.as_str())
        .bind(input.bango.as_str())
        .bind(input.birth_date.iso())
        .bind(input.email.as_str())
        .bind(input.phone.as_deref())
        .bind(&input.body)
        .bind(now)
        .execute(&mut *work.tx)
        .await?;
        if inserted.rows_affected() == 0 {
            continue;
        }
        work.mail(&letters::inquiry_to_staff(&state.config, &reference, input)).await?;
        work.mail(&letters::inquiry_received(&state.config, input.email.as_str(), &reference, input.kind)).await?;
        work.audit(audit::AuditEvent {
            subject: Some(&input.email.normalized()),
            detail: Some(&reference),
            ..audit::AuditEvent::of(audit::Event::InquiryReceived)
        })
        .await?;
        work.commit().await?;
        return Ok(reference);
    }
    Err(InquiryError::NoFreeReference)
}

/// One inquiry as staff see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InquiryRow {
    pub reference: String,
    pub kind: String,
    pub name: String,
    pub kigo: String,
    pub bango: String,
    pub birth_date: String,
    pub email: String,
    pub phone: Option<String>,
    pub body: String,
    pub status: String,
    pub created_at: i64,
}

/// Inquiries not yet 完了, oldest first (or every inquiry with `all`).
pub async fn list(db: &Db, all: bool) -> Result<Vec<InquiryRow>, sqlx::Error> {
    let filter = if all { "" } else { "WHERE status <> 'closed'" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT reference, kind, name, kigo, bango, birth_date, email, phone, body, status, created_at FROM inquiries {filter} ORDER BY created_at, reference"
    )))
    .fetch_all(db)
    .await
}

/// Marks an inquiry answered (完了). Returns false if no unfinished inquiry has that reference.
pub async fn close(db: &Db, reference: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE inquiries SET status = 'closed', closed_at = $1 WHERE reference = $2 AND status <> 'closed'")
        .bind(now)
        .bind(reference.trim().to_ascii_uppercase())
        .execute(db)
        .await?;
    if done.rows_affected() == 1 {
        audit::record(db, now, audit::AuditEvent { detail: Some(reference), ..audit::AuditEvent::of(audit::Event::InquiryClosed) }).await?;
    }
    Ok(done.rows_affected() == 1)
}
