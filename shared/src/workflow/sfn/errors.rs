//! Turns an SDK failure into the port's error: throttling is worth a `Retry-After` to the
//! client, anything else is an upstream failure whose detail belongs in the log only.

use aws_sdk_sfn::error::{ProvideErrorMetadata, SdkError};

use crate::aws_failure::{AwsFailure, classify};
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

pub(super) fn service_failure<E>(operation: &str, err: SdkError<E>) -> WorkflowError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match classify(operation, err, THROTTLING_CODES) {
        AwsFailure::Throttled => WorkflowError::Throttled,
        AwsFailure::Other(detail) => WorkflowError::Upstream(detail),
    }
}
