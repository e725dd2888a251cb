//! Job ids: the opaque, URL-safe form of an execution name.
//!
//! An id is base64url (no padding) of the execution name, followed, when a secret is configured,
//! by a truncated HMAC-SHA256 tag. The name alone addresses an execution of the one state machine
//! the server is configured with, so an id leaks no ARN, account or region; the tag makes ids
//! unforgeable, so a guessed or tampered id never reaches the workflow service.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use execution_model::MAX_NAME_CHARS;

use crate::workflow::ExecutionName;

type HmacSha256 = Hmac<Sha256>;

/// 128 bits: far beyond guessing over HTTP, and it keeps ids short.
const TAG_BYTES: usize = 16;
/// Names are at most [`MAX_NAME_CHARS`] characters of at most 4 bytes; anything longer is
/// not an id.
const MAX_ID_CHARS: usize = (MAX_NAME_CHARS * 4 + TAG_BYTES).div_ceil(3) * 4;
/// Domain separation: the same secret also derives idempotent execution names.
const TAG_CONTEXT: &[u8] = b"messages/job-id/v1\0";

/// A secret used to sign ids. Debug output never shows it.
#[derive(Clone)]
pub struct TokenSecret(Vec<u8>);

impl TokenSecret {
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self(secret.into())
    }

    pub(crate) fn mac(&self) -> HmacSha256 {
        // HMAC accepts keys of any length, so this cannot fail.
        HmacSha256::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!())
    }
}

impl std::fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSecret(..)")
    }
}

#[derive(Debug, Clone, Default)]
pub struct TokenCodec {
    /// The secret that signs new ids; `None` issues unsigned ids.
    current: Option<TokenSecret>,
    /// Still accepted while clients hold ids signed before a rotation.
    previous: Option<TokenSecret>,
}

impl TokenCodec {
    pub fn unsigned() -> Self {
        Self::default()
    }

    pub fn signed(current: TokenSecret, previous: Option<TokenSecret>) -> Self {
        Self {
            current: Some(current),
            previous,
        }
    }

    pub fn current_secret(&self) -> Option<&TokenSecret> {
        self.current.as_ref()
    }

    pub fn previous_secret(&self) -> Option<&TokenSecret> {
        self.previous.as_ref()
    }

