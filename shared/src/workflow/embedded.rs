//! The workflow port over the embedded States Language engine: the same
//! `statemachine/messages.asl.json`, with BuildMessage running in-process.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use serde_json::Value;

pub use asl::{
    Clock, ExecutionDescription, ExecutionObserver, RealClock, ResumePoint, StateTransition,
    VirtualClock,
};
use asl::{
    Engine, EngineError, StartExecution, TaskFailure, TaskHandler, TaskRegistry, handler_fn,
};

use super::{Execution, ExecutionName, Workflow, WorkflowError};
use crate::greeting::{BuildMessageInput, INVALID_AUDIENCE, build_message};

const DEFINITION: &str = include_str!("../../../statemachine/messages.asl.json");
const STATE_MACHINE_NAME: &str = "messages";
/// Where the definition's `${BuildMessageFunctionArn}` points locally.
pub const BUILD_MESSAGE_FUNCTION_ARN: &str =
    "arn:aws:lambda:us-east-1:123456789012:function:BuildMessage";

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error("the messages state machine could not be created: {0}")]
    StateMachine(#[from] EngineError),
}

#[derive(Clone)]
pub struct EmbeddedWorkflow {
    engine: Engine,
    state_machine_arn: String,
}

impl EmbeddedWorkflow {
    /// The messages state machine on a fresh engine, timed by `clock`.
    pub fn messages(clock: Arc<dyn Clock>) -> Result<Self, EmbeddedError> {
        let mut tasks = TaskRegistry::new();
        tasks.register_function(
            BUILD_MESSAGE_FUNCTION_ARN,
            build_message_handler(Arc::clone(&clock)),
        );
        let engine = Engine::new(clock, tasks);
        let definition =
            DEFINITION.replace("${BuildMessageFunctionArn}", BUILD_MESSAGE_FUNCTION_ARN);
        let state_machine_arn = engine.create_state_machine(STATE_MACHINE_NAME, &definition)?;
        Ok(Self {
            engine,
            state_machine_arn,
        })
    }

    /// The engine underneath, for callers that want more than the port (history, waiting).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn state_machine_arn(&self) -> &str {
        &self.state_machine_arn
    }

    /// Tells `observer` of every transition and end of the executions started from now on.
    pub fn set_observer(&self, observer: Arc<dyn ExecutionObserver>) {
        self.engine.set_observer(observer);
    }

    /// Continues, under its old name and start date, a job that an earlier process was running
    /// when it stopped.
    pub fn resume(
        &self,
        name: &ExecutionName,
        input: &Value,
        started_at: SystemTime,
        point: ResumePoint,
    ) -> Result<(), WorkflowError> {
        let request = StartExecution::new(self.state_machine_arn.as_str())
            .name(name.as_str())
            .input(input.clone())
            .resume(started_at, point);
        self.engine
            .start_execution(request)
            .map(|_| ())
            .map_err(to_workflow_error)
    }

    fn execution_arn(&self, name: &ExecutionName) -> Result<String, WorkflowError> {
        self.engine
            .execution_arn(&self.state_machine_arn, name.as_str())
            .map_err(to_workflow_error)
    }
}

/// BuildMessage as the Lambda runs it: an InvalidAudience becomes the function error the
/// state machine catches.
fn build_message_handler(clock: Arc<dyn Clock>) -> Arc<dyn TaskHandler> {
    handler_fn(move |payload: Value| {
        let now = clock.now();
        async move {
            let input: BuildMessageInput = serde_json::from_value(payload)
                .map_err(|error| TaskFailure::new("InvalidInput", error.to_string()))?;
            let greeting = build_message(&input.audience, now)
                .map_err(|invalid| TaskFailure::new(INVALID_AUDIENCE, invalid.to_string()))?;
            serde_json::to_value(greeting)
                .map_err(|error| TaskFailure::new("InvalidOutput", error.to_string()))
        }
    })
}

fn to_execution(execution: ExecutionDescription) -> Execution {
    Execution {
        state: execution.state,
        input: execution.input,
        started_at: execution.start_date,
    }
}

fn to_workflow_error(error: EngineError) -> WorkflowError {
    match error {
        EngineError::ExecutionAlreadyExists(_) => WorkflowError::AlreadyExists,
        EngineError::ExecutionDoesNotExist(_) => WorkflowError::NotFound,
        other => WorkflowError::Upstream(other.to_string()),
    }
}

#[async_trait]
impl Workflow for EmbeddedWorkflow {
    async fn start(&self, name: &ExecutionName, input: &Value) -> Result<(), WorkflowError> {
        let request = StartExecution::new(self.state_machine_arn.as_str())
            .name(name.as_str())
            .input(input.clone());
        self.engine
            .start_execution(request)
            .map(|_| ())
            .map_err(to_workflow_error)
    }

    async fn poll(&self, name: &ExecutionName) -> Result<Execution, WorkflowError> {
        let arn = self.execution_arn(name)?;
        self.engine
            .describe_execution(&arn)
            .map(to_execution)
            .map_err(to_workflow_error)
    }

    async fn stop(&self, name: &ExecutionName) -> Result<(), WorkflowError> {
        let arn = self.execution_arn(name)?;
        self.engine
            .stop_execution(&arn, None, None)
            .map(|_| ())
            .map_err(to_workflow_error)
    }

