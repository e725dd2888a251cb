use jsonata_core::evaluator::HostFnResult;
use jsonata_core::value::JValue;

use super::signature_mismatch;

/// `$uuid()`: a random (version 4) UUID in its hyphenated lowercase form.
pub(super) fn uuid(args: &[JValue]) -> HostFnResult {
    if !args.is_empty() {
        return Err(signature_mismatch("uuid", 1));
    }
    Ok(JValue::from(uuid::Uuid::new_v4().to_string()))
}
