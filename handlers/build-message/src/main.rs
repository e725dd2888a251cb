//! BuildMessage: the Lambda the state machine's Task invokes. An invalid audience fails the
//! invocation with errorType `InvalidAudience`, which the state machine catches by name.

use std::time::SystemTime;

use lambda_runtime::{Diagnostic, LambdaEvent, service_fn};
use shared::greeting::{
    BuildMessageInput, Greeting, INVALID_AUDIENCE, InvalidAudience, build_message,
};

#[derive(Debug)]
struct Rejected(InvalidAudience);

impl From<Rejected> for Diagnostic {
    fn from(Rejected(error): Rejected) -> Self {
        Diagnostic {
            error_type: INVALID_AUDIENCE.into(),
            error_message: error.to_string(),
        }
    }
}

async fn handle(event: LambdaEvent<BuildMessageInput>) -> Result<Greeting, Rejected> {
    build_message(&event.payload.audience, SystemTime::now()).map_err(Rejected)
}

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::lambda::init_logging();
    lambda_runtime::run(service_fn(handle)).await
}

#[cfg(test)]
mod tests {
    use lambda_runtime::Context;

    use super::*;

    fn event(audience: &str) -> LambdaEvent<BuildMessageInput> {
        let payload = serde_json::from_value(serde_json::json!({ "audience": audience })).unwrap();
        LambdaEvent::new(payload, Context::default())
    }

    #[tokio::test]
    async fn greets_the_audience() {
        let greeting = handle(event("Step Functions")).await.unwrap();
        assert_eq!(greeting.message, "HELLO STEP FUNCTIONS!");
        assert!(greeting.created_at > 0);
    }

    #[tokio::test]
    async fn reports_an_invalid_audience_under_the_name_the_state_machine_catches() {
        let diagnostic = Diagnostic::from(handle(event("  ")).await.unwrap_err());
        assert_eq!(diagnostic.error_type, "InvalidAudience");
        assert_eq!(diagnostic.error_message, "audience must not be blank");
    }
}
