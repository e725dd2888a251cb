//! The engine: state machines and their executions, with an API shaped like Step Functions'
//! (CreateStateMachine, StartExecution, DescribeExecution, StopExecution, GetExecutionHistory).
//! Each execution runs as a Tokio task.

mod error;
mod names;
mod record;
mod table;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use tokio::sync::watch;

pub use error::EngineError;

use crate::callback::TaskTokens;
use crate::clock::Clock;
use crate::definition::StateMachine;
use crate::error::StatesError;
use crate::execution::{ExecutionDescription, ExecutionObserver, ExecutionStatus, ResumePoint};
use crate::history::{History, HistoryEvent, events};
use crate::interpreter::{ExecutionIdentity, Run, Stopped};
use crate::mock::MockedStates;
use crate::task::TaskRegistry;
use record::{ExecutionRecord, Outcome};
use table::{ExecutionTable, Shard};

/// Where the engine pretends to run, and the limits that keep a runaway machine finite.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub region: String,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedExecution {
    pub execution_arn: String,
    pub start_date: SystemTime,
}

/// GetExecutionHistory's paging options.
#[derive(Debug, Clone, Default)]
pub struct HistoryRequest {
    /// 1..=1000; `None` or 0 means the default page size, 100.
    pub max_results: Option<usize>,
    pub next_token: Option<String>,
    pub reverse_order: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPage {
    pub events: Vec<HistoryEvent>,
    pub next_token: Option<String>,
}

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
    ended: Mutex<VecDeque<(String, SystemTime)>>,
}

impl Inner {
    /// Notes that an execution ended, and forgets the ended executions past the retention
    /// limits.
    fn note_ended(&self, execution: &ExecutionRecord, at: SystemTime) {
        if let Some(observer) = self
            .observer
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        {
            observer.execution_ended(&execution.describe());
        }
        let mut ended = self.ended.lock().unwrap_or_else(PoisonError::into_inner);
        ended.push_back((execution.arn.clone(), at));
        let oldest_kept = at.checked_sub(self.config.ended_execution_retention);
        let mut forgotten = Vec::new();
        while let Some((arn, ended_at)) = ended.front() {
            let expired = oldest_kept.is_some_and(|oldest| *ended_at < oldest);
            if ended.len() <= self.config.max_ended_executions && !expired {
                break;
            }
            forgotten.push(arn.clone());
            ended.pop_front();
        }
        drop(ended);
        for arn in forgotten {
            self.executions.remove(&arn);
        }
    }
}

/// What [`Engine::launch`] needs to run one execution.
struct Launch {
    machine: Arc<RegisteredMachine>,
    state_machine_arn: String,
    execution_arn: String,
    name: String,
    input: Value,
    start_date: SystemTime,
    mocks: Option<MockedStates>,
    resume: Option<ResumePoint>,
}

struct RegisteredMachine {
    name: String,
    definition: StateMachine,
}

impl Engine {
    pub fn new(clock: Arc<dyn Clock>, tasks: TaskRegistry) -> Self {
        Self::with_config(clock, tasks, EngineConfig::default())
    }

