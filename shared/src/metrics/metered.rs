//! Workflow and cache wrappers that count and time every call they pass on.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde_json::Value;

use super::recorder::{CacheLookup, Metrics};
use crate::cache::{CacheError, ResultCache};
use crate::workflow::{Execution, ExecutionName, ExecutionState, Workflow, WorkflowError};

pub struct MeteredWorkflow {
    inner: Arc<dyn Workflow>,
    metrics: Arc<Metrics>,
}

impl MeteredWorkflow {
    pub fn new(inner: Arc<dyn Workflow>, metrics: Arc<Metrics>) -> Self {
        Self { inner, metrics }
    }

    fn record<T>(
        &self,
        operation: &'static str,
        started: Instant,
        result: &Result<T, WorkflowError>,
    ) {
        let outcome = match result {
            Ok(_) => "ok",
            Err(WorkflowError::NotFound) => "not_found",
            Err(WorkflowError::AlreadyExists) => "already_exists",
            Err(WorkflowError::Throttled) => "throttled",
            Err(WorkflowError::Upstream(_)) => "error",
        };
        self.metrics
            .record_call("workflow", operation, outcome, started.elapsed());
    }
}

#[async_trait]
impl Workflow for MeteredWorkflow {
    async fn start(&self, name: &ExecutionName, input: &Value) -> Result<(), WorkflowError> {
        let started = Instant::now();
        let result = self.inner.start(name, input).await;
        self.record("start", started, &result);
        result
    }

    async fn poll(&self, name: &ExecutionName) -> Result<Execution, WorkflowError> {
        let started = Instant::now();
        let result = self.inner.poll(name).await;
        self.record("poll", started, &result);
        result
    }

    async fn stop(&self, name: &ExecutionName) -> Result<(), WorkflowError> {
        let started = Instant::now();
        let result = self.inner.stop(name).await;
        self.record("stop", started, &result);
        result
    }

    async fn wait_for_end(
        &self,
        name: &ExecutionName,
        timeout: Duration,
    ) -> Result<Option<Execution>, WorkflowError> {
        let started = Instant::now();
        let result = self.inner.wait_for_end(name, timeout).await;
        self.record("wait_for_end", started, &result);
        result
    }
}

pub struct MeteredCache {
    inner: Arc<dyn ResultCache>,
    metrics: Arc<Metrics>,
}

impl MeteredCache {
    pub fn new(inner: Arc<dyn ResultCache>, metrics: Arc<Metrics>) -> Self {
        Self { inner, metrics }
    }

    fn record<T>(&self, operation: &'static str, started: Instant, result: &Result<T, CacheError>) {
        let outcome = match result {
            Ok(_) => "ok",
            Err(CacheError::Throttled) => "throttled",
            Err(CacheError::Unavailable(_)) => "error",
        };
        self.metrics
            .record_call("cache", operation, outcome, started.elapsed());
    }
}

#[async_trait]
impl ResultCache for MeteredCache {
    async fn get(&self, name: &ExecutionName) -> Result<Option<ExecutionState>, CacheError> {
        let started = Instant::now();
        let result = self.inner.get(name).await;
        self.record("get", started, &result);
        self.metrics.record_cache_lookup(match &result {
            Ok(Some(_)) => CacheLookup::Hit,
            Ok(None) => CacheLookup::Miss,
            Err(_) => CacheLookup::Error,
        });
        result
    }

    async fn put(&self, name: &ExecutionName, state: &ExecutionState) -> Result<(), CacheError> {
        let started = Instant::now();
        let result = self.inner.put(name, state).await;
        self.record("put", started, &result);
        result
    }
}
