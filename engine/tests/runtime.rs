//! The runtime's API semantics: callbacks with task tokens, stopping, history paging, limits.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use asl::{
    Engine, EngineConfig, ExecutionDescription, ExecutionStatus, HistoryRequest, RealClock,
    StartExecution, TaskRegistry, VirtualClock, handler_fn,
};
use serde_json::{Value, json};

const QUEUE: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

fn virtual_engine(tasks: TaskRegistry) -> Engine {
    Engine::new(
        Arc::new(VirtualClock::frozen_at(SystemTime::UNIX_EPOCH)),
        tasks,
    )
}

/// A queue that remembers the token each message carries.
/// Creates the machine, starts it on `input` and waits for its end: the life of most executions
/// these tests look at afterwards.
async fn run_to_end(
    engine: &Engine,
    name: &str,
    definition: &str,
    input: &str,
) -> (String, ExecutionDescription) {
    let machine = engine.create_state_machine(name, definition).unwrap();
    let started = engine
        .start_execution(StartExecution::new(&machine).input_text(input))
        .unwrap();
    let done = engine
        .wait_for_execution(&started.execution_arn)
        .await
        .unwrap();
    (started.execution_arn, done)
}

fn capturing_queue() -> (TaskRegistry, Arc<Mutex<Option<String>>>) {
    let token = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&token);
    let mut tasks = TaskRegistry::new();
    tasks.register_resource(
        QUEUE,
        handler_fn(move |input: Value| {
            *seen.lock().unwrap() = input["MessageBody"]["token"].as_str().map(str::to_owned);
            async move { Ok(json!({"MessageId": "1"})) }
        }),
    );
    (tasks, token)
}

fn callback_machine(extra: Value) -> String {
    let mut task = json!({
        "Type": "Task",
        "Resource": QUEUE,
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
        "End": true
    });
    task.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    json!({"StartAt": "Ask", "States": {"Ask": task}}).to_string()
}

async fn token_of(captured: &Arc<Mutex<Option<String>>>) -> String {
    for _ in 0..1000 {
        if let Some(token) = captured.lock().unwrap().clone() {
            return token;
        }
        tokio::task::yield_now().await;
    }
    panic!("the task never received its token");
}

#[tokio::test]
async fn a_callback_task_waits_for_send_task_success() {
    let (tasks, captured) = capturing_queue();
    let engine = virtual_engine(tasks);
    let machine = engine
        .create_state_machine("callback", &callback_machine(json!({})))
        .unwrap();
    let started = engine
        .start_execution(StartExecution::new(&machine).input_text("{}"))
        .unwrap();
    let token = token_of(&captured).await;
    assert_eq!(
        engine
            .describe_execution(&started.execution_arn)
            .unwrap()
            .status(),
        ExecutionStatus::Running
    );
    engine
        .send_task_success(&token, r#"{"approved": true}"#)
        .unwrap();
    let done = engine
        .wait_for_execution(&started.execution_arn)
        .await
        .unwrap();
    assert_eq!(done.output(), Some(&json!({"approved": true})));
    assert_eq!(
        engine.send_task_success(&token, "{}").unwrap_err().code(),
        "TaskDoesNotExist"
    );
}

#[tokio::test]
async fn send_task_failure_fails_the_task() {
    let (tasks, captured) = capturing_queue();
    let engine = virtual_engine(tasks);
    let machine = engine
        .create_state_machine("callback", &callback_machine(json!({})))
        .unwrap();
    let started = engine
        .start_execution(StartExecution::new(&machine).input_text("{}"))
        .unwrap();
    let token = token_of(&captured).await;
    engine
        .send_task_failure(&token, Some("Rejected"), Some("no"))
        .unwrap();
    let done = engine
        .wait_for_execution(&started.execution_arn)
        .await
        .unwrap();
    assert_eq!(done.status(), ExecutionStatus::Failed);
    assert_eq!((done.error(), done.cause()), (Some("Rejected"), Some("no")));
}

#[tokio::test]
async fn a_silent_callback_times_out_on_the_real_clock() {
    let (tasks, _captured) = capturing_queue();
    let engine = Engine::new(Arc::new(RealClock), tasks);
    let (_, done) = run_to_end(
        &engine,
        "callback",
        &callback_machine(json!({"HeartbeatSeconds": 1})),
        "{}",
    )
    .await;
    assert_eq!(done.status(), ExecutionStatus::Failed);
    assert_eq!(done.error(), Some("States.HeartbeatTimeout"));
}

#[tokio::test]
async fn stopping_aborts_with_error_and_cause() {
    let engine = Engine::new(Arc::new(RealClock), TaskRegistry::new());
    let machine = engine
        .create_state_machine(
            "slow",
            r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}"#,
        )
        .unwrap();
    let started = engine
        .start_execution(
            StartExecution::new(&machine)
                .name("slow-1")
                .input_text("{}"),
        )
        .unwrap();
    engine
        .stop_execution(
            &started.execution_arn,
            Some("Cancelled"),
            Some("by the user"),
        )
        .unwrap();
    let done = engine.describe_execution(&started.execution_arn).unwrap();
    assert_eq!(done.status(), ExecutionStatus::Aborted);
    assert_eq!(done.error(), Some("Cancelled"));
    let history = engine
        .get_execution_history(&started.execution_arn, &HistoryRequest::default())
        .unwrap();
    let last = history.events.last().unwrap().to_json();
    assert_eq!(last["type"], json!("ExecutionAborted"));
    assert_eq!(
        last["executionAbortedEventDetails"]["cause"],
        json!("by the user")
    );
}

