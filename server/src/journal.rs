//! `--data-dir`: jobs that survive a restart of the embedded backend, even `kill -9`.
//!
//! An append-only journal (JSON lines) records each accepted job, each top-level state its
//! execution enters (with that state's input and variables) and how it ended. On start-up the
//! journal is compacted to one line of each kind per job; finished jobs answer from it (within
//! the result TTL) and unfinished ones resume at the last state they entered, under the same
//! name and start date: a Wait waits only what was left of it, a Task (BuildMessage, safe to
//! repeat) or a Map or Parallel runs again.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use execution_model::EndedQueue;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use shared::workflow::embedded::{
    EmbeddedWorkflow, ExecutionDescription, ExecutionObserver, ResumePoint, StateTransition,
};
use shared::workflow::{Execution, ExecutionName, ExecutionState, Workflow, WorkflowError};

const JOURNAL_FILE: &str = "jobs.jsonl";
/// A running server rewrites its journal once it has appended this many lines, and at least
/// as many as the rewrite kept (so rewriting costs a constant per line on average): a job
/// writes a line per state, so without it the file would grow until the next start-up.
const COMPACT_AFTER_LINES: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot use data directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot resume job {name}: {source}")]
    Resume { name: String, source: WorkflowError },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
enum Entry {
    Accepted {
        name: String,
        input: Value,
        started_at_ms: u64,
    },
    Entered {
        name: String,
        #[serde(flatten)]
        point: Transition,
    },
    Finished {
        name: String,
        /// A final state, in the form every store keeps it: `{"status", "output"}` or
        /// `{"status", "error", "cause"}`.
        state: ExecutionState,
        finished_at_ms: u64,
    },
}

/// The last state a job's execution entered: where it resumes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Transition {
    state: String,
    input: Value,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    variables: Map<String, Value>,
    entered_at_ms: u64,
}

impl Transition {
    fn resume_point(self) -> ResumePoint {
        ResumePoint {
            state: self.state,
            input: self.input,
            variables: self.variables,
            entered_at: time_of(self.entered_at_ms),
        }
    }
}

#[derive(Debug, Clone)]
struct Job {
    input: Value,
    started_at_ms: u64,
    /// Where it resumes; none once it has finished.
    last_entered: Option<Transition>,
    finished: Option<(ExecutionState, u64)>,
}

/// The journal file and what it says about each job; also the engine's observer, so each
/// transition is written from the execution's own task.
struct Store {
    jobs: Mutex<HashMap<ExecutionName, Job>>,
    /// Finished jobs in the order they finished, each forgotten once its result has outlived
    /// the result TTL (as a restart would forget it), so a long-running server's memory stays
    /// bounded.
    finished: Mutex<EndedQueue<ExecutionName>>,
    file: Mutex<File>,
    /// Lines appended since the journal was last rewritten, and how many that rewrite kept.
    appended: AtomicUsize,
    kept: AtomicUsize,
    compact_after_lines: usize,
    path: PathBuf,
}

impl Store {
    fn jobs(&self) -> MutexGuard<'_, HashMap<ExecutionName, Job>> {
        self.jobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Appends one line. `durable` also flushes it to the disk: worth its cost only for the
    /// line that makes a job exist, since the page cache already outlives a killed process.
    fn append(&self, entry: &Entry, durable: bool) -> std::io::Result<()> {
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        write_entry(&mut file, entry)?;
        if durable {
            file.sync_data()?;
        }
        let appended = self.appended.fetch_add(1, Ordering::Relaxed) + 1;
        if appended >= self.compact_after_lines && appended >= self.kept.load(Ordering::Relaxed) {
            // Under the file lock, so no line is appended to the old file meanwhile; every
            // line's content is in `jobs` before it is appended, so the rewrite loses none.
            let jobs = self.jobs().clone();
            self.appended.store(0, Ordering::Relaxed);
            match rewrite(&self.path, &jobs) {
                Ok((rewritten, kept)) => {
                    *file = rewritten;
                    self.kept.store(kept, Ordering::Relaxed);
                }
                // The line itself is written: keep appending to the old file and try again
                // later.
                Err(error) => {
                    tracing::warn!(journal = %self.path.display(), %error, "cannot rewrite the journal");
                }
            }
        }
        Ok(())
    }

