//! Runs a set of states from StartAt to a terminal state, recording the history as it goes.
//! Each state type has its own module that reads like the specification's paragraph for it.

mod catch;
mod choice;
mod dynamic;
mod fail;
mod io;
mod join;
mod map;
mod parallel;
mod pass;
mod processing;
mod retry;
mod task;
mod wait;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};

use crate::callback::TaskTokens;
use crate::clock::Clock;
use crate::definition::{
    Assign, JsonataField, QueryLanguage, State, StateKind, States, Transition,
};
use crate::error::{StatesError, names};
use crate::execution::{ExecutionObserver, ResumePoint, StateTransition};
use crate::history::{EventSpec, History, events};
use crate::jsonata::JsonataError;
use crate::mock::MockedStates;
use crate::path::Sources;
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
    pub tokens: Arc<TaskTokens>,
    /// Mocked task answers by state name (Step Functions Local mock config).
    pub mocks: Option<Arc<MockedStates>>,
    /// Told of each top-level transition, so the execution can be resumed elsewhere.
    pub observer: Option<Arc<dyn ExecutionObserver>>,
}

pub(crate) struct ExecutionIdentity {
    pub id: String,
    pub name: String,
    pub input: Value,
    pub role_arn: String,
    pub start_time: SystemTime,
    pub state_machine_id: String,
    pub state_machine_name: String,
    /// 1 once the execution was resumed in another process (AWS's redrive), else 0.
    pub redrive_count: u64,
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

impl From<JsonataError> for Stopped {
    fn from(error: JsonataError) -> Self {
        Stopped::Failed(error.into())
    }
}

/// Variables visible to the states being run: a branch starts with a copy of its parent's,
/// so it reads outer variables while what it assigns stays inside it.
pub(crate) type Variables = Map<String, Value>;

/// Where a state sends the execution next, with what, and the variables it assigns.
pub(crate) struct Step {
    pub output: Value,
    pub next: Option<String>,
    pub assigned: Option<Variables>,
}

impl Step {
    fn after(transition: &Transition, output: Value, assigned: Option<Variables>) -> Self {
        let next = match transition {
            Transition::Next(name) => Some(name.clone()),
            Transition::End => None,
        };
        Self {
            output,
            next,
            assigned,
        }
    }
}

/// The state being run, as its fields' evaluation sees it.
pub(crate) struct Cx<'a> {
    pub run: &'a Run,
    pub state: &'a State,
    pub event_id: u64,
    pub entered_time: SystemTime,
    pub variables: &'a Variables,
    /// `$$.Map.Item` while evaluating a Map's ItemSelector.
    pub map_item: Option<Value>,
    /// `$$.Task.Token` while a `.waitForTaskToken` task prepares its parameters.
    pub task_token: Option<String>,
}

