//! The bridge to the intrinsic functions: an invocation read with the definition, whose path
//! arguments are resolved against the state's input and the context object when it runs.

use serde_json::Value;

use crate::error::StatesError;
use crate::intrinsics::{self, Invocation};
use crate::path::{Path, Sources};

pub fn is_intrinsic(text: &str) -> bool {
    intrinsics::is_intrinsic(text)
}

/// An intrinsic invocation of a payload template or a Fail state, parsed once with its path
/// arguments.
#[derive(Debug, Clone)]
pub struct IntrinsicCall {
    invocation: Invocation,
    /// Each path argument as written, parsed; one that does not parse fails the evaluation
    /// that reaches it, with the parse error's text, as AWS fails it at run time.
    paths: Vec<(String, Result<Path, String>)>,
}

impl IntrinsicCall {
    /// Reads an invocation; the error is the cause a definition diagnostic gives.
    pub fn parse(expression: &str) -> Result<Self, String> {
        let invocation = intrinsics::compile(expression).map_err(|error| error.cause())?;
        let paths = invocation
            .paths()
            .into_iter()
            .map(|text| {
                let path = Path::parse(text).map_err(|error| error.to_string());
                (text.to_owned(), path)
            })
            .collect();
        Ok(Self { invocation, paths })
    }

    pub fn evaluate(&self, sources: &Sources) -> Result<Value, StatesError> {
        let resolve = |argument: &str| -> Result<Value, String> {
            let parsed;
            let path = match self.paths.iter().find(|(text, _)| text == argument) {
                Some((_, Ok(path))) => path,
                Some((_, Err(message))) => return Err(message.clone()),
                // Every path argument was parsed with the call; reading it again is only the
                // fallback should the two ever disagree.
                None => {
                    parsed = Path::parse(argument).map_err(|error| error.to_string())?;
                    &parsed
                }
            };
            path.select(sources).ok_or_else(|| {
                let searched = path.document(sources).unwrap_or(&Value::Null);
                format!("The JsonPath argument for the field '{argument}' could not be found in the input '{searched}'")
            })
        };
        self.invocation
            .evaluate(&resolve)
            .map_err(|error| StatesError::new(error.error_name(), error.cause()))
    }
}
