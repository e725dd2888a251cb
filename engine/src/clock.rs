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

    /// Completes once `duration` has passed on this clock. Unlike [`Clock::sleep`], a virtual
    /// clock does not skip ahead for it: a timeout fires only when the work it bounds takes
    /// that long (in virtual time, by sleeping).
    async fn timer(&self, duration: Duration);
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

    async fn timer(&self, duration: Duration) {
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
    /// Tells timers that virtual time moved.
    moved: tokio::sync::watch::Sender<()>,
}

impl VirtualClock {
    /// Follows the wall clock, plus all the time its sleeps skipped.
    pub fn new() -> Self {
        Self {
            origin: SystemTime::now(),
            started: Some(Instant::now()),
            skipped: Mutex::new(Duration::ZERO),
            moved: tokio::sync::watch::Sender::new(()),
        }
    }

    /// Stands still at `origin` except for what its sleeps skip: fully deterministic timestamps.
    pub fn frozen_at(origin: SystemTime) -> Self {
        Self {
            origin,
            started: None,
            skipped: Mutex::new(Duration::ZERO),
            moved: tokio::sync::watch::Sender::new(()),
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
        self.moved.send_replace(());
        // Even a skipped wait is a scheduling point, so a loop of waits cannot starve other tasks.
        tokio::task::yield_now().await;
    }

    async fn timer(&self, duration: Duration) {
        let deadline = self.now() + duration;
        let mut moved = self.moved.subscribe();
        while self.now() < deadline {
            // The sender lives as long as the clock, which outlives this borrow.
            if moved.changed().await.is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn a_virtual_sleep_moves_time_forward() {
        let origin = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let clock = VirtualClock::frozen_at(origin);
        clock.sleep(Duration::from_secs(300)).await;
        assert_eq!(clock.now(), origin + Duration::from_secs(300));
    }

    #[tokio::test]
    async fn a_virtual_timer_fires_only_when_time_moves_past_it() {
        let clock = Arc::new(VirtualClock::frozen_at(SystemTime::UNIX_EPOCH));
        let timer = tokio::spawn({
            let clock = Arc::clone(&clock);
            async move { clock.timer(Duration::from_secs(10)).await }
        });
        // Let the timer start (and take its deadline) before time moves.
        tokio::task::yield_now().await;
        clock.sleep(Duration::from_secs(5)).await;
        tokio::task::yield_now().await;
        assert!(!timer.is_finished());
        clock.sleep(Duration::from_secs(5)).await;
        timer.await.unwrap();
    }
}
