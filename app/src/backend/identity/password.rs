//! Password hashing: argon2id with OWASP parameters (m=19 MiB, t=2, p=1), on the
//! blocking pool so hashing never stalls the async workers.
//!
//! At most one hash per core runs at a time, and the wait for a turn is bounded: when too
//! many requests already wait, or a turn does not come within `MAX_WAIT`, the request is
//! answered 「混み合っています」 (503) at once instead of queueing for ever behind a flood.

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Turns to hash: a semaphore of one permit per core with a bounded queue in front, of which
/// one client address may hold only a few places: a flood from one source fills its own share
/// and is answered busy, while members elsewhere still get their turn.
pub struct Turns {
    semaphore: std::sync::Arc<Semaphore>,
    /// Turns in all (one per core).
    parallel: usize,
    /// Requests waiting for a turn now.
    waiting: AtomicUsize,
    /// Requests waiting or hashing now, per client address.
    per_client: std::sync::Mutex<std::collections::HashMap<String, usize>>,
    max_waiting: usize,
    max_per_client: usize,
    max_wait: Duration,
}

/// Places in the queue (or turns) one client address may hold at once while the queue is
/// busy (a quarter full): an office's burst fits, a flood from one source leaves most of the
/// queue to everyone else.
pub const MAX_PER_CLIENT: usize = 32;

/// About two seconds of work for two cores (42 ms a hash): more waiting means overload.
pub const MAX_WAITING: usize = 100;
pub const MAX_WAIT: Duration = Duration::from_secs(4);

static TURNS: LazyLock<Turns> =
    LazyLock::new(|| Turns::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2), MAX_WAITING, MAX_PER_CLIENT, MAX_WAIT));

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HashError {
    #[error("too many password checks waiting")]
    Busy,
    #[error("hashing failed: {0}")]
    Failed(String),
}

impl From<HashError> for crate::error::AppError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => {
                tracing::warn!("hashing queue full: answered busy");
                Self::Busy
            }
            HashError::Failed(e) => {
                tracing::error!(error = %e, "password hashing failed");
                Self::Internal
            }
        }
    }
}

/// A turn to hash (one core), held while the hash runs.
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    _client: Option<ClientShare>,
}

/// One place of a client's share, given back when the request is done.
struct ClientShare {
    turns: &'static Turns,
    client: String,
}

impl Drop for ClientShare {
    fn drop(&mut self) {
        let mut map = self.turns.per_client.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.client);
            }
        }
    }
}

impl Turns {
    pub fn new(parallel: usize, max_waiting: usize, max_per_client: usize, max_wait: Duration) -> Self {
        Self {
            semaphore: std::sync::Arc::new(Semaphore::new(parallel)),
            parallel,
            waiting: AtomicUsize::new(0),
            per_client: Default::default(),
            max_waiting,
            max_per_client,
            max_wait,
        }
    }

    /// Waits for a turn for a request of `client`, bounded by the client's share too.
    pub async fn slot_for(&'static self, client: &str) -> Result<Slot, HashError> {
        let share = {
            let mut map = self.per_client.lock().unwrap_or_else(|e| e.into_inner());
            let n = map.entry(client.to_string()).or_insert(0);
            if *n >= self.max_per_client && self.waiting() >= self.max_waiting / 4 {
                return Err(HashError::Busy);
            }
            *n += 1;
            ClientShare { turns: self, client: client.to_string() }
        };
        let mut slot = self.slot().await?;
        slot._client = Some(share);
        Ok(slot)
    }

    /// Waits for a turn, bounded (see the module comment).
    pub async fn slot(&self) -> Result<Slot, HashError> {
        // Counted while this request waits, also when it is dropped (the client went away).
        struct Waiting<'a>(&'a AtomicUsize);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let _waiting = Waiting(&self.waiting);
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            return Err(HashError::Busy);
        }
        match tokio::time::timeout(self.max_wait, self.semaphore.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Slot { _permit: permit, _client: None }),
            Ok(Err(e)) => Err(HashError::Failed(e.to_string())),
            Err(_) => Err(HashError::Busy),
        }
    }

    /// Requests waiting for a turn now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }
}

/// Password checks waiting for a turn now, and hashes running now (`/metrics`).
pub fn queue_depth() -> (usize, usize) {
    let running = TURNS.parallel - TURNS.semaphore.available_permits();
    (TURNS.waiting(), running)
}

/// Waits for a turn of the server's hashing, bounded.
pub async fn slot() -> Result<Slot, HashError> {
    TURNS.slot().await
}

