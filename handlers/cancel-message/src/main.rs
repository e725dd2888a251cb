//! `DELETE /messages/{id}` (StopExecution) as a Lambda behind API Gateway or a Function URL.

use shared::aws_clients;
use shared::config::Config;
use shared::lambda::{self, lambda_http};
use shared::routes::{AppState, cancel_message_router};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::init_logging();
    let config = Config::from_env()?;
    let backend = aws_clients::backend(&config, &aws_clients::from_environment()?)?;
    lambda::run(cancel_message_router(AppState::new(backend, &config))).await
}
