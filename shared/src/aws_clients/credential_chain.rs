//! The SDK's default chain (environment, profiles, web identity, ECS, IMDS): what a developer
//! running the server with `--backend aws` expects, whatever way their machine is signed in.

use aws_config::BehaviorVersion;
use aws_types::SdkConfig;

pub async fn from_credential_chain() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(super::http_client())
        .retry_config(super::retry_config())
        .timeout_config(super::timeout_config())
        .load()
        .await
}
