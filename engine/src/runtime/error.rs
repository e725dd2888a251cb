//! The errors of the engine's API, named as the Step Functions API names them.

use crate::definition::InvalidDefinition;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    InvalidDefinition(#[from] InvalidDefinition),
    #[error("Invalid Name: '{0}'")]
    InvalidName(String),
    #[error("Invalid Arn: '{0}'")]
    InvalidArn(String),
    #[error("Invalid execution input: {0}")]
    InvalidExecutionInput(String),
    #[error("State Machine Already Exists: '{0}'")]
    StateMachineAlreadyExists(String),
    #[error("State Machine Does Not Exist: '{0}'")]
    StateMachineDoesNotExist(String),
    #[error("Execution Already Exists: '{0}'")]
    ExecutionAlreadyExists(String),
    #[error("Execution Does Not Exist: '{0}'")]
    ExecutionDoesNotExist(String),
    #[error("Invalid Token: '{0}'")]
    InvalidToken(String),
    #[error("Task Does Not Exist: '{0}'")]
    TaskDoesNotExist(String),
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
