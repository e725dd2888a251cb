//! Time as the engine sees it. Waits, retry intervals and timeouts all go through a [`Clock`] so
//! that tests can run them under a [`VirtualClock`], where they take no wall time.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use async_trait::async_trait;

/// How long (real time) a virtual timer waits for anything to move virtual time before it
/// lets its own time pass: the clock cannot see a callback that may still come from outside,
/// so an execution idle on a timeout this long is taken to be waiting for that timeout.
const IDLE_GRACE: Duration = Duration::from_millis(200);

tokio::task_local! {
    /// The virtual time skipped by the branch being polled, when it runs inside a [`Fork`].
    static LANE: Arc<Mutex<Duration>>;
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned lock only means another thread panicked mid-update; the value is still usable.
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

fn lane_skipped() -> Duration {
    LANE.try_with(|lane| *lock(lane)).unwrap_or_default()
}

/// Where an engine reads the time and waits: real, or virtual so that Waits and retries take no wall time.
#[async_trait]
pub trait Clock: Send + Sync {
    /// The current time.
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
    /// Nanoseconds skipped by sleeps (u64 holds 584 years): an atomic, because every
    /// execution sharing the clock reads it at every event and must not queue for a lock.
    skipped_nanos: AtomicU64,
    /// The deadlines of the timers now waiting, so an idle timer moves time only as far as the
    /// earliest of them (a heartbeat fires before the longer TimeoutSeconds around it).
    deadlines: Mutex<Vec<SystemTime>>,
    /// Tells timers that virtual time moved.
    moved: tokio::sync::watch::Sender<()>,
}

impl VirtualClock {
    /// Follows the wall clock, plus all the time its sleeps skipped.
    pub fn new() -> Self {
        Self {
            origin: SystemTime::now(),
            started: Some(Instant::now()),
            skipped_nanos: AtomicU64::new(0),
            deadlines: Mutex::new(Vec::new()),
            moved: tokio::sync::watch::Sender::new(()),
        }
    }

    /// Stands still at `origin` except for what its sleeps skip: fully deterministic timestamps.
    pub fn frozen_at(origin: SystemTime) -> Self {
        Self {
            origin,
            started: None,
            skipped_nanos: AtomicU64::new(0),
            deadlines: Mutex::new(Vec::new()),
            moved: tokio::sync::watch::Sender::new(()),
        }
    }

    fn skipped(&self) -> Duration {
        Duration::from_nanos(self.skipped_nanos.load(Ordering::Acquire))
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
        self.origin + elapsed + self.skipped() + lane_skipped()
    }

    async fn sleep(&self, duration: Duration) {
        // Inside a branch the skip is the branch's own, so concurrent branches overlap.
        let in_lane = LANE.try_with(|lane| *lock(lane) += duration).is_ok();
        if !in_lane {
            let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
            self.skipped_nanos.fetch_add(nanos, Ordering::AcqRel);
        }
        self.moved.send_replace(());
        // Even a skipped wait is a scheduling point, so a loop of waits cannot starve other tasks.
        tokio::task::yield_now().await;
    }

    async fn timer(&self, duration: Duration) {
        let deadline = self.now() + duration;
        let _waiting = WaitingTimer::new(&self.deadlines, deadline);
        let mut moved = self.moved.subscribe();
        while let Ok(left) = deadline.duration_since(self.now()) {
            if left.is_zero() {
                return;
            }
            // Biased: time that really moved is seen before the idle grace is, so a timer never
            // skips ahead while something else is still moving the clock.
            tokio::select! {
                biased;
                changed = moved.changed() => {
                    // The sender lives as long as the clock, which outlives this borrow.
                    if changed.is_err() {
                        return;
                    }
                }
                () = tokio::time::sleep(IDLE_GRACE) => {
                    // Another timer may have moved time while this one waited.
                    let now = self.now();
                    let Some(left) = deadline.duration_since(now).ok().filter(|left| !left.is_zero()) else {
                        return;
                    };
                    // Time goes only as far as the earliest waiting deadline; one already
                    // due belongs to a timer about to fire, which goes first.
                    let earliest = lock(&self.deadlines).iter().min().copied();
                    match earliest.map(|earliest| earliest.duration_since(now)) {
                        Some(Ok(step)) if step.is_zero() => {}
                        Some(Ok(step)) if step < left => self.sleep(step).await,
                        Some(Ok(_)) | None => self.sleep(left).await,
                        Some(Err(_)) => {}
                    }
                }
            }
        }
    }
}

/// Registers a timer's deadline for as long as the timer waits.
struct WaitingTimer<'a> {
    deadlines: &'a Mutex<Vec<SystemTime>>,
    deadline: SystemTime,
}

