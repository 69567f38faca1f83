//! The Solana CLI's configuration file (`solana-cli-config`): where the RPC
//! URL, the keypair and the commitment come from when no flag gives them,
//! and `--url` monikers.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, Result, anyhow};
use solana_cli_config::Config;
use solana_commitment_config::CommitmentConfig;

/// `http://127.0.0.1:8899`, what `localhost` means (and the default when no
/// config file exists: `backstop localnet`'s port).
pub const LOCALHOST: &str = "http://127.0.0.1:8899";

/// What a command runs with: the config file's values under the flags'.
#[derive(Debug, Clone)]
pub struct Settings {
    pub url: String,
    /// A signer source: a file path, `prompt://`, `stdin://`, `usb://ledger`
    /// or (for `--print-ix`) a public key.
    pub keypair: String,
    pub commitment: CommitmentConfig,
}

/// The default config file, `~/.config/solana/cli/config.yml`.
pub fn default_config_file() -> Option<PathBuf> {
    solana_cli_config::CONFIG_FILE.as_ref().map(PathBuf::from)
}

/// `~/.config/solana/id.json`.
pub fn default_keypair_path() -> String {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".config/solana/id.json")
        .to_string_lossy()
        .into_owned()
}

/// Reads the config file: `--config PATH` must exist; the default one is
/// optional (without it: localhost, `~/.config/solana/id.json`, confirmed).
pub fn load(explicit: Option<&Path>) -> Result<Option<(PathBuf, Config)>> {
    let (path, required) = match explicit {
        Some(p) => (p.to_path_buf(), true),
        None => match default_config_file() {
            Some(p) => (p, false),
            None => return Ok(None),
        },
    };
    if !required && !path.exists() {
        return Ok(None);
    }
    let text = path.to_string_lossy().into_owned();
    let config = Config::load(&text)
        .with_context(|| format!("cannot read the config file {text} (set with --config)"))?;
    Ok(Some((path, config)))
}

/// Flags over the config file over the defaults.
pub fn settings(
    url: Option<&str>,
    keypair: Option<&str>,
    commitment: Option<&str>,
    config_file: Option<&Path>,
) -> Result<Settings> {
    let loaded = load(config_file)?;
    let from_file = |f: fn(&Config) -> &String| {
        loaded
            .as_ref()
            .map(|(_, c)| f(c).clone())
            .filter(|s| !s.is_empty())
    };
    let url = url
        .map(str::to_string)
        .or_else(|| from_file(|c| &c.json_rpc_url));
    let keypair = keypair
        .map(str::to_string)
        .or_else(|| from_file(|c| &c.keypair_path))
        .unwrap_or_else(default_keypair_path);
    let commitment_text = commitment
        .map(str::to_string)
        .or_else(|| from_file(|c| &c.commitment))
        .unwrap_or_else(|| "confirmed".into());
    let commitment = CommitmentConfig::from_str(&commitment_text).map_err(|_| {
        anyhow!("commitment {commitment_text:?} is not one of processed, confirmed, finalized")
    })?;
    Ok(Settings {
        url: resolve_url(url.as_deref()),
        keypair,
        commitment,
    })
}

/// `--url`: a moniker (`localhost`/`l`, `devnet`/`d`, `testnet`/`t`,
/// `mainnet-beta`/`m`) or a URL, as the Solana CLI reads it.
pub fn resolve_url(url: Option<&str>) -> String {
    match url {
        None | Some("localhost") | Some("l") => LOCALHOST.into(),
        Some("devnet") | Some("d") => "https://api.devnet.solana.com".into(),
        Some("testnet") | Some("t") => "https://api.testnet.solana.com".into(),
        Some("mainnet-beta") | Some("m") => "https://api.mainnet-beta.solana.com".into(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_monikers() {
        assert_eq!(resolve_url(Some("localhost")), LOCALHOST);
        assert_eq!(resolve_url(Some("l")), LOCALHOST);
        assert_eq!(resolve_url(None), LOCALHOST);
        assert_eq!(resolve_url(Some("devnet")), "https://api.devnet.solana.com");
        assert_eq!(resolve_url(Some("d")), "https://api.devnet.solana.com");
        assert_eq!(resolve_url(Some("t")), "https://api.testnet.solana.com");
        assert_eq!(
            resolve_url(Some("m")),
            "https://api.mainnet-beta.solana.com"
        );
        assert_eq!(
            resolve_url(Some("http://127.0.0.1:9000")),
            "http://127.0.0.1:9000"
        );
    }

    #[test]
    fn the_config_file_under_the_flags() {
        let dir = std::env::temp_dir().join(format!("backstop-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config.yml");
        std::fs::write(
            &file,
            "---\njson_rpc_url: http://127.0.0.1:7000\nwebsocket_url: ''\nkeypair_path: /k/id.json\naddress_labels: {}\ncommitment: finalized\n",
        )
        .unwrap();
        let s = settings(None, None, None, Some(&file)).unwrap();
        assert_eq!(s.url, "http://127.0.0.1:7000");
        assert_eq!(s.keypair, "/k/id.json");
        assert_eq!(s.commitment, CommitmentConfig::finalized());
        let s = settings(Some("d"), Some("stdin://"), Some("processed"), Some(&file)).unwrap();
        assert_eq!(s.url, "https://api.devnet.solana.com");
        assert_eq!(s.keypair, "stdin://");
        assert_eq!(s.commitment, CommitmentConfig::processed());
        let missing = settings(None, None, None, Some(&dir.join("nope.yml"))).unwrap_err();
        assert!(format!("{missing:#}").contains("cannot read the config file"));
        assert!(settings(None, None, Some("soon"), Some(&file)).is_err());
    }
}
