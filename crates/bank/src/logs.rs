//! Transaction logs as a cluster writes them, from the in-process bank.
//!
//! - Events: on SBF, `emit!` (`sol_log_data`) makes the runtime log
//!   `Program data: <base64 of each field, space-separated>`; program-test
//!   has no such stub. The bank's stubs (`heap::Passthrough`) log the fields
//!   through program-test's `sol_log` behind a marker, and [`runtime_logs`]
//!   writes the runtime's line.
//! - Invocations: program-test logs each invocation of a natively built
//!   program, and each CPI it makes, twice (once by the runtime, once by its
//!   shim), with the same `success` twice. [`runtime_logs`] keeps one of each
//!   pair, the runtime's, so the invocation stack in the logs balances. (On
//!   a cluster two identical adjacent lines only come from a program calling
//!   itself, which no program in the bank does.)
//!
//! Every log the bank or the local node hands out goes through it, so
//! clients (Anchor's `EventParser`, the staking page, `backstop_client`'s
//! `decode_events`) read them as they would on a cluster.

use base64::Engine;

/// Starts a `sol_log` line that carries `sol_log_data` fields: a control
/// character no program's own log starts with (natively a program's `msg!`
/// never reaches the stubs at all).
const DATA_MARKER: &str = "\u{1}data ";

/// The `sol_log` message that stands for `sol_log_data(fields)`.
pub(crate) fn marked_data(fields: &[&[u8]]) -> String {
    let encoded: Vec<String> = fields
        .iter()
        .map(|f| base64::engine::general_purpose::STANDARD.encode(f))
        .collect();
    format!("{DATA_MARKER}{}", encoded.join(" "))
}

/// The program whose invocation or exit `line` logs, if it does.
fn frame_of(line: &str) -> Option<(&str, &str)> {
    let mut words = line.strip_prefix("Program ")?.split(' ');
    let (program, what) = (words.next()?, words.next()?);
    matches!(what, "invoke" | "success" | "failed:").then_some((program, what))
}

/// The logs as the runtime writes them: marked lines become `Program data:
/// …`, and each doubled invocation or exit keeps one line, the later.
pub fn runtime_logs(logs: Vec<String>) -> Vec<String> {
    let marked = format!("Program log: {DATA_MARKER}");
    let mut lines = logs
        .into_iter()
        .map(|line| match line.strip_prefix(&marked) {
            Some(data) => format!("Program data: {data}"),
            None => line,
        })
        .peekable();
    let mut out = Vec::new();
    while let Some(line) = lines.next() {
        let next = lines.peek();
        let doubled = match (frame_of(&line), next.and_then(|n| frame_of(n))) {
            // "X invoke [1]" then "X invoke [2]": the runtime's depth is the later.
            (Some((a, "invoke")), Some((b, "invoke"))) => a == b,
            (Some(_), Some(_)) => next == Some(&line),
            _ => false,
        };
        if !doubled {
            out.push(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubled_invocations_keep_the_runtimes_line() {
        let logs = runtime_logs(
            [
                "Program B invoke [1]",
                "Program B invoke [1]",
                "Program T invoke [1]",
                "Program T invoke [2]",
                "Program log: Instruction: TransferChecked",
                "Program T success",
                "Program T success",
                "Program B failed: custom program error: 0x1",
                "Program B failed: custom program error: 0x1",
            ]
            .map(String::from)
            .to_vec(),
        );
        assert_eq!(
            logs,
            [
                "Program B invoke [1]",
                "Program T invoke [2]",
                "Program log: Instruction: TransferChecked",
                "Program T success",
                "Program B failed: custom program error: 0x1",
            ]
        );
    }

    #[test]
    fn marked_lines_become_program_data() {
        let line = format!("Program log: {}", marked_data(&[b"ab", b"", b"xyz"]));
        let logs = runtime_logs(vec![
            "Program X invoke [1]".into(),
            line,
            "Program log: data as text".into(),
        ]);
        assert_eq!(
            logs,
            [
                "Program X invoke [1]",
                "Program data: YWI=  eHl6",
                "Program log: data as text"
            ]
        );
    }
}
