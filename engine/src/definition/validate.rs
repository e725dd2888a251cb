//! Checks that need the whole set of states: every transition names a state, every state can
//! be reached from StartAt, and no two states anywhere in the machine share a name.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::diagnostic::{Diagnostic, codes};
use super::reader::Diagnostics;
use super::{Processing, StateKind, States, Transition};

pub(crate) fn transitions(states: &States, location: &str, d: &mut Diagnostics) {
    if !states.states.contains_key(&states.start_at) {
        d.push(Diagnostic::error(
            codes::MISSING_TRANSITION_TARGET,
            format!("{location}/StartAt"),
            format!("state \"{}\" does not exist", states.start_at),
        ));
    }
    let mut names: Vec<&String> = states.states.keys().collect();
    names.sort();
    for name in &names {
        for (field, target) in targets(&states.states[*name].kind) {
            if !states.states.contains_key(target) {
                d.push(Diagnostic::error(
                    codes::MISSING_TRANSITION_TARGET,
                    format!("{location}/States/{name}/{field}"),
                    format!("state \"{target}\" does not exist"),
                ));
            }
        }
    }
    let reachable = reachable(states);
    for name in names {
        if !reachable.contains(name.as_str()) {
            d.push(Diagnostic::error(
                codes::UNREACHABLE_STATE,
                format!("{location}/States/{name}"),
                format!("state \"{name}\" is not reachable"),
            ));
        }
    }
}

/// State names are unique across the whole machine, branches and item processors included
/// (States Language, "States": "MUST be unique within the scope of the whole state machine").
pub(crate) fn unique_names(states: &States, d: &mut Diagnostics) {
    let mut seen = HashMap::new();
    names_in(states, "", &mut seen, d);
}

fn names_in<'a>(
    states: &'a States,
    location: &str,
    seen: &mut HashMap<&'a str, String>,
    d: &mut Diagnostics,
) {
    let mut names: Vec<&String> = states.states.keys().collect();
    names.sort();
    for name in names {
        let at = format!("{location}/States/{name}");
        if let Some(first) = seen.get(name.as_str()) {
            d.push(Diagnostic::error(
                codes::DUPLICATE_STATE_NAME,
                at.clone(),
                format!("state name \"{name}\" is already used at {first}"),
            ));
        } else {
            seen.insert(name, at.clone());
        }
        match &states.states[name].kind {
            StateKind::Parallel(parallel) => {
                for (i, branch) in parallel.branches.iter().enumerate() {
                    names_in(branch, &format!("{at}/Branches/{i}"), seen, d);
                }
            }
            StateKind::Map(map) => {
                names_in(&map.processor, &format!("{at}/ItemProcessor"), seen, d)
            }
            _ => {}
        }
    }
}

/// Each transition of a state, with the field (as a JSON pointer tail) that names it.
fn targets(kind: &StateKind) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = Vec::new();
    match kind {
        StateKind::Pass(state) => out.extend(next(&state.transition)),
        StateKind::Wait(state) => out.extend(next(&state.transition)),
        StateKind::Task(task) => processing(&task.processing, &mut out),
        StateKind::Parallel(parallel) => processing(&parallel.processing, &mut out),
        StateKind::Map(map) => processing(&map.processing, &mut out),
        StateKind::Choice(state) => {
            for (i, branch) in state.choices.iter().enumerate() {
                out.push((format!("Choices/{i}/Next"), branch.next.as_str()));
            }
            if let Some(default) = &state.default {
                out.push(("Default".to_owned(), default.as_str()));
            }
        }
        StateKind::Succeed(_) | StateKind::Fail(_) => {}
    }
    out
}

fn processing<'a>(processing: &'a Processing, out: &mut Vec<(String, &'a str)>) {
    out.extend(next(&processing.transition));
    for (i, catcher) in processing.catch.iter().enumerate() {
        out.push((format!("Catch/{i}/Next"), catcher.next.as_str()));
    }
}

fn next(transition: &Transition) -> Option<(String, &str)> {
    match transition {
        Transition::Next(target) => Some(("Next".to_owned(), target.as_str())),
        Transition::End => None,
    }
}

fn reachable(states: &States) -> HashSet<&str> {
    let mut seen = HashSet::new();
    let mut pending = BTreeSet::from([states.start_at.as_str()]);
    while let Some(name) = pending.pop_first() {
        let Some(state) = states.states.get(name) else {
            continue;
        };
        if seen.insert(name) {
            for (_, target) in targets(&state.kind) {
                if !seen.contains(target) {
                    pending.insert(target);
                }
            }
        }
    }
    seen
}
