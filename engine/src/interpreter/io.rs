//! Input and output processing (AWS developer guide, "Processing input and output"):
//! InputPath -> Parameters -> task -> ResultSelector -> ResultPath -> OutputPath.

use serde_json::{Map, Value};

use crate::definition::Filters;
use crate::error::{StatesError, names};
use crate::path::{Path, ReferencePath, Sources};

/// InputPath: selects the part of the raw input the state works on (`null` -> `{}`).
pub fn input_path(filters: &Filters, sources: &Sources) -> Result<Value, StatesError> {
    select(filters.input_path.as_ref(), sources)
}

/// OutputPath: selects the part of the state's output passed on (`null` -> `{}`).
pub fn output_path(filters: &Filters, sources: &Sources) -> Result<Value, StatesError> {
    match &filters.output_path {
        Some(path) if path.as_reference().is_some_and(ReferencePath::is_root) => {
            Ok(sources.input.clone())
        }
        other => select(other.as_ref(), sources),
    }
}

fn select(path: Option<&Path>, sources: &Sources) -> Result<Value, StatesError> {
    let Some(path) = path else {
        return Ok(Value::Object(Map::new()));
    };
    path.select(sources).ok_or_else(|| {
        let rendered = path
            .as_reference()
            .map(ToString::to_string)
            .unwrap_or_else(|| path.to_string());
        StatesError::runtime(format!(
            "Invalid path '{path}' : No results for path: {rendered}"
        ))
    })
}

/// ResultPath: places the result into the raw input (`null` -> the raw input unchanged).
pub fn result_path(
    path: Option<&ReferencePath>,
    raw_input: Value,
    result: Value,
) -> Result<Value, StatesError> {
    let Some(path) = path else {
        return Ok(raw_input);
    };
    // The developer guide's error names: "States.ResultPathMatchFailure: Step Functions failed
    // to apply a state's ResultPath field to the input the state received".
    path.set(raw_input, result).map_err(|error| {
        StatesError::new(
            names::RESULT_PATH_MATCH_FAILURE,
            format!(
                "Unable to apply ResultPath '{path}': the step '{}' cannot be applied to '{}'",
                error.step, error.found
            ),
        )
    })
}
