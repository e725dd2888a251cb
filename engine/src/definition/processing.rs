//! The fields a Task, Parallel or Map state reads around its work: input and output processing,
//! Retry and Catch, and its transition (States Language, "Input and Output Processing", "Error
//! Handling").

use super::fields::{Filters, JsonataField, Transition};
use super::reader::Fields;
use super::retry_catch::{Catcher, Retrier, catchers, retriers};
use crate::path::ReferencePath;
use crate::payload_template::PayloadTemplate;

/// The processing a Task, Parallel or Map state shares around its work.
#[derive(Debug, Clone)]
pub struct Processing {
    pub filters: Filters,
    /// JSONPath: Parameters (for a Map, its legacy name for ItemSelector).
    pub parameters: Option<PayloadTemplate>,
    /// JSONata: Arguments.
    pub arguments: Option<JsonataField>,
    pub result_selector: Option<PayloadTemplate>,
    pub result_path: Option<ReferencePath>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub transition: Transition,
}

/// Everything but the state's own input to its work, which only Task and Parallel take here:
/// see [`with_input`].
pub(crate) fn processing(fields: &mut Fields) -> Option<Processing> {
    let retry = retriers(fields);
    let catch = catchers(fields);
    Some(Processing {
        filters: fields.filters(),
        parameters: None,
        arguments: None,
        result_selector: if fields.is_jsonata() {
            None
        } else {
            fields.payload_template("ResultSelector")
        },
        result_path: fields.result_path_if_jsonpath(),
        retry,
        catch,
        transition: fields.transition()?,
    })
}

/// A Task's or Parallel's processing with its input to the work: Parameters (JSONPath) or
/// Arguments (JSONata).
pub(crate) fn with_input(fields: &mut Fields) -> Option<Processing> {
    let mut processing = processing(fields)?;
    if fields.is_jsonata() {
        processing.arguments = fields.jsonata("Arguments");
    } else {
        processing.parameters = fields.payload_template("Parameters");
    }
    Some(processing)
}
