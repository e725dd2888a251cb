//! Task State (States Language, "Task State"; AWS developer guide, "Task workflow state"): runs
//! the work its Resource names, bounded by TimeoutSeconds and HeartbeatSeconds, with input and
//! output processing, Retry and Catch around it.

use super::fields::Dynamic;
use super::processing::{Processing, with_input};
use super::reader::Fields;

#[derive(Debug, Clone)]
pub struct TaskState {
    pub processing: Processing,
    pub resource: String,
    /// TimeoutSeconds, in seconds.
    pub timeout: Option<Dynamic<u64>>,
    /// HeartbeatSeconds, in seconds.
    pub heartbeat: Option<Dynamic<u64>>,
}

/// The Task state's fields (States Language, "Task State"): Resource, TimeoutSeconds and
/// HeartbeatSeconds (or their Path forms, AWS developer guide, "Task workflow state"), and the
/// processing, Retry and Catch it shares with Parallel and Map.
pub(crate) fn parse(fields: &mut Fields) -> Option<TaskState> {
    let resource = fields.required_string("Resource").map(str::to_owned);
    if let Some(resource) = &resource
        && !is_arn(resource)
    {
        fields.report(&fields.at("Resource"), "Value is not a valid resource ARN");
    }
    let timeout = fields.count("TimeoutSeconds", 1);
    let heartbeat = fields.count("HeartbeatSeconds", 1);
    if let (Some(Dynamic::Literal(timeout)), Some(Dynamic::Literal(heartbeat))) =
        (&timeout, &heartbeat)
        && heartbeat >= timeout
    {
        fields.report(
            &fields.at("HeartbeatSeconds"),
            "HeartbeatSeconds must be smaller than TimeoutSeconds",
        );
    }
    fields.value("Credentials");
    Some(TaskState {
        processing: with_input(fields)?,
        resource: resource?,
        timeout,
        heartbeat,
    })
}

/// `arn:<partition>:<service>:<region>:<account>:<resource>`: region and account may be empty
/// (`arn:aws:states:::lambda:invoke`), the others may not.
fn is_arn(text: &str) -> bool {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    matches!(
        parts.as_slice(),
        ["arn", partition, service, _, _, resource]
            if !partition.is_empty() && !service.is_empty() && !resource.is_empty()
    )
}

#[cfg(test)]
mod tests {
    use super::is_arn;

    #[test]
    fn resources_aws_accepts_are_arns() {
        for arn in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "arn:aws:lambda:us-east-1:123456789012:function:Greet",
            "arn:aws:states:us-east-1:123456789012:activity:review",
            "arn:aws-cn:states:::dynamodb:getItem",
        ] {
            assert!(is_arn(arn), "{arn}");
        }
    }

    #[test]
    fn other_resources_are_not() {
        for text in [
            "not-an-arn",
            "arn:aws",
            "arn::states:::x",
            "arn:aws:states:::",
        ] {
            assert!(!is_arn(text), "{text}");
        }
    }
}
