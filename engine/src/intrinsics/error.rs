use thiserror::Error;

/// Why an intrinsic function call failed. Each variant's text is the part of the execution's
/// Cause that AWS writes after "An error occurred while executing the state '...' (entered at
/// the event id #N). ", so the caller only adds that prefix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IntrinsicError {
    /// The expression is not a well-formed call. AWS refuses such a definition before it runs;
    /// the engine reports it the same way if it reaches evaluation.
    #[error(
        "There was an error while evaluating the intrinsic function: {expression}. Invalid intrinsic function syntax: {detail}"
    )]
    Syntax { expression: String, detail: String },

    #[error(
        "There was an error while evaluating the intrinsic function: {expression}. Unknown intrinsic function: {name}"
    )]
    UnknownFunction { expression: String, name: String },

    /// Wrong argument count, type or range: AWS gives no more detail than the function's name.
    #[error(
        "There was an error while evaluating the intrinsic function: {expression}. Invalid arguments in {function}"
    )]
    InvalidArguments {
        expression: String,
        function: &'static str,
    },

    /// Some functions say why their arguments are invalid.
    #[error(
        "There was an error while evaluating the intrinsic function: {expression}. Invalid arguments in {function}: {reason}"
    )]
    InvalidArgumentsBecause {
        expression: String,
        function: &'static str,
        reason: &'static str,
    },

    #[error(
        "There was an error while evaluating the intrinsic function: {expression}. Invalid template in States.Format: {detail}"
    )]
    InvalidTemplate { expression: String, detail: String },

    #[error(
        "There was an error while evaluating the intrinsic function: {expression}. Cannot convert String to Json in States.StringToJson, caused by: {detail}"
    )]
    NotJson { expression: String, detail: String },

    /// A path argument selected nothing; `message` is the resolver's own wording.
    #[error("The function '{expression}' had the following error: {message}")]
    PathFailed { expression: String, message: String },
}

impl IntrinsicError {
    /// The Cause text, as AWS reports it after the state prefix.
    pub fn cause(&self) -> String {
        self.to_string()
    }

    /// The error name AWS reports for a failed intrinsic at run time. The States Language
    /// reserves States.IntrinsicFailure, but the service raises States.Runtime for every
    /// failure above (observed on real executions).
    pub fn error_name(&self) -> &'static str {
        "States.Runtime"
    }
}
