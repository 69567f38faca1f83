//! Output formats, as the Solana CLI has them: `--output display|json|json-compact`
//! (`--json` is `--output json`), and the stdout juggling the in-process bank needs.

use clap::ValueEnum;
use serde_json::Value;

/// `--output FORMAT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Human-readable lines and tables.
    #[default]
    Display,
    /// Pretty-printed JSON (one document per command; one compact object per
    /// line for the keeper's log stream).
    Json,
    /// JSON on one line.
    JsonCompact,
}

impl OutputFormat {
    pub fn is_json(self) -> bool {
        self != OutputFormat::Display
    }

    /// Renders a command's result: `human` for display, `machine` as JSON.
    pub fn render(self, human: &str, machine: &Value) -> String {
        match self {
            OutputFormat::Display => human.to_string(),
            OutputFormat::Json => serde_json::to_string_pretty(machine).expect("JSON"),
            OutputFormat::JsonCompact => machine.to_string(),
        }
    }

    /// Prints a command's result on stdout.
    pub fn print(self, human: &str, machine: &Value) {
        println!("{}", self.render(human, machine));
    }

    /// Prints one line of a log stream (the keeper): display lines, or one
    /// compact JSON object per line in both JSON formats.
    pub fn log(self, human: &str, machine: &Value) {
        if self.is_json() {
            println!("{machine}");
        } else {
            println!("{human}");
        }
    }
}

/// The natively compiled program (and Anchor's entry) log with `println!`
/// outside SBF. For the commands that run it in-process (simulate, bench,
/// localnet), keep the real stdout for the report and send fd 1 to
/// /dev/null, or to stderr when BACKSTOP_PROGRAM_LOGS is set.
pub fn take_stdout() -> std::fs::File {
    use std::os::fd::{AsFd, AsRawFd};
    let saved = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .expect("duplicate stdout");
    let target = if std::env::var_os("BACKSTOP_PROGRAM_LOGS").is_some() {
        None
    } else {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .ok()
    };
    // SAFETY: dup2 on valid descriptors; nothing else is writing yet.
    unsafe {
        match &target {
            Some(null) => libc::dup2(null.as_raw_fd(), 1),
            None => libc::dup2(2, 1),
        };
    }
    std::fs::File::from(saved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn three_formats() {
        let v = json!({ "a": 1 });
        assert_eq!(OutputFormat::Display.render("a is 1", &v), "a is 1");
        assert_eq!(OutputFormat::Json.render("", &v), "{\n  \"a\": 1\n}");
        assert_eq!(OutputFormat::JsonCompact.render("", &v), "{\"a\":1}");
    }
}
