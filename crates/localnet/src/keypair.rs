//! Keypair files in the Solana CLI's format (a JSON array of 64 bytes).

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

/// Writes a new keypair in the Solana CLI's format (a JSON array of 64
/// bytes), creating the parent directory, and returns its public key.
pub fn write_new_keypair(path: &Path) -> Result<Pubkey> {
    let keypair = Keypair::new();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let bytes: Vec<u8> = keypair.to_bytes().to_vec();
    std::fs::write(path, serde_json::to_string(&bytes)?)?;
    Ok(keypair.pubkey())
}

/// Reads a Solana CLI keypair file (a JSON array of 64 bytes).
pub fn read_keypair(path: &Path) -> Result<Keypair> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading keypair {}", path.display()))?;
    let bytes: Vec<u8> = serde_json::from_str(&text)
        .with_context(|| format!("parsing keypair {}", path.display()))?;
    Keypair::try_from(bytes.as_slice())
        .map_err(|e| anyhow!("invalid keypair {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_keypairs_read_back() {
        let dir = std::env::temp_dir().join(format!("backstop-localnet-kp-{}", std::process::id()));
        let path = dir.join("nested/id.json");
        let key = write_new_keypair(&path).unwrap();
        assert_eq!(read_keypair(&path).unwrap().pubkey(), key);
        std::fs::write(&path, "[1, 2, 3]").unwrap();
        let e = read_keypair(&path).unwrap_err().to_string();
        assert!(e.starts_with("invalid keypair "), "{e}");
        std::fs::write(&path, "not json").unwrap();
        let e = read_keypair(&path).unwrap_err().to_string();
        assert!(e.starts_with("parsing keypair "), "{e}");
        let e = read_keypair(&dir.join("missing.json"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("reading keypair "), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
