//! What `POST`, `GET` and `DELETE /messages/...` answer with: a job and where it stands.

use serde::{Deserialize, Serialize};

use crate::workflow::ExecutionState;

/// `{"id", "status"}`, with the `output` of a succeeded job or the `error` and `cause` of one
/// that ended otherwise: the execution state's one serialised form, beside the job's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobBody {
    pub id: String,
    #[serde(flatten)]
    pub state: ExecutionState,
}

impl JobBody {
    /// Takes the state rather than borrowing it, so that an answer never copies an output.
    pub fn new(id: impl Into<String>, state: ExecutionState) -> Self {
        Self {
            id: id.into(),
            state,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::workflow::EndStatus;

    #[test]
    fn a_running_job_has_only_id_and_status() {
        let body = JobBody::new("abc", ExecutionState::Running);
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            json!({"id": "abc", "status": "RUNNING"})
        );
    }

    #[test]
    fn a_finished_job_carries_its_output() {
        let output = json!({"message": "HELLO WORLD!", "createdAt": 1});
        let body = JobBody::new("abc", ExecutionState::Succeeded(output.clone()));
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            json!({"id": "abc", "status": "SUCCEEDED", "output": output})
        );
    }

    #[test]
    fn a_failed_job_carries_error_and_cause() {
        let state = ExecutionState::ended(EndStatus::TimedOut, "States.Timeout", "too slow");
        assert_eq!(
            serde_json::to_value(JobBody::new("abc", state)).unwrap(),
            json!({"id": "abc", "status": "TIMED_OUT", "error": "States.Timeout", "cause": "too slow"})
        );
    }

    #[test]
    fn a_body_reads_back_as_it_was_written() {
        let body = JobBody::new(
            "abc",
            ExecutionState::ended(EndStatus::Failed, "InvalidAudience", "blank"),
        );
        let text = serde_json::to_string(&body).unwrap();
        assert_eq!(serde_json::from_str::<JobBody>(&text).unwrap(), body);
    }
}
