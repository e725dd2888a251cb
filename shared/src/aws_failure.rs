//! Sorts an AWS SDK failure the way every adapter needs it: throttling is worth a `Retry-After`
//! to the client; anything else is a failure whose detail belongs in the log only.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// A gateway in front of any service may throttle with a bare 429 and no error code.
const TOO_MANY_REQUESTS: u16 = 429;

#[derive(Debug)]
pub(crate) enum AwsFailure {
    Throttled,
    /// What failed, with the error code and the SDK's whole error chain, for the log.
    Other(String),
}

/// `throttling_codes` are the codes with which the adapter's service says "slow down".
pub(crate) fn classify<E>(
    operation: &str,
    err: SdkError<E, HttpResponse>,
    throttling_codes: &[&str],
) -> AwsFailure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let throttling_code = err
        .code()
        .is_some_and(|code| throttling_codes.contains(&code));
    let throttling_status = err
        .raw_response()
        .is_some_and(|response| response.status().as_u16() == TOO_MANY_REQUESTS);
    if throttling_code || throttling_status {
        return AwsFailure::Throttled;
    }
    let code = err.code().unwrap_or("no error code");
    AwsFailure::Other(format!(
        "{operation} failed ({code}): {}",
        DisplayErrorContext(&err)
    ))
}
