//! Poll mode `describe`: one DescribeExecution answer read as an [`Execution`].

use aws_sdk_sfn::operation::describe_execution::DescribeExecutionOutput;
use aws_sdk_sfn::types::ExecutionStatus as DescribedStatus;

use super::{parse_payload, system_time};
use crate::workflow::{Execution, ExecutionState, ExecutionStatus, WorkflowError};

pub(super) fn execution_from_description(
    description: &DescribeExecutionOutput,
) -> Result<Execution, WorkflowError> {
    let status = match description.status() {
        // A failed execution waiting to be redriven will run again: not a result yet.
        DescribedStatus::PendingRedrive => ExecutionStatus::Running,
        other => other.as_str().parse().map_err(|_| {
            WorkflowError::Upstream(format!(
                "DescribeExecution returned an unknown status {:?}",
                other.as_str()
            ))
        })?,
    };
    let output = match status {
        ExecutionStatus::Succeeded => Some(parse_payload("output", description.output())?),
        _ => None,
    };
    Ok(Execution {
        state: ExecutionState::reported(
            status,
            output,
            description.error().map(str::to_owned),
            description.cause().map(str::to_owned),
        ),
        input: parse_payload("input", description.input())?,
        started_at: system_time(description.start_date())?,
    })
}