impl Cx<'_> {
    pub fn is_jsonata(&self) -> bool {
        self.state.query_language == QueryLanguage::Jsonata
    }

    /// The context object (`$$`, or `$states.context`); null for a state that cannot read it.
    pub fn context(&self, retry_count: u64) -> Value {
        if !self.state.reads_context {
            return Value::Null;
        }
        let mut context = json!({
            "Execution": {
                "Id": self.run.execution.id,
                "Input": self.run.execution.input,
                "Name": self.run.execution.name,
                "RoleArn": self.run.execution.role_arn,
                "StartTime": timestamp::format(self.run.execution.start_time),
                "RedriveCount": self.run.execution.redrive_count,
            },
            "State": {
                "EnteredTime": timestamp::format(self.entered_time),
                "Name": self.state.name,
                "RetryCount": retry_count,
            },
            "StateMachine": {
                "Id": self.run.execution.state_machine_id,
                "Name": self.run.execution.state_machine_name,
            },
        });
        if let Some(object) = context.as_object_mut() {
            if let Some(item) = &self.map_item {
                object.insert("Map".into(), json!({ "Item": item }));
            }
            if let Some(token) = &self.task_token {
                object.insert("Task".into(), json!({ "Token": token }));
            }
        }
        context
    }

    pub fn sources<'s>(&'s self, input: &'s Value, context: &'s Value) -> Sources<'s> {
        Sources {
            input,
            context,
            variables: self.variables,
        }
    }

    /// The bindings of a state's expressions that read its input and context object: none for
    /// a JSONPath state, which has no expressions, so it never pays for copying them.
    pub fn input_bindings(&self, raw_input: &Value, context: &Value) -> Map<String, Value> {
        if !self.is_jsonata() {
            return Map::new();
        }
        self.bindings(json!({"input": raw_input, "context": context}))
    }

    /// The JSONata bindings: every variable, plus `$states`.
    pub fn bindings(&self, states: Value) -> Map<String, Value> {
        let mut bindings = self.variables.clone();
        bindings.insert("states".into(), states);
        bindings
    }

    /// Evaluates an Assign field: JSONPath templates read `dollar` as `$`; JSONata reads
    /// `bindings`.
    pub fn assign(
        &self,
        assign: Option<&Assign>,
        dollar: &Value,
        context: &Value,
        bindings: &Map<String, Value>,
    ) -> Result<Option<Variables>, StatesError> {
        let value = match assign {
            None => return Ok(None),
            Some(Assign::Paths(template)) => template.render(&self.sources(dollar, context))?,
            Some(Assign::Jsonata(field)) => field.evaluate(bindings)?,
        };
        match value {
            Value::Object(assigned) => Ok(Some(assigned)),
            other => Err(StatesError::runtime(format!(
                "Assign must produce a JSON object, not {other}"
            ))),
        }
    }

    /// A JSONata state's output: its Output field, or `default`.
    pub fn output(
        &self,
        output: Option<&JsonataField>,
        bindings: &Map<String, Value>,
        default: Value,
    ) -> Result<Value, StatesError> {
        match output {
            Some(field) => field.evaluate(bindings).map_err(StatesError::from),
            None => Ok(default),
        }
    }

    pub fn record(&self, spec: EventSpec) -> u64 {
        self.run.record(spec)
    }
}

pub(crate) type BoxedRun<'a> = Pin<Box<dyn Future<Output = Result<Value, Stopped>> + Send + 'a>>;

