//! `--data-dir`: jobs that survive a restart of the embedded backend, even `kill -9`.
//!
//! An append-only journal (JSON lines) records each accepted job and each final state the
//! server observes. On start-up, finished jobs answer from the journal (within the result TTL)
//! and accepted jobs with no recorded end are started again under the same execution name, so
//! every id handed out still answers. A restarted job runs from its beginning: the embedded
//! engine keeps no state between runs, and BuildMessage is safe to repeat.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shared::workflow::{Execution, ExecutionName, ExecutionState, Workflow, WorkflowError};

const JOURNAL_FILE: &str = "jobs.jsonl";

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot use data directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot restart job {name}: {source}")]
    Restart { name: String, source: WorkflowError },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
enum Entry {
    Accepted {
        name: String,
        input: Value,
        started_at_ms: u64,
    },
    Finished {
        name: String,
        state: FinalState,
        finished_at_ms: u64,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
enum FinalState {
    Succeeded { output: Value },
    Failed { error: String, cause: String },
    TimedOut { error: String, cause: String },
    Aborted { error: String, cause: String },
}

impl FinalState {
    fn of(state: &ExecutionState) -> Option<Self> {
        Some(match state.clone() {
            ExecutionState::Running => return None,
            ExecutionState::Succeeded(output) => Self::Succeeded { output },
            ExecutionState::Failed { error, cause } => Self::Failed { error, cause },
            ExecutionState::TimedOut { error, cause } => Self::TimedOut { error, cause },
            ExecutionState::Aborted { error, cause } => Self::Aborted { error, cause },
        })
    }

    fn state(self) -> ExecutionState {
        match self {
            Self::Succeeded { output } => ExecutionState::Succeeded(output),
            Self::Failed { error, cause } => ExecutionState::Failed { error, cause },
            Self::TimedOut { error, cause } => ExecutionState::TimedOut { error, cause },
            Self::Aborted { error, cause } => ExecutionState::Aborted { error, cause },
        }
    }
}

#[derive(Debug, Clone)]
struct Job {
    input: Value,
    started_at_ms: u64,
    finished: Option<(FinalState, u64)>,
}

pub struct JournaledWorkflow {
    inner: Arc<dyn Workflow>,
    jobs: Mutex<HashMap<ExecutionName, Job>>,
    file: Mutex<File>,
    path: PathBuf,
}

impl JournaledWorkflow {
    /// Opens (or creates) the journal in `dir`, forgets results older than `ttl`, and starts
    /// again on `inner` every job that was accepted but never seen to finish.
    pub async fn open(
        dir: &Path,
        inner: Arc<dyn Workflow>,
        ttl: Duration,
    ) -> Result<Self, JournalError> {
        let path = dir.join(JOURNAL_FILE);
        let io = |source| JournalError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let jobs = read_jobs(&path, ttl).map_err(io)?;
        // Rewritten with only the live jobs, so the journal does not grow without bound.
        let compacted = path.with_extension("jsonl.tmp");
        {
            let mut file = File::create(&compacted).map_err(io)?;
            for (name, job) in &jobs {
                for entry in entries(name, job) {
                    write_entry(&mut file, &entry).map_err(io)?;
                }
            }
            file.sync_all().map_err(io)?;
        }
        std::fs::rename(&compacted, &path).map_err(io)?;
        let file = OpenOptions::new().append(true).open(&path).map_err(io)?;

        for (name, job) in &jobs {
            if job.finished.is_none() {
                match inner.start(name, &job.input).await {
                    Ok(()) | Err(WorkflowError::AlreadyExists) => {}
                    Err(source) => {
                        return Err(JournalError::Restart {
                            name: name.to_string(),
                            source,
                        });
                    }
                }
            }
        }
        let restarted = jobs.values().filter(|job| job.finished.is_none()).count();
        tracing::info!(
            journal = %path.display(),
            jobs = jobs.len(),
            restarted,
            "jobs restored from the data directory"
        );
        Ok(Self {
            inner,
            jobs: Mutex::new(jobs),
            file: Mutex::new(file),
            path,
        })
    }

    fn jobs(&self) -> std::sync::MutexGuard<'_, HashMap<ExecutionName, Job>> {
        self.jobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn append(&self, entry: &Entry) -> Result<(), WorkflowError> {
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        write_entry(&mut file, entry).map_err(|error| {
            WorkflowError::Upstream(format!("journal {}: {error}", self.path.display()))
        })
    }
}

#[async_trait]
impl Workflow for JournaledWorkflow {
    async fn start(&self, name: &ExecutionName, input: &Value) -> Result<(), WorkflowError> {
        let known = self.jobs().get(name).cloned();
        if let Some(job) = known {
            // AWS semantics, across restarts too: the same name and input while running is the
            // same execution; a finished one, or another input, is ExecutionAlreadyExists.
            if job.finished.is_some() || job.input != *input {
                return Err(WorkflowError::AlreadyExists);
            }
            return self.inner.start(name, input).await;
        }
        self.inner.start(name, input).await?;
        let started_at_ms = epoch_ms(SystemTime::now());
        // Written once the job exists, before it is acknowledged: an acknowledged job is
        // always in the journal.
        self.append(&Entry::Accepted {
            name: name.to_string(),
            input: input.clone(),
            started_at_ms,
        })?;
        self.jobs().insert(
            name.clone(),
            Job {
                input: input.clone(),
                started_at_ms,
                finished: None,
            },
        );
        Ok(())
    }

    async fn poll(&self, name: &ExecutionName) -> Result<Execution, WorkflowError> {
        let known = self.jobs().get(name).cloned();
        if let Some(Job {
            input,
            started_at_ms,
            finished: Some((state, _)),
        }) = known
        {
            return Ok(Execution {
                state: state.state(),
                input,
                started_at: UNIX_EPOCH + Duration::from_millis(started_at_ms),
            });
        }
        let execution = self.inner.poll(name).await?;
        if let Some(state) = FinalState::of(&execution.state) {
            let finished_at_ms = epoch_ms(SystemTime::now());
            let first = self
                .jobs()
                .get_mut(name)
                .filter(|job| job.finished.is_none())
                .map(|job| job.finished = Some((state.clone(), finished_at_ms)))
                .is_some();
            if first {
                self.append(&Entry::Finished {
                    name: name.to_string(),
                    state,
                    finished_at_ms,
                })?;
            }
        }
        Ok(execution)
    }

    async fn stop(&self, name: &ExecutionName) -> Result<(), WorkflowError> {
        let finished = self
            .jobs()
            .get(name)
            .is_some_and(|job| job.finished.is_some());
        if finished {
            return Ok(());
        }
        self.inner.stop(name).await
    }
}

fn read_jobs(path: &Path, ttl: Duration) -> std::io::Result<HashMap<ExecutionName, Job>> {
    let mut jobs = HashMap::new();
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(jobs),
        Err(error) => return Err(error),
    };
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
                        finished: None,
                    });
                }
            }
            Entry::Finished {
                name,
                state,
                finished_at_ms,
            } => {
                if let Some(job) = ExecutionName::parse(name)
                    .ok()
                    .and_then(|name| jobs.get_mut(&name))
                {
                    job.finished = Some((state, finished_at_ms));
                }
            }
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

