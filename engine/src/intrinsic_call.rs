//! The bridge to the intrinsic functions: an invocation read with the definition, whose path
//! arguments are resolved against the state's input and the context object when it runs.

use serde_json::Value;

use crate::error::StatesError;
use crate::intrinsics::{self, Invocation};
use crate::path::{Path, Sources};

pub fn is_intrinsic(text: &str) -> bool {
    intrinsics::is_intrinsic(text)
}

/// An intrinsic invocation of a payload template or a Fail state, parsed once.
#[derive(Debug, Clone, PartialEq)]
pub struct IntrinsicCall(Invocation);

impl IntrinsicCall {
    /// Reads an invocation; the error is the cause a definition diagnostic gives.
    pub fn parse(expression: &str) -> Result<Self, String> {
        intrinsics::compile(expression)
            .map(Self)
            .map_err(|error| error.cause())
    }

    pub fn evaluate(&self, sources: &Sources) -> Result<Value, StatesError> {
        let resolve = |argument: &str| -> Result<Value, String> {
            let path = Path::parse(argument).map_err(|error| error.to_string())?;
            path.select(sources).ok_or_else(|| {
                let searched = path.document(sources).unwrap_or(&Value::Null);
                format!("The JsonPath argument for the field '{argument}' could not be found in the input '{searched}'")
            })
        };
        self.0
            .evaluate(&resolve)
            .map_err(|error| StatesError::new(error.error_name(), error.cause()))
    }
}
