//! States.StringToJson, States.JsonToString and States.JsonMerge.

use serde_json::Value;

use super::Failure;
use super::coerce::text;
use super::{java_values, json_reader};

pub(crate) fn string_to_json(args: &[Value]) -> Result<Value, Failure> {
    let [input] = args else {
        return Err(Failure::InvalidArguments);
    };
    json_reader::read(text(input)?).map_err(Failure::NotJson)
}

pub(crate) fn json_to_string(args: &[Value]) -> Result<Value, Failure> {
    let [value] = args else {
        return Err(Failure::InvalidArgumentsBecause(
            "only a single argument is allowed.",
        ));
    };
    Ok(Value::String(java_values::json_text(value)))
}

/// A shallow merge: the second object's keys replace the first's. Only shallow mode exists,
/// so a true third argument is refused; any other third value is read as "not deep", as the
/// service does.
pub(crate) fn merge(args: &[Value]) -> Result<Value, Failure> {
    let [Value::Object(left), Value::Object(right), deep] = args else {
        return Err(Failure::InvalidArguments);
    };
    if java_values::display(deep).eq_ignore_ascii_case("true") {
        return Err(Failure::InvalidArguments);
    }
    let mut merged = left.clone();
    merged.extend(
        right
            .iter()
            .map(|(key, value)| (key.clone(), value.clone())),
    );
    Ok(Value::Object(merged))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn string_to_json_parses_any_json_text() {
        assert_eq!(
            string_to_json(&[json!("{\"foo\": \"bar\"}")]),
            Ok(json!({"foo": "bar"}))
        );
        assert_eq!(string_to_json(&[json!("[1,2]")]), Ok(json!([1, 2])));
        assert_eq!(string_to_json(&[json!("\"x\"")]), Ok(json!("x")));
        assert_eq!(string_to_json(&[json!(" 12 ")]), Ok(json!(12)));
    }

    #[test]
    fn string_to_json_reads_blank_text_as_null() {
        assert_eq!(string_to_json(&[json!("")]), Ok(json!(null)));
        assert_eq!(string_to_json(&[json!("   ")]), Ok(json!(null)));
    }

    #[test]
    fn string_to_json_reports_bad_json_with_the_parser_message() {
        assert!(matches!(
            string_to_json(&[json!("{bad json}")]),
            Err(Failure::NotJson(message)) if message.starts_with("Unexpected character ('b'")
        ));
    }

    #[test]
    fn string_to_json_needs_one_string() {
        assert_eq!(
            string_to_json(&[json!(123)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(string_to_json(&[]), Err(Failure::InvalidArguments));
    }

    #[test]
    fn json_to_string_writes_compact_json() {
        assert_eq!(
            json_to_string(&[json!({"a": [1, true, null]})]),
            Ok(json!("{\"a\":[1,true,null]}"))
        );
        assert_eq!(json_to_string(&[json!("hello")]), Ok(json!("\"hello\"")));
        assert_eq!(
            json_to_string(&[]),
            Err(Failure::InvalidArgumentsBecause(
                "only a single argument is allowed."
            ))
        );
    }

    #[test]
    fn merge_lets_the_second_object_win_without_merging_nested_objects() {
        assert_eq!(
            merge(&[
                json!({"a": {"x": 1}, "keep": 1}),
                json!({"a": {"y": 2}}),
                json!(false)
            ]),
            Ok(json!({"a": {"y": 2}, "keep": 1}))
        );
    }

    #[test]
    fn merge_refuses_deep_mode_and_non_objects() {
        assert_eq!(
            merge(&[json!({}), json!({}), json!(true)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(
            merge(&[json!([]), json!({}), json!(false)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(
            merge(&[json!({}), json!({})]),
            Err(Failure::InvalidArguments)
        );
    }

    #[test]
    fn merge_reads_a_non_boolean_flag_as_shallow() {
        assert_eq!(
            merge(&[json!({"a": 1}), json!({"b": 2}), json!("false")]),
            Ok(json!({"a": 1, "b": 2}))
        );
    }
}
