//! Runs a set of states from StartAt to a terminal state, recording the history as it goes.
//! Each state type has its own module that reads like the specification's paragraph for it.

mod choice;
mod fail;
mod io;
mod pass;
mod retry;
mod task;
mod wait;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::clock::Clock;
use crate::definition::{StateKind, States, Transition};
use crate::error::{StatesError, names};
use crate::history::{EventSpec, History, events};
use crate::task::TaskRegistry;
use crate::timestamp;

/// What an execution's states share: its identity (for the context object), its clock, its
/// task handlers, its history and its limits.
pub(crate) struct Run {
    pub clock: Arc<dyn Clock>,
    pub tasks: Arc<TaskRegistry>,
    pub history: Arc<History>,
    pub execution: ExecutionIdentity,
    pub region: String,
    pub max_history_events: usize,
    /// When the execution's TimeoutSeconds runs out.
    pub deadline: Option<SystemTime>,
}

pub(crate) struct ExecutionIdentity {
    pub id: String,
    pub name: String,
    pub input: Value,
    pub role_arn: String,
    pub start_time: SystemTime,
    pub state_machine_id: String,
    pub state_machine_name: String,
}

/// How an execution that did not succeed ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stopped {
    Failed(StatesError),
    TimedOut(StatesError),
}

impl From<StatesError> for Stopped {
    fn from(error: StatesError) -> Self {
        Stopped::Failed(error)
    }
}

/// Where a state sends the execution next, and with what.
pub(crate) struct Step {
    pub output: Value,
    pub next: Option<String>,
}

impl Step {
    fn after(transition: &Transition, output: Value) -> Self {
        let next = match transition {
            Transition::Next(name) => Some(name.clone()),
            Transition::End => None,
        };
        Self { output, next }
    }
}

/// The state being run: what its context object and its errors need to know.
pub(crate) struct Entered<'a> {
    pub name: &'a str,
    pub event_id: u64,
    pub time: SystemTime,
}

impl Run {
    pub fn record(&self, spec: EventSpec) -> u64 {
        self.history.record(self.clock.now(), spec)
    }

    /// The context object (`$$`) for a state.
    pub fn context_object(&self, state: &Entered, retry_count: u64) -> Value {
        json!({
            "Execution": {
                "Id": self.execution.id,
                "Input": self.execution.input,
                "Name": self.execution.name,
                "RoleArn": self.execution.role_arn,
                "StartTime": timestamp::format(self.execution.start_time),
                "RedriveCount": 0,
            },
            "State": {
                "EnteredTime": timestamp::format(state.time),
                "Name": state.name,
                "RetryCount": retry_count,
            },
            "StateMachine": {
                "Id": self.execution.state_machine_id,
                "Name": self.execution.state_machine_name,
            },
        })
    }

    /// Sleeps on the execution's clock, but never past its deadline.
    pub async fn sleep(&self, duration: Duration) -> Result<(), Stopped> {
        let Some(deadline) = self.deadline else {
            self.clock.sleep(duration).await;
            return Ok(());
        };
        let left = deadline
            .duration_since(self.clock.now())
            .unwrap_or_default();
        if duration < left {
            self.clock.sleep(duration).await;
            return Ok(());
        }
        self.clock.sleep(left).await;
        Err(timed_out())
    }

    fn check_limits(&self) -> Result<(), Stopped> {
        if self
            .deadline
            .is_some_and(|deadline| self.clock.now() >= deadline)
        {
            return Err(timed_out());
        }
        if self.history.event_count() >= self.max_history_events {
            return Err(Stopped::Failed(StatesError::runtime(format!(
                "The execution reached the maximum number of history events ({}).",
                self.max_history_events
            ))));
        }
        Ok(())
    }

    /// Runs `states` on `input` until a terminal state: the final output, or why it stopped.
    pub async fn run_states(&self, states: &States, input: Value) -> Result<Value, Stopped> {
        let mut current = states.start_at.clone();
        let mut input = input;
        loop {
            self.check_limits()?;
            let Some(state) = states.states.get(&current) else {
                return Err(Stopped::Failed(StatesError::runtime(format!(
                    "state \"{current}\" does not exist"
                ))));
            };
            let type_name = state.kind.type_name();
            let time = self.clock.now();
            let event_id = self
                .history
                .record(time, events::state_entered(type_name, &state.name, &input));
            let entered = Entered {
                name: &state.name,
                event_id,
                time,
            };
            let step = match &state.kind {
                StateKind::Pass(pass) => pass::run(self, pass, &entered, input),
                StateKind::Task(task) => task::run(self, task, &entered, input).await,
                StateKind::Choice(choice) => choice::run(self, choice, &entered, input),
                StateKind::Wait(wait) => wait::run(self, wait, &entered, input).await,
                StateKind::Succeed(succeed) => {
                    io::output_path(&succeed.filters, input, &self.context_object(&entered, 0))
                        .map(|output| Step { output, next: None })
                        .map_err(Stopped::from)
                }
                StateKind::Fail(fail) => match fail::error(self, fail, &entered, &input) {
                    Ok(declared) => return Err(Stopped::Failed(declared)),
                    Err(error) => Err(Stopped::Failed(error)),
                },
            };
            let step = step.map_err(|stopped| explain_runtime_error(stopped, &entered))?;
            self.record(events::state_exited(type_name, &state.name, &step.output));
            match step.next {
                Some(next) => {
                    current = next;
                    input = step.output;
                }
                None => return Ok(step.output),
            }
            // A machine that never waits (a Pass loop) must still let other executions run.
            tokio::task::yield_now().await;
        }
    }
}

fn timed_out() -> Stopped {
    Stopped::TimedOut(StatesError::new(names::TIMEOUT, "The execution timed out."))
}

/// AWS prefixes a States.Runtime cause with the state that raised it.
fn explain_runtime_error(stopped: Stopped, entered: &Entered) -> Stopped {
    match stopped {
        Stopped::Failed(error) if error.error == names::RUNTIME => {
            Stopped::Failed(StatesError::runtime(format!(
                "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
                entered.name, entered.event_id, error.cause
            )))
        }
        other => other,
    }
}
