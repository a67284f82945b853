//! Password hashing: argon2id with OWASP parameters (m=19 MiB, t=2, p=1), on the
//! blocking pool so hashing never stalls the async workers.

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

/// At most one hash per core at a time: a login storm queues here instead of
/// filling the blocking pool with 19 MiB hashes and starving everything else.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)));

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params"))
}

/// Hashes a password (PHC string with its own random salt).
pub async fn hash(password: String) -> Result<String, sqlx::Error> {
    let _permit = HASHING.acquire().await.map_err(|e| sqlx::Error::Protocol(format!("hashing: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let hashed: Result<PasswordHash, _> = argon2().hash_password(password.as_bytes());
        hashed.map(|h| h.to_string())
    })
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("hashing task: {e}")))?
        .map_err(|e| sqlx::Error::Protocol(format!("hashing: {e}")))
}

/// Verifies a password against a stored PHC string.
pub async fn verify(password: String, phc: String) -> bool {
    let Ok(_permit) = HASHING.acquire().await else { return false };
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&phc) else { return false };
        argon2().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .unwrap_or(false)
}
