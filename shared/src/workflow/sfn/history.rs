//! Poll mode `history`: an execution read from its GetExecutionHistory events.
//!
//! Events are asked for newest first, but servers differ (moto ignores the order and the page
//! size), so nothing here depends on the order: every event of every page is looked at, and
//! event ids, which grow with time, decide which terminal event is the latest.

use std::time::SystemTime;

use aws_sdk_sfn::types::{HistoryEvent, HistoryEventType};
use serde_json::Value;

use super::{parse_payload, system_time};
use crate::workflow::{EndStatus, Execution, ExecutionState, WorkflowError};

#[derive(Debug, Default)]
pub(super) struct HistoryReader {
    started: Option<(Value, SystemTime)>,
    /// The latest terminal event so far, by event id.
    terminal: Option<(i64, ExecutionState)>,
    /// The latest ExecutionRedriven event id: a redrive after the terminal event means the
    /// execution runs again.
    redriven: Option<i64>,
}

impl HistoryReader {
    pub(super) fn read(&mut self, events: &[HistoryEvent]) -> Result<(), WorkflowError> {
        for event in events {
            self.read_event(event)?;
        }
        Ok(())
    }

    fn read_event(&mut self, event: &HistoryEvent) -> Result<(), WorkflowError> {
        match event.r#type() {
            HistoryEventType::ExecutionStarted => {
                let input = event
                    .execution_started_event_details()
                    .and_then(|details| details.input());
                self.started = Some((
                    parse_payload("input", input)?,
                    system_time(event.timestamp())?,
                ));
            }
            HistoryEventType::ExecutionRedriven => {
                self.redriven = self.redriven.max(Some(event.id()));
            }
            _ => {
                if let Some(state) = terminal_state(event)? {
                    let is_latest = self
                        .terminal
                        .as_ref()
                        .is_none_or(|(latest, _)| event.id() > *latest);
                    if is_latest {
                        self.terminal = Some((event.id(), state));
                    }
                }
            }
        }
        Ok(())
    }

    /// The execution, or `None` when the history has no ExecutionStarted event yet.
    pub(super) fn finish(self) -> Option<Execution> {
        let (input, started_at) = self.started?;
        let state = match self.terminal {
            Some((id, state)) if self.redriven.is_none_or(|redriven| redriven < id) => state,
            _ => ExecutionState::Running,
        };
        Some(Execution {
            state,
            input,
            started_at,
        })
    }
}

/// The final state an event records, if it is one of the four terminal events.
fn terminal_state(event: &HistoryEvent) -> Result<Option<ExecutionState>, WorkflowError> {
    let (status, reported) = match event.r#type() {
        HistoryEventType::ExecutionSucceeded => {
            let output = event
                .execution_succeeded_event_details()
                .and_then(|details| details.output());
            return Ok(Some(ExecutionState::Succeeded(parse_payload(
                "output", output,
            )?)));
        }
        HistoryEventType::ExecutionFailed => (
            EndStatus::Failed,
            event
                .execution_failed_event_details()
                .map(|d| (d.error(), d.cause())),
        ),
        HistoryEventType::ExecutionTimedOut => (
            EndStatus::TimedOut,
            event
                .execution_timed_out_event_details()
                .map(|d| (d.error(), d.cause())),
        ),
        HistoryEventType::ExecutionAborted => (
            EndStatus::Aborted,
            event
                .execution_aborted_event_details()
                .map(|d| (d.error(), d.cause())),
        ),
        _ => return Ok(None),
    };
    let (error, cause) = reported.unwrap_or_default();
    Ok(Some(ExecutionState::ended(
        status,
        error.unwrap_or_default(),
        cause.unwrap_or_default(),
    )))
}
