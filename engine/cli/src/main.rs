//! `asl`: run, validate and benchmark Amazon States Language definitions in-process.

mod bench;
mod command;
mod load;
mod problem;
mod run;
mod validate;

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    match command::execute(command::Command::parse()).await {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(problem) => problem.report(),
    }
}
