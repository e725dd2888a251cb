//! The executions by ARN, split into shards: executions starting, ending and being described
//! on different cores then rarely want the same lock, and each lock is held for a map lookup
//! or insert only.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::record::ExecutionRecord;

/// A power of two well above the core counts the engine runs on.
const SHARDS: usize = 32;

type ByArn = HashMap<String, Arc<ExecutionRecord>>;

pub(crate) type Shard<'a> = MutexGuard<'a, ByArn>;

pub(crate) struct ExecutionTable {
    hasher: RandomState,
    shards: Box<[Mutex<ByArn>]>,
}

impl Default for ExecutionTable {
    fn default() -> Self {
        Self {
            hasher: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }
}

impl ExecutionTable {
    /// The locked shard that holds (or would hold) `arn`.
    pub fn shard(&self, arn: &str) -> Shard<'_> {
        // The low bits of a SipHash are as well spread as the high ones.
        let index = self.hasher.hash_one(arn) as usize % SHARDS;
        self.shards[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub fn get(&self, arn: &str) -> Option<Arc<ExecutionRecord>> {
        self.shard(arn).get(arn).cloned()
    }

    pub fn remove(&self, arn: &str) {
        self.shard(arn).remove(arn);
    }

    /// Every execution, one shard locked at a time.
    pub fn all(&self) -> Vec<Arc<ExecutionRecord>> {
        self.shards
            .iter()
            .flat_map(|shard| {
                shard
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .values()
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}
