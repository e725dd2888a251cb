//! Reads JSON text for States.StringToJson the way the service's parser (Jackson's `readTree`)
//! does: blank text is null, only the first value counts (text after it is ignored, except
//! right after a top-level number), and a malformed document is described in Jackson's words
//! with its line and column, since that description becomes the execution's Cause.

use serde_json::{Map, Number, Value};

/// Jackson's default nesting limit.
const MAX_DEPTH: usize = 1000;

const VALID_VALUES: &str =
    "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

pub(crate) fn read(text: &str) -> Result<Value, String> {
    let mut reader = Reader {
        chars: text.chars().collect(),
        position: 0,
    };
    reader
        .document()
        .map_err(|problem| reader.describe(problem))
}

struct Problem {
    message: String,
    /// The character index whose column Jackson reports.
    at: usize,
}

#[derive(Clone, Copy)]
enum Container {
    Object,
    Array,
}

impl Container {
    fn name(self) -> &'static str {
        match self {
            Container::Object => "Object",
            Container::Array => "Array",
        }
    }

    fn close(self) -> char {
        match self {
            Container::Object => '}',
            Container::Array => ']',
        }
    }
}

struct Reader {
    chars: Vec<char>,
    position: usize,
}

/// A container still being read: where it opened, what it holds so far, and for an object
/// the name whose value comes next.
struct Frame {
    kind: Container,
    start: usize,
    items: Vec<Value>,
    fields: Map<String, Value>,
    pending_name: Option<String>,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    fn location(&self, at: usize) -> String {
        let mut line = 1;
        let mut column = 1;
        let mut index = 0;
        while index < at.min(self.chars.len()) {
            let c = self.chars[index];
            if c == '\n' || (c == '\r' && self.chars.get(index + 1) != Some(&'\n')) {
                line += 1;
                column = 1;
            } else if c != '\r' {
                column += c.len_utf16();
            }
            index += 1;
        }
        format!(
            "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: {line}, column: {column}]"
        )
    }

    fn describe(&self, problem: Problem) -> String {
        format!("{}\n at {}", problem.message, self.location(problem.at))
    }

    fn unexpected(&self, at: usize, comment: &str) -> Problem {
        Problem {
            message: format!(
                "Unexpected character ({}): {comment}",
                describe_char(self.chars[at])
            ),
            at,
        }
    }

    fn end_of_input(&self, detail: &str) -> Problem {
        Problem {
            message: format!("Unexpected end-of-input{detail}"),
            at: self.chars.len(),
        }
    }

