//! Succeed State (States Language, "Succeed State"): ends the execution, or its branch, with
//! its input as output.

use super::fields::Filters;
use super::reader::Fields;

#[derive(Debug, Clone)]
pub struct SucceedState {
    pub filters: Filters,
}

/// The Succeed state's fields (States Language, "Succeed State"): only input and output
/// filters, and no Next or End.
pub(crate) fn parse(fields: &mut Fields) -> SucceedState {
    SucceedState {
        filters: fields.filters(),
    }
}
