//! Signers through Solana's own crates: `--keypair` is a signer source as the
//! Solana CLI reads it (`solana-clap-v3-utils`): a keypair file, `prompt://`
//! (a seed phrase typed at the terminal), `stdin://` (the keypair's JSON on
//! standard input), `usb://ledger` (a Ledger, with the `ledger` feature), and
//! for `--print-ix` a bare public key (the multisig vault that will sign).

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use solana_clap_v3_utils::input_parsers::signer::{SignerSource, SignerSourceKind};
use solana_clap_v3_utils::keypair::signer_from_source;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

/// What `usb://` says when the binary was built without Ledger support.
pub const NO_LEDGER: &str = "this backstop was built without Ledger support: reinstall it with \
     `cargo install --path crates/cli --features ledger` (on Debian or Ubuntu first \
     `apt-get install libudev-dev pkg-config`)";

/// The ArgMatches solana-clap-v3-utils reads flags from (seed-phrase
/// validation, key confirmation); we set none of them.
fn matches() -> clap3::ArgMatches {
    clap3::Command::new("backstop")
        .arg(clap3::Arg::new("skip_seed_phrase_validation").long("skip-seed-phrase-validation"))
        .arg(clap3::Arg::new("confirm_key").long("confirm-key"))
        .get_matches_from(["backstop"])
}

fn parse(source: &str) -> Result<SignerSource> {
    SignerSource::parse(source).map_err(|e| {
        anyhow!(
            "--keypair {source:?}: {e}; give a keypair file (create one with `backstop keygen \
             --outfile PATH`), prompt://, stdin:// or usb://ledger"
        )
    })
}

/// The signer of `--keypair`.
pub fn signer(source: &str) -> Result<Box<dyn Signer>> {
    let parsed = parse(source)?;
    match &parsed.kind {
        SignerSourceKind::Usb(_) if !cfg!(feature = "ledger") => {
            bail!("--keypair {source}: {NO_LEDGER}")
        }
        SignerSourceKind::Pubkey(key) => bail!(
            "--keypair {key} is a public key: it can sign nothing here (a public key as \
             --keypair only names the authority for `gov ... --print-ix`)"
        ),
        _ => {}
    }
    let mut wallet_manager = None;
    signer_from_source(&matches(), &parsed, "keypair", &mut wallet_manager)
        .map_err(|e| anyhow!("--keypair {source}: {e}"))
}

/// The public key of `--keypair` without needing it to sign: a bare public
/// key is taken as it is (a multisig vault for `--print-ix`), any other
/// source is loaded.
pub fn pubkey(source: &str) -> Result<Pubkey> {
    if let Ok(SignerSource {
        kind: SignerSourceKind::Pubkey(key),
        ..
    }) = SignerSource::parse(source)
    {
        return Ok(key);
    }
    Ok(signer(source)?.pubkey())
}

/// The local node's admin: a keypair file (the node reads it), or a keypair
/// from prompt:// or stdin://.
#[cfg(feature = "dev-tools")]
pub fn admin_keypair(source: &str) -> Result<backstop_localnet::AdminKeypair> {
    let parsed = parse(source).ok();
    match parsed.as_ref().map(|p| &p.kind) {
        Some(SignerSourceKind::Prompt) | Some(SignerSourceKind::Stdin) => {
            let parsed = parsed.expect("parsed");
            let keypair = solana_clap_v3_utils::keypair::keypair_from_source(
                &matches(),
                &parsed,
                "keypair",
                false,
            )
            .map_err(|e| anyhow!("--keypair {source}: {e}"))?;
            Ok(backstop_localnet::AdminKeypair::Keypair(keypair))
        }
        Some(SignerSourceKind::Usb(_)) | Some(SignerSourceKind::Pubkey(_)) => bail!(
            "--keypair {source}: the local node needs a keypair it can sign with itself (a \
             file, prompt:// or stdin://)"
        ),
        _ => Ok(backstop_localnet::AdminKeypair::File(source.into())),
    }
}

/// Writes a new keypair in the Solana CLI's JSON format (refusing to
/// overwrite a file) and returns its public key.
pub fn write_new_keypair(path: &Path) -> Result<Pubkey> {
    if path.exists() {
        bail!("{} exists; refusing to overwrite it", path.display());
    }
    let keypair = Keypair::new();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_string(&keypair.to_bytes().to_vec())?;
    std::fs::write(path, json).map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(keypair.pubkey())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_pubkey_and_usb_sources() {
        let dir = std::env::temp_dir().join(format!("backstop-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("id.json");
        let _ = std::fs::remove_file(&file);
        let key = write_new_keypair(&file).unwrap();
        assert!(write_new_keypair(&file).is_err());
        let path = file.to_str().unwrap();
        assert_eq!(signer(path).unwrap().pubkey(), key);
        assert_eq!(pubkey(path).unwrap(), key);
        let other = Pubkey::new_unique();
        assert_eq!(pubkey(&other.to_string()).unwrap(), other);
        assert!(signer(&other.to_string()).is_err());
        let missing = signer("/nonexistent/id.json").unwrap_err().to_string();
        assert!(missing.contains("/nonexistent/id.json"), "{missing}");
        if !cfg!(feature = "ledger") {
            let usb = signer("usb://ledger").unwrap_err().to_string();
            assert!(usb.contains("--features ledger"), "{usb}");
        }
    }
}
