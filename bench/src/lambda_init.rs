//! Benchmark 4: each Lambda's `bootstrap` from `cargo lambda build --release` (size, and
//! zipped), and its init time: from spawning it to its first GET .../invocation/next against
//! a local runtime-API stub, with no network (dummy credentials, endpoints on a dead port).
//! The baseline for init is a Python function doing the same with boto3.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;

use crate::error::BenchError;
use crate::process::ChildGuard;
use crate::report::{Better, Row, Section, Target, Value, millis, with_unit};
use crate::runtime_stub::{self, Arrival};
use crate::stats::Samples;

pub const TITLE: &str = "Lambda artifacts and init";
const PYTHON_INIT: &str = include_str!("scripts/python_init.py");
const MIB: f64 = 1024.0 * 1024.0;
const SIZE_BUDGET_MIB: f64 = 6.0;
const INIT_BUDGET: Duration = Duration::from_millis(20);
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Settings {
    /// Where `cargo lambda build --output-format zip` left `<name>/bootstrap.zip`.
    pub lambda_dir: PathBuf,
    /// Where cargo left each Lambda's binary: the very file the zip holds as `bootstrap`.
    pub binaries_dir: PathBuf,
    pub handlers: Vec<String>,
    /// A Python with boto3, for the baseline.
    pub python: PathBuf,
    pub spawns: usize,
}

pub fn run(settings: &Settings, runtime: &Runtime, scratch: &Path) -> Section {
    let (sender, arrivals) = mpsc::channel();
    let api = match runtime_stub::start(runtime, sender) {
        Ok(api) => api,
        Err(error) => return Section::failed(TITLE, &error),
    };
    let script = scratch.join("python_init.py");
    let baseline = std::fs::write(&script, PYTHON_INIT)
        .map_err(BenchError::io(format!("write {}", script.display())))
        .and_then(|()| {
            if !settings.python.exists() {
                return Err(BenchError::MissingTool(settings.python.clone()));
            }
            let command = || {
                let mut command = Command::new(&settings.python);
                command.arg(&script);
                command
            };
            init_samples(
                "python",
                &command,
                &api,
                &arrivals,
                settings.spawns,
                scratch,
            )
        });
    let baseline = match baseline {
        Ok(baseline) => baseline,
        Err(error) => return Section::failed(TITLE, &error),
    };

    let mut rows = Vec::new();
    let mut notes = vec![
        format!(
            "Sizes of each `bootstrap` from `cargo lambda build --release --x86-64 \
             --output-format zip` (the binary it packs, and `target/lambda/<name>/bootstrap.zip`); \
             the baseline is the issue's budget of {SIZE_BUDGET_MIB} MiB."
        ),
        format!(
            "Init: {} spawns per binary, from spawn to its first GET /2018-06-01/runtime/\
             invocation/next at a stub on 127.0.0.1 (AWS_LAMBDA_RUNTIME_API), with a clean \
             environment: Lambda's variables, dummy credentials, region, and every AWS endpoint \
             on a dead loopback port so any network call in init would fail, not leave the \
             machine. p50 is shown; the target is read on p50.",
            settings.spawns
        ),
        format!(
            "Baseline: a Python function's init (python3 + `import boto3` + \
             `boto3.client(\"stepfunctions\")` + the first /next): p50 {}, p99 {}.",
            millis(baseline.percentile(50.0)),
            millis(baseline.percentile(99.0))
        ),
    ];
    for name in &settings.handlers {
        let bootstrap = settings.binaries_dir.join(name);
        let zip = settings.lambda_dir.join(name).join("bootstrap.zip");
        match size_row(name, &bootstrap, &zip) {
            Ok(row) => rows.push(row),
            Err(error) => notes.push(format!("{name}: no size: {error}")),
        }
        let command = || Command::new(&bootstrap);
        match init_samples(name, &command, &api, &arrivals, settings.spawns, scratch) {
            Ok(samples) => {
                let p50 = samples.percentile(50.0);
                rows.push(
                    Row::new(
                        format!("{name}: init to first /next (p50)"),
                        Value::new(p50.as_secs_f64(), millis(p50)),
                        "Python + boto3",
                        Value::new(
                            baseline.percentile(50.0).as_secs_f64(),
                            millis(baseline.percentile(50.0)),
                        ),
                        Better::Lower,
                    )
                    .with_target(Target::new(
                        format!("≤ {} ms", INIT_BUDGET.as_millis()),
                        p50 <= INIT_BUDGET,
                    )),
                );
                notes.push(format!(
                    "{name}: init p50 {}, p99 {}, over {} spawns.",
                    millis(p50),
                    millis(samples.percentile(99.0)),
                    samples.count()
                ));
            }
            Err(error) => notes.push(format!("{name}: no init time: {error}")),
        }
    }
    Section::measured(TITLE, rows, notes)
}

