//! Natively the program's `msg!` (and Anchor's entry) is a `println!`. A
//! binary that runs the program in-process and reports on stdout (the CLI's
//! simulate, bench, fuzz and localnet, the metered test binaries) keeps the
//! real stdout for its report and sends fd 1 to /dev/null, or to stderr when
//! BACKSTOP_PROGRAM_LOGS is set.

use std::os::fd::{AsFd, AsRawFd};

/// Moves fd 1 away and answers the real stdout.
pub fn take_stdout() -> std::fs::File {
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
