//! The messages API on one machine: `cargo run` serves it on http://127.0.0.1:3000.

mod backend;
mod cli;
mod journal;
mod pages;
mod serve;
mod shutdown;

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let args = cli::Args::parse();
    let _logs = serve::init_logging(args.log_format, &args.log_filter);
    match serve::run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}
