//! Benchmark 3: Step Functions and cache calls per job, with an obedient polling client (it
//! waits what Retry-After says), the release server on moto (`--backend aws`), with the
//! result cache off and then on (DynamoDB on the same moto). The calls are read from the
//! server's own `/metrics`, which counts every workflow and cache call it makes.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;

use crate::error::BenchError;
use crate::http;
use crate::moto::{MotoServer, REGION, create_messages_state_machine, create_results_table};
use crate::process::{ChildGuard, free_port, loopback};
use crate::report::{Better, Row, Section, Target, Value, with_unit};

pub const TITLE: &str = "Workflow calls per job";
/// A client that is told nothing waits this long.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);
const MAX_POLLS_PER_JOB: u32 = 30;
const REPEATED_GETS: usize = 3;
const READY_TIMEOUT: Duration = Duration::from_secs(30);
const CALLS_METRIC: &str = "messages_backend_call_duration_seconds_count";

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub jobs: usize,
    pub concurrency: usize,
    /// No new job starts after this long, in each mode.
    pub budget: Duration,
}

/// Calls so far; subtract two snapshots to count a phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Calls {
    starts: u64,
    reads: u64,
    cache_gets: u64,
    cache_puts: u64,
}

impl std::ops::Sub for Calls {
    type Output = Calls;

    fn sub(self, earlier: Calls) -> Calls {
        Calls {
            starts: self.starts - earlier.starts,
            reads: self.reads - earlier.reads,
            cache_gets: self.cache_gets - earlier.cache_gets,
            cache_puts: self.cache_puts - earlier.cache_puts,
        }
    }
}

/// What one mode (cache off or on) counted.
#[derive(Debug, Clone, Copy)]
struct Counted {
    jobs: usize,
    finished: usize,
    client_gets: u64,
    cycle: Calls,
    repeat_gets: usize,
    repeat: Calls,
}

impl Counted {
    fn per_job(&self, calls: u64) -> f64 {
        calls as f64 / self.jobs.max(1) as f64
    }

    fn per_repeat(&self, calls: u64) -> f64 {
        calls as f64 / self.repeat_gets.max(1) as f64
    }
}

pub fn run(
    settings: Settings,
    runtime: &Runtime,
    server: &Path,
    moto_server: &Path,
    logs: &Path,
) -> Section {
    match measure(settings, runtime, server, moto_server, logs) {
        Ok((off, on)) => Section::measured(TITLE, rows(&off, &on), notes(settings, &off, &on)),
        Err(error) => Section::failed(TITLE, &error),
    }
}

fn measure(
    settings: Settings,
    runtime: &Runtime,
    server: &Path,
    moto_server: &Path,
    logs: &Path,
) -> Result<(Counted, Counted), BenchError> {
    if !server.exists() {
        return Err(BenchError::MissingTool(server.to_owned()));
    }
    let moto = MotoServer::start(moto_server, &logs.join("moto-calls.log"))?;
    let (arn, table) = runtime.block_on(async {
        let arn = create_messages_state_machine(&moto.sfn_client(), "messages-calls").await?;
        let table = create_results_table(&moto.dynamodb_client(), "messages-results").await?;
        Ok::<_, BenchError>((arn, table))
    })?;
    let server_on =
        |cache: Option<&str>, log: &str| -> Result<(ChildGuard, SocketAddr), BenchError> {
            let port = free_port()?;
            let mut command = Command::new(server);
            command
                .args([
                    "--host",
                    "127.0.0.1",
                    "--port",
                    &port.to_string(),
                    "--backend",
                    "aws",
                ])
                .env_clear()
                .env("STATE_MACHINE_ARN", &arn)
                .env("AWS_ENDPOINT_URL", moto.endpoint())
                .env("AWS_REGION", REGION)
                .env("AWS_ACCESS_KEY_ID", "bench")
                .env("AWS_SECRET_ACCESS_KEY", "bench")
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .env("RUST_LOG", "warn");
            if let Some(table) = cache {
                command.env("CACHE_TABLE", table);
            }
            let mut process = ChildGuard::spawn("server --backend aws", command, &logs.join(log))?;
            let address = loopback(port);
            process.wait_until(READY_TIMEOUT, || {
                http::get(address, "/healthz").is_ok_and(|response| response.status == 200)
            })?;
            Ok((process, address))
        };
    let off = {
        let (_server, address) = server_on(None, "server-cache-off.log")?;
        count(settings, address)?
    };
    let on = {
        let (_server, address) = server_on(Some(&table), "server-cache-on.log")?;
        count(settings, address)?
    };
    Ok((off, on))
}