fn entries(name: &ExecutionName, job: &Job) -> Vec<Entry> {
    let mut entries = vec![Entry::Accepted {
        name: name.to_string(),
        input: job.input.clone(),
        started_at_ms: job.started_at_ms,
    }];
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

#[cfg(test)]
mod tests {
    use serde_json::json;
    use shared::workflow::embedded::{EmbeddedWorkflow, VirtualClock};

    use super::*;

    fn engine() -> Arc<dyn Workflow> {
        Arc::new(EmbeddedWorkflow::messages(Arc::new(VirtualClock::new())).unwrap())
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
    async fn restores_finished_jobs_restarts_unfinished_ones_and_skips_a_torn_line() {
        let dir = temp_dir("restore");
        let now = epoch_ms(SystemTime::now());
        let day = 24 * 60 * 60 * 1000;
        let lines = [
            json!({"accepted": {"name": "done", "input": {"audience": "a"}, "startedAtMs": now}}),
            json!({"finished": {"name": "done", "state": {"status": "SUCCEEDED", "output": {"message": "HELLO A!"}}, "finishedAtMs": now}}),
            json!({"accepted": {"name": "old", "input": {}, "startedAtMs": now - 40 * day}}),
            json!({"finished": {"name": "old", "state": {"status": "ABORTED", "error": "", "cause": ""}, "finishedAtMs": now - 40 * day}}),
            json!({"accepted": {"name": "cut-off", "input": {"audience": "b"}, "startedAtMs": now}}),
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
}
