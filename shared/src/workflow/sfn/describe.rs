//! Poll mode `describe`: one DescribeExecution answer read as an [`Execution`].

use aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput;
use aws_sdk_sfn::types::ExecutionStatus;

use super::{parse_payload, system_time};
use crate::workflow::{Execution, ExecutionState, WorkflowError};

pub(super) fn execution_from_description(
    description: &DescribeExecutionOutput,
) -> Result<Execution, WorkflowError> {
    let error = || description.error().unwrap_or_default().to_owned();
    let cause = || description.cause().unwrap_or_default().to_owned();
    let state = match description.status() {
        // A failed execution waiting to be redriven will run again: not a result yet.
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive => ExecutionState::Running,
        ExecutionStatus::Succeeded => {
            ExecutionState::Succeeded(parse_payload("output", description.output())?)
        }
        ExecutionStatus::Failed => ExecutionState::Failed {
            error: error(),
            cause: cause(),
        },
        ExecutionStatus::TimedOut => ExecutionState::TimedOut {
            error: error(),
            cause: cause(),
        },
        ExecutionStatus::Aborted => ExecutionState::Aborted {
            error: error(),
            cause: cause(),
        },
        other => {
            return Err(WorkflowError::Upstream(format!(
                "DescribeExecution returned an unknown status {:?}",
                other.as_str()
            )));
        }
    };
    Ok(Execution {
        state,
        input: parse_payload("input", description.input())?,
        started_at: system_time(description.start_date())?,
    })
}
