//! The job service: what the routes do, independent of HTTP. It turns requests into executions,
//! reads them back through the cache, and keeps every workflow call to the minimum the
//! contract allows (one read per status request, none on a cache hit).

mod retry_after;

use std::sync::Arc;
use std::time::SystemTime;

use crate::api::SubmitMessage;
use crate::cache::ResultCache;
use crate::token::TokenCodec;
use crate::workflow::{ExecutionName, ExecutionState, Workflow, WorkflowError};

pub use retry_after::retry_after_seconds;

/// A job as the API reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: String,
    pub state: ExecutionState,
    /// While running: how long a client should wait before asking again.
    pub retry_after_seconds: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("no job has this id")]
    NotFound,
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

    pub async fn submit(&self, request: &SubmitMessage) -> Result<Job, JobError> {
        let name = ExecutionName::random();
        let input = request.to_input();
        self.workflow.start(&name, &input).await?;
        let now = SystemTime::now();
        Ok(Job {
            id: self.tokens.encode(&name),
            state: ExecutionState::Running,
            retry_after_seconds: Some(retry_after_seconds(&input, now, now)),
        })
    }

    /// Where a job stands: from the cache when it holds the job, else from one workflow read.
    pub async fn find(&self, id: &str) -> Result<Job, JobError> {
        let name = self.tokens.decode(id).ok_or(JobError::NotFound)?;
        if let Some(state) = self.cached(&name).await {
            return Ok(Job {
                id: id.to_owned(),
                state,
                retry_after_seconds: None,
            });
        }
        let execution = match self.workflow.poll(&name).await {
            Ok(execution) => execution,
            Err(WorkflowError::NotFound) => return Err(JobError::NotFound),
            Err(error) => return Err(error.into()),
        };
        if execution.state.is_final() {
            self.remember(&name, &execution.state).await;
        }
        let retry_after_seconds = (!execution.state.is_final()).then(|| {
            retry_after_seconds(&execution.input, execution.started_at, SystemTime::now())
        });
        Ok(Job {
            id: id.to_owned(),
            state: execution.state,
            retry_after_seconds,
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
