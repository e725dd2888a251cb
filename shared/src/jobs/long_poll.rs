//! Waiting server-side for a job to finish (`?wait=N`, `Prefer: wait=N`).
//!
//! Step Functions refills DescribeExecution at 15 per second per account, shared by every
//! client: a waiting request reads at most once a second, backing off, and sleeps through a
//! known delay instead of polling it.

use std::time::Duration;

use tokio::time::Instant;

use super::{Job, JobError, Jobs};

pub const MAX_WAIT: Duration = Duration::from_secs(20);
pub const MIN_POLL_INTERVAL: Duration = Duration::from_secs(1);
/// A just-started job is first read this soon: most finish within a few hundred milliseconds,
/// and the start itself was no read.
pub const FIRST_READ_AFTER_START: Duration = Duration::from_millis(250);
const MAX_POLL_INTERVAL: Duration = Duration::from_secs(5);

impl Jobs {
    /// Re-reads `job` until it is final or `wait` has passed, and answers its latest state.
    /// The first read comes `first_read_after` from now (later if the job is known to be
    /// waiting longer), then at least a second apart, backing off.
    pub async fn wait_until_final(
        &self,
        mut job: Job,
        wait: Duration,
        first_read_after: Duration,
    ) -> Result<Job, JobError> {
        let deadline = Instant::now() + wait.min(MAX_WAIT);
        let mut pause = first_read_after;
        let mut interval = MIN_POLL_INTERVAL;
        while !job.state.is_final() {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining < pause {
                break;
            }
            // A known delay is slept through, and the BuildMessage call that follows it.
            let known_wait = job
                .remaining_delay
                .map(|delay| delay + FIRST_READ_AFTER_START)
                .unwrap_or_default();
            tokio::time::sleep(pause.max(known_wait).min(remaining)).await;
            job = self.read(job.id, job.name).await?;
            pause = interval;
            interval = (interval * 3 / 2).min(MAX_POLL_INTERVAL);
        }
        Ok(job)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::SystemTime;

    use async_trait::async_trait;
    use serde_json::{Value, json};

    use super::*;
    use crate::api::SubmitMessage;
    use crate::token::TokenCodec;
    use crate::workflow::{Execution, ExecutionName, ExecutionState, Workflow, WorkflowError};

    /// Running for its first `running_polls` polls, then succeeded; remembers when it was read.
    struct SlowWorkflow {
        running_polls: usize,
        polls: AtomicUsize,
        read_at: std::sync::Mutex<Vec<Instant>>,
    }

    impl SlowWorkflow {
        fn new(running_polls: usize) -> Self {
            Self {
                running_polls,
                polls: AtomicUsize::new(0),
                read_at: std::sync::Mutex::new(Vec::new()),
            }
        }
    }

    #[async_trait]
    impl Workflow for SlowWorkflow {
        async fn start(&self, _: &ExecutionName, _: &Value) -> Result<(), WorkflowError> {
            Ok(())
        }
        async fn poll(&self, _: &ExecutionName) -> Result<Execution, WorkflowError> {
            self.read_at.lock().unwrap().push(Instant::now());
            let polls = self.polls.fetch_add(1, Ordering::SeqCst) + 1;
            let state = if polls > self.running_polls {
                ExecutionState::Succeeded(json!({"message": "HELLO WORLD!"}))
            } else {
                ExecutionState::Running
            };
            Ok(Execution {
                state,
                input: json!({}),
                started_at: SystemTime::now(),
            })
        }
        async fn stop(&self, _: &ExecutionName) -> Result<(), WorkflowError> {
            Ok(())
        }
    }

    async fn submitted(workflow: Arc<SlowWorkflow>) -> (Jobs, Job) {
        let jobs = Jobs::new(workflow, None, TokenCodec::unsigned());
        let job = jobs.submit(&SubmitMessage::default(), None).await.unwrap();
        (jobs, job)
    }

    #[tokio::test(start_paused = true)]
    async fn answers_as_soon_as_the_job_finishes() {
        let workflow = Arc::new(SlowWorkflow::new(2));
        let (jobs, job) = submitted(Arc::clone(&workflow)).await;
        let started = Instant::now();
        let job = jobs
            .wait_until_final(job, MAX_WAIT, MIN_POLL_INTERVAL)
            .await
            .unwrap();
        assert!(job.state.is_final());
        assert_eq!(workflow.polls.load(Ordering::SeqCst), 3);
        assert!(started.elapsed() < MAX_WAIT);
    }

    #[tokio::test(start_paused = true)]
    async fn answers_running_at_the_deadline_and_never_reads_faster_than_once_a_second() {
        let workflow = Arc::new(SlowWorkflow::new(usize::MAX));
        let (jobs, job) = submitted(Arc::clone(&workflow)).await;
        let started = Instant::now();
        let job = jobs
            .wait_until_final(job, Duration::from_secs(10), MIN_POLL_INTERVAL)
            .await
            .unwrap();
        assert_eq!(job.state, ExecutionState::Running);
        assert!(job.retry_after_seconds.is_some());
        let waited = started.elapsed();
        assert!(waited <= Duration::from_secs(10), "{waited:?}");
        assert!(waited >= Duration::from_secs(9), "{waited:?}");
        let reads = workflow.read_at.lock().unwrap().clone();
        assert!(!reads.is_empty());
        let mut previous = started;
        for read in reads {
            assert!(read - previous >= MIN_POLL_INTERVAL);
            previous = read;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_just_started_job_is_read_soon_then_a_second_apart() {
        let workflow = Arc::new(SlowWorkflow::new(2));
        let (jobs, job) = submitted(Arc::clone(&workflow)).await;
        let started = Instant::now();
        let job = jobs
            .wait_until_final(job, MAX_WAIT, FIRST_READ_AFTER_START)
            .await
            .unwrap();
        assert!(job.state.is_final());
        let reads = workflow.read_at.lock().unwrap().clone();
        assert_eq!(reads.len(), 3);
        assert_eq!(reads[0] - started, FIRST_READ_AFTER_START);
        assert!(reads[1] - reads[0] >= MIN_POLL_INTERVAL);
        assert!(reads[2] - reads[1] >= MIN_POLL_INTERVAL);
    }

    #[tokio::test(start_paused = true)]
    async fn a_zero_wait_reads_nothing_more() {
        let workflow = Arc::new(SlowWorkflow::new(usize::MAX));
        let (jobs, job) = submitted(Arc::clone(&workflow)).await;
        let job = jobs
            .wait_until_final(job, Duration::ZERO, FIRST_READ_AFTER_START)
            .await
            .unwrap();
        assert_eq!(job.state, ExecutionState::Running);
        assert_eq!(workflow.polls.load(Ordering::SeqCst), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn never_waits_longer_than_the_maximum() {
        let workflow = Arc::new(SlowWorkflow::new(usize::MAX));
        let (jobs, job) = submitted(workflow).await;
        let started = Instant::now();
        jobs.wait_until_final(job, Duration::from_secs(3600), MIN_POLL_INTERVAL)
            .await
            .unwrap();
        assert!(started.elapsed() <= MAX_WAIT);
    }
}
