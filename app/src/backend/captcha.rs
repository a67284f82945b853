//! 認証文字: a server-generated image, one-time and expiring.

use super::ids::{new_id, secrets_equal};
use super::AppState;
pub use crate::components::CaptchaView;

pub const TTL_SECONDS: i64 = 30 * 60;
/// Characters that cannot be confused with one another when read from the image.
const UNAMBIGUOUS: &str = "23456789ABCDEFGHJKLMNPRSTUVWXYZ";

fn generate() -> Option<(String, String)> {
    let mut c = captcha::Captcha::new();
    let supported = c.supported_chars();
    let chars: Vec<char> = UNAMBIGUOUS.chars().filter(|ch| supported.contains(ch)).collect();
    c.set_chars(&chars).add_chars(5).apply_filter(captcha::filters::Noise::new(0.2)).view(200, 70);
    let answer = c.chars_as_string();
    let png = c.as_base64()?;
    Some((answer, format!("data:image/png;base64,{png}")))
}

/// Creates a CAPTCHA and remembers its answer.
pub async fn create(state: &AppState) -> Result<CaptchaView, sqlx::Error> {
    let (answer, image) = tokio::task::spawn_blocking(generate)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| sqlx::Error::Protocol("captcha generation failed".into()))?;
    let id = new_id();
    let now = state.clock.now();
    sqlx::query("INSERT INTO captchas (id, answer, expires_at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(&answer)
        .bind(now + TTL_SECONDS)
        .execute(&state.db)
        .await?;
    Ok(CaptchaView { id, image })
}

/// Checks an answer and spends the CAPTCHA whatever the result.
pub async fn check(state: &AppState, id: &str, answer: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(String, i64)> = sqlx::query_as("DELETE FROM captchas WHERE id = $1 RETURNING answer, expires_at")
        .bind(id)
        .fetch_optional(&state.db)
        .await?;
    let typed = crate::domain::normalize_digits(answer).to_ascii_uppercase();
    if let Some(test_answer) = &state.config.captcha_test_answer {
        if secrets_equal(&typed, &test_answer.to_ascii_uppercase()) {
            return Ok(true);
        }
    }
    Ok(match row {
        Some((expected, expires_at)) => expires_at >= state.clock.now() && secrets_equal(&typed, &expected.to_ascii_uppercase()),
        None => false,
    })
}
