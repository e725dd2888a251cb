//! What the runtime and the interpreter both say of an execution: how it is described, and
//! what an observer is told of it as it runs.

mod description;
mod observer;

pub use description::ExecutionDescription;
pub(crate) use description::non_empty;
pub use observer::{ExecutionObserver, ResumePoint, StateTransition};
