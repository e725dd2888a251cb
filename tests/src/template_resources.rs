//! The resources template.yaml declares, recreated for a moto server: the messages state
//! machine's definition and the results table.

use std::path::Path;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};

use crate::moto::{ACCOUNT_ID, REGION};

/// statemachine/messages.asl.json with its Lambda ARN filled in as the template does.
pub fn messages_definition() -> String {
    let function = format!("arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:build-message");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../statemachine/messages.asl.json");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("read {}: {err}", path.display()))
        .replace("${BuildMessageFunctionArn}", &function)
}

/// The results table's keys as template.yaml declares them: `pk` string hash key, on demand.
/// Time To Live is left off; a test that needs it turns it on.
pub async fn create_results_table(client: &aws_sdk_dynamodb::Client, table: &str) {
    client
        .create_table()
        .table_name(table)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap_or_else(|err| panic!("create the results table {table}: {err:?}"));
}
