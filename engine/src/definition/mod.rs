//! The typed model of a state machine definition, parsed and validated from its JSON.

mod choice;
mod diagnostic;
mod handling;
mod parse;
pub(crate) mod reader;
mod validate;

use std::collections::HashMap;

use serde_json::{Map, Value};
use time::OffsetDateTime;

pub use choice::{ChoiceRule, Comparison, Operand, Operator};
pub use diagnostic::{Diagnostic, InvalidDefinition, Severity, codes};
pub use handling::{Catcher, JitterStrategy, Retrier, matches as matches_error};

use crate::jsonata::{self, JsonataError};
use crate::path::{Path, ReferencePath};
use crate::template::Template;

/// A parsed and validated state machine definition.
#[derive(Debug, Clone)]
pub struct StateMachine {
    /// The definition's Comment.
    pub comment: Option<String>,
    /// The definition's TimeoutSeconds.
    pub timeout_seconds: Option<u64>,
    /// Its states and where they start.
    pub states: States,
}

/// A set of states with its start: the whole machine, or one branch of a Parallel or Map.
#[derive(Debug, Clone)]
pub struct States {
    pub start_at: String,
    pub states: HashMap<String, State>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryLanguage {
    JsonPath,
    Jsonata,
}

#[derive(Debug, Clone)]
pub struct State {
    pub name: String,
    pub comment: Option<String>,
    pub query_language: QueryLanguage,
    /// Variables the state sets when it completes.
    pub assign: Option<Assign>,
    /// JSONata only: the state's output (default: its result, or its input).
    pub output: Option<JsonataField>,
    pub kind: StateKind,
    /// Whether any of the state's fields may read the context object: a JSONPath state that
    /// names no `$$` anywhere cannot, and skips building it.
    pub reads_context: bool,
}

#[derive(Debug, Clone)]
pub enum Assign {
    /// JSONPath states: a payload template (`x.$` keys take paths).
    Paths(Template),
    Jsonata(JsonataField),
}

/// A JSON value holding `{% %}` expressions, with the name of the field it sits in (errors
/// name it).
#[derive(Debug, Clone)]
pub struct JsonataField {
    pub field: String,
    pub template: jsonata::Template,
    /// The expression, when the whole field is one `{% %}` string (type errors quote it).
    pub expression: Option<jsonata::Expression>,
}

impl JsonataField {
    pub fn evaluate(&self, bindings: &Map<String, Value>) -> Result<Value, JsonataError> {
        self.template.evaluate_field(&self.field, bindings)
    }

