//! Benchmark 2: the local API under wrk (GET of a finished job, and full job cycles) versus a
//! bare axum "hello" route, one server at a time so they never share the cores.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::error::BenchError;
use crate::http;
use crate::process::{ChildGuard, free_port, loopback};
use crate::report::{Better, Row, Section, Target, Value, millis, rate};
use crate::wrk::{CYCLE_SCRIPT, Load, WrkResult};

pub const TITLE: &str = "Local API vs bare axum";
const READY_TIMEOUT: Duration = Duration::from_secs(30);
const JOB_TIMEOUT: Duration = Duration::from_secs(10);
const TARGET_SHARE: f64 = 0.5;
const TARGET_P99: Duration = Duration::from_millis(10);

pub struct Binaries {
    pub server: PathBuf,
    /// This very binary, which serves the hello route with `bench hello`.
    pub bench: PathBuf,
}

struct Results {
    hello: WrkResult,
    finished: WrkResult,
    /// The same GET with the server's per-request log lines turned off (RUST_LOG=warn): what
    /// logging every answer costs.
    quiet: WrkResult,
    cycle: WrkResult,
}

pub fn run(binaries: &Binaries, load: &Load, scratch: &Path) -> Section {
    match measure(binaries, load, scratch) {
        Ok(results) => Section::measured(TITLE, rows(&results), notes(load, &results)),
        Err(error) => Section::failed(TITLE, &error),
    }
}

fn measure(binaries: &Binaries, load: &Load, scratch: &Path) -> Result<Results, BenchError> {
    if !binaries.server.exists() {
        return Err(BenchError::MissingTool(binaries.server.clone()));
    }
    let hello = {
        let port = free_port()?;
        let mut command = Command::new(&binaries.bench);
        command.args(["hello", "--port", &port.to_string()]);
        let _server = start(
            command,
            "bench hello",
            port,
            "/",
            &scratch.join("hello.log"),
        )?;
        load.run(&format!("http://{}/", loopback(port)), "hello", "", scratch)?
    };
    let (finished, cycle) = {
        let (_server, address) = server(&binaries.server, None, scratch)?;
        let location = finished_job(address)?;
        let finished = load.run(
            &format!("http://{address}{location}"),
            "finished",
            "",
            scratch,
        )?;
        let cycle = load.run(
            &format!("http://{address}/"),
            "cycle",
            CYCLE_SCRIPT,
            scratch,
        )?;
        (finished, cycle)
    };
    let quiet = {
        let (_server, address) = server(&binaries.server, Some("warn"), scratch)?;
        let location = finished_job(address)?;
        load.run(&format!("http://{address}{location}"), "quiet", "", scratch)?
    };
    Ok(Results {
        hello,
        finished,
        quiet,
        cycle,
    })
}

/// The release server on the embedded engine, with its default settings unless `log_level`.
fn server(
    binary: &Path,
    log_level: Option<&str>,
    scratch: &Path,
) -> Result<(ChildGuard, SocketAddr), BenchError> {
    let port = free_port()?;
    let mut command = Command::new(binary);
    command.args(["--host", "127.0.0.1", "--port", &port.to_string()]);
    let log = match log_level {
        Some(level) => {
            command.env("RUST_LOG", level);
            scratch.join(format!("server-{level}.log"))
        }
        None => scratch.join("server.log"),
    };
    let process = start(command, "server", port, "/healthz", &log)?;
    Ok((process, loopback(port)))
}

fn start(
    command: Command,
    name: &str,
    port: u16,
    ready_path: &str,
    log: &Path,
) -> Result<ChildGuard, BenchError> {
    let mut process = ChildGuard::spawn(name, command, log)?;
    process.wait_until(READY_TIMEOUT, || {
        http::get(loopback(port), ready_path).is_ok_and(|response| response.status == 200)
    })?;
    Ok(process)
}

