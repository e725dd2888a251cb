//! StartExecution: checks the request, records the execution, and runs it as a Tokio task.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use execution_model::{EndStatus, ExecutionName, ExecutionState};
use serde_json::Value;
use tokio::sync::watch;

use super::record::{ExecutionRecord, Outcome};
use super::request::{Resume, StartExecution};
use super::{Engine, EngineError, Inner, RegisteredMachine, StartedExecution, checked_name};
use crate::history::{History, events};
use crate::interpreter::{ExecutionIdentity, Run, Stopped};
use crate::mock::MockedStates;

/// A request that passed its checks.
struct Admitted {
    machine: Arc<RegisteredMachine>,
    state_machine_arn: String,
    name: String,
    input: Value,
    role_arn: String,
    mocks: Option<MockedStates>,
    resume: Option<Resume>,
}

impl Engine {
    /// Starts an execution (must be called inside a Tokio runtime), or, for a request that
    /// [resumes](StartExecution::resume) one, continues it from where it stopped.
    pub fn start_execution(
        &self,
        request: StartExecution,
    ) -> Result<StartedExecution, EngineError> {
        let admitted = self.admit(request)?;
        let execution_arn = self.execution_arn_of(&admitted.machine, &admitted.name);
        let mut executions = self.inner.executions.shard(&execution_arn);
        if let Some(existing) = executions.get(&execution_arn) {
            return started_again(existing, &admitted);
        }
        let start_date = admitted
            .resume
            .as_ref()
            .map_or_else(|| self.inner.clock.now(), |resume| resume.started_at);
        let record = self.record(execution_arn, start_date, &admitted);
        executions.insert(record.arn.clone(), Arc::clone(&record));
        drop(executions);
        self.spawn(&record, admitted);
        Ok(StartedExecution {
            execution_arn: record.arn.clone(),
            start_date,
        })
    }

    /// Checks the request in StartExecution's order: the state machine, the name, the input.
    fn admit(&self, request: StartExecution) -> Result<Admitted, EngineError> {
        let machine = self.machine(&request.state_machine_arn)?;
        let name = match request.name {
            Some(name) => checked_name(name)?,
            None => ExecutionName::random().into(),
        };
        let input = request.input.into_value()?;
        if let Some(resume) = &request.resume
            && !machine
                .definition
                .states
                .states
                .contains_key(&resume.point.state)
        {
            return Err(EngineError::InvalidExecutionInput(format!(
                "the state machine has no state \"{}\" to resume at",
                resume.point.state
            )));
        }
        Ok(Admitted {
            role_arn: self.role_arn(&machine),
            machine,
            state_machine_arn: request.state_machine_arn,
            name,
            input,
            mocks: request.mocks,
            resume: request.resume,
        })
    }

    /// The execution's record, its history opened with ExecutionStarted.
    fn record(
        &self,
        execution_arn: String,
        start_date: SystemTime,
        admitted: &Admitted,
    ) -> Arc<ExecutionRecord> {
        let history = Arc::new(History::default());
        history.record(
            start_date,
            events::execution_started(&admitted.input, &admitted.role_arn),
        );
        if admitted.resume.is_some() {
            // AWS's own word for an execution continued under its ARN from where it stopped.
            history.record(self.inner.clock.now(), events::execution_redriven());
        }
        let (outcome, _) = watch::channel(Outcome {
            state: ExecutionState::Running,
            stop_date: None,
        });
        Arc::new(ExecutionRecord {
            arn: execution_arn,
            name: admitted.name.clone(),
            state_machine_arn: admitted.state_machine_arn.clone(),
            input: admitted.input.clone(),
            start_date,
            history,
            outcome,
            task: Mutex::new(None),
        })
    }

    /// Runs the execution as a Tokio task that ends its record when the states are done.
    fn spawn(&self, record: &Arc<ExecutionRecord>, admitted: Admitted) {
        let Admitted {
            machine,
            input,
            role_arn,
            mocks,
            resume,
            ..
        } = admitted;
        let run = self.run(record, &machine, role_arn, mocks, resume.is_some());
        let running = Arc::clone(record);
        let inner = Arc::clone(&self.inner);
        let task = tokio::spawn(async move {
            let result = run
                .run_execution(
                    &machine.definition.states,
                    input,
                    resume.map(|resume| resume.point),
                )
                .await;
            let now = run.clock.now();
            if running.finish(now, ended_state(result)) {
                inner.note_ended(&running, now);
            }
        });
        *record.task.lock().unwrap_or_else(PoisonError::into_inner) = Some(task.abort_handle());
    }

    /// What the execution's states share.
    fn run(
        &self,
        record: &ExecutionRecord,
        machine: &RegisteredMachine,
        role_arn: String,
        mocks: Option<MockedStates>,
        resumed: bool,
    ) -> Run {
        let inner: &Inner = &self.inner;
        let timeout = machine
            .definition
            .timeout_seconds
            .map(Duration::from_secs)
            .unwrap_or(inner.config.default_execution_timeout);
        Run {
            clock: Arc::clone(&inner.clock),
            tasks: Arc::clone(&inner.tasks),
            history: Arc::clone(&record.history),
            execution: ExecutionIdentity {
                id: record.arn.clone(),
                name: record.name.clone(),
                input: record.input.clone(),
                role_arn,
                start_time: record.start_date,
                state_machine_id: record.state_machine_arn.clone(),
                state_machine_name: machine.name.clone(),
                redrive_count: u64::from(resumed),
            },
            region: inner.config.region.clone(),
            max_history_events: inner.config.max_history_events,
            deadline: record.start_date.checked_add(timeout),
            tokens: Arc::clone(&inner.tokens),
            mocks: mocks.map(Arc::new),
            observer: inner.observer(),
        }
    }

    fn role_arn(&self, machine: &RegisteredMachine) -> String {
        format!(
            "arn:aws:iam::{}:role/service-role/StepFunctions-{}-role",
            self.inner.config.account_id, machine.name
        )
    }
}

/// StartExecution's answer for a name already in use: the same execution when it runs with
/// the same input, ExecutionAlreadyExists otherwise, and always for a resume.
fn started_again(
    existing: &ExecutionRecord,
    admitted: &Admitted,
) -> Result<StartedExecution, EngineError> {
    if admitted.resume.is_none() && existing.is_running() && existing.input == admitted.input {
        return Ok(StartedExecution {
            execution_arn: existing.arn.clone(),
            start_date: existing.start_date,
        });
    }
    Err(EngineError::ExecutionAlreadyExists(existing.arn.clone()))
}

/// How the states' run ended the execution.
fn ended_state(result: Result<Value, Stopped>) -> ExecutionState {
    match result {
        Ok(output) => ExecutionState::Succeeded(output),
        Err(Stopped::Failed(error)) => {
            ExecutionState::ended(EndStatus::Failed, error.error, error.cause)
        }
        Err(Stopped::TimedOut(error)) => {
            ExecutionState::ended(EndStatus::TimedOut, error.error, error.cause)
        }
    }
}
