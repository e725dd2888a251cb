//! The workflow port: what the API needs from Step Functions, and nothing more.
//!
//! The API addresses executions by [`ExecutionName`] only; each adapter knows its one state
//! machine and builds whatever identifier its backend needs, so a job id can never reach
//! another state machine.

use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use serde_json::Value;

/// The execution's name and state are those the engine and every store speak of too.
pub use execution_model::{EndStatus, ExecutionName, ExecutionState, ExecutionStatus};

#[cfg(feature = "embedded")]
pub mod embedded;
pub mod sfn;

/// One read of an execution.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    pub state: ExecutionState,
    /// The input the execution was started with (used to answer idempotent re-submits and to
    /// tell a client how long a delayed job still has to wait).
    pub input: Value,
    pub started_at: SystemTime,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    #[error("execution does not exist")]
    NotFound,
    /// An execution of that name exists (or existed) with another input, or has finished.
    #[error("an execution with this name already exists")]
    AlreadyExists,
    #[error("workflow service throttled the request")]
    Throttled,
    /// Anything else: the message is for the log, never for the client.
    #[error("workflow service failed: {0}")]
    Upstream(String),
}

#[async_trait]
pub trait Workflow: Send + Sync {
    /// Starts an execution of the state machine under `name` with `input`.
    /// Starting the same name with the same input while it runs is not an error (AWS semantics).
    async fn start(&self, name: &ExecutionName, input: &Value) -> Result<(), WorkflowError>;

    /// Reads the execution once (one DescribeExecution, or one history walk).
    async fn poll(&self, name: &ExecutionName) -> Result<Execution, WorkflowError>;

    /// Stops a running execution; stopping a finished one is not an error.
    async fn stop(&self, name: &ExecutionName) -> Result<(), WorkflowError>;

    /// Waits up to `timeout` for the execution to end and answers it as it stands then: final,
    /// or still running when the timeout passed. `None` says this workflow cannot be told of an
    /// end (Step Functions cannot), so the caller has to poll instead; that is the default.
    async fn wait_for_end(
        &self,
        _name: &ExecutionName,
        _timeout: Duration,
    ) -> Result<Option<Execution>, WorkflowError> {
        Ok(None)
    }
}
