//! Choice Rules (States Language, "Choice Rules"): boolean expressions over the state's input.

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::parse::{choice_branch_extras, jsonata_field, make_branch};
use super::reader::{Diagnostics, Fields, schema};
use super::{ChoiceBranch, JsonataField, QueryLanguage};
use crate::path::Path;

#[derive(Debug, Clone)]
pub enum ChoiceRule {
    /// JSONata: an expression that must evaluate to a boolean.
    Condition(JsonataField),
    And(Vec<ChoiceRule>),
    Or(Vec<ChoiceRule>),
    Not(Box<ChoiceRule>),
    Compare(Comparison),
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub variable: Path,
    pub operator: Operator,
    pub operand: Operand,
}

#[derive(Debug, Clone)]
pub enum Operand {
    Literal(Value),
    /// The `...Path` forms: compare against another value of the input.
    Path(Path),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

/// What kind of literal an operator compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OperandKind {
    String,
    Number,
    Boolean,
    Timestamp,
}

const OPERATORS: [(&str, Operator, bool); 23] = [
    ("StringEquals", Operator::StringEquals, true),
    ("StringLessThan", Operator::StringLessThan, true),
    ("StringGreaterThan", Operator::StringGreaterThan, true),
    ("StringLessThanEquals", Operator::StringLessThanEquals, true),
    (
        "StringGreaterThanEquals",
        Operator::StringGreaterThanEquals,
        true,
    ),
    ("StringMatches", Operator::StringMatches, false),
    ("NumericEquals", Operator::NumericEquals, true),
    ("NumericLessThan", Operator::NumericLessThan, true),
    ("NumericGreaterThan", Operator::NumericGreaterThan, true),
    (
        "NumericLessThanEquals",
        Operator::NumericLessThanEquals,
        true,
    ),
    (
        "NumericGreaterThanEquals",
        Operator::NumericGreaterThanEquals,
        true,
    ),
    ("BooleanEquals", Operator::BooleanEquals, true),
    ("TimestampEquals", Operator::TimestampEquals, true),
    ("TimestampLessThan", Operator::TimestampLessThan, true),
    ("TimestampGreaterThan", Operator::TimestampGreaterThan, true),
    (
        "TimestampLessThanEquals",
        Operator::TimestampLessThanEquals,
        true,
    ),
    (
        "TimestampGreaterThanEquals",
        Operator::TimestampGreaterThanEquals,
        true,
    ),
    ("IsNull", Operator::IsNull, false),
    ("IsPresent", Operator::IsPresent, false),
    ("IsNumeric", Operator::IsNumeric, false),
    ("IsString", Operator::IsString, false),
    ("IsBoolean", Operator::IsBoolean, false),
    ("IsTimestamp", Operator::IsTimestamp, false),
];

impl Operator {
    fn operand_kind(self) -> OperandKind {
        use Operator::*;
        match self {
            StringEquals
            | StringLessThan
            | StringGreaterThan
            | StringLessThanEquals
            | StringGreaterThanEquals
            | StringMatches => OperandKind::String,
            NumericEquals
            | NumericLessThan
            | NumericGreaterThan
            | NumericLessThanEquals
            | NumericGreaterThanEquals => OperandKind::Number,
            TimestampEquals
            | TimestampLessThan
            | TimestampGreaterThan
            | TimestampLessThanEquals
            | TimestampGreaterThanEquals => OperandKind::Timestamp,
            BooleanEquals | IsNull | IsPresent | IsNumeric | IsString | IsBoolean | IsTimestamp => {
                OperandKind::Boolean
            }
        }
    }
}

/// A top-level rule of the Choices array: it carries `Next` (and may assign variables).
pub(crate) fn top_level_rule(
    value: &Value,
    location: &str,
    language: QueryLanguage,
    d: &mut Diagnostics,
) -> Option<ChoiceBranch> {
    let mut fields = Fields::new(value, location, d)?;
    let next = fields.required_string("Next", d).map(str::to_owned);
    let extras = choice_branch_extras(&mut fields, language, d);
    let rule = match language {
        QueryLanguage::JsonPath => rule_fields(&mut fields, d),
        QueryLanguage::Jsonata => {
            fields.value("Comment");
            if !fields.has("Condition") {
                d.push(schema(
                    fields.location(),
                    "the field 'Condition' is required",
                ));
            }
            jsonata_field(&mut fields, "Condition", d).map(ChoiceRule::Condition)
        }
    };
    fields.finish(d);
    Some(make_branch(rule?, next?, extras))
}

