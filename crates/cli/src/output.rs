//! Output formats, as the Solana CLI has them: `--output display|json|json-compact`
//! (`--json` is `--output json`), and the stdout the in-process bank needs.

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

    /// Writes the report of a command that runs in-process to `out` (the
    /// real stdout, see [`take_stdout`]): `display()` as it is, or
    /// `machine()` as JSON and a newline. A failed write is said on stderr;
    /// answers whether the report was written.
    #[cfg(feature = "dev-tools")]
    pub fn write_report(
        self,
        out: &mut impl std::io::Write,
        display: impl FnOnce() -> String,
        machine: impl FnOnce() -> Value,
    ) -> bool {
        let text = match self {
            OutputFormat::Display => display(),
            json => format!("{}\n", json.render("", &machine())),
        };
        match out.write_all(text.as_bytes()) {
            Ok(()) => true,
            Err(e) => {
                eprintln!("error: cannot write the report: {e}");
                false
            }
        }
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

/// Keeps the real stdout for the report of a command that runs the program
/// in-process, whose native `msg!` lines go to /dev/null (or to stderr when
/// BACKSTOP_PROGRAM_LOGS is set).
#[cfg(feature = "dev-tools")]
pub use backstop_sim::take_stdout;

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
