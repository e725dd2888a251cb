//! The digests `States.Hash` and JSONata's `$hash` offer, chosen by the names AWS gives them.

use std::fmt::Write;

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The algorithm names both hash functions accept, spelled exactly as AWS spells them.
pub(crate) const ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/// The lowercase hex digest of `bytes`, or `None` when `algorithm` is not one of [`ALGORITHMS`].
pub(crate) fn hex_digest(algorithm: &str, bytes: &[u8]) -> Option<String> {
    let digest = match algorithm {
        "MD5" => Md5::digest(bytes).to_vec(),
        "SHA-1" => Sha1::digest(bytes).to_vec(),
        "SHA-256" => Sha256::digest(bytes).to_vec(),
        "SHA-384" => Sha384::digest(bytes).to_vec(),
        "SHA-512" => Sha512::digest(bytes).to_vec(),
        _ => return None,
    };
    Some(digest.iter().fold(String::new(), |mut hex, byte| {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
        hex
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md5(bytes: &[u8]) -> String {
        hex_digest("MD5", bytes).unwrap()
    }

    fn sha1(bytes: &[u8]) -> String {
        hex_digest("SHA-1", bytes).unwrap()
    }

    #[test]
    fn md5_matches_the_rfc_1321_test_suite() {
        assert_eq!(md5(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5(b"a"), "0cc175b9c0f1b6a831c399e269772661");
        assert_eq!(md5(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(md5(b"message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
        assert_eq!(
            md5(
                b"12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            ),
            "57edf4a22be3c955ac49da2e2107b67a"
        );
    }

    #[test]
    fn md5_handles_messages_that_fill_a_block_exactly() {
        assert_eq!(md5(&[b'a'; 64]), "014842d480b571495a4a0363793f7367");
        assert_eq!(md5(&[b'a'; 56]), "3b0c8ac703f828b04c6c197006d17218");
    }

    #[test]
    fn sha1_matches_the_fips_180_examples() {
        assert_eq!(sha1(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(sha1(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            sha1(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
    }

    #[test]
    fn sha1_handles_a_million_repetitions_of_a() {
        assert_eq!(
            sha1(&vec![b'a'; 1_000_000]),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
    }

    #[test]
    fn every_listed_algorithm_is_served_and_no_other() {
        for algorithm in ALGORITHMS {
            assert!(hex_digest(algorithm, b"x").is_some(), "{algorithm}");
        }
        for name in ["sha-256", "SHA256", "MD-5", "", "SHA-257"] {
            assert_eq!(hex_digest(name, b"x"), None);
        }
    }
}
