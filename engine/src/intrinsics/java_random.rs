//! The linear congruential generator of `java.util.Random`. States.MathRandom with a seed
//! returns `start + new Random(seed).nextInt(end - start)` on the service, so the same
//! generator gives the same numbers AWS gives for the same seed.

const MULTIPLIER: u64 = 0x5_DEEC_E66D;
const INCREMENT: u64 = 0xB;
const MASK: u64 = (1 << 48) - 1;

pub(crate) struct JavaRandom {
    state: u64,
}

impl JavaRandom {
    pub(crate) fn new(seed: i64) -> Self {
        Self {
            state: (seed as u64 ^ MULTIPLIER) & MASK,
        }
    }

    fn next_bits(&mut self, bits: u32) -> i32 {
        self.state = self.state.wrapping_mul(MULTIPLIER).wrapping_add(INCREMENT) & MASK;
        (self.state >> (48 - bits)) as i32
    }

    /// A uniform value in `0..bound`; `bound` must be positive.
    pub(crate) fn next_int(&mut self, bound: i32) -> i32 {
        let mut candidate = self.next_bits(31);
        let limit = bound - 1;
        if bound & limit == 0 {
            return ((i64::from(bound) * i64::from(candidate)) >> 31) as i32;
        }
        let mut draw = candidate;
        loop {
            candidate = draw % bound;
            // Java rejects draws from the incomplete last interval, detected by i32 overflow.
            if draw.wrapping_sub(candidate).wrapping_add(limit) >= 0 {
                return candidate;
            }
            draw = self.next_bits(31);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_java_for_seed_42() {
        assert_eq!(JavaRandom::new(42).next_bits(32), -1_170_105_035);
        assert_eq!(JavaRandom::new(42).next_int(10), 0);
        assert_eq!(JavaRandom::new(42).next_int(99), 62);
        assert_eq!(JavaRandom::new(42).next_int(9), 8);
    }

    #[test]
    fn powers_of_two_use_the_high_bits() {
        assert_eq!(JavaRandom::new(42).next_int(16), 11);
    }

    #[test]
    fn values_stay_below_the_bound() {
        let mut random = JavaRandom::new(-7);
        for _ in 0..1000 {
            let value = random.next_int(1_000_000_007);
            assert!((0..1_000_000_007).contains(&value));
        }
    }
}