    fn skip_whitespace(&mut self) -> Result<(), Problem> {
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | '\r' => self.position += 1,
                c if u32::from(c) < 0x20 => {
                    return Err(Problem {
                        message: format!(
                            "Illegal character ({}): only regular white space (\\r, \\n, \\t) is allowed between tokens",
                            describe_char(c)
                        ),
                        at: self.position,
                    });
                }
                _ => break,
            }
        }
        Ok(())
    }

    fn document(&mut self) -> Result<Value, Problem> {
        self.skip_whitespace()?;
        if self.peek().is_none() {
            return Ok(Value::Null);
        }
        let value = self.value()?;
        let glued_to_number = value.is_number()
            && self
                .peek()
                .is_some_and(|c| !matches!(c, ' ' | '\t' | '\n' | '\r'));
        if glued_to_number {
            return Err(
                self.unexpected(self.position, "Expected space separating root-level values")
            );
        }
        Ok(value)
    }

    /// Reads one value. Containers are tracked on an explicit stack rather than by recursion,
    /// so that the deepest document Jackson accepts cannot overflow the thread's stack.
    fn value(&mut self) -> Result<Value, Problem> {
        let mut open: Vec<Frame> = Vec::new();
        'value: loop {
            let mut value = match self.peek() {
                Some(c @ ('{' | '[')) => {
                    let kind = if c == '{' {
                        Container::Object
                    } else {
                        Container::Array
                    };
                    if open.len() >= MAX_DEPTH {
                        return Err(Problem {
                            message: format!(
                                "Document nesting depth ({}) exceeds the maximum allowed ({MAX_DEPTH}, from `StreamReadConstraints.getMaxNestingDepth()`)",
                                open.len() + 1
                            ),
                            at: self.position,
                        });
                    }
                    let start = self.position;
                    self.position += 1;
                    self.skip_whitespace()?;
                    if self.close_marker(kind, start)? {
                        finish(kind, Vec::new(), Map::new())
                    } else {
                        let pending_name = match kind {
                            Container::Object => Some(self.field_name()?),
                            Container::Array => None,
                        };
                        open.push(Frame {
                            kind,
                            start,
                            items: Vec::new(),
                            fields: Map::new(),
                            pending_name,
                        });
                        continue 'value;
                    }
                }
                _ => self.scalar()?,
            };
            loop {
                let Some(frame) = open.last_mut() else {
                    return Ok(value);
                };
                match frame.pending_name.take() {
                    Some(name) => {
                        frame.fields.insert(name, value);
                    }
                    None => frame.items.push(value),
                }
                let (kind, start) = (frame.kind, frame.start);
                self.skip_whitespace()?;
                if self.close_marker(kind, start)? {
                    let done = open
                        .pop()
                        .map(|frame| finish(frame.kind, frame.items, frame.fields));
                    value = done.unwrap_or(Value::Null);
                    continue;
                }
                if self.peek() != Some(',') {
                    return Err(self.unexpected(
                        self.position,
                        &format!("was expecting comma to separate {} entries", kind.name()),
                    ));
                }
                self.position += 1;
                self.skip_whitespace()?;
                if self.peek().is_none() {
                    return Err(
                        self.end_of_input(&format!(" within/between {} entries", kind.name()))
                    );
                }
                if let (Container::Object, Some(frame)) = (kind, open.last_mut()) {
                    frame.pending_name = Some(self.field_name()?);
                }
                continue 'value;
            }
        }
    }

    fn scalar(&mut self) -> Result<Value, Problem> {
        let Some(c) = self.peek() else {
            return Err(self.end_of_input(": expected a value"));
        };
        match c {
            '"' => self.string().map(Value::String),
            '-' | '0'..='9' => self.number(),
            't' => self.keyword("true", Value::Bool(true)),
            'f' => self.keyword("false", Value::Bool(false)),
            'n' => self.keyword("null", Value::Null),
            'N' if self.starts_token("NaN") => Err(self.non_standard("NaN")),
            'I' if self.starts_token("Infinity") => Err(self.non_standard("Infinity")),
            c if is_identifier_start(c) => Err(self.unrecognized_token()),
            _ => Err(self.unexpected(
                self.position,
                &format!("expected a valid value {VALID_VALUES}"),
            )),
        }
    }

    /// Consumes the container's closing character if it comes next; reports a missing or
    /// mismatched one.
    fn close_marker(&mut self, kind: Container, start: usize) -> Result<bool, Problem> {
        match self.peek() {
            None => Err(Problem {
                message: format!(
                    "Unexpected end-of-input: expected close marker for {} (start marker at {})",
                    kind.name(),
                    self.location(start)
                ),
                at: self.chars.len(),
            }),
            Some(c) if c == kind.close() => {
                self.position += 1;
                Ok(true)
            }
            Some(c @ ('}' | ']')) => Err(Problem {
                message: format!(
                    "Unexpected close marker '{c}': expected '{}' (for {} starting at {})",
                    kind.close(),
                    kind.name(),
                    self.location(start)
                ),
                at: self.position,
            }),
            Some(_) => Ok(false),
        }
    }

    /// Reads `"name" :` and the whitespace after it, leaving the reader at the field's value.
    fn field_name(&mut self) -> Result<String, Problem> {
        if self.peek() != Some('"') {
            return Err(self.unexpected(
                self.position,
                "was expecting double-quote to start field name",
            ));
        }
        let name = self.string()?;
        self.skip_whitespace()?;
        match self.peek() {
            Some(':') => self.position += 1,
            Some(_) => {
                return Err(self.unexpected(
                    self.position,
                    "was expecting a colon to separate field name and value",
                ));
            }
            None => return Err(self.end_of_input(" within/between Object entries")),
        }
        self.skip_whitespace()?;
        if self.peek().is_none() {
            return Err(self.end_of_input(" within/between Object entries"));
        }
        Ok(name)
    }

    fn string(&mut self) -> Result<String, Problem> {
        self.position += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.end_of_input(": was expecting closing quote for a string value"));
            };
            self.position += 1;
            match c {
                '"' => return Ok(out),
                '\\' => out.push(self.escape()?),
                c if u32::from(c) < 0x20 => {
                    return Err(Problem {
                        message: format!(
                            "Illegal unquoted character ({}): has to be escaped using backslash to be included in string value",
                            describe_char(c)
                        ),
                        at: self.position - 1,
                    });
                }
                c => out.push(c),
            }
        }
    }

    fn escape(&mut self) -> Result<char, Problem> {
        let Some(c) = self.peek() else {
            return Err(self.end_of_input(" in character escape sequence"));
        };
        self.position += 1;
        Ok(match c {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let first = self.hex_unit()?;
                if (0xD800..0xDC00).contains(&first)
                    && self.chars.get(self.position) == Some(&'\\')
                    && self.chars.get(self.position + 1) == Some(&'u')
                {
                    let resume = self.position;
                    self.position += 2;
                    let second = self.hex_unit()?;
                    if (0xDC00..0xE000).contains(&second) {
                        let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                        return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    }
                    self.position = resume;
                }
                // A lone surrogate is legal in Java strings but not in Rust ones.
                char::from_u32(first).unwrap_or('\u{FFFD}')
            }
            other => {
                return Err(Problem {
                    message: format!("Unrecognized character escape {}", describe_char(other)),
                    at: self.position - 1,
                });
            }
        })
    }

    fn hex_unit(&mut self) -> Result<u32, Problem> {
        let mut unit = 0;
        for _ in 0..4 {
            let Some(c) = self.peek() else {
                return Err(self.end_of_input(" in character escape sequence"));
            };
            let digit = c.to_digit(16).ok_or_else(|| {
                self.unexpected(
                    self.position,
                    "expected a hex-digit for character escape sequence",
                )
            })?;
            self.position += 1;
            unit = unit * 16 + digit;
        }
        Ok(unit)
    }

    fn number(&mut self) -> Result<Value, Problem> {
        let start = self.position;
        if self.peek() == Some('-') {
            self.position += 1;
            match self.peek() {
                Some(c) if c.is_ascii_digit() => {}
                Some(_) => {
                    return Err(self.numeric(
                        "expected digit (0-9) to follow minus sign, for valid numeric value",
                    ));
                }
                None => return Err(self.end_of_input(" in a Number value")),
            }
        }
        if self.peek() == Some('0')
            && self
                .chars
                .get(self.position + 1)
                .is_some_and(char::is_ascii_digit)
        {
            return Err(Problem {
                message: "Invalid numeric value: Leading zeroes not allowed".to_string(),
                at: self.position + 1,
            });
        }
        self.digits();
        if self.peek() == Some('.') {
            self.position += 1;
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Err(self.after_number_part("Decimal point not followed by a digit"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.position += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.position += 1;
            }
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Err(self.after_number_part("Exponent indicator not followed by a digit"));
            }
            self.digits();
        }
        let text: String = self.chars[start..self.position].iter().collect();
        number_from_text(&text)
            .map(Value::Number)
            .ok_or_else(|| Problem {
                message: format!("Numeric value ({text}) out of range"),
                at: self.position,
            })
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.position += 1;
        }
    }

    fn numeric(&self, comment: &str) -> Problem {
        Problem {
            message: format!(
                "Unexpected character ({}) in numeric value: {comment}",
                describe_char(self.chars[self.position])
            ),
            at: self.position,
        }
    }

    fn after_number_part(&self, comment: &str) -> Problem {
        match self.peek() {
            Some(_) => self.numeric(comment),
            None => self.end_of_input(" in a Number value"),
        }
    }

    fn starts_token(&self, token: &str) -> bool {
        let end = self.position + token.chars().count();
        self.chars.len() >= end
            && self.chars[self.position..end]
                .iter()
                .copied()
                .eq(token.chars())
            && !self.chars.get(end).copied().is_some_and(is_identifier_part)
    }

    fn keyword(&mut self, token: &str, value: Value) -> Result<Value, Problem> {
        if self.starts_token(token) {
            self.position += token.chars().count();
            Ok(value)
        } else {
            Err(self.unrecognized_token())
        }
    }

    /// Jackson quotes the whole run of identifier characters that starts here.
    fn unrecognized_token(&mut self) -> Problem {
        let start = self.position;
        self.position += 1;
        while self.peek().is_some_and(is_identifier_part) {
            self.position += 1;
        }
        let token: String = self.chars[start..self.position].iter().collect();
        Problem {
            message: format!("Unrecognized token '{token}': was expecting {VALID_VALUES}"),
            at: self.position,
        }
    }

    fn non_standard(&self, token: &str) -> Problem {
        Problem {
            message: format!(
                "Non-standard token '{token}': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
            ),
            at: self.position + token.chars().count(),
        }
    }
}

