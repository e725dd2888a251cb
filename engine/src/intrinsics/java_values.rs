//! The service evaluates intrinsics in Java on plain Java objects (Integer, Long, BigInteger,
//! Double, String, Boolean, List, Map, null). Two observable results depend on that:
//! States.ArrayContains matches elements by their `toString()` text (so `true` matches
//! `"true"`), and States.ArrayUnique returns the iteration order of a `java.util.HashSet`.
//! This module reproduces both from JSON values.

use serde_json::{Number, Value};

#[derive(Debug, Clone, Copy, PartialEq)]
enum JavaNumber {
    Integer(i32),
    Long(i64),
    BigInteger(u64),
    Double(f64),
}

/// The type a JSON parser gives an untyped number: the smallest integer type that holds it,
/// or a double when it has a fraction or exponent.
fn java_number(number: &Number) -> JavaNumber {
    if let Some(whole) = number.as_i64() {
        match i32::try_from(whole) {
            Ok(small) => JavaNumber::Integer(small),
            Err(_) => JavaNumber::Long(whole),
        }
    } else if let Some(big) = number.as_u64() {
        JavaNumber::BigInteger(big)
    } else {
        JavaNumber::Double(number.as_f64().unwrap_or(f64::NAN))
    }
}

/// Java's `toString()` of the value.
pub(crate) fn display(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::String(text) => text.clone(),
        Value::Number(number) => match java_number(number) {
            JavaNumber::Integer(whole) => whole.to_string(),
            JavaNumber::Long(whole) => whole.to_string(),
            JavaNumber::BigInteger(whole) => whole.to_string(),
            JavaNumber::Double(float) => double_to_string(float),
        },
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(display).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(key, item)| format!("{key}={}", display(item)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// Compact JSON text as the service's serializer writes it: like serde_json's, except that
/// doubles use Java's notation (`1.0E7`, not `10000000.0`).
pub(crate) fn json_text(value: &Value) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::Number(number) => match java_number(number) {
            JavaNumber::Double(float) if float.is_finite() => {
                out.push_str(&double_to_string(float))
            }
            _ => out.push_str(&number.to_string()),
        },
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Java's `Double.toString`: plain notation between 10^-3 and 10^7, else `d.dddE±n`, and
/// always at least one digit after the point.
fn double_to_string(float: f64) -> String {
    if float.is_nan() {
        return "NaN".to_string();
    }
    if float.is_infinite() {
        return if float > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    if float == 0.0 {
        return if float.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        }
        .to_string();
    }
    if (1e-3..1e7).contains(&float.abs()) {
        let plain = float.to_string();
        return if plain.contains('.') {
            plain
        } else {
            format!("{plain}.0")
        };
    }
    let scientific = format!("{float:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    if mantissa.contains('.') {
        format!("{mantissa}E{exponent}")
    } else {
        format!("{mantissa}.0E{exponent}")
    }
}

/// Java's `hashCode()` of the value.
fn hash_code(value: &Value) -> i32 {
    match value {
        Value::Null => 0,
        Value::Bool(true) => 1231,
        Value::Bool(false) => 1237,
        Value::String(text) => text.encode_utf16().fold(0i32, |hash, unit| {
            hash.wrapping_mul(31).wrapping_add(i32::from(unit))
        }),
        Value::Number(number) => match java_number(number) {
            JavaNumber::Integer(whole) => whole,
            JavaNumber::Long(whole) => fold_long(whole as u64),
            JavaNumber::BigInteger(whole) => {
                let high = (whole >> 32) as u32;
                let low = whole as u32;
                let magnitude: &[u32] = if high == 0 { &[low] } else { &[high, low] };
                magnitude.iter().fold(0i32, |hash, &part| {
                    hash.wrapping_mul(31).wrapping_add(part as i32)
                })
            }
            JavaNumber::Double(float) => {
                let bits = if float.is_nan() {
                    0x7ff8_0000_0000_0000
                } else {
                    float.to_bits()
                };
                fold_long(bits)
            }
        },
        Value::Array(items) => items.iter().fold(1i32, |hash, item| {
            hash.wrapping_mul(31).wrapping_add(hash_code(item))
        }),
        Value::Object(map) => map.iter().fold(0i32, |sum, (key, item)| {
            let key_hash = hash_code(&Value::String(key.clone()));
            sum.wrapping_add(key_hash ^ hash_code(item))
        }),
    }
}

fn fold_long(bits: u64) -> i32 {
    (bits ^ (bits >> 32)) as u32 as i32
}

/// Java's `equals()`: numbers of different Java types never match (1 is not 1.0).
fn java_equals(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => match (java_number(a), java_number(b)) {
            (JavaNumber::Double(x), JavaNumber::Double(y)) => x.to_bits() == y.to_bits(),
            (x, y) => x == y,
        },
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| java_equals(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, x)| b.get(key).is_some_and(|y| java_equals(x, y)))
        }
        _ => left == right,
    }
}

