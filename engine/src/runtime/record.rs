//! One execution's record: what it was started with, where it stands, and its history.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde_json::Value;
use tokio::sync::watch;
use tokio::task::AbortHandle;

use crate::execution::{ExecutionDescription, ExecutionStatus};
use crate::history::{History, events};

/// How an execution ended, or that it has not.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub status: ExecutionStatus,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub stop_date: Option<SystemTime>,
}

pub(crate) struct ExecutionRecord {
    pub arn: String,
    pub name: String,
    pub state_machine_arn: String,
    pub input: Value,
    pub start_date: SystemTime,
    pub history: Arc<History>,
    pub outcome: watch::Sender<Outcome>,
    pub task: Mutex<Option<AbortHandle>>,
}

impl ExecutionRecord {
    pub fn describe(&self) -> ExecutionDescription {
        let outcome = self.outcome.borrow().clone();
        ExecutionDescription {
            execution_arn: self.arn.clone(),
            state_machine_arn: self.state_machine_arn.clone(),
            name: self.name.clone(),
            status: outcome.status,
            input: self.input.clone(),
            output: outcome.output,
            error: outcome.error,
            cause: outcome.cause,
            start_date: self.start_date,
            stop_date: outcome.stop_date,
        }
    }

    pub fn is_running(&self) -> bool {
        self.outcome.borrow().status == ExecutionStatus::Running
    }

    /// Ends the execution unless it already ended (a stop racing a finish): the first wins, and
    /// only the winner's closing event is recorded.
    pub fn finish(&self, at: SystemTime, outcome: Outcome) -> bool {
        self.outcome.send_if_modified(|current| {
            if current.status != ExecutionStatus::Running {
                return false;
            }
            let event = match outcome.status {
                ExecutionStatus::Succeeded => {
                    events::execution_succeeded(outcome.output.as_ref().unwrap_or(&Value::Null))
                }
                ExecutionStatus::Failed => events::execution_failed(
                    outcome.error.as_deref().unwrap_or_default(),
                    outcome.cause.as_deref().unwrap_or_default(),
                ),
                ExecutionStatus::TimedOut => events::execution_timed_out(
                    outcome.error.as_deref().unwrap_or_default(),
                    outcome.cause.as_deref().unwrap_or_default(),
                ),
                ExecutionStatus::Aborted => {
                    events::execution_aborted(outcome.error.as_deref(), outcome.cause.as_deref())
                }
                ExecutionStatus::Running => return false,
            };
            self.history.record(at, event);
            *current = Outcome {
                stop_date: Some(at),
                ..outcome.clone()
            };
            true
        })
    }
}
