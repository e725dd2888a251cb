//! The HTTP contract's vocabulary: what a client sends, what it gets back, and how errors look.

mod error;
mod job;
mod limits;
mod problem;
mod submit;
mod upstream;

pub use error::ApiError;
pub use job::JobBody;
pub use limits::{MAX_AUDIENCE_CHARS, MAX_BODY_BYTES, MAX_DELAY_SECONDS};
pub use problem::{PROBLEM_JSON, Problem};
pub use submit::SubmitMessage;
pub use upstream::UpstreamFailure;
