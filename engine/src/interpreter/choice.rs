//! Choice: the first rule that matches names the next state; otherwise Default, otherwise
//! States.NoChoiceMatched.

use std::cmp::Ordering;

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Cx, Step, Stopped, io};
use crate::definition::{ChoiceRule, ChoiceState, Comparison, Operand, Operator};
use crate::error::{StatesError, names};
use crate::path::Sources;

pub fn run(cx: &Cx, state: &ChoiceState, raw_input: Value) -> Result<Step, Stopped> {
    let context = cx.context(0);
    let input = io::input_path(&state.filters, &cx.sources(&raw_input, &context))?;
    let bindings = cx.input_bindings(&raw_input, &context);
    let sources = cx.sources(&input, &context);
    let mut chosen = None;
    for branch in &state.choices {
        if evaluate(&branch.rule, &sources, &bindings)? {
            chosen = Some(branch);
            break;
        }
    }
    let (next, assign, output) = match (chosen, &state.default) {
        (Some(branch), _) => (
            branch.next.clone(),
            branch.assign.as_ref().or(cx.state.assign.as_ref()),
            branch.output.as_ref().or(cx.state.output.as_ref()),
        ),
        (None, Some(default)) => (
            default.clone(),
            cx.state.assign.as_ref(),
            cx.state.output.as_ref(),
        ),
        (None, None) => {
            return Err(Stopped::Failed(StatesError::new(
                names::NO_CHOICE_MATCHED,
                format!("No Matches! Input: {input}"),
            )));
        }
    };
    let assigned = cx.assign(assign, &input, &context, &bindings)?;
    let output = if cx.is_jsonata() {
        cx.output(output, &bindings, raw_input)?
    } else {
        io::output_path(&state.filters, &sources)?
    };
    Ok(Step {
        output,
        next: Some(next),
        assigned,
    })
}

