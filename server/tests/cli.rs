//! The binary's command line, as a user meets it.

use std::process::Command;

#[test]
fn help_names_every_setting() {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for setting in [
        "--host",
        "[env: HOST=",
        "--port",
        "[env: PORT=",
        "--backend",
        "--data-dir",
        "--max-concurrency",
        "--request-timeout",
        "--log-format",
    ] {
        assert!(help.contains(setting), "{setting} missing from:\n{help}");
    }
}

#[test]
fn a_bad_setting_stops_the_server_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--port", "0", "--backend", "aws"])
        .env_remove("STATE_MACHINE_ARN")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let log = String::from_utf8_lossy(&output.stdout);
    assert!(log.contains("STATE_MACHINE_ARN must be set"), "{log}");
}