    /// Notes that `name` finished, and forgets the jobs whose results have outlived the TTL.
    fn note_finished(&self, name: ExecutionName, finished_at_ms: u64) {
        let expired = self
            .finished
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(name, time_of(finished_at_ms));
        if !expired.is_empty() {
            let mut jobs = self.jobs();
            for name in expired {
                jobs.remove(&name);
            }
        }
    }

    fn append_logged(&self, entry: &Entry) {
        if let Err(error) = self.append(entry, false) {
            tracing::error!(journal = %self.path.display(), %error, "cannot write to the journal");
        }
    }
}

impl ExecutionObserver for Store {
    fn state_entered(&self, transition: &StateTransition<'_>) {
        let point = Transition {
            state: transition.state.to_owned(),
            input: transition.input.clone(),
            variables: transition.variables.clone(),
            entered_at_ms: epoch_ms(transition.entered_at),
        };
        if let Ok(name) = ExecutionName::parse(transition.execution_name.to_owned())
            && let Some(job) = self.jobs().get_mut(&name)
        {
            job.last_entered = Some(point.clone());
        }
        self.append_logged(&Entry::Entered {
            name: transition.execution_name.to_owned(),
            point,
        });
    }

    fn execution_ended(&self, execution: &ExecutionDescription) {
        let state = execution.state.clone();
        if !state.is_final() {
            return;
        }
        let Ok(name) = ExecutionName::parse(execution.name.clone()) else {
            return;
        };
        let finished_at_ms = epoch_ms(execution.stop_date.unwrap_or_else(SystemTime::now));
        let mut jobs = self.jobs();
        let job = jobs.entry(name.clone()).or_insert_with(|| Job {
            input: execution.input.clone(),
            started_at_ms: epoch_ms(execution.start_date),
            last_entered: None,
            finished: None,
        });
        job.last_entered = None;
        job.finished = Some((state.clone(), finished_at_ms));
        drop(jobs);
        self.note_finished(name.clone(), finished_at_ms);
        self.append_logged(&Entry::Finished {
            name: name.to_string(),
            state,
            finished_at_ms,
        });
    }
}

pub struct JournaledWorkflow {
    inner: EmbeddedWorkflow,
    store: Arc<Store>,
}

impl JournaledWorkflow {
    /// Opens (or creates) the journal in `dir`, forgets results older than `ttl`, and resumes
    /// on `inner` every job that was accepted but never finished.
    pub async fn open(
        dir: &Path,
        inner: EmbeddedWorkflow,
        ttl: Duration,
    ) -> Result<Self, JournalError> {
        Self::open_compacting_after(dir, inner, ttl, COMPACT_AFTER_LINES).await
    }

