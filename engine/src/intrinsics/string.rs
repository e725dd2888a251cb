//! States.Format and States.StringSplit.

use serde_json::Value;

use super::Failure;
use super::coerce::text;
use super::java_values;

/// Replaces each `{}` of the template with the next argument. When the template is a literal,
/// `template_source` is its text as written, so that escaped braces (`\{`, `\}`) stay literal
/// instead of forming placeholders.
pub(crate) fn format(args: &[Value], template_source: Option<&str>) -> Result<Value, Failure> {
    let Some((template, values)) = args.split_first() else {
        return Err(Failure::InvalidArguments);
    };
    let template = text(template)?;
    let pieces = template_pieces(
        template_source.unwrap_or(template),
        template_source.is_some(),
    )?;
    let placeholders = pieces
        .iter()
        .filter(|piece| matches!(piece, Piece::Placeholder))
        .count();
    if placeholders != values.len() {
        return Err(Failure::InvalidArguments);
    }
    let mut values = values.iter();
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push(text),
            Piece::Placeholder => {
                if let Some(value) = values.next() {
                    out.push_str(&rendered(value));
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

/// Strings are inserted without quotes; everything else as its JSON text (`null`, `true`,
/// `3.5`, `{"a":1}`).
fn rendered(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => java_values::json_text(other),
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
        format(&args, Some(source))
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
    fn format_renders_containers_as_json() {
        assert_eq!(
            literal("{}", "{}", &[json!({"a": [1]})]),
            Ok(json!("{\"a\":[1]}"))
        );
    }

    #[test]
    fn format_template_from_a_path_has_no_escapes() {
        assert_eq!(
            format(&[json!("a\\b {}"), json!(1)], None),
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

    #[test]
    fn format_needs_one_argument_per_placeholder() {
        assert_eq!(
            literal("{} {}", "{} {}", &[json!("x")]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(
            literal("{}", "{}", &[json!("x"), json!("y")]),
            Err(Failure::InvalidArguments)
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
    fn format_template_must_be_a_string() {
        assert_eq!(
            format(&[json!(123), json!("x")], None),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(format(&[], None), Err(Failure::InvalidArguments));
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
