//! The bridge to the intrinsic functions: resolves their path arguments against the state's
//! input and the context object.

use serde_json::Value;

use crate::error::StatesError;
use crate::intrinsics;
use crate::path::{Path, Sources};

pub fn is_intrinsic(text: &str) -> bool {
    intrinsics::is_intrinsic(text)
}

/// The syntax error of an invocation, for definition validation.
pub fn syntax_error(expression: &str) -> Option<String> {
    intrinsics::validate(expression)
        .err()
        .map(|error| error.cause())
}

pub fn evaluate(expression: &str, sources: &Sources) -> Result<Value, StatesError> {
    let resolve = |argument: &str| -> Result<Value, String> {
        let path = Path::parse(argument).map_err(|error| error.to_string())?;
        path.select(sources).ok_or_else(|| {
            let searched = path.document(sources).unwrap_or(&Value::Null);
            format!("The JsonPath argument for the field '{argument}' could not be found in the input '{searched}'")
        })
    };
    intrinsics::evaluate(expression, &resolve)
        .map_err(|error| StatesError::new(error.error_name(), error.cause()))
}
