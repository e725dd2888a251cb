//! The functions Step Functions adds to JSONata, registered as host functions
//! on each evaluator.

mod fresh_uuid;
mod hash;
mod parse_json;
mod partition;
mod random;
mod range;

use jsonata_core::evaluator::{Evaluator, EvaluatorError};
use jsonata_core::value::JValue;

pub(super) fn register(evaluator: &mut Evaluator) -> Result<(), EvaluatorError> {
    evaluator.register_fn("partition", partition::partition)?;
    evaluator.register_fn("range", range::range)?;
    evaluator.register_fn("hash", hash::hash)?;
    evaluator.register_fn("uuid", fresh_uuid::uuid)?;
    evaluator.register_fn("parse", parse_json::parse)?;
    // JSONata's own `$random` takes no seed; Step Functions' does.
    evaluator.register_fn_override("random", random::random)?;
    evaluator.register_fn_override("eval", refuse_eval)?;
    Ok(())
}

/// Step Functions leaves `$eval` out of its JSONata and points to `$parse`.
fn refuse_eval(_args: &[JValue]) -> Result<JValue, EvaluatorError> {
    Err(EvaluatorError::EvaluationError(
        "The function $eval is not supported in Step Functions; use $parse to read JSON text"
            .to_string(),
    ))
}

/// JSONata's own wording for an argument of the wrong type, so a host function
/// fails like a built-in would.
fn signature_mismatch(function: &str, position: usize) -> EvaluatorError {
    EvaluatorError::TypeError(format!(
        "T0410: Argument {position} of function \"{function}\" does not match function signature"
    ))
}

/// A missing argument and JSONata's undefined are the same to a function.
fn argument(args: &[JValue], index: usize) -> Option<&JValue> {
    args.get(index).filter(|value| !value.is_undefined())
}

/// An integral JSON number as `i64`, or `None` for anything else.
fn integer(value: &JValue) -> Option<i64> {
    let number = value.as_f64()?;
    let in_range = number >= i64::MIN as f64 && number < i64::MAX as f64;
    (number.fract() == 0.0 && in_range).then_some(number as i64)
}