    pub fn encode(&self, name: &ExecutionName) -> String {
        let mut bytes = name.as_str().as_bytes().to_vec();
        if let Some(secret) = &self.current {
            bytes.extend_from_slice(&tag(secret, name.as_str().as_bytes())[..TAG_BYTES]);
        }
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The execution an id names, or `None` for anything this server did not issue.
    pub fn decode(&self, id: &str) -> Option<ExecutionName> {
        if id.is_empty() || id.len() > MAX_ID_CHARS {
            return None;
        }
        // The strict decoder refuses padding and non-canonical trailing bits, so each name has
        // exactly one id.
        let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
        let name = match &self.current {
            None => bytes.as_slice(),
            Some(current) => {
                let split = bytes.len().checked_sub(TAG_BYTES)?;
                let (name, tag) = bytes.split_at(split);
                let verifies = |secret: &TokenSecret| {
                    let mut mac = secret.mac();
                    mac.update(TAG_CONTEXT);
                    mac.update(name);
                    mac.verify_truncated_left(tag).is_ok()
                };
                if !verifies(current) && !self.previous.as_ref().is_some_and(verifies) {
                    return None;
                }
                name
            }
        };
        ExecutionName::parse(std::str::from_utf8(name).ok()?).ok()
    }
}

fn tag(secret: &TokenSecret, name: &[u8]) -> Vec<u8> {
    let mut mac = secret.mac();
    mac.update(TAG_CONTEXT);
    mac.update(name);
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(value: &str) -> ExecutionName {
        ExecutionName::parse(value).unwrap()
    }

    fn signed(secret: &str) -> TokenCodec {
        TokenCodec::signed(TokenSecret::new(secret), None)
    }

    #[test]
    fn an_unsigned_id_round_trips_and_is_url_safe() {
        let codec = TokenCodec::unsigned();
        let execution = ExecutionName::random();
        let id = codec.encode(&execution);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(codec.decode(&id), Some(execution));
    }

    #[test]
    fn a_signed_id_round_trips_and_hides_the_name() {
        let codec = signed("s3cret");
        let execution = name("idem-0123");
        let id = codec.encode(&execution);
        assert!(!id.contains("idem"));
        assert_eq!(codec.decode(&id), Some(execution));
    }

    #[test]
    fn rejects_ids_that_are_not_canonical_base64url() {
        let codec = TokenCodec::unsigned();
        let id = codec.encode(&name("abc"));
        assert_eq!(id, "YWJj");
        for forged in ["YWJj=", "YWJ", "YWJk+", "YW/j", "", "Y", "YWJj\n"] {
            assert_eq!(codec.decode(forged), None, "{forged:?}");
        }
        // "YWI" and "YWJ" decode the same bytes only if trailing bits are ignored; they are not.
        assert_eq!(codec.decode("YWJ"), None);
    }

    #[test]
    fn rejects_ids_whose_name_is_not_a_valid_execution_name() {
        let codec = TokenCodec::unsigned();
        for bad in ["a b", "a/b", "", "x".repeat(81).as_str()] {
            assert_eq!(codec.decode(&URL_SAFE_NO_PAD.encode(bad)), None, "{bad:?}");
        }
        assert_eq!(codec.decode(&URL_SAFE_NO_PAD.encode([0xff, 0xfe])), None);
        assert_eq!(codec.decode(&"A".repeat(10_000)), None);
    }

    #[test]
    fn rejects_tampered_signed_ids() {
        let codec = signed("s3cret");
        let id = codec.encode(&name("job-1"));
        let mut bytes = URL_SAFE_NO_PAD.decode(&id).unwrap();
        for index in 0..bytes.len() {
            bytes[index] ^= 1;
            assert_eq!(
                codec.decode(&URL_SAFE_NO_PAD.encode(&bytes)),
                None,
                "byte {index}"
            );
            bytes[index] ^= 1;
        }
        assert_eq!(codec.decode(&id[..id.len() - 1]), None);
        assert_eq!(
            codec.decode(&TokenCodec::unsigned().encode(&name("job-1"))),
            None
        );
    }

    #[test]
    fn rejects_ids_signed_with_another_secret() {
        let id = signed("theirs").encode(&name("job-1"));
        assert_eq!(signed("ours").decode(&id), None);
    }

    #[test]
    fn accepts_ids_signed_with_the_previous_secret_during_a_rotation() {
        let old = signed("old").encode(&name("job-1"));
        let rotated = TokenCodec::signed(TokenSecret::new("new"), Some(TokenSecret::new("old")));
        assert_eq!(rotated.decode(&old), Some(name("job-1")));
        assert_eq!(
            rotated.decode(&rotated.encode(&name("job-2"))),
            Some(name("job-2"))
        );
        assert_eq!(signed("new").decode(&old), None);
    }

    proptest::proptest! {
        #[test]
        fn no_random_string_is_accepted_as_a_signed_id(id in "\\PC{0,200}") {
            proptest::prop_assert_eq!(signed("s3cret-s3cret-s3cret").decode(&id), None);
        }

        #[test]
        fn no_random_bytes_are_accepted_as_a_signed_id(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..120)) {
            let id = URL_SAFE_NO_PAD.encode(&bytes);
            proptest::prop_assert_eq!(signed("s3cret-s3cret-s3cret").decode(&id), None);
        }

        #[test]
        fn any_mutation_of_a_signed_id_is_rejected(
            name in "[A-Za-z0-9_-]{1,80}",
            position in 0usize..1000,
            replacement in proptest::char::any(),
        ) {
            let codec = signed("s3cret-s3cret-s3cret");
            let id = codec.encode(&ExecutionName::parse(name.clone()).unwrap());
            let mut chars: Vec<char> = id.chars().collect();
            let position = position % chars.len();
            proptest::prop_assume!(chars[position] != replacement);
            chars[position] = replacement;
            let mutated: String = chars.into_iter().collect();
            proptest::prop_assert_eq!(codec.decode(&mutated), None);
            let truncated = &id[..id.len() - 1 - position % (id.len() - 1)];
            proptest::prop_assert_eq!(codec.decode(truncated), None);
        }

        #[test]
        fn every_valid_name_round_trips_signed_or_not(name in "[A-Za-z0-9_.=@+-]{1,80}") {
            let name = ExecutionName::parse(name).unwrap();
            for codec in [TokenCodec::unsigned(), signed("s3cret-s3cret-s3cret")] {
                proptest::prop_assert_eq!(codec.decode(&codec.encode(&name)), Some(name.clone()));
            }
        }

        #[test]
        fn ids_from_another_secret_are_rejected(name in "[A-Za-z0-9_-]{1,80}") {
            let name = ExecutionName::parse(name).unwrap();
            let foreign = signed("their-secret-0000").encode(&name);
            proptest::prop_assert_eq!(signed("our-secret-000000").decode(&foreign), None);
        }
    }

    #[test]
    fn the_secret_never_shows_in_debug_output() {
        assert!(!format!("{:?}", signed("s3cret")).contains("s3cret"));
    }
}
