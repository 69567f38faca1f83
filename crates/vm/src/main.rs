//! `backstop-vm`: the SBF virtual machine as a process. The bank starts one
//! per bank in the VM pass (`BACKSTOP_SBF=1`) and talks to it through stdin
//! and stdout in the frames of `protocol.rs`; it ends when stdin closes.

fn main() {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    if let Err(e) = backstop_vm::serve(&mut stdin.lock(), &mut stdout.lock()) {
        eprintln!("backstop-vm: {e}");
        std::process::exit(1);
    }
}
