//! StartExecution's request: everything an execution is started with, given once, so that
//! there is one way to start one, whether new, mocked or resumed.

use std::time::SystemTime;

use serde_json::{Map, Value};

use super::EngineError;
use crate::execution::ResumePoint;
use crate::mock::MockedStates;

/// What to start: built with [`StartExecution::new`] and the methods that add to it, then
/// given to [`Engine::start_execution`](crate::Engine::start_execution).
#[derive(Debug)]
pub struct StartExecution {
    pub(super) state_machine_arn: String,
    pub(super) name: Option<String>,
    pub(super) input: Input,
    pub(super) mocks: Option<MockedStates>,
    pub(super) resume: Option<Resume>,
}

/// The input as the caller holds it: a value, or JSON text as StartExecution's wire form
/// carries it, read only when the execution starts so that bad JSON is InvalidExecutionInput.
#[derive(Debug)]
pub(super) enum Input {
    Value(Value),
    Text(String),
}

/// An execution that ran in an earlier process, continued under its name and start date.
#[derive(Debug)]
pub(super) struct Resume {
    pub started_at: SystemTime,
    pub point: ResumePoint,
}

impl StartExecution {
    /// An execution of `state_machine_arn` with the input `{}` (StartExecution's default) and
    /// a fresh name.
    pub fn new(state_machine_arn: impl Into<String>) -> Self {
        Self {
            state_machine_arn: state_machine_arn.into(),
            name: None,
            input: Input::Value(Value::Object(Map::new())),
            mocks: None,
            resume: None,
        }
    }

    /// Names the execution. Starting a name again with the same input while it runs returns
    /// that execution; any other reuse of a name is ExecutionAlreadyExists.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The input, already parsed: a caller holding a value saves turning it into text and back.
    pub fn input(mut self, input: Value) -> Self {
        self.input = Input::Value(input);
        self
    }

    /// The input as JSON text, as StartExecution takes it: text that is not JSON makes the
    /// start fail with InvalidExecutionInput.
    pub fn input_text(mut self, input: impl Into<String>) -> Self {
        self.input = Input::Text(input.into());
        self
    }

    /// Answers the Task states named in `mocks` with their mocked responses instead of their
    /// handlers.
    pub fn mocks(mut self, mocks: MockedStates) -> Self {
        self.mocks = Some(mocks);
        self
    }

    /// Recreates an execution that ran in an earlier process, started at `started_at` under
    /// this request's name and input, and continues it from `point`. Its deadline still counts
    /// from `started_at`, a Wait it resumes in only waits what was left of it, and the name
    /// must not be in use at all, even by a running execution with the same input.
    pub fn resume(mut self, started_at: SystemTime, point: ResumePoint) -> Self {
        self.resume = Some(Resume { started_at, point });
        self
    }
}

impl Input {
    pub(super) fn into_value(self) -> Result<Value, EngineError> {
        match self {
            Input::Value(value) => Ok(value),
            Input::Text(text) => serde_json::from_str(&text).map_err(|error| {
                EngineError::InvalidExecutionInput(format!("input is not valid JSON: {error}"))
            }),
        }
    }
}
