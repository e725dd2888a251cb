//! States.Format and States.StringSplit.

use serde_json::Value;

use super::coerce::text;
use super::java_values;
use super::{Failure, FormatSource};

/// Replaces each `{}` of the template with the next argument. A literal template is scanned as
/// written, so that escaped braces (`\{`, `\}`) stay literal instead of forming placeholders.
pub(crate) fn format(args: &[Value], written: &FormatSource) -> Result<Value, Failure> {
    let Some((template, values)) = args.split_first() else {
        return Err(Failure::InvalidArguments);
    };
    // A template that is not a string is used as its Java text, like every other argument.
    let template = java_values::display(template);
    let pieces = template_pieces(
        written.template.unwrap_or(&template),
        written.template.is_some(),
    )?;
    let placeholders = pieces
        .iter()
        .filter(|piece| matches!(piece, Piece::Placeholder))
        .count();
    if placeholders != values.len() {
        return Err(Failure::InvalidArgumentsBecause(
            "number of arguments do not match the occurrences of {}.",
        ));
    }
    let mut values = values.iter().zip(
        written
            .parsed_json
            .iter()
            .skip(1)
            .chain(std::iter::repeat(&false)),
    );
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push(text),
            Piece::Placeholder => {
                if let Some((value, &parsed_json)) = values.next() {
                    out.push_str(&rendered(value, parsed_json));
                }
            }
        }
    }
    Ok(Value::String(out))
}

enum Piece {
    Text(char),
    Placeholder,
}

fn template_pieces(template: &str, escapes_apply: bool) -> Result<Vec<Piece>, Failure> {
    let mut pieces = Vec::new();
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if escapes_apply => {
                if let Some(escaped) = chars.next() {
                    pieces.push(Piece::Text(escaped));
                }
            }
            '{' => {
                if chars.next() != Some('}') {
                    return Err(Failure::InvalidTemplate(
                        "matching '}' not found for '{'.".to_string(),
                    ));
                }
                pieces.push(Piece::Placeholder);
            }
            '}' => {
                return Err(Failure::InvalidTemplate(
                    "matching '{' not found for '}'.".to_string(),
                ));
            }
            other => pieces.push(Piece::Text(other)),
        }
    }
    Ok(pieces)
}

/// The service writes each argument with Java's `String.valueOf`: a string as it is, other
/// values in Java's notation (`null`, `3.5`, `[1, 2]`, `{a=1}`), and a parsed-JSON result as
/// JSON text.
fn rendered(value: &Value, parsed_json: bool) -> String {
    match value {
        Value::String(text) if !parsed_json => text.clone(),
        other if parsed_json => java_values::json_text(other),
        other => java_values::display(other),
    }
}

/// Splits on every character of the delimiter (each one separates) and drops empty pieces,
/// which is what the service does (a tokenizer, not a substring split).
pub(crate) fn split(args: &[Value]) -> Result<Value, Failure> {
    let [input, delimiters] = args else {
        return Err(Failure::InvalidArguments);
    };
    let input = text(input)?;
    let delimiters: Vec<char> = text(delimiters)?.chars().collect();
    let pieces = input
        .split(|c| delimiters.contains(&c))
        .filter(|piece| !piece.is_empty())
        .map(|piece| Value::String(piece.to_string()))
        .collect();
    Ok(Value::Array(pieces))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn literal(source: &str, value: &str, rest: &[Value]) -> Result<Value, Failure> {
        let mut args = vec![json!(value)];
        args.extend_from_slice(rest);
        let written = FormatSource {
            template: Some(source),
            parsed_json: vec![false; args.len()],
        };
        format(&args, &written)
    }

    fn from_paths(args: &[Value]) -> Result<Value, Failure> {
        let written = FormatSource {
            template: None,
            parsed_json: vec![false; args.len()],
        };
        format(args, &written)
    }

    #[test]
    fn format_fills_placeholders_in_order() {
        assert_eq!(
            literal(
                "Hello, my name is {}.",
                "Hello, my name is {}.",
                &[json!("Arnav")]
            ),
            Ok(json!("Hello, my name is Arnav."))
        );
        assert_eq!(
            literal(
                "{} {} {} {}",
                "{} {} {} {}",
                &[json!("x"), json!(2), json!(true), json!(null)]
            ),
            Ok(json!("x 2 true null"))
        );
    }

    #[test]
    fn format_renders_containers_in_java_notation() {
        assert_eq!(
            literal("{} {}", "{} {}", &[json!({"a": [1, 2]}), json!(1e7)]),
            Ok(json!("{a=[1, 2]} 1.0E7"))
        );
    }

    #[test]
    fn format_renders_parsed_json_as_json_text() {
        let written = FormatSource {
            template: None,
            parsed_json: vec![false, true, true],
        };
        assert_eq!(
            format(&[json!("{} {}"), json!("x"), json!({"a": 1})], &written),
            Ok(json!("\"x\" {\"a\":1}"))
        );
    }

    #[test]
    fn format_template_from_a_path_has_no_escapes() {
        assert_eq!(
            from_paths(&[json!("a\\b {}"), json!(1)]),
            Ok(json!("a\\b 1"))
        );
    }

    #[test]
    fn format_escaped_braces_are_not_placeholders() {
        assert_eq!(
            literal(r"\{\} {}", "{} {}", &[json!("x")]),
            Ok(json!("{} x"))
        );
    }

    const COUNT_MISMATCH: Failure =
        Failure::InvalidArgumentsBecause("number of arguments do not match the occurrences of {}.");

    #[test]
    fn format_needs_one_argument_per_placeholder() {
        assert_eq!(
            literal("{} {}", "{} {}", &[json!("x")]),
            Err(COUNT_MISMATCH)
        );
        assert_eq!(
            literal("{}", "{}", &[json!("x"), json!("y")]),
            Err(COUNT_MISMATCH)
        );
        assert_eq!(literal("plain", "plain", &[]), Ok(json!("plain")));
    }

    #[test]
    fn format_reports_unbalanced_braces() {
        assert_eq!(
            literal("Hello {", "Hello {", &[json!("x")]),
            Err(Failure::InvalidTemplate(
                "matching '}' not found for '{'.".into()
            ))
        );
        assert_eq!(
            literal("}", "}", &[]),
            Err(Failure::InvalidTemplate(
                "matching '{' not found for '}'.".into()
            ))
        );
    }

    #[test]
    fn format_uses_a_non_string_template_as_its_text() {
        assert_eq!(from_paths(&[json!(123)]), Ok(json!("123")));
        assert_eq!(from_paths(&[json!(123), json!("x")]), Err(COUNT_MISMATCH));
        assert_eq!(from_paths(&[]), Err(Failure::InvalidArguments));
    }

    #[test]
    fn split_breaks_on_each_delimiter_character() {
        assert_eq!(
            split(&[json!("This.is+a,test=string"), json!(".+,=")]),
            Ok(json!(["This", "is", "a", "test", "string"]))
        );
    }

    #[test]
    fn split_drops_empty_pieces() {
        assert_eq!(split(&[json!(",a,,b,"), json!(",")]), Ok(json!(["a", "b"])));
        assert_eq!(split(&[json!(""), json!(",")]), Ok(json!([])));
        assert_eq!(split(&[json!("abc"), json!("")]), Ok(json!(["abc"])));
    }

    #[test]
    fn split_needs_two_strings() {
        assert_eq!(
            split(&[json!(123), json!(",")]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(
            split(&[json!("a,b"), json!([","])]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(split(&[json!("a,b")]), Err(Failure::InvalidArguments));
    }
}
