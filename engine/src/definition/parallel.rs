//! Parallel State (States Language, "Parallel State"): runs every branch, each a set of states
//! with its own StartAt, on the same input at once.

use super::processing::{Processing, with_input};
use super::reader::Fields;
use super::{QueryLanguage, States, nested_states};

#[derive(Debug, Clone)]
pub struct ParallelState {
    pub processing: Processing,
    pub branches: Vec<States>,
}

/// The Parallel state's fields (States Language, "Parallel State"): a non-empty Branches
/// array, with the processing, Retry and Catch a Task has.
///
/// The branches' states inherit `inherited`, the query language of the states around the
/// Parallel state.
pub(crate) fn parse(fields: &mut Fields, inherited: QueryLanguage) -> Option<ParallelState> {
    let at = fields.at("Branches");
    let mut branches = Vec::new();
    match fields.array("Branches") {
        Some(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                if let Some(branch) =
                    nested_states(fields, item, format!("{at}/{i}"), inherited, false)
                {
                    branches.push(branch);
                }
            }
        }
        Some(_) => fields.report(&at, "must hold at least one branch"),
        None => {
            if !fields.has("Branches") {
                fields.report_here("the field 'Branches' is required");
            }
        }
    }
    Some(ParallelState {
        processing: with_input(fields)?,
        branches,
    })
}
