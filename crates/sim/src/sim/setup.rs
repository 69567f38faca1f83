//! Everything before step 0: the built-in roles, the protocol, the pools, the
//! markets and the wallets; and users, created on first use.

use anyhow::{Result, anyhow};
use backstop_bank::{LAMPORTS_PER_SOL, MintExtension, TxError};
use backstop_client::ix::{self, Asset};
use backstop_client::types::{CreateMarketArgs, InitializeProtocolArgs, PoolParams};
use solana_signer::Signer;

use super::{BUILT_IN, MarketInfo, PoolInfo, Simulator};
use crate::scenario::{MintFeature, Num, PoolSpec, Scenario};

fn setup_err(what: &str, e: TxError) -> anyhow::Error {
    anyhow!("setup: {what} failed: {} {:?}", e.name, e.logs)
}

/// A pool's parameters: the file's, else the program's defaults.
fn pool_params(spec: &PoolSpec) -> PoolParams {
    let d = PoolParams::default();
    let pick = |v: Option<Num>, default: u64| v.map(|n| n.0 as u64).unwrap_or(default);
    PoolParams {
        cooldown: pick(spec.cooldown, d.cooldown),
        window: pick(spec.window, d.window),
        sweep_interval: pick(spec.sweep_interval, d.sweep_interval),
        max_apr_bps: pick(spec.max_apr_bps, d.max_apr_bps),
        protocol_cut_bps: pick(spec.protocol_cut_bps, d.protocol_cut_bps),
        min_stake: pick(spec.min_stake, d.min_stake),
    }
}

impl Simulator {
    pub(super) async fn setup(&mut self, scenario: &Scenario) -> Result<()> {
        for name in BUILT_IN {
            let key = self.key(name);
            self.bank
                .airdrop(key, 100 * LAMPORTS_PER_SOL)
                .await
                .map_err(|e| setup_err("airdrop", e))?;
        }
        let args = InitializeProtocolArgs {
            admin: self.key("admin"),
            guardian: self.key("guardian"),
            treasury: self.key("treasury"),
            governance_delay: scenario.governance_delay,
        };
        self.bank
            .initialize_protocol(args)
            .await
            .map_err(|e| setup_err("initialize_protocol", e))?;
        let admin = self.keypair("admin");
        let treasury = self.key("treasury");
        for spec in &scenario.pools {
            let program = if spec.is_token_2022() {
                backstop_client::token::TOKEN_2022_PROGRAM
            } else {
                backstop_client::token::SPL_TOKEN_PROGRAM
            };
            let authority = self.bank.payer_pubkey();
            let address = super::named_keypair(&format!("mint {}", spec.asset));
            let extensions = self.mint_extensions(spec);
            let mint = self
                .bank
                .create_mint_at(&address, program, spec.decimals, authority, &extensions)
                .await
                .map_err(|e| setup_err("create mint", e))?;
            let token = Asset::owned_by(mint, self.bank.token_program_of(mint).await);
            self.bank
                .create_pool(
                    &admin,
                    treasury,
                    token,
                    pool_params(spec),
                    MintFeature::opt_ins(&spec.extensions),
                )
                .await
                .map_err(|e| {
                    anyhow!(
                        "line {}: pool {} refused by the program: {}",
                        spec.line,
                        spec.asset,
                        e.name
                    )
                })?;
            self.pools.push(PoolInfo {
                asset: spec.asset.clone(),
                decimals: spec.decimals,
                mint,
                token,
                features: spec.extensions.clone(),
            });
            self.stakes.push(("treasury".into(), spec.asset.clone()));
        }
        // Built-in roles get a token account per asset: the keeper pays revenue
        // and premiums, the treasury unstakes like any staker, and any of them
        // may receive a payout.
        for name in BUILT_IN {
            self.create_token_accounts(name)
                .await
                .map_err(|e| setup_err("token account", e))?;
        }
        let operator = self.key("operator");
        let payer = self.bank.payer_pubkey();
        for (i, spec) in scenario.markets.iter().enumerate() {
            let settlement = self
                .bank
                .create_token_account(self.mint(&spec.asset), operator)
                .await
                .map_err(|e| setup_err("settlement", e))?;
            let args = CreateMarketArgs {
                index: i as u16,
                kind: spec.market_kind(),
                operator,
                cap: spec.cap.map(|c| c.0 as u64).unwrap_or(u64::MAX),
                isolated: spec.isolated,
                isolated_share_bps: spec.isolated_share_bps,
                exposure_mode: spec.exposure_mode(),
            };
            let create = ix::create_market(
                admin.pubkey(),
                payer,
                self.token(&spec.asset),
                settlement,
                operator,
                args,
            );
            self.bank.send(&[create], &[&admin]).await.map_err(|e| {
                anyhow!(
                    "line {}: market {} refused by the program: {}",
                    spec.line,
                    spec.name,
                    e.name
                )
            })?;
            self.markets.push(MarketInfo {
                name: spec.name.clone(),
                index: i as u16,
                asset: spec.asset.clone(),
                isolated: spec.isolated,
                settlement,
                args,
            });
        }
        for w in &scenario.wallets {
            self.ensure_user(&w.who).await?;
            let acct = self.tokens(&w.who, &w.asset);
            self.bank
                .mint_to(self.mint(&w.asset), acct, w.amount.0 as u64)
                .await
                .map_err(|e| setup_err("wallet mint", e))?;
        }
        Ok(())
    }

    /// The mint's extensions for the issuer's powers the pool names, each
    /// authority the bank's payer except the permanent delegate (the issuer).
    fn mint_extensions(&mut self, spec: &PoolSpec) -> Vec<MintExtension> {
        let delegate = self.key(super::issuer::ISSUER);
        spec.extensions
            .iter()
            .map(|feature| match feature {
                MintFeature::PermanentDelegate => MintExtension::PermanentDelegate { delegate },
                MintFeature::TransferFee => MintExtension::TransferFee {
                    basis_points: 0,
                    maximum_fee: 0,
                },
                MintFeature::TransferHook => MintExtension::TransferHook {
                    program: None,
                    authority: true,
                },
            })
            .collect()
    }

    /// A token account for `name` in every pool's asset.
    async fn create_token_accounts(&mut self, name: &str) -> Result<(), TxError> {
        let owner = self.key(name);
        for p in 0..self.pools.len() {
            let (asset, mint) = (self.pools[p].asset.clone(), self.pools[p].mint);
            let acct = self.bank.create_token_account(mint, owner).await?;
            self.token_accounts.insert((name.to_string(), asset), acct);
        }
        Ok(())
    }

    /// Creates a user (keypair, SOL for fees, a token account per asset) on
    /// first use.
    pub(super) async fn ensure_user(&mut self, name: &str) -> Result<()> {
        if BUILT_IN.contains(&name) || self.users.iter().any(|u| u == name) {
            return Ok(());
        }
        let key = self.key(name);
        self.bank
            .airdrop(key, 10 * LAMPORTS_PER_SOL)
            .await
            .map_err(|e| anyhow!("creating user {name}: {}", e.name))?;
        self.create_token_accounts(name)
            .await
            .map_err(|e| anyhow!("creating user {name}: {}", e.name))?;
        self.users.push(name.to_string());
        Ok(())
    }
}
