//! Where an execution stands: the one model the engine reports, the API answers with, and the
//! result cache and the job journal store, serialised one way everywhere:
//! `{"status": "SUCCEEDED", "output": ...}` or `{"status": "FAILED", "error": ..., "cause": ...}`.

use std::fmt;
use std::str::FromStr;

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// DescribeExecution's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    /// Still running.
    Running,
    /// Ended with an output.
    Succeeded,
    /// Ended with an error.
    Failed,
    /// Ended when its TimeoutSeconds ran out.
    TimedOut,
    /// Stopped by StopExecution.
    Aborted,
}

impl ExecutionStatus {
    /// The status as AWS spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "RUNNING",
            Self::Succeeded => "SUCCEEDED",
            Self::Failed => "FAILED",
            Self::TimedOut => "TIMED_OUT",
            Self::Aborted => "ABORTED",
        }
    }
}

impl fmt::Display for ExecutionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status that is not one of AWS's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown execution status {0:?}")]
pub struct UnknownStatus(pub String);

impl FromStr for ExecutionStatus {
    type Err = UnknownStatus;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        [
            Self::Running,
            Self::Succeeded,
            Self::Failed,
            Self::TimedOut,
            Self::Aborted,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
        .ok_or_else(|| UnknownStatus(text.to_owned()))
    }
}

/// How an execution that did not succeed ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndStatus {
    /// Ended with an error.
    Failed,
    /// Ended when its TimeoutSeconds ran out.
    TimedOut,
    /// Stopped by StopExecution.
    Aborted,
}

impl From<EndStatus> for ExecutionStatus {
    fn from(status: EndStatus) -> Self {
        match status {
            EndStatus::Failed => Self::Failed,
            EndStatus::TimedOut => Self::TimedOut,
            EndStatus::Aborted => Self::Aborted,
        }
    }
}

/// Where an execution stands.
#[derive(Debug, Clone, PartialEq)]
pub enum ExecutionState {
    /// Still running.
    Running,
    /// Ended with this output.
    Succeeded(Value),
    /// Failed, timed out or aborted. An empty error or cause is one the execution did not
    /// report (AWS leaves the field out).
    Ended {
        /// How it ended.
        status: EndStatus,
        /// The error name, such as `States.Timeout`.
        error: String,
        /// A readable account of the error.
        cause: String,
    },
}

impl ExecutionState {
    /// An execution that ended without success.
    pub fn ended(status: EndStatus, error: impl Into<String>, cause: impl Into<String>) -> Self {
        Self::Ended {
            status,
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// The state's status.
    pub fn status(&self) -> ExecutionStatus {
        match self {
            Self::Running => ExecutionStatus::Running,
            Self::Succeeded(_) => ExecutionStatus::Succeeded,
            Self::Ended { status, .. } => (*status).into(),
        }
    }

    /// Whether the execution has ended, one way or another.
    pub fn is_final(&self) -> bool {
        !matches!(self, Self::Running)
    }
}

impl Serialize for ExecutionState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("status", &self.status())?;
        match self {
            Self::Running => {}
            Self::Succeeded(output) => map.serialize_entry("output", output)?,
            Self::Ended { error, cause, .. } => {
                map.serialize_entry("error", error)?;
                map.serialize_entry("cause", cause)?;
            }
        }
        map.end()
    }
}

/// The serialised form, read before it is checked.
#[derive(Deserialize)]
struct Members {
    status: ExecutionStatus,
    output: Option<Value>,
    error: Option<String>,
    cause: Option<String>,
}

impl<'de> Deserialize<'de> for ExecutionState {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let members = Members::deserialize(deserializer)?;
        let status = match members.status {
            ExecutionStatus::Running => return Ok(Self::Running),
            ExecutionStatus::Succeeded => {
                return members
                    .output
                    .map(Self::Succeeded)
                    .ok_or_else(|| D::Error::missing_field("output"));
            }
            ExecutionStatus::Failed => EndStatus::Failed,
            ExecutionStatus::TimedOut => EndStatus::TimedOut,
            ExecutionStatus::Aborted => EndStatus::Aborted,
        };
        Ok(Self::Ended {
            status,
            error: members
                .error
                .ok_or_else(|| D::Error::missing_field("error"))?,
            cause: members
                .cause
                .ok_or_else(|| D::Error::missing_field("cause"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn every_state() -> Vec<ExecutionState> {
        vec![
            ExecutionState::Running,
            ExecutionState::Succeeded(json!({"message": "HELLO WORLD!", "createdAt": 1})),
            ExecutionState::ended(EndStatus::Failed, "InvalidAudience", "blank"),
            ExecutionState::ended(EndStatus::TimedOut, "States.Timeout", ""),
            ExecutionState::ended(EndStatus::Aborted, "", ""),
        ]
    }

    #[test]
    fn every_state_survives_a_round_trip() {
        for state in every_state() {
            let text = serde_json::to_string(&state).unwrap();
            assert_eq!(
                serde_json::from_str::<ExecutionState>(&text).unwrap(),
                state,
                "{text}"
            );
        }
    }

    #[test]
    fn serialises_as_status_and_its_members() {
        let shapes: Vec<Value> = every_state()
            .iter()
            .map(|state| serde_json::to_value(state).unwrap())
            .collect();
        assert_eq!(
            shapes,
            [
                json!({"status": "RUNNING"}),
                json!({"status": "SUCCEEDED", "output": {"message": "HELLO WORLD!", "createdAt": 1}}),
                json!({"status": "FAILED", "error": "InvalidAudience", "cause": "blank"}),
                json!({"status": "TIMED_OUT", "error": "States.Timeout", "cause": ""}),
                json!({"status": "ABORTED", "error": "", "cause": ""}),
            ]
        );
    }

    #[test]
    fn refuses_a_state_without_its_members() {
        for text in [
            r#"{"status": "SUCCEEDED"}"#,
            r#"{"status": "FAILED", "cause": "x"}"#,
            r#"{"status": "ABORTED", "error": "x"}"#,
            r#"{"status": "DONE"}"#,
        ] {
            assert!(
                serde_json::from_str::<ExecutionState>(text).is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn statuses_read_back_from_their_names() {
        for state in every_state() {
            let status = state.status();
            assert_eq!(status.as_str().parse::<ExecutionStatus>(), Ok(status));
        }
        assert!("running".parse::<ExecutionStatus>().is_err());
    }
}
