use jsonata_core::evaluator::{EvaluatorError, HostFnResult};
use jsonata_core::value::JValue;

use super::{argument, integer, signature_mismatch};

/// `$partition(array, size)`: the array cut into chunks of `size` items, the
/// last one holding what is left.
pub(super) fn partition(args: &[JValue]) -> HostFnResult {
    let Some(array) = argument(args, 0) else {
        return Ok(JValue::Undefined);
    };
    let size = argument(args, 1)
        .and_then(integer)
        .ok_or_else(|| signature_mismatch("partition", 2))?;
    if size < 1 {
        return Err(EvaluatorError::EvaluationError(format!(
            "The chunk size of $partition must be a positive integer, not {size}"
        )));
    }
    let items = match array.as_array() {
        Some(items) => items.clone(),
        // JSONata treats a single value where an array is expected as an
        // array of one.
        None => vec![array.clone()],
    };
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(JValue::array(
        items
            .chunks(size)
            .map(|chunk| JValue::array(chunk.to_vec()))
            .collect(),
    ))
}
