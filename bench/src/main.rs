//! scripts/bench's orchestrator: runs each benchmark of issue 7 side by side with its
//! baseline, prints one table, and writes target/bench/report.md and report.svg.
//! `bench hello` is the bare axum server the API figures are compared with.

mod api_load;
mod engine_vs_moto;
mod environment;
mod error;
mod hello;
mod http;
mod lambda_init;
mod moto;
mod process;
mod report;
mod runtime_stub;
mod stats;
mod workflow_calls;
mod wrk;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::BenchError;
use crate::report::Report;

#[derive(Parser)]
#[command(about = "Benchmarks messages against its alternatives (issue 7)")]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand)]
enum Commands {
    /// Runs the benchmarks and writes the report.
    Run(Box<RunArgs>),
    /// Serves the bare axum hello route on 127.0.0.1 (the API benchmark's baseline).
    Hello {
        #[arg(long)]
        port: u16,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Benchmark {
    Engine,
    Api,
    Calls,
    Lambda,
}

#[derive(clap::Args)]
struct RunArgs {
    /// The workspace root (paths below are relative to the current directory).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
    #[arg(long, default_value = "target/release/server")]
    server: PathBuf,
    #[arg(long, default_value = ".tools/venv/bin/moto_server")]
    moto_server: PathBuf,
    /// A Python with boto3: the Lambda init baseline.
    #[arg(long, default_value = ".tools/venv/bin/python")]
    python: PathBuf,
    #[arg(long, default_value = "/usr/bin/wrk")]
    wrk: PathBuf,
    /// Where `cargo lambda build --output-format zip` leaves `<name>/bootstrap.zip`.
    #[arg(long, default_value = "target/lambda")]
    lambda_dir: PathBuf,
    /// Where cargo leaves the Lambda binaries it zips as `bootstrap`.
    #[arg(long, default_value = "target/x86_64-unknown-linux-gnu/release")]
    lambda_binaries: PathBuf,
    /// A Lambda binary to measure (repeat for each).
    #[arg(long = "lambda")]
    lambdas: Vec<String>,
    /// Run only these benchmarks (all when absent).
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Benchmark>,
    /// Seconds per wrk run.
    #[arg(long, default_value_t = 5)]
    duration: u64,
    #[arg(long, default_value_t = 64)]
    connections: u32,
    /// Executions per batch, on the engine and on moto.
    #[arg(long, default_value_t = 40)]
    executions: usize,
    /// Executions (or jobs) in flight in the concurrent runs.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Jobs per mode in the workflow-calls benchmark.
    #[arg(long, default_value_t = 200)]
    jobs: usize,
    #[arg(long, default_value_t = 50)]
    job_clients: usize,
    /// Spawns per Lambda binary for its init time.
    #[arg(long, default_value_t = 10)]
    spawns: usize,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Commands::Hello { port } => hello::serve(port),
        Commands::Run(args) => run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("[bench] ERROR: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &RunArgs) -> Result<(), BenchError> {
    let started = Instant::now();
    let scratch = args.out.join("runs");
    std::fs::create_dir_all(&scratch)
        .map_err(BenchError::io(format!("create {}", scratch.display())))?;
    let runtime = tokio::runtime::Runtime::new().map_err(BenchError::io("build a runtime"))?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let wanted = |benchmark| args.only.is_empty() || args.only.contains(&benchmark);
    let mut sections = Vec::new();

    if wanted(Benchmark::Engine) {
        say("engine vs moto");
        let settings = engine_vs_moto::Settings {
            count: args.executions,
            concurrency: args.concurrency,
            cores,
            moto_budget: Duration::from_secs(60),
        };
        sections.push(engine_vs_moto::run(
            settings,
            &runtime,
            &args.moto_server,
            &scratch,
        ));
    }
    if wanted(Benchmark::Api) {
        say("local API vs bare axum (wrk)");
        let binaries = api_load::Binaries {
            server: args.server.clone(),
            bench: std::env::current_exe().map_err(BenchError::io("find the bench binary"))?,
        };
        let load = wrk::Load {
            wrk: args.wrk.clone(),
            connections: args.connections,
            threads: u32::try_from(cores).unwrap_or(1),
            duration: Duration::from_secs(args.duration),
        };
        sections.push(api_load::run(&binaries, &load, &scratch));
    }
    if wanted(Benchmark::Calls) {
        say("workflow calls per job (obedient client, server on moto)");
        let settings = workflow_calls::Settings {
            jobs: args.jobs,
            concurrency: args.job_clients,
            budget: Duration::from_secs(90),
        };
        sections.push(workflow_calls::run(
            settings,
            &runtime,
            &args.server,
            &args.moto_server,
            &scratch,
        ));
    }
    if wanted(Benchmark::Lambda) {
        say("Lambda artifacts and init");
        let settings = lambda_init::Settings {
            lambda_dir: args.lambda_dir.clone(),
            binaries_dir: args.lambda_binaries.clone(),
            handlers: args.lambdas.clone(),
            python: args.python.clone(),
            spawns: args.spawns,
        };
        sections.push(lambda_init::run(&settings, &runtime, &scratch));
    }
    // The runtime-API stub holds requests open; end them with the runtime, not after.
    runtime.shutdown_timeout(Duration::from_millis(100));

    let report = Report {
        sections,
        environment: environment::describe(&args.root, cores),
    };
    report::print_table(&report);
    report.write(&args.out)?;
    say(&format!(
        "wrote {0}/report.md and {0}/report.svg in {1} s",
        args.out.display(),
        started.elapsed().as_secs()
    ));
    Ok(())
}

fn say(message: &str) {
    println!("[bench] {message}");
}
