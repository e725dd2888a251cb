//! The errors a state machine can raise at run time, named as the States Language names them.

use serde_json::{Value, json};

use crate::jsonata::JsonataError;

/// The predefined error names (States Language, "Errors") that the engine raises or matches.
pub mod names {
    pub const ALL: &str = "States.ALL";
    pub const RUNTIME: &str = "States.Runtime";
    pub const TASK_FAILED: &str = "States.TaskFailed";
    pub const TIMEOUT: &str = "States.Timeout";
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
    pub const QUERY_EVALUATION_ERROR: &str = crate::jsonata::QUERY_EVALUATION_ERROR;
}

/// An error raised while running a state: its name and a human-readable cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatesError {
    pub error: String,
    pub cause: String,
}

impl StatesError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            cause: cause.into(),
        }
    }

    pub fn runtime(cause: impl Into<String>) -> Self {
        Self::new(names::RUNTIME, cause)
    }

    /// States.Runtime and States.DataLimitExceeded end the execution: no Retry or Catch,
    /// not even States.ALL, may handle them (AWS developer guide, "Error handling").
    pub fn is_terminal(&self) -> bool {
        self.error == names::RUNTIME || self.error == names::DATA_LIMIT_EXCEEDED
    }

    /// The error output a Catcher places into the state's input.
    pub fn to_error_output(&self) -> Value {
        json!({ "Error": self.error, "Cause": self.cause })
    }
}

impl std::fmt::Display for StatesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for StatesError {}

/// A failed JSONata parse or evaluation is already shaped as the error and cause the state
/// raises.
impl From<JsonataError> for StatesError {
    fn from(error: JsonataError) -> Self {
        Self::new(error.error, error.cause)
    }
}