fn count(settings: Settings, server: SocketAddr) -> Result<Counted, BenchError> {
    let before = calls(server)?;
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let jobs: Vec<Job> = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..settings.concurrency)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while next.fetch_add(1, Ordering::Relaxed) < settings.jobs
                        && started.elapsed() < settings.budget
                    {
                        done.push(obedient_job(server)?);
                    }
                    Ok::<_, BenchError>(done)
                })
            })
            .collect();
        let mut jobs = Vec::new();
        for client in clients {
            let done = client
                .join()
                .map_err(|_| BenchError::NoSamples("a polling client panicked".into()))??;
            jobs.extend(done);
        }
        Ok::<_, BenchError>(jobs)
    })?;
    let cycle = calls(server)? - before;

    let before = calls(server)?;
    let mut repeat_gets = 0;
    for job in jobs.iter().filter(|job| job.finished) {
        for _ in 0..REPEATED_GETS {
            poll(server, &job.location)?;
            repeat_gets += 1;
        }
    }
    Ok(Counted {
        jobs: jobs.len(),
        finished: jobs.iter().filter(|job| job.finished).count(),
        client_gets: jobs.iter().map(|job| u64::from(job.gets)).sum(),
        cycle,
        repeat_gets,
        repeat: calls(server)? - before,
    })
}

struct Job {
    location: String,
    gets: u32,
    finished: bool,
}

/// Submits a job, then waits what each answer's Retry-After says before asking again.
fn obedient_job(server: SocketAddr) -> Result<Job, BenchError> {
    let submitted = http::post_json(server, "/messages", r#"{"audience":"bench"}"#)?;
    let location = match (submitted.status, submitted.header("location")) {
        (202, Some(location)) => path_of(location).to_owned(),
        (status, _) => {
            return Err(BenchError::Http {
                what: "POST /messages".into(),
                detail: format!("{status} {}", submitted.body),
            });
        }
    };
    let mut wait = retry_after(&submitted);
    let mut job = Job {
        location,
        gets: 0,
        finished: false,
    };
    while job.gets < MAX_POLLS_PER_JOB {
        std::thread::sleep(wait);
        let polled = poll(server, &job.location)?;
        job.gets += 1;
        if !polled.body.contains("\"RUNNING\"") {
            job.finished = true;
            break;
        }
        wait = retry_after(&polled);
    }
    Ok(job)
}

fn poll(server: SocketAddr, location: &str) -> Result<http::Response, BenchError> {
    let polled = http::get(server, location)?;
    if polled.status != 200 {
        return Err(BenchError::Http {
            what: format!("GET {location}"),
            detail: format!("{} {}", polled.status, polled.body),
        });
    }
    Ok(polled)
}

fn retry_after(response: &http::Response) -> Duration {
    response
        .header("retry-after")
        .and_then(|seconds| seconds.parse().ok())
        .map_or(DEFAULT_RETRY_AFTER, Duration::from_secs)
}

/// A Location may be absolute; the client always asks the same server.
fn path_of(location: &str) -> &str {
    location
        .strip_prefix("http://")
        .and_then(|rest| rest.find('/').map(|slash| &rest[slash..]))
        .unwrap_or(location)
}

fn calls(server: SocketAddr) -> Result<Calls, BenchError> {
    let metrics = http::get(server, "/metrics")?;
    if metrics.status != 200 {
        return Err(BenchError::Http {
            what: "GET /metrics".into(),
            detail: format!("{} {}", metrics.status, metrics.body),
        });
    }
    Ok(parse_calls(&metrics.body))
}

/// Sums the call counters of the Prometheus text by service and operation, over outcomes.
fn parse_calls(text: &str) -> Calls {
    let mut calls = Calls::default();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(CALLS_METRIC) else {
            continue;
        };
        let Some((labels, value)) = rest.rsplit_once(' ') else {
            continue;
        };
        let Ok(value) = value.trim().parse::<u64>() else {
            continue;
        };
        let has = |label: &str| labels.contains(label);
        let counter = match (has("service=\"workflow\""), has("service=\"cache\"")) {
            (true, _) if has("operation=\"start\"") => &mut calls.starts,
            (true, _) if has("operation=\"poll\"") => &mut calls.reads,
            (_, true) if has("operation=\"get\"") => &mut calls.cache_gets,
            (_, true) if has("operation=\"put\"") => &mut calls.cache_puts,
            _ => continue,
        };
        *counter += value;
    }
    calls
}

