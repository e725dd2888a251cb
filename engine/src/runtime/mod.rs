//! The engine: state machines and their executions, with an API shaped like Step Functions'
//! (CreateStateMachine, StartExecution, DescribeExecution, StopExecution, GetExecutionHistory).
//! Each execution runs as a Tokio task.

mod error;
mod launch;
mod record;
mod request;
mod table;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use execution_model::{EndStatus, EndedQueue, ExecutionState};
use serde_json::Value;

pub use error::EngineError;
pub use request::StartExecution;

use crate::callback::TaskTokens;
use crate::clock::Clock;
use crate::definition::StateMachine;
use crate::error::StatesError;
use crate::execution::{ExecutionDescription, ExecutionObserver};
use crate::history::HistoryEvent;
use crate::task::TaskRegistry;
use record::ExecutionRecord;
use table::ExecutionTable;

/// Where the engine pretends to run, and the limits that keep a runaway machine finite.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The region in the ARNs the engine makes.
    pub region: String,
    /// The account in the ARNs the engine makes.
    pub account_id: String,
    /// AWS ends a Standard execution at 25,000 history events.
    pub max_history_events: usize,
    /// Applies when a definition sets no TimeoutSeconds (AWS: one year).
    pub default_execution_timeout: Duration,
    /// Ended executions kept for Describe and GetExecutionHistory; past this many, the one
    /// that ended first is forgotten, so a long-lived engine's memory stays bounded.
    pub max_ended_executions: usize,
    /// How long an ended execution is kept (AWS: 90 days).
    pub ended_execution_retention: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            region: "us-east-1".into(),
            account_id: "123456789012".into(),
            max_history_events: 25_000,
            default_execution_timeout: Duration::from_secs(365 * 24 * 60 * 60),
            max_ended_executions: 10_000,
            ended_execution_retention: Duration::from_secs(90 * 24 * 60 * 60),
        }
    }
}

/// StartExecution's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedExecution {
    /// The execution's ARN.
    pub execution_arn: String,
    /// When it started (for a name started again, when the running execution did).
    pub start_date: SystemTime,
}

/// GetExecutionHistory's paging options.
#[derive(Debug, Clone, Default)]
pub struct HistoryRequest {
    /// 1..=1000; `None` or 0 means the default page size, 100.
    pub max_results: Option<usize>,
    /// Where to go on from: the previous page's `next_token`.
    pub next_token: Option<String>,
    /// Newest event first.
    pub reverse_order: bool,
}

/// One page of GetExecutionHistory.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPage {
    /// The events, in the order asked for.
    pub events: Vec<HistoryEvent>,
    /// Gives the next page; `None` on the last.
    pub next_token: Option<String>,
}

/// State machines and their executions, in-process; cheap to clone (the clones share them).
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    clock: Arc<dyn Clock>,
    tokens: Arc<TaskTokens>,
    tasks: Arc<TaskRegistry>,
    config: EngineConfig,
    machines: RwLock<HashMap<String, Arc<RegisteredMachine>>>,
    executions: ExecutionTable,
    observer: RwLock<Option<Arc<dyn ExecutionObserver>>>,
    /// Ended executions by ARN, in the order they ended: the order they are forgotten in.
    ended: Mutex<EndedQueue<String>>,
}

impl Inner {
    fn observer(&self) -> Option<Arc<dyn ExecutionObserver>> {
        self.observer
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Notes that an execution ended, and forgets the ended executions past the retention
    /// limits.
    fn note_ended(&self, execution: &ExecutionRecord, at: SystemTime) {
        if let Some(observer) = self.observer() {
            observer.execution_ended(&execution.describe());
        }
        let forgotten = self
            .ended
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(execution.arn.clone(), at);
        for arn in forgotten {
            self.executions.remove(&arn);
        }
    }
}

struct RegisteredMachine {
    name: String,
    definition: StateMachine,
}

impl Engine {
    /// An engine with the default [`EngineConfig`], timed by `clock`, running Task states with `tasks`.
    pub fn new(clock: Arc<dyn Clock>, tasks: TaskRegistry) -> Self {
        Self::with_config(clock, tasks, EngineConfig::default())
    }

