//! Pass State (States Language, "Pass State"): passes its input to its output, or a fixed
//! Result placed at ResultPath, doing no work.

use serde_json::Value;

use super::fields::{Filters, Transition};
use super::reader::Fields;
use crate::path::ReferencePath;
use crate::payload_template::PayloadTemplate;

#[derive(Debug, Clone)]
pub struct PassState {
    pub filters: Filters,
    pub parameters: Option<PayloadTemplate>,
    pub result: Option<Value>,
    /// `None` means `"ResultPath": null`: the result is discarded.
    pub result_path: Option<ReferencePath>,
    pub transition: Transition,
}

/// The Pass state's fields (States Language, "Pass State").
///
/// Parameters, Result and ResultPath are JSONPath fields; a JSONata Pass state shapes its
/// output with Output alone.
pub(crate) fn parse(fields: &mut Fields) -> Option<PassState> {
    let jsonpath = !fields.is_jsonata();
    Some(PassState {
        filters: fields.filters(),
        parameters: if jsonpath {
            fields.payload_template("Parameters")
        } else {
            None
        },
        result: if jsonpath {
            fields.value("Result").cloned()
        } else {
            None
        },
        result_path: fields.result_path_if_jsonpath(),
        transition: fields.transition()?,
    })
}