fn rows(off: &Counted, on: &Counted) -> Vec<Row> {
    let per_job = |amount: f64| Value::new(amount, with_unit(amount, 2, "per job"));
    let per_get = |amount: f64| Value::new(amount, with_unit(amount, 2, "per GET"));
    let reads_off = off.per_job(off.cycle.reads);
    let step_functions = |counted: &Counted| {
        counted.per_job(counted.cycle.starts + counted.cycle.reads + counted.repeat.reads)
    };
    vec![
        Row::new(
            "StartExecution (cache off)",
            per_job(off.per_job(off.cycle.starts)),
            "POSTs",
            per_job(1.0),
            Better::Lower,
        )
        .with_target(Target::new(
            "1 per job",
            off.cycle.starts == off.jobs as u64,
        )),
        Row::new(
            "DescribeExecution (cache off)",
            per_job(reads_off),
            "client GETs",
            per_job(off.per_job(off.client_gets)),
            Better::Lower,
        )
        .with_target(Target::new("≤ 2 per job", reads_off <= 2.0)),
        Row::new(
            "DescribeExecution (cache on)",
            per_job(on.per_job(on.cycle.reads)),
            "cache off",
            per_job(reads_off),
            Better::Lower,
        ),
        Row::new(
            format!(
                "Step Functions calls per job, {REPEATED_GETS} repeated GETs included (cache on)"
            ),
            per_job(step_functions(on)),
            "cache off",
            per_job(step_functions(off)),
            Better::Lower,
        ),
        Row::new(
            "DescribeExecution per repeated GET of a finished job (cache on)",
            per_get(on.per_repeat(on.repeat.reads)),
            "cache off",
            per_get(off.per_repeat(off.repeat.reads)),
            Better::Lower,
        )
        .with_target(Target::new("0", on.repeat.reads == 0)),
    ]
}

fn notes(settings: Settings, off: &Counted, on: &Counted) -> Vec<String> {
    let mut notes = vec![
        "With the cache on, each GET costs one GetItem and each finished job one PutItem; in \
         exchange a cached job costs no Step Functions read."
            .into(),
        format!(
            "{} jobs per mode, {} clients at once; each client POSTs, then GETs only after \
             waiting the Retry-After it was given (1 s when absent), until the job is final; \
             then {} more GETs of each finished job.",
            settings.jobs, settings.concurrency, REPEATED_GETS
        ),
        "Counted from the server's own /metrics (`messages_backend_call_duration_seconds_count` \
         by service and operation): the release server with `--backend aws` against moto \
         (Step Functions in describe mode; with the cache on, CACHE_TABLE on the same moto's \
         DynamoDB)."
            .into(),
    ];
    for (mode, counted) in [("cache off", off), ("cache on", on)] {
        notes.push(format!(
            "{mode}: {} jobs submitted, {} seen final, {} client GETs; during the jobs {} \
             StartExecution, {} DescribeExecution, {} GetItem, {} PutItem; during {} repeated \
             GETs {} DescribeExecution, {} GetItem.",
            counted.jobs,
            counted.finished,
            counted.client_gets,
            counted.cycle.starts,
            counted.cycle.reads,
            counted.cycle.cache_gets,
            counted.cycle.cache_puts,
            counted.repeat_gets,
            counted.repeat.reads,
            counted.repeat.cache_gets
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_each_operation_over_its_outcomes() {
        let text = "# TYPE messages_backend_call_duration_seconds histogram\n\
            messages_backend_call_duration_seconds_bucket{service=\"workflow\",operation=\"start\",outcome=\"ok\",le=\"0.001\"} 7\n\
            messages_backend_call_duration_seconds_count{service=\"workflow\",operation=\"start\",outcome=\"ok\"} 200\n\
            messages_backend_call_duration_seconds_count{service=\"workflow\",operation=\"poll\",outcome=\"ok\"} 290\n\
            messages_backend_call_duration_seconds_count{service=\"workflow\",operation=\"poll\",outcome=\"throttled\"} 10\n\
            messages_backend_call_duration_seconds_count{service=\"cache\",operation=\"get\",outcome=\"ok\"} 500\n\
            messages_backend_call_duration_seconds_count{service=\"cache\",operation=\"put\",outcome=\"ok\"} 200\n\
            messages_http_requests_total{route=\"/messages\",method=\"POST\",status=\"202\"} 200\n";
        assert_eq!(
            parse_calls(text),
            Calls {
                starts: 200,
                reads: 300,
                cache_gets: 500,
                cache_puts: 200
            }
        );
    }

    #[test]
    fn a_location_is_read_as_a_path() {
        assert_eq!(path_of("/messages/abc"), "/messages/abc");
        assert_eq!(
            path_of("http://127.0.0.1:3000/messages/abc"),
            "/messages/abc"
        );
    }
}
