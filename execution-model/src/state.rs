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

/// How an ended, unsuccessful status ended; a running or succeeded one comes back as the error.
impl TryFrom<ExecutionStatus> for EndStatus {
    type Error = ExecutionStatus;

    fn try_from(status: ExecutionStatus) -> Result<Self, ExecutionStatus> {
        match status {
            ExecutionStatus::Failed => Ok(Self::Failed),
            ExecutionStatus::TimedOut => Ok(Self::TimedOut),
            ExecutionStatus::Aborted => Ok(Self::Aborted),
            other => Err(other),
        }
    }
}

/// A member that the serialised form of a state with this status must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {status} state needs its {member}")]
pub struct MissingMember {
    /// The state's status.
    pub status: ExecutionStatus,
    /// The member's name: `output`, `error` or `cause`.
    pub member: &'static str,
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

    /// The state from the members of its serialised form, as a store that keeps them apart
    /// (one attribute each) reads them back: a succeeded state needs its `output`, the other
    /// ended ones their `error` and `cause`; a member the status has no use for is ignored.
    pub fn from_members(
        status: ExecutionStatus,
        output: Option<Value>,
        error: Option<String>,
        cause: Option<String>,
    ) -> Result<Self, MissingMember> {
        let missing = |member| MissingMember { status, member };
        match EndStatus::try_from(status) {
            Ok(end) => Ok(Self::ended(
                end,
                error.ok_or_else(|| missing("error"))?,
                cause.ok_or_else(|| missing("cause"))?,
            )),
            Err(ExecutionStatus::Succeeded) => {
                output.map(Self::Succeeded).ok_or_else(|| missing("output"))
            }
            Err(_) => Ok(Self::Running),
        }
    }

    /// The state as DescribeExecution reports it, which leaves out an output it withholds
    /// (read as `null`) and an error or cause the execution did not give (read as empty).
    pub fn reported(
        status: ExecutionStatus,
        output: Option<Value>,
        error: Option<String>,
        cause: Option<String>,
    ) -> Self {
        match EndStatus::try_from(status) {
            Ok(end) => Self::ended(end, error.unwrap_or_default(), cause.unwrap_or_default()),
            Err(ExecutionStatus::Succeeded) => Self::Succeeded(output.unwrap_or_default()),
            Err(_) => Self::Running,
        }
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
        Self::from_members(members.status, members.output, members.error, members.cause)
            .map_err(|missing| D::Error::missing_field(missing.member))
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
    fn members_apart_make_the_same_states() {
        for state in every_state() {
            let members = serde_json::to_value(&state).unwrap();
            let text = |member: &str| {
                members
                    .get(member)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            assert_eq!(
                ExecutionState::from_members(
                    state.status(),
                    members.get("output").cloned(),
                    text("error"),
                    text("cause"),
                ),
                Ok(state)
            );
        }
        assert_eq!(
            ExecutionState::from_members(ExecutionStatus::TimedOut, None, Some("e".into()), None),
            Err(MissingMember {
                status: ExecutionStatus::TimedOut,
                member: "cause"
            })
        );
    }

    #[test]
    fn a_report_without_members_reads_as_null_or_empty() {
        assert_eq!(
            ExecutionState::reported(ExecutionStatus::Succeeded, None, None, None),
            ExecutionState::Succeeded(Value::Null)
        );
        assert_eq!(
            ExecutionState::reported(ExecutionStatus::Aborted, None, None, Some("stop".into())),
            ExecutionState::ended(EndStatus::Aborted, "", "stop")
        );
        assert_eq!(
            ExecutionState::reported(ExecutionStatus::Running, Some(Value::Null), None, None),
            ExecutionState::Running
        );
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
