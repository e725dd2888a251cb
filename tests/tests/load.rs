//! A bounded load test over a real socket: 2,000 jobs from 32 concurrent clients against the
//! server's router on 127.0.0.1 (embedded engine, real clock, the server's limits). It asserts
//! correctness only (no job lost, no 5xx, every result right); throughput and latency are
//! printed for the record, never asserted.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use integration::server::{HttpConnection, TestApi, embedded_backend, serve};
use shared::config::{Config, Limits};
use shared::workflow::embedded::RealClock;

const JOBS: usize = 2_000;
const CLIENTS: usize = 32;
const POLL_INTERVAL: Duration = Duration::from_millis(20);
const MAX_POLLS: usize = 1_500;

#[derive(Default)]
struct Outcome {
    latencies: Vec<Duration>,
    requests: usize,
    server_errors: Vec<String>,
    wrong: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_jobs_from_32_clients_lose_nothing() {
    let config = Config {
        limits: Limits {
            max_concurrent_requests: Some(512),
            request_timeout: Some(Duration::from_secs(30)),
            max_header_bytes: Some(16 * 1024),
        },
        ..Config::default()
    };
    let api = TestApi::with_backend(embedded_backend(Arc::new(RealClock)), &config);
    let server = serve(api.router.clone()).await;
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();

    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let next = Arc::clone(&next);
            let address = server.address;
            tokio::spawn(async move {
                let mut connection = HttpConnection::connect(address).await;
                let mut outcome = Outcome::default();
                loop {
                    let job = next.fetch_add(1, Ordering::SeqCst);
                    if job >= JOBS {
                        return outcome;
                    }
                    run_job(&mut connection, job, &mut outcome).await;
                }
            })
        })
        .collect();

    let mut total = Outcome::default();
    for client in clients {
        let outcome = client.await.unwrap();
        total.latencies.extend(outcome.latencies);
        total.requests += outcome.requests;
        total.server_errors.extend(outcome.server_errors);
        total.wrong.extend(outcome.wrong);
    }
    let elapsed = started.elapsed();

    assert!(
        total.server_errors.is_empty(),
        "5xx: {:?}",
        total.server_errors
    );
    assert!(total.wrong.is_empty(), "wrong or lost: {:?}", total.wrong);
    assert_eq!(total.latencies.len(), JOBS, "every job finished");
    assert_eq!(api.workflow_calls("start"), JOBS as u64);

    total.latencies.sort();
    let p99 = total.latencies[JOBS * 99 / 100];
    let p50 = total.latencies[JOBS / 2];
    eprintln!(
        "load: {JOBS} jobs, {} requests in {:.2?} ({:.0} jobs/s, {:.0} requests/s); job p50 {:.2?}, p99 {:.2?}",
        total.requests,
        elapsed,
        JOBS as f64 / elapsed.as_secs_f64(),
        total.requests as f64 / elapsed.as_secs_f64(),
        p50,
        p99
    );
}

/// POST, then poll until final; records the job's latency, or what went wrong.
async fn run_job(connection: &mut HttpConnection, job: usize, outcome: &mut Outcome) {
    let started = Instant::now();
    let body = format!(r#"{{"audience": "load {job}"}}"#);
    let accepted = connection
        .send(
            "POST",
            "/messages",
            &[("Content-Type", "application/json")],
            &body,
        )
        .await;
    outcome.requests += 1;
    if accepted.status != StatusCode::ACCEPTED {
        record_failure(outcome, job, "POST", &accepted);
        return;
    }
    let location = accepted.location();
    for _ in 0..MAX_POLLS {
        let answer = connection.send("GET", &location, &[], "").await;
        outcome.requests += 1;
        if answer.status != StatusCode::OK {
            record_failure(outcome, job, "GET", &answer);
            return;
        }
        let body = answer.json();
        match body["status"].as_str() {
            Some("RUNNING") => tokio::time::sleep(POLL_INTERVAL).await,
            Some("SUCCEEDED") if body["output"]["message"] == format!("HELLO LOAD {job}!") => {
                outcome.latencies.push(started.elapsed());
                return;
            }
            _ => {
                outcome.wrong.push(format!("job {job}: {body}"));
                return;
            }
        }
    }
    outcome
        .wrong
        .push(format!("job {job}: still running after {MAX_POLLS} polls"));
}

fn record_failure(
    outcome: &mut Outcome,
    job: usize,
    method: &str,
    response: &integration::server::TestResponse,
) {
    let failure = format!(
        "job {job}: {method} {} {}",
        response.status,
        response.text()
    );
    if response.status.is_server_error() {
        outcome.server_errors.push(failure);
    } else {
        outcome.wrong.push(failure);
    }
}
