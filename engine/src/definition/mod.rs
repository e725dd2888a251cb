//! The typed model of a state machine definition, parsed and validated from its JSON.
//!
//! Each state type has its own module, which reads exactly the fields the States Language
//! allows for that type in its query language, as the interpreter has one per state type that
//! runs it; the fields several types share are read in `fields`. Checks that need the whole
//! tree (transitions, unique names) are made once it is parsed, in `validate`.

mod choice;
mod diagnostic;
mod fail;
mod fields;
mod map;
mod parallel;
mod pass;
mod processing;
mod reader;
mod retry_catch;
mod succeed;
mod task;
mod validate;
mod wait;

use std::collections::HashMap;

use serde_json::Value;

pub use choice::{ChoiceRule, ChoiceState, Comparison, Operand, Operator};
pub use diagnostic::{Diagnostic, InvalidDefinition, Severity, codes};
pub use fail::{FailField, FailState};
pub use fields::{Assign, Dynamic, Filters, JsonataField, Transition};
pub use map::{ItemBatcher, ItemSelector, MapState};
pub use parallel::ParallelState;
pub use pass::PassState;
pub use processing::Processing;
pub use retry_catch::{JitterStrategy, Retrier, matches as matches_error};
pub use succeed::SucceedState;
pub use task::TaskState;
pub use wait::{WaitState, WaitUntil};

use reader::{Fields, pointer_token};

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
        let machine = state_machine(value, &mut diagnostics);
        if let Some(machine) = &machine {
            validate::machine(machine, &mut diagnostics);
        }
        match machine {
            Some(machine) if diagnostics.is_empty() => Ok(machine),
            _ => Err(InvalidDefinition { diagnostics }),
        }
    }
}

/// The top-level fields (States Language, "Top-level fields").
fn state_machine(value: &Value, diagnostics: &mut Vec<Diagnostic>) -> Option<StateMachine> {
    let mut fields = Fields::root(value, diagnostics)?;
    let comment = fields.string("Comment").map(str::to_owned);
    fields.string("Version");
    let timeout_seconds = fields.positive_integer("TimeoutSeconds");
    let language = query_language(&mut fields, QueryLanguage::JsonPath);
    fields.set_language(language);
    let states = states(&mut fields, language);
    fields.finish();
    Some(StateMachine {
        comment,
        timeout_seconds,
        states: states?,
    })
}

/// QueryLanguage: a state or branch may set JSONata inside a JSONPath machine, not the reverse.
fn query_language(fields: &mut Fields, inherited: QueryLanguage) -> QueryLanguage {
    match fields.string("QueryLanguage") {
        None => inherited,
        Some("JSONPath") if inherited == QueryLanguage::Jsonata => {
            fields.report(
                &fields.at("QueryLanguage"),
                "a state cannot use JSONPath when the state machine's QueryLanguage is JSONata",
            );
            inherited
        }
        Some("JSONPath") => QueryLanguage::JsonPath,
        Some("JSONata") => QueryLanguage::Jsonata,
        Some(_) => {
            fields.report(&fields.at("QueryLanguage"), "must be JSONPath or JSONata");
            inherited
        }
    }
}

/// StartAt and States of a machine or a branch; states inherit `language` unless they set
/// their own.
fn states(fields: &mut Fields, language: QueryLanguage) -> Option<States> {
    let start_at = fields.required_string("StartAt").map(str::to_owned);
    if !fields.has("States") {
        fields.report_here("the field 'States' is required");
        return None;
    }
    let at = fields.at("States");
    let mut states = HashMap::new();
    match fields.value("States") {
        Some(Value::Object(map)) => {
            if map.is_empty() {
                fields.report(&at, "must hold at least one state");
            }
            for (name, value) in map {
                let location = format!("{at}/{}", pointer_token(name));
                if name.chars().count() > 80 {
                    fields.report(&location, "a state name must be at most 80 characters");
                }
                if let Some(state) = state(fields, name, value, location, language) {
                    states.insert(name.clone(), state);
                }
            }
        }
        _ => fields.report(&at, "must be a JSON object"),
    }
    Some(States {
        start_at: start_at?,
        states,
    })
}

/// One state: the fields every state has, then those of its type (States Language, "Common
/// State Fields").
fn state<'v>(
    fields: &mut Fields<'_, 'v>,
    name: &str,
    value: &'v Value,
    location: String,
    inherited: QueryLanguage,
) -> Option<State> {
    let mut fields = fields.object(value, location)?;
    let comment = fields.string("Comment").map(str::to_owned);
    let language = query_language(&mut fields, inherited);
    fields.set_language(language);
    let state_type = fields.required_string("Type")?;
    let assign = match state_type {
        "Fail" | "Succeed" => None,
        _ => fields.assign(),
    };
    let output = match state_type {
        "Fail" => None,
        _ => fields.output(),
    };
    let reader = &mut fields;
    let kind = match state_type {
        "Pass" => pass::parse(reader).map(StateKind::Pass),
        "Task" => task::parse(reader).map(|task| StateKind::Task(Box::new(task))),
        "Choice" => choice::parse(reader).map(StateKind::Choice),
        "Wait" => wait::parse(reader).map(StateKind::Wait),
        "Succeed" => Some(StateKind::Succeed(succeed::parse(reader))),
        "Fail" => fail::parse(reader).map(StateKind::Fail),
        "Parallel" => parallel::parse(reader, inherited).map(|p| StateKind::Parallel(Box::new(p))),
        "Map" => map::parse(reader, inherited).map(|m| StateKind::Map(Box::new(m))),
        other => {
            fields.report(&fields.at("Type"), &format!("unknown state type '{other}'"));
            return None;
        }
    };
    let reads_context = fields.is_jsonata() || mentions_context(value);
    let query_language = fields.language();
    fields.finish();
    Some(State {
        name: name.to_owned(),
        comment,
        query_language,
        assign,
        output,
        kind: kind?,
        reads_context,
    })
}

/// Whether a JSONPath state's definition holds `$$` in any key or string: every path, template
/// and intrinsic that reads the context object is written with it.
fn mentions_context(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains("$$"),
        Value::Array(items) => items.iter().any(mentions_context),
        Value::Object(fields) => fields
            .iter()
            .any(|(key, value)| key.contains("$$") || mentions_context(value)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// A branch of a Parallel state or the ItemProcessor of a Map: a set of states of its own,
/// whose states inherit `inherited` unless the branch sets its own QueryLanguage.
fn nested_states<'v>(
    fields: &mut Fields<'_, 'v>,
    value: &'v Value,
    location: String,
    inherited: QueryLanguage,
    has_processor_config: bool,
) -> Option<States> {
    let mut fields = fields.object(value, location)?;
    fields.string("Comment");
    if has_processor_config && let Some(config) = fields.value("ProcessorConfig") {
        let at = fields.at("ProcessorConfig");
        if let Some(mut config) = fields.object(config, at) {
            match config.string("Mode") {
                None | Some("INLINE" | "DISTRIBUTED") => {}
                Some(_) => config.report(&config.at("Mode"), "must be INLINE or DISTRIBUTED"),
            }
            match config.string("ExecutionType") {
                None | Some("STANDARD" | "EXPRESS") => {}
                Some(_) => {
                    config.report(&config.at("ExecutionType"), "must be STANDARD or EXPRESS")
                }
            }
            config.finish();
        }
    }
    let language = query_language(&mut fields, inherited);
    fields.set_language(language);
    let states = states(&mut fields, language);
    fields.finish();
    states
}
