use serde_json::Value;
use thiserror::Error;

/// A failed parse or evaluation, shaped like the error and cause Step Functions
/// reports, so the engine can hand it to Retry/Catch and to the history as is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{error}: {cause}")]
pub struct JsonataError {
    pub error: String,
    pub cause: String,
}

/// The error name Step Functions gives every JSONata failure at run time.
pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";

impl JsonataError {
    fn query_evaluation(cause: String) -> Self {
        JsonataError {
            error: QUERY_EVALUATION_ERROR.to_string(),
            cause,
        }
    }

    /// JSONata raised an error (a type error, a failed function, a timeout).
    pub(super) fn threw(source: &str, field: &str, message: &str) -> Self {
        Self::query_evaluation(format!(
            "{} threw an error during evaluation. {message}",
            subject(source, field)
        ))
    }

    /// The expression evaluated to JSONata's `undefined`, which JSON cannot hold.
    pub(super) fn returned_nothing(source: &str, field: &str) -> Self {
        Self::query_evaluation(format!(
            "{} returned nothing (undefined).",
            subject(source, field)
        ))
    }

    /// The expression evaluated to something JSON cannot hold (a function).
    pub(super) fn not_json(source: &str, field: &str, what: &str) -> Self {
        Self::query_evaluation(format!(
            "{} returned {what}, which is not a JSON value.",
            subject(source, field)
        ))
    }

    pub(super) fn unexpected_type(
        source: &str,
        field: &str,
        expected: &str,
        value: &Value,
    ) -> Self {
        Self::query_evaluation(format!(
            "{} returned an unexpected result type. Expected '{expected}', but was '{}' for value: {value}",
            subject(source, field),
            type_name(value)
        ))
    }

    /// The expression is not valid JSONata.
    pub(super) fn invalid(source: &str, field: &str, message: &str) -> Self {
        Self::query_evaluation(format!("{} is invalid. {message}", subject(source, field)))
    }
}

/// Step Functions names the expression and, when known, the field it sits in
/// (`Output`, `Arguments/Input/name`, `Items[0]`); the state name and event id
/// that precede this in its causes are the engine's to add.
fn subject(source: &str, field: &str) -> String {
    if field.is_empty() {
        format!("The JSONata expression '{source}'")
    } else {
        format!("The JSONata expression '{source}' specified for the field '{field}'")
    }
}

/// JSONata's name for the type of a JSON value, as `$type` gives it.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
