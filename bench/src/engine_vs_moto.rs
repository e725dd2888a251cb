//! Benchmark 1: executions per second of statemachine/messages.asl.json, start to final state,
//! through the embedded engine's runtime API versus a local moto server driven by aws-sdk-sfn.
//! Both sides run the same count per batch at the same concurrency: one execution at a time on
//! one thread, then several in flight on every core.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use asl::{Engine, ExecutionStatus, StartExecution};
use aws_sdk_sfn::types::ExecutionStatus as SfnStatus;
use shared::workflow::embedded::{EmbeddedWorkflow, RealClock};
use tokio::runtime::Runtime;

use crate::error::BenchError;
use crate::moto::{MotoServer, create_messages_state_machine, sdk_failure};
use crate::report::{Better, Row, Section, Target, Value, millis, rate};
use crate::stats::Samples;

pub const TITLE: &str = "Engine vs moto";
const INPUT: &str = r#"{"audience": "Step Functions"}"#;
/// How often the moto client re-reads a running execution.
const MOTO_POLL_INTERVAL: Duration = Duration::from_millis(10);
/// One moto execution taking longer than this means moto is stuck, not slow.
const MOTO_EXECUTION_TIMEOUT: Duration = Duration::from_secs(30);
/// The engine repeats its batch until this much time has passed, for a stable rate...
const ENGINE_MIN_TIME: Duration = Duration::from_secs(2);
/// ...but never more than this many batches.
const ENGINE_MAX_BATCHES: usize = 2_000;
const TARGET_RATIO: f64 = 1000.0;

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Executions per batch, on both sides.
    pub count: usize,
    /// Executions in flight in the all-cores runs.
    pub concurrency: usize,
    pub cores: usize,
    /// Moto stops starting new executions after this long.
    pub moto_budget: Duration,
}

struct Side {
    engine: Samples,
    moto: Samples,
}

pub fn run(settings: Settings, runtime: &Runtime, moto_server: &Path, logs: &Path) -> Section {
    match measure(settings, runtime, moto_server, logs) {
        Ok((one, all)) => Section::measured(
            TITLE,
            rows(settings, &one, &all),
            notes(settings, &one, &all),
        ),
        Err(error) => Section::failed(TITLE, &error),
    }
}

fn measure(
    settings: Settings,
    runtime: &Runtime,
    moto_server: &Path,
    logs: &Path,
) -> Result<(Side, Side), BenchError> {
    let one_engine = engine_samples(1, 1, settings.count)?;
    let all_engine = engine_samples(settings.cores, settings.concurrency, settings.count)?;
    let moto = MotoServer::start(moto_server, &logs.join("moto-engine.log"))?;
    let (one_moto, all_moto) = runtime.block_on(async {
        let client = moto.sfn_client();
        let arn = create_messages_state_machine(&client, "messages-bench").await?;
        let one = moto_samples(&client, &arn, "one", 1, settings).await?;
        let all = moto_samples(&client, &arn, "all", settings.concurrency, settings).await?;
        Ok::<_, BenchError>((one, all))
    })?;
    Ok((
        Side {
            engine: one_engine,
            moto: one_moto,
        },
        Side {
            engine: all_engine,
            moto: all_moto,
        },
    ))
}

/// Runs batches on a runtime of `threads` workers (a current-thread runtime for one).
fn engine_samples(threads: usize, concurrency: usize, count: usize) -> Result<Samples, BenchError> {
    let runtime = if threads == 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(threads);
        builder
    }
    .enable_all()
    .build()
    .map_err(BenchError::io("build the engine's runtime"))?;
    runtime.block_on(async {
        let workflow = EmbeddedWorkflow::messages(Arc::new(RealClock))
            .map_err(|error| BenchError::Engine(error.to_string()))?;
        let engine = workflow.engine().clone();
        let arn = workflow.state_machine_arn().to_owned();
        let started = Instant::now();
        let mut batches = Vec::new();
        while batches.len() < ENGINE_MAX_BATCHES
            && (batches.is_empty() || started.elapsed() < ENGINE_MIN_TIME)
        {
            let batch = batches.len();
            batches.push(engine_batch(&engine, &arn, batch, count, concurrency).await?);
        }
        Ok(Samples::merge(batches))
    })
}

async fn engine_batch(
    engine: &Engine,
    arn: &str,
    batch: usize,
    count: usize,
    concurrency: usize,
) -> Result<Samples, BenchError> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (engine, arn, next) = (engine.clone(), arn.to_owned(), Arc::clone(&next));
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= count {
                        return Ok::<_, BenchError>(latencies);
                    }
                    let name = format!("b{batch}-{index}");
                    let began = Instant::now();
                    let started = engine
                        .start_execution(StartExecution::new(&arn).name(&name).input_text(INPUT))
                        .map_err(|error| BenchError::Engine(error.to_string()))?;
                    let ended = engine
                        .wait_for_execution(&started.execution_arn)
                        .await
                        .map_err(|error| BenchError::Engine(error.to_string()))?;
                    if ended.status() != ExecutionStatus::Succeeded {
                        return Err(BenchError::Engine(format!(
                            "execution {name} ended {:?}: {:?}",
                            ended.status(),
                            ended.cause()
                        )));
                    }
                    latencies.push(began.elapsed());
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(count);
    for worker in workers {
        let done = worker
            .await
            .map_err(|error| BenchError::Engine(format!("a worker panicked: {error}")))??;
        latencies.extend(done);
    }
    Ok(Samples::new(latencies, started.elapsed()))
}

