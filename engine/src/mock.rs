//! Mocked task responses in the AWS Step Functions Local format: `StateMachines` -> `TestCases`
//! -> state name -> a named entry of `MockedResponses`, which answers each invocation of the
//! state (retries included) by its number: `{"0": {"Return": ...}, "1-2": {"Throw": {...}}}`.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde::Deserialize;
use serde_json::Value;

use crate::error::StatesError;

/// A Step Functions Local mock configuration: test cases mapping states to mocked responses.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MockConfig {
    state_machines: HashMap<String, MockedStateMachine>,
    mocked_responses: HashMap<String, HashMap<String, MockedResponse>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MockedStateMachine {
    test_cases: HashMap<String, HashMap<String, String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct MockedResponse {
    #[serde(rename = "Return")]
    returns: Option<Value>,
    throw: Option<MockedError>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MockedError {
    error: String,
    #[serde(default)]
    cause: String,
}

/// Why a mock configuration or one of its test cases cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MockConfigError {
    /// Not JSON of the mock config's shape.
    #[error("the mock config is not valid: {0}")]
    Invalid(#[from] serde_json::Error),
    /// No such test case.
    #[error("no state machine in the mock config has a test case named '{0}'")]
    UnknownTestCase(String),
    /// A test case names a response that is not defined.
    #[error(
        "the test case maps state '{state}' to '{response}', which MockedResponses does not define"
    )]
    UnknownResponse {
        /// The state.
        state: String,
        /// The response it names.
        response: String,
    },
    /// A response is keyed by something other than an invocation number or range.
    #[error("the mocked response '{response}' has an invalid invocation key '{key}'")]
    InvalidInvocationKey {
        /// The response.
        response: String,
        /// Its key.
        key: String,
    },
}

impl MockConfig {
    /// Reads a mock configuration (JSON text).
    pub fn from_json(text: &str) -> Result<Self, MockConfigError> {
        Ok(serde_json::from_str(text)?)
    }

    /// The mocks of one test case. With no state machine name, the test case is looked up in
    /// every state machine of the config.
    pub fn test_case(
        &self,
        state_machine: Option<&str>,
        test_case: &str,
    ) -> Result<MockedStates, MockConfigError> {
        let states = self
            .state_machines
            .iter()
            .filter(|(name, _)| state_machine.is_none_or(|wanted| wanted == name.as_str()))
            .find_map(|(_, machine)| machine.test_cases.get(test_case))
            .ok_or_else(|| MockConfigError::UnknownTestCase(test_case.to_owned()))?;
        let mut mocked = HashMap::new();
        for (state, response) in states {
            let invocations = self.mocked_responses.get(response).ok_or_else(|| {
                MockConfigError::UnknownResponse {
                    state: state.clone(),
                    response: response.clone(),
                }
            })?;
            let mut answers = Vec::new();
            for (key, answer) in invocations {
                let range =
                    invocation_range(key).ok_or_else(|| MockConfigError::InvalidInvocationKey {
                        response: response.clone(),
                        key: key.clone(),
                    })?;
                answers.push((range, answer.clone()));
            }
            answers.sort_by_key(|(range, _)| range.0);
            mocked.insert(state.clone(), answers);
        }
        Ok(MockedStates {
            responses: mocked,
            calls: Mutex::new(HashMap::new()),
        })
    }
}

/// `"3"` or `"1-2"`, as an inclusive range of invocation numbers.
fn invocation_range(key: &str) -> Option<(usize, usize)> {
    match key.split_once('-') {
        Some((first, last)) => {
            let (first, last) = (first.trim().parse().ok()?, last.trim().parse().ok()?);
            (first <= last).then_some((first, last))
        }
        None => key.trim().parse().ok().map(|n| (n, n)),
    }
}

/// An answer and the (inclusive) range of invocation numbers it answers.
type NumberedResponse = ((usize, usize), MockedResponse);

/// The mocked states of one test case, counting each state's invocations.
#[derive(Debug)]
pub struct MockedStates {
    responses: HashMap<String, Vec<NumberedResponse>>,
    calls: Mutex<HashMap<String, usize>>,
}

impl MockedStates {
    /// The mocked answer to the next invocation of `state`, or `None` when it is not mocked.
    /// Past the last numbered invocation, the last answer repeats.
    pub fn answer(&self, state: &str) -> Option<Result<Value, StatesError>> {
        let answers = self.responses.get(state)?;
        let call = {
            let mut calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
            let count = calls.entry(state.to_owned()).or_default();
            let call = *count;
            *count += 1;
            call
        };
        let answer = answers
            .iter()
            .find(|((first, last), _)| (*first..=*last).contains(&call))
            .or_else(|| answers.last())
            .map(|(_, answer)| answer)?;
        Some(match (&answer.throw, &answer.returns) {
            (Some(error), _) => Err(StatesError::new(error.error.clone(), error.cause.clone())),
            (None, value) => Ok(value.clone().unwrap_or(Value::Null)),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const CONFIG: &str = r#"{
        "StateMachines": {"Orders": {"TestCases": {"Flaky": {"Charge": "FailThenPay"}}}},
        "MockedResponses": {
            "FailThenPay": {
                "0-1": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "busy"}},
                "2": {"Return": {"Payload": {"paid": true}}}
            }
        }
    }"#;

    #[test]
    fn answers_invocations_by_number() {
        let mocks = MockConfig::from_json(CONFIG)
            .unwrap()
            .test_case(None, "Flaky")
            .unwrap();
        assert_eq!(
            mocks.answer("Charge").unwrap().unwrap_err().error,
            "Lambda.ServiceException"
        );
        assert!(mocks.answer("Charge").unwrap().is_err());
        assert_eq!(
            mocks.answer("Charge").unwrap().unwrap(),
            json!({"Payload": {"paid": true}})
        );
        assert_eq!(
            mocks.answer("Charge").unwrap().unwrap(),
            json!({"Payload": {"paid": true}})
        );
        assert!(mocks.answer("Other").is_none());
    }

    #[test]
    fn unknown_test_cases_are_errors() {
        let config = MockConfig::from_json(CONFIG).unwrap();
        assert!(matches!(
            config.test_case(Some("Orders"), "Nope"),
            Err(MockConfigError::UnknownTestCase(_))
        ));
    }
}
