//! The job service: what the routes do, independent of HTTP. It turns requests into executions,
//! reads them back through the cache, and keeps every workflow call to the minimum the
//! contract allows (one read per status request, none on a cache hit).

mod idempotency;
mod long_poll;
mod retry_after;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::api::SubmitMessage;
use crate::cache::ResultCache;
use crate::token::TokenCodec;
use crate::workflow::{Execution, ExecutionName, ExecutionState, Workflow, WorkflowError};

pub use idempotency::{IdempotencyKey, InvalidIdempotencyKey};
pub use long_poll::{FIRST_READ_AFTER_START, MAX_WAIT, MIN_POLL_INTERVAL};
pub use retry_after::{remaining_delay, retry_after_seconds};

/// A job as the API reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: String,
    pub name: ExecutionName,
    pub state: ExecutionState,
    /// While running: how long a client should wait before asking again.
    pub retry_after_seconds: Option<u64>,
    /// While running: the part of its delay still to come, if any.
    pub remaining_delay: Option<Duration>,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("no job has this id")]
    NotFound,
    #[error("the idempotency key was used with another request")]
    IdempotencyConflict,
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
}

pub struct Jobs {
    workflow: Arc<dyn Workflow>,
    cache: Option<Arc<dyn ResultCache>>,
    tokens: TokenCodec,
}

impl Jobs {
    pub fn new(
        workflow: Arc<dyn Workflow>,
        cache: Option<Arc<dyn ResultCache>>,
        tokens: TokenCodec,
    ) -> Self {
        Self {
            workflow,
            cache,
            tokens,
        }
    }

    /// Starts a job. With an idempotency key the execution name comes from the key, so a retry
    /// of the same request, on any instance and at any later time, finds the same execution.
    pub async fn submit(
        &self,
        request: &SubmitMessage,
        key: Option<&IdempotencyKey>,
    ) -> Result<Job, JobError> {
        let input = request.to_input();
        if let Some(job) = self.submitted_before_rotation(key, &input).await? {
            return Ok(job);
        }
        let name = match key {
            Some(key) => key.execution_name(self.tokens.current_secret()),
            None => ExecutionName::random(),
        };
        match self.workflow.start(&name, &input).await {
            Ok(()) => {
                let now = SystemTime::now();
                let delay = remaining_delay(&input, now, now);
                Ok(Job {
                    id: self.tokens.encode(&name),
                    name,
                    state: ExecutionState::Running,
                    retry_after_seconds: Some(retry_after_seconds(delay)),
                    remaining_delay: delay,
                })
            }
            Err(WorkflowError::AlreadyExists) if key.is_some() => {
                let execution = self.poll(&name).await?;
                self.same_request(name, execution, &input).await
            }
            Err(error) => Err(error.into()),
        }
    }

    /// While a secret rotation is under way, a key first used under the previous secret names
    /// another execution: find it, so that the retry does not start a second job.
    async fn submitted_before_rotation(
        &self,
        key: Option<&IdempotencyKey>,
        input: &serde_json::Value,
    ) -> Result<Option<Job>, JobError> {
        let (Some(key), Some(previous)) = (key, self.tokens.previous_secret()) else {
            return Ok(None);
        };
        let name = key.execution_name(Some(previous));
        match self.workflow.poll(&name).await {
            Ok(execution) => self.same_request(name, execution, input).await.map(Some),
            Err(WorkflowError::NotFound) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// The job an idempotent retry refers to, if it carries the same request.
    async fn same_request(
        &self,
        name: ExecutionName,
        execution: Execution,
        input: &serde_json::Value,
    ) -> Result<Job, JobError> {
        if execution.input != *input {
            return Err(JobError::IdempotencyConflict);
        }
        let id = self.tokens.encode(&name);
        Ok(self.settle(id, name, execution).await)
    }

    /// Where a job stands: from the cache when it holds the job, else from one workflow read.
    pub async fn find(&self, id: &str) -> Result<Job, JobError> {
        let name = self.tokens.decode(id).ok_or(JobError::NotFound)?;
        if let Some(job) = self.cached_job(id, &name).await {
            return Ok(job);
        }
        self.read(id.to_owned(), name).await
    }

    /// Stops a job; a job that has already finished keeps its result.
    pub async fn cancel(&self, id: &str) -> Result<Job, JobError> {
        let name = self.tokens.decode(id).ok_or(JobError::NotFound)?;
        if let Some(job) = self.cached_job(id, &name).await {
            return Ok(job);
        }
        match self.workflow.stop(&name).await {
            Ok(()) => {}
            Err(WorkflowError::NotFound) => return Err(JobError::NotFound),
            Err(error) => return Err(error.into()),
        }
        self.read(id.to_owned(), name).await
    }

    /// One workflow read, bypassing the cache (the caller knows it does not hold the job).
    async fn read(&self, id: String, name: ExecutionName) -> Result<Job, JobError> {
        let execution = self.poll(&name).await?;
        Ok(self.settle(id, name, execution).await)
    }

    async fn poll(&self, name: &ExecutionName) -> Result<Execution, JobError> {
        match self.workflow.poll(name).await {
            Ok(execution) => Ok(execution),
            Err(WorkflowError::NotFound) => Err(JobError::NotFound),
            Err(error) => Err(error.into()),
        }
    }

    /// The job an execution read describes; a final state goes into the cache on the way.
    async fn settle(&self, id: String, name: ExecutionName, execution: Execution) -> Job {
        if execution.state.is_final() {
            self.remember(&name, &execution.state).await;
        }
        let delay = if execution.state.is_final() {
            None
        } else {
            remaining_delay(&execution.input, execution.started_at, SystemTime::now())
        };
        Job {
            id,
            name,
            retry_after_seconds: (!execution.state.is_final()).then(|| retry_after_seconds(delay)),
            state: execution.state,
            remaining_delay: delay,
        }
    }

    /// The job as the cache holds it. Only final states are cached, so there is nothing to wait for.
    async fn cached_job(&self, id: &str, name: &ExecutionName) -> Option<Job> {
        let state = self.cached(name).await?;
        Some(Job {
            id: id.to_owned(),
            name: name.clone(),
            state,
            retry_after_seconds: None,
            remaining_delay: None,
        })
    }

    async fn cached(&self, name: &ExecutionName) -> Option<ExecutionState> {
        let cache = self.cache.as_ref()?;
        match cache.get(name).await {
            Ok(state) => state,
            Err(error) => {
                tracing::warn!(%error, "result cache read failed; asking the workflow instead");
                None
            }
        }
    }

    async fn remember(&self, name: &ExecutionName, state: &ExecutionState) {
        if let Some(cache) = &self.cache
            && let Err(error) = cache.put(name, state).await
        {
            tracing::warn!(%error, "result cache write failed; the next poll asks the workflow again");
        }
    }
}
