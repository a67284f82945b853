//! 認証文字: a server-generated image, one-time and expiring.
//!
//! Stateless until checked: the id carries its expiry and a MAC of the answer under the
//! server's key, so showing a form writes nothing; checking one writes its id once (single
//! use). Creating images costs CPU, so each client may create a bounded number per minute.

use crate::api::{CaptchaView, FormWithCaptcha};
use crate::backend::platform::ids::{hash_token, new_id, secrets_equal};
use crate::backend::platform::AppState;
use crate::error::AppError;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::LazyLock;

pub const TTL_SECONDS: i64 = 30 * 60;
/// Characters that cannot be confused with one another when read from the image.
const UNAMBIGUOUS: &str = "23456789ABCDEFGHJKLMNPRSTUVWXYZ";
/// Images one client may create: a burst of 120, then one a second (an office registering
/// together stays far below; a script asking for images in a loop does not).
const BURST_PER_CLIENT: u32 = 120;

/// Per server instance, in memory: the limit protects this instance's CPU, and a GET must
/// not cost a database write.
static CREATED: LazyLock<DefaultKeyedRateLimiter<String>> = LazyLock::new(|| {
    RateLimiter::keyed(Quota::per_second(NonZeroU32::MIN).allow_burst(NonZeroU32::new(BURST_PER_CLIENT).expect("non-zero")))
});

fn generate() -> Option<(String, String)> {
    let mut c = captcha::Captcha::new();
    let supported = c.supported_chars();
    let chars: Vec<char> = UNAMBIGUOUS.chars().filter(|ch| supported.contains(ch)).collect();
    c.set_chars(&chars).add_chars(5).apply_filter(captcha::filters::Noise::new(0.2)).view(200, 70);
    let answer = c.chars_as_string();
    let png = c.as_base64()?;
    Some((answer, format!("data:image/png;base64,{png}")))
}

fn signature(expires_at: i64, nonce: &str, answer: &str) -> String {
    crate::backend::platform::secret::mac(&["captcha", &expires_at.to_string(), nonce, &answer.to_ascii_uppercase()])
}

/// The second half of an id's nonce: proves the server issued it (the proof of work of the
/// non-visual alternative has no answer to check the signature with).
fn nonce_mac(expires_at: i64, random: &str) -> String {
    crate::backend::platform::secret::mac(&["captcha-nonce", &expires_at.to_string(), random])[..16].to_string()
}

/// `expires.nonce.mac`, the nonce being 16 random hex digits and their `nonce_mac`.
fn signed_id(expires_at: i64, answer: &str) -> String {
    let random = new_id()[..16].to_string();
    let nonce = format!("{random}{}", nonce_mac(expires_at, &random));
    format!("{expires_at}.{nonce}.{}", signature(expires_at, &nonce, answer))
}

/// Why no CAPTCHA could be shown.
#[derive(Debug, thiserror::Error)]
pub enum CaptchaError {
    #[error("this client created too many CAPTCHAs")]
    TooMany,
    #[error("the CAPTCHA image could not be drawn")]
    Drawing,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<CaptchaError> for AppError {
    fn from(e: CaptchaError) -> Self {
        match e {
            CaptchaError::TooMany => AppError::Limited(crate::text::registration::CAPTCHA_TOO_MANY.into()),
            CaptchaError::Drawing => {
                tracing::error!("captcha generation failed");
                AppError::Internal
            }
            CaptchaError::Db(e) => e.into(),
        }
    }
}

/// Creates a CAPTCHA for `client_ip`, or refuses when that client created too many.
pub async fn create(state: &AppState, client_ip: Option<&str>) -> Result<CaptchaView, CaptchaError> {
    if CREATED.check_key(&client_ip.unwrap_or("unknown").to_string()).is_err() {
        tracing::warn!("captcha creation limited for a client");
        return Err(CaptchaError::TooMany);
    }
    let (answer, image) = tokio::task::spawn_blocking(generate).await.ok().flatten().ok_or(CaptchaError::Drawing)?;
    Ok(CaptchaView { id: signed_id(state.clock.now() + TTL_SECONDS, &answer), image })
}

/// Forgets the counts of clients that have been quiet (run by the hourly maintenance).
pub fn forget_quiet_clients() {
    CREATED.retain_recent();
}

/// Proofs of work one client may use an hour: the non-visual alternative is for the people who
/// need it, not a free pass for a script that can compute (it ends in the 認証文字 or a refusal).
pub const PROOFS_PER_HOUR: i64 = 10;

/// What an answer to a CAPTCHA decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Wrong,
    /// The client used its proofs of work for this hour: refused (with the inquiry route).
    ProofLimit,
}

