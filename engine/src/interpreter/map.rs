//! Map: runs its ItemProcessor once per item of an array (at most MaxConcurrency at a time);
//! its result is the array of the iterations' outputs, in item order. DISTRIBUTED runs like
//! INLINE and gives the same result shape.

use serde_json::{Map, Value, json};
use tokio::sync::Semaphore;

use super::catch::with_retries;
use super::join::join_until;
use super::{Cx, Step, Stopped};
use crate::clock::Fork;
use crate::definition::{ItemBatcher, ItemSelector, MapState};
use crate::error::{StatesError, names};
use crate::history::events;

pub async fn run(cx: &Cx<'_>, state: &MapState, raw_input: Value) -> Result<Step, Stopped> {
    with_retries(cx, &state.processing, &raw_input, |input, context| {
        iterate(cx, state, &raw_input, input, context)
    })
    .await
}

async fn iterate(
    cx: &Cx<'_>,
    state: &MapState,
    raw_input: &Value,
    input: Value,
    context: Value,
) -> Result<Value, Stopped> {
    let context = &context;
    let sources = cx.sources(&input, context);
    let bindings = cx.input_bindings(raw_input, context);
    let items = items(cx, state, &input, context, &bindings)?;
    let inputs = item_inputs(cx, state, raw_input, &input, items)?;
    let inputs = match &state.item_batcher {
        Some(batcher) => batches(batcher, inputs),
        None => inputs,
    };
    let max_concurrency = match &state.max_concurrency {
        Some(limit) => limit.resolve(&sources, &bindings, "MaxConcurrencyPath")?,
        None => 0,
    };
    let tolerance = Tolerated {
        count: state
            .tolerated_failure_count
            .as_ref()
            .map(|count| count.resolve(&sources, &bindings, "ToleratedFailureCountPath"))
            .transpose()?,
        percentage: state
            .tolerated_failure_percentage
            .as_ref()
            .map(|percentage| {
                percentage.resolve(&sources, &bindings, "ToleratedFailurePercentagePath")
            })
            .transpose()?,
        total: inputs.len(),
    };

    cx.record(events::map_state_started(inputs.len()));
    let permits = usize::try_from(max_concurrency)
        .ok()
        .filter(|limit| *limit > 0)
        .unwrap_or(Semaphore::MAX_PERMITS);
    let semaphore = Semaphore::new(permits);
    let fork = Fork::new(permits);
    let name = cx.state.name.as_str();
    let iterations: Vec<_> = inputs
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let semaphore = &semaphore;
            let fork = &fork;
            async move {
                let _permit = semaphore.acquire().await.ok();
                fork.branch(async {
                    cx.record(events::map_iteration("MapIterationStarted", name, index));
                    let result = cx
                        .run
                        .run_states(&state.processor, item, cx.variables.clone())
                        .await;
                    let outcome = if result.is_ok() {
                        "MapIterationSucceeded"
                    } else {
                        "MapIterationFailed"
                    };
                    cx.record(events::map_iteration(outcome, name, index));
                    result
                })
                .await
            }
        })
        .collect();
    let mut failures = 0;
    let outputs = join_until(iterations, |result| {
        if result.is_err() {
            failures += 1;
        }
        matches!(result, Err(Stopped::TimedOut(_)))
            || (result.is_err() && tolerance.exceeded(failures))
    })
    .await;
    fork.join(cx.run.clock.as_ref()).await;

    let mut results = Vec::with_capacity(outputs.len());
    let mut first_failure = None;
    for output in outputs.into_iter().flatten() {
        match output {
            Ok(value) => results.push(value),
            Err(Stopped::Failed(error)) => {
                results.push(error.to_error_output());
                first_failure.get_or_insert(error);
            }
            Err(stopped) => {
                cx.record(events::bare("MapStateFailed"));
                return Err(stopped);
            }
        }
    }
    if let Some(error) = first_failure
        && tolerance.exceeded(failures)
    {
        cx.record(events::bare("MapStateFailed"));
        return Err(Stopped::Failed(if tolerance.is_set() {
            StatesError::new(
                names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                "The specified tolerated failure threshold was exceeded",
            )
        } else {
            error
        }));
    }
    cx.record(events::bare("MapStateSucceeded"));
    Ok(Value::Array(results))
}

