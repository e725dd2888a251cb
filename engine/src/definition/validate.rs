//! Checks that need the whole set of states: every transition names a state, and every state can
//! be reached from StartAt.

use std::collections::{BTreeSet, HashSet};

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