impl Verdict {
    /// The message next to the 認証文字 field, unless it passed.
    pub fn refusal(self) -> Option<&'static str> {
        match self {
            Self::Passed => None,
            Self::Wrong => Some(crate::text::registration::CAPTCHA_WRONG),
            Self::ProofLimit => Some(crate::text::registration::PROOF_LIMIT),
        }
    }
}

/// Checks an answer and spends the CAPTCHA whatever the result.
pub async fn check(state: &AppState, client_ip: Option<&str>, id: &str, answer: &str) -> Result<Verdict, sqlx::Error> {
    let verdict = |passed: bool| if passed { Verdict::Passed } else { Verdict::Wrong };
    let typed = crate::domain::normalize_digits(answer).to_ascii_uppercase();
    if let Some(test_answer) = state.config.captcha_test_answer() {
        if secrets_equal(&typed, &test_answer.to_ascii_uppercase()) {
            return Ok(Verdict::Passed);
        }
    }
    let mut parts = id.splitn(3, '.');
    let (Some(expires), Some(nonce), Some(mac)) = (parts.next(), parts.next(), parts.next()) else { return Ok(Verdict::Wrong) };
    let Ok(expires_at) = expires.parse::<i64>() else { return Ok(Verdict::Wrong) };
    if expires_at < state.clock.now() || nonce.len() != 32 || !nonce.is_ascii() || mac.len() != 64 {
        return Ok(Verdict::Wrong);
    }
    // The non-visual alternative: work proved for this id, which this server issued.
    let issued_here = || secrets_equal(&nonce[16..], &nonce_mac(expires_at, &nonce[..16]));
    let proved = match crate::domain::proof::parse(answer.trim()) {
        Some(n) if issued_here() && crate::domain::proof::is_valid(id, n, crate::domain::proof::BITS) => true,
        Some(_) => return Ok(Verdict::Wrong),
        None => false,
    };
    if proved {
        let key = crate::backend::platform::rate::key("proof-client", &crate::backend::platform::rate::client(client_ip));
        if crate::backend::platform::rate::hit(&state.db, &key, state.clock.now(), 3600).await? > PROOFS_PER_HOUR {
            return Ok(Verdict::ProofLimit);
        }
    }
    // Spent first: of two requests with the same CAPTCHA only one gets past this insert.
    let spent = sqlx::query("INSERT INTO captchas_used (id_hash, expires_at) VALUES ($1, $2) ON CONFLICT (id_hash) DO NOTHING")
        .bind(hash_token(&format!("{expires_at}.{nonce}")))
        .bind(expires_at)
        .execute(&state.db)
        .await?;
    Ok(verdict(spent.rows_affected() == 1 && (proved || secrets_equal(mac, &signature(expires_at, nonce, &typed)))))
}

impl FormWithCaptcha {
    /// A fresh CAPTCHA for this request's client and this year (JST) for the birth-date pulldown.
    pub async fn new(state: &AppState, client_ip: Option<&str>) -> Result<Self, CaptchaError> {
        let this_year = chrono::Datelike::year(&crate::backend::platform::Clock::today(state.clock.as_ref()));
        Ok(Self { captcha: create(state, client_ip).await?, this_year })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_signature_binds_answer_and_expiry() {
        let id = super::signed_id(1000, "ABCDE");
        let parts: Vec<&str> = id.split('.').collect();
        assert_eq!(parts[0], "1000");
        assert_eq!(parts[2], super::signature(1000, parts[1], "abcde"), "answers are compared in capitals");
        assert_ne!(parts[2], super::signature(1000, parts[1], "ABCDF"));
        assert_ne!(parts[2], super::signature(1001, parts[1], "ABCDE"));
    }
}