    async fn open_compacting_after(
        dir: &Path,
        inner: EmbeddedWorkflow,
        ttl: Duration,
        compact_after_lines: usize,
    ) -> Result<Self, JournalError> {
        let path = dir.join(JOURNAL_FILE);
        let io = |source| JournalError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let jobs = read_jobs(&path, ttl).map_err(io)?;
        let (file, kept) = rewrite(&path, &jobs).map_err(io)?;
        let unfinished: Vec<(ExecutionName, Job)> = jobs
            .iter()
            .filter(|(_, job)| job.finished.is_none())
            .map(|(name, job)| (name.clone(), job.clone()))
            .collect();
        let finished = jobs.iter().filter_map(|(name, job)| {
            let (_, finished_at_ms) = job.finished.as_ref()?;
            Some((name.clone(), time_of(*finished_at_ms)))
        });
        let finished = EndedQueue::with_ended(usize::MAX, ttl, finished);
        let store = Arc::new(Store {
            jobs: Mutex::new(jobs),
            finished: Mutex::new(finished),
            file: Mutex::new(file),
            appended: AtomicUsize::new(0),
            kept: AtomicUsize::new(kept),
            compact_after_lines,
            path,
        });
        inner.set_observer(Arc::clone(&store) as Arc<dyn ExecutionObserver>);

        for (name, job) in &unfinished {
            let resumed = job.last_entered.clone().is_some_and(|transition| {
                inner
                    .resume(
                        name,
                        &job.input,
                        time_of(job.started_at_ms),
                        transition.resume_point(),
                    )
                    .inspect_err(|error| {
                        tracing::warn!(job = %name, %error, "cannot resume; starting it again");
                    })
                    .is_ok()
            });
            // Accepted but killed before its first state was written, or at a state the state
            // machine no longer has: from the start, like a new job.
            if !resumed {
                inner
                    .start(name, &job.input)
                    .await
                    .map_err(|source| JournalError::Resume {
                        name: name.to_string(),
                        source,
                    })?;
            }
        }
        tracing::info!(
            journal = %store.path.display(),
            jobs = store.jobs().len(),
            resumed = unfinished.len(),
            "jobs restored from the data directory"
        );
        Ok(Self { inner, store })
    }
}

#[async_trait]
impl Workflow for JournaledWorkflow {
    async fn start(&self, name: &ExecutionName, input: &Value) -> Result<(), WorkflowError> {
        let known = self.store.jobs().get(name).cloned();
        if let Some(job) = known {
            // AWS semantics, across restarts too: the same name and input while running is the
            // same execution; a finished one, or another input, is ExecutionAlreadyExists.
            if job.finished.is_some() || job.input != *input {
                return Err(WorkflowError::AlreadyExists);
            }
            return self.inner.start(name, input).await;
        }
        self.inner.start(name, input).await?;
        // The engine's start date, so that a resumed job keeps the one it was given.
        let started_at_ms = epoch_ms(self.inner.poll(name).await?.started_at);
        // Known before its line is written, so that a rewrite of the journal in between keeps
        // it; a quick job may have ended (and been recorded by the observer) already.
        self.store.jobs().entry(name.clone()).or_insert(Job {
            input: input.clone(),
            started_at_ms,
            last_entered: None,
            finished: None,
        });
        // Written once the job exists, before it is acknowledged: an acknowledged job is
        // always in the journal.
        self.store
            .append(
                &Entry::Accepted {
                    name: name.to_string(),
                    input: input.clone(),
                    started_at_ms,
                },
                true,
            )
            .map_err(|error| {
                WorkflowError::Upstream(format!("journal {}: {error}", self.store.path.display()))
            })?;
        Ok(())
    }

    async fn poll(&self, name: &ExecutionName) -> Result<Execution, WorkflowError> {
        let known = self.store.jobs().get(name).cloned();
        if let Some(Job {
            input,
            started_at_ms,
            finished: Some((state, _)),
            ..
        }) = known
        {
            return Ok(Execution {
                state,
                input,
                started_at: time_of(started_at_ms),
            });
        }
        self.inner.poll(name).await
    }

    async fn stop(&self, name: &ExecutionName) -> Result<(), WorkflowError> {
        let finished = self
            .store
            .jobs()
            .get(name)
            .is_some_and(|job| job.finished.is_some());
        if finished {
            return Ok(());
        }
        self.inner.stop(name).await
    }

    /// The engine tells of the end; the journal has no say in when a running job ends.
    async fn wait_for_end(
        &self,
        name: &ExecutionName,
        timeout: Duration,
    ) -> Result<Option<Execution>, WorkflowError> {
        self.inner.wait_for_end(name, timeout).await
    }
}

