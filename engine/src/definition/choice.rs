//! Choice State (States Language, "Choice State", "Choice Rules"): sends the execution to the
//! `Next` of the first Choice Rule that matches its input, or to its Default. A JSONPath rule
//! compares a value of the input; a JSONata rule is a Condition expression.

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::fields::{Assign, Filters, JsonataField};
use super::reader::Fields;
use crate::path::Path;

#[derive(Debug, Clone)]
pub struct ChoiceState {
    pub filters: Filters,
    pub choices: Vec<ChoiceBranch>,
    pub default: Option<String>,
}

/// A top-level rule of the Choices array, with what it does when it matches.
#[derive(Debug, Clone)]
pub struct ChoiceBranch {
    pub rule: ChoiceRule,
    pub next: String,
    pub assign: Option<Assign>,
    pub output: Option<JsonataField>,
}

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

/// The Choice state's fields (States Language, "Choice State"): a non-empty Choices array of
/// Choice Rules (States Language, "Choice Rules"; AWS developer guide, "Choice workflow state"
/// for JSONata's Condition), an optional Default, and no Next or End.
pub(crate) fn parse(fields: &mut Fields) -> Option<ChoiceState> {
    let at = fields.at("Choices");
    let mut choices = Vec::new();
    match fields.array("Choices") {
        Some(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                if let Some(branch) = fields
                    .object(item, format!("{at}/{i}"))
                    .and_then(top_level_rule)
                {
                    choices.push(branch);
                }
            }
        }
        Some(_) => fields.report(&at, "must hold at least one Choice Rule"),
        None => {
            if !fields.has("Choices") {
                fields.report_here("the field 'Choices' is required");
            }
        }
    }
    fields.refuse(
        &["Next", "End"],
        "a Choice state must not have 'Next' or 'End'",
    );
    Some(ChoiceState {
        filters: fields.filters(),
        choices,
        default: fields.string("Default").map(str::to_owned),
    })
}

/// A top-level rule of the Choices array: it carries `Next` (and may assign variables).
fn top_level_rule(mut fields: Fields) -> Option<ChoiceBranch> {
    let next = fields.required_string("Next").map(str::to_owned);
    let assign = fields.assign();
    let output = fields.output();
    let rule = if fields.is_jsonata() {
        fields.value("Comment");
        if !fields.has("Condition") {
            fields.report_here("the field 'Condition' is required");
        }
        fields.jsonata("Condition").map(ChoiceRule::Condition)
    } else {
        rule_fields(&mut fields)
    };
    fields.finish();
    Some(ChoiceBranch {
        rule: rule?,
        next: next?,
        assign,
        output,
    })
}

fn nested_rule(mut fields: Fields) -> Option<ChoiceRule> {
    if fields.has("Next") {
        fields.report(
            &fields.at("Next"),
            "a nested Choice Rule must not have 'Next'",
        );
        fields.value("Next");
    }
    let rule = rule_fields(&mut fields);
    fields.finish();
    rule
}

fn rule_fields(fields: &mut Fields) -> Option<ChoiceRule> {
    fields.value("Comment");
    let mut rules = Vec::new();
    for key in ["And", "Or"] {
        if let Some(items) = fields.array(key) {
            let at = fields.at(key);
            if items.is_empty() {
                fields.report(&at, "must hold at least one Choice Rule");
            }
            let nested: Vec<ChoiceRule> = items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    fields
                        .object(item, format!("{at}/{i}"))
                        .and_then(nested_rule)
                })
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
        if let Some(rule) = fields.object(value, at).and_then(nested_rule) {
            rules.push(ChoiceRule::Not(Box::new(rule)));
        }
    }
    let mut comparisons = Vec::new();
    for (name, operator, has_path_form) in OPERATORS {
        if let Some(value) = fields.value(name) {
            let at = fields.at(name);
            let operand = literal(fields, operator, value, &at);
            comparisons.push((operator, operand));
        }
        let path_name = format!("{name}Path");
        if has_path_form && fields.has(&path_name) {
            let operand = fields.path(&path_name).map(Operand::Path);
            comparisons.push((operator, operand));
        }
    }
    let variable = fields.path("Variable");
    match (rules.len(), comparisons.len()) {
        (1, 0) => {
            if fields.has("Variable") {
                fields.report(&fields.at("Variable"), "And, Or and Not take no 'Variable'");
            }
            rules.pop()
        }
        (0, 1) => {
            let (operator, operand) = comparisons.pop()?;
            if !fields.has("Variable") {
                fields.report_here("a comparison needs a 'Variable'");
            }
            Some(ChoiceRule::Compare(Comparison {
                variable: variable?,
                operator,
                operand: operand?,
            }))
        }
        (0, 0) => {
            fields.report_here(
                "a Choice Rule needs exactly one comparison operator, or And, Or or Not",
            );
            None
        }
        _ => {
            fields.report_here(
                "a Choice Rule may hold only one comparison operator, or one of And, Or, Not",
            );
            None
        }
    }
}

fn literal(fields: &mut Fields, operator: Operator, value: &Value, at: &str) -> Option<Operand> {
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
        fields.report(at, &format!("must be {expected}"));
        return None;
    }
    Some(Operand::Literal(value.clone()))
}