fn nested_rule(value: &Value, location: &str, d: &mut Diagnostics) -> Option<ChoiceRule> {
    let mut fields = Fields::new(value, location, d)?;
    if fields.has("Next") {
        d.push(schema(
            &fields.at("Next"),
            "a nested Choice Rule must not have 'Next'",
        ));
        fields.value("Next");
    }
    let rule = rule_fields(&mut fields, d);
    fields.finish(d);
    rule
}

fn rule_fields(fields: &mut Fields, d: &mut Diagnostics) -> Option<ChoiceRule> {
    fields.value("Comment");
    let location = fields.location().to_owned();
    let mut rules = Vec::new();
    for key in ["And", "Or"] {
        if let Some(items) = fields.array(key, d) {
            if items.is_empty() {
                d.push(schema(
                    &fields.at(key),
                    "must hold at least one Choice Rule",
                ));
            }
            let at = fields.at(key);
            let nested: Vec<ChoiceRule> = items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| nested_rule(item, &format!("{at}/{i}"), d))
                .collect();
            rules.push(if key == "And" {
                ChoiceRule::And(nested)
            } else {
                ChoiceRule::Or(nested)
            });
        }
    }
    if let Some(value) = fields.value("Not") {
        let at = fields.at("Not");
        if let Some(rule) = nested_rule(value, &at, d) {
            rules.push(ChoiceRule::Not(Box::new(rule)));
        }
    }
    let mut comparisons = Vec::new();
    for (name, operator, has_path_form) in OPERATORS {
        if let Some(value) = fields.value(name) {
            comparisons.push((
                name.to_owned(),
                operator,
                literal(operator, value, &fields.at(name), d),
            ));
        }
        let path_name = format!("{name}Path");
        if has_path_form && fields.has(&path_name) {
            let operand = fields.path(&path_name, d).map(Operand::Path);
            comparisons.push((path_name, operator, operand));
        }
    }
    let variable = fields.path("Variable", d);
    match (rules.len(), comparisons.len()) {
        (1, 0) => {
            if fields.has("Variable") {
                d.push(schema(
                    &fields.at("Variable"),
                    "And, Or and Not take no 'Variable'",
                ));
            }
            rules.pop()
        }
        (0, 1) => {
            let (_, operator, operand) = comparisons.pop()?;
            if !fields.has("Variable") {
                d.push(schema(&location, "a comparison needs a 'Variable'"));
            }
            Some(ChoiceRule::Compare(Comparison {
                variable: variable?,
                operator,
                operand: operand?,
            }))
        }
        (0, 0) => {
            d.push(schema(
                &location,
                "a Choice Rule needs exactly one comparison operator, or And, Or or Not",
            ));
            None
        }
        _ => {
            d.push(schema(
                &location,
                "a Choice Rule may hold only one comparison operator, or one of And, Or, Not",
            ));
            None
        }
    }
}

fn literal(operator: Operator, value: &Value, at: &str, d: &mut Diagnostics) -> Option<Operand> {
    let valid = match operator.operand_kind() {
        OperandKind::String => value.is_string(),
        OperandKind::Number => value.is_number(),
        OperandKind::Boolean => value.is_boolean(),
        OperandKind::Timestamp => value
            .as_str()
            .is_some_and(|text| OffsetDateTime::parse(text, &Rfc3339).is_ok()),
    };
    if !valid {
        let expected = match operator.operand_kind() {
            OperandKind::String => "a string",
            OperandKind::Number => "a number",
            OperandKind::Boolean => "a boolean",
            OperandKind::Timestamp => "an RFC 3339 timestamp string",
        };
        d.push(schema(at, &format!("must be {expected}")));
        return None;
    }
    Some(Operand::Literal(value.clone()))
}
