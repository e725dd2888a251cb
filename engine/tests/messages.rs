//! Runs of statemachine/messages.asl.json, with a BuildMessage written here to the same contract
//! as shared::greeting (the engine cannot depend on the crate that embeds it).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use asl::{
    Clock, Engine, ExecutionStatus, HistoryRequest, StartExecution, TaskFailure, TaskRegistry,
    VirtualClock, handler_fn,
};
use serde_json::{Value, json};

const FUNCTION_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:BuildMessage";

fn definition() -> String {
    include_str!("../../statemachine/messages.asl.json")
        .replace("${BuildMessageFunctionArn}", FUNCTION_ARN)
}

fn build_message(clock: Arc<dyn Clock>) -> Arc<dyn asl::TaskHandler> {
    handler_fn(move |input: Value| {
        let clock = Arc::clone(&clock);
        async move {
            let audience = input["audience"]
                .as_str()
                .unwrap_or_default()
                .trim()
                .to_owned();
            if audience.is_empty() {
                return Err(TaskFailure::new(
                    "InvalidAudience",
                    "audience must not be blank",
                ));
            }
            let created_at = clock
                .now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_millis() as u64;
            Ok(
                json!({"message": format!("HELLO {}!", audience.to_uppercase()), "createdAt": created_at}),
            )
        }
    })
}

struct Fixture {
    engine: Engine,
    machine: String,
    clock: Arc<VirtualClock>,
}

fn origin() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn fixture_with(handler: impl FnOnce(Arc<dyn Clock>) -> Arc<dyn asl::TaskHandler>) -> Fixture {
    let clock = Arc::new(VirtualClock::frozen_at(origin()));
    let mut tasks = TaskRegistry::new();
    tasks.register_function(FUNCTION_ARN, handler(clock.clone()));
    let engine = Engine::new(clock.clone(), tasks);
    let machine = engine
        .create_state_machine("messages", &definition())
        .unwrap();
    Fixture {
        engine,
        machine,
        clock,
    }
}

fn fixture() -> Fixture {
    fixture_with(build_message)
}

async fn run(fixture: &Fixture, input: Value) -> asl::ExecutionDescription {
    let started = fixture
        .engine
        .start_execution(StartExecution::new(&fixture.machine).input_text(input.to_string()))
        .unwrap();
    fixture
        .engine
        .wait_for_execution(&started.execution_arn)
        .await
        .unwrap()
}

fn event_types(fixture: &Fixture, execution_arn: &str) -> Vec<String> {
    let page = fixture
        .engine
        .get_execution_history(
            execution_arn,
            &HistoryRequest {
                max_results: Some(1000),
                ..Default::default()
            },
        )
        .unwrap();
    page.events
        .into_iter()
        .map(|event| event.event_type)
        .collect()
}

#[tokio::test]
async fn the_audience_defaults_to_world() {
    let fixture = fixture();
    let done = run(&fixture, json!({})).await;
    assert_eq!(done.status(), ExecutionStatus::Succeeded);
    assert_eq!(done.output().unwrap()["message"], json!("HELLO WORLD!"));
}

#[tokio::test]
async fn a_given_audience_is_greeted() {
    let fixture = fixture();
    let done = run(&fixture, json!({"audience": "Step Functions"})).await;
    let output = done.output().unwrap();
    assert_eq!(output["message"], json!("HELLO STEP FUNCTIONS!"));
    assert_eq!(output["createdAt"], json!(1_700_000_000_000_u64));
    assert_eq!(
        output.as_object().unwrap().len(),
        2,
        "only message and createdAt: {output}"
    );
}

#[tokio::test]
async fn an_invalid_audience_fails_with_a_readable_cause() {
    let fixture = fixture();
    let done = run(&fixture, json!({"audience": " "})).await;
    assert_eq!(done.status(), ExecutionStatus::Failed);
    assert_eq!(done.error(), Some("InvalidAudience"));
    assert_eq!(done.cause(), Some("audience must not be blank"));
    assert_eq!(
        event_types(&fixture, &done.execution_arn),
        [
            "ExecutionStarted",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "FailStateEntered",
            "ExecutionFailed",
        ]
    );
}

