//! A hook for whoever keeps executions beyond the process (a journal): told of every
//! top-level state transition and of each execution's end, so that a running execution can be
//! resumed later from the last state it entered.

use std::time::SystemTime;

use serde_json::{Map, Value};

use super::ExecutionDescription;

/// An execution about to enter one of its top-level states (not a state inside a Parallel
/// branch or a Map iteration: those restart with their Parallel or Map).
#[derive(Debug, Clone, Copy)]
pub struct StateTransition<'a> {
    /// The execution's ARN.
    pub execution_arn: &'a str,
    /// The execution's name.
    pub execution_name: &'a str,
    /// The state it enters.
    pub state: &'a str,
    /// The state's effective input, before its InputPath or Arguments.
    pub input: &'a Value,
    /// The variables the state sees (empty unless the machine uses Assign).
    pub variables: &'a Map<String, Value>,
    /// When it enters it.
    pub entered_at: SystemTime,
}

/// Called from the execution's task: keep it quick, and never let it panic.
pub trait ExecutionObserver: Send + Sync {
    /// The execution is about to enter a top-level state.
    fn state_entered(&self, transition: &StateTransition<'_>);

    /// The execution ended (succeeded, failed, timed out or was stopped).
    fn execution_ended(&self, execution: &ExecutionDescription);
}

/// Where a resumed execution picks up: the state it had entered, with what, and when. The
/// entered time matters for a Wait, whose deadline counts from it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResumePoint {
    /// The state to enter again.
    pub state: String,
    /// Its effective input, as [`StateTransition::input`].
    pub input: Value,
    /// The variables it saw.
    pub variables: Map<String, Value>,
    /// When it was entered.
    pub entered_at: SystemTime,
}
