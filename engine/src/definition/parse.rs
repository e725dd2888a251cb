//! From JSON to the typed model, one function per state type, each reading exactly the fields
//! the States Language allows for that type in its query language.

use std::collections::HashMap;

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::choice::top_level_rule;
use super::reader::{Diagnostics, Fields, schema};
use super::retry_catch::{catchers, retriers};
use super::{
    Assign, ChoiceBranch, ChoiceState, Diagnostic, Dynamic, FailField, FailState, Filters,
    ItemBatcher, ItemSelector, JsonataField, MapState, ParallelState, PassState, Processing,
    QueryLanguage, State, StateKind, StateMachine, States, SucceedState, TaskState, Transition,
    WaitState, WaitUntil, codes,
};
use crate::intrinsic_call::{self, IntrinsicCall};
use crate::jsonata;
use crate::path::{Path, ReferencePath};
use crate::template::{PayloadTemplate, TemplateError};

pub(crate) fn state_machine(value: &Value, d: &mut Diagnostics) -> Option<StateMachine> {
    let mut fields = Fields::new(value, "", d)?;
    let comment = fields.string("Comment", d).map(str::to_owned);
    fields.string("Version", d);
    let timeout_seconds = fields.positive_integer("TimeoutSeconds", d);
    let language = query_language(&mut fields, QueryLanguage::JsonPath, d);
    let states = states(&mut fields, language, d);
    fields.finish(d);
    Some(StateMachine {
        comment,
        timeout_seconds,
        states: states?,
    })
}

fn query_language(
    fields: &mut Fields,
    inherited: QueryLanguage,
    d: &mut Diagnostics,
) -> QueryLanguage {
    match fields.string("QueryLanguage", d) {
        None => inherited,
        Some("JSONPath") if inherited == QueryLanguage::Jsonata => {
            d.push(schema(
                &fields.at("QueryLanguage"),
                "a state cannot use JSONPath when the state machine's QueryLanguage is JSONata",
            ));
            inherited
        }
        Some("JSONPath") => QueryLanguage::JsonPath,
        Some("JSONata") => QueryLanguage::Jsonata,
        Some(_) => {
            d.push(schema(
                &fields.at("QueryLanguage"),
                "must be JSONPath or JSONata",
            ));
            inherited
        }
    }
}

/// StartAt and States of a machine or a branch; states inherit `language` unless they set
/// their own.
fn states(fields: &mut Fields, language: QueryLanguage, d: &mut Diagnostics) -> Option<States> {
    let start_at = fields.required_string("StartAt", d).map(str::to_owned);
    if !fields.has("States") {
        d.push(schema(fields.location(), "the field 'States' is required"));
        return None;
    }
    let at = fields.at("States");
    let mut states = HashMap::new();
    match fields.value("States") {
        Some(Value::Object(map)) => {
            if map.is_empty() {
                d.push(schema(&at, "must hold at least one state"));
            }
            for (name, value) in map {
                let location = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
                if name.chars().count() > 80 {
                    d.push(schema(
                        &location,
                        "a state name must be at most 80 characters",
                    ));
                }
                if let Some(state) = state(name, value, &location, language, d) {
                    states.insert(name.clone(), state);
                }
            }
        }
        _ => d.push(schema(&at, "must be a JSON object")),
    }
    Some(States {
        start_at: start_at?,
        states,
    })
}

