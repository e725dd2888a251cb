//! Turns an SDK failure into the port's error: throttling is worth a `Retry-After` to the
//! client, anything else is an upstream failure whose detail belongs in the log only.

use aws_sdk_sfn::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::workflow::WorkflowError;

/// Codes with which Step Functions (or a gateway in front of it) says "slow down".
/// KMS throttling surfaces as a modeled error of several operations and passes the same way.
const THROTTLING_CODES: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "KmsThrottlingException",
];

const TOO_MANY_REQUESTS: u16 = 429;

pub(super) fn service_failure<E>(operation: &str, err: SdkError<E>) -> WorkflowError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if is_throttling(&err) {
        return WorkflowError::Throttled;
    }
    let code = err.code().unwrap_or("no error code");
    WorkflowError::Upstream(format!(
        "{operation} failed ({code}): {}",
        DisplayErrorContext(&err)
    ))
}

fn is_throttling<E: ProvideErrorMetadata>(err: &SdkError<E>) -> bool {
    let throttling_code = err
        .code()
        .is_some_and(|code| THROTTLING_CODES.contains(&code));
    let throttling_status = err
        .raw_response()
        .is_some_and(|response| response.status().as_u16() == TOO_MANY_REQUESTS);
    throttling_code || throttling_status
}
