use jsonata_core::evaluator::{EvaluatorError, HostFnResult};
use jsonata_core::value::JValue;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::{argument, md5, sha1, signature_mismatch};

const ALGORITHMS: &str = "MD5, SHA-1, SHA-256, SHA-384, SHA-512";

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
    let bytes = text.as_bytes();
    let digest = match algorithm {
        "MD5" => md5::digest(bytes).to_vec(),
        "SHA-1" => sha1::digest(bytes).to_vec(),
        "SHA-256" => Sha256::digest(bytes).to_vec(),
        "SHA-384" => Sha384::digest(bytes).to_vec(),
        "SHA-512" => Sha512::digest(bytes).to_vec(),
        other => {
            return Err(EvaluatorError::EvaluationError(format!(
                "The hash algorithm '{other}' is not supported; use one of {ALGORITHMS}"
            )));
        }
    };
    Ok(JValue::from(hex(&digest)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