impl Run {
    pub fn record(&self, spec: EventSpec) -> u64 {
        self.history.record(self.clock.now(), spec)
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
    pub fn run_states<'a>(
        &'a self,
        states: &'a States,
        input: Value,
        variables: Variables,
    ) -> BoxedRun<'a> {
        self.run_from(
            states,
            states.start_at.clone(),
            input,
            variables,
            None,
            false,
        )
    }

    /// Runs an execution's top-level states from `resume` (or from StartAt), telling the
    /// observer of every transition.
    pub fn run_execution<'a>(
        &'a self,
        states: &'a States,
        input: Value,
        resume: Option<ResumePoint>,
    ) -> BoxedRun<'a> {
        match resume {
            Some(point) => self.run_from(
                states,
                point.state,
                point.input,
                point.variables,
                Some(point.entered_at),
                true,
            ),
            None => self.run_from(
                states,
                states.start_at.clone(),
                input,
                Variables::new(),
                None,
                true,
            ),
        }
    }

    fn run_from<'a>(
        &'a self,
        states: &'a States,
        start_at: String,
        input: Value,
        variables: Variables,
        resumed_entered_time: Option<SystemTime>,
        top_level: bool,
    ) -> BoxedRun<'a> {
        Box::pin(async move {
            let mut variables = variables;
            let mut current = start_at;
            let mut input = input;
            let mut resumed_entered_time = resumed_entered_time;
            loop {
                self.check_limits()?;
                let Some(state) = states.states.get(&current) else {
                    return Err(Stopped::Failed(StatesError::runtime(format!(
                        "state \"{current}\" does not exist"
                    ))));
                };
                let entered_time = resumed_entered_time
                    .take()
                    .unwrap_or_else(|| self.clock.now());
                if top_level && let Some(observer) = &self.observer {
                    observer.state_entered(&StateTransition {
                        execution_arn: &self.execution.id,
                        execution_name: &self.execution.name,
                        state: &state.name,
                        input: &input,
                        variables: &variables,
                        entered_at: entered_time,
                    });
                }
                let step = self
                    .run_state(state, input, &variables, entered_time)
                    .await?;
                if let Some(assigned) = step.assigned {
                    variables.extend(assigned);
                }
                match step.next {
                    Some(next) => {
                        current = next;
                        input = step.output;
                    }
                    None => return Ok(step.output),
                }
                if top_level {
                    // A machine that never waits (a Pass loop) must still let other executions
                    // run; spending the task's cooperative budget yields only once it runs
                    // out, instead of rescheduling the execution after every state.
                    tokio::task::coop::consume_budget().await;
                } else {
                    // The branches of a Parallel or the iterations of a Map share their
                    // execution's task: yielding after each state interleaves them, state by
                    // state, in the order their history has always shown.
                    tokio::task::yield_now().await;
                }
            }
        })
    }

    async fn run_state(
        &self,
        state: &State,
        input: Value,
        variables: &Variables,
        entered_time: SystemTime,
    ) -> Result<Step, Stopped> {
        let (entered_type, exited_type) = state.kind.event_types();
        // Recorded now: a resumed state was entered in an earlier process, and the history's
        // timestamps must not go back in time.
        let event_id = self.record(events::state_entered(entered_type, &state.name, &input));
        let cx = Cx {
            run: self,
            state,
            event_id,
            entered_time,
            variables,
            map_item: None,
            task_token: None,
        };
        let step = match &state.kind {
            StateKind::Pass(pass) => pass::run(&cx, pass, input),
            StateKind::Task(task) => task::run(&cx, task, input).await,
            StateKind::Choice(choice) => choice::run(&cx, choice, input),
            StateKind::Wait(wait) => wait::run(&cx, wait, input).await,
            StateKind::Succeed(succeed) => pass::succeed(&cx, succeed, input),
            StateKind::Fail(fail) => match fail::error(&cx, fail, &input) {
                Ok(declared) => return Err(Stopped::Failed(declared)),
                Err(error) => Err(Stopped::Failed(error)),
            },
            StateKind::Parallel(parallel) => parallel::run(&cx, parallel, input).await,
            StateKind::Map(map) => map::run(&cx, map, input).await,
        };
        let step = step
            .and_then(|step| within_payload_limit(&state.name, step))
            .map_err(|stopped| match stopped {
                Stopped::Failed(error) => {
                    Stopped::Failed(with_state_prefix(error, &state.name, event_id))
                }
                other => other,
            })?;
        self.record(events::state_exited(exited_type, &state.name, &step.output));
        Ok(step)
    }
}

/// The largest state output AWS passes on: 256 KiB of UTF-8 JSON.
pub(crate) const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

fn within_payload_limit(state: &str, step: Step) -> Result<Step, Stopped> {
    check_payload(state, &step.output)?;
    Ok(step)
}

/// States.DataLimitExceeded when `value` is larger than a state may pass on.
pub(crate) fn check_payload(state: &str, value: &Value) -> Result<(), StatesError> {
    if payload_size(value) > MAX_PAYLOAD_BYTES {
        return Err(StatesError::new(
            names::DATA_LIMIT_EXCEEDED,
            format!(
                "The state/task '{state}' returned a result with a size exceeding the maximum number of bytes service limit."
            ),
        ));
    }
    Ok(())
}

/// The size of a value's JSON text, without building the text.
fn payload_size(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Writing a Value into a counter cannot fail: its Write never errors.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

fn timed_out() -> Stopped {
    Stopped::TimedOut(StatesError::new(names::TIMEOUT, "The execution timed out."))
}

/// The prefix AWS puts on the cause of an error the interpreter itself raised (a bad path, a
/// failed expression): the state that raised it. An error the state's work raised (a task's
/// failure, a Fail state's declared error) keeps its cause, and one already prefixed by an inner
/// state is not prefixed again.
pub(crate) fn with_state_prefix(error: StatesError, state: &str, event_id: u64) -> StatesError {
    const PREFIX: &str = "An error occurred while executing the state";
    let raised_by_interpreter =
        error.error == names::RUNTIME || error.error == names::QUERY_EVALUATION_ERROR;
    if !raised_by_interpreter || error.cause.starts_with(PREFIX) {
        return error;
    }
    let cause = format!(
        "{PREFIX} '{state}' (entered at the event id #{event_id}). {}",
        error.cause
    );
    StatesError::new(error.error, cause)
}
