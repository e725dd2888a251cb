//! The result cache port: finished jobs, so that later polls cost no workflow read.
//!
//! A cache failure must never fail a request: callers log it and fall back to the workflow.

use async_trait::async_trait;

use crate::workflow::{ExecutionName, ExecutionState};

pub mod dynamodb;
pub mod memory;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cache throttled the request")]
    Throttled,
    #[error("cache failed: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait ResultCache: Send + Sync {
    async fn get(&self, name: &ExecutionName) -> Result<Option<ExecutionState>, CacheError>;

    /// Records a final state. The first write wins: a second put for the same name is a no-op.
    async fn put(&self, name: &ExecutionName, state: &ExecutionState) -> Result<(), CacheError>;
}
