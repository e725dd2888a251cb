//! `GET /messages/{id}` as a Lambda behind API Gateway or a Function URL.

use shared::config::Config;
use shared::lambda::{self, lambda_http};
use shared::routes::{AppState, get_message_router};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    lambda::init_logging();
    let jobs = shared::aws_clients::jobs(&Config::from_env()?).await?;
    lambda::run(get_message_router(AppState::new(jobs))).await
}
