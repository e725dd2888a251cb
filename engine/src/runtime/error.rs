//! The errors of the engine's API, named as the Step Functions API names them.

use crate::definition::InvalidDefinition;

/// Why an engine call was refused.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The definition does not parse or validate; its diagnostics say where.
    #[error(transparent)]
    InvalidDefinition(#[from] InvalidDefinition),
    /// A state machine or execution name StartExecution or CreateStateMachine refuses.
    #[error("Invalid Name: '{0}'")]
    InvalidName(String),
    /// Text that is not an ARN.
    #[error("Invalid Arn: '{0}'")]
    InvalidArn(String),
    /// An input that is not JSON, or a resume point the machine has no state for.
    #[error("Invalid execution input: {0}")]
    InvalidExecutionInput(String),
    /// CreateStateMachine with a name already in use.
    #[error("State Machine Already Exists: '{0}'")]
    StateMachineAlreadyExists(String),
    /// No state machine has this ARN.
    #[error("State Machine Does Not Exist: '{0}'")]
    StateMachineDoesNotExist(String),
    /// The execution name is taken (by another input, an ended execution, or a resume).
    #[error("Execution Already Exists: '{0}'")]
    ExecutionAlreadyExists(String),
    /// No execution has this ARN (or it was forgotten after it ended).
    #[error("Execution Does Not Exist: '{0}'")]
    ExecutionDoesNotExist(String),
    /// A history page token this engine did not give.
    #[error("Invalid Token: '{0}'")]
    InvalidToken(String),
    /// No task waits for this task token.
    #[error("Task Does Not Exist: '{0}'")]
    TaskDoesNotExist(String),
    /// SendTaskSuccess output that is not JSON.
    #[error("Invalid Output: {0}")]
    InvalidOutput(String),
}

impl EngineError {
    /// The error code the Step Functions API would answer with.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::InvalidDefinition(_) => "InvalidDefinition",
            EngineError::InvalidName(_) => "InvalidName",
            EngineError::InvalidArn(_) => "InvalidArn",
            EngineError::InvalidExecutionInput(_) => "InvalidExecutionInput",
            EngineError::StateMachineAlreadyExists(_) => "StateMachineAlreadyExists",
            EngineError::StateMachineDoesNotExist(_) => "StateMachineDoesNotExist",
            EngineError::ExecutionAlreadyExists(_) => "ExecutionAlreadyExists",
            EngineError::ExecutionDoesNotExist(_) => "ExecutionDoesNotExist",
            EngineError::InvalidToken(_) => "InvalidToken",
            EngineError::TaskDoesNotExist(_) => "TaskDoesNotExist",
            EngineError::InvalidOutput(_) => "InvalidOutput",
        }
    }
}