fn state(
    name: &str,
    value: &Value,
    location: &str,
    inherited: QueryLanguage,
    d: &mut Diagnostics,
) -> Option<State> {
    let mut fields = Fields::new(value, location, d)?;
    let comment = fields.string("Comment", d).map(str::to_owned);
    let language = query_language(&mut fields, inherited, d);
    let state_type = fields.required_string("Type", d)?;
    let assign = match state_type {
        "Fail" | "Succeed" => None,
        _ => assign(&mut fields, language, d),
    };
    let output = match (state_type, language) {
        ("Fail", _) | (_, QueryLanguage::JsonPath) => None,
        _ => jsonata_field(&mut fields, "Output", d),
    };
    let kind = match state_type {
        "Pass" => pass(&mut fields, language, d).map(StateKind::Pass),
        "Task" => task(&mut fields, language, d).map(|task| StateKind::Task(Box::new(task))),
        "Choice" => choice(&mut fields, language, d).map(StateKind::Choice),
        "Wait" => wait(&mut fields, language, d).map(StateKind::Wait),
        "Succeed" => Some(StateKind::Succeed(SucceedState {
            filters: filters(&mut fields, language, d),
        })),
        "Fail" => fail(&mut fields, language, d).map(StateKind::Fail),
        "Parallel" => {
            parallel(&mut fields, language, inherited, d).map(|p| StateKind::Parallel(Box::new(p)))
        }
        "Map" => map(&mut fields, language, inherited, d).map(|m| StateKind::Map(Box::new(m))),
        other => {
            d.push(schema(
                &fields.at("Type"),
                &format!("unknown state type '{other}'"),
            ));
            return None;
        }
    };
    fields.finish(d);
    Some(State {
        name: name.to_owned(),
        comment,
        query_language: language,
        assign,
        output,
        kind: kind?,
        reads_context: language == QueryLanguage::Jsonata || mentions_context(value),
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

fn pass(fields: &mut Fields, language: QueryLanguage, d: &mut Diagnostics) -> Option<PassState> {
    let jsonpath = language == QueryLanguage::JsonPath;
    Some(PassState {
        filters: filters(fields, language, d),
        parameters: if jsonpath {
            template(fields, "Parameters", d)
        } else {
            None
        },
        result: if jsonpath {
            fields.value("Result").cloned()
        } else {
            None
        },
        result_path: if jsonpath {
            result_path(fields, d)
        } else {
            Some(ReferencePath::root())
        },
        transition: transition(fields, d)?,
    })
}

fn processing(
    fields: &mut Fields,
    language: QueryLanguage,
    d: &mut Diagnostics,
) -> Option<Processing> {
    let jsonpath = language == QueryLanguage::JsonPath;
    let retry = fields
        .array("Retry", d)
        .map(|items| retriers(items, &fields.at("Retry"), d))
        .unwrap_or_default();
    let catch = fields
        .array("Catch", d)
        .map(|items| catchers(items, &fields.at("Catch"), language, d))
        .unwrap_or_default();
    Some(Processing {
        filters: filters(fields, language, d),
        parameters: None,
        arguments: None,
        result_selector: if jsonpath {
            template(fields, "ResultSelector", d)
        } else {
            None
        },
        result_path: if jsonpath {
            result_path(fields, d)
        } else {
            Some(ReferencePath::root())
        },
        retry,
        catch,
        transition: transition(fields, d)?,
    })
}

fn task(fields: &mut Fields, language: QueryLanguage, d: &mut Diagnostics) -> Option<TaskState> {
    let resource = fields.required_string("Resource", d).map(str::to_owned);
    if let Some(resource) = &resource
        && !is_arn(resource)
    {
        d.push(schema(
            &fields.at("Resource"),
            "Value is not a valid resource ARN",
        ));
    }
    let timeout = count(fields, "TimeoutSeconds", language, 1, d);
    let heartbeat = count(fields, "HeartbeatSeconds", language, 1, d);
    if let (Some(Dynamic::Literal(timeout)), Some(Dynamic::Literal(heartbeat))) =
        (&timeout, &heartbeat)
        && heartbeat >= timeout
    {
        d.push(schema(
            &fields.at("HeartbeatSeconds"),
            "HeartbeatSeconds must be smaller than TimeoutSeconds",
        ));
    }
    fields.value("Credentials");
    let mut processing = processing(fields, language, d)?;
    match language {
        QueryLanguage::JsonPath => processing.parameters = template(fields, "Parameters", d),
        QueryLanguage::Jsonata => processing.arguments = jsonata_field(fields, "Arguments", d),
    }
    Some(TaskState {
        processing,
        resource: resource?,
        timeout,
        heartbeat,
    })
}

/// `arn:<partition>:<service>:<region>:<account>:<resource>`: region and account may be empty
/// (`arn:aws:states:::lambda:invoke`), the others may not.
fn is_arn(text: &str) -> bool {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    matches!(
        parts.as_slice(),
        ["arn", partition, service, _, _, resource]
            if !partition.is_empty() && !service.is_empty() && !resource.is_empty()
    )
}

/// Whether a JSONPath path (rooted at `$`, `$$` or a variable) uses names and indexes only.
fn is_reference(path: &Path) -> bool {
    let text = path.to_string();
    let rest = text.trim_start_matches('$');
    let relative = &rest[rest.find(['.', '[']).unwrap_or(rest.len())..];
    ReferencePath::parse(&format!("${relative}")).is_ok()
}

fn parallel(
    fields: &mut Fields,
    language: QueryLanguage,
    inherited: QueryLanguage,
    d: &mut Diagnostics,
) -> Option<ParallelState> {
    let at = fields.at("Branches");
    let mut branches = Vec::new();
    match fields.array("Branches", d) {
        Some(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                let location = format!("{at}/{i}");
                if let Some(branch) = nested_states(item, &location, inherited, false, d) {
                    branches.push(branch);
                }
            }
        }
        Some(_) => d.push(schema(&at, "must hold at least one branch")),
        None => {
            if !fields.has("Branches") {
                d.push(schema(
                    fields.location(),
                    "the field 'Branches' is required",
                ));
            }
        }
    }
    let mut processing = processing(fields, language, d)?;
    match language {
        QueryLanguage::JsonPath => processing.parameters = template(fields, "Parameters", d),
        QueryLanguage::Jsonata => processing.arguments = jsonata_field(fields, "Arguments", d),
    }
    Some(ParallelState {
        processing,
        branches,
    })
}

fn map(
    fields: &mut Fields,
    language: QueryLanguage,
    inherited: QueryLanguage,
    d: &mut Diagnostics,
) -> Option<MapState> {
    let jsonpath = language == QueryLanguage::JsonPath;
    let processor_key = if fields.has("Iterator") && !fields.has("ItemProcessor") {
        "Iterator"
    } else {
        "ItemProcessor"
    };
    let processor = match fields.value(processor_key) {
        Some(value) => {
            let at = fields.at(processor_key);
            nested_states(value, &at, inherited, processor_key == "ItemProcessor", d)
        }
        None => {
            d.push(schema(
                fields.location(),
                "the field 'ItemProcessor' is required",
            ));
            None
        }
    };
    if fields.has("ItemProcessor") && fields.has("Iterator") {
        d.push(schema(
            fields.location(),
            "'ItemProcessor' and 'Iterator' are mutually exclusive",
        ));
        fields.value("Iterator");
    }
    let processing = processing(fields, language, d)?;
    let (items_path, items, item_selector) = if jsonpath {
        if fields.has("ItemSelector") && fields.has("Parameters") {
            d.push(schema(
                fields.location(),
                "'ItemSelector' and 'Parameters' are mutually exclusive",
            ));
        }
        let selector =
            template(fields, "ItemSelector", d).or_else(|| template(fields, "Parameters", d));
        let at = fields.at("ItemsPath");
        let items_path = fields.path("ItemsPath", d);
        if let Some(path) = &items_path
            && !is_reference(path)
        {
            d.push(Diagnostic::error(
                codes::INVALID_JSON_PATH,
                at,
                format!("ItemsPath '{path}' must be a reference path (names and indexes only)"),
            ));
        }
        (items_path, None, selector.map(ItemSelector::Paths))
    } else {
        let selector = jsonata_field(fields, "ItemSelector", d).map(ItemSelector::Jsonata);
        (None, jsonata_field(fields, "Items", d), selector)
    };
    let max_concurrency = count(fields, "MaxConcurrency", language, 0, d);
    let tolerated_failure_count = count(fields, "ToleratedFailureCount", language, 0, d);
    let tolerated_failure_percentage = tolerance(fields, language, d);
    let item_batcher = fields.value("ItemBatcher").and_then(|value| {
        let at = fields.at("ItemBatcher");
        item_batcher(value, &at, d)
    });
    fields.value("Label");
    fields.value("ResultWriter");
    if fields.value("ItemReader").is_some() {
        d.push(schema(
            &fields.at("ItemReader"),
            "reading items from S3 (ItemReader) is not supported by the embedded engine",
        ));
    }
    Some(MapState {
        processing,
        items_path,
        items,
        item_selector,
        processor: processor?,
        max_concurrency,
        tolerated_failure_count,
        tolerated_failure_percentage,
        item_batcher,
    })
}

fn nested_states(
    value: &Value,
    location: &str,
    inherited: QueryLanguage,
    has_processor_config: bool,
    d: &mut Diagnostics,
) -> Option<States> {
    let mut fields = Fields::new(value, location, d)?;
    fields.string("Comment", d);
    if has_processor_config && let Some(config) = fields.value("ProcessorConfig") {
        let at = fields.at("ProcessorConfig");
        if let Some(mut config) = Fields::new(config, &at, d) {
            match config.string("Mode", d) {
                None | Some("INLINE" | "DISTRIBUTED") => {}
                Some(_) => d.push(schema(&config.at("Mode"), "must be INLINE or DISTRIBUTED")),
            }
            match config.string("ExecutionType", d) {
                None | Some("STANDARD" | "EXPRESS") => {}
                Some(_) => d.push(schema(
                    &config.at("ExecutionType"),
                    "must be STANDARD or EXPRESS",
                )),
            }
            config.finish(d);
        }
    }
    let language = query_language(&mut fields, inherited, d);
    let states = states(&mut fields, language, d);
    fields.finish(d);
    let states = states?;
    super::validate::transitions(&states, location, d);
    Some(states)
}

fn item_batcher(value: &Value, location: &str, d: &mut Diagnostics) -> Option<ItemBatcher> {
    let mut fields = Fields::new(value, location, d)?;
    let batcher = ItemBatcher {
        max_items_per_batch: fields.positive_integer("MaxItemsPerBatch", d),
        max_input_bytes_per_batch: fields.positive_integer("MaxInputBytesPerBatch", d),
        batch_input: fields.value("BatchInput").cloned(),
    };
    fields.finish(d);
    Some(batcher)
}

fn choice(
    fields: &mut Fields,
    language: QueryLanguage,
    d: &mut Diagnostics,
) -> Option<ChoiceState> {
    let at = fields.at("Choices");
    let mut choices = Vec::new();
    match fields.array("Choices", d) {
        Some(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                let location = format!("{at}/{i}");
                if let Some(branch) = top_level_rule(item, &location, language, d) {
                    choices.push(branch);
                }
            }
        }
        Some(_) => d.push(schema(&at, "must hold at least one Choice Rule")),
        None => {
            if !fields.has("Choices") {
                d.push(schema(fields.location(), "the field 'Choices' is required"));
            }
        }
    }
    for key in ["Next", "End"] {
        if fields.value(key).is_some() {
            d.push(schema(
                &fields.at(key),
                "a Choice state must not have 'Next' or 'End'",
            ));
        }
    }
    Some(ChoiceState {
        filters: filters(fields, language, d),
        choices,
        default: fields.string("Default", d).map(str::to_owned),
    })
}

/// The parts of a top-level Choice Rule besides its condition.
pub(crate) fn choice_branch_extras(
    fields: &mut Fields,
    language: QueryLanguage,
    d: &mut Diagnostics,
) -> (Option<Assign>, Option<JsonataField>) {
    let assign = assign(fields, language, d);
    let output = match language {
        QueryLanguage::Jsonata => jsonata_field(fields, "Output", d),
        QueryLanguage::JsonPath => None,
    };
    (assign, output)
}

pub(crate) fn make_branch(
    rule: super::ChoiceRule,
    next: String,
    extras: (Option<Assign>, Option<JsonataField>),
) -> ChoiceBranch {
    ChoiceBranch {
        rule,
        next,
        assign: extras.0,
        output: extras.1,
    }
}

fn wait(fields: &mut Fields, language: QueryLanguage, d: &mut Diagnostics) -> Option<WaitState> {
    let given = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]
        .iter()
        .filter(|key| fields.has(key))
        .count();
    if given != 1 {
        d.push(schema(
            fields.location(),
            "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath",
        ));
    }
    let mut until = count(fields, "Seconds", language, 0, d).map(WaitUntil::Seconds);
    if fields.has("Timestamp") || fields.has("TimestampPath") {
        until = dynamic(fields, "Timestamp", language, d, |value| {
            let text = value
                .as_str()
                .ok_or("must be an RFC 3339 timestamp string")?;
            OffsetDateTime::parse(text, &Rfc3339).map_err(|_| "must be an RFC 3339 timestamp")
        })
        .map(WaitUntil::Timestamp);
    }
    let filters = filters(fields, language, d);
    let transition = transition(fields, d)?;
    Some(WaitState {
        filters,
        until: until?,
        transition,
    })
}

