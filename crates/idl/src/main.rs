//! `cargo run -p backstop-idl` writes `idl/backstop.json` from the program with
//! Anchor's IDL build (the program compiled with its `idl-build` feature), the
//! same step `anchor idl build` runs. `--check` fails when the checked-in IDL
//! differs from what the program generates, so CI catches a stale IDL.

use std::path::PathBuf;
use std::process::ExitCode;

use anchor_lang_idl::build::IdlBuilder;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    // anchor-lang-idl 0.1.4 turns a set RUSTUP_TOOLCHAIN into a literal
    // `cargo +{toolchain}` and first asks rustup to install that toolchain
    // (which can update it). The rustup proxy sets the variable for every
    // child of `cargo run`, so drop it: the IDL build uses the same default
    // toolchain as the rest of the workspace.
    // SAFETY: single-threaded, before anything reads the environment.
    unsafe { std::env::remove_var("RUSTUP_TOOLCHAIN") };
    let idl = match IdlBuilder::new()
        .program_path(root.join("programs/backstop"))
        .resolution(true)
        .skip_lint(false)
        .build()
    {
        Ok(idl) => idl,
        Err(e) => {
            eprintln!("error: the IDL build failed: {e:#}");
            return ExitCode::from(2);
        }
    };
    let json = serde_json::to_string_pretty(&idl).expect("IDL serialises") + "\n";
    let path = root.join("idl/backstop.json");
    if check {
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != json {
            eprintln!(
                "error: {} is stale: run `cargo run -p backstop-idl` and commit the result",
                path.display()
            );
            return ExitCode::from(1);
        }
        eprintln!("{} is current", path.display());
        return ExitCode::SUCCESS;
    }
    if let Err(e) =
        std::fs::create_dir_all(root.join("idl")).and_then(|_| std::fs::write(&path, json))
    {
        eprintln!("error: cannot write {}: {e}", path.display());
        return ExitCode::from(2);
    }
    eprintln!("wrote {}", path.display());
    ExitCode::SUCCESS
}