impl<'a> WaitingTimer<'a> {
    fn new(deadlines: &'a Mutex<Vec<SystemTime>>, deadline: SystemTime) -> Self {
        lock(deadlines).push(deadline);
        Self {
            deadlines,
            deadline,
        }
    }
}

impl Drop for WaitingTimer<'_> {
    fn drop(&mut self) {
        let mut deadlines = lock(self.deadlines);
        if let Some(index) = deadlines.iter().position(|at| *at == self.deadline) {
            deadlines.swap_remove(index);
        }
    }
}

/// Concurrent branches (Parallel branches, Map iterations) on one timeline: under a
/// [`VirtualClock`] each branch skips time on its own lane starting where the fork began (or,
/// past `width` branches, where an earlier one ended), and [`Fork::join`] moves the caller on
/// by the longest, so concurrent waits overlap as they do on AWS. A real clock's lanes never
/// move, so joining costs nothing there.
pub struct Fork {
    start: Duration,
    width: usize,
    lanes: Mutex<Lanes>,
}

#[derive(Default)]
struct Lanes {
    opened: usize,
    /// Where finished branches ended: the next branch past `width` starts at the earliest.
    free: Vec<Duration>,
    latest: Duration,
}

impl Fork {
    /// A fork running at most `width` branches at a time.
    pub fn new(width: usize) -> Self {
        let start = lane_skipped();
        Self {
            start,
            width,
            lanes: Mutex::new(Lanes {
                latest: start,
                ..Lanes::default()
            }),
        }
    }

    /// Runs `branch` on a lane of its own. Call it once the branch may really start (after any
    /// concurrency permit), so it starts when an earlier branch freed its place.
    pub async fn branch<F: Future>(&self, branch: F) -> F::Output {
        let begin = {
            let mut lanes = lock(&self.lanes);
            if lanes.opened < self.width || lanes.free.is_empty() {
                lanes.opened += 1;
                self.start
            } else {
                let earliest = (0..lanes.free.len())
                    .min_by_key(|index| lanes.free[*index])
                    .unwrap_or_default();
                lanes.free.swap_remove(earliest)
            }
        };
        let lane = Arc::new(Mutex::new(begin));
        let output = LANE.scope(Arc::clone(&lane), branch).await;
        let end = *lock(&lane);
        let mut lanes = lock(&self.lanes);
        lanes.free.push(end);
        lanes.latest = lanes.latest.max(end);
        output
    }

    /// Moves the caller's time on to the end of the longest branch.
    pub async fn join(self, clock: &dyn Clock) {
        let latest = lock(&self.lanes).latest;
        let longest = latest.saturating_sub(self.start);
        if !longest.is_zero() {
            clock.sleep(longest).await;
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

    #[tokio::test]
    async fn a_virtual_timer_nothing_else_reaches_lets_its_time_pass() {
        let clock = VirtualClock::frozen_at(SystemTime::UNIX_EPOCH);
        clock.timer(Duration::from_secs(30)).await;
        assert_eq!(
            clock.now(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(30)
        );
    }

    #[tokio::test]
    async fn idle_timers_fire_in_deadline_order() {
        let clock = VirtualClock::frozen_at(SystemTime::UNIX_EPOCH);
        let first = tokio::select! {
            () = clock.timer(Duration::from_secs(100)) => 100,
            () = clock.timer(Duration::from_secs(5)) => 5,
        };
        assert_eq!(first, 5);
        assert_eq!(clock.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(5));
    }

    #[tokio::test]
    async fn concurrent_branches_overlap_and_the_longest_decides() {
        let clock = &VirtualClock::frozen_at(SystemTime::UNIX_EPOCH);
        let fork = Fork::new(usize::MAX);
        let branches = [10, 50, 30].map(|seconds| {
            fork.branch(async move {
                clock.sleep(Duration::from_secs(seconds)).await;
                clock.now()
            })
        });
        let ends = futures_join(branches).await;
        fork.join(clock).await;
        let at = |seconds| SystemTime::UNIX_EPOCH + Duration::from_secs(seconds);
        assert_eq!(ends, [at(10), at(50), at(30)]);
        assert_eq!(clock.now(), at(50));
    }

    #[tokio::test]
    async fn branches_past_the_width_start_when_an_earlier_one_ends() {
        let clock = VirtualClock::frozen_at(SystemTime::UNIX_EPOCH);
        let fork = Fork::new(1);
        for seconds in [10, 20] {
            fork.branch(clock.sleep(Duration::from_secs(seconds))).await;
        }
        fork.join(&clock).await;
        assert_eq!(
            clock.now(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(30)
        );
    }

    async fn futures_join<F: Future>(futures: [F; 3]) -> [F::Output; 3] {
        let [a, b, c] = futures;
        let (a, b, c) = tokio::join!(a, b, c);
        [a, b, c]
    }
}
