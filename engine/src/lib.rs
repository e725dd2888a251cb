//! An embedded interpreter of the Amazon States Language: parse and validate a definition, run
//! executions of it in-process with Step Functions' semantics, and read their history.

mod callback;
mod clock;
pub mod definition;
mod digest;
mod error;
mod execution;
mod history;
mod interpreter;
mod intrinsic_call;
mod intrinsics;
pub mod jsonata;
pub mod mock;
pub mod path;
mod runtime;
mod task;
mod template;
mod timestamp;

pub use clock::{Clock, RealClock, VirtualClock};
pub use error::{StatesError, names as error_names};
pub use execution::{ExecutionDescription, ExecutionObserver, ResumePoint, StateTransition};
pub use execution_model::{EndStatus, ExecutionState, ExecutionStatus};
pub use history::HistoryEvent;
pub use mock::{MockConfig, MockConfigError, MockedStates};
pub use runtime::{
    Engine, EngineConfig, EngineError, HistoryPage, HistoryRequest, StartExecution,
    StartedExecution,
};
pub use task::{Resource, TaskFailure, TaskHandler, TaskRegistry, handler_fn};
