//! From JSON to the typed model, one function per state type, each reading exactly the fields
//! the States Language allows for that type.

use std::collections::HashMap;

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::choice::top_level_rule;
use super::handling::{catchers, retriers};
use super::reader::{Diagnostics, Fields, schema};
use super::{
    ChoiceBranch, ChoiceState, Duration, FailField, FailState, Filters, PassState, State,
    StateKind, StateMachine, States, SucceedState, TaskState, Transition, WaitState, WaitUntil,
};
use crate::intrinsic_call;
use crate::path::{Path, ReferencePath};
use crate::template::Template;

pub(crate) fn state_machine(value: &Value, d: &mut Diagnostics) -> Option<StateMachine> {
    let mut fields = Fields::new(value, "", d)?;
    let comment = fields.string("Comment", d).map(str::to_owned);
    fields.string("Version", d);
    let timeout_seconds = fields.positive_integer("TimeoutSeconds", d);
    let states = states(&mut fields, d);
    fields.finish(d);
    Some(StateMachine {
        comment,
        timeout_seconds,
        states: states?,
    })
}

fn states(fields: &mut Fields, d: &mut Diagnostics) -> Option<States> {
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
                if let Some(state) = state(name, value, &location, d) {
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

fn state(name: &str, value: &Value, location: &str, d: &mut Diagnostics) -> Option<State> {
    let mut fields = Fields::new(value, location, d)?;
    let comment = fields.string("Comment", d).map(str::to_owned);
    let kind = match fields.required_string("Type", d)? {
        "Pass" => pass(&mut fields, d).map(StateKind::Pass),
        "Task" => task(&mut fields, d).map(|task| StateKind::Task(Box::new(task))),
        "Choice" => choice(&mut fields, d).map(StateKind::Choice),
        "Wait" => wait(&mut fields, d).map(StateKind::Wait),
        "Succeed" => Some(StateKind::Succeed(SucceedState {
            filters: filters(&mut fields, d),
        })),
        "Fail" => fail(&mut fields, d).map(StateKind::Fail),
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
        kind: kind?,
    })
}

fn pass(fields: &mut Fields, d: &mut Diagnostics) -> Option<PassState> {
    Some(PassState {
        filters: filters(fields, d),
        parameters: template(fields, "Parameters", d),
        result: fields.value("Result").cloned(),
        result_path: result_path(fields, d),
        transition: transition(fields, d)?,
    })
}

fn task(fields: &mut Fields, d: &mut Diagnostics) -> Option<TaskState> {
    let resource = fields.required_string("Resource", d).map(str::to_owned);
    let retry = fields
        .array("Retry", d)
        .map(|items| retriers(items, &fields.at("Retry"), d))
        .unwrap_or_default();
    let catch = fields
        .array("Catch", d)
        .map(|items| catchers(items, &fields.at("Catch"), d))
        .unwrap_or_default();
    let timeout = duration(fields, "TimeoutSeconds", d);
    let heartbeat = duration(fields, "HeartbeatSeconds", d);
    Some(TaskState {
        filters: filters(fields, d),
        parameters: template(fields, "Parameters", d),
        result_selector: template(fields, "ResultSelector", d),
        result_path: result_path(fields, d),
        resource: resource?,
        retry,
        catch,
        timeout,
        heartbeat,
        transition: transition(fields, d)?,
    })
}

fn choice(fields: &mut Fields, d: &mut Diagnostics) -> Option<ChoiceState> {
    let at = fields.at("Choices");
    let choices = match fields.array("Choices", d) {
        Some(items) if !items.is_empty() => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| top_level_rule(item, &format!("{at}/{i}"), d))
            .map(|(rule, next)| ChoiceBranch { rule, next })
            .collect(),
        Some(_) => {
            d.push(schema(&at, "must hold at least one Choice Rule"));
            Vec::new()
        }
        None => {
            if !fields.has("Choices") {
                d.push(schema(fields.location(), "the field 'Choices' is required"));
            }
            Vec::new()
        }
    };
    for key in ["Next", "End"] {
        if fields.value(key).is_some() {
            d.push(schema(
                &fields.at(key),
                "a Choice state must not have 'Next' or 'End'",
            ));
        }
    }
    Some(ChoiceState {
        filters: filters(fields, d),
        choices,
        default: fields.string("Default", d).map(str::to_owned),
    })
}

fn wait(fields: &mut Fields, d: &mut Diagnostics) -> Option<WaitState> {
    let mut choices = Vec::new();
    if let Some(seconds) = fields.non_negative_integer("Seconds", d) {
        choices.push(WaitUntil::Seconds(seconds));
    }
    if let Some(path) = fields.path("SecondsPath", d) {
        choices.push(WaitUntil::SecondsPath(path));
    }
    if let Some(text) = fields.string("Timestamp", d) {
        match OffsetDateTime::parse(text, &Rfc3339) {
            Ok(timestamp) => choices.push(WaitUntil::Timestamp(timestamp)),
            Err(_) => d.push(schema(
                &fields.at("Timestamp"),
                "must be an RFC 3339 timestamp",
            )),
        }
    }
    if let Some(path) = fields.path("TimestampPath", d) {
        choices.push(WaitUntil::TimestampPath(path));
    }
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
    let filters = filters(fields, d);
    let transition = transition(fields, d)?;
    Some(WaitState {
        filters,
        until: choices.pop()?,
        transition,
    })
}

fn fail(fields: &mut Fields, d: &mut Diagnostics) -> Option<FailState> {
    for key in ["Next", "End"] {
        if fields.value(key).is_some() {
            d.push(schema(
                &fields.at(key),
                "a Fail state must not have 'Next' or 'End'",
            ));
        }
    }
    Some(FailState {
        error: fail_field(fields, "Error", d),
        cause: fail_field(fields, "Cause", d),
    })
}

fn fail_field(fields: &mut Fields, key: &str, d: &mut Diagnostics) -> Option<FailField> {
    let path_key = format!("{key}Path");
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
        if let Some(error) = intrinsic_call::syntax_error(text) {
            d.push(schema(&fields.at(&path_key), &error));
            return None;
        }
        return Some(FailField::Intrinsic(text.to_owned()));
    }
    match Path::parse(text) {
        Ok(path) => Some(FailField::Path(path)),
        Err(error) => {
            d.push(super::Diagnostic::error(
                super::codes::INVALID_JSON_PATH,
                fields.at(&path_key),
                error.to_string(),
            ));
            None
        }
    }
}

fn filters(fields: &mut Fields, d: &mut Diagnostics) -> Filters {
    let root = || Path::parse("$").ok();
    Filters {
        input_path: fields.nullable_path("InputPath", d).unwrap_or_else(root),
        output_path: fields.nullable_path("OutputPath", d).unwrap_or_else(root),
    }
}

fn template(fields: &mut Fields, key: &str, d: &mut Diagnostics) -> Option<Template> {
    let at = fields.at(key);
    let value = fields.value(key)?;
    Some(Template::compile(value, &at, d))
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
                d.push(super::Diagnostic::error(
                    super::codes::INVALID_JSON_PATH,
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

fn duration(fields: &mut Fields, key: &str, d: &mut Diagnostics) -> Option<Duration> {
    let path_key = format!("{key}Path");
    if fields.has(key) && fields.has(&path_key) {
        d.push(schema(
            fields.location(),
            &format!("'{key}' and '{path_key}' are mutually exclusive"),
        ));
    }
    if let Some(seconds) = fields.positive_integer(key, d) {
        return Some(Duration::Seconds(seconds));
    }
    fields.path(&path_key, d).map(Duration::Path)
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
