//! Fail: stops the execution as failed, with an error name and cause given literally or by path.

use serde_json::Value;

use super::{Entered, Run};
use crate::definition::{FailField, FailState};
use crate::error::StatesError;
use crate::intrinsic_call;

/// The error the state declares (`Ok`), or the error met while resolving its paths (`Err`).
pub fn error(
    run: &Run,
    state: &FailState,
    entered: &Entered,
    input: &Value,
) -> Result<StatesError, StatesError> {
    let context = run.context_object(entered, 0);
    let resolve = |field: &Option<FailField>| -> Result<String, StatesError> {
        match field {
            None => Ok(String::new()),
            Some(FailField::Literal(text)) => Ok(text.clone()),
            Some(FailField::Path(path)) => match path.select(input, &context) {
                Some(Value::String(text)) => Ok(text),
                Some(other) => Ok(other.to_string()),
                None => Err(StatesError::runtime(format!(
                    "Invalid path '{path}' : No results for path: {path}"
                ))),
            },
            Some(FailField::Intrinsic(expression)) => {
                intrinsic_call::evaluate(expression, input, &context).map(|value| match value {
                    Value::String(text) => text,
                    other => other.to_string(),
                })
            }
        }
    };
    Ok(StatesError {
        error: resolve(&state.error)?,
        cause: resolve(&state.cause)?,
    })
}