/// A JSON number as the service's parser types it: digits alone make an integer (so `-0` is
/// 0, not -0.0), anything with a fraction or exponent a double.
pub(crate) fn number_from_text(text: &str) -> Option<Number> {
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(whole) = text.parse::<i64>() {
            return Some(whole.into());
        }
        if let Ok(whole) = text.parse::<u64>() {
            return Some(whole.into());
        }
    }
    serde_json::from_str::<Number>(text).ok()
}

fn finish(kind: Container, items: Vec<Value>, fields: Map<String, Value>) -> Value {
    match kind {
        Container::Object => Value::Object(fields),
        Container::Array => Value::Array(items),
    }
}

fn is_identifier_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_identifier_part(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Jackson's description of a character in an error message.
fn describe_char(c: char) -> String {
    let code = u32::from(c);
    if code < 0x20 || (0x7f..=0x9f).contains(&code) {
        format!("(CTRL-CHAR, code {code})")
    } else if code > 255 {
        format!("'{c}' (code {code} / 0x{code:x})")
    } else {
        format!("'{c}' (code {code})")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const SOURCE: &str =
        "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled);";

    fn error(text: &str) -> String {
        read(text).expect_err("should not parse")
    }

    #[test]
    fn reads_every_kind_of_value() {
        assert_eq!(
            read(r#" {"a": [1, -2.5e3, true, false, null, "x\u00e9\n"], "b": {}} "#),
            Ok(json!({"a": [1, -2500.0, true, false, null, "xé\n"], "b": {}}))
        );
    }

    #[test]
    fn negative_zero_is_the_integer_zero() {
        assert_eq!(
            read("-0").map(|value| value.to_string()),
            Ok("0".to_string())
        );
    }

    #[test]
    fn blank_text_is_null() {
        assert_eq!(read(""), Ok(Value::Null));
        assert_eq!(read(" \n "), Ok(Value::Null));
    }

    #[test]
    fn text_after_the_first_value_is_ignored() {
        assert_eq!(read("[1] trailing"), Ok(json!([1])));
        assert_eq!(read("true false"), Ok(json!(true)));
    }

    #[test]
    fn a_top_level_number_must_be_followed_by_space() {
        assert_eq!(
            error("123abc"),
            format!(
                "Unexpected character ('a' (code 97)): Expected space separating root-level values\n at {SOURCE} line: 1, column: 4]"
            )
        );
    }

    #[test]
    fn field_names_need_double_quotes() {
        assert_eq!(
            error("{bad json}"),
            format!(
                "Unexpected character ('b' (code 98)): was expecting double-quote to start field name\n at {SOURCE} line: 1, column: 2]"
            )
        );
    }

    #[test]
    fn an_unclosed_object_names_its_start() {
        assert_eq!(
            error(r#"{"a":1"#),
            format!(
                "Unexpected end-of-input: expected close marker for Object (start marker at {SOURCE} line: 1, column: 1])\n at {SOURCE} line: 1, column: 7]"
            )
        );
    }

    #[test]
    fn a_bare_word_is_an_unrecognized_token() {
        assert_eq!(
            error("undefined"),
            format!(
                "Unrecognized token 'undefined': was expecting {VALID_VALUES}\n at {SOURCE} line: 1, column: 10]"
            )
        );
        assert!(error("truex").starts_with("Unrecognized token 'truex'"));
    }

    #[test]
    fn separators_are_checked() {
        assert!(error("[1 2]").starts_with(
            "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries"
        ));
        assert!(error(r#"{"a" 1}"#).starts_with(
            "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value"
        ));
        assert!(
            error("[1,]")
                .starts_with("Unexpected character (']' (code 93)): expected a valid value")
        );
        assert!(error("[1}").starts_with("Unexpected close marker '}': expected ']'"));
        assert!(error("[1,").starts_with("Unexpected end-of-input within/between Array entries"));
    }

    #[test]
    fn strings_reject_control_characters_and_bad_escapes() {
        assert!(
            error("\"a\nb\"").starts_with(
                "Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped"
            )
        );
        assert!(error(r#""\x""#).starts_with("Unrecognized character escape 'x' (code 120)"));
        assert!(error("\"abc").starts_with(
            "Unexpected end-of-input: was expecting closing quote for a string value"
        ));
    }

    #[test]
    fn surrogate_pair_escapes_form_one_character() {
        assert_eq!(read(r#""\ud83d\ude80""#), Ok(json!("🚀")));
    }

    #[test]
    fn numbers_follow_json_rules() {
        assert!(error("01").starts_with("Invalid numeric value: Leading zeroes not allowed"));
        assert!(error("1.x").starts_with(
            "Unexpected character ('x' (code 120)) in numeric value: Decimal point not followed by a digit"
        ));
        assert!(error("NaN").starts_with("Non-standard token 'NaN'"));
    }

    #[test]
    fn lines_and_columns_count_from_one() {
        assert!(error("{\n  x}").ends_with("line: 2, column: 3]"));
    }

    #[test]
    fn nesting_is_limited_like_jackson() {
        let deep = "[".repeat(1001);
        assert!(error(&deep).starts_with("Document nesting depth (1001) exceeds"));
    }
}