fn text_value(text: &str) -> Value {
    Value::String(text.to_owned())
}

fn fail(fields: &mut Fields, language: QueryLanguage, d: &mut Diagnostics) -> Option<FailState> {
    for key in ["Next", "End"] {
        if fields.value(key).is_some() {
            d.push(schema(
                &fields.at(key),
                "a Fail state must not have 'Next' or 'End'",
            ));
        }
    }
    Some(FailState {
        error: fail_field(fields, "Error", language, d),
        cause: fail_field(fields, "Cause", language, d),
    })
}

fn fail_field(
    fields: &mut Fields,
    key: &str,
    language: QueryLanguage,
    d: &mut Diagnostics,
) -> Option<FailField> {
    let path_key = format!("{key}Path");
    if language == QueryLanguage::Jsonata {
        let at = fields.at(key);
        return match fields.value(key)? {
            Value::String(text) if jsonata::is_expression(text) => {
                parse_jsonata(text_value(text), key, &at, d).map(FailField::Expression)
            }
            Value::String(text) => Some(FailField::Literal(text.clone())),
            _ => {
                d.push(schema(&at, "must be a string"));
                None
            }
        };
    }
    if fields.has(key) && fields.has(&path_key) {
        d.push(schema(
            fields.location(),
            &format!("'{key}' and '{path_key}' are mutually exclusive"),
        ));
    }
    if let Some(text) = fields.string(key, d) {
        return Some(FailField::Literal(text.to_owned()));
    }
    let text = fields.string(&path_key, d)?;
    if intrinsic_call::is_intrinsic(text) {
        return match IntrinsicCall::parse(text) {
            Ok(call) => Some(FailField::Intrinsic(call)),
            Err(error) => {
                d.push(schema(&fields.at(&path_key), &error));
                None
            }
        };
    }
    match Path::parse(text) {
        Ok(path) => Some(FailField::Path(path)),
        Err(error) => {
            d.push(Diagnostic::error(
                codes::INVALID_JSON_PATH,
                fields.at(&path_key),
                error.to_string(),
            ));
            None
        }
    }
}

