use serde_json::{Map, Value, json};

use super::super::{JsonataError, Template, error::QUERY_EVALUATION_ERROR};
use super::states;

/// Parses and evaluates `template` in one go, as a state field is on its first visit.
fn evaluate_template(
    template: &Value,
    bindings: &Map<String, Value>,
) -> Result<Value, JsonataError> {
    Template::parse(template)?.evaluate(bindings)
}

#[test]
fn expressions_anywhere_in_the_template_are_replaced() {
    let template = json!({
        "static": "Hello",
        "title": "{% $states.input.title %}",
        "list": [1, "{% $states.input.n + 1 %}", {"deep": "{% $uppercase($states.input.title) %}"}],
        "flag": true,
        "nothing": null
    });
    let result = evaluate_template(&template, &states(json!({"title": "Doctor", "n": 1}))).unwrap();
    assert_eq!(
        result,
        json!({
            "static": "Hello",
            "title": "Doctor",
            "list": [1, 2, {"deep": "DOCTOR"}],
            "flag": true,
            "nothing": null
        })
    );
}

#[test]
fn a_whole_string_template_is_one_expression() {
    let result = evaluate_template(&json!("{% {'a': 1} %}"), &states(json!({}))).unwrap();
    assert_eq!(result, json!({"a": 1}));
}

#[test]
fn strings_that_only_look_like_expressions_stay_literal() {
    let template = json!({"a": " {% 1 %}", "b": "$states.input", "c": "{% 1"});
    assert_eq!(
        evaluate_template(&template, &states(json!({}))).unwrap(),
        template
    );
}

#[test]
fn an_undefined_field_fails_with_its_place() {
    let template = json!({"a": {"b": ["x", "{% $states.input.missing %}"]}});
    let error = evaluate_template(&template, &states(json!({}))).unwrap_err();
    assert_eq!(error.error, QUERY_EVALUATION_ERROR);
    assert_eq!(
        error.cause,
        "The JSONata expression '$states.input.missing' specified for the field 'a/b[1]' returned nothing (undefined)."
    );
}

#[test]
fn the_state_field_prefixes_the_place() {
    let template = Template::parse_field(
        "Arguments",
        &json!({"Input": {"name": "{% $states.input.name %}"}}),
    )
    .unwrap();
    let error = template
        .evaluate_field("Arguments", &states(json!({})))
        .unwrap_err();
    assert_eq!(
        error.cause,
        "The JSONata expression '$states.input.name' specified for the field 'Arguments/Input/name' returned nothing (undefined)."
    );
}

#[test]
fn an_undefined_whole_field_names_the_field() {
    let template = Template::parse(&json!("{% $states.input.missing %}")).unwrap();
    let error = template
        .evaluate_field("Output", &states(json!({})))
        .unwrap_err();
    assert_eq!(
        error.cause,
        "The JSONata expression '$states.input.missing' specified for the field 'Output' returned nothing (undefined)."
    );
}

#[test]
fn an_evaluation_error_names_the_field() {
    let template = Template::parse(&json!({"v": "{% $states.input.s + 1 %}"})).unwrap();
    let error = template
        .evaluate_field("Output", &states(json!({"s": "x"})))
        .unwrap_err();
    assert!(
        error.cause.starts_with(
            "The JSONata expression '$states.input.s + 1' specified for the field 'Output/v' threw an error during evaluation. T2001"
        ),
        "{}",
        error.cause
    );
}

#[test]
fn a_parse_error_names_its_place() {
    let error = Template::parse_field("Output", &json!({"v": ["{% 1 + %}"]})).unwrap_err();
    assert!(
        error.cause.starts_with(
            "The JSONata expression '1 +' specified for the field 'Output/v[0]' is invalid."
        ),
        "{}",
        error.cause
    );
}

#[test]
fn a_parsed_template_is_reused_with_new_bindings() {
    let template = Template::parse(&json!({"double": "{% $states.input * 2 %}"})).unwrap();
    assert_eq!(
        template.evaluate(&states(json!(2))).unwrap(),
        json!({"double": 4})
    );
    assert_eq!(
        template.evaluate(&states(json!(5))).unwrap(),
        json!({"double": 10})
    );
}

#[test]
fn null_from_an_expression_is_kept() {
    let result = evaluate_template(&json!({"a": "{% null %}"}), &states(json!({}))).unwrap();
    assert_eq!(result, json!({"a": null}));
}