    pub fn with_config(clock: Arc<dyn Clock>, tasks: TaskRegistry, config: EngineConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                clock,
                tokens: Arc::new(TaskTokens::default()),
                tasks: Arc::new(tasks),
                config,
                machines: RwLock::new(HashMap::new()),
                executions: ExecutionTable::default(),
                observer: RwLock::new(None),
                ended: Mutex::new(VecDeque::new()),
            }),
        }
    }

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
        names::validate(name)?;
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
            Arc::new(RegisteredMachine {
                name: name.to_owned(),
                definition,
            }),
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

    /// Starts an execution (must be called inside a Tokio runtime). Starting the same name with
    /// the same input while it runs returns that execution; any other reuse of a name is
    /// ExecutionAlreadyExists.
    pub fn start_execution(
        &self,
        state_machine_arn: &str,
        name: Option<&str>,
        input: &str,
    ) -> Result<StartedExecution, EngineError> {
        self.start_execution_with_mocks(state_machine_arn, name, input, None)
    }

    /// Like [`Engine::start_execution`], with the input already parsed: a caller holding a
    /// value saves turning it into text and back.
    pub fn start_execution_with_input(
        &self,
        state_machine_arn: &str,
        name: Option<&str>,
        input: Value,
    ) -> Result<StartedExecution, EngineError> {
        let machine = self.machine(state_machine_arn)?;
        let name = execution_name(name)?;
        self.start(machine, state_machine_arn, name, input, None)
    }

    /// Like [`Engine::start_execution`], with the Task states named in `mocks` answered by them
    /// instead of their handlers.
    pub fn start_execution_with_mocks(
        &self,
        state_machine_arn: &str,
        name: Option<&str>,
        input: &str,
        mocks: Option<MockedStates>,
    ) -> Result<StartedExecution, EngineError> {
        let machine = self.machine(state_machine_arn)?;
        let name = execution_name(name)?;
        let input: Value = serde_json::from_str(input).map_err(|error| {
            EngineError::InvalidExecutionInput(format!("input is not valid JSON: {error}"))
        })?;
        self.start(machine, state_machine_arn, name, input, mocks)
    }

    fn start(
        &self,
        machine: Arc<RegisteredMachine>,
        state_machine_arn: &str,
        name: String,
        input: Value,
        mocks: Option<MockedStates>,
    ) -> Result<StartedExecution, EngineError> {
        let execution_arn = self.execution_arn_of(&machine, &name);
        let executions = self.inner.executions.shard(&execution_arn);
        if let Some(existing) = executions.get(&execution_arn) {
            if existing.is_running() && existing.input == input {
                return Ok(StartedExecution {
                    execution_arn,
                    start_date: existing.start_date,
                });
            }
            return Err(EngineError::ExecutionAlreadyExists(execution_arn));
        }
        let start_date = self.inner.clock.now();
        self.launch(
            executions,
            Launch {
                machine,
                state_machine_arn: state_machine_arn.to_owned(),
                execution_arn,
                name,
                input,
                start_date,
                mocks,
                resume: None,
            },
        )
    }

    /// Recreates an execution that ran in an earlier process (same ARN, input and start date)
    /// and continues it from `resume`. Its deadline still counts from `started_at`, and a Wait
    /// it resumes in only waits what was left of it.
    pub fn resume_execution(
        &self,
        state_machine_arn: &str,
        name: &str,
        input: &Value,
        started_at: SystemTime,
        resume: ResumePoint,
    ) -> Result<StartedExecution, EngineError> {
        let machine = self.machine(state_machine_arn)?;
        names::validate(name)?;
        if !machine.definition.states.states.contains_key(&resume.state) {
            return Err(EngineError::InvalidExecutionInput(format!(
                "the state machine has no state \"{}\" to resume at",
                resume.state
            )));
        }
        let execution_arn = self.execution_arn_of(&machine, name);
        let executions = self.inner.executions.shard(&execution_arn);
        if executions.contains_key(&execution_arn) {
            return Err(EngineError::ExecutionAlreadyExists(execution_arn));
        }
        self.launch(
            executions,
            Launch {
                machine,
                state_machine_arn: state_machine_arn.to_owned(),
                execution_arn,
                name: name.to_owned(),
                input: input.clone(),
                start_date: started_at,
                mocks: None,
                resume: Some(resume),
            },
        )
    }

    /// Records the execution and spawns its task.
    fn launch(
        &self,
        mut executions: Shard<'_>,
        launch: Launch,
    ) -> Result<StartedExecution, EngineError> {
        let Launch {
            machine,
            state_machine_arn,
            execution_arn,
            name,
            input,
            start_date,
            mocks,
            resume,
        } = launch;
        let history = Arc::new(History::default());
        let role_arn = format!(
            "arn:aws:iam::{}:role/service-role/StepFunctions-{}-role",
            self.inner.config.account_id, machine.name
        );
        history.record(start_date, events::execution_started(&input, &role_arn));
        if resume.is_some() {
            // AWS's own word for an execution continued under its ARN from where it stopped.
            history.record(self.inner.clock.now(), events::execution_redriven());
        }
        let observer = self
            .inner
            .observer
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let (outcome, _) = watch::channel(Outcome {
            status: ExecutionStatus::Running,
            output: None,
            error: None,
            cause: None,
            stop_date: None,
        });
        let record = Arc::new(ExecutionRecord {
            arn: execution_arn.clone(),
            name: name.clone(),
            state_machine_arn: state_machine_arn.clone(),
            input: input.clone(),
            start_date,
            history: Arc::clone(&history),
            outcome,
            task: Mutex::new(None),
        });
        executions.insert(execution_arn.clone(), Arc::clone(&record));
        drop(executions);

        let timeout = machine
            .definition
            .timeout_seconds
            .map(Duration::from_secs)
            .unwrap_or(self.inner.config.default_execution_timeout);
        let run = Run {
            clock: Arc::clone(&self.inner.clock),
            tasks: Arc::clone(&self.inner.tasks),
            history,
            execution: ExecutionIdentity {
                id: execution_arn.clone(),
                name,
                input: input.clone(),
                role_arn,
                start_time: start_date,
                state_machine_id: state_machine_arn,
                state_machine_name: machine.name.clone(),
                redrive_count: u64::from(resume.is_some()),
            },
            region: self.inner.config.region.clone(),
            max_history_events: self.inner.config.max_history_events,
            deadline: start_date.checked_add(timeout),
            tokens: Arc::clone(&self.inner.tokens),
            mocks: mocks.map(Arc::new),
            observer,
        };
        let running = Arc::clone(&record);
        let inner = Arc::clone(&self.inner);
        let task = tokio::spawn(async move {
            let result = run
                .run_execution(&machine.definition.states, input, resume)
                .await;
            let outcome = match result {
                Ok(output) => Outcome {
                    status: ExecutionStatus::Succeeded,
                    output: Some(output),
                    error: None,
                    cause: None,
                    stop_date: None,
                },
                Err(Stopped::Failed(error)) => Outcome {
                    status: ExecutionStatus::Failed,
                    output: None,
                    error: non_empty(error.error),
                    cause: non_empty(error.cause),
                    stop_date: None,
                },
                Err(Stopped::TimedOut(error)) => Outcome {
                    status: ExecutionStatus::TimedOut,
                    output: None,
                    error: non_empty(error.error),
                    cause: non_empty(error.cause),
                    stop_date: None,
                },
            };
            let now = run.clock.now();
            if running.finish(now, outcome) {
                inner.note_ended(&running, now);
            }
        });
        *record.task.lock().unwrap_or_else(PoisonError::into_inner) = Some(task.abort_handle());
        Ok(StartedExecution {
            execution_arn,
            start_date,
        })
    }

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
        let _ = outcome
            .wait_for(|outcome| outcome.status != ExecutionStatus::Running)
            .await;
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
            Outcome {
                status: ExecutionStatus::Aborted,
                output: None,
                error: error.map(str::to_owned),
                cause: cause.map(str::to_owned),
                stop_date: None,
            },
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

/// The name asked for, checked, or a fresh one as StartExecution gives an unnamed execution.
fn execution_name(name: Option<&str>) -> Result<String, EngineError> {
    match name {
        Some(name) => {
            names::validate(name)?;
            Ok(name.to_owned())
        }
        None => Ok(uuid::Uuid::new_v4().to_string()),
    }
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}
