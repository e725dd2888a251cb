use serde_json::{Map, Value};

use super::error::JsonataError;
use super::expression::{Expression, expression_text, parse_in_field};
use super::values::{self, Scope};

/// A JSON template whose expressions are parsed once, for fields evaluated on
/// every visit of a state.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    root: Node,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Literal(Value),
    Expression(Expression),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
}

impl Template {
    /// Parses every expression in `template`; a parse error names its place.
    pub fn parse(template: &Value) -> Result<Self, JsonataError> {
        Self::parse_field("", template)
    }

    /// Like [`Template::parse`], naming places from the state field `field`
    /// (`Output`, `Arguments`, ...), as the validation error should.
    pub fn parse_field(field: &str, template: &Value) -> Result<Self, JsonataError> {
        Ok(Template {
            root: Node::parse(template, field)?,
        })
    }

    pub fn evaluate(&self, bindings: &Map<String, Value>) -> Result<Value, JsonataError> {
        self.evaluate_field("", bindings)
    }

    /// Evaluates the template held by the state field `field`, so that a
    /// failure's cause reads as Step Functions writes it:
    /// `The JSONata expression '...' specified for the field 'Output/v' ...`.
    pub fn evaluate_field(
        &self,
        field: &str,
        bindings: &Map<String, Value>,
    ) -> Result<Value, JsonataError> {
        self.root.evaluate(&values::scope(bindings), field)
    }
}

impl Node {
    fn parse(template: &Value, place: &str) -> Result<Self, JsonataError> {
        Ok(match template {
            Value::String(s) => match expression_text(s) {
                Some(source) => Node::Expression(parse_in_field(source, place)?),
                None => Node::Literal(template.clone()),
            },
            Value::Object(fields) => Node::Object(
                fields
                    .iter()
                    .map(|(key, value)| {
                        Ok((key.clone(), Node::parse(value, &key_place(place, key))?))
                    })
                    .collect::<Result<_, JsonataError>>()?,
            ),
            Value::Array(items) => Node::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| Node::parse(item, &index_place(place, index)))
                    .collect::<Result<_, _>>()?,
            ),
            _ => Node::Literal(template.clone()),
        })
    }

    fn evaluate(&self, scope: &Scope, place: &str) -> Result<Value, JsonataError> {
        Ok(match self {
            Node::Literal(value) => value.clone(),
            Node::Expression(expression) => expression
                .evaluate_in(scope, place)?
                .ok_or_else(|| JsonataError::returned_nothing(expression.source(), place))?,
            Node::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(key, node)| {
                        Ok((key.clone(), node.evaluate(scope, &key_place(place, key))?))
                    })
                    .collect::<Result<_, JsonataError>>()?,
            ),
            Node::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, node)| node.evaluate(scope, &index_place(place, index)))
                    .collect::<Result<_, _>>()?,
            ),
        })
    }
}

fn key_place(place: &str, key: &str) -> String {
    if place.is_empty() {
        key.to_string()
    } else {
        format!("{place}/{key}")
    }
}

fn index_place(place: &str, index: usize) -> String {
    format!("{place}[{index}]")
}
