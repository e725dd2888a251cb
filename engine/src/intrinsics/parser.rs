//! Reads an intrinsic invocation such as `States.Format('{} {}', $.a, States.UUID())` into a
//! call tree. The grammar follows the States Language: string literals in single quotes with
//! the escapes `\'`, `\{`, `\}` and `\\`; JSON numbers; `true`, `false`, `null`; paths that
//! start with `$`; and nested calls.

use serde_json::Number;

use super::function::Function;
use super::json_reader::number_from_text;

/// Deeper trees than this are refused so that a hostile expression cannot exhaust the stack;
/// AWS itself allows far fewer nested calls in one field.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub function: Function,
    pub args: Vec<Argument>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Argument {
    Text(StringLiteral),
    Number(Number),
    Boolean(bool),
    Null,
    Path(String),
    Call(Call),
}

/// A quoted literal: its value with the escapes applied, and its text as written, which
/// States.Format needs to tell an escaped brace from a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StringLiteral {
    pub value: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParseError {
    Syntax(String),
    UnknownFunction(String),
}

pub(crate) fn parse(expression: &str) -> Result<Call, ParseError> {
    let mut parser = Parser {
        text: expression,
        position: 0,
    };
    let call = parser.call(0)?;
    parser.skip_whitespace();
    if parser.position < expression.len() {
        return Err(parser.syntax("unexpected text after the closing parenthesis"));
    }
    Ok(call)
}

