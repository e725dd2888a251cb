//! Time as the engine sees it. Waits, retry intervals and timeouts all go through a [`Clock`] so
//! that tests can run them under a [`VirtualClock`], where they take no wall time.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use async_trait::async_trait;

#[async_trait]
pub trait Clock: Send + Sync {
    fn now(&self) -> SystemTime;

    /// Lets `duration` pass.
    async fn sleep(&self, duration: Duration);
}

/// The host's clock: sleeping takes real time.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealClock;

#[async_trait]
impl Clock for RealClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// A clock whose sleeps return at once and move its time forward instead, so a 300 s Wait
/// finishes immediately while timestamps still show the 300 s.
///
/// One virtual clock is one timeline: executions sharing it all see each other's skipped time,
/// which keeps every timestamp monotonic.
#[derive(Debug)]
pub struct VirtualClock {
    origin: SystemTime,
    started: Option<Instant>,
    skipped: Mutex<Duration>,
}

impl VirtualClock {
    /// Follows the wall clock, plus all the time its sleeps skipped.
    pub fn new() -> Self {
        Self {
            origin: SystemTime::now(),
            started: Some(Instant::now()),
            skipped: Mutex::new(Duration::ZERO),
        }
    }

    /// Stands still at `origin` except for what its sleeps skip: fully deterministic timestamps.
    pub fn frozen_at(origin: SystemTime) -> Self {
        Self {
            origin,
            started: None,
            skipped: Mutex::new(Duration::ZERO),
        }
    }

    fn skipped(&self) -> Duration {
        // A poisoned lock only means another thread panicked mid-add; the value is still usable.
        *self
            .skipped
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

impl Default for VirtualClock {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl Clock for VirtualClock {
    fn now(&self) -> SystemTime {
        let elapsed = self
            .started
            .map(|started| started.elapsed())
            .unwrap_or_default();
        self.origin + elapsed + self.skipped()
    }

    async fn sleep(&self, duration: Duration) {
        {
            let mut skipped = self
                .skipped
                .lock()
                .unwrap_or_else(|poison| poison.into_inner());
            *skipped += duration;
        }
        // Even a skipped wait is a scheduling point, so a loop of waits cannot starve other tasks.
        tokio::task::yield_now().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_virtual_sleep_moves_time_forward() {
        let origin = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let clock = VirtualClock::frozen_at(origin);
        clock.sleep(Duration::from_secs(300)).await;
        assert_eq!(clock.now(), origin + Duration::from_secs(300));
    }
}
