//! Waiting server-side for a job to finish (`?wait=N`, `Prefer: wait=N`).
//!
//! A workflow that can tell of an end (the embedded engine) wakes the request the moment the
//! job ends, with no read at all. Step Functions cannot: it refills DescribeExecution at 15 per
//! second per account, shared by every client, so a waiting request reads at most once a
//! second, backing off, sleeps through a known delay instead of polling it, and keeps its last
//! read for just before the deadline, when the job has had the whole wait to end.

use std::time::Duration;

use tokio::time::Instant;

use super::{Job, JobError, Jobs};
use crate::workflow::WorkflowError;

pub const MAX_WAIT: Duration = Duration::from_secs(20);
pub const MIN_POLL_INTERVAL: Duration = Duration::from_secs(1);
/// A just-started job is first read this soon: most finish within a few hundred milliseconds,
/// and the start itself was no read.
pub const FIRST_READ_AFTER_START: Duration = Duration::from_millis(250);
const MAX_POLL_INTERVAL: Duration = Duration::from_secs(5);
/// Room for the last read to come back before the deadline.
const LAST_READ_BEFORE_DEADLINE: Duration = Duration::from_millis(100);

impl Jobs {
    /// Waits up to `wait` for `job` to be final and answers its latest state. A workflow that
    /// cannot tell of an end is read instead: first `first_read_after` from now (later if the
    /// job is known to be waiting longer), then at least a second apart, backing off, the last
    /// read just before the deadline.
    pub async fn wait_until_final(
        &self,
        job: Job,
        wait: Duration,
        first_read_after: Duration,
    ) -> Result<Job, JobError> {
        let wait = wait.min(MAX_WAIT);
        if job.state.is_final() || wait.is_zero() {
            return Ok(job);
        }
        let last_read = Instant::now() + wait.saturating_sub(LAST_READ_BEFORE_DEADLINE);
        let ended = match self.workflow.wait_for_end(&job.name, wait).await {
            Err(WorkflowError::NotFound) => return Err(JobError::NotFound),
            ended => ended?,
        };
        match ended {
            Some(execution) => Ok(self.settle(job.id, job.name, execution).await),
            None => {
                self.poll_until_final(job, last_read, first_read_after)
                    .await
            }
        }
    }

