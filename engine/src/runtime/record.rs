//! One execution's record: what it was started with, where it stands, and its history.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use execution_model::{EndStatus, ExecutionState};
use serde_json::Value;
use tokio::sync::watch;
use tokio::task::AbortHandle;

use crate::execution::{ExecutionDescription, non_empty};
use crate::history::{EventSpec, History, events};

/// Where an execution stands, and when it ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub state: ExecutionState,
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
            state: outcome.state,
            input: self.input.clone(),
            start_date: self.start_date,
            stop_date: outcome.stop_date,
        }
    }

    pub fn is_running(&self) -> bool {
        !self.outcome.borrow().state.is_final()
    }

    /// Ends the execution in `state` unless it already ended (a stop racing a finish): the
    /// first wins, and only the winner's closing event is recorded.
    pub fn finish(&self, at: SystemTime, state: ExecutionState) -> bool {
        self.outcome.send_if_modified(|current| {
            if current.state.is_final() {
                return false;
            }
            let Some(event) = closing_event(&state) else {
                return false;
            };
            self.history.record(at, event);
            *current = Outcome {
                state,
                stop_date: Some(at),
            };
            true
        })
    }
}

/// The history event that ends an execution in `state`; none for a running one.
fn closing_event(state: &ExecutionState) -> Option<EventSpec> {
    Some(match state {
        ExecutionState::Running => return None,
        ExecutionState::Succeeded(output) => events::execution_succeeded(output),
        ExecutionState::Ended {
            status,
            error,
            cause,
        } => match status {
            EndStatus::Failed => events::execution_failed(error, cause),
            EndStatus::TimedOut => events::execution_timed_out(error, cause),
            EndStatus::Aborted => events::execution_aborted(non_empty(error), non_empty(cause)),
        },
    })
}
