//! The result cache in process memory: for the local server and tests.
//!
//! Bounded in both time and size so that a long-running server cannot grow without limit:
//! entries expire after the TTL, and past the capacity the oldest entry makes room.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{CacheError, ResultCache};
use crate::workflow::{ExecutionName, ExecutionState};

pub const DEFAULT_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);
pub const DEFAULT_CAPACITY: usize = 100_000;

#[derive(Debug)]
pub struct MemoryCache {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    by_name: HashMap<ExecutionName, (ExecutionState, Instant)>,
    /// Insertion order, oldest first: the eviction order, since every entry has the same TTL.
    order: VecDeque<ExecutionName>,
}

impl MemoryCache {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity: capacity.max(1),
            entries: Mutex::new(Entries::default()),
        }
    }

    pub fn len(&self) -> usize {
        self.lock().by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock cannot leave the maps inconsistent in a way that
        // matters for a cache, so keep serving.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for MemoryCache {
    fn default() -> Self {
        Self::new(DEFAULT_TTL, DEFAULT_CAPACITY)
    }
}

impl Entries {
    fn evict_expired(&mut self, now: Instant) {
        while let Some(oldest) = self.order.front() {
            match self.by_name.get(oldest) {
                Some((_, expires)) if *expires > now => break,
                _ => {
                    if let Some(oldest) = self.order.pop_front() {
                        self.by_name.remove(&oldest);
                    }
                }
            }
        }
    }
}

#[async_trait]
impl ResultCache for MemoryCache {
    async fn get(&self, name: &ExecutionName) -> Result<Option<ExecutionState>, CacheError> {
        let mut entries = self.lock();
        entries.evict_expired(Instant::now());
        Ok(entries.by_name.get(name).map(|(state, _)| state.clone()))
    }

    async fn put(&self, name: &ExecutionName, state: &ExecutionState) -> Result<(), CacheError> {
        let now = Instant::now();
        let mut entries = self.lock();
        entries.evict_expired(now);
        if entries.by_name.contains_key(name) {
            return Ok(());
        }
        while entries.by_name.len() >= self.capacity {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            entries.by_name.remove(&oldest);
        }
        entries
            .by_name
            .insert(name.clone(), (state.clone(), now + self.ttl));
        entries.order.push_back(name.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn name(value: &str) -> ExecutionName {
        ExecutionName::parse(value).unwrap()
    }

    fn done(message: &str) -> ExecutionState {
        ExecutionState::Succeeded(json!({ "message": message }))
    }

    #[tokio::test]
    async fn returns_what_was_put() {
        let cache = MemoryCache::default();
        assert_eq!(cache.get(&name("a")).await.unwrap(), None);
        cache.put(&name("a"), &done("A")).await.unwrap();
        assert_eq!(cache.get(&name("a")).await.unwrap(), Some(done("A")));
    }

    #[tokio::test]
    async fn the_first_write_wins() {
        let cache = MemoryCache::default();
        cache.put(&name("a"), &done("first")).await.unwrap();
        cache.put(&name("a"), &done("second")).await.unwrap();
        assert_eq!(cache.get(&name("a")).await.unwrap(), Some(done("first")));
        assert_eq!(cache.len(), 1);
    }

    #[tokio::test]
    async fn evicts_the_oldest_entry_past_capacity() {
        let cache = MemoryCache::new(DEFAULT_TTL, 2);
        for key in ["a", "b", "c"] {
            cache.put(&name(key), &done(key)).await.unwrap();
        }
        assert_eq!(cache.get(&name("a")).await.unwrap(), None);
        assert_eq!(cache.get(&name("c")).await.unwrap(), Some(done("c")));
        assert_eq!(cache.len(), 2);
    }

    #[tokio::test]
    async fn forgets_entries_after_the_ttl() {
        let cache = MemoryCache::new(Duration::ZERO, 10);
        cache.put(&name("a"), &done("a")).await.unwrap();
        assert_eq!(cache.get(&name("a")).await.unwrap(), None);
        assert!(cache.is_empty());
    }
}