/// Waits for a turn for a request from `client`, bounded, within the client's share.
pub async fn slot_for(client: Option<&str>) -> Result<Slot, HashError> {
    TURNS.slot_for(&crate::backend::platform::rate::client(client)).await
}

/// Waits for a turn however long it takes (command-line tools hashing in bulk).
pub async fn slot_unbounded() -> Result<Slot, HashError> {
    let permit = TURNS.semaphore.clone().acquire_owned().await.map_err(|e| HashError::Failed(e.to_string()))?;
    Ok(Slot { _permit: permit, _client: None })
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params"))
}

fn hash_blocking(password: &str) -> Result<String, HashError> {
    let hashed: Result<PasswordHash, _> = argon2().hash_password(password.as_bytes());
    hashed.map(|h| h.to_string()).map_err(|e| HashError::Failed(e.to_string()))
}

/// Hashes a password (PHC string with its own random salt) in the given turn.
pub async fn hash_in(slot: Slot, password: String) -> Result<String, HashError> {
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        hash_blocking(&password)
    })
    .await
    .map_err(|e| HashError::Failed(e.to_string()))?
}

/// Hashes without taking a turn: only for the one dummy hash made once, by a caller that may
/// already hold a turn (waiting for a second one could wait on itself).
pub async fn hash_outside_turns(password: String) -> Result<String, HashError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await.map_err(|e| HashError::Failed(e.to_string()))?
}

/// Hashes a password after a bounded wait for a turn.
pub async fn hash(password: String) -> Result<String, HashError> {
    hash_in(slot().await?, password).await
}

/// Verifies a password against a stored PHC string in the given turn.
pub async fn verify_in(slot: Slot, password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let Ok(parsed) = PasswordHash::new(&phc) else { return false };
        argon2().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .unwrap_or(false)
}

/// Verifies a password after a bounded wait for a turn.
pub async fn verify(password: String, phc: String) -> Result<bool, HashError> {
    Ok(verify_in(slot().await?, password, phc).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a future is ready at its first poll (it did not wait).
    async fn at_once<T>(f: impl std::future::Future<Output = T>) -> Option<T> {
        tokio::select! { biased; v = f => Some(v), _ = std::future::ready(()) => None }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_answers_busy_at_once_and_recovers() {
        let turns = std::sync::Arc::new(Turns::new(2, 10, 100, Duration::from_secs(600)));
        let held = (turns.slot().await.unwrap(), turns.slot().await.unwrap());
        let waiters: Vec<_> = (0..10)
            .map(|_| {
                let t = turns.clone();
                tokio::spawn(async move { t.slot().await.map(|_| ()) })
            })
            .collect();
        while turns.waiting() < 10 {
            tokio::task::yield_now().await;
        }
        assert_eq!(at_once(turns.slot()).await.map(|r| r.err()), Some(Some(HashError::Busy)), "refused without waiting");
        drop(held);
        for w in waiters {
            assert_eq!(w.await.unwrap(), Ok(()), "the waiting requests get their turn");
        }
        assert_eq!(turns.waiting(), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_client_holds_only_its_share_of_the_queue() {
        let turns: &'static Turns = Box::leak(Box::new(Turns::new(1, 8, 3, Duration::from_secs(600))));
        // Each holds its turn until `release`, then gives it back itself: whichever order the
        // queue serves them (and the other client) in, every one gets its turn.
        let (release, _) = tokio::sync::broadcast::channel::<()>(1);
        let flood: Vec<_> = (0..3)
            .map(|_| {
                let mut go = release.subscribe();
                tokio::spawn(async move {
                    let slot = turns.slot_for("203.0.113.1").await?;
                    let _ = go.recv().await;
                    drop(slot);
                    Ok::<(), HashError>(())
                })
            })
            .collect();
        while turns.waiting() < 2 {
            tokio::task::yield_now().await;
        }
        assert_eq!(at_once(turns.slot_for("203.0.113.1")).await.map(|r| r.err()), Some(Some(HashError::Busy)), "its share is full");
        let member = tokio::spawn(async move { turns.slot_for("198.51.100.7").await.map(drop) });
        release.send(()).unwrap();
        for f in flood {
            f.await.unwrap().unwrap();
        }
        assert!(member.await.unwrap().is_ok(), "another client gets its turn");
        assert!(turns.slot_for("203.0.113.1").await.is_ok(), "the share is given back");
        assert!(turns.per_client.lock().unwrap().is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_wait_longer_than_the_bound_answers_busy() {
        let turns = Turns::new(1, 10, 100, Duration::from_millis(1));
        let _held = turns.slot().await.unwrap();
        assert_eq!(turns.slot().await.err(), Some(HashError::Busy));
        assert_eq!(turns.waiting(), 0);
    }
}
