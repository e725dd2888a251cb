use jsonata_core::evaluator::{EvaluatorError, HostFnResult};
use jsonata_core::value::JValue;

use super::{argument, signature_mismatch};
use crate::digest::{ALGORITHMS, hex_digest};

/// `$hash(value, algorithm)`: the lowercase hex digest of the string's UTF-8
/// bytes, with the algorithms `States.Hash` offers.
pub(super) fn hash(args: &[JValue]) -> HostFnResult {
    let Some(value) = argument(args, 0) else {
        return Ok(JValue::Undefined);
    };
    let text = value
        .as_str()
        .ok_or_else(|| signature_mismatch("hash", 1))?;
    let algorithm = argument(args, 1)
        .and_then(JValue::as_str)
        .ok_or_else(|| signature_mismatch("hash", 2))?;
    let digest = hex_digest(algorithm, text.as_bytes()).ok_or_else(|| {
        EvaluatorError::EvaluationError(format!(
            "The hash algorithm '{algorithm}' is not supported; use one of {}",
            ALGORITHMS.join(", ")
        ))
    })?;
    Ok(JValue::from(digest))
}