pub fn evaluate(
    rule: &ChoiceRule,
    sources: &Sources,
    bindings: &Map<String, Value>,
) -> Result<bool, StatesError> {
    match rule {
        ChoiceRule::Condition(condition) => match condition.evaluate(bindings)? {
            Value::Bool(flag) => Ok(flag),
            other => Err(condition.type_error("boolean", &other).into()),
        },
        ChoiceRule::And(rules) => {
            for rule in rules {
                if !evaluate(rule, sources, bindings)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        ChoiceRule::Or(rules) => {
            for rule in rules {
                if evaluate(rule, sources, bindings)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        ChoiceRule::Not(rule) => Ok(!evaluate(rule, sources, bindings)?),
        ChoiceRule::Compare(comparison) => compare(comparison, sources),
    }
}

fn compare(comparison: &Comparison, sources: &Sources) -> Result<bool, StatesError> {
    let value = comparison.variable.select(sources);
    if comparison.operator == Operator::IsPresent {
        let wanted = matches!(comparison.operand, Operand::Literal(Value::Bool(true)));
        return Ok(value.is_some() == wanted);
    }
    let Some(value) = value else {
        return Err(invalid_path(comparison.variable.as_str()));
    };
    let operand = match &comparison.operand {
        Operand::Literal(literal) => literal.clone(),
        Operand::Path(path) => path
            .select(sources)
            .ok_or_else(|| invalid_path(path.as_str()))?,
    };
    Ok(test(comparison.operator, &value, &operand))
}

fn invalid_path(path: &str) -> StatesError {
    StatesError::runtime(format!(
        "Invalid path '{path}': The choice state's condition path references an invalid value."
    ))
}

/// One comparison; values of the wrong type never match (they are not an error).
fn test(operator: Operator, value: &Value, operand: &Value) -> bool {
    use Operator::*;
    let is = |flag: bool| operand.as_bool() == Some(flag);
    match operator {
        StringEquals => strings(value, operand, |o| o == Ordering::Equal),
        StringLessThan => strings(value, operand, |o| o == Ordering::Less),
        StringGreaterThan => strings(value, operand, |o| o == Ordering::Greater),
        StringLessThanEquals => strings(value, operand, |o| o != Ordering::Greater),
        StringGreaterThanEquals => strings(value, operand, |o| o != Ordering::Less),
        StringMatches => match (value.as_str(), operand.as_str()) {
            (Some(text), Some(pattern)) => wildcard_match(pattern, text),
            _ => false,
        },
        NumericEquals => numbers(value, operand, |o| o == Ordering::Equal),
        NumericLessThan => numbers(value, operand, |o| o == Ordering::Less),
        NumericGreaterThan => numbers(value, operand, |o| o == Ordering::Greater),
        NumericLessThanEquals => numbers(value, operand, |o| o != Ordering::Greater),
        NumericGreaterThanEquals => numbers(value, operand, |o| o != Ordering::Less),
        BooleanEquals => value.is_boolean() && value == operand,
        TimestampEquals => timestamps(value, operand, |o| o == Ordering::Equal),
        TimestampLessThan => timestamps(value, operand, |o| o == Ordering::Less),
        TimestampGreaterThan => timestamps(value, operand, |o| o == Ordering::Greater),
        TimestampLessThanEquals => timestamps(value, operand, |o| o != Ordering::Greater),
        TimestampGreaterThanEquals => timestamps(value, operand, |o| o != Ordering::Less),
        IsNull => is(value.is_null()),
        IsNumeric => is(value.is_number()),
        IsString => is(value.is_string()),
        IsBoolean => is(value.is_boolean()),
        IsTimestamp => is(timestamp(value).is_some()),
        IsPresent => is(true),
    }
}

fn strings(value: &Value, operand: &Value, accept: impl Fn(Ordering) -> bool) -> bool {
    match (value.as_str(), operand.as_str()) {
        (Some(a), Some(b)) => accept(a.cmp(b)),
        _ => false,
    }
}

fn numbers(value: &Value, operand: &Value, accept: impl Fn(Ordering) -> bool) -> bool {
    if let (Some(a), Some(b)) = (value.as_i64(), operand.as_i64()) {
        return accept(a.cmp(&b));
    }
    match (value.as_f64(), operand.as_f64()) {
        (Some(a), Some(b)) => a.partial_cmp(&b).is_some_and(accept),
        _ => false,
    }
}

fn timestamps(value: &Value, operand: &Value, accept: impl Fn(Ordering) -> bool) -> bool {
    match (timestamp(value), timestamp(operand)) {
        (Some(a), Some(b)) => accept(a.cmp(&b)),
        _ => false,
    }
}

fn timestamp(value: &Value) -> Option<OffsetDateTime> {
    let text = value.as_str()?;
    // RFC 3339 allows a lowercase t and z; the States Language requires them uppercase.
    if text.contains(['t', 'z']) {
        return None;
    }
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// StringMatches: `*` matches any run of characters; `\*` is a literal star and `\\` a
/// literal backslash.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    enum Token {
        Literal(char),
        Star,
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => tokens.push(Token::Literal(chars.next().unwrap_or('\\'))),
            '*' => tokens.push(Token::Star),
            other => tokens.push(Token::Literal(other)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Classic greedy matching with backtracking to the last star.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Token::Literal(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(Token::Star) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(|token| matches!(token, Token::Star))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_runs_of_characters() {
        assert!(wildcard_match("log-*.txt", "log-2024.txt"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*b*c", "aXbYbc"));
        assert!(!wildcard_match("log-*.txt", "log-2024.csv"));
        assert!(wildcard_match("a\\*b", "a*b"));
        assert!(!wildcard_match("a\\*b", "axb"));
        assert!(wildcard_match("a\\\\b", "a\\b"));
    }

    #[test]
    fn mismatched_types_do_not_match() {
        assert!(!test(
            Operator::StringEquals,
            &Value::from(1),
            &Value::from("1")
        ));
        assert!(!test(
            Operator::NumericEquals,
            &Value::from("1"),
            &Value::from(1)
        ));
        assert!(test(
            Operator::NumericEquals,
            &Value::from(1),
            &Value::from(1.0)
        ));
    }

    #[test]
    fn a_lowercase_t_or_z_is_not_a_timestamp() {
        for text in ["2024-01-01t00:00:00Z", "2024-01-01T00:00:00z"] {
            assert!(!test(
                Operator::IsTimestamp,
                &Value::from(text),
                &Value::Bool(true)
            ));
        }
    }

    #[test]
    fn timestamps_compare_as_instants() {
        assert!(test(
            Operator::TimestampEquals,
            &Value::from("2024-01-01T01:00:00+01:00"),
            &Value::from("2024-01-01T00:00:00Z")
        ));
    }
}