/// The distinct items in the order `new HashSet<>(items)` iterates them: by bucket of the
/// spread hash in a table sized for the whole input, then by insertion within a bucket.
pub(crate) fn hash_set_order(items: &[Value]) -> Vec<Value> {
    let capacity = table_size_for(((items.len() as f32 / 0.75) as usize + 1).max(16));
    let mut buckets: Vec<Vec<&Value>> = vec![Vec::new(); capacity];
    for item in items {
        let hash = hash_code(item);
        let spread = hash ^ ((hash as u32) >> 16) as i32;
        let bucket = &mut buckets[(spread as u32 as usize) & (capacity - 1)];
        if !bucket.iter().any(|kept| java_equals(kept, item)) {
            bucket.push(item);
        }
    }
    buckets.into_iter().flatten().cloned().collect()
}

fn table_size_for(wanted: usize) -> usize {
    wanted.next_power_of_two().min(1 << 30)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn display_matches_java_to_string() {
        assert_eq!(display(&json!("true")), "true");
        assert_eq!(display(&json!(true)), "true");
        assert_eq!(display(&json!(null)), "null");
        assert_eq!(display(&json!(9007199254740991i64)), "9007199254740991");
        assert_eq!(display(&json!([1, "a", [2]])), "[1, a, [2]]");
        assert_eq!(display(&json!({"a": 1})), "{a=1}");
    }

    #[test]
    fn json_text_is_compact_with_java_doubles() {
        assert_eq!(
            json_text(&json!({"a": [1, 1.5, 1e7, "x\"y"], "b": null})),
            r#"{"a":[1,1.5,1.0E7,"x\"y"],"b":null}"#
        );
    }

    #[test]
    fn doubles_print_like_java() {
        assert_eq!(double_to_string(1.0), "1.0");
        assert_eq!(double_to_string(1.5), "1.5");
        assert_eq!(double_to_string(-0.0), "-0.0");
        assert_eq!(double_to_string(1e7), "1.0E7");
        assert_eq!(double_to_string(1.25e-5), "1.25E-5");
        assert_eq!(double_to_string(0.001), "0.001");
        assert_eq!(double_to_string(1234567.5), "1234567.5");
    }

    #[test]
    fn hash_codes_match_java() {
        assert_eq!(hash_code(&json!("a")), 97);
        assert_eq!(hash_code(&json!("hello")), 99_162_322);
        assert_eq!(hash_code(&json!(-1)), -1);
        assert_eq!(
            hash_code(&json!(-3_000_000_000i64)),
            fold_long((-3_000_000_000i64) as u64)
        );
        assert_eq!(hash_code(&json!(1.0)), 1_072_693_248);
        assert_eq!(hash_code(&json!([1, 2])), 994);
        assert_eq!(hash_code(&json!(false)), 1237);
    }

    #[test]
    fn hash_set_order_follows_buckets_then_insertion() {
        assert_eq!(
            hash_set_order(&[json!(true), json!(false), json!(true), json!(false)]),
            vec![json!(false), json!(true)]
        );
        assert_eq!(
            hash_set_order(&[json!([1, 2]), json!([1, 2]), json!([2, 1])]),
            vec![json!([2, 1]), json!([1, 2])]
        );
        assert_eq!(
            hash_set_order(&[json!(null), json!(null), json!(1), json!(null)]),
            vec![json!(null), json!(1)]
        );
    }

    #[test]
    fn integers_and_doubles_stay_distinct() {
        assert!(!java_equals(&json!(1), &json!(1.0)));
        assert_eq!(hash_set_order(&[json!(1), json!(1.0)]).len(), 2);
    }

    #[test]
    fn objects_are_equal_whatever_their_key_order() {
        assert!(java_equals(
            &json!({"a": 1, "b": 2}),
            &json!({"b": 2, "a": 1})
        ));
    }
}