/// Submits one job and waits until it has finished; returns its Location.
fn finished_job(server: SocketAddr) -> Result<String, BenchError> {
    let submitted = http::post_json(server, "/messages", r#"{"audience":"bench"}"#)?;
    let location = match (submitted.status, submitted.header("location")) {
        (202, Some(location)) => location.to_owned(),
        _ => {
            return Err(BenchError::Http {
                what: "POST /messages".into(),
                detail: format!("{} {}", submitted.status, submitted.body),
            });
        }
    };
    let deadline = Instant::now() + JOB_TIMEOUT;
    loop {
        let polled = http::get(server, &location)?;
        if polled.status == 200 && polled.body.contains("\"SUCCEEDED\"") {
            return Ok(location);
        }
        if Instant::now() > deadline {
            return Err(BenchError::Http {
                what: format!("GET {location}"),
                detail: format!(
                    "not SUCCEEDED after {} s: {}",
                    JOB_TIMEOUT.as_secs(),
                    polled.body
                ),
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn rows(results: &Results) -> Vec<Row> {
    let hello = &results.hello;
    let baseline = "bare axum hello";
    let throughput =
        |result: &WrkResult| Value::new(result.per_second(), rate(result.per_second()));
    let latency = |value: Duration| Value::new(value.as_secs_f64(), millis(value));
    let finished = &results.finished;
    let share = finished.per_second() / hello.per_second().max(f64::EPSILON);
    let cycle = &results.cycle;
    vec![
        Row::new(
            "GET /messages/{id}, finished job: requests/s",
            throughput(finished),
            baseline,
            throughput(hello),
            Better::Higher,
        )
        .with_target(Target::new(
            format!("≥ {TARGET_SHARE}× bare axum"),
            share >= TARGET_SHARE,
        )),
        Row::new(
            "GET /messages/{id}, finished job: p50",
            latency(finished.p50()),
            baseline,
            latency(hello.p50()),
            Better::Lower,
        ),
        Row::new(
            "GET /messages/{id}, finished job: p99",
            latency(finished.p99()),
            baseline,
            latency(hello.p99()),
            Better::Lower,
        )
        .with_target(Target::new(
            format!("p99 < {} ms", TARGET_P99.as_millis()),
            finished.p99() < TARGET_P99,
        )),
        Row::new(
            "GET /messages/{id}, finished job, RUST_LOG=warn: requests/s",
            throughput(&results.quiet),
            baseline,
            throughput(hello),
            Better::Higher,
        ),
        Row::new(
            "full job cycle (POST, GET until done): requests/s",
            Value::new(
                cycle.per_second(),
                format!(
                    "{} ({} jobs/s, {:.1} requests per job)",
                    rate(cycle.per_second()),
                    rate(cycle.cycles_per_second()).trim_end_matches("/s"),
                    cycle.requests as f64 / cycle.cycles.max(1) as f64
                ),
            ),
            baseline,
            throughput(hello),
            Better::Higher,
        ),
        Row::new(
            "full job cycle: p50 per request",
            latency(cycle.p50()),
            baseline,
            latency(hello.p50()),
            Better::Lower,
        ),
        Row::new(
            "full job cycle: p99 per request",
            latency(cycle.p99()),
            baseline,
            latency(hello.p99()),
            Better::Lower,
        ),
    ]
}

fn notes(load: &Load, results: &Results) -> Vec<String> {
    let mut notes = vec![
        format!(
            "wrk, {} connections on {} threads, {} s per run, 127.0.0.1 only; the release \
             `server` binary (embedded engine, its default settings) and `bench hello` (a bare \
             axum route on the same runtime set-up) ran one after the other, never together.",
            load.connections,
            load.threads,
            load.duration.as_secs()
        ),
        "Finished job: one job submitted and polled until SUCCEEDED, then wrk GETs its \
         Location. The RUST_LOG=warn row is the same run on a fresh server that does not write \
         its per-request `answered` log line: the difference is what that line costs."
            .into(),
        "Full job cycle: each wrk request is a POST /messages or a GET of a job still running; \
         a job counts once a GET sees it final. Retry-After is not honoured here (this measures \
         the server's cost per cycle); the obedient client is the workflow-calls benchmark."
            .into(),
    ];
    for (name, result) in [
        ("hello", &results.hello),
        ("finished job", &results.finished),
        ("finished job, RUST_LOG=warn", &results.quiet),
        ("full cycle", &results.cycle),
    ] {
        if result.errors() > 0 {
            notes.push(format!(
                "{name}: {} socket errors and {} non-2xx/3xx answers out of {} requests.",
                result.socket_errors, result.status_errors, result.requests
            ));
        }
    }
    notes
}