fn read_jobs(path: &Path, ttl: Duration) -> std::io::Result<HashMap<ExecutionName, Job>> {
    let mut jobs = HashMap::new();
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(jobs),
        Err(error) => return Err(error),
    };
    // An execution's task writes its transitions and end while its start is still being
    // acknowledged, so those lines may come before the job's Accepted line: join at the end.
    let mut last_entered = HashMap::new();
    let mut finished = HashMap::new();
    for line in BufReader::new(file).lines() {
        let line = line?;
        // A line cut short by a crash mid-write is the only damage an append can leave.
        let Ok(entry) = serde_json::from_str::<Entry>(&line) else {
            tracing::warn!(line, "skipping an unreadable journal line");
            continue;
        };
        match entry {
            Entry::Accepted {
                name,
                input,
                started_at_ms,
            } => {
                if let Ok(name) = ExecutionName::parse(name) {
                    jobs.entry(name).or_insert(Job {
                        input,
                        started_at_ms,
                        last_entered: None,
                        finished: None,
                    });
                }
            }
            Entry::Entered { name, point } => {
                last_entered.insert(name, point);
            }
            Entry::Finished {
                name,
                state,
                finished_at_ms,
            } => {
                // Only a final state is ever written here: anything else is damage.
                if state.is_final() {
                    finished.insert(name, (state, finished_at_ms));
                } else {
                    tracing::warn!(line, "skipping a finished job that had not finished");
                }
            }
        }
    }
    for (name, job) in &mut jobs {
        job.finished = finished.remove(name.as_str());
        if job.finished.is_none() {
            job.last_entered = last_entered.remove(name.as_str());
        }
    }
    let oldest_kept = epoch_ms(SystemTime::now()).saturating_sub(ttl.as_millis() as u64);
    jobs.retain(|_, job| {
        job.finished
            .as_ref()
            .is_none_or(|(_, finished_at_ms)| *finished_at_ms >= oldest_kept)
    });
    Ok(jobs)
}

/// Rewrites the journal with only each live job's last lines, and opens it for appending;
/// also says how many lines it kept.
fn rewrite(path: &Path, jobs: &HashMap<ExecutionName, Job>) -> std::io::Result<(File, usize)> {
    let compacted = path.with_extension("jsonl.tmp");
    let mut kept = 0;
    {
        let mut file = File::create(&compacted)?;
        for (name, job) in jobs {
            for entry in entries(name, job) {
                write_entry(&mut file, &entry)?;
                kept += 1;
            }
        }
        file.sync_all()?;
    }
    std::fs::rename(&compacted, path)?;
    Ok((OpenOptions::new().append(true).open(path)?, kept))
}

fn entries(name: &ExecutionName, job: &Job) -> Vec<Entry> {
    let mut entries = vec![Entry::Accepted {
        name: name.to_string(),
        input: job.input.clone(),
        started_at_ms: job.started_at_ms,
    }];
    if let Some(point) = &job.last_entered {
        entries.push(Entry::Entered {
            name: name.to_string(),
            point: point.clone(),
        });
    }
    if let Some((state, finished_at_ms)) = &job.finished {
        entries.push(Entry::Finished {
            name: name.to_string(),
            state: state.clone(),
            finished_at_ms: *finished_at_ms,
        });
    }
    entries
}

fn write_entry(file: &mut File, entry: &Entry) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
    line.push(b'\n');
    // One write per line: after a crash the journal ends at a line boundary or mid-line,
    // never with two entries interleaved.
    file.write_all(&line)
}

fn epoch_ms(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as u64)
        .unwrap_or(0)
}

