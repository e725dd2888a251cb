//! `asl`: run, validate and benchmark Amazon States Language definitions in-process.

mod cli;

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let command = cli::Command::parse();
    match cli::execute(command).await {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(problem) => {
            if let Some(line) = &problem.stdout {
                println!("{line}");
            }
            eprintln!("{}", problem.message);
            ExitCode::from(2)
        }
    }
}