fn filters(fields: &mut Fields, language: QueryLanguage, d: &mut Diagnostics) -> Filters {
    let root = || Path::parse("$").ok();
    if language == QueryLanguage::Jsonata {
        return Filters {
            input_path: root(),
            output_path: root(),
        };
    }
    Filters {
        input_path: fields.nullable_path("InputPath", d).unwrap_or_else(root),
        output_path: fields.nullable_path("OutputPath", d).unwrap_or_else(root),
    }
}

fn template(fields: &mut Fields, key: &str, d: &mut Diagnostics) -> Option<PayloadTemplate> {
    let at = fields.at(key);
    let value = fields.value(key)?;
    payload_template(value, &at, d)
}

fn payload_template(value: &Value, at: &str, d: &mut Diagnostics) -> Option<PayloadTemplate> {
    match PayloadTemplate::compile(value, at) {
        Ok(template) => Some(template),
        Err(errors) => {
            d.extend(errors.iter().map(|error| {
                let code = match error {
                    TemplateError::InvalidPath { .. } => codes::INVALID_JSON_PATH,
                    _ => codes::SCHEMA_VALIDATION_FAILED,
                };
                Diagnostic::error(code, error.location(), error.to_string())
            }));
            None
        }
    }
}

pub(crate) fn assign(
    fields: &mut Fields,
    language: QueryLanguage,
    d: &mut Diagnostics,
) -> Option<Assign> {
    let at = fields.at("Assign");
    let value = fields.value("Assign")?;
    if !value.is_object() {
        d.push(schema(&at, "must be a JSON object"));
        return None;
    }
    match language {
        QueryLanguage::JsonPath => payload_template(value, &at, d).map(Assign::Paths),
        QueryLanguage::Jsonata => {
            parse_jsonata(value.clone(), "Assign", &at, d).map(Assign::Jsonata)
        }
    }
}

