//! The execution history: AWS-shaped events (`id`, `previousEventId`, `timestamp`, `type` and one
//! `*EventDetails` object), recorded as the interpreter goes.

use std::sync::Mutex;
use std::time::SystemTime;

use serde_json::{Map, Value, json};

use crate::timestamp;

/// One event of GetExecutionHistory.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    /// Its number in the execution, from 1.
    pub id: u64,
    /// The event it follows from (0 for the first).
    pub previous_event_id: u64,
    /// When it happened.
    pub timestamp: SystemTime,
    /// e.g. `TaskStateEntered`, `ExecutionSucceeded`.
    pub event_type: String,
    /// The event's details object and the name of its field (`stateEnteredEventDetails`).
    pub details: Option<(&'static str, Value)>,
}

impl HistoryEvent {
    /// The event as GetExecutionHistory returns it.
    pub fn to_json(&self) -> Value {
        let mut event = Map::new();
        event.insert("id".into(), json!(self.id));
        event.insert("previousEventId".into(), json!(self.previous_event_id));
        event.insert("timestamp".into(), json!(timestamp::format(self.timestamp)));
        event.insert("type".into(), json!(self.event_type));
        if let Some((field, details)) = &self.details {
            event.insert((*field).into(), details.clone());
        }
        Value::Object(event)
    }
}

/// One event as the run records it: its details stay typed (a few strings) until someone reads
/// the history, so a run does not build, and later drop, a JSON object tree per event.
#[derive(Debug, Clone)]
pub struct EventSpec {
    pub event_type: &'static str,
    /// Boxed so a recorded event stays small: a history's vector then grows in small steps.
    pub details: Option<Box<Details>>,
}

/// An event's details object: its field name (`stateEnteredEventDetails`) and its entries.
#[derive(Debug, Clone)]
pub struct Details {
    field: &'static str,
    entries: Vec<(&'static str, Detail)>,
}

#[derive(Debug, Clone)]
enum Detail {
    /// A JSON string: a name, an error, or a payload already printed as AWS prints it.
    Str(String),
    Count(u64),
    /// `{"truncated": false}`: the engine never truncates a payload.
    NotTruncated,
}

impl Details {
    fn to_json(&self) -> Value {
        let entries = self.entries.iter().map(|(key, detail)| {
            let value = match detail {
                Detail::Str(text) => Value::String(text.clone()),
                Detail::Count(count) => json!(count),
                Detail::NotTruncated => json!({"truncated": false}),
            };
            ((*key).to_owned(), value)
        });
        Value::Object(entries.collect())
    }
}

struct RecordedEvent {
    timestamp: SystemTime,
    spec: EventSpec,
}

#[derive(Default)]
pub struct History {
    events: Mutex<Vec<RecordedEvent>>,
}

impl std::fmt::Debug for History {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("History")
            .field("events", &self.event_count())
            .finish()
    }
}

impl History {
    /// Appends an event and returns its id.
    pub fn record(&self, at: SystemTime, spec: EventSpec) -> u64 {
        let mut events = self
            .events
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        events.push(RecordedEvent {
            timestamp: at,
            spec,
        });
        events.len() as u64
    }

    pub fn event_count(&self) -> usize {
        self.events
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .len()
    }

    /// The events as GetExecutionHistory reads them.
    pub fn snapshot(&self) -> Vec<HistoryEvent> {
        let events = self
            .events
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        (1..)
            .zip(events.iter())
            .map(|(id, event)| HistoryEvent {
                id,
                previous_event_id: id - 1,
                timestamp: event.timestamp,
                event_type: event.spec.event_type.to_owned(),
                details: event
                    .spec
                    .details
                    .as_ref()
                    .map(|details| (details.field, details.to_json())),
            })
            .collect()
    }
}

/// Constructors for each kind of event, named after the event type they produce.
pub mod events {
    use serde_json::Value;

    use super::{Detail, Details, EventSpec};

