//! The checks that need the whole parsed tree, made in one walk over it: every transition of a
//! set of states names one of its states, every state can be reached from StartAt, and no two
//! states anywhere in the machine share a name.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::diagnostic::{Diagnostic, codes};
use super::processing::Processing;
use super::reader::pointer_token;
use super::{StateKind, StateMachine, States, Transition};

/// Appends the transition findings, then the duplicate names.
pub(crate) fn machine(machine: &StateMachine, d: &mut Vec<Diagnostic>) {
    let mut walk = Walk::default();
    walk.states(&machine.states, "", "");
    d.append(&mut walk.transitions);
    d.append(&mut walk.duplicates);
}

#[derive(Default)]
struct Walk<'a> {
    transitions: Vec<Diagnostic>,
    duplicates: Vec<Diagnostic>,
    /// Each name seen so far, with where.
    seen: HashMap<&'a str, String>,
}

impl<'a> Walk<'a> {
    /// `location` is the JSON pointer of the set of states; `names_location` the path the
    /// duplicate-name findings give it.
    fn states(&mut self, states: &'a States, location: &str, names_location: &str) {
        let mut names: Vec<&String> = states.states.keys().collect();
        names.sort();
        for name in &names {
            let at = format!("{names_location}/States/{name}");
            self.name(name, &at);
            let nested = format!("{location}/States/{}", pointer_token(name));
            match &states.states[*name].kind {
                StateKind::Parallel(parallel) => {
                    for (i, branch) in parallel.branches.iter().enumerate() {
                        self.states(
                            branch,
                            &format!("{nested}/Branches/{i}"),
                            &format!("{at}/Branches/{i}"),
                        );
                    }
                }
                StateKind::Map(map) => self.states(
                    &map.processor,
                    &format!("{nested}/{}", map.processor_field),
                    &format!("{at}/ItemProcessor"),
                ),
                _ => {}
            }
        }
        self.transitions_of(states, location, &names);
    }

    /// State names are unique across the whole machine, branches and item processors included
    /// (States Language, "States": "MUST be unique within the scope of the whole state
    /// machine").
    fn name(&mut self, name: &'a str, at: &str) {
        if let Some(first) = self.seen.get(name) {
            self.duplicates.push(Diagnostic::error(
                codes::DUPLICATE_STATE_NAME,
                at,
                format!("state name \"{name}\" is already used at {first}"),
            ));
        } else {
            self.seen.insert(name, at.to_owned());
        }
    }

    fn transitions_of(&mut self, states: &States, location: &str, names: &[&String]) {
        let d = &mut self.transitions;
        if !states.states.contains_key(&states.start_at) {
            d.push(Diagnostic::error(
                codes::MISSING_TRANSITION_TARGET,
                format!("{location}/StartAt"),
                format!("state \"{}\" does not exist", states.start_at),
            ));
        }
        for name in names {
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