    /// Woken by the engine the moment the execution ends; the timeout is wall time, as the
    /// client's wait is, whatever clock the engine runs on.
    async fn wait_for_end(
        &self,
        name: &ExecutionName,
        timeout: Duration,
    ) -> Result<Option<Execution>, WorkflowError> {
        let arn = self.execution_arn(name)?;
        match tokio::time::timeout(timeout, self.engine.wait_for_execution(&arn)).await {
            Ok(ended) => ended
                .map(|execution| Some(to_execution(execution)))
                .map_err(to_workflow_error),
            Err(_still_running) => self.poll(name).await.map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use serde_json::json;

    use super::*;
    use crate::workflow::{EndStatus, ExecutionState};

    fn workflow(clock: Arc<dyn Clock>) -> EmbeddedWorkflow {
        EmbeddedWorkflow::messages(clock).unwrap()
    }

    async fn finished(workflow: &EmbeddedWorkflow, name: &ExecutionName) -> Execution {
        let arn = workflow.execution_arn(name).unwrap();
        workflow.engine().wait_for_execution(&arn).await.unwrap();
        workflow.poll(name).await.unwrap()
    }

    #[tokio::test]
    async fn runs_the_messages_state_machine() {
        let origin = SystemTime::UNIX_EPOCH + Duration::from_millis(1_554_380_384_990);
        let workflow = workflow(Arc::new(VirtualClock::frozen_at(origin)));
        let name = ExecutionName::parse("job-1").unwrap();
        let input = json!({"audience": "Step Functions", "delaySeconds": 300});
        workflow.start(&name, &input).await.unwrap();
        let execution = finished(&workflow, &name).await;
        assert_eq!(
            execution.state,
            ExecutionState::Succeeded(
                json!({"message": "HELLO STEP FUNCTIONS!", "createdAt": 1_554_380_684_990_i64})
            )
        );
        assert_eq!(execution.input, input);
        assert_eq!(execution.started_at, origin);
    }

    #[tokio::test]
    async fn a_blank_audience_fails_with_its_reason() {
        let workflow = workflow(Arc::new(VirtualClock::new()));
        let name = ExecutionName::parse("blank").unwrap();
        workflow
            .start(&name, &json!({"audience": " "}))
            .await
            .unwrap();
        assert_eq!(
            finished(&workflow, &name).await.state,
            ExecutionState::ended(
                EndStatus::Failed,
                "InvalidAudience",
                "audience must not be blank"
            )
        );
    }

    #[tokio::test]
    async fn a_stopped_execution_is_aborted() {
        let workflow = workflow(Arc::new(RealClock));
        let name = ExecutionName::parse("slow").unwrap();
        workflow
            .start(&name, &json!({"delaySeconds": 300}))
            .await
            .unwrap();
        assert_eq!(
            workflow.poll(&name).await.unwrap().state,
            ExecutionState::Running
        );
        workflow.stop(&name).await.unwrap();
        assert!(matches!(
            workflow.poll(&name).await.unwrap().state,
            ExecutionState::Ended {
                status: EndStatus::Aborted,
                ..
            }
        ));
        workflow.stop(&name).await.unwrap();
    }

    #[tokio::test]
    async fn names_follow_start_execution_semantics() {
        let workflow = workflow(Arc::new(RealClock));
        let name = ExecutionName::parse("same").unwrap();
        let input = json!({"delaySeconds": 300});
        workflow.start(&name, &input).await.unwrap();
        workflow.start(&name, &input).await.unwrap();
        assert!(matches!(
            workflow.start(&name, &json!({"delaySeconds": 200})).await,
            Err(WorkflowError::AlreadyExists)
        ));
        workflow.stop(&name).await.unwrap();
        assert!(matches!(
            workflow.start(&name, &input).await,
            Err(WorkflowError::AlreadyExists)
        ));
    }

    #[tokio::test]
    async fn unknown_executions_are_not_found() {
        let workflow = workflow(Arc::new(RealClock));
        let name = ExecutionName::parse("nobody").unwrap();
        assert!(matches!(
            workflow.poll(&name).await,
            Err(WorkflowError::NotFound)
        ));
        assert!(matches!(
            workflow.stop(&name).await,
            Err(WorkflowError::NotFound)
        ));
    }

    async fn state_after_waiting(
        workflow: &EmbeddedWorkflow,
        name: &ExecutionName,
        timeout: Duration,
    ) -> ExecutionState {
        let execution = workflow.wait_for_end(name, timeout).await.unwrap();
        execution.expect("the engine tells of ends").state
    }

    #[tokio::test]
    async fn waiting_for_the_end_answers_it_or_the_running_state_at_the_timeout() {
        let name = ExecutionName::parse("delayed").unwrap();
        let input = json!({"delaySeconds": 300});
        let quick = workflow(Arc::new(VirtualClock::new()));
        quick.start(&name, &input).await.unwrap();
        let ended = state_after_waiting(&quick, &name, Duration::from_secs(5)).await;
        assert!(matches!(ended, ExecutionState::Succeeded(_)), "{ended:?}");

        let slow = workflow(Arc::new(RealClock));
        slow.start(&name, &input).await.unwrap();
        let running = state_after_waiting(&slow, &name, Duration::from_millis(50)).await;
        assert_eq!(running, ExecutionState::Running);
        slow.stop(&name).await.unwrap();
    }
}
