//! The AWS Step Functions adapter of the [`Workflow`] port.
//!
//! The adapter knows one state machine; execution ARNs are rebuilt from its ARN and the
//! execution name, so a caller can never address an execution of another state machine.

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use async_trait::async_trait;
use aws_sdk_sfn::Client;
use aws_sdk_sfn::operation::describe_execution::DescribeExecutionError;
use aws_sdk_sfn::operation::get_execution_history::GetExecutionHistoryError;
use aws_sdk_sfn::operation::start_execution::StartExecutionError;
use aws_sdk_sfn::operation::stop_execution::StopExecutionError;
use aws_sdk_sfn::primitives::DateTime;
use serde_json::Value;

use super::{Execution, ExecutionName, Workflow, WorkflowError};

mod describe;
mod errors;
mod history;
#[cfg(test)]
mod tests;

use errors::service_failure;
use history::HistoryReader;

/// The most events GetExecutionHistory returns in one page: fewer round trips per poll.
const HISTORY_PAGE_SIZE: i32 = 1000;

/// How a poll reads an execution.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PollMode {
    /// One DescribeExecution call.
    #[default]
    Describe,
    /// GetExecutionHistory, newest first, walking every page.
    History,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown poll mode {0:?}: expected \"describe\" or \"history\"")]
pub struct UnknownPollMode(String);

impl FromStr for PollMode {
    type Err = UnknownPollMode;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "describe" => Ok(Self::Describe),
            "history" => Ok(Self::History),
            other => Err(UnknownPollMode(other.to_owned())),
        }
    }
}

impl fmt::Display for PollMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Describe => "describe",
            Self::History => "history",
        })
    }
}

pub struct SfnWorkflow {
    client: Client,
    state_machine_arn: String,
    /// `arn:...:execution:<machine>:`; an execution's ARN is this plus its name.
    execution_arn_prefix: String,
    mode: PollMode,
}

impl SfnWorkflow {
    pub fn new(client: Client, state_machine_arn: String, mode: PollMode) -> Self {
        let execution_arn_prefix = execution_arn_prefix(&state_machine_arn);
        Self {
            client,
            state_machine_arn,
            execution_arn_prefix,
            mode,
        }
    }

    fn execution_arn(&self, name: &ExecutionName) -> String {
        format!("{}{}", self.execution_arn_prefix, name)
    }

    async fn describe(&self, arn: String) -> Result<Execution, WorkflowError> {
        let description = self
            .client
            .describe_execution()
            .execution_arn(arn)
            .send()
            .await
            .map_err(|err| match err.as_service_error() {
                Some(DescribeExecutionError::ExecutionDoesNotExist(_)) => WorkflowError::NotFound,
                _ => service_failure("DescribeExecution", err),
            })?;
        describe::execution_from_description(&description)
    }

    async fn read_history(&self, arn: String) -> Result<Execution, WorkflowError> {
        let mut reader = HistoryReader::default();
        let mut next_token: Option<String> = None;
        loop {
            let page = self
                .client
                .get_execution_history()
                .execution_arn(&arn)
                .reverse_order(true)
                .max_results(HISTORY_PAGE_SIZE)
                .include_execution_data(true)
                .set_next_token(next_token.clone())
                .send()
                .await
                .map_err(|err| match err.as_service_error() {
                    Some(GetExecutionHistoryError::ExecutionDoesNotExist(_)) => {
                        WorkflowError::NotFound
                    }
                    _ => service_failure("GetExecutionHistory", err),
                })?;
            reader.read(page.events())?;
            match page.next_token() {
                Some(token) if !token.is_empty() => {
                    // A server that ignores the token it is sent would hand the same page back
                    // for ever; every event has been seen once already, so stop there.
                    if next_token.as_deref() == Some(token) {
                        break;
                    }
                    next_token = Some(token.to_owned());
                }
                _ => break,
            }
        }
        match reader.finish() {
            Some(execution) => Ok(execution),
            // The execution exists but its first event is not recorded yet (moto records it
            // on a worker thread, so a poll right after StartExecution can see no events at
            // all). Its input and start date are still a DescribeExecution away.
            None => self.describe(arn).await,
        }
    }
}

/// `arn:aws:states:R:A:stateMachine:M` (optionally `:version` or `:alias` after M) gives
/// `arn:aws:states:R:A:execution:M:`. An ARN of another shape is used as it is, so that the
/// service rejects every call with InvalidArn, which the logs then show.
fn execution_arn_prefix(state_machine_arn: &str) -> String {
    let fields: Vec<&str> = state_machine_arn.split(':').collect();
    match fields.as_slice() {
        [
            arn,
            partition,
            service,
            region,
            account,
            "stateMachine",
            machine,
            ..,
        ] => {
            format!("{arn}:{partition}:{service}:{region}:{account}:execution:{machine}:")
        }
        _ => format!("{state_machine_arn}:"),
    }
}

/// An execution's input or output: JSON text, absent when the service withholds it.
fn parse_payload(what: &str, payload: Option<&str>) -> Result<Value, WorkflowError> {
    match payload {
        None => Ok(Value::Null),
        Some(text) => serde_json::from_str(text)
            .map_err(|err| WorkflowError::Upstream(format!("execution {what} is not JSON: {err}"))),
    }
}

fn system_time(date: &DateTime) -> Result<SystemTime, WorkflowError> {
    SystemTime::try_from(*date)
        .map_err(|err| WorkflowError::Upstream(format!("unrepresentable timestamp {date}: {err}")))
}

#[async_trait]
impl Workflow for SfnWorkflow {
    async fn start(&self, name: &ExecutionName, input: &Value) -> Result<(), WorkflowError> {
        self.client
            .start_execution()
            .state_machine_arn(&self.state_machine_arn)
            .name(name.as_str())
            .input(input.to_string())
            .send()
            .await
            .map_err(|err| match err.as_service_error() {
                Some(StartExecutionError::ExecutionAlreadyExists(_)) => {
                    WorkflowError::AlreadyExists
                }
                _ => service_failure("StartExecution", err),
            })?;
        Ok(())
    }

    async fn poll(&self, name: &ExecutionName) -> Result<Execution, WorkflowError> {
        let arn = self.execution_arn(name);
        match self.mode {
            PollMode::Describe => self.describe(arn).await,
            PollMode::History => self.read_history(arn).await,
        }
    }

    async fn stop(&self, name: &ExecutionName) -> Result<(), WorkflowError> {
        // Step Functions accepts StopExecution on a finished execution and leaves its status
        // as it was, which is exactly the idempotent stop the port asks for.
        self.client
            .stop_execution()
            .execution_arn(self.execution_arn(name))
            .send()
            .await
            .map_err(|err| match err.as_service_error() {
                Some(StopExecutionError::ExecutionDoesNotExist(_)) => WorkflowError::NotFound,
                _ => service_failure("StopExecution", err),
            })?;
        Ok(())
    }
}