    fn spec(
        event_type: &'static str,
        field: &'static str,
        entries: Vec<(&'static str, Detail)>,
    ) -> EventSpec {
        EventSpec {
            event_type,
            details: Some(Box::new(Details { field, entries })),
        }
    }

    fn plain(text: &str) -> Detail {
        Detail::Str(text.to_owned())
    }

    /// A payload as AWS reports it: printed as JSON text.
    fn text(value: &Value) -> Detail {
        Detail::Str(value.to_string())
    }

    pub fn execution_started(input: &Value, role_arn: &str) -> EventSpec {
        spec(
            "ExecutionStarted",
            "executionStartedEventDetails",
            vec![
                ("input", text(input)),
                ("inputDetails", Detail::NotTruncated),
                ("roleArn", plain(role_arn)),
            ],
        )
    }

    /// An execution continued under its ARN from where it stopped (AWS's redrive).
    pub fn execution_redriven() -> EventSpec {
        spec(
            "ExecutionRedriven",
            "executionRedrivenEventDetails",
            vec![("redriveCount", Detail::Count(1))],
        )
    }

    pub fn execution_succeeded(output: &Value) -> EventSpec {
        spec(
            "ExecutionSucceeded",
            "executionSucceededEventDetails",
            vec![
                ("output", text(output)),
                ("outputDetails", Detail::NotTruncated),
            ],
        )
    }

    pub fn execution_failed(error: &str, cause: &str) -> EventSpec {
        spec(
            "ExecutionFailed",
            "executionFailedEventDetails",
            vec![("error", plain(error)), ("cause", plain(cause))],
        )
    }

    pub fn execution_aborted(error: Option<&str>, cause: Option<&str>) -> EventSpec {
        let entries = [("error", error), ("cause", cause)]
            .into_iter()
            .filter_map(|(key, value)| Some((key, plain(value?))))
            .collect();
        spec("ExecutionAborted", "executionAbortedEventDetails", entries)
    }

    pub fn execution_timed_out(error: &str, cause: &str) -> EventSpec {
        spec(
            "ExecutionTimedOut",
            "executionTimedOutEventDetails",
            vec![("error", plain(error)), ("cause", plain(cause))],
        )
    }

    /// `entered_type` is the state type's `...StateEntered` event type.
    pub fn state_entered(entered_type: &'static str, name: &str, input: &Value) -> EventSpec {
        spec(
            entered_type,
            "stateEnteredEventDetails",
            vec![
                ("name", plain(name)),
                ("input", text(input)),
                ("inputDetails", Detail::NotTruncated),
            ],
        )
    }

    /// `exited_type` is the state type's `...StateExited` event type.
    pub fn state_exited(exited_type: &'static str, name: &str, output: &Value) -> EventSpec {
        spec(
            exited_type,
            "stateExitedEventDetails",
            vec![
                ("name", plain(name)),
                ("output", text(output)),
                ("outputDetails", Detail::NotTruncated),
            ],
        )
    }

    pub fn task_scheduled(
        resource_type: &str,
        resource: &str,
        region: &str,
        parameters: &Value,
    ) -> EventSpec {
        spec(
            "TaskScheduled",
            "taskScheduledEventDetails",
            vec![
                ("resourceType", plain(resource_type)),
                ("resource", plain(resource)),
                ("region", plain(region)),
                ("parameters", text(parameters)),
            ],
        )
    }

    pub fn task_started(resource_type: &str, resource: &str) -> EventSpec {
        spec(
            "TaskStarted",
            "taskStartedEventDetails",
            vec![
                ("resourceType", plain(resource_type)),
                ("resource", plain(resource)),
            ],
        )
    }

    pub fn task_succeeded(resource_type: &str, resource: &str, output: &Value) -> EventSpec {
        spec(
            "TaskSucceeded",
            "taskSucceededEventDetails",
            vec![
                ("resourceType", plain(resource_type)),
                ("resource", plain(resource)),
                ("output", text(output)),
                ("outputDetails", Detail::NotTruncated),
            ],
        )
    }

    pub fn task_failed(resource_type: &str, resource: &str, error: &str, cause: &str) -> EventSpec {
        spec(
            "TaskFailed",
            "taskFailedEventDetails",
            vec![
                ("resourceType", plain(resource_type)),
                ("resource", plain(resource)),
                ("error", plain(error)),
                ("cause", plain(cause)),
            ],
        )
    }

    pub fn task_submitted(resource_type: &str, resource: &str, output: &Value) -> EventSpec {
        spec(
            "TaskSubmitted",
            "taskSubmittedEventDetails",
            vec![
                ("resourceType", plain(resource_type)),
                ("resource", plain(resource)),
                ("output", text(output)),
                ("outputDetails", Detail::NotTruncated),
            ],
        )
    }

    pub fn task_timed_out(
        resource_type: &str,
        resource: &str,
        error: &str,
        cause: &str,
    ) -> EventSpec {
        spec(
            "TaskTimedOut",
            "taskTimedOutEventDetails",
            vec![
                ("resourceType", plain(resource_type)),
                ("resource", plain(resource)),
                ("error", plain(error)),
                ("cause", plain(cause)),
            ],
        )
    }

    pub fn lambda_scheduled(resource: &str, input: &Value) -> EventSpec {
        spec(
            "LambdaFunctionScheduled",
            "lambdaFunctionScheduledEventDetails",
            vec![
                ("resource", plain(resource)),
                ("input", text(input)),
                ("inputDetails", Detail::NotTruncated),
            ],
        )
    }

    pub fn lambda_started() -> EventSpec {
        bare("LambdaFunctionStarted")
    }

    /// An event with no details (`ParallelStateStarted`, `MapStateSucceeded`, ...).
    pub fn bare(event_type: &'static str) -> EventSpec {
        EventSpec {
            event_type,
            details: None,
        }
    }

    pub fn map_state_started(length: usize) -> EventSpec {
        spec(
            "MapStateStarted",
            "mapStateStartedEventDetails",
            vec![("length", Detail::Count(length as u64))],
        )
    }

    /// `MapIterationStarted`, `MapIterationSucceeded`, `MapIterationFailed`, `MapIterationAborted`.
    pub fn map_iteration(event_type: &'static str, name: &str, index: usize) -> EventSpec {
        let field = match event_type {
            "MapIterationStarted" => "mapIterationStartedEventDetails",
            "MapIterationSucceeded" => "mapIterationSucceededEventDetails",
            "MapIterationFailed" => "mapIterationFailedEventDetails",
            _ => "mapIterationAbortedEventDetails",
        };
        spec(
            event_type,
            field,
            vec![
                ("name", plain(name)),
                ("index", Detail::Count(index as u64)),
            ],
        )
    }

    pub fn lambda_succeeded(output: &Value) -> EventSpec {
        spec(
            "LambdaFunctionSucceeded",
            "lambdaFunctionSucceededEventDetails",
            vec![
                ("output", text(output)),
                ("outputDetails", Detail::NotTruncated),
            ],
        )
    }

    pub fn lambda_failed(error: &str, cause: &str) -> EventSpec {
        spec(
            "LambdaFunctionFailed",
            "lambdaFunctionFailedEventDetails",
            vec![("error", plain(error)), ("cause", plain(cause))],
        )
    }
}