fn time_of(epoch_ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(epoch_ms)
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use shared::workflow::EndStatus;
    use shared::workflow::embedded::{EmbeddedWorkflow, VirtualClock};

    use super::*;

    fn engine() -> EmbeddedWorkflow {
        EmbeddedWorkflow::messages(Arc::new(VirtualClock::new())).unwrap()
    }

    fn temp_dir(test: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("journal-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn name(value: &str) -> ExecutionName {
        ExecutionName::parse(value).unwrap()
    }

    async fn final_state(workflow: &JournaledWorkflow, job: &ExecutionName) -> ExecutionState {
        for _ in 0..1_000 {
            let execution = workflow.poll(job).await.unwrap();
            if execution.state.is_final() {
                return execution.state;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("{job} did not finish");
    }

    #[tokio::test]
    async fn restores_finished_jobs_resumes_unfinished_ones_and_skips_a_torn_line() {
        let dir = temp_dir("restore");
        let now = epoch_ms(SystemTime::now());
        let day = 24 * 60 * 60 * 1000;
        let waiting_since = now - 100_000;
        let waiting_input = json!({"audience": "c", "delaySeconds": 300});
        let lines = [
            json!({"accepted": {"name": "done", "input": {"audience": "a"}, "startedAtMs": now}}),
            json!({"finished": {"name": "done", "state": {"status": "SUCCEEDED", "output": {"message": "HELLO A!"}}, "finishedAtMs": now}}),
            json!({"accepted": {"name": "old", "input": {}, "startedAtMs": now - 40 * day}}),
            json!({"finished": {"name": "old", "state": {"status": "ABORTED", "error": "", "cause": ""}, "finishedAtMs": now - 40 * day}}),
            json!({"accepted": {"name": "cut-off", "input": {"audience": "b"}, "startedAtMs": now}}),
            json!({"entered": {"name": "waiting", "state": "HasAudience", "input": waiting_input, "enteredAtMs": waiting_since}}),
            json!({"entered": {"name": "waiting", "state": "Delay", "input": waiting_input, "enteredAtMs": waiting_since}}),
            json!({"accepted": {"name": "waiting", "input": waiting_input, "startedAtMs": waiting_since}}),
            json!({"accepted": {"name": "moved", "input": {"audience": "d"}, "startedAtMs": now}}),
            json!({"entered": {"name": "moved", "state": "NoLongerThere", "input": {}, "enteredAtMs": now}}),
        ];
        let mut text: String = lines.iter().map(|line| format!("{line}\n")).collect();
        text.push_str(r#"{"accepted": {"name": "torn"#);
        std::fs::write(dir.join(JOURNAL_FILE), text).unwrap();

        let workflow = JournaledWorkflow::open(&dir, engine(), Duration::from_secs(30 * 86_400))
            .await
            .unwrap();
        assert_eq!(
            workflow.poll(&name("done")).await.unwrap().state,
            ExecutionState::Succeeded(json!({"message": "HELLO A!"}))
        );
        assert!(matches!(
            workflow.poll(&name("old")).await,
            Err(WorkflowError::NotFound)
        ));
        match final_state(&workflow, &name("cut-off")).await {
            ExecutionState::Succeeded(output) => assert_eq!(output["message"], "HELLO B!"),
            other => panic!("the restarted job ended {other:?}"),
        }
        let waiting = workflow.poll(&name("waiting")).await.unwrap();
        assert_eq!(waiting.started_at, time_of(waiting_since));
        match final_state(&workflow, &name("waiting")).await {
            ExecutionState::Succeeded(output) => {
                assert_eq!(output["message"], "HELLO C!");
                // Resumed in its Wait: done 300 s after it entered it, not 300 s after now.
                let created_at = output["createdAt"].as_u64().unwrap();
                let deadline = waiting_since + 300_000;
                assert!(
                    (deadline..deadline + 60_000).contains(&created_at),
                    "created at {created_at}, the Wait's deadline was {deadline}"
                );
            }
            other => panic!("the resumed job ended {other:?}"),
        }
        match final_state(&workflow, &name("moved")).await {
            ExecutionState::Succeeded(output) => assert_eq!(output["message"], "HELLO D!"),
            other => panic!("the job started again ended {other:?}"),
        }
        assert!(matches!(
            workflow
                .start(&name("done"), &json!({"audience": "a"}))
                .await,
            Err(WorkflowError::AlreadyExists)
        ));
        let journal = std::fs::read_to_string(dir.join(JOURNAL_FILE)).unwrap();
        assert!(
            !journal.contains("torn") && !journal.contains("\"old\""),
            "{journal}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn finished_jobs_are_forgotten_once_their_ttl_has_passed() {
        let dir = temp_dir("ttl");
        let workflow = JournaledWorkflow::open(&dir, engine(), Duration::from_millis(1))
            .await
            .unwrap();
        workflow.start(&name("first"), &json!({})).await.unwrap();
        final_state(&workflow, &name("first")).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        workflow.start(&name("second"), &json!({})).await.unwrap();
        final_state(&workflow, &name("second")).await;
        let jobs = workflow.store.jobs();
        assert!(!jobs.contains_key(&name("first")));
        assert!(jobs.contains_key(&name("second")));
        drop(jobs);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_running_server_rewrites_its_journal_and_loses_no_job() {
        let dir = temp_dir("compact");
        let real =
            EmbeddedWorkflow::messages(Arc::new(shared::workflow::embedded::RealClock)).unwrap();
        let workflow = JournaledWorkflow::open_compacting_after(&dir, real, DAY, 20)
            .await
            .unwrap();
        let waiting = json!({"audience": "waiting", "delaySeconds": 300});
        workflow.start(&name("waiting"), &waiting).await.unwrap();
        for _ in 0..1_000 {
            let journal = std::fs::read_to_string(dir.join(JOURNAL_FILE)).unwrap();
            if journal.contains(r#""state":"Delay""#) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let quick: Vec<ExecutionName> = (0..10).map(|n| name(&format!("quick-{n}"))).collect();
        for job in &quick {
            workflow
                .start(job, &json!({"audience": job.as_str()}))
                .await
                .unwrap();
            final_state(&workflow, job).await;
        }
        let lines = std::fs::read_to_string(dir.join(JOURNAL_FILE))
            .unwrap()
            .lines()
            .count();
        // Each quick job alone appends a line per state; rewritten, it keeps two.
        assert!(lines < 40, "{lines} lines: the journal was not rewritten");
        drop(workflow);

        let restarted = JournaledWorkflow::open(&dir, engine(), DAY).await.unwrap();
        for job in &quick {
            match restarted.poll(job).await.unwrap().state {
                ExecutionState::Succeeded(output) => assert_eq!(
                    output["message"],
                    format!("HELLO {}!", job.as_str().to_uppercase())
                ),
                other => panic!("{job} ended {other:?}"),
            }
        }
        match final_state(&restarted, &name("waiting")).await {
            ExecutionState::Succeeded(output) => assert_eq!(output["message"], "HELLO WAITING!"),
            other => panic!("the waiting job ended {other:?}"),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn finished_lines_keep_the_format_earlier_journals_have() {
        let lines = [
            (
                ExecutionState::Succeeded(json!({"message": "HELLO A!"})),
                json!({"status": "SUCCEEDED", "output": {"message": "HELLO A!"}}),
            ),
            (
                ExecutionState::ended(EndStatus::Failed, "InvalidAudience", "blank"),
                json!({"status": "FAILED", "error": "InvalidAudience", "cause": "blank"}),
            ),
        ];
        for (state, shape) in lines {
            let entry = Entry::Finished {
                name: "done".to_owned(),
                state,
                finished_at_ms: 7,
            };
            assert_eq!(
                serde_json::to_value(&entry).unwrap(),
                json!({"finished": {"name": "done", "state": shape, "finishedAtMs": 7}})
            );
        }
    }

    const DAY: Duration = Duration::from_secs(86_400);
}
