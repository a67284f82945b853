//! Time is injected where expiry matters, so tests move it instead of sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub trait Clock: Send + Sync + 'static {
    /// Unix time in seconds.
    fn now(&self) -> i64;

    fn today(&self) -> chrono::NaiveDate {
        chrono::DateTime::from_timestamp(self.now() + 9 * 3600, 0) // the society works in JST
            .map(|t| t.date_naive())
            .unwrap_or_default()
    }
}

/// A unix time as the society's local time (JST), e.g. `"%Y/%m/%d %H:%M"`.
pub fn jst(at: i64, format: &str) -> String {
    chrono::DateTime::from_timestamp(at + 9 * 3600, 0).map(|t| t.format(format).to_string()).unwrap_or_default()
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
    }
}

/// A clock tests set and advance.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    pub fn at(now: i64) -> Self {
        Self(Arc::new(AtomicI64::new(now)))
    }
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}
