//! Task dispatch: a registry of [`TaskHandler`]s keyed by resource ARN, and Lambda functions
//! keyed by name for the `lambda:invoke` integration and direct function ARNs.

mod lambda;
mod resource;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;

pub use resource::Resource;

use crate::error::{StatesError, names};

/// A task's failure, as the error name and cause a Retry or Catch matches on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct TaskFailure {
    /// The error name, such as `InvalidAudience`.
    pub error: String,
    /// A readable account of it.
    pub cause: String,
}

impl TaskFailure {
    /// A failure named `error`, explained by `cause`.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            cause: cause.into(),
        }
    }
}

/// Runs a task. Registered as a Lambda function, a failure's `error` is the function's
/// errorType and its `cause` the errorMessage (the engine builds the error document AWS
/// reports), except errors named `Lambda.*`, which stand for the Lambda service failing and
/// pass through unchanged.
#[async_trait]
pub trait TaskHandler: Send + Sync {
    /// Runs the task on its effective input; its result goes on through ResultSelector and ResultPath.
    async fn invoke(&self, input: Value) -> Result<Value, TaskFailure>;
}

/// A handler from an async closure.
pub fn handler_fn<F, Fut>(function: F) -> Arc<dyn TaskHandler>
where
    F: Fn(Value) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, TaskFailure>> + Send + 'static,
{
    Arc::new(FnHandler(function))
}

struct FnHandler<F>(F);

#[async_trait]
impl<F, Fut> TaskHandler for FnHandler<F>
where
    F: Fn(Value) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Value, TaskFailure>> + Send + 'static,
{
    async fn invoke(&self, input: Value) -> Result<Value, TaskFailure> {
        (self.0)(input).await
    }
}

/// The handlers of Task states, by resource ARN or Lambda function.
#[derive(Clone, Default)]
pub struct TaskRegistry {
    resources: HashMap<String, Arc<dyn TaskHandler>>,
    functions: HashMap<String, Arc<dyn TaskHandler>>,
    default_function: Option<Arc<dyn TaskHandler>>,
}

impl TaskRegistry {
    fn function_lookup(&self) -> lambda::Functions<'_> {
        lambda::Functions {
            named: &self.functions,
            fallback: self.default_function.as_ref(),
        }
    }

    /// No handlers: a Task state without one fails.
    pub fn new() -> Self {
        Self::default()
    }

    /// Handles every Task state whose `Resource` is exactly `arn`.
    pub fn register_resource(&mut self, arn: impl Into<String>, handler: Arc<dyn TaskHandler>) {
        self.resources.insert(arn.into(), handler);
    }

    /// Registers a Lambda function under its name, partial ARN or ARN (qualifier ignored).
    pub fn register_function(&mut self, name_or_arn: &str, handler: Arc<dyn TaskHandler>) {
        self.functions
            .insert(lambda::function_name(name_or_arn).to_owned(), handler);
    }

    /// Answers every Lambda function that has no handler of its own (the CLI's echo).
    pub fn set_default_function(&mut self, handler: Arc<dyn TaskHandler>) {
        self.default_function = Some(handler);
    }

    /// Whether anything is registered to run `resource` (callbacks may go without).
    pub(crate) fn handles(&self, resource: &Resource) -> bool {
        self.resources.contains_key(resource.arn())
    }

    pub(crate) async fn invoke(
        &self,
        resource: &Resource,
        input: Value,
    ) -> Result<Value, StatesError> {
        if let Some(handler) = self.resources.get(resource.arn()) {
            return handler
                .invoke(input)
                .await
                .map_err(|f| StatesError::new(f.error, f.cause));
        }
        match resource {
            Resource::Service {
                service, action, ..
            } if service == "lambda" && action.starts_with("invoke") => {
                lambda::invoke_integration(self.function_lookup(), input).await
            }
            Resource::LambdaFunction { name, .. } => {
                lambda::invoke_direct(self.function_lookup(), name, input).await
            }
            other => Err(StatesError::new(
                names::TASK_FAILED,
                format!(
                    "no task handler is registered for the resource '{}'",
                    other.arn()
                ),
            )),
        }
    }
}