fn size_row(name: &str, bootstrap: &Path, zip: &Path) -> Result<Row, BenchError> {
    let size = file_size(bootstrap)? as f64 / MIB;
    let zipped = file_size(zip)
        .map(|bytes| format!(" ({:.2} MiB zipped)", bytes as f64 / MIB))
        .unwrap_or_default();
    Ok(Row::new(
        format!("{name}: bootstrap size"),
        Value::new(size, format!("{}{zipped}", with_unit(size, 2, "MiB"))),
        "budget",
        Value::new(SIZE_BUDGET_MIB, with_unit(SIZE_BUDGET_MIB, 2, "MiB")),
        Better::Lower,
    )
    .with_target(Target::new(
        format!("≤ {SIZE_BUDGET_MIB} MiB"),
        size <= SIZE_BUDGET_MIB,
    )))
}

fn file_size(path: &Path) -> Result<u64, BenchError> {
    std::fs::metadata(path)
        .map(|metadata| metadata.len())
        .map_err(BenchError::io(format!("read {}", path.display())))
}

/// Spawns what `command` builds `spawns` times, one at a time, timing each to its first /next.
fn init_samples(
    name: &str,
    command: &dyn Fn() -> Command,
    api: &str,
    arrivals: &Receiver<Arrival>,
    spawns: usize,
    scratch: &Path,
) -> Result<Samples, BenchError> {
    let log = scratch.join(format!("init-{name}.log"));
    let mut latencies = Vec::with_capacity(spawns);
    let started = Instant::now();
    for _ in 0..spawns {
        while arrivals.try_recv().is_ok() {}
        let spawned_at = Instant::now();
        let mut lambda = command();
        lambda_environment(&mut lambda, name, api);
        let mut process = ChildGuard::spawn(name, lambda, &log)?;
        latencies.push(first_next(name, &mut process, arrivals, spawned_at)?);
    }
    Ok(Samples::new(latencies, started.elapsed()))
}

fn first_next(
    name: &str,
    process: &mut ChildGuard,
    arrivals: &Receiver<Arrival>,
    spawned_at: Instant,
) -> Result<Duration, BenchError> {
    let deadline = spawned_at + INIT_TIMEOUT;
    loop {
        match arrivals.recv_timeout(Duration::from_millis(5)) {
            Ok(Arrival::Next(at)) => return Ok(at.duration_since(spawned_at)),
            Ok(Arrival::InitError(body)) => {
                return Err(BenchError::Exited(format!(
                    "{name} reported an init error: {body}"
                )));
            }
            Err(_) if !process.is_running() => {
                return Err(BenchError::Exited(format!(
                    "{name} (before asking for an invocation)"
                )));
            }
            Err(_) if Instant::now() > deadline => {
                return Err(BenchError::NotReady {
                    what: format!("{name}'s first /next"),
                    seconds: INIT_TIMEOUT.as_secs(),
                    log: "see target/bench".into(),
                });
            }
            Err(_) => {}
        }
    }
}

/// What Lambda sets for a function, and nothing from this machine: no profile, no
/// credentials file, every AWS endpoint on a port where nothing listens.
fn lambda_environment(command: &mut Command, name: &str, api: &str) {
    command
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", api)
        .env("AWS_LAMBDA_FUNCTION_NAME", name)
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}"))
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("AWS_SESSION_TOKEN", "bench")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("_HANDLER", "bootstrap")
        .env(
            "STATE_MACHINE_ARN",
            "arn:aws:states:us-east-1:123456789012:stateMachine:messages",
        )
        .env("RUST_LOG", "info");
}
