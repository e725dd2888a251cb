//! A long-lived engine forgets ended executions past its limits, so its memory stays bounded;
//! running ones are never forgotten.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use asl::{
    Engine, EngineConfig, EngineError, ExecutionStatus, StartExecution, TaskRegistry, VirtualClock,
};

const PASS: &str = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#;
const WAIT: &str = r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}"#;

fn engine(config: EngineConfig) -> Engine {
    Engine::with_config(
        Arc::new(VirtualClock::frozen_at(SystemTime::UNIX_EPOCH)),
        TaskRegistry::new(),
        config,
    )
}

async fn run(engine: &Engine, machine: &str, name: &str) -> String {
    let started = engine
        .start_execution(StartExecution::new(machine).name(name).input_text("{}"))
        .unwrap();
    engine
        .wait_for_execution(&started.execution_arn)
        .await
        .unwrap();
    started.execution_arn
}

fn forgotten(engine: &Engine, arn: &str) -> bool {
    matches!(
        engine.describe_execution(arn),
        Err(EngineError::ExecutionDoesNotExist(_))
    )
}

#[tokio::test]
async fn past_the_count_limit_the_first_to_end_is_forgotten() {
    let engine = engine(EngineConfig {
        max_ended_executions: 2,
        ..EngineConfig::default()
    });
    let machine = engine.create_state_machine("pass", PASS).unwrap();
    let first = run(&engine, &machine, "first").await;
    let second = run(&engine, &machine, "second").await;
    assert!(!forgotten(&engine, &first));
    let third = run(&engine, &machine, "third").await;
    assert!(forgotten(&engine, &first));
    assert!(!forgotten(&engine, &second));
    assert!(!forgotten(&engine, &third));
    assert_eq!(engine.list_executions(&machine).unwrap().len(), 2);
}

#[tokio::test]
async fn ended_executions_are_forgotten_after_the_retention() {
    let engine = engine(EngineConfig {
        ended_execution_retention: Duration::from_secs(5),
        ..EngineConfig::default()
    });
    let pass = engine.create_state_machine("pass", PASS).unwrap();
    let wait = engine.create_state_machine("wait", WAIT).unwrap();
    let early = run(&engine, &pass, "early").await;
    // Ten virtual seconds later another execution ends, past the first one's retention.
    let late = run(&engine, &wait, "late").await;
    assert!(forgotten(&engine, &early));
    assert_eq!(
        engine.describe_execution(&late).unwrap().status(),
        ExecutionStatus::Succeeded
    );
}