pub(crate) fn jsonata_field(
    fields: &mut Fields,
    key: &str,
    d: &mut Diagnostics,
) -> Option<JsonataField> {
    let at = fields.at(key);
    let value = fields.value(key)?.clone();
    parse_jsonata(value, key, &at, d)
}

fn parse_jsonata(value: Value, field: &str, at: &str, d: &mut Diagnostics) -> Option<JsonataField> {
    let expression = value
        .as_str()
        .filter(|text| jsonata::is_expression(text))
        .and_then(|text| jsonata::parse(text).ok());
    match jsonata::Template::parse_field(field, &value) {
        Ok(template) => Some(JsonataField {
            field: field.to_owned(),
            template,
            expression,
        }),
        Err(error) => {
            d.push(schema(at, &error.cause));
            None
        }
    }
}

/// ResultPath: a reference path (default `$`), or `null` to discard the result.
pub(crate) fn result_path(fields: &mut Fields, d: &mut Diagnostics) -> Option<ReferencePath> {
    let at = fields.at("ResultPath");
    match fields.value("ResultPath") {
        None => Some(ReferencePath::root()),
        Some(Value::Null) => None,
        Some(Value::String(text)) => match ReferencePath::parse(text) {
            Ok(path) => Some(path),
            Err(error) => {
                d.push(Diagnostic::error(
                    codes::INVALID_JSON_PATH,
                    at,
                    format!("'{text}' is not a reference path: {error}"),
                ));
                Some(ReferencePath::root())
            }
        },
        Some(_) => {
            d.push(schema(&at, "must be a reference path string or null"));
            Some(ReferencePath::root())
        }
    }
}

