//! The vocabulary of a Step Functions execution that the embedded engine, the job API and its
//! stores share, in a crate small enough for the Lambdas to link without the engine: the name
//! rules of StartExecution and CreateStateMachine, where an execution stands, and how long an
//! ended one is remembered.
//!
//! ```
//! use execution_model::{EndStatus, ExecutionName, ExecutionState, ExecutionStatus};
//!
//! let name = ExecutionName::parse("job-1")?;
//! let state = ExecutionState::ended(EndStatus::Failed, "InvalidAudience", "blank");
//! assert_eq!(state.status(), ExecutionStatus::Failed);
//! assert_eq!(
//!     serde_json::to_value(&state)?,
//!     serde_json::json!({"status": "FAILED", "error": "InvalidAudience", "cause": "blank"})
//! );
//! # assert_eq!(name.as_str(), "job-1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod name;
mod retention;
mod state;

pub use name::{ExecutionName, InvalidName, MAX_NAME_CHARS, check_name};
pub use retention::EndedQueue;
pub use state::{EndStatus, ExecutionState, ExecutionStatus, MissingMember, UnknownStatus};