/// StartExecution, then DescribeExecution every few milliseconds until the execution ends.
async fn moto_samples(
    client: &aws_sdk_sfn::Client,
    arn: &str,
    label: &str,
    concurrency: usize,
    settings: Settings,
) -> Result<Samples, BenchError> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, arn, next) = (client.clone(), arn.to_owned(), Arc::clone(&next));
            let label = label.to_owned();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= settings.count || started.elapsed() > settings.moto_budget {
                        return Ok::<_, BenchError>(latencies);
                    }
                    let began = Instant::now();
                    moto_execution(&client, &arn, &format!("{label}-{index}")).await?;
                    latencies.push(began.elapsed());
                }
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for worker in workers {
        let done = worker
            .await
            .map_err(|error| BenchError::Engine(format!("a moto client panicked: {error}")))??;
        latencies.extend(done);
    }
    if latencies.is_empty() {
        return Err(BenchError::NoSamples("no moto execution finished".into()));
    }
    Ok(Samples::new(latencies, started.elapsed()))
}

async fn moto_execution(
    client: &aws_sdk_sfn::Client,
    arn: &str,
    name: &str,
) -> Result<(), BenchError> {
    let started = client
        .start_execution()
        .state_machine_arn(arn)
        .name(name)
        .input(INPUT)
        .send()
        .await
        .map_err(|error| sdk_failure("StartExecution", error))?;
    let deadline = Instant::now() + MOTO_EXECUTION_TIMEOUT;
    loop {
        let described = client
            .describe_execution()
            .execution_arn(started.execution_arn())
            .send()
            .await
            .map_err(|error| sdk_failure("DescribeExecution", error))?;
        if described.status != SfnStatus::Running {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(BenchError::NoSamples(format!(
                "moto execution {name} still running after {} s",
                MOTO_EXECUTION_TIMEOUT.as_secs()
            )));
        }
        tokio::time::sleep(MOTO_POLL_INTERVAL).await;
    }
}

fn rows(settings: Settings, one: &Side, all: &Side) -> Vec<Row> {
    let mut rows = Vec::new();
    for (side, how) in [
        (one, "1 thread, 1 in flight".to_owned()),
        (
            all,
            format!(
                "{} cores, {} in flight",
                settings.cores, settings.concurrency
            ),
        ),
    ] {
        let throughput = Row::new(
            format!("executions/s ({how})"),
            Value::new(side.engine.per_second(), rate(side.engine.per_second())),
            "moto",
            Value::new(side.moto.per_second(), rate(side.moto.per_second())),
            Better::Higher,
        );
        let ratio = throughput.advantage().unwrap_or(0.0);
        rows.push(throughput.with_target(Target::new(
            format!("≥ {TARGET_RATIO:.0}× moto"),
            ratio >= TARGET_RATIO,
        )));
        for percent in [50.0, 99.0] {
            let (ours, theirs) = (
                side.engine.percentile(percent),
                side.moto.percentile(percent),
            );
            rows.push(Row::new(
                format!("p{percent:.0} per execution ({how})"),
                Value::new(ours.as_secs_f64(), millis(ours)),
                "moto",
                Value::new(theirs.as_secs_f64(), millis(theirs)),
                Better::Lower,
            ));
        }
    }
    rows
}

fn notes(settings: Settings, one: &Side, all: &Side) -> Vec<String> {
    vec![
        format!(
            "Engine: `asl::Engine::start_execution` then `wait_for_execution` on the messages \
             state machine with BuildMessage in-process (the server's EmbeddedWorkflow set-up), \
             in batches of {} executions repeated for at least {} s: {} executions on one \
             thread, {} on {} cores.",
            settings.count,
            ENGINE_MIN_TIME.as_secs(),
            one.engine.count(),
            all.engine.count(),
            settings.cores
        ),
        format!(
            "Moto: the same definition on moto_server (execute_state_machine on), aws-sdk-sfn \
             StartExecution then DescribeExecution every {} ms until the status is final; {} \
             executions one at a time, {} with {} in flight (at most {} s each).",
            MOTO_POLL_INTERVAL.as_millis(),
            one.moto.count(),
            all.moto.count(),
            settings.concurrency,
            settings.moto_budget.as_secs()
        ),
        "Moto's Lambda tasks echo their input instead of running BuildMessage, so its \
         executions end FAILED (States.Runtime at the ResultSelector) after the same states; \
         the engine's end SUCCEEDED with the real greeting."
            .into(),
        "Latency is per execution, from the start call to seeing the final state.".into(),
    ]
}
