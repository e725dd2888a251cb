//! Property: whatever JSON an execution is started with, the engine answers (an output or an
//! error), never panics.

use std::sync::Arc;

use asl::{Engine, ExecutionStatus, StartExecution, TaskRegistry, VirtualClock, handler_fn};
use proptest::prelude::*;
use serde_json::{Value, json};

const DEFINITION: &str = r#"{
  "StartAt": "Shape",
  "States": {
    "Shape": {"Type": "Pass", "Parameters": {"first.$": "$..a", "all.$": "$", "n.$": "States.ArrayLength(States.Array($))"}, "Next": "Pick"},
    "Pick": {"Type": "Choice", "Choices": [
      {"Variable": "$.all.a", "NumericGreaterThan": 1, "Next": "Wait"},
      {"Not": {"Variable": "$.all.b", "IsPresent": true}, "Next": "Call"}
    ], "Default": "Map"},
    "Wait": {"Type": "Wait", "SecondsPath": "$.all.a", "Next": "Call"},
    "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Echo", "ResultPath": "$.echo", "Next": "Map"},
    "Map": {"Type": "Map", "ItemsPath": "$.first", "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}}, "End": true}
  }
}"#;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e9f64..1e9).prop_map(|n| json!(n)),
        "[a-z ]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[ab]|[a-z]{1,4}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_input_never_panics(input in json_value()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let status = runtime.block_on(async {
            let mut tasks = TaskRegistry::new();
            tasks.register_function("Echo", handler_fn(|input: Value| async move { Ok(input) }));
            let engine = Engine::new(Arc::new(VirtualClock::new()), tasks);
            let machine = engine.create_state_machine("random", DEFINITION).unwrap();
            let started = engine.start_execution(StartExecution::new(&machine).input_text(input.to_string())).unwrap();
            engine.wait_for_execution(&started.execution_arn).await.unwrap().status()
        });
        // A huge Wait may outlast the default one-year execution timeout: TIMED_OUT is an answer too.
        prop_assert_ne!(status, ExecutionStatus::Running);
    }
}