    async fn poll_until_final(
        &self,
        mut job: Job,
        last_read: Instant,
        first_read_after: Duration,
    ) -> Result<Job, JobError> {
        let mut pause = first_read_after;
        let mut interval = MIN_POLL_INTERVAL;
        while !job.state.is_final() {
            let now = Instant::now();
            if now >= last_read {
                break;
            }
            // A known delay is slept through, and the BuildMessage call that follows it.
            let known_wait = job
                .remaining_delay
                .map(|delay| delay + FIRST_READ_AFTER_START)
                .unwrap_or_default();
            let mut read_at = now + pause.max(known_wait);
            // A read that would leave no second for another is moved to the end of the wait.
            if read_at + MIN_POLL_INTERVAL > last_read {
                read_at = last_read;
            }
            tokio::time::sleep_until(read_at).await;
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

    /// Running for its first `running_polls` polls (or until `ends_at`), then succeeded;
    /// remembers when it was read. With `end`, it is told of its end instead and not polled.
    struct SlowWorkflow {
        running_polls: usize,
        ends_at: Option<Instant>,
        end: Option<tokio::sync::Notify>,
        polls: AtomicUsize,
        read_at: std::sync::Mutex<Vec<Instant>>,
    }

    impl SlowWorkflow {
        fn new(running_polls: usize) -> Self {
            Self {
                running_polls,
                ends_at: None,
                end: None,
                polls: AtomicUsize::new(0),
                read_at: std::sync::Mutex::new(Vec::new()),
            }
        }

        fn ending_after(ends_after: Duration) -> Self {
            Self {
                ends_at: Some(Instant::now() + ends_after),
                ..Self::new(usize::MAX)
            }
        }

        fn waking() -> Self {
            Self {
                end: Some(tokio::sync::Notify::new()),
                ..Self::new(usize::MAX)
            }
        }

        fn read_at(&self) -> Vec<Instant> {
            self.read_at.lock().unwrap().clone()
        }

        fn execution(state: ExecutionState) -> Execution {
            Execution {
                state,
                input: json!({}),
                started_at: SystemTime::now(),
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
            let ended = self
                .ends_at
                .is_some_and(|ends_at| Instant::now() >= ends_at);
            let state = if polls > self.running_polls || ended {
                ExecutionState::Succeeded(json!({"message": "HELLO WORLD!"}))
            } else {
                ExecutionState::Running
            };
            Ok(Self::execution(state))
        }
        async fn stop(&self, _: &ExecutionName) -> Result<(), WorkflowError> {
            Ok(())
        }
        async fn wait_for_end(
            &self,
            _: &ExecutionName,
            timeout: Duration,
        ) -> Result<Option<Execution>, WorkflowError> {
            let Some(end) = &self.end else {
                return Ok(None);
            };
            let state = match tokio::time::timeout(timeout, end.notified()).await {
                Ok(()) => ExecutionState::Succeeded(json!({"message": "HELLO WORLD!"})),
                Err(_) => ExecutionState::Running,
            };
            Ok(Some(Self::execution(state)))
        }
    }

    async fn submitted(workflow: Arc<SlowWorkflow>) -> (Jobs, Job) {
        let jobs = Jobs::new(workflow, None, TokenCodec::unsigned());
        let job = jobs.submit(&SubmitMessage::default(), None).await.unwrap();
        (jobs, job)
    }

    /// Submits a job to `workflow`, waits `wait` for it, and answers it with the time waited.
    async fn waited(
        workflow: &Arc<SlowWorkflow>,
        wait: Duration,
        first_read_after: Duration,
    ) -> (Job, Duration) {
        let (jobs, job) = submitted(Arc::clone(workflow)).await;
        let started = Instant::now();
        let job = jobs
            .wait_until_final(job, wait, first_read_after)
            .await
            .unwrap();
        (job, started.elapsed())
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

    #[tokio::test(start_paused = true)]
    async fn a_one_second_wait_reads_once_just_before_its_deadline() {
        for first_read_after in [FIRST_READ_AFTER_START, MIN_POLL_INTERVAL] {
            let workflow = Arc::new(SlowWorkflow::new(usize::MAX));
            let started = Instant::now();
            let (job, _) = waited(&workflow, Duration::from_secs(1), first_read_after).await;
            assert_eq!(job.state, ExecutionState::Running);
            let reads = workflow.read_at();
            assert_eq!(reads.len(), 1, "{first_read_after:?}");
            let read_after = reads[0] - started;
            assert!(read_after >= Duration::from_millis(800), "{read_after:?}");
            assert!(read_after < Duration::from_secs(1), "{read_after:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_five_second_wait_reads_a_second_apart_and_last_in_its_final_second() {
        let workflow = Arc::new(SlowWorkflow::new(usize::MAX));
        let started = Instant::now();
        let (job, elapsed) = waited(&workflow, Duration::from_secs(5), MIN_POLL_INTERVAL).await;
        assert_eq!(job.state, ExecutionState::Running);
        assert!(elapsed <= Duration::from_secs(5));
        let reads = workflow.read_at();
        assert!(reads.len() >= 3, "{reads:?}");
        for pair in reads.windows(2) {
            assert!(pair[1] - pair[0] >= MIN_POLL_INTERVAL, "{reads:?}");
        }
        let last = *reads.last().unwrap() - started;
        assert!(last >= Duration::from_secs(4), "{last:?}");
        assert!(last < Duration::from_secs(5), "{last:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_job_that_ends_during_the_wait_is_answered_at_the_next_read() {
        let ends_after = Duration::from_millis(2_500);
        let workflow = Arc::new(SlowWorkflow::ending_after(ends_after));
        let started = Instant::now();
        let (job, elapsed) = waited(&workflow, Duration::from_secs(5), MIN_POLL_INTERVAL).await;
        assert!(matches!(job.state, ExecutionState::Succeeded(_)), "{job:?}");
        let reads = workflow.read_at();
        let (last, earlier) = reads.split_last().unwrap();
        assert!(*last - started >= ends_after);
        assert!(earlier.iter().all(|read| *read - started < ends_after));
        assert_eq!(elapsed, *last - started);
    }

    #[tokio::test(start_paused = true)]
    async fn a_waking_workflow_answers_when_the_end_is_told_without_polling() {
        let workflow = Arc::new(SlowWorkflow::waking());
        let signal = Arc::clone(&workflow);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if let Some(end) = &signal.end {
                end.notify_one();
            }
        });
        let (job, elapsed) =
            waited(&workflow, Duration::from_secs(5), FIRST_READ_AFTER_START).await;
        assert!(matches!(job.state, ExecutionState::Succeeded(_)), "{job:?}");
        assert_eq!(elapsed, Duration::from_millis(300));
        assert_eq!(workflow.polls.load(Ordering::SeqCst), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_waking_workflow_answers_running_at_the_deadline_without_polling() {
        let workflow = Arc::new(SlowWorkflow::waking());
        let (job, elapsed) =
            waited(&workflow, Duration::from_secs(1), FIRST_READ_AFTER_START).await;
        assert_eq!(job.state, ExecutionState::Running);
        assert!(job.retry_after_seconds.is_some());
        assert_eq!(elapsed, Duration::from_secs(1));
        assert_eq!(workflow.polls.load(Ordering::SeqCst), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_known_delay_is_slept_through_rather_than_polled() {
        let workflow = Arc::new(SlowWorkflow::new(usize::MAX));
        let (jobs, mut job) = submitted(Arc::clone(&workflow)).await;
        let delay = Duration::from_secs(3);
        job.remaining_delay = Some(delay);
        let started = Instant::now();
        jobs.wait_until_final(job, Duration::from_secs(10), FIRST_READ_AFTER_START)
            .await
            .unwrap();
        let reads = workflow.read_at();
        assert!(reads[0] - started >= delay, "{reads:?}");
    }
}
