//! Map State (States Language, "Map State"; AWS developer guide, "Map workflow state"): runs its
//! ItemProcessor (legacy: Iterator) once per item of an array, at most MaxConcurrency at a
//! time, failing when more iterations fail than ToleratedFailureCount or
//! ToleratedFailurePercentage allow.

use serde_json::Value;

use super::diagnostic::codes;
use super::fields::{Dynamic, JsonataField};
use super::processing::{Processing, processing};
use super::reader::Fields;
use super::{QueryLanguage, States, nested_states};
use crate::path::{Path, ReferencePath};
use crate::payload_template::PayloadTemplate;

#[derive(Debug, Clone)]
pub struct MapState {
    pub processing: Processing,
    pub items_path: Option<Path>,
    pub items: Option<JsonataField>,
    pub item_selector: Option<ItemSelector>,
    pub processor: States,
    /// The field `processor` was read from: ItemProcessor, or its legacy name Iterator.
    pub processor_field: &'static str,
    /// How many iterations may run at once (0: no limit).
    pub max_concurrency: Option<Dynamic<u64>>,
    pub tolerated_failure_count: Option<Dynamic<u64>>,
    /// A percentage from 0 to 100; it may be fractional.
    pub tolerated_failure_percentage: Option<Dynamic<f64>>,
    pub item_batcher: Option<ItemBatcher>,
}

/// What each item becomes before its iteration runs (JSONPath: ItemSelector or the legacy
/// Parameters).
#[derive(Debug, Clone)]
pub enum ItemSelector {
    Paths(PayloadTemplate),
    Jsonata(JsonataField),
}

#[derive(Debug, Clone)]
pub struct ItemBatcher {
    pub max_items_per_batch: Option<u64>,
    pub max_input_bytes_per_batch: Option<u64>,
    pub batch_input: Option<Value>,
}

/// The Map state's fields (States Language, "Map State"; AWS developer guide, "Map state
/// configuration" for ItemProcessor, ItemSelector, ItemBatcher and the tolerated failures).
///
/// The processor's states inherit `inherited`, the query language of the states around the
/// Map state.
pub(crate) fn parse(fields: &mut Fields, inherited: QueryLanguage) -> Option<MapState> {
    let processor_field = if fields.has("Iterator") && !fields.has("ItemProcessor") {
        "Iterator"
    } else {
        "ItemProcessor"
    };
    let processor = match fields.value(processor_field) {
        Some(value) => {
            let at = fields.at(processor_field);
            nested_states(
                fields,
                value,
                at,
                inherited,
                processor_field == "ItemProcessor",
            )
        }
        None => {
            fields.report_here("the field 'ItemProcessor' is required");
            None
        }
    };
    if fields.has("ItemProcessor") && fields.has("Iterator") {
        fields.report_here("'ItemProcessor' and 'Iterator' are mutually exclusive");
        fields.value("Iterator");
    }
    let processing = processing(fields)?;
    let (items_path, items, item_selector) = if fields.is_jsonata() {
        let selector = fields.jsonata("ItemSelector").map(ItemSelector::Jsonata);
        (None, fields.jsonata("Items"), selector)
    } else {
        fields.exclusive("ItemSelector", "Parameters");
        let selector = fields
            .payload_template("ItemSelector")
            .or_else(|| fields.payload_template("Parameters"));
        let at = fields.at("ItemsPath");
        let items_path = fields.path("ItemsPath");
        if let Some(path) = &items_path
            && !is_reference(path)
        {
            fields.report_code(
                codes::INVALID_JSON_PATH,
                &at,
                format!("ItemsPath '{path}' must be a reference path (names and indexes only)"),
            );
        }
        (items_path, None, selector.map(ItemSelector::Paths))
    };
    let max_concurrency = fields.count("MaxConcurrency", 0);
    let tolerated_failure_count = fields.count("ToleratedFailureCount", 0);
    let tolerated_failure_percentage = fields.dynamic("ToleratedFailurePercentage", |value| {
        value
            .as_f64()
            .filter(|percentage| (0.0..=100.0).contains(percentage))
            .ok_or("must be a number from 0 to 100")
    });
    let item_batcher = fields.value("ItemBatcher").and_then(|value| {
        let at = fields.at("ItemBatcher");
        fields.object(value, at).map(item_batcher)
    });
    fields.value("Label");
    fields.value("ResultWriter");
    if fields.value("ItemReader").is_some() {
        fields.report(
            &fields.at("ItemReader"),
            "reading items from S3 (ItemReader) is not supported by the embedded engine",
        );
    }
    Some(MapState {
        processing,
        items_path,
        items,
        item_selector,
        processor: processor?,
        processor_field,
        max_concurrency,
        tolerated_failure_count,
        tolerated_failure_percentage,
        item_batcher,
    })
}

/// Whether a JSONPath path (rooted at `$`, `$$` or a variable) uses names and indexes only.
fn is_reference(path: &Path) -> bool {
    let text = path.to_string();
    let rest = text.trim_start_matches('$');
    let relative = &rest[rest.find(['.', '[']).unwrap_or(rest.len())..];
    ReferencePath::parse(&format!("${relative}")).is_ok()
}

fn item_batcher(mut fields: Fields) -> ItemBatcher {
    let batcher = ItemBatcher {
        max_items_per_batch: fields.positive_integer("MaxItemsPerBatch"),
        max_input_bytes_per_batch: fields.positive_integer("MaxInputBytesPerBatch"),
        batch_input: fields.value("BatchInput").cloned(),
    };
    fields.finish();
    batcher
}