#[tokio::test]
async fn history_pages_forward_and_backward() {
    let engine = virtual_engine(TaskRegistry::new());
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "End": true}
    }});
    let (execution_arn, _) = run_to_end(&engine, "three", &definition.to_string(), "{}").await;
    let mut ids = Vec::new();
    let mut request = HistoryRequest {
        max_results: Some(3),
        ..HistoryRequest::default()
    };
    loop {
        let page = engine
            .get_execution_history(&execution_arn, &request)
            .unwrap();
        ids.extend(page.events.iter().map(|event| event.id));
        match page.next_token {
            Some(token) => request.next_token = Some(token),
            None => break,
        }
    }
    assert_eq!(ids, (1..=8).collect::<Vec<_>>());
    let reversed = engine
        .get_execution_history(
            &execution_arn,
            &HistoryRequest {
                reverse_order: true,
                ..HistoryRequest::default()
            },
        )
        .unwrap();
    assert_eq!(
        reversed.events.first().unwrap().event_type,
        "ExecutionSucceeded"
    );
    let bad = HistoryRequest {
        next_token: Some("nonsense".into()),
        ..HistoryRequest::default()
    };
    assert_eq!(
        engine
            .get_execution_history(&execution_arn, &bad)
            .unwrap_err()
            .code(),
        "InvalidToken"
    );
}

#[tokio::test]
async fn a_pass_loop_ends_at_the_history_limit() {
    let config = EngineConfig {
        max_history_events: 500,
        ..EngineConfig::default()
    };
    let engine = Engine::with_config(Arc::new(VirtualClock::new()), TaskRegistry::new(), config);
    let (_, done) = run_to_end(
        &engine,
        "loop",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A"}}}"#,
        "{}",
    )
    .await;
    assert_eq!(done.status(), ExecutionStatus::Failed);
    assert_eq!(done.error(), Some("States.Runtime"));
}

#[tokio::test]
async fn the_execution_timeout_ends_a_long_wait() {
    let engine = virtual_engine(TaskRegistry::new());
    let (_, done) = run_to_end(
        &engine,
        "timeout",
        r#"{"TimeoutSeconds": 10, "StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}"#,
        "{}",
    )
    .await;
    assert_eq!(done.status(), ExecutionStatus::TimedOut);
    assert_eq!(
        done.stop_date
            .unwrap()
            .duration_since(done.start_date)
            .unwrap(),
        Duration::from_secs(10)
    );
}

#[tokio::test]
async fn map_and_parallel_record_their_events() {
    let engine = virtual_engine(TaskRegistry::new());
    let definition = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}], "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$[0].items", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}
    }});
    let (execution_arn, done) = run_to_end(
        &engine,
        "fan",
        &definition.to_string(),
        r#"{"items": [1, 2]}"#,
    )
    .await;
    assert_eq!(done.output(), Some(&json!([1, 2])));
    let types: Vec<String> = engine
        .get_execution_history(&execution_arn, &HistoryRequest::default())
        .unwrap()
        .events
        .into_iter()
        .map(|event| event.event_type)
        .collect();
    for expected in [
        "ParallelStateEntered",
        "ParallelStateStarted",
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "MapStateEntered",
        "MapStateStarted",
        "MapIterationStarted",
        "MapIterationSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
    ] {
        assert!(
            types.iter().any(|t| t == expected),
            "{expected} missing from {types:?}"
        );
    }
}
