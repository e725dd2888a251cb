//! A Lambda's SDK configuration, read from the variables the Lambda runtime sets: `AWS_REGION`
//! and the execution role's `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`
//! (valid for the execution environment's life), plus `AWS_ENDPOINT_URL` to point at a local
//! stand-in. Nothing else is consulted, so start-up does no I/O.

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_types::SdkConfig;
use aws_types::region::Region;

use crate::config::ConfigError;

const PROVIDER_NAME: &str = "LambdaEnvironment";

pub fn from_environment() -> Result<SdkConfig, ConfigError> {
    from_lookup(|name| std::env::var(name).ok())
}

/// Reads the variables through `lookup`, so tests need not touch the process environment.
pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<SdkConfig, ConfigError> {
    let read = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
    let region = read("AWS_REGION")
        .or_else(|| read("AWS_DEFAULT_REGION"))
        .ok_or(ConfigError::Missing("AWS_REGION"))?;
    let access_key_id =
        read("AWS_ACCESS_KEY_ID").ok_or(ConfigError::Missing("AWS_ACCESS_KEY_ID"))?;
    let secret_access_key =
        read("AWS_SECRET_ACCESS_KEY").ok_or(ConfigError::Missing("AWS_SECRET_ACCESS_KEY"))?;
    let credentials = Credentials::new(
        access_key_id,
        secret_access_key,
        read("AWS_SESSION_TOKEN"),
        None,
        PROVIDER_NAME,
    );
    let mut sdk = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .credentials_provider(SharedCredentialsProvider::new(credentials))
        .http_client(super::http_client())
        .retry_config(super::retry_config())
        .timeout_config(super::timeout_config());
    if let Some(endpoint) = read("AWS_ENDPOINT_URL") {
        sdk = sdk.endpoint_url(endpoint);
    }
    Ok(sdk.build())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use aws_credential_types::provider::ProvideCredentials;

    use super::*;

    fn load(pairs: &[(&str, &str)]) -> Result<SdkConfig, ConfigError> {
        let vars: HashMap<String, String> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        from_lookup(|name| vars.get(name).cloned())
    }

    const LAMBDA: &[(&str, &str)] = &[
        ("AWS_REGION", "eu-west-1"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_SESSION_TOKEN", "session"),
    ];

    #[tokio::test]
    async fn reads_the_region_and_the_roles_credentials() {
        let sdk = load(LAMBDA).unwrap();
        assert_eq!(sdk.region().map(Region::as_ref), Some("eu-west-1"));
        assert_eq!(sdk.endpoint_url(), None);
        let credentials = sdk
            .credentials_provider()
            .unwrap()
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(credentials.access_key_id(), "AKIDEXAMPLE");
        assert_eq!(credentials.secret_access_key(), "secret");
        assert_eq!(credentials.session_token(), Some("session"));
        assert!(sdk.http_client().is_some());
        // Building the clients must not panic for want of a sleep or a time source.
        aws_sdk_sfn::Client::new(&sdk);
        aws_sdk_dynamodb::Client::new(&sdk);
    }

    #[test]
    fn honours_a_local_endpoint_and_the_default_region_name() {
        let mut pairs = LAMBDA[1..].to_vec();
        pairs.push(("AWS_DEFAULT_REGION", "us-east-2"));
        pairs.push(("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"));
        let sdk = load(&pairs).unwrap();
        assert_eq!(sdk.region().map(Region::as_ref), Some("us-east-2"));
        assert_eq!(sdk.endpoint_url(), Some("http://127.0.0.1:5000"));
    }

    #[test]
    fn names_the_variable_that_is_missing() {
        assert_eq!(
            load(&LAMBDA[1..]).unwrap_err(),
            ConfigError::Missing("AWS_REGION")
        );
        assert_eq!(
            load(&[LAMBDA[0], LAMBDA[2]]).unwrap_err(),
            ConfigError::Missing("AWS_ACCESS_KEY_ID")
        );
        assert_eq!(
            load(&[LAMBDA[0], LAMBDA[1], ("AWS_SECRET_ACCESS_KEY", " ")]).unwrap_err(),
            ConfigError::Missing("AWS_SECRET_ACCESS_KEY")
        );
    }
}
