//! The intrinsic functions of the Amazon States Language (`States.Format(...)` and the rest),
//! evaluated the way AWS Step Functions evaluates them, down to the Cause of a failure.
//!
//! Where the service departs from the developer guide (numbers truncated rather than rounded,
//! lenient Base64 decoding, ArrayUnique's order, ArrayContains comparing text forms, Jackson's
//! wording for malformed JSON), this module follows the service, since the engine is judged
//! against recorded executions. Failures are `States.Runtime` errors, as the service raises.

mod array;
mod coerce;
mod encoding;
mod error;
mod function;
mod hash;
mod java_random;
mod java_values;
mod json;
mod json_reader;
mod math;
mod parser;
mod string;

use serde_json::Value;

pub use error::IntrinsicError;
use function::Function;
use parser::{Argument, Call, ParseError};

/// Why a function refused its arguments, before the expression is attached for the Cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    InvalidArguments,
    InvalidArgumentsBecause(&'static str),
    InvalidTemplate(String),
    NotJson(String),
}

/// Whether a `.$` field's value is an intrinsic invocation rather than a path.
pub fn is_intrinsic(s: &str) -> bool {
    s.starts_with("States.") && s.contains('(')
}

/// The guide allows intrinsic functions nested up to 10 deep within a field.
const MAX_NESTING: usize = 10;

/// An invocation read once, when the definition is parsed, and evaluated on every run of its
/// state.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    expression: String,
    call: Call,
}

/// Reads an invocation, checking its syntax, function names and nesting as definition
/// validation does.
pub fn compile(expression: &str) -> Result<Invocation, IntrinsicError> {
    let invocation = parse(expression)?;
    if nesting(&invocation.call) > MAX_NESTING {
        return Err(IntrinsicError::Syntax {
            expression: expression.to_string(),
            detail: format!("intrinsic functions may be nested at most {MAX_NESTING} deep"),
        });
    }
    Ok(invocation)
}

