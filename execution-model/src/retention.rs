//! How long ended executions are remembered: a store that keeps them for Describe or for a
//! result's time to live forgets the oldest first, so a long-lived process stays bounded.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

/// Ended items (executions, jobs) in the order they ended, with the limits past which the one
/// that ended first is forgotten.
#[derive(Debug)]
pub struct EndedQueue<K> {
    ended: VecDeque<(K, SystemTime)>,
    max_items: usize,
    max_age: Duration,
}

impl<K> EndedQueue<K> {
    /// Keeps at most `max_items` items, none that ended more than `max_age` before the newest.
    pub fn new(max_items: usize, max_age: Duration) -> Self {
        Self {
            ended: VecDeque::new(),
            max_items,
            max_age,
        }
    }

    /// Like [`EndedQueue::new`], holding `ended` already (in any order).
    pub fn with_ended(
        max_items: usize,
        max_age: Duration,
        ended: impl IntoIterator<Item = (K, SystemTime)>,
    ) -> Self {
        let mut ended: Vec<(K, SystemTime)> = ended.into_iter().collect();
        ended.sort_by_key(|(_, at)| *at);
        Self {
            ended: ended.into(),
            max_items,
            max_age,
        }
    }

    /// Notes that `key` ended `at`, and returns the items now past the limits, oldest first:
    /// the caller forgets them.
    pub fn push(&mut self, key: K, at: SystemTime) -> Vec<K> {
        self.ended.push_back((key, at));
        let oldest_kept = at.checked_sub(self.max_age);
        let mut forgotten = Vec::new();
        while let Some((_, ended_at)) = self.ended.front() {
            let expired = oldest_kept.is_some_and(|oldest| *ended_at < oldest);
            if self.ended.len() <= self.max_items && !expired {
                break;
            }
            forgotten.extend(self.ended.pop_front().map(|(key, _)| key));
        }
        forgotten
    }

    /// How many ended items are remembered.
    pub fn len(&self) -> usize {
        self.ended.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.ended.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn forgets_the_oldest_past_the_count() {
        let mut queue = EndedQueue::new(2, Duration::from_secs(1000));
        assert!(queue.push("a", at(1)).is_empty());
        assert!(queue.push("b", at(2)).is_empty());
        assert_eq!(queue.push("c", at(3)), ["a"]);
        assert_eq!(queue.len(), 2);
    }

    #[test]
    fn forgets_what_outlived_the_age() {
        let mut queue = EndedQueue::new(usize::MAX, Duration::from_secs(10));
        queue.push("a", at(1));
        queue.push("b", at(5));
        assert_eq!(queue.push("c", at(14)), ["a"]);
        assert_eq!(queue.push("d", at(100)), ["b", "c"]);
        assert_eq!(queue.len(), 1);
    }

    #[test]
    fn starts_from_what_ended_before_in_the_order_it_ended() {
        let mut queue = EndedQueue::with_ended(
            2,
            Duration::from_secs(1000),
            [("late", at(9)), ("early", at(1))],
        );
        assert_eq!(queue.push("new", at(10)), ["early"]);
    }

    #[test]
    fn an_age_beyond_the_epoch_forgets_nothing_by_age() {
        let mut queue = EndedQueue::new(usize::MAX, Duration::from_secs(u64::MAX / 4));
        queue.push("a", at(1));
        assert!(queue.push("b", at(2)).is_empty());
        assert!(!queue.is_empty());
    }
}
