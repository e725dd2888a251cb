use serde_json::{Map, json};

use super::super::{Expression, error::QUERY_EVALUATION_ERROR, is_expression, parse};
use super::{eval, failure, no_bindings, states, value};

#[test]
fn integer_arithmetic_stays_integer() {
    assert_eq!(value("1 + 1").to_string(), "2");
    assert_eq!(value("1.5 * 2").to_string(), "3");
}

#[test]
fn fractions_stay_fractions() {
    assert_eq!(value("1 / 4"), json!(0.25));
}

#[test]
fn states_input_is_bound_as_a_variable() {
    let bindings = states(json!({"name": "Ada", "n": 2}));
    assert_eq!(
        eval("$states.input.name & '!'", &bindings).unwrap(),
        Some(json!("Ada!"))
    );
}

#[test]
fn workflow_variables_are_bound_by_name() {
    let mut bindings = Map::new();
    bindings.insert("count".to_string(), json!(41));
    assert_eq!(eval("$count + 1", &bindings).unwrap(), Some(json!(42)));
}

#[test]
fn a_missing_field_is_undefined_not_null() {
    let bindings = states(json!({"a": null}));
    assert_eq!(eval("$states.input.b", &bindings).unwrap(), None);
    assert_eq!(
        eval("$states.input.a", &bindings).unwrap(),
        Some(json!(null))
    );
}

#[test]
fn the_context_value_is_undefined() {
    assert_eq!(eval("$", &no_bindings()).unwrap(), None);
}

#[test]
fn parse_accepts_the_delimited_form_too() {
    assert_eq!(parse("{% 2 * 3 %}").unwrap().source(), "2 * 3");
    assert_eq!(value("{% 2 * 3 %}"), json!(6));
}

#[test]
fn a_syntax_error_is_reported_at_parse_time() {
    let error = parse("1 +").unwrap_err();
    assert_eq!(error.error, QUERY_EVALUATION_ERROR);
    assert!(
        error
            .cause
            .starts_with("The JSONata expression '1 +' is invalid. S0"),
        "{}",
        error.cause
    );
}

#[test]
fn a_type_error_names_the_expression_and_jsonata_code() {
    let error = failure("'a' + 1");
    assert_eq!(error.error, QUERY_EVALUATION_ERROR);
    assert!(
        error.cause.starts_with(
            "The JSONata expression ''a' + 1' threw an error during evaluation. T2001:"
        ),
        "{}",
        error.cause
    );
}

#[test]
fn runaway_recursion_ends_with_an_error() {
    let error = failure("($loop := function($n) { $loop($n + 1) }; $loop(0))");
    assert_eq!(error.error, QUERY_EVALUATION_ERROR);
}

#[test]
fn a_function_result_is_not_json() {
    let error = failure("function($x) { $x }");
    assert!(
        error
            .cause
            .ends_with("returned a function, which is not a JSON value."),
        "{}",
        error.cause
    );
}

#[test]
fn eval_is_refused_in_favour_of_parse() {
    let error = failure("$eval('1 + 1')");
    assert!(error.cause.contains("$parse"), "{}", error.cause);
}

#[test]
fn is_expression_requires_exact_delimiters() {
    assert!(is_expression("{% 1 %}"));
    assert!(is_expression("{%1%}"));
    assert!(!is_expression(" {% 1 %}"));
    assert!(!is_expression("{% 1 %} "));
    assert!(!is_expression("{% 1"));
    assert!(!is_expression("plain"));
    assert!(!is_expression("{%}"));
}

#[test]
fn expressions_are_shared_across_threads() {
    fn shareable<T: Send + Sync + Clone>() {}
    shareable::<Expression>();
    shareable::<super::super::Template>();
    let expression = parse("$states.input * 2").unwrap();
    let handles: Vec<_> = (0..4)
        .map(|n| {
            let expression = expression.clone();
            std::thread::spawn(move || expression.evaluate(&states(json!(n))).unwrap())
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        results,
        [
            Some(json!(0)),
            Some(json!(2)),
            Some(json!(4)),
            Some(json!(6))
        ]
    );
}

#[test]
fn bindings_do_not_leak_between_evaluations() {
    let expression = parse("($x := $states.input; $x)").unwrap();
    assert_eq!(
        expression.evaluate(&states(json!(1))).unwrap(),
        Some(json!(1))
    );
    assert_eq!(eval("$x", &no_bindings()).unwrap(), None);
    assert_eq!(
        expression.evaluate(&states(json!(2))).unwrap(),
        Some(json!(2))
    );
}

#[test]
fn evaluate_field_turns_undefined_into_an_error_naming_the_field() {
    let error = parse("$states.input.flag")
        .unwrap()
        .evaluate_field("Choices[0]/Condition", &states(json!({})))
        .unwrap_err();
    assert_eq!(
        error.cause,
        "The JSONata expression '$states.input.flag' specified for the field 'Choices[0]/Condition' returned nothing (undefined)."
    );
}

#[test]
fn evaluate_field_returns_the_value() {
    let value = parse("$states.input.flag")
        .unwrap()
        .evaluate_field("Condition", &states(json!({"flag": true})))
        .unwrap();
    assert_eq!(value, json!(true));
}

#[test]
fn unexpected_type_names_both_types_and_the_value() {
    let expression = parse("$states.input.name").unwrap();
    let error = expression.unexpected_type("Condition", "boolean", &json!("x"));
    assert_eq!(error.error, QUERY_EVALUATION_ERROR);
    assert_eq!(
        error.cause,
        "The JSONata expression '$states.input.name' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was 'string' for value: \"x\""
    );
}

#[test]
fn deep_recursion_fails_as_a_stack_overflow() {
    let cause = failure("($f := function($n) { 1 + $f($n + 1) }; $f(0))").cause;
    assert!(cause.contains("D1011"), "{cause}");
}

#[test]
fn recursion_two_thousand_calls_deep_is_allowed() {
    assert_eq!(
        value("($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(2000))"),
        json!(2000)
    );
}

#[test]
fn expressions_compare_and_print_by_their_text() {
    assert_eq!(parse("1 + 1").unwrap(), parse("{% 1 + 1 %}").unwrap());
    assert_ne!(parse("1 + 1").unwrap(), parse("1 + 2").unwrap());
    assert_eq!(
        format!("{:?}", parse("1 + 1").unwrap()),
        "Expression(\"1 + 1\")"
    );
}
