use std::fmt;
use std::sync::Arc;

use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Context, Evaluator, EvaluatorOptions};
use jsonata_core::parser;
use jsonata_core::value::JValue;
use serde_json::{Map, Value};

use super::aws_functions;
use super::error::JsonataError;
use super::values::{self, Outcome, Scope};

/// Step Functions documents no limit, but a runaway loop must end the state
/// with an error instead of holding the execution forever.
const EVALUATION_TIMEOUT_MS: u64 = 5_000;

/// Evaluation levels allowed, about 3,000 nested (non-tail) calls: deeper than
/// the JavaScript stack of jsonata-js lets AWS go, and it keeps a runaway
/// recursion from taking hundreds of megabytes before it fails.
const MAX_NESTING: usize = 10_000;

/// A JSONata expression parsed once; cheap to clone and to share across
/// threads, since each evaluation builds its own evaluator.
#[derive(Clone)]
pub struct Expression {
    source: Arc<str>,
    ast: Arc<AstNode>,
}

/// Two expressions with the same text parse to the same tree, so a parsed
/// definition can be compared like the JSON it came from.
impl PartialEq for Expression {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for Expression {}

/// The text says what the expression is; the tree would only be noise in
/// logs and test failures.
impl fmt::Debug for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Expression").field(&self.source).finish()
    }
}

/// Whether `s` is a JSONata expression. Step Functions takes a string as one
/// only when it is exactly `{%` ... `%}`, with nothing before or after.
pub fn is_expression(s: &str) -> bool {
    expression_text(s).is_some()
}

/// The text between `{%` and `%}`, when `s` is an expression.
pub(super) fn expression_text(s: &str) -> Option<&str> {
    s.strip_prefix("{%")?.strip_suffix("%}")
}

/// Parses `text`, either a whole `{% expr %}` string or the bare expression.
pub fn parse(text: &str) -> Result<Expression, JsonataError> {
    parse_in_field(expression_text(text).unwrap_or(text), "")
}

pub(super) fn parse_in_field(source: &str, field: &str) -> Result<Expression, JsonataError> {
    let source = source.trim();
    let ast =
        parser::parse(source).map_err(|e| JsonataError::invalid(source, field, &e.to_string()))?;
    Ok(Expression {
        source: source.into(),
        ast: Arc::new(ast),
    })
}

impl Expression {
    /// The expression's text, without the `{% %}` delimiters.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates with `bindings` as variables (`states` is `$states`); `None`
    /// is JSONata's undefined, which the caller decides how to treat.
    pub fn evaluate(&self, bindings: &Map<String, Value>) -> Result<Option<Value>, JsonataError> {
        self.evaluate_in(&values::scope(bindings), "")
    }

    /// Evaluates the expression held by the state field `field` (`Condition`,
    /// `Items`, `Choices[0]/Condition`, ...), where JSONata's undefined is an
    /// error as in any field.
    pub fn evaluate_field(
        &self,
        field: &str,
        bindings: &Map<String, Value>,
    ) -> Result<Value, JsonataError> {
        self.evaluate_in(&values::scope(bindings), field)?
            .ok_or_else(|| JsonataError::returned_nothing(&self.source, field))
    }

    /// The error for a field whose value has the wrong JSON type, e.g. a
    /// `Condition` that is not a boolean; `expected` is a JSONata type name
    /// (`boolean`, `number`, `string`, `array`, `object`).
    pub fn unexpected_type(&self, field: &str, expected: &str, value: &Value) -> JsonataError {
        JsonataError::unexpected_type(&self.source, field, expected, value)
    }

    pub(super) fn evaluate_in(
        &self,
        scope: &Scope,
        field: &str,
    ) -> Result<Option<Value>, JsonataError> {
        let result = self
            .run(scope)
            .map_err(|message| JsonataError::threw(&self.source, field, &message))?;
        match values::outcome(&result) {
            Ok(Outcome::Value(value)) => Ok(Some(value)),
            Ok(Outcome::Undefined) => Ok(None),
            Ok(Outcome::NotJson(what)) => Err(JsonataError::not_json(&self.source, field, what)),
            Err(e) => Err(JsonataError::threw(&self.source, field, &e.to_string())),
        }
    }

    fn run(&self, scope: &Scope) -> Result<JValue, String> {
        let mut context = Context::new();
        for (name, value) in scope {
            context.bind(name.clone(), value.clone());
        }
        let options = EvaluatorOptions {
            timeout_ms: Some(EVALUATION_TIMEOUT_MS),
            max_stack_depth: Some(MAX_NESTING),
            ..EvaluatorOptions::default()
        };
        let mut evaluator = Evaluator::with_options(context, options);
        aws_functions::register(&mut evaluator).map_err(|e| e.message().to_string())?;
        // Step Functions gives expressions no context value: `$` is undefined,
        // so only `$states` and variables carry data.
        evaluator
            .evaluate(&self.ast, &JValue::Undefined)
            .map_err(|e| e.message().to_string())
    }
}
