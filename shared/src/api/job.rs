//! What `POST`, `GET` and `DELETE /messages/...` answer with: a job and where it stands.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::workflow::ExecutionState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobStatus {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobBody {
    pub id: String,
    pub status: JobStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl JobBody {
    pub fn new(id: impl Into<String>, state: &ExecutionState) -> Self {
        let id = id.into();
        let (status, output, failure) = match state {
            ExecutionState::Running => (JobStatus::Running, None, None),
            ExecutionState::Succeeded(output) => (JobStatus::Succeeded, Some(output.clone()), None),
            ExecutionState::Failed { error, cause } => {
                (JobStatus::Failed, None, Some((error, cause)))
            }
            ExecutionState::TimedOut { error, cause } => {
                (JobStatus::TimedOut, None, Some((error, cause)))
            }
            ExecutionState::Aborted { error, cause } => {
                (JobStatus::Aborted, None, Some((error, cause)))
            }
        };
        let (error, cause) = failure
            .map(|(error, cause)| (Some(error.clone()), Some(cause.clone())))
            .unwrap_or_default();
        Self {
            id,
            status,
            output,
            error,
            cause,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_running_job_has_only_id_and_status() {
        let body = JobBody::new("abc", &ExecutionState::Running);
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            json!({"id": "abc", "status": "RUNNING"})
        );
    }

    #[test]
    fn a_finished_job_carries_its_output() {
        let output = json!({"message": "HELLO WORLD!", "createdAt": 1});
        let body = JobBody::new("abc", &ExecutionState::Succeeded(output.clone()));
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            json!({"id": "abc", "status": "SUCCEEDED", "output": output})
        );
    }

    #[test]
    fn a_failed_job_carries_error_and_cause() {
        let state = ExecutionState::TimedOut {
            error: "States.Timeout".into(),
            cause: "too slow".into(),
        };
        assert_eq!(
            serde_json::to_value(JobBody::new("abc", &state)).unwrap(),
            json!({"id": "abc", "status": "TIMED_OUT", "error": "States.Timeout", "cause": "too slow"})
        );
    }
}
