//! States.Hash: a hex digest of the data's UTF-8 bytes.

use serde_json::Value;

use crate::digest::hex_digest;

use super::coerce::{java_length, text};
use super::{Failure, java_values};

/// The guide's limit on the data to hash.
const MAX_INPUT_CHARACTERS: usize = 10_000;

pub(crate) fn hash(args: &[Value]) -> Result<Value, Failure> {
    let [data, algorithm] = args else {
        return Err(Failure::InvalidArguments);
    };
    // The service hashes any other value by its Java text (`String.valueOf`) rather than
    // refusing it.
    let data = java_values::display(data);
    if java_length(&data) > MAX_INPUT_CHARACTERS {
        return Err(Failure::InvalidArguments);
    }
    hex_digest(text(algorithm)?, data.as_bytes())
        .map(Value::String)
        .ok_or(Failure::InvalidArguments)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn digest(data: &str, algorithm: &str) -> Result<Value, Failure> {
        hash(&[json!(data), json!(algorithm)])
    }

    #[test]
    fn each_algorithm_gives_its_known_digest_of_hello() {
        assert_eq!(
            digest("hello", "MD5"),
            Ok(json!("5d41402abc4b2a76b9719d911017c592"))
        );
        assert_eq!(
            digest("hello", "SHA-1"),
            Ok(json!("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"))
        );
        assert_eq!(
            digest("hello", "SHA-256"),
            Ok(json!(
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
            ))
        );
        assert_eq!(
            digest("hello", "SHA-384"),
            Ok(json!(
                "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f"
            ))
        );
        assert_eq!(
            digest("hello", "SHA-512"),
            Ok(json!(
                "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043"
            ))
        );
    }

    #[test]
    fn algorithm_names_must_match_exactly() {
        for name in ["sha-256", "SHA256", "MD-5", "", "SHA-257"] {
            assert_eq!(digest("data", name), Err(Failure::InvalidArguments));
        }
        assert_eq!(
            hash(&[json!("data"), json!(256)]),
            Err(Failure::InvalidArguments)
        );
    }

    #[test]
    fn data_of_more_than_10000_characters_is_refused() {
        assert!(digest(&"a".repeat(10_000), "SHA-256").is_ok());
        assert_eq!(
            digest(&"a".repeat(10_001), "SHA-256"),
            Err(Failure::InvalidArguments)
        );
    }

    #[test]
    fn non_string_data_is_hashed_as_its_java_text() {
        assert_eq!(hash(&[json!(123), json!("MD5")]), digest("123", "MD5"));
    }

    #[test]
    fn takes_exactly_two_arguments() {
        assert_eq!(hash(&[json!("a")]), Err(Failure::InvalidArguments));
        assert_eq!(
            hash(&[json!("a"), json!("MD5"), json!("x")]),
            Err(Failure::InvalidArguments)
        );
    }
}
