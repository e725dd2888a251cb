//! Fail: stops the execution as failed, with an error name and cause given literally, by path
//! or intrinsic (JSONPath), or by expression (JSONata).

use serde_json::Value;

use super::Cx;
use crate::definition::{FailField, FailState};
use crate::error::StatesError;

/// The error the state declares (`Ok`), or the error met while resolving its fields (`Err`).
pub fn error(cx: &Cx, state: &FailState, input: &Value) -> Result<StatesError, StatesError> {
    let context = cx.context(0);
    let sources = cx.sources(input, &context);
    let bindings = cx.input_bindings(input, &context);
    let resolve = |field: &Option<FailField>| -> Result<String, StatesError> {
        match field {
            None => Ok(String::new()),
            Some(FailField::Literal(text)) => Ok(text.clone()),
            Some(FailField::Path(path)) => match path.select(&sources) {
                Some(value) => Ok(text_of(value)),
                None => Err(StatesError::runtime(format!(
                    "Invalid path '{path}' : No results for path: {path}"
                ))),
            },
            Some(FailField::Intrinsic(call)) => call.evaluate(&sources).map(text_of),
            Some(FailField::Expression(field)) => match field.evaluate(&bindings)? {
                Value::String(text) => Ok(text),
                other => Err(field.type_error("string", &other).into()),
            },
        }
    };
    Ok(StatesError {
        error: resolve(&state.error)?,
        cause: resolve(&state.cause)?,
    })
}

fn text_of(value: Value) -> String {
    match value {
        Value::String(text) => text,
        other => other.to_string(),
    }
}
