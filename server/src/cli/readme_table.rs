//! The README's configuration table and the command line must name the same settings with the
//! same defaults, so that neither drifts from the other.

use std::collections::BTreeMap;

use clap::CommandFactory;

use super::Args;

const README: &str = include_str!("../../../README.md");

/// A setting as a user reads it: its flag, its variable and its default, if it has one.
#[derive(Debug, PartialEq, Eq)]
struct Setting {
    env: Option<String>,
    default: Option<String>,
}

fn command_line_settings() -> BTreeMap<String, Setting> {
    let mut command = Args::command();
    command.build();
    command
        .get_arguments()
        // clap's own --help and --version are not settings.
        .filter(|arg| !matches!(arg.get_id().as_str(), "help" | "version"))
        .filter_map(|arg| {
            let flag = format!("--{}", arg.get_long()?);
            let setting = Setting {
                env: arg
                    .get_env()
                    .and_then(|name| name.to_str())
                    .map(str::to_owned),
                default: arg
                    .get_default_values()
                    .first()
                    .and_then(|value| value.to_str())
                    .map(str::to_owned),
            };
            Some((flag, setting))
        })
        .collect()
}

/// The rows of the first table under `## Configuration`, by flag.
fn readme_settings() -> BTreeMap<String, Setting> {
    let section = README
        .split_once("\n## Configuration\n")
        .map(|(_, rest)| rest)
        .expect("the README has a Configuration section");
    section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let names = code_spans(cells[1]);
            let flag = names.iter().find(|name| name.starts_with("--"));
            let env = names.iter().find(|name| !name.starts_with("--"));
            let flag = flag.unwrap_or_else(|| panic!("no flag in the README row {row}"));
            let setting = Setting {
                env: env.map(|name| (*name).to_owned()),
                default: literal_default(cells[2]),
            };
            ((*flag).to_owned(), setting)
        })
        .collect()
}

fn code_spans(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// A default cell that starts with a code span gives a value; `(none)` or prose gives none.
fn literal_default(cell: &str) -> Option<String> {
    cell.strip_prefix('`')
        .and_then(|rest| rest.split_once('`'))
        .map(|(value, _)| value.to_owned())
}

#[test]
fn the_readme_lists_every_setting_of_the_command_line_with_its_default() {
    let documented = readme_settings();
    let declared = command_line_settings();
    for (flag, setting) in &declared {
        assert_eq!(
            documented.get(flag),
            Some(setting),
            "the README's row for {flag}"
        );
    }
    for flag in documented.keys() {
        assert!(
            declared.contains_key(flag),
            "the README lists {flag}, which the server does not take"
        );
    }
}
