//! Benchmark 3: Step Functions and cache calls per job, with an obedient polling client (it
//! waits what Retry-After says), against moto, with the result cache off and on.
//!
//! The calls are counted by the API's own metrics (what `/metrics` renders: every workflow and
//! cache call passes through them), with the router assembled in this process as the server
//! assembles it and driven in-process (tower's oneshot), so no network time blurs the counts.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use shared::cache::ResultCache;
use shared::cache::dynamodb::DynamoDbCache;
use shared::config::Config;
use shared::metrics::Metrics;
use shared::routes::{AppState, Backend, router};
use shared::workflow::Workflow;
use shared::workflow::sfn::{PollMode, SfnWorkflow};
use tokio::runtime::Runtime;
use tower::ServiceExt;

use crate::error::BenchError;
use crate::moto::{MotoServer, create_messages_state_machine, create_results_table};
use crate::report::{Better, Row, Section, Target, Value, with_unit};

pub const TITLE: &str = "Workflow calls per job";
/// A client that is told nothing waits this long.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);
const MAX_POLLS_PER_JOB: u32 = 30;
const REPEATED_GETS: usize = 3;

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

impl Calls {
    fn of(metrics: &Metrics) -> Self {
        Self {
            starts: metrics.calls("workflow", "start"),
            reads: metrics.calls("workflow", "poll"),
            cache_gets: metrics.calls("cache", "get"),
            cache_puts: metrics.calls("cache", "put"),
        }
    }
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

pub fn run(settings: Settings, runtime: &Runtime, moto_server: &Path, logs: &Path) -> Section {
    let measured = MotoServer::start(moto_server, &logs.join("moto-calls.log")).and_then(|moto| {
        runtime.block_on(async {
            let client = moto.sfn_client();
            let arn = create_messages_state_machine(&client, "messages-calls").await?;
            let sfn: Arc<dyn Workflow> =
                Arc::new(SfnWorkflow::new(client, arn, PollMode::Describe));
            let off = count(settings, Arc::clone(&sfn), None).await?;
            let dynamodb = moto.dynamodb_client();
            let table = create_results_table(&dynamodb, "messages-results").await?;
            let cache: Arc<dyn ResultCache> = Arc::new(DynamoDbCache::new(
                dynamodb,
                table,
                shared::config::DEFAULT_CACHE_TTL,
            ));
            let on = count(settings, sfn, Some(cache)).await?;
            Ok::<_, BenchError>((off, on))
        })
    });
    match measured {
        Ok((off, on)) => Section::measured(TITLE, rows(&off, &on), notes(settings, &off, &on)),
        Err(error) => Section::failed(TITLE, &error),
    }
}

async fn count(
    settings: Settings,
    workflow: Arc<dyn Workflow>,
    cache: Option<Arc<dyn ResultCache>>,
) -> Result<Counted, BenchError> {
    let config =
        Config::from_lookup(|_| None).map_err(|error| BenchError::Engine(error.to_string()))?;
    let state = AppState::new(Backend { workflow, cache }, &config);
    let metrics = Arc::clone(state.metrics());
    let app = router(state);

    let before = Calls::of(&metrics);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let clients: Vec<_> = (0..settings.concurrency)
        .map(|_| {
            let (app, next) = (app.clone(), Arc::clone(&next));
            tokio::spawn(async move {
                let mut done = Vec::new();
                while next.fetch_add(1, Ordering::Relaxed) < settings.jobs
                    && started.elapsed() < settings.budget
                {
                    done.push(obedient_job(&app).await?);
                }
                Ok::<_, BenchError>(done)
            })
        })
        .collect();
    let mut jobs = Vec::new();
    for client in clients {
        jobs.extend(
            client
                .await
                .map_err(|error| BenchError::Engine(format!("a client panicked: {error}")))??,
        );
    }
    let cycle = Calls::of(&metrics) - before;

    let before = Calls::of(&metrics);
    let mut repeat_gets = 0;
    for job in jobs.iter().filter(|job| job.finished) {
        for _ in 0..REPEATED_GETS {
            get(&app, &job.location).await?;
            repeat_gets += 1;
        }
    }
    Ok(Counted {
        jobs: jobs.len(),
        finished: jobs.iter().filter(|job| job.finished).count(),
        client_gets: jobs.iter().map(|job| u64::from(job.gets)).sum(),
        cycle,
        repeat_gets,
        repeat: Calls::of(&metrics) - before,
    })
}

struct Job {
    location: String,
    gets: u32,
    finished: bool,
}

/// Submits a job, then waits what each answer's Retry-After says before asking again.
async fn obedient_job(app: &Router) -> Result<Job, BenchError> {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/messages")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"audience":"bench"}"#))
        .map_err(|error| http_error("POST /messages", error))?;
    let submitted = send(app, request).await?;
    let location = match (submitted.status, submitted.location) {
        (StatusCode::ACCEPTED, Some(location)) => location,
        (status, _) => {
            return Err(BenchError::Http {
                what: "POST /messages".into(),
                detail: format!("{status} {}", submitted.body),
            });
        }
    };
    let mut wait = submitted.retry_after;
    let mut job = Job {
        location,
        gets: 0,
        finished: false,
    };
    while job.gets < MAX_POLLS_PER_JOB {
        tokio::time::sleep(wait).await;
        let polled = get(app, &job.location).await?;
        job.gets += 1;
        if !polled.body.contains("\"RUNNING\"") {
            job.finished = true;
            break;
        }
        wait = polled.retry_after;
    }
    Ok(job)
}

struct Answer {
    status: StatusCode,
    location: Option<String>,
    retry_after: Duration,
    body: String,
}

async fn get(app: &Router, location: &str) -> Result<Answer, BenchError> {
    let request = Request::builder()
        .uri(location)
        .body(Body::empty())
        .map_err(|error| http_error(location, error))?;
    let answer = send(app, request).await?;
    if answer.status != StatusCode::OK {
        return Err(BenchError::Http {
            what: format!("GET {location}"),
            detail: format!("{} {}", answer.status, answer.body),
        });
    }
    Ok(answer)
}

async fn send(app: &Router, request: Request<Body>) -> Result<Answer, BenchError> {
    let what = format!("{} {}", request.method(), request.uri());
    let response = app
        .clone()
        .oneshot(request)
        .await
        .map_err(|error| http_error(&what, error))?;
    let status = response.status();
    let location = header_text(response.headers(), header::LOCATION);
    let retry_after = header_text(response.headers(), header::RETRY_AFTER)
        .and_then(|seconds| seconds.parse().ok())
        .map_or(DEFAULT_RETRY_AFTER, Duration::from_secs);
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|error| http_error(&what, error))?
        .to_bytes();
    Ok(Answer {
        status,
        location,
        retry_after,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn header_text(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

fn http_error(what: &str, error: impl std::fmt::Display) -> BenchError {
    BenchError::Http {
        what: what.to_owned(),
        detail: error.to_string(),
    }
}

fn rows(off: &Counted, on: &Counted) -> Vec<Row> {
    let per_job = |amount: f64| Value::new(amount, with_unit(amount, 2, "per job"));
    let per_get = |amount: f64| Value::new(amount, with_unit(amount, 2, "per GET"));
    let starts = off.per_job(off.cycle.starts);
    let reads_off = off.per_job(off.cycle.reads);
    let repeat_on = on.per_repeat(on.repeat.reads);
    let cache_calls = on.per_job(on.cycle.cache_gets + on.cycle.cache_puts);
    vec![
        Row::new(
            "StartExecution (cache off)",
            per_job(starts),
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
            "cache GetItem + PutItem (cache on)",
            Value::new(
                cache_calls,
                format!(
                    "{:.2} + {:.2} per job",
                    on.per_job(on.cycle.cache_gets),
                    on.per_job(on.cycle.cache_puts)
                ),
            ),
            "client GETs + POSTs",
            per_job(on.per_job(on.client_gets) + 1.0),
            Better::Lower,
        ),
        Row::new(
            "DescribeExecution per repeated GET of a finished job (cache on)",
            per_get(repeat_on),
            "cache off",
            per_get(off.per_repeat(off.repeat.reads)),
            Better::Lower,
        )
        .with_target(Target::new("0", on.repeat.reads == 0)),
    ]
}

fn notes(settings: Settings, off: &Counted, on: &Counted) -> Vec<String> {
    let mut notes = vec![
        format!(
            "{} jobs per mode, {} clients at once; each client POSTs, then GETs only after \
             waiting the Retry-After it was given (1 s when absent), until the job is final; \
             then {} more GETs of each finished job.",
            settings.jobs, settings.concurrency, REPEATED_GETS
        ),
        "Counted by the API's metrics (`shared::metrics`, what the server's /metrics \
         renders), read in-process from the router `shared::routes::router` assembles: \
         Step Functions adapter in describe mode and, with the cache on, the DynamoDB adapter, \
         both against the same moto server."
            .into(),
    ];
    for (mode, counted) in [("cache off", off), ("cache on", on)] {
        notes.push(format!(
            "{mode}: {} jobs submitted, {} seen final, {} client GETs, {:?} during the jobs, \
             {:?} during {} repeated GETs.",
            counted.jobs,
            counted.finished,
            counted.client_gets,
            counted.cycle,
            counted.repeat,
            counted.repeat_gets
        ));
    }
    notes
}