#[tokio::test]
async fn a_delay_takes_no_wall_time_under_the_virtual_clock() {
    let fixture = fixture();
    let done = run(&fixture, json!({"audience": "later", "delaySeconds": 300})).await;
    assert_eq!(done.status(), ExecutionStatus::Succeeded);
    assert_eq!(
        done.stop_date
            .unwrap()
            .duration_since(done.start_date)
            .unwrap(),
        Duration::from_secs(300)
    );
    let events = fixture
        .engine
        .get_execution_history(&done.execution_arn, &HistoryRequest::default())
        .unwrap()
        .events;
    let at = |kind: &str| {
        events
            .iter()
            .find(|e| e.event_type == kind)
            .unwrap()
            .timestamp
    };
    assert_eq!(
        at("WaitStateExited")
            .duration_since(at("WaitStateEntered"))
            .unwrap(),
        Duration::from_secs(300)
    );
    assert_eq!(
        done.output().unwrap()["createdAt"],
        json!(1_700_000_300_000_u64)
    );
    assert_eq!(fixture.clock.now(), origin() + Duration::from_secs(300));
}

#[tokio::test]
async fn a_transient_lambda_error_is_retried() {
    let failures = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&failures);
    let fixture = fixture_with(move |clock| {
        let inner = build_message(clock);
        handler_fn(move |input: Value| {
            let inner = Arc::clone(&inner);
            let counter = Arc::clone(&counter);
            async move {
                if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                    return Err(TaskFailure::new("Lambda.ServiceException", "Rate exceeded"));
                }
                inner.invoke(input).await
            }
        })
    });
    let done = run(&fixture, json!({"audience": "again"})).await;
    assert_eq!(done.status(), ExecutionStatus::Succeeded);
    assert_eq!(done.output().unwrap()["message"], json!("HELLO AGAIN!"));
    assert_eq!(failures.load(Ordering::SeqCst), 2);
    let types = event_types(&fixture, &done.execution_arn);
    assert_eq!(types.iter().filter(|t| *t == "TaskScheduled").count(), 2);
    assert_eq!(types.iter().filter(|t| *t == "TaskFailed").count(), 1);
    // FULL jitter waits somewhere between nothing and the 1 s interval.
    assert!(
        done.stop_date
            .unwrap()
            .duration_since(done.start_date)
            .unwrap()
            <= Duration::from_secs(1)
    );
}

#[tokio::test]
async fn the_same_name_and_input_while_running_is_the_same_execution() {
    let fixture = fixture();
    let input = json!({"audience": "x", "delaySeconds": 5}).to_string();
    let first = fixture
        .engine
        .start_execution(
            StartExecution::new(&fixture.machine)
                .name("job-1")
                .input_text(&input),
        )
        .unwrap();
    let again = fixture.engine.start_execution(
        StartExecution::new(&fixture.machine)
            .name("job-1")
            .input_text(&input),
    );
    let done = fixture
        .engine
        .wait_for_execution(&first.execution_arn)
        .await
        .unwrap();
    assert_eq!(done.status(), ExecutionStatus::Succeeded);
    // Either the second call came while it ran (same execution) or after (already exists).
    match again {
        Ok(second) => assert_eq!(second, first),
        Err(error) => assert_eq!(error.code(), "ExecutionAlreadyExists"),
    }
    let after = fixture
        .engine
        .start_execution(
            StartExecution::new(&fixture.machine)
                .name("job-1")
                .input_text(&input),
        )
        .unwrap_err();
    assert_eq!(after.code(), "ExecutionAlreadyExists");
}

#[tokio::test]
async fn history_events_are_aws_shaped() {
    let fixture = fixture();
    let done = run(&fixture, json!({"audience": "shape"})).await;
    let events = fixture
        .engine
        .get_execution_history(&done.execution_arn, &HistoryRequest::default())
        .unwrap()
        .events;
    let first = events[0].to_json();
    assert_eq!(first["id"], json!(1));
    assert_eq!(first["previousEventId"], json!(0));
    assert_eq!(first["type"], json!("ExecutionStarted"));
    assert_eq!(
        first["executionStartedEventDetails"]["input"],
        json!("{\"audience\":\"shape\"}")
    );
    let scheduled = events
        .iter()
        .find(|e| e.event_type == "TaskScheduled")
        .unwrap()
        .to_json();
    let details = &scheduled["taskScheduledEventDetails"];
    assert_eq!(details["resourceType"], json!("lambda"));
    assert_eq!(details["resource"], json!("invoke"));
    let parameters: Value = serde_json::from_str(details["parameters"].as_str().unwrap()).unwrap();
    assert_eq!(
        parameters,
        json!({"FunctionName": FUNCTION_ARN, "Payload": {"audience": "shape"}})
    );
    let last = events.last().unwrap().to_json();
    assert_eq!(last["type"], json!("ExecutionSucceeded"));
    let output: Value = serde_json::from_str(
        last["executionSucceededEventDetails"]["output"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(output["message"], json!("HELLO SHAPE!"));
}
