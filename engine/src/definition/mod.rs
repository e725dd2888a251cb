//! The typed model of a state machine definition, parsed and validated from its JSON.

mod choice;
mod diagnostic;
mod handling;
mod parse;
pub(crate) mod reader;
mod validate;

use std::collections::HashMap;

use serde_json::Value;
use time::OffsetDateTime;

pub use choice::{ChoiceRule, Comparison, Operand, Operator};
pub use diagnostic::{Diagnostic, InvalidDefinition, Severity, codes};
pub use handling::{Catcher, JitterStrategy, Retrier, matches as matches_error};

use crate::path::{Path, ReferencePath};
use crate::template::Template;

#[derive(Debug, Clone)]
pub struct StateMachine {
    pub comment: Option<String>,
    pub timeout_seconds: Option<u64>,
    pub states: States,
}

/// A set of states with its start: the whole machine, or one branch of a Parallel or Map.
#[derive(Debug, Clone)]
pub struct States {
    pub start_at: String,
    pub states: HashMap<String, State>,
}

#[derive(Debug, Clone)]
pub struct State {
    pub name: String,
    pub comment: Option<String>,
    pub kind: StateKind,
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
}

impl StateKind {
    /// The name AWS uses in history event types (`PassStateEntered`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Pass(_) => "Pass",
            StateKind::Task(_) => "Task",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed(_) => "Succeed",
            StateKind::Fail(_) => "Fail",
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

#[derive(Debug, Clone)]
pub struct TaskState {
    pub filters: Filters,
    pub resource: String,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub result_path: Option<ReferencePath>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub timeout: Option<Duration>,
    pub heartbeat: Option<Duration>,
    pub transition: Transition,
}

/// A duration given either literally or by a path into the state's input.
#[derive(Debug, Clone)]
pub enum Duration {
    Seconds(u64),
    Path(Path),
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
}

#[derive(Debug, Clone)]
pub struct WaitState {
    pub filters: Filters,
    pub until: WaitUntil,
    pub transition: Transition,
}

#[derive(Debug, Clone)]
pub enum WaitUntil {
    Seconds(u64),
    SecondsPath(Path),
    Timestamp(OffsetDateTime),
    TimestampPath(Path),
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
        }
        match machine {
            Some(machine) if diagnostics.is_empty() => Ok(machine),
            _ => Err(InvalidDefinition { diagnostics }),
        }
    }
}
