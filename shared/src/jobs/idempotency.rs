//! `Idempotency-Key`: the same key names the same execution, everywhere and for good.
//!
//! The execution name is a hash of the key (keyed with the token secret when there is one, so
//! that nobody who lacks the secret can compute, and so look up, another client's job).

use std::fmt::Write;

use hmac::Mac;
use sha2::{Digest, Sha256};

use crate::token::TokenSecret;
use crate::workflow::ExecutionName;

pub const MAX_KEY_CHARS: usize = 255;
const NAME_PREFIX: &str = "idem-";
const HASH_CONTEXT: &[u8] = b"messages/idempotency-key/v1\0";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to {MAX_KEY_CHARS} printable ASCII characters")]
pub struct InvalidIdempotencyKey;

impl IdempotencyKey {
    pub fn parse(value: &[u8]) -> Result<Self, InvalidIdempotencyKey> {
        let printable = |byte: &u8| (0x20..=0x7e).contains(byte);
        if value.is_empty() || value.len() > MAX_KEY_CHARS || !value.iter().all(printable) {
            return Err(InvalidIdempotencyKey);
        }
        let key = String::from_utf8(value.to_vec()).map_err(|_| InvalidIdempotencyKey)?;
        if key.trim().is_empty() {
            return Err(InvalidIdempotencyKey);
        }
        Ok(Self(key))
    }

    pub fn execution_name(&self, secret: Option<&TokenSecret>) -> ExecutionName {
        let digest: Vec<u8> = match secret {
            Some(secret) => {
                let mut mac = secret.mac();
                mac.update(HASH_CONTEXT);
                mac.update(self.0.as_bytes());
                mac.finalize().into_bytes().to_vec()
            }
            None => {
                let mut hash = Sha256::new();
                hash.update(HASH_CONTEXT);
                hash.update(self.0.as_bytes());
                hash.finalize().to_vec()
            }
        };
        let mut name = String::with_capacity(NAME_PREFIX.len() + 2 * digest.len());
        name.push_str(NAME_PREFIX);
        for byte in digest {
            // Writing to a String cannot fail.
            let _ = write!(name, "{byte:02x}");
        }
        // 5 + 64 characters of [a-z0-9-]: always a valid execution name.
        ExecutionName::parse(name).unwrap_or_else(|_| ExecutionName::random())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(value: &str) -> IdempotencyKey {
        IdempotencyKey::parse(value.as_bytes()).unwrap()
    }

    #[test]
    fn accepts_printable_keys_up_to_255_characters() {
        for value in [
            "a",
            "order-42",
            "with space",
            "~!@#$%^&*()",
            &"k".repeat(255),
        ] {
            assert!(IdempotencyKey::parse(value.as_bytes()).is_ok(), "{value}");
        }
    }

    #[test]
    fn rejects_empty_long_blank_and_unprintable_keys() {
        for value in ["", " ", &"k".repeat(256), "tab\there", "new\nline", "ünï"] {
            assert_eq!(
                IdempotencyKey::parse(value.as_bytes()),
                Err(InvalidIdempotencyKey),
                "{value:?}"
            );
        }
    }

    #[test]
    fn the_same_key_names_the_same_execution() {
        let name = key("order-42").execution_name(None);
        assert_eq!(name, key("order-42").execution_name(None));
        assert_ne!(name, key("order-43").execution_name(None));
        assert!(name.as_str().starts_with("idem-"));
        assert_eq!(name.as_str().len(), 69);
    }

    #[test]
    fn a_secret_changes_the_name() {
        let secret = TokenSecret::new("0123456789abcdef");
        let other = TokenSecret::new("fedcba9876543210");
        let plain = key("order-42").execution_name(None);
        let keyed = key("order-42").execution_name(Some(&secret));
        assert_ne!(plain, keyed);
        assert_eq!(keyed, key("order-42").execution_name(Some(&secret)));
        assert_ne!(keyed, key("order-42").execution_name(Some(&other)));
    }
}
