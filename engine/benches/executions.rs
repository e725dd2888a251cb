//! Executions per second of statemachine/messages.asl.json (BuildMessage in-process) and of a
//! 20-state Pass/Choice machine: one execution at a time on one thread, and several in flight
//! on every core, each worker starting its next execution when its last one ended (the shape
//! of scripts/bench's engine figure).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use asl::{Engine, RealClock, StartExecution, TaskFailure, TaskRegistry, VirtualClock, handler_fn};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Map, Value, json};

const FUNCTION_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:BuildMessage";
const BATCH: usize = 100;
/// Executions in flight on all cores, as in scripts/bench.
const IN_FLIGHT: usize = 8;

fn messages_engine() -> (Engine, String) {
    let mut tasks = TaskRegistry::new();
    tasks.register_function(
        FUNCTION_ARN,
        handler_fn(|input: Value| async move {
            match input["audience"].as_str().map(str::trim) {
                Some(audience) if !audience.is_empty() => {
                    Ok(json!({"message": format!("HELLO {}!", audience.to_uppercase()), "createdAt": 0}))
                }
                _ => Err(TaskFailure::new("InvalidAudience", "audience must not be blank")),
            }
        }),
    );
    // The clock the server and scripts/bench run messages on.
    let engine = Engine::new(Arc::new(RealClock), tasks);
    let definition = include_str!("../../statemachine/messages.asl.json")
        .replace("${BuildMessageFunctionArn}", FUNCTION_ARN);
    let arn = engine
        .create_state_machine("messages", &definition)
        .unwrap();
    (engine, arn)
}

/// Ten Pass states each followed by a Choice on a counter: twenty states per execution.
fn pass_choice_engine() -> (Engine, String) {
    let mut states = Map::new();
    for i in 0..10 {
        let next = if i == 9 {
            "Done".to_owned()
        } else {
            format!("Pass{}", i + 1)
        };
        states.insert(
            format!("Pass{i}"),
            json!({"Type": "Pass", "Result": i, "ResultPath": "$.step", "Next": format!("Choice{i}")}),
        );
        states.insert(
            format!("Choice{i}"),
            json!({"Type": "Choice", "Choices": [{"Variable": "$.step", "NumericEquals": i, "Next": next}], "Default": "Done"}),
        );
    }
    states.insert("Done".into(), json!({"Type": "Succeed"}));
    let definition = json!({"StartAt": "Pass0", "States": states});
    let engine = Engine::new(Arc::new(VirtualClock::new()), TaskRegistry::new());
    let arn = engine
        .create_state_machine("pass-choice", &definition.to_string())
        .unwrap();
    (engine, arn)
}

async fn run_batch(engine: &Engine, arn: &str, input: &'static str, in_flight: usize) {
    let next = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..in_flight)
        .map(|_| {
            let (engine, arn, next) = (engine.clone(), arn.to_owned(), Arc::clone(&next));
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < BATCH {
                    let started = engine
                        .start_execution(StartExecution::new(&arn).input_text(input))
                        .unwrap();
                    engine
                        .wait_for_execution(&started.execution_arn)
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
}

fn benchmark(c: &mut Criterion) {
    let runtimes = [
        (
            "one thread, 1 in flight",
            1,
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
        ),
        (
            "all cores, 8 in flight",
            IN_FLIGHT,
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap(),
        ),
    ];
    let mut group = c.benchmark_group("executions");
    group.throughput(Throughput::Elements(BATCH as u64));
    for (threads, in_flight, runtime) in &runtimes {
        let (engine, arn) = messages_engine();
        group.bench_function(format!("messages.asl.json, {threads}"), |b| {
            b.iter(|| {
                runtime.block_on(run_batch(
                    &engine,
                    &arn,
                    r#"{"audience": "bench"}"#,
                    *in_flight,
                ))
            });
        });
        let (engine, arn) = pass_choice_engine();
        group.bench_function(format!("20-state Pass/Choice, {threads}"), |b| {
            b.iter(|| runtime.block_on(run_batch(&engine, &arn, "{}", *in_flight)));
        });
    }
    group.finish();
}

criterion_group!(benches, benchmark);
criterion_main!(benches);
