//! A local moto server for the side-by-side runs: started on a free loopback port with real
//! state machine execution turned on, and stopped by its pid when dropped.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use aws_sdk_sfn::Client;
use aws_types::SdkConfig;
use shared::aws_clients;
use shared::workflow::embedded::BUILD_MESSAGE_FUNCTION_ARN;

use crate::error::BenchError;
use crate::http;
use crate::process::{ChildGuard, free_port, loopback};

const DEFINITION: &str = include_str!("../../statemachine/messages.asl.json");
/// Moto must be told to run executions before anything is created in it.
const CONFIG: &str =
    r#"{"stepfunctions":{"execute_state_machine":true},"lambda":{"use_docker":false}}"#;
pub const REGION: &str = "us-east-1";

pub struct MotoServer {
    _process: ChildGuard,
    address: SocketAddr,
}

impl MotoServer {
    pub fn start(moto_server: &Path, log: &Path) -> Result<Self, BenchError> {
        if !moto_server.exists() {
            return Err(BenchError::MissingTool(moto_server.to_owned()));
        }
        let port = free_port()?;
        let address = loopback(port);
        let mut command = Command::new(moto_server);
        command.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
        let mut process = ChildGuard::spawn("moto_server", command, log)?;
        process.wait_until(Duration::from_secs(30), || {
            http::get(address, "/moto-api/").is_ok_and(|response| response.status < 500)
        })?;
        let configured = http::post_json(address, "/moto-api/config", CONFIG)?;
        if configured.status >= 300 {
            return Err(BenchError::Http {
                what: "moto's /moto-api/config".into(),
                detail: format!("{} {}", configured.status, configured.body),
            });
        }
        Ok(Self {
            _process: process,
            address,
        })
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// A Step Functions client for this server, loaded the way a Lambda loads its own (from
    /// environment variables, here given directly) and so built without any I/O.
    pub fn sfn_client(&self) -> Client {
        Client::new(&self.sdk_config())
    }

    /// A DynamoDB client for this server, built the same way.
    pub fn dynamodb_client(&self) -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::new(&self.sdk_config())
    }

    fn sdk_config(&self) -> SdkConfig {
        let endpoint = self.endpoint();
        let loaded = aws_clients::from_lookup(|name| match name {
            "AWS_REGION" => Some(REGION.to_owned()),
            "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" => Some("bench".to_owned()),
            "AWS_ENDPOINT_URL" => Some(endpoint.clone()),
            _ => None,
        });
        loaded.unwrap_or_else(|error| unreachable!("every variable is given: {error}"))
    }
}

/// Creates the result cache's table (hash key `pk`, the DynamoDB adapter's schema); returns
/// its name.
pub async fn create_results_table(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
) -> Result<String, BenchError> {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    };
    let build = |error: aws_sdk_dynamodb::error::BuildError| BenchError::Sdk {
        call: "CreateTable",
        detail: error.to_string(),
    };
    client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(build)?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()
                .map_err(build)?,
        )
        .send()
        .await
        .map_err(|error| sdk_failure("CreateTable", error))?;
    Ok(name.to_owned())
}

/// Creates `statemachine/messages.asl.json` in moto under `name`; returns its ARN.
pub async fn create_messages_state_machine(
    client: &Client,
    name: &str,
) -> Result<String, BenchError> {
    let definition = DEFINITION.replace("${BuildMessageFunctionArn}", BUILD_MESSAGE_FUNCTION_ARN);
    let created = client
        .create_state_machine()
        .name(name)
        .definition(definition)
        .role_arn("arn:aws:iam::123456789012:role/messages-bench")
        .send()
        .await
        .map_err(|error| sdk_failure("CreateStateMachine", error))?;
    Ok(created.state_machine_arn)
}

/// An SDK error with its whole chain of causes: the top level alone says only "service error".
pub fn sdk_failure(call: &'static str, error: impl std::error::Error) -> BenchError {
    BenchError::Sdk {
        call,
        detail: aws_sdk_sfn::error::DisplayErrorContext(error).to_string(),
    }
}