    /// Like [`Engine::new`], with the region, account and limits of `config`.
    pub fn with_config(clock: Arc<dyn Clock>, tasks: TaskRegistry, config: EngineConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                clock,
                tokens: Arc::new(TaskTokens::default()),
                tasks: Arc::new(tasks),
                ended: Mutex::new(EndedQueue::new(
                    config.max_ended_executions,
                    config.ended_execution_retention,
                )),
                config,
                machines: RwLock::new(HashMap::new()),
                executions: ExecutionTable::default(),
                observer: RwLock::new(None),
            }),
        }
    }

    /// The clock the engine runs on.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// Tells `observer` of every top-level transition and every end of the executions started
    /// (or resumed) from now on.
    pub fn set_observer(&self, observer: Arc<dyn ExecutionObserver>) {
        *self
            .inner
            .observer
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(observer);
    }

    /// Validates `definition` (JSON text) and registers it; returns the state machine's ARN.
    pub fn create_state_machine(
        &self,
        name: &str,
        definition: &str,
    ) -> Result<String, EngineError> {
        let name = checked_name(name)?;
        let definition = StateMachine::from_json(definition)?;
        let arn = format!(
            "arn:aws:states:{}:{}:stateMachine:{name}",
            self.inner.config.region, self.inner.config.account_id
        );
        let mut machines = self
            .inner
            .machines
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if machines.contains_key(&arn) {
            return Err(EngineError::StateMachineAlreadyExists(arn));
        }
        machines.insert(
            arn.clone(),
            Arc::new(RegisteredMachine { name, definition }),
        );
        Ok(arn)
    }

    /// The ARN an execution of `state_machine_arn` named `name` has (or would have).
    pub fn execution_arn(
        &self,
        state_machine_arn: &str,
        name: &str,
    ) -> Result<String, EngineError> {
        let machine = self.machine(state_machine_arn)?;
        Ok(self.execution_arn_of(&machine, name))
    }

    fn execution_arn_of(&self, machine: &RegisteredMachine, name: &str) -> String {
        format!(
            "arn:aws:states:{}:{}:execution:{}:{name}",
            self.inner.config.region, self.inner.config.account_id, machine.name
        )
    }

    /// DescribeExecution: where the execution stands now.
    pub fn describe_execution(
        &self,
        execution_arn: &str,
    ) -> Result<ExecutionDescription, EngineError> {
        Ok(self.execution(execution_arn)?.describe())
    }

    /// Waits until the execution has ended and describes it.
    pub async fn wait_for_execution(
        &self,
        execution_arn: &str,
    ) -> Result<ExecutionDescription, EngineError> {
        let record = self.execution(execution_arn)?;
        let mut outcome = record.outcome.subscribe();
        // The sender lives in the record we hold, so the channel cannot close under us.
        let _ = outcome.wait_for(|outcome| outcome.state.is_final()).await;
        Ok(record.describe())
    }

    /// Stops a running execution (ABORTED); stopping an ended one changes nothing. Returns the
    /// stop date.
    pub fn stop_execution(
        &self,
        execution_arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<SystemTime, EngineError> {
        let record = self.execution(execution_arn)?;
        let now = self.inner.clock.now();
        let stopped = record.finish(
            now,
            ExecutionState::ended(
                EndStatus::Aborted,
                error.unwrap_or_default(),
                cause.unwrap_or_default(),
            ),
        );
        if stopped {
            self.inner.note_ended(&record, now);
        }
        if stopped
            && let Some(task) = record
                .task
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
        {
            task.abort();
        }
        Ok(record.describe().stop_date.unwrap_or(now))
    }

    /// SendTaskSuccess: completes the `.waitForTaskToken` task holding `token` with `output`
    /// (JSON text).
    pub fn send_task_success(&self, token: &str, output: &str) -> Result<(), EngineError> {
        let output: Value = serde_json::from_str(output).map_err(|error| {
            EngineError::InvalidOutput(format!("output is not valid JSON: {error}"))
        })?;
        self.inner
            .tokens
            .complete(token, Ok(output))
            .map_err(|_| EngineError::TaskDoesNotExist(token.to_owned()))
    }

    /// SendTaskFailure: fails the task holding `token` with `error` and `cause`.
    pub fn send_task_failure(
        &self,
        token: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), EngineError> {
        let failure = StatesError::new(error.unwrap_or_default(), cause.unwrap_or_default());
        self.inner
            .tokens
            .complete(token, Err(failure))
            .map_err(|_| EngineError::TaskDoesNotExist(token.to_owned()))
    }

    /// SendTaskHeartbeat: restarts the HeartbeatSeconds countdown of the task holding `token`.
    pub fn send_task_heartbeat(&self, token: &str) -> Result<(), EngineError> {
        self.inner
            .tokens
            .heartbeat(token)
            .map_err(|_| EngineError::TaskDoesNotExist(token.to_owned()))
    }

    /// GetExecutionHistory: one page of the execution's events.
    pub fn get_execution_history(
        &self,
        execution_arn: &str,
        request: &HistoryRequest,
    ) -> Result<HistoryPage, EngineError> {
        let record = self.execution(execution_arn)?;
        let mut events = record.history.snapshot();
        if request.reverse_order {
            events.reverse();
        }
        let page_size = match request.max_results {
            None | Some(0) => 100,
            Some(size) => size.min(1000),
        };
        let start = match &request.next_token {
            None => 0,
            Some(token) => token
                .parse::<usize>()
                .ok()
                .filter(|start| *start <= events.len())
                .ok_or_else(|| EngineError::InvalidToken(token.clone()))?,
        };
        let end = (start + page_size).min(events.len());
        let next_token = (end < events.len()).then(|| end.to_string());
        Ok(HistoryPage {
            events: events[start..end].to_vec(),
            next_token,
        })
    }

    /// Every execution of a state machine, newest first.
    pub fn list_executions(
        &self,
        state_machine_arn: &str,
    ) -> Result<Vec<ExecutionDescription>, EngineError> {
        self.machine(state_machine_arn)?;
        let mut found: Vec<ExecutionDescription> = self
            .inner
            .executions
            .all()
            .iter()
            .filter(|record| record.state_machine_arn == state_machine_arn)
            .map(|record| record.describe())
            .collect();
        found.sort_by_key(|execution| std::cmp::Reverse(execution.start_date));
        Ok(found)
    }

    fn machine(&self, arn: &str) -> Result<Arc<RegisteredMachine>, EngineError> {
        if !arn.starts_with("arn:") {
            return Err(EngineError::InvalidArn(arn.to_owned()));
        }
        let machines = self
            .inner
            .machines
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        machines
            .get(arn)
            .cloned()
            .ok_or_else(|| EngineError::StateMachineDoesNotExist(arn.to_owned()))
    }

    fn execution(&self, arn: &str) -> Result<Arc<ExecutionRecord>, EngineError> {
        if !arn.starts_with("arn:") {
            return Err(EngineError::InvalidArn(arn.to_owned()));
        }
        self.inner
            .executions
            .get(arn)
            .ok_or_else(|| EngineError::ExecutionDoesNotExist(arn.to_owned()))
    }
}

/// A state machine or execution name, if StartExecution and CreateStateMachine accept it.
fn checked_name(name: impl Into<String>) -> Result<String, EngineError> {
    let name = name.into();
    match execution_model::check_name(&name) {
        Ok(()) => Ok(name),
        Err(_) => Err(EngineError::InvalidName(name)),
    }
}