/// A field given as a literal, or computed at run time: by its `...Path` twin in JSONPath, or by
/// a `{% %}` expression in JSONata. `literal` checks a literal value, or says what it must be.
fn dynamic<T>(
    fields: &mut Fields,
    key: &str,
    language: QueryLanguage,
    d: &mut Diagnostics,
    literal: impl FnOnce(&Value) -> Result<T, &'static str>,
) -> Option<Dynamic<T>> {
    let path_key = format!("{key}Path");
    let at = fields.at(key);
    if language == QueryLanguage::JsonPath {
        if fields.has(key) && fields.has(&path_key) {
            d.push(schema(
                fields.location(),
                &format!("'{key}' and '{path_key}' are mutually exclusive"),
            ));
        }
        if let Some(path) = fields.path(&path_key, d) {
            return Some(Dynamic::Path(path));
        }
    }
    let value = fields.value(key)?;
    if let Some(text) = value.as_str()
        && language == QueryLanguage::Jsonata
        && jsonata::is_expression(text)
    {
        return parse_jsonata(value.clone(), key, &at, d).map(Dynamic::Expression);
    }
    match literal(value) {
        Ok(literal) => Some(Dynamic::Literal(literal)),
        Err(message) => {
            d.push(schema(&at, message));
            None
        }
    }
}

/// A count of seconds (or items): a literal integer of at least `min`, a `...Path` in JSONPath,
/// or a `{% %}` expression in JSONata.
fn count(
    fields: &mut Fields,
    key: &str,
    language: QueryLanguage,
    min: u64,
    d: &mut Diagnostics,
) -> Option<Dynamic<u64>> {
    dynamic(fields, key, language, d, |value| match value.as_u64() {
        Some(number) if number >= min => Ok(number),
        _ if min == 0 => Err("must be a non-negative integer"),
        _ => Err("must be a positive integer"),
    })
}

fn tolerance(
    fields: &mut Fields,
    language: QueryLanguage,
    d: &mut Diagnostics,
) -> Option<Dynamic<f64>> {
    dynamic(fields, "ToleratedFailurePercentage", language, d, |value| {
        value
            .as_f64()
            .filter(|percentage| (0.0..=100.0).contains(percentage))
            .ok_or("must be a number from 0 to 100")
    })
}

fn transition(fields: &mut Fields, d: &mut Diagnostics) -> Option<Transition> {
    let next = fields.string("Next", d);
    let end = fields.boolean("End", d);
    match (next, end) {
        (Some(next), None | Some(false)) => Some(Transition::Next(next.to_owned())),
        (None, Some(true)) => Some(Transition::End),
        (Some(_), Some(true)) => {
            d.push(schema(
                fields.location(),
                "a state may not have both 'Next' and 'End'",
            ));
            None
        }
        (None, _) => {
            if !fields.has("Next") {
                d.push(schema(
                    fields.location(),
                    "a state needs 'Next' or \"End\": true",
                ));
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_arn;

    #[test]
    fn resources_aws_accepts_are_arns() {
        for arn in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "arn:aws:lambda:us-east-1:123456789012:function:Greet",
            "arn:aws:states:us-east-1:123456789012:activity:review",
            "arn:aws-cn:states:::dynamodb:getItem",
        ] {
            assert!(is_arn(arn), "{arn}");
        }
    }

    #[test]
    fn other_resources_are_not() {
        for text in [
            "not-an-arn",
            "arn:aws",
            "arn::states:::x",
            "arn:aws:states:::",
        ] {
            assert!(!is_arn(text), "{text}");
        }
    }
}
