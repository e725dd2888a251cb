//! Reading typed arguments the way the service does: numbers are accepted with a fraction and
//! then cut to whole numbers, and text limits count UTF-16 code units (Java string length).

use serde_json::Value;

use super::Failure;

/// The number with its fraction cut off (toward zero), as AWS does for indexes, sizes,
/// ranges and MathRandom bounds.
pub(crate) fn truncated(value: &Value) -> Result<i64, Failure> {
    let number = value.as_number().ok_or(Failure::InvalidArguments)?;
    if let Some(whole) = number.as_i64() {
        return Ok(whole);
    }
    let float = number.as_f64().ok_or(Failure::InvalidArguments)?;
    whole_f64(float.trunc())
}

/// The number rounded half up (Java's Math.round), as AWS does for MathAdd.
pub(crate) fn rounded(value: &Value) -> Result<i64, Failure> {
    let number = value.as_number().ok_or(Failure::InvalidArguments)?;
    if let Some(whole) = number.as_i64() {
        return Ok(whole);
    }
    let float = number.as_f64().ok_or(Failure::InvalidArguments)?;
    // `(float + 0.5).floor()` would round 0.49999999999999994 up; the fraction is exact.
    let floor = float.floor();
    whole_f64(if float - floor >= 0.5 {
        floor + 1.0
    } else {
        floor
    })
}

fn whole_f64(float: f64) -> Result<i64, Failure> {
    const LIMIT: f64 = 9_223_372_036_854_775_807.0;
    if float.is_finite() && float.abs() < LIMIT {
        Ok(float as i64)
    } else {
        Err(Failure::InvalidArguments)
    }
}

pub(crate) fn int32(value: i64) -> Result<i32, Failure> {
    i32::try_from(value).map_err(|_| Failure::InvalidArguments)
}

pub(crate) fn text(value: &Value) -> Result<&str, Failure> {
    value.as_str().ok_or(Failure::InvalidArguments)
}

pub(crate) fn array(value: &Value) -> Result<&[Value], Failure> {
    value
        .as_array()
        .map(Vec::as_slice)
        .ok_or(Failure::InvalidArguments)
}

pub(crate) fn java_length(text: &str) -> usize {
    text.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn truncation_cuts_toward_zero() {
        assert_eq!(truncated(&json!(2.6)), Ok(2));
        assert_eq!(truncated(&json!(-0.6)), Ok(0));
        assert_eq!(truncated(&json!(-2.6)), Ok(-2));
        assert_eq!(truncated(&json!(7)), Ok(7));
    }

    #[test]
    fn rounding_goes_half_up_like_java() {
        assert_eq!(rounded(&json!(2.5)), Ok(3));
        assert_eq!(rounded(&json!(-1.5)), Ok(-1));
        assert_eq!(rounded(&json!(1.6)), Ok(2));
        assert_eq!(rounded(&json!(0.2)), Ok(0));
        assert_eq!(rounded(&json!(-0.5)), Ok(0));
        assert_eq!(rounded(&json!(-2.5)), Ok(-2));
        assert_eq!(rounded(&json!(0.49999999999999994)), Ok(0));
    }

    #[test]
    fn non_numbers_are_invalid_arguments() {
        for value in [json!("1"), json!(null), json!(true), json!([1])] {
            assert_eq!(truncated(&value), Err(Failure::InvalidArguments));
            assert_eq!(rounded(&value), Err(Failure::InvalidArguments));
        }
    }

    #[test]
    fn huge_floats_are_invalid_rather_than_saturated() {
        assert_eq!(truncated(&json!(1e300)), Err(Failure::InvalidArguments));
    }

    #[test]
    fn java_length_counts_utf16_units() {
        assert_eq!(java_length("abc"), 3);
        assert_eq!(java_length("🚀"), 2);
    }
}
