//! Per-client limits of the public forms (README.md "Security notes"): past so many
//! requests an hour from one client address, the form also asks for the 認証文字. Never a
//! refusal: a company's members share one office address, and on the day the society
//! announces the portal hundreds of them sign up from it.

use crate::api::CaptchaView;
use crate::backend::audit;
use crate::backend::identity::captcha::{self, CaptchaError};
use crate::backend::platform::{rate, AppState, Work};
use crate::error::AppError;
use crate::text::registration as text;

/// A request past its client's limit without the right 認証文字.
#[derive(Debug, thiserror::Error)]
pub enum ChallengeError {
    #[error("the CAPTCHA is needed")]
    Required,
    #[error("wrong CAPTCHA")]
    Wrong,
    #[error("the client used its proofs of work for this hour")]
    ProofLimit,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<ChallengeError> for AppError {
    fn from(e: ChallengeError) -> Self {
        let field_message = match e {
            ChallengeError::Required => text::CAPTCHA_REQUIRED,
            ChallengeError::Wrong => text::CAPTCHA_WRONG,
            ChallengeError::ProofLimit => text::PROOF_LIMIT,
            ChallengeError::Db(e) => return e.into(),
        };
        AppError::Invalid { fields: vec![("captcha".into(), field_message.into())], message: Some(text::CAPTCHA_REQUIRED.into()) }
    }
}

/// Which form a client counter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// ログイン: counts failed logins (a success takes its count back).
    Login,
    /// 新規利用登録 step 1.
    Registration,
    /// ログインID・パスワード忘れた方.
    Forgot,
}

impl Form {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "login" => Some(Self::Login),
            "register" => Some(Self::Registration),
            "forgot" => Some(Self::Forgot),
            _ => None,
        }
    }

    fn limit(self, state: &AppState) -> i64 {
        let limits = state.config.client_limits;
        match self {
            Self::Login => limits.login_failures,
            Self::Registration => limits.registrations,
            Self::Forgot => limits.resets,
        }
    }

    fn key(self, client_ip: Option<&str>) -> String {
        let counter = match self {
            Self::Login => "login-client",
            Self::Registration => "register-client",
            Self::Forgot => "forgot-client",
        };
        rate::key(counter, &rate::client(client_ip))
    }
}

/// The 認証文字 typed into a form that may ask for one.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub captcha_id: Option<String>,
    pub captcha: Option<String>,
}

/// The CAPTCHA the form shows this client now: only once the client is past its limit.
pub async fn captcha_if_needed(state: &AppState, form: Form, client_ip: Option<&str>) -> Result<Option<CaptchaView>, CaptchaError> {
    let seen = rate::current(&state.db, &form.key(client_ip), state.clock.now(), 3600).await?;
    if seen < form.limit(state) {
        return Ok(None);
    }
    Ok(Some(captcha::create(state, client_ip).await?))
}

/// Counts this request of the client; past the limit it passes only with a right CAPTCHA.
/// Counted first (one atomic statement), so requests sent at once are each counted.
pub async fn pass(state: &AppState, form: Form, client_ip: Option<&str>, answer: &Answer) -> Result<Counted, ChallengeError> {
    let key = form.key(client_ip);
    let n = rate::hit(&state.db, &key, state.clock.now(), 3600).await?;
    if n > form.limit(state) {
        let refusal = match (&answer.captcha_id, &answer.captcha) {
            (Some(id), Some(typed)) if !typed.trim().is_empty() => match captcha::check(state, client_ip, id, typed).await? {
                captcha::Verdict::Passed => None,
                captcha::Verdict::Wrong => Some(ChallengeError::Wrong),
                captcha::Verdict::ProofLimit => Some(ChallengeError::ProofLimit),
            },
            _ => Some(ChallengeError::Required),
        };
        if let Some(refusal) = refusal {
            crate::backend::audit::record(
                &state.db,
                state.clock.now(),
                crate::backend::audit::AuditEvent {
                    client_ip,
                    detail: Some(&format!("{form:?}")),
                    ..audit::AuditEvent::of(audit::Event::ClientChallenged)
                },
            )
            .await?;
            return Err(refusal);
        }
    }
    Ok(Counted { key })
}

/// A request counted by `pass`.
#[derive(Debug)]
pub struct Counted {
    key: String,
}

impl Counted {
    /// Takes the count back (a login that succeeded is not a failure of the client).
    pub async fn forgive<'c, E: sqlx::Executor<'c, Database = sqlx::Any>>(&self, exec: E) -> Result<(), sqlx::Error> {
        rate::unhit(exec, &self.key).await
    }
}
/// What the limits of a public form that mails an address decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Too many mails to this address: dropped silently (the page looks the same), so the
    /// form cannot be used to flood someone's mailbox nor to probe who is registered.
    AddressLimited,
}

/// Counts one request of a public form that mails `address_norm` and decides whether the
/// mail may be sent (`form` names the counter; `dropped` is the audit event of a mail not sent).
/// The client's own limit is a challenge (a CAPTCHA, see `challenge`), never a refusal here:
/// members of one office share an address.
pub async fn public_form(
    work: &mut Work<'_>,
    form: &str,
    dropped: audit::Event,
    address_norm: &str,
    per_address_hour: i64,
) -> Result<Gate, sqlx::Error> {
    let address_key = rate::key(&format!("{form}-mail"), address_norm);
    if rate::hit(&mut *work.tx, &address_key, work.now, 3600).await? <= per_address_hour {
        return Ok(Gate::Open);
    }
    work.audit(audit::AuditEvent { subject: Some(address_norm), ..audit::AuditEvent::of(dropped) }).await?;
    Ok(Gate::AddressLimited)
}
