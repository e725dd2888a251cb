use jsonata_core::evaluator::{EvaluatorError, HostFnResult};
use jsonata_core::value::JValue;

use super::{argument, signature_mismatch};

/// `$parse(text)`: the JSON value `text` holds; Step Functions' replacement
/// for `$eval` when reading JSON.
pub(super) fn parse(args: &[JValue]) -> HostFnResult {
    let Some(text) = argument(args, 0) else {
        return Ok(JValue::Undefined);
    };
    let text = text
        .as_str()
        .ok_or_else(|| signature_mismatch("parse", 1))?;
    JValue::from_json_str(text).map_err(|e| {
        EvaluatorError::EvaluationError(format!(
            "The string passed to $parse is not valid JSON: {e}"
        ))
    })
}