struct Parser<'a> {
    text: &'a str,
    position: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.position..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let next = self.peek()?;
        self.position += next.len_utf8();
        Some(next)
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn syntax(&self, what: &str) -> ParseError {
        ParseError::Syntax(format!("{what} at position {}", self.position))
    }

    fn call(&mut self, depth: usize) -> Result<Call, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.syntax("intrinsic functions nested too deeply"));
        }
        if !self.rest().starts_with("States.") {
            return Err(self.syntax("expected an intrinsic function such as States.Format"));
        }
        let name_start = self.position;
        self.position += "States.".len();
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.bump();
        }
        let name = &self.text[name_start..self.position];
        let function = Function::from_name(name)
            .ok_or_else(|| ParseError::UnknownFunction(name.to_string()))?;
        if self.bump() != Some('(') {
            return Err(self.syntax(&format!("expected '(' after {name}")));
        }
        let args = self.arguments(depth)?;
        Ok(Call { function, args })
    }

    fn arguments(&mut self, depth: usize) -> Result<Vec<Argument>, ParseError> {
        let mut args = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(')') {
            self.bump();
            return Ok(args);
        }
        loop {
            self.skip_whitespace();
            args.push(self.argument(depth)?);
            self.skip_whitespace();
            match self.bump() {
                Some(',') => continue,
                Some(')') => return Ok(args),
                Some(_) => return Err(self.syntax("expected ',' or ')' after an argument")),
                None => return Err(self.syntax("missing ')'")),
            }
        }
    }

    fn argument(&mut self, depth: usize) -> Result<Argument, ParseError> {
        match self.peek() {
            Some('\'') => self.string_literal().map(Argument::Text),
            Some('$') => self.path().map(Argument::Path),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number().map(Argument::Number),
            Some(_) if self.rest().starts_with("States.") => {
                self.call(depth + 1).map(Argument::Call)
            }
            Some(_) => self.keyword(),
            None => Err(self.syntax("missing argument")),
        }
    }

    fn string_literal(&mut self) -> Result<StringLiteral, ParseError> {
        self.bump();
        let start = self.position;
        let mut value = String::new();
        loop {
            match self.bump() {
                Some('\'') => {
                    let source = self.text[start..self.position - 1].to_string();
                    return Ok(StringLiteral { value, source });
                }
                Some('\\') => match self.bump() {
                    Some(escaped @ ('\'' | '{' | '}' | '\\')) => value.push(escaped),
                    _ => return Err(self.syntax("open escape backslash in a string literal")),
                },
                Some(other) => value.push(other),
                None => return Err(self.syntax("unterminated string literal")),
            }
        }
    }

    /// A path runs to the next top-level ',' or ')'; inside brackets those characters belong
    /// to the path (filters, quoted names).
    fn path(&mut self) -> Result<String, ParseError> {
        let start = self.position;
        let mut bracket_depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            match quote {
                Some(q) => {
                    if c == '\\' {
                        self.bump();
                    } else if c == q {
                        quote = None;
                    }
                }
                None => match c {
                    '[' => bracket_depth += 1,
                    ']' => bracket_depth = bracket_depth.saturating_sub(1),
                    '\'' | '"' if bracket_depth > 0 => quote = Some(c),
                    ',' | ')' if bracket_depth == 0 => break,
                    c if c.is_whitespace() && bracket_depth == 0 => break,
                    _ => {}
                },
            }
            self.bump();
        }
        if quote.is_some() || bracket_depth > 0 {
            return Err(self.syntax("unterminated bracket in a path"));
        }
        Ok(self.text[start..self.position].to_string())
    }

    fn number(&mut self) -> Result<Number, ParseError> {
        let start = self.position;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            self.bump();
        }
        let text = &self.text[start..self.position];
        let valid = serde_json::from_str::<Number>(text).is_ok();
        number_from_text(text).filter(|_| valid).ok_or_else(|| {
            ParseError::Syntax(format!("invalid number '{text}' at position {start}"))
        })
    }

    fn keyword(&mut self) -> Result<Argument, ParseError> {
        let start = self.position;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.bump();
        }
        match &self.text[start..self.position] {
            "true" => Ok(Argument::Boolean(true)),
            "false" => Ok(Argument::Boolean(false)),
            "null" => Ok(Argument::Null),
            _ => {
                self.position = start;
                Err(self.syntax("expected a string, number, boolean, null, path or function"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(expression: &str) -> Vec<Argument> {
        parse(expression).expect("parses").args
    }

    fn text(value: &str, source: &str) -> Argument {
        Argument::Text(StringLiteral {
            value: value.to_string(),
            source: source.to_string(),
        })
    }

    #[test]
    fn reads_every_kind_of_literal() {
        assert_eq!(
            args("States.Array('a', 1, -2.5, true, false, null)"),
            vec![
                text("a", "a"),
                Argument::Number(1.into()),
                Argument::Number(Number::from_f64(-2.5).expect("finite")),
                Argument::Boolean(true),
                Argument::Boolean(false),
                Argument::Null,
            ]
        );
    }

    #[test]
    fn negative_zero_literal_is_the_integer_zero() {
        assert_eq!(args("States.Array(-0)"), vec![Argument::Number(0.into())]);
    }

    #[test]
    fn string_escapes_keep_the_written_form_beside_the_value() {
        assert_eq!(
            args(r"States.Format('\'\{\}\\')"),
            vec![text(r"'{}\", r"\'\{\}\\")]
        );
    }

    #[test]
    fn an_open_escape_backslash_is_a_syntax_error() {
        assert!(matches!(
            parse(r"States.Format('a\nb')"),
            Err(ParseError::Syntax(_))
        ));
    }

    #[test]
    fn paths_end_at_a_top_level_comma_or_parenthesis() {
        assert_eq!(
            args("States.Array($.a['x,y)'], $$.Execution.Id,$[0])"),
            vec![
                Argument::Path("$.a['x,y)']".into()),
                Argument::Path("$$.Execution.Id".into()),
                Argument::Path("$[0]".into()),
            ]
        );
    }

    #[test]
    fn nested_calls_become_call_arguments() {
        let call = parse("States.Array(States.UUID())").expect("parses");
        assert_eq!(
            call.args,
            vec![Argument::Call(Call {
                function: Function::Uuid,
                args: vec![]
            })]
        );
    }

    #[test]
    fn whitespace_around_arguments_is_ignored() {
        assert_eq!(args("States.Array( 1 ,  2 )").len(), 2);
    }

    #[test]
    fn malformed_calls_are_syntax_errors() {
        for bad in [
            "States.Array(",
            "States.Array(1,)",
            "States.Array(1) trailing",
            "States.Array([1,2])",
            "States.Array(1.)",
            "States.Array(.5)",
            "States.Array('open)",
            "States.Array(yes)",
            "States.Array",
        ] {
            assert!(
                matches!(parse(bad), Err(ParseError::Syntax(_))),
                "{bad} should not parse"
            );
        }
    }

    #[test]
    fn unknown_function_names_are_reported_by_name() {
        assert_eq!(
            parse("States.Nope(1)"),
            Err(ParseError::UnknownFunction("States.Nope".into()))
        );
    }

    #[test]
    fn excessive_nesting_is_refused_without_overflowing_the_stack() {
        let expression = format!("{}1{}", "States.Array(".repeat(10_000), ")".repeat(10_000));
        assert!(matches!(parse(&expression), Err(ParseError::Syntax(_))));
    }
}