fn nesting(call: &Call) -> usize {
    1 + call
        .args
        .iter()
        .filter_map(|arg| match arg {
            Argument::Call(inner) => Some(nesting(inner)),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

fn parse(expression: &str) -> Result<Invocation, IntrinsicError> {
    let call = parser::parse(expression).map_err(|error| match error {
        ParseError::Syntax(detail) => IntrinsicError::Syntax {
            expression: expression.to_string(),
            detail,
        },
        ParseError::UnknownFunction(name) => IntrinsicError::UnknownFunction {
            expression: expression.to_string(),
            name,
        },
    })?;
    Ok(Invocation {
        expression: expression.to_string(),
        call,
    })
}

impl Invocation {
    /// Every path argument, however deeply nested, as written.
    pub fn paths(&self) -> Vec<&str> {
        fn collect<'a>(call: &'a Call, out: &mut Vec<&'a str>) {
            for arg in &call.args {
                match arg {
                    Argument::Path(path) => out.push(path),
                    Argument::Call(inner) => collect(inner, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        collect(&self.call, &mut out);
        out
    }

    /// Evaluates the invocation. `resolve_path` receives each path argument exactly as written
    /// (`$`, `$.a.b`, `$$.Execution.Id`, `$.items[0]`) and returns its value or the message AWS
    /// gives for a path that selects nothing.
    pub fn evaluate(
        &self,
        resolve_path: &dyn Fn(&str) -> Result<Value, String>,
    ) -> Result<Value, IntrinsicError> {
        Evaluation {
            expression: &self.expression,
            resolve_path,
        }
        .call(&self.call)
    }
}

struct Evaluation<'a> {
    expression: &'a str,
    resolve_path: &'a dyn Fn(&str) -> Result<Value, String>,
}

impl Evaluation<'_> {
    fn call(&self, call: &Call) -> Result<Value, IntrinsicError> {
        let values = call
            .args
            .iter()
            .map(|arg| self.argument(arg))
            .collect::<Result<Vec<_>, _>>()?;
        let written = FormatSource {
            template: match call.args.first() {
                Some(Argument::Text(literal)) => Some(literal.source.as_str()),
                _ => None,
            },
            parsed_json: call
                .args
                .iter()
                .map(|arg| {
                    matches!(arg, Argument::Call(inner) if inner.function == Function::StringToJson)
                })
                .collect(),
        };
        apply(call.function, &values, &written).map_err(|failure| self.error(call, failure))
    }

    fn argument(&self, arg: &Argument) -> Result<Value, IntrinsicError> {
        Ok(match arg {
            Argument::Text(literal) => Value::String(literal.value.clone()),
            Argument::Number(number) => Value::Number(number.clone()),
            Argument::Boolean(flag) => Value::Bool(*flag),
            Argument::Null => Value::Null,
            Argument::Path(path) => {
                (self.resolve_path)(path).map_err(|message| IntrinsicError::PathFailed {
                    expression: self.expression.to_string(),
                    message,
                })?
            }
            Argument::Call(call) => self.call(call)?,
        })
    }

    fn error(&self, call: &Call, failure: Failure) -> IntrinsicError {
        let expression = self.expression.to_string();
        match failure {
            Failure::InvalidArguments => IntrinsicError::InvalidArguments {
                expression,
                function: call.function.name(),
            },
            Failure::InvalidArgumentsBecause(reason) => IntrinsicError::InvalidArgumentsBecause {
                expression,
                function: call.function.name(),
                reason,
            },
            Failure::InvalidTemplate(detail) => {
                IntrinsicError::InvalidTemplate { expression, detail }
            }
            Failure::NotJson(detail) => IntrinsicError::NotJson { expression, detail },
        }
    }
}

/// What States.Format needs to know about how its arguments were written: the template's
/// literal text (for escapes), and which arguments are States.StringToJson results, which the
/// service holds as parsed JSON and so writes as JSON text (a string keeps its quotes).
pub(crate) struct FormatSource<'a> {
    pub template: Option<&'a str>,
    pub parsed_json: Vec<bool>,
}

fn apply(function: Function, args: &[Value], written: &FormatSource) -> Result<Value, Failure> {
    match function {
        Function::Format => string::format(args, written),
        Function::StringSplit => string::split(args),
        Function::StringToJson => json::string_to_json(args),
        Function::JsonToString => json::json_to_string(args),
        Function::JsonMerge => json::merge(args),
        Function::Array => Ok(Value::Array(args.to_vec())),
        Function::ArrayPartition => array::partition(args),
        Function::ArrayContains => array::contains(args),
        Function::ArrayRange => array::range(args),
        Function::ArrayGetItem => array::get_item(args),
        Function::ArrayLength => array::length(args),
        Function::ArrayUnique => array::unique(args),
        Function::Base64Encode => encoding::base64_encode(args),
        Function::Base64Decode => encoding::base64_decode(args),
        Function::Hash => hash::hash(args),
        Function::MathRandom => math::random(args),
        Function::MathAdd => math::add(args),
        Function::Uuid => match args {
            [] => Ok(Value::String(uuid::Uuid::new_v4().to_string())),
            _ => Err(Failure::InvalidArguments),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn input() -> Value {
        json!({"name": "Arnav", "items": [1, 2, 3], "nested": {"k": "v"}})
    }

    fn resolve(path: &str) -> Result<Value, String> {
        let input = input();
        let found = match path {
            "$" => Some(input.clone()),
            "$.name" => input.get("name").cloned(),
            "$.items" => input.get("items").cloned(),
            "$.nested" => input.get("nested").cloned(),
            _ => None,
        };
        found.ok_or_else(|| {
            format!("The JsonPath argument for the field '{path}' could not be found in the input '{input}'")
        })
    }

    /// Evaluates without the nesting check of `compile`, as evaluation itself allows.
    fn eval(expression: &str) -> Result<Value, IntrinsicError> {
        parse(expression)?.evaluate(&resolve)
    }

    fn validate(expression: &str) -> Result<(), IntrinsicError> {
        compile(expression).map(|_| ())
    }

    #[test]
    fn is_intrinsic_recognises_calls_but_not_paths() {
        assert!(is_intrinsic("States.Array($.a)"));
        assert!(is_intrinsic("States.UUID()"));
        assert!(!is_intrinsic("$.States"));
        assert!(!is_intrinsic("States.Array"));
    }

    #[test]
    fn path_arguments_are_resolved_through_the_callback() {
        assert_eq!(
            eval("States.Array($.name, $.nested)"),
            Ok(json!(["Arnav", {"k": "v"}]))
        );
    }

    #[test]
    fn nested_calls_feed_their_results_to_the_outer_call() {
        assert_eq!(
            eval("States.ArrayLength(States.Array($.items, States.Array()))"),
            Ok(json!(2))
        );
    }

    #[test]
    fn a_missing_path_names_the_whole_function_in_the_cause() {
        let error = eval("States.ArrayPartition($.missing, 2)").unwrap_err();
        assert_eq!(
            error.cause(),
            format!(
                "The function 'States.ArrayPartition($.missing, 2)' had the following error: The JsonPath argument for the field '$.missing' could not be found in the input '{}'",
                input()
            )
        );
    }

    #[test]
    fn invalid_arguments_cause_names_the_top_level_expression_and_failing_function() {
        let error = eval("States.ArrayLength(States.JsonToString($.items))").unwrap_err();
        assert_eq!(
            error.cause(),
            "There was an error while evaluating the intrinsic function: States.ArrayLength(States.JsonToString($.items)). Invalid arguments in States.ArrayLength"
        );
        assert_eq!(error.error_name(), "States.Runtime");
    }

    #[test]
    fn compile_accepts_good_calls_and_rejects_bad_ones() {
        assert_eq!(validate("States.Format('{}', $.a)"), Ok(()));
        assert!(matches!(
            validate("States.Frobnicate()"),
            Err(IntrinsicError::UnknownFunction { .. })
        ));
        assert!(matches!(
            validate("States.Array(1"),
            Err(IntrinsicError::Syntax { .. })
        ));
    }

    #[test]
    fn compile_allows_ten_nested_calls_but_not_eleven() {
        let nested =
            |depth: usize| format!("{}1{}", "States.Array(".repeat(depth), ")".repeat(depth));
        assert_eq!(validate(&nested(10)), Ok(()));
        assert!(matches!(
            validate(&nested(11)),
            Err(IntrinsicError::Syntax { .. })
        ));
        assert!(eval(&nested(11)).is_ok());
    }

    #[test]
    fn uuid_returns_a_version_4_uuid_and_takes_no_arguments() {
        let value = eval("States.UUID()").expect("uuid");
        let text = value.as_str().expect("string");
        let parsed = uuid::Uuid::parse_str(text).expect("valid uuid");
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(text, text.to_lowercase());
        assert!(matches!(
            eval("States.UUID(1)"),
            Err(IntrinsicError::InvalidArguments { .. })
        ));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;
    use serde_json::Value;

    use super::function::Function;
    use super::{FormatSource, apply, parse};

    const NAMES: [&str; 18] = [
        "Format",
        "StringToJson",
        "JsonToString",
        "Array",
        "ArrayPartition",
        "ArrayContains",
        "ArrayRange",
        "ArrayGetItem",
        "ArrayLength",
        "ArrayUnique",
        "Base64Encode",
        "Base64Decode",
        "Hash",
        "JsonMerge",
        "MathRandom",
        "MathAdd",
        "StringSplit",
        "UUID",
    ];

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "[ -~]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-c]{1,2}", inner, 0..4)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(NAMES.to_vec()).prop_map(|name| format!("States.{name}(")),
            prop::sample::select(vec![
                ")", ",", " ", "'", "\\", "{}", "{", "}", "$", "$.a", "$$.x", "[0]", "-", "1",
                "2.5", "1e3", "true", "null", "'x'", "'{} {}'", "'SHA-1'",
            ])
            .prop_map(str::to_string),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn evaluating_any_expression_never_panics(
            tokens in prop::collection::vec(token(), 0..16),
            input in json(),
        ) {
            let expression = tokens.concat();
            let resolve = |_: &str| -> Result<Value, String> { Ok(input.clone()) };
            let _ = parse(&expression).and_then(|invocation| invocation.evaluate(&resolve));
        }

        #[test]
        fn every_function_accepts_any_arguments_without_panicking(
            function in prop::sample::select(NAMES.to_vec()),
            args in prop::collection::vec(json(), 0..4),
        ) {
            let function = Function::from_name(&format!("States.{function}")).expect("known");
            let written = FormatSource { template: None, parsed_json: vec![false; args.len()] };
            let _ = apply(function, &args, &written);
        }
    }
}
