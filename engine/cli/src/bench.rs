//! `asl bench`: N executions, C at a time, in this process.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use asl::StartExecution;
use clap::Args;
use serde_json::json;

use crate::load::{ClockChoice, clock, engine_with, input_text};
use crate::problem::Problem;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The definition (JSON file).
    #[arg(long)]
    definition: PathBuf,
    /// The execution input: a JSON file, or JSON text.
    #[arg(long, default_value = "{}")]
    input: String,
    /// How many executions to run.
    #[arg(short = 'n', default_value_t = 1000)]
    executions: usize,
    /// How many run at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    #[arg(long, value_enum, default_value = "virtual")]
    clock: ClockChoice,
}

pub async fn bench(args: BenchArgs) -> Result<String, Problem> {
    let input = Arc::new(input_text(&args.input)?);
    let (engine, arn) = engine_with(&args.definition, clock(args.clock))?;
    let arn = Arc::new(arn);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        let (engine, arn, input, next) = (
            engine.clone(),
            Arc::clone(&arn),
            Arc::clone(&input),
            Arc::clone(&next),
        );
        let total = args.executions;
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < total {
                let began = Instant::now();
                let execution = engine
                    .start_execution(StartExecution::new(arn.as_str()).input_text(input.as_str()))
                    .map_err(|e| e.to_string())?;
                engine
                    .wait_for_execution(&execution.execution_arn)
                    .await
                    .map_err(|e| e.to_string())?;
                latencies.push(began.elapsed());
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(args.executions);
    for worker in workers {
        let finished = worker
            .await
            .map_err(|error| Problem::new(error.to_string()))?;
        latencies.extend(finished.map_err(Problem::new)?);
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |latency| latency.as_secs_f64() * 1000.0)
    };
    Ok(json!({
        "executions": latencies.len(),
        "seconds": seconds,
        "executions_per_second": latencies.len() as f64 / seconds.max(f64::EPSILON),
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
    })
    .to_string())
}