    /// The error for a value of the wrong JSON type (`expected` is a JSONata type name).
    pub fn type_error(&self, expected: &str, value: &Value) -> JsonataError {
        match &self.expression {
            Some(expression) => expression.unexpected_type(&self.field, expected, value),
            None => JsonataError {
                error: crate::error::names::QUERY_EVALUATION_ERROR.to_owned(),
                cause: format!(
                    "The value specified for the field '{}' has an unexpected type. Expected '{expected}', but was: {value}",
                    self.field
                ),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Next(String),
    End,
}

/// InputPath and OutputPath: `None` means the field was `null` (an empty object `{}`).
#[derive(Debug, Clone)]
pub struct Filters {
    pub input_path: Option<Path>,
    pub output_path: Option<Path>,
}

#[derive(Debug, Clone)]
pub enum StateKind {
    Pass(PassState),
    Task(Box<TaskState>),
    Choice(ChoiceState),
    Wait(WaitState),
    Succeed(SucceedState),
    Fail(FailState),
    Parallel(Box<ParallelState>),
    Map(Box<MapState>),
}

impl StateKind {
    /// The types of the history events AWS records on entering and leaving a state of this
    /// kind (`PassStateEntered`, `PassStateExited`, ...).
    pub fn event_types(&self) -> (&'static str, &'static str) {
        match self {
            StateKind::Pass(_) => ("PassStateEntered", "PassStateExited"),
            StateKind::Task(_) => ("TaskStateEntered", "TaskStateExited"),
            StateKind::Choice(_) => ("ChoiceStateEntered", "ChoiceStateExited"),
            StateKind::Wait(_) => ("WaitStateEntered", "WaitStateExited"),
            StateKind::Succeed(_) => ("SucceedStateEntered", "SucceedStateExited"),
            StateKind::Fail(_) => ("FailStateEntered", "FailStateExited"),
            StateKind::Parallel(_) => ("ParallelStateEntered", "ParallelStateExited"),
            StateKind::Map(_) => ("MapStateEntered", "MapStateExited"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct PassState {
    pub filters: Filters,
    pub parameters: Option<Template>,
    pub result: Option<Value>,
    /// `None` means `"ResultPath": null`: the result is discarded.
    pub result_path: Option<ReferencePath>,
    pub transition: Transition,
}

/// The processing a Task, Parallel or Map state shares around its work.
#[derive(Debug, Clone)]
pub struct Processing {
    pub filters: Filters,
    /// JSONPath: Parameters (for a Map, its legacy name for ItemSelector).
    pub parameters: Option<Template>,
    /// JSONata: Arguments.
    pub arguments: Option<JsonataField>,
    pub result_selector: Option<Template>,
    pub result_path: Option<ReferencePath>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub transition: Transition,
}

#[derive(Debug, Clone)]
pub struct TaskState {
    pub processing: Processing,
    pub resource: String,
    pub timeout: Option<Seconds>,
    pub heartbeat: Option<Seconds>,
}

/// A number of seconds given literally, by a path into the state's input, or by JSONata.
#[derive(Debug, Clone)]
pub enum Seconds {
    Literal(u64),
    Path(Path),
    Expression(JsonataField),
}

#[derive(Debug, Clone)]
pub struct ChoiceState {
    pub filters: Filters,
    pub choices: Vec<ChoiceBranch>,
    pub default: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ChoiceBranch {
    pub rule: ChoiceRule,
    pub next: String,
    pub assign: Option<Assign>,
    pub output: Option<JsonataField>,
}

#[derive(Debug, Clone)]
pub struct WaitState {
    pub filters: Filters,
    pub until: WaitUntil,
    pub transition: Transition,
}

#[derive(Debug, Clone)]
pub enum WaitUntil {
    Seconds(Seconds),
    Timestamp(OffsetDateTime),
    TimestampPath(Path),
    TimestampExpression(JsonataField),
}

#[derive(Debug, Clone)]
pub struct SucceedState {
    pub filters: Filters,
}

#[derive(Debug, Clone)]
pub struct FailState {
    pub error: Option<FailField>,
    pub cause: Option<FailField>,
}

#[derive(Debug, Clone)]
pub enum FailField {
    Literal(String),
    Path(Path),
    Intrinsic(String),
    Expression(JsonataField),
}

#[derive(Debug, Clone)]
pub struct ParallelState {
    pub processing: Processing,
    pub branches: Vec<States>,
}

#[derive(Debug, Clone)]
pub struct MapState {
    pub processing: Processing,
    pub items_path: Option<Path>,
    pub items: Option<JsonataField>,
    pub item_selector: Option<ItemSelector>,
    pub processor: States,
    pub max_concurrency: Option<Seconds>,
    pub tolerated_failure_count: Option<Seconds>,
    pub tolerated_failure_percentage: Option<Tolerance>,
    pub item_batcher: Option<ItemBatcher>,
}

/// What each item becomes before its iteration runs (JSONPath: ItemSelector or the legacy
/// Parameters).
#[derive(Debug, Clone)]
pub enum ItemSelector {
    Paths(Template),
    Jsonata(JsonataField),
}

/// ToleratedFailurePercentage: literal or by path (it may be fractional).
#[derive(Debug, Clone)]
pub enum Tolerance {
    Literal(f64),
    Path(Path),
    Expression(JsonataField),
}

#[derive(Debug, Clone)]
pub struct ItemBatcher {
    pub max_items_per_batch: Option<u64>,
    pub max_input_bytes_per_batch: Option<u64>,
    pub batch_input: Option<Value>,
}

impl StateMachine {
    /// Parses and validates a definition given as JSON text.
    pub fn from_json(text: &str) -> Result<Self, InvalidDefinition> {
        let value: Value = serde_json::from_str(text).map_err(|error| InvalidDefinition {
            diagnostics: vec![Diagnostic::error(
                codes::INVALID_JSON_DESCRIPTION,
                "/",
                format!("the definition is not valid JSON: {error}"),
            )],
        })?;
        Self::from_value(&value)
    }

    /// Parses and validates a definition.
    pub fn from_value(value: &Value) -> Result<Self, InvalidDefinition> {
        let mut diagnostics = Vec::new();
        let machine = parse::state_machine(value, &mut diagnostics);
        if let Some(machine) = &machine {
            validate::transitions(&machine.states, "", &mut diagnostics);
            validate::unique_names(&machine.states, &mut diagnostics);
        }
        match machine {
            Some(machine) if diagnostics.is_empty() => Ok(machine),
            _ => Err(InvalidDefinition { diagnostics }),
        }
    }
}
