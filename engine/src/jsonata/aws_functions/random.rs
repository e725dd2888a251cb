use jsonata_core::evaluator::HostFnResult;
use jsonata_core::value::JValue;

use super::{argument, signature_mismatch};

/// `$random([seed])`: a number in [0, 1). With a seed the number is the same
/// on every call, so a workflow can be replayed.
pub(super) fn random(args: &[JValue]) -> HostFnResult {
    let bits = match argument(args, 0) {
        None => u64::from_le_bytes(fresh_entropy()),
        Some(seed) => {
            let seed = seed
                .as_f64()
                .ok_or_else(|| signature_mismatch("random", 1))?;
            split_mix(seed.to_bits())
        }
    };
    Ok(JValue::from(unit_interval(bits)))
}

/// Eight bytes of the operating system's randomness, which a v4 UUID holds.
fn fresh_entropy() -> [u8; 8] {
    let uuid = uuid::Uuid::new_v4();
    let bytes = uuid.as_bytes();
    // Bytes 6 and 8 carry the version and variant; skip them.
    [
        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[9], bytes[10],
    ]
}

/// SplitMix64's output function: spreads close seeds far apart.
fn split_mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The top 53 bits as a fraction: every value an `f64` in [0, 1) can take
/// with equal spacing.
fn unit_interval(bits: u64) -> f64 {
    (bits >> 11) as f64 / (1u64 << 53) as f64
}
