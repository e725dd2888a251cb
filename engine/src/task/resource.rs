//! What a Task state's `Resource` ARN names, as the history events report it.

/// A Task state's `Resource`, by the kind of thing it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// `arn:aws:states:::service:action[.sync|.waitForTaskToken]`
    Service {
        /// The whole ARN.
        arn: String,
        /// The service, such as `lambda` or `sqs`.
        service: String,
        /// The action with its integration pattern, such as `invoke` or `sendMessage.waitForTaskToken`.
        action: String,
    },
    /// `arn:aws:lambda:region:account:function:name[:qualifier]`
    LambdaFunction {
        /// The whole ARN.
        arn: String,
        /// The function's name, without a qualifier.
        name: String,
    },
    /// Activities and anything else: only a registered handler can run them.
    Other {
        /// The whole ARN.
        arn: String,
    },
}

impl Resource {
    /// Reads an ARN; anything it does not recognise is [`Resource::Other`].
    pub fn parse(arn: &str) -> Self {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        match parts.as_slice() {
            ["arn", _, "states", "", "", rest] => match rest.split_once(':') {
                Some((service, action)) if !service.is_empty() && !action.is_empty() => {
                    Resource::Service {
                        arn: arn.to_owned(),
                        service: service.to_owned(),
                        action: action.to_owned(),
                    }
                }
                _ => Resource::Other {
                    arn: arn.to_owned(),
                },
            },
            ["arn", _, "lambda", _, _, rest] => match rest.strip_prefix("function:") {
                Some(function) => Resource::LambdaFunction {
                    arn: arn.to_owned(),
                    name: function.split(':').next().unwrap_or(function).to_owned(),
                },
                None => Resource::Other {
                    arn: arn.to_owned(),
                },
            },
            _ => Resource::Other {
                arn: arn.to_owned(),
            },
        }
    }

    /// The whole ARN.
    pub fn arn(&self) -> &str {
        match self {
            Resource::Service { arn, .. }
            | Resource::LambdaFunction { arn, .. }
            | Resource::Other { arn } => arn,
        }
    }

    /// `resourceType` and `resource` of the Task* history events.
    pub fn event_names(&self) -> (String, String) {
        match self {
            Resource::Service {
                service, action, ..
            } => (service.clone(), action.clone()),
            Resource::LambdaFunction { arn, .. } | Resource::Other { arn } => {
                ("lambda".to_owned(), arn.clone())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_service_integrations_and_functions() {
        assert_eq!(
            Resource::parse("arn:aws:states:::lambda:invoke.waitForTaskToken"),
            Resource::Service {
                arn: "arn:aws:states:::lambda:invoke.waitForTaskToken".into(),
                service: "lambda".into(),
                action: "invoke.waitForTaskToken".into()
            }
        );
        assert_eq!(
            Resource::parse("arn:aws:lambda:us-east-1:123456789012:function:Build:live"),
            Resource::LambdaFunction {
                arn: "arn:aws:lambda:us-east-1:123456789012:function:Build:live".into(),
                name: "Build".into()
            }
        );
        assert!(matches!(
            Resource::parse("arn:aws:states:us-east-1:1:activity:x"),
            Resource::Other { .. }
        ));
        assert!(matches!(
            Resource::parse("nonsense"),
            Resource::Other { .. }
        ));
    }
}
