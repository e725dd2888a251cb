//! Where the figures came from: the machine, the toolchain, the commit and the release
//! profile the binaries were built with.

use std::path::Path;
use std::process::Command;

/// What the issue asks of `[profile.release]`, as `key = value` lines.
const WANTED_PROFILE: [(&str, &str); 4] = [
    ("lto", "\"thin\""),
    ("codegen-units", "1"),
    ("strip", "true"),
    ("panic", "\"abort\""),
];

pub fn describe(root: &Path, cores: usize) -> Vec<String> {
    let mut lines = vec![
        format!("{cores} cores: {}", cpu_model()),
        format!("load average at the end of the run: {}", load_average()),
    ];
    lines.extend(output("rustc", &["-V"]));
    lines.extend(output("git", &["log", "-1", "--format=commit %h (%cd)"]));
    lines.extend(output("wrk", &["--version"]).map(|line| {
        line.split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    }));
    match std::fs::read_to_string(root.join("Cargo.toml")) {
        Ok(manifest) => lines.push(profile_check(&manifest)),
        Err(error) => lines.push(format!("release profile: Cargo.toml unreadable: {error}")),
    }
    lines
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

/// Other work on the machine skews every figure, the tail latencies most: say how busy it was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .map_or_else(|| "unknown".into(), |load| format!("{load} (1, 5, 15 min)"))
}

/// The first line `program args` prints, if it runs.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    text.lines().next().map(str::to_owned)
}

/// Which of the wanted settings `[profile.release]` has, and which it lacks.
fn profile_check(manifest: &str) -> String {
    let section: Vec<(String, String)> = manifest
        .lines()
        .skip_while(|line| line.trim() != "[profile.release]")
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let verdicts: Vec<String> = WANTED_PROFILE
        .iter()
        .map(
            |(key, want)| match section.iter().find(|(found, _)| found == key) {
                Some((_, value)) if value == want => format!("{key} = {value} (ok)"),
                Some((_, value)) => format!("{key} = {value} (issue 7 asks {want})"),
                None => format!("{key} MISSING (issue 7 asks {want})"),
            },
        )
        .collect();
    format!("[profile.release]: {}", verdicts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_what_the_release_profile_lacks() {
        let manifest = "[profile.dev]\ndebug = 0\n\n[profile.release]\nlto = \"thin\"\n\
                        codegen-units = 1\nstrip = true\n\n[profile.other]\npanic = \"abort\"\n";
        assert_eq!(
            profile_check(manifest),
            "[profile.release]: lto = \"thin\" (ok), codegen-units = 1 (ok), strip = true (ok), \
             panic MISSING (issue 7 asks \"abort\")"
        );
    }
}
