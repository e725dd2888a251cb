//! Lambda functions as Step Functions calls them: through the `lambda:invoke` integration
//! (response wrapped in the Invoke API's shape) or through the function's own ARN (unwrapped).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};

use super::{TaskFailure, TaskHandler};
use crate::error::StatesError;

/// The function name inside a name, a partial ARN (`123456789012:function:name`) or an ARN,
/// without its version or alias qualifier.
pub fn function_name(name_or_arn: &str) -> &str {
    let after_function = match name_or_arn.find("function:") {
        Some(index) => &name_or_arn[index + "function:".len()..],
        None => name_or_arn,
    };
    after_function.split(':').next().unwrap_or(after_function)
}

/// The registered functions, and the handler for any other name.
#[derive(Clone, Copy)]
pub struct Functions<'a> {
    pub named: &'a HashMap<String, Arc<dyn TaskHandler>>,
    pub fallback: Option<&'a Arc<dyn TaskHandler>>,
}

pub async fn invoke_integration(
    functions: Functions<'_>,
    parameters: Value,
) -> Result<Value, StatesError> {
    let Some(function) = parameters.get("FunctionName").and_then(Value::as_str) else {
        return Err(StatesError::new(
            "States.Runtime",
            "The field 'FunctionName' is required by arn:aws:states:::lambda:invoke",
        ));
    };
    let handler = find(functions, function)?;
    let payload = parameters.get("Payload").cloned().unwrap_or(Value::Null);
    let output = handler.invoke(payload).await.map_err(function_error)?;
    let request_id = uuid::Uuid::new_v4().to_string();
    Ok(json!({
        "ExecutedVersion": "$LATEST",
        "Payload": output,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": ["$LATEST"],
                "x-amzn-Remapped-Content-Length": ["0"],
                "Connection": ["keep-alive"],
                "x-amzn-RequestId": [request_id],
                "Content-Type": ["application/json"],
            },
            "HttpHeaders": {
                "Connection": "keep-alive",
                "Content-Type": "application/json",
                "X-Amz-Executed-Version": "$LATEST",
                "x-amzn-Remapped-Content-Length": "0",
                "x-amzn-RequestId": request_id,
            },
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": { "RequestId": request_id },
        "StatusCode": 200,
    }))
}

pub async fn invoke_direct(
    functions: Functions<'_>,
    name: &str,
    input: Value,
) -> Result<Value, StatesError> {
    find(functions, name)?
        .invoke(input)
        .await
        .map_err(function_error)
}

fn find<'a>(
    functions: Functions<'a>,
    function: &str,
) -> Result<&'a Arc<dyn TaskHandler>, StatesError> {
    functions.named.get(function_name(function)).or(functions.fallback).ok_or_else(|| {
        StatesError::new(
            "Lambda.ResourceNotFoundException",
            format!(
                "Function not found: {function} (Service: Lambda, Status Code: 404, Request ID: {})",
                uuid::Uuid::new_v4()
            ),
        )
    })
}

/// A function error reaches the state machine as the errorType, with the function's error
/// document (as a JSON string) for cause.
fn function_error(failure: TaskFailure) -> StatesError {
    if failure.error.starts_with("Lambda.") {
        return StatesError::new(failure.error, failure.cause);
    }
    let document = json!({ "errorMessage": failure.cause, "errorType": failure.error });
    StatesError::new(failure.error, document.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::handler_fn;

    fn functions() -> Functions<'static> {
        let functions = Box::leak(Box::new(HashMap::new()));
        functions.insert(
            "Greet".to_owned(),
            handler_fn(|input: Value| async move {
                match input["name"].as_str() {
                    Some(name) => Ok(json!({ "greeting": format!("hi {name}") })),
                    None => Err(TaskFailure::new("NoName", "name is missing")),
                }
            }),
        );
        Functions {
            named: functions,
            fallback: None,
        }
    }

    #[test]
    fn finds_names_in_arns() {
        assert_eq!(
            function_name("arn:aws:lambda:us-east-1:123456789012:function:Greet:2"),
            "Greet"
        );
        assert_eq!(function_name("123456789012:function:Greet"), "Greet");
        assert_eq!(function_name("Greet:live"), "Greet");
    }

    #[tokio::test]
    async fn the_integration_wraps_the_payload() {
        let output = invoke_integration(
            functions(),
            json!({"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:Greet", "Payload": {"name": "x"}}),
        )
        .await
        .unwrap();
        assert_eq!(output["Payload"], json!({"greeting": "hi x"}));
        assert_eq!(output["StatusCode"], json!(200));
        assert_eq!(output["ExecutedVersion"], json!("$LATEST"));
    }

    #[tokio::test]
    async fn a_function_error_carries_its_error_document() {
        let error =
            invoke_integration(functions(), json!({"FunctionName": "Greet", "Payload": {}}))
                .await
                .unwrap_err();
        assert_eq!(error.error, "NoName");
        let document: Value = serde_json::from_str(&error.cause).unwrap();
        assert_eq!(
            document,
            json!({"errorMessage": "name is missing", "errorType": "NoName"})
        );
    }

    #[tokio::test]
    async fn an_unknown_function_is_not_found() {
        let error = invoke_direct(functions(), "Nope", json!({}))
            .await
            .unwrap_err();
        assert_eq!(error.error, "Lambda.ResourceNotFoundException");
    }
}
