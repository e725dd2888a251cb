//! The execution history: AWS-shaped events (`id`, `previousEventId`, `timestamp`, `type` and one
//! `*EventDetails` object), recorded as the interpreter goes.

use std::sync::Mutex;
use std::time::SystemTime;

use serde_json::{Map, Value, json};

use crate::timestamp;

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    pub id: u64,
    pub previous_event_id: u64,
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

/// The details of one event, before it gets its id and timestamp.
#[derive(Debug, Clone)]
pub struct EventSpec {
    pub event_type: String,
    pub details: Option<(&'static str, Value)>,
}

#[derive(Debug, Default)]
pub struct History {
    events: Mutex<Vec<HistoryEvent>>,
}

impl History {
    /// Appends an event and returns its id.
    pub fn record(&self, at: SystemTime, spec: EventSpec) -> u64 {
        let mut events = self
            .events
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let id = events.len() as u64 + 1;
        events.push(HistoryEvent {
            id,
            previous_event_id: id - 1,
            timestamp: at,
            event_type: spec.event_type,
            details: spec.details,
        });
        id
    }

    pub fn event_count(&self) -> usize {
        self.events
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .len()
    }

    pub fn snapshot(&self) -> Vec<HistoryEvent> {
        self.events
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .clone()
    }
}

/// Constructors for each kind of event, named after the event type they produce.
pub mod events {
    use serde_json::{Value, json};

    use super::EventSpec;

    fn spec(event_type: impl Into<String>, field: &'static str, details: Value) -> EventSpec {
        EventSpec {
            event_type: event_type.into(),
            details: Some((field, details)),
        }
    }

    fn text(value: &Value) -> String {
        value.to_string()
    }

    pub fn execution_started(input: &Value, role_arn: &str) -> EventSpec {
        spec(
            "ExecutionStarted",
            "executionStartedEventDetails",
            json!({"input": text(input), "inputDetails": {"truncated": false}, "roleArn": role_arn}),
        )
    }

    pub fn execution_succeeded(output: &Value) -> EventSpec {
        spec(
            "ExecutionSucceeded",
            "executionSucceededEventDetails",
            json!({"output": text(output), "outputDetails": {"truncated": false}}),
        )
    }

    pub fn execution_failed(error: &str, cause: &str) -> EventSpec {
        spec(
            "ExecutionFailed",
            "executionFailedEventDetails",
            json!({"error": error, "cause": cause}),
        )
    }

    pub fn execution_aborted(error: Option<&str>, cause: Option<&str>) -> EventSpec {
        let mut details = serde_json::Map::new();
        if let Some(error) = error {
            details.insert("error".into(), json!(error));
        }
        if let Some(cause) = cause {
            details.insert("cause".into(), json!(cause));
        }
        spec(
            "ExecutionAborted",
            "executionAbortedEventDetails",
            Value::Object(details),
        )
    }

    pub fn execution_timed_out(error: &str, cause: &str) -> EventSpec {
        spec(
            "ExecutionTimedOut",
            "executionTimedOutEventDetails",
            json!({"error": error, "cause": cause}),
        )
    }

    pub fn state_entered(state_type: &str, name: &str, input: &Value) -> EventSpec {
        spec(
            format!("{state_type}StateEntered"),
            "stateEnteredEventDetails",
            json!({"name": name, "input": text(input), "inputDetails": {"truncated": false}}),
        )
    }

    pub fn state_exited(state_type: &str, name: &str, output: &Value) -> EventSpec {
        spec(
            format!("{state_type}StateExited"),
            "stateExitedEventDetails",
            json!({"name": name, "output": text(output), "outputDetails": {"truncated": false}}),
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
            json!({
                "resourceType": resource_type,
                "resource": resource,
                "region": region,
                "parameters": text(parameters),
            }),
        )
    }

    pub fn task_started(resource_type: &str, resource: &str) -> EventSpec {
        spec(
            "TaskStarted",
            "taskStartedEventDetails",
            json!({"resourceType": resource_type, "resource": resource}),
        )
    }

    pub fn task_succeeded(resource_type: &str, resource: &str, output: &Value) -> EventSpec {
        spec(
            "TaskSucceeded",
            "taskSucceededEventDetails",
            json!({
                "resourceType": resource_type,
                "resource": resource,
                "output": text(output),
                "outputDetails": {"truncated": false},
            }),
        )
    }

    pub fn task_failed(resource_type: &str, resource: &str, error: &str, cause: &str) -> EventSpec {
        spec(
            "TaskFailed",
            "taskFailedEventDetails",
            json!({"resourceType": resource_type, "resource": resource, "error": error, "cause": cause}),
        )
    }

    pub fn task_submitted(resource_type: &str, resource: &str, output: &Value) -> EventSpec {
        spec(
            "TaskSubmitted",
            "taskSubmittedEventDetails",
            json!({
                "resourceType": resource_type,
                "resource": resource,
                "output": text(output),
                "outputDetails": {"truncated": false},
            }),
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
            json!({"resourceType": resource_type, "resource": resource, "error": error, "cause": cause}),
        )
    }

    pub fn lambda_scheduled(resource: &str, input: &Value) -> EventSpec {
        spec(
            "LambdaFunctionScheduled",
            "lambdaFunctionScheduledEventDetails",
            json!({"resource": resource, "input": text(input), "inputDetails": {"truncated": false}}),
        )
    }

    pub fn lambda_started() -> EventSpec {
        bare("LambdaFunctionStarted")
    }

    /// An event with no details (`ParallelStateStarted`, `MapStateSucceeded`, ...).
    pub fn bare(event_type: &str) -> EventSpec {
        EventSpec {
            event_type: event_type.into(),
            details: None,
        }
    }

    pub fn map_state_started(length: usize) -> EventSpec {
        spec(
            "MapStateStarted",
            "mapStateStartedEventDetails",
            json!({"length": length}),
        )
    }

    /// `MapIterationStarted`, `MapIterationSucceeded`, `MapIterationFailed`, `MapIterationAborted`.
    pub fn map_iteration(event_type: &str, name: &str, index: usize) -> EventSpec {
        let field = match event_type {
            "MapIterationStarted" => "mapIterationStartedEventDetails",
            "MapIterationSucceeded" => "mapIterationSucceededEventDetails",
            "MapIterationFailed" => "mapIterationFailedEventDetails",
            _ => "mapIterationAbortedEventDetails",
        };
        spec(event_type, field, json!({"name": name, "index": index}))
    }

    pub fn lambda_succeeded(output: &Value) -> EventSpec {
        spec(
            "LambdaFunctionSucceeded",
            "lambdaFunctionSucceededEventDetails",
            json!({"output": text(output), "outputDetails": {"truncated": false}}),
        )
    }

    pub fn lambda_failed(error: &str, cause: &str) -> EventSpec {
        spec(
            "LambdaFunctionFailed",
            "lambdaFunctionFailedEventDetails",
            json!({"error": error, "cause": cause}),
        )
    }
}
