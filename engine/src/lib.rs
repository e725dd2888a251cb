//! An embedded interpreter of the Amazon States Language: parse and validate a definition, run
//! executions of it in-process with Step Functions' semantics, and read their history.
//!
//! The whole pipeline: define a machine, create it, start an execution, wait for it, read its
//! history.
//!
//! ```
//! use std::sync::Arc;
//!
//! use asl::{
//!     Engine, ExecutionState, HistoryRequest, StartExecution, TaskRegistry, VirtualClock,
//!     handler_fn,
//! };
//! use serde_json::{Value, json};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), asl::EngineError> {
//! const GREET: &str = "arn:aws:lambda:us-east-1:123456789012:function:Greet";
//! let mut tasks = TaskRegistry::new();
//! tasks.register_function(
//!     GREET,
//!     handler_fn(|input: Value| async move {
//!         Ok(json!({"message": format!("HELLO {}!", input["who"].as_str().unwrap_or("WORLD"))}))
//!     }),
//! );
//! // A virtual clock: the Wait takes no wall time.
//! let engine = Engine::new(Arc::new(VirtualClock::new()), tasks);
//! let definition = json!({
//!     "StartAt": "Nap",
//!     "States": {
//!         "Nap": {"Type": "Wait", "Seconds": 60, "Next": "Greet"},
//!         "Greet": {"Type": "Task", "Resource": GREET, "End": true}
//!     }
//! });
//! let machine = engine.create_state_machine("greeter", &definition.to_string())?;
//!
//! let started = engine.start_execution(
//!     StartExecution::new(machine)
//!         .name("first")
//!         .input(json!({"who": "ASL"})),
//! )?;
//! let done = engine.wait_for_execution(&started.execution_arn).await?;
//! assert_eq!(
//!     done.state,
//!     ExecutionState::Succeeded(json!({"message": "HELLO ASL!"}))
//! );
//!
//! let history = engine.get_execution_history(&started.execution_arn, &HistoryRequest::default())?;
//! let types: Vec<&str> = history.events.iter().map(|event| event.event_type.as_str()).collect();
//! assert_eq!(types.first(), Some(&"ExecutionStarted"));
//! assert_eq!(types.last(), Some(&"ExecutionSucceeded"));
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod callback;
mod clock;
mod definition;
mod digest;
mod error;
mod execution;
mod history;
mod interpreter;
mod intrinsic_call;
mod intrinsics;
mod jsonata;
mod mock;
mod path;
mod payload_template;
mod runtime;
mod task;
mod timestamp;

pub use clock::{Clock, RealClock, VirtualClock};
pub use definition::{Diagnostic, InvalidDefinition, Severity, StateMachine};
pub use execution::{ExecutionDescription, ExecutionObserver, ResumePoint, StateTransition};
pub use execution_model::{EndStatus, ExecutionState, ExecutionStatus};
pub use history::HistoryEvent;
pub use mock::{MockConfig, MockConfigError, MockedStates};
pub use runtime::{
    Engine, EngineConfig, EngineError, HistoryPage, HistoryRequest, StartExecution,
    StartedExecution,
};
pub use task::{Resource, TaskFailure, TaskHandler, TaskRegistry, handler_fn};
