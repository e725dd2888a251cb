//! DescribeExecution's answer.

use std::time::SystemTime;

use execution_model::{ExecutionState, ExecutionStatus};
use serde_json::Value;

/// DescribeExecution's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionDescription {
    /// The execution's ARN.
    pub execution_arn: String,
    /// The ARN of the state machine it runs.
    pub state_machine_arn: String,
    /// Its name, unique among its state machine's executions.
    pub name: String,
    /// Where it stands: running, succeeded with an output, or ended with an error and cause.
    pub state: ExecutionState,
    /// What it was started with.
    pub input: Value,
    /// When it started.
    pub start_date: SystemTime,
    /// When it ended; `None` while it runs.
    pub stop_date: Option<SystemTime>,
}

impl ExecutionDescription {
    /// DescribeExecution's `status`.
    pub fn status(&self) -> ExecutionStatus {
        self.state.status()
    }

    /// The output, once it succeeded.
    pub fn output(&self) -> Option<&Value> {
        match &self.state {
            ExecutionState::Succeeded(output) => Some(output),
            _ => None,
        }
    }

    /// The error name of an execution that ended without success, unless it reported none.
    pub fn error(&self) -> Option<&str> {
        match &self.state {
            ExecutionState::Ended { error, .. } => non_empty(error),
            _ => None,
        }
    }

    /// The cause of an execution that ended without success, unless it reported none.
    pub fn cause(&self) -> Option<&str> {
        match &self.state {
            ExecutionState::Ended { cause, .. } => non_empty(cause),
            _ => None,
        }
    }
}

/// An empty error or cause is one the execution did not report: AWS leaves it out.
pub(crate) fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}