/// The array to iterate over: ItemsPath (JSONPath) or Items (JSONata), by default the input.
fn items(
    cx: &Cx,
    state: &MapState,
    input: &Value,
    context: &Value,
    bindings: &Map<String, Value>,
) -> Result<Vec<Value>, StatesError> {
    if let Some(field) = &state.items {
        return match field.evaluate(bindings)? {
            Value::Array(items) => Ok(items),
            other => Err(field.type_error("array", &other).into()),
        };
    }
    let value = match &state.items_path {
        Some(path) => path.select(&cx.sources(input, context)).ok_or_else(|| {
            StatesError::runtime(format!(
                "Invalid path '{path}' : No results for path: {path}"
            ))
        })?,
        None => input.clone(),
    };
    match value {
        Value::Array(items) => Ok(items),
        other => Err(StatesError::runtime(format!(
            "Item Path {} evaluated to {other}, which is not a JSON array",
            state
                .items_path
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_else(|| "$".into())
        ))),
    }
}

/// Each item as its iteration receives it: through the ItemSelector, which sees the item as
/// `$$.Map.Item.Value` and its position as `$$.Map.Item.Index`.
fn item_inputs(
    cx: &Cx,
    state: &MapState,
    raw_input: &Value,
    input: &Value,
    items: Vec<Value>,
) -> Result<Vec<Value>, StatesError> {
    let Some(selector) = &state.item_selector else {
        return Ok(items);
    };
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let item_cx = Cx {
                run: cx.run,
                state: cx.state,
                event_id: cx.event_id,
                entered_time: cx.entered_time,
                variables: cx.variables,
                map_item: Some(json!({"Index": index, "Value": item})),
                task_token: None,
            };
            let context = item_cx.context(0);
            match selector {
                ItemSelector::Paths(template) => template.render(&item_cx.sources(input, &context)),
                ItemSelector::Jsonata(field) => {
                    let bindings =
                        item_cx.bindings(json!({"input": raw_input, "context": context}));
                    field.evaluate(&bindings).map_err(StatesError::from)
                }
            }
        })
        .collect()
}

/// ItemBatcher: groups items into `{"Items": [...], "BatchInput": ...}` of at most
/// MaxItemsPerBatch items and MaxInputBytesPerBatch bytes.
fn batches(batcher: &ItemBatcher, items: Vec<Value>) -> Vec<Value> {
    let max_items = batcher
        .max_items_per_batch
        .map_or(usize::MAX, |n| n as usize);
    let max_bytes = batcher
        .max_input_bytes_per_batch
        .map_or(usize::MAX, |n| n as usize);
    let mut batches = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    let mut bytes = 0;
    for item in items {
        let size = item.to_string().len();
        if !current.is_empty() && (current.len() >= max_items || bytes + size > max_bytes) {
            batches.push(std::mem::take(&mut current));
            bytes = 0;
        }
        bytes += size;
        current.push(item);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
        .into_iter()
        .map(|items| {
            let mut batch = Map::new();
            if let Some(input) = &batcher.batch_input {
                batch.insert("BatchInput".into(), input.clone());
            }
            batch.insert("Items".into(), Value::Array(items));
            Value::Object(batch)
        })
        .collect()
}

/// ToleratedFailureCount and ToleratedFailurePercentage: the Map fails when either is exceeded;
/// with neither, any failed iteration fails it.
struct Tolerated {
    count: Option<u64>,
    percentage: Option<f64>,
    total: usize,
}

impl Tolerated {
    fn is_set(&self) -> bool {
        self.count.is_some() || self.percentage.is_some()
    }

    fn exceeded(&self, failures: usize) -> bool {
        if !self.is_set() {
            return failures > 0;
        }
        let over_count = self.count.is_some_and(|count| failures as u64 > count);
        let over_percentage = self.percentage.is_some_and(|percentage| {
            self.total > 0 && failures as f64 * 100.0 / self.total as f64 > percentage
        });
        over_count || over_percentage
    }
}
