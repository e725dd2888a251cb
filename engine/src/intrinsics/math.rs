//! States.MathAdd and States.MathRandom.

use serde_json::Value;

use super::Failure;
use super::coerce::{int32, rounded, truncated};
use super::java_random::JavaRandom;

/// The sum of two 32-bit integers; fractions are rounded first (half up) and a result outside
/// the 32-bit range is an error, as the guide's input validation states.
pub(crate) fn add(args: &[Value]) -> Result<Value, Failure> {
    let [left, right] = args else {
        return Err(Failure::InvalidArguments);
    };
    let left = int32(rounded(left)?)?;
    let right = int32(rounded(right)?)?;
    let sum = left.checked_add(right).ok_or(Failure::InvalidArguments)?;
    Ok(Value::from(sum))
}

/// A random integer from `start` (inclusive) to `end` (exclusive). Bounds lose their fraction;
/// a seed makes the result repeatable.
pub(crate) fn random(args: &[Value]) -> Result<Value, Failure> {
    let (start, end, seed) = match args {
        [start, end] => (start, end, None),
        [start, end, seed] => (start, end, Some(truncated(seed)?)),
        _ => return Err(Failure::InvalidArguments),
    };
    let start = int32(truncated(start)?)?;
    let end = int32(truncated(end)?)?;
    let bound = end
        .checked_sub(start)
        .filter(|bound| *bound > 0)
        .ok_or(Failure::InvalidArguments)?;
    let mut generator = JavaRandom::new(seed.unwrap_or_else(fresh_seed));
    Ok(Value::from(start + generator.next_int(bound)))
}

fn fresh_seed() -> i64 {
    let random = uuid::Uuid::new_v4().as_u64_pair().0;
    random as i64
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn add_sums_integers() {
        assert_eq!(add(&[json!(111), json!(-1)]), Ok(json!(110)));
        assert_eq!(add(&[json!(-5), json!(3)]), Ok(json!(-2)));
    }

    #[test]
    fn add_rounds_fractions_before_adding() {
        assert_eq!(add(&[json!(1.6), json!(2.7)]), Ok(json!(5)));
        assert_eq!(add(&[json!(0.1), json!(0.2)]), Ok(json!(0)));
    }

    #[test]
    fn add_stays_within_32_bits() {
        assert_eq!(add(&[json!(2147483646), json!(1)]), Ok(json!(2147483647)));
        assert_eq!(
            add(&[json!(2147483647), json!(1)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(
            add(&[json!(-2147483648), json!(-1)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(
            add(&[json!(3000000000u64), json!(1)]),
            Err(Failure::InvalidArguments)
        );
    }

    #[test]
    fn add_refuses_non_numbers_and_wrong_arity() {
        assert_eq!(add(&[json!("1"), json!(1)]), Err(Failure::InvalidArguments));
        assert_eq!(
            add(&[json!(true), json!(1)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(add(&[json!(1)]), Err(Failure::InvalidArguments));
    }

    #[test]
    fn random_with_a_seed_matches_the_service() {
        assert_eq!(random(&[json!(1), json!(100), json!(42)]), Ok(json!(63)));
        assert_eq!(random(&[json!(1), json!(10), json!(42)]), Ok(json!(9)));
    }

    #[test]
    fn random_stays_within_start_inclusive_end_exclusive() {
        for _ in 0..200 {
            let value = random(&[json!(1.6), json!(5.4)]).expect("in range");
            let value = value.as_i64().expect("integer");
            assert!((1..5).contains(&value), "{value}");
        }
    }

    #[test]
    fn random_needs_end_after_start() {
        assert_eq!(
            random(&[json!(1), json!(1)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(
            random(&[json!(10), json!(5)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(
            random(&[json!(1.4), json!(1.6)]),
            Err(Failure::InvalidArguments)
        );
    }

    #[test]
    fn random_refuses_non_numeric_arguments() {
        assert_eq!(
            random(&[json!("a"), json!(10)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(
            random(&[json!(1), json!(10), json!(null)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(random(&[json!(1)]), Err(Failure::InvalidArguments));
    }
}
