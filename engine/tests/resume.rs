//! Resuming an execution from a recorded transition: the observer sees every top-level state
//! entered, and an execution resumed from any of them ends as the uninterrupted run did.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use asl::{
    Engine, ExecutionDescription, ExecutionObserver, ExecutionStatus, HistoryRequest, ResumePoint,
    StartExecution, StateTransition, TaskRegistry, VirtualClock,
};
use serde_json::{Value, json};

/// Three states, each changing the data, with a variable assigned in the first.
fn three_states() -> String {
    json!({
        "StartAt": "Double",
        "States": {
            "Double": {
                "Type": "Pass",
                "Parameters": {"n.$": "States.MathAdd($.n, $.n)"},
                "Assign": {"original.$": "$.n"},
                "Next": "Nap"
            },
            "Nap": {"Type": "Wait", "Seconds": 100, "Next": "Report"},
            "Report": {
                "Type": "Pass",
                "Parameters": {"n.$": "$.n", "original.$": "$original", "at.$": "$$.State.EnteredTime"},
                "End": true
            }
        }
    })
    .to_string()
}

#[derive(Default)]
struct Recorder {
    transitions: Mutex<Vec<ResumePoint>>,
    ended: Mutex<Vec<ExecutionDescription>>,
}

impl ExecutionObserver for Recorder {
    fn state_entered(&self, transition: &StateTransition<'_>) {
        self.transitions.lock().unwrap().push(ResumePoint {
            state: transition.state.to_owned(),
            input: transition.input.clone(),
            variables: transition.variables.clone(),
            entered_at: transition.entered_at,
        });
    }

    fn execution_ended(&self, execution: &ExecutionDescription) {
        self.ended.lock().unwrap().push(execution.clone());
    }
}

fn observed_engine(origin: SystemTime) -> (Engine, String, Arc<Recorder>) {
    let engine = Engine::new(
        Arc::new(VirtualClock::frozen_at(origin)),
        TaskRegistry::new(),
    );
    let arn = engine
        .create_state_machine("three", &three_states())
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    engine.set_observer(recorder.clone());
    (engine, arn, recorder)
}

#[tokio::test]
async fn a_resumed_execution_ends_as_the_uninterrupted_one() {
    let origin = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let (engine, arn, recorder) = observed_engine(origin);
    let started = engine
        .start_execution(
            StartExecution::new(&arn)
                .name("whole")
                .input_text(r#"{"n": 21}"#),
        )
        .unwrap();
    let whole = engine
        .wait_for_execution(&started.execution_arn)
        .await
        .unwrap();
    assert_eq!(whole.status(), ExecutionStatus::Succeeded);
    let transitions = recorder.transitions.lock().unwrap().clone();
    let states: Vec<&str> = transitions
        .iter()
        .map(|point| point.state.as_str())
        .collect();
    assert_eq!(states, ["Double", "Nap", "Report"]);
    assert_eq!(recorder.ended.lock().unwrap().len(), 1);

    // A new process (engine) picks up at the 2nd state, part-way through its Wait.
    let (later, later_arn, later_recorder) = observed_engine(origin + Duration::from_secs(60));
    let resumed = later
        .start_execution(
            StartExecution::new(&later_arn)
                .name("whole")
                .input(json!({"n": 21}))
                .resume(origin, transitions[1].clone()),
        )
        .unwrap();
    assert_eq!(resumed.execution_arn, started.execution_arn);
    assert_eq!(resumed.start_date, origin);
    let again = later
        .wait_for_execution(&resumed.execution_arn)
        .await
        .unwrap();
    assert_eq!(again.status(), ExecutionStatus::Succeeded);
    assert_eq!(again.output(), whole.output());
    assert_eq!(
        again.output().unwrap()["n"],
        json!(42),
        "{:?}",
        again.output()
    );
    assert_eq!(again.start_date, origin);
    assert_eq!(
        later.clock().now(),
        origin + Duration::from_secs(100),
        "the Wait's deadline counts from when it was first entered"
    );
    let history = later
        .get_execution_history(&resumed.execution_arn, &HistoryRequest::default())
        .unwrap();
    let types: Vec<&str> = history
        .events
        .iter()
        .map(|event| event.event_type.as_str())
        .collect();
    assert_eq!(
        types[..4],
        [
            "ExecutionStarted",
            "ExecutionRedriven",
            "WaitStateEntered",
            "WaitStateExited"
        ]
    );
    assert_eq!(history.events[0].timestamp, origin);
    assert!(
        history
            .events
            .windows(2)
            .all(|pair| pair[0].timestamp <= pair[1].timestamp)
    );
    let ended = later_recorder.ended.lock().unwrap().clone();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].output(), whole.output());
}

#[tokio::test]
async fn resuming_at_an_unknown_state_or_a_known_name_is_refused() {
    let origin = SystemTime::UNIX_EPOCH;
    let (engine, arn, _) = observed_engine(origin);
    let point = |state: &str| ResumePoint {
        state: state.to_owned(),
        input: json!({"n": 1}),
        variables: Default::default(),
        entered_at: origin,
    };
    assert!(
        engine
            .start_execution(
                StartExecution::new(&arn)
                    .name("x")
                    .input(Value::Null)
                    .resume(origin, point("Nowhere"))
            )
            .is_err()
    );
    engine
        .start_execution(
            StartExecution::new(&arn)
                .name("x")
                .input(json!({"n": 1}))
                .resume(origin, point("Report")),
        )
        .unwrap();
    assert!(
        engine
            .start_execution(
                StartExecution::new(&arn)
                    .name("x")
                    .input(json!({"n": 1}))
                    .resume(origin, point("Report"))
            )
            .is_err()
    );
}

#[tokio::test]
async fn a_resumed_execution_counts_as_redriven_in_its_context() {
    let origin = SystemTime::UNIX_EPOCH;
    let engine = Engine::new(
        Arc::new(VirtualClock::frozen_at(origin)),
        TaskRegistry::new(),
    );
    let machine = engine
        .create_state_machine(
            "count",
            r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"count.$":"$$.Execution.RedriveCount"},"End":true}}}"#,
        )
        .unwrap();
    let point = ResumePoint {
        state: "P".into(),
        input: json!({}),
        variables: Default::default(),
        entered_at: origin,
    };
    let fresh = engine
        .start_execution(StartExecution::new(&machine).name("fresh").input_text("{}"))
        .unwrap();
    let resumed = engine
        .start_execution(
            StartExecution::new(&machine)
                .name("resumed")
                .input(json!({}))
                .resume(origin, point),
        )
        .unwrap();
    for (arn, count) in [(fresh.execution_arn, 0), (resumed.execution_arn, 1)] {
        let done = engine.wait_for_execution(&arn).await.unwrap();
        assert_eq!(done.output(), Some(&json!({ "count": count })));
    }
}
