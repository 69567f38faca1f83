//! The walk's world: a bank with the protocol's actors, keys from a
//! counter (so two walks allocate the same), and one helper per kind of
//! step. Every helper turns a refusal into an error naming the step.

use anyhow::{Context, Result, anyhow};
use backstop_bank::{Bank, LAMPORTS_PER_SOL, TxOk};
use backstop_client::ix::{self, Asset};
use backstop_client::pda;
use backstop_client::types::{
    CreateMarketArgs, ExposureMode, MarketKind, Pool, PoolParams, Protocol,
};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

pub(super) const START: i64 = 1_700_000_000;
pub(super) const COOLDOWN: u64 = 10 * 86_400;

/// Pool parameters with hourly sweeps and a cooldown of ten days.
pub(super) fn params() -> PoolParams {
    PoolParams {
        cooldown: COOLDOWN,
        window: 0,
        sweep_interval: 3_600,
        max_apr_bps: 100_000,
        protocol_cut_bps: 5_000,
        min_stake: 1,
    }
}

/// A holder of one asset: its keypair and token account.
pub(super) struct Holder {
    pub kp: Keypair,
    pub tokens: Pubkey,
}

/// A market the walk created.
pub(super) struct MarketAt {
    pub index: u16,
    pub asset: Asset,
    pub isolated: bool,
    pub settlement: Pubkey,
}

pub(super) struct Walk {
    pub bank: Bank,
    pub admin: Keypair,
    pub guardian: Keypair,
    pub treasury: Keypair,
    pub operator: Keypair,
    pub keeper: Keypair,
    next_key: u32,
}

impl Walk {
    pub(super) async fn start() -> Result<Walk> {
        let bank = Bank::start(START).await;
        let mut walk = Walk {
            bank,
            admin: Keypair::new_from_array([0; 32]),
            guardian: Keypair::new_from_array([0; 32]),
            treasury: Keypair::new_from_array([0; 32]),
            operator: Keypair::new_from_array([0; 32]),
            keeper: Keypair::new_from_array([0; 32]),
            next_key: 0,
        };
        walk.admin = walk.funded().await?;
        walk.guardian = walk.funded().await?;
        walk.treasury = walk.funded().await?;
        walk.operator = walk.funded().await?;
        walk.keeper = walk.funded().await?;
        Ok(walk)
    }

    /// A keypair from the walk's counter, funded with SOL for fees and rent.
    pub(super) async fn funded(&mut self) -> Result<Keypair> {
        self.next_key += 1;
        let mut seed = [7u8; 32];
        seed[..4].copy_from_slice(&self.next_key.to_le_bytes());
        let kp = Keypair::new_from_array(seed);
        self.bank
            .airdrop(kp.pubkey(), 10 * LAMPORTS_PER_SOL)
            .await
            .map_err(|e| anyhow!("airdrop: {e}"))?;
        Ok(kp)
    }

    pub(super) async fn send(
        &mut self,
        what: &str,
        i: Instruction,
        signer: &Keypair,
    ) -> Result<TxOk> {
        self.bank
            .send(&[i], &[signer])
            .await
            .map_err(|e| anyhow!("{what} was refused: {e}"))
    }

    pub(super) async fn admin(&mut self, what: &str, i: Instruction) -> Result<TxOk> {
        let admin = self.admin.insecure_clone();
        self.send(what, i, &admin).await
    }

    pub(super) async fn keeper(&mut self, what: &str, i: Instruction) -> Result<TxOk> {
        let keeper = self.keeper.insecure_clone();
        self.send(what, i, &keeper).await
    }

    pub(super) async fn operator(
        &mut self,
        what: &str,
        build: impl FnOnce(Pubkey, Pubkey) -> Instruction,
    ) -> Result<TxOk> {
        let operator = self.operator.insecure_clone();
        let i = build(operator.pubkey(), self.bank.payer_pubkey());
        self.send(what, i, &operator).await
    }

    pub(super) async fn holder(&mut self, asset: Asset, amount: u64) -> Result<Holder> {
        let kp = self.funded().await?;
        let tokens = self
            .bank
            .create_token_account(asset.mint, kp.pubkey())
            .await
            .map_err(|e| anyhow!("token account: {e}"))?;
        if amount > 0 {
            self.mint(asset, tokens, amount).await?;
        }
        Ok(Holder { kp, tokens })
    }

    /// Fresh tokens into any account: revenue, a donation, a wallet.
    pub(super) async fn mint(&mut self, asset: Asset, to: Pubkey, amount: u64) -> Result<()> {
        self.bank
            .mint_to(asset.mint, to, amount)
            .await
            .map(|_| ())
            .map_err(|e| anyhow!("mint_to: {e}"))
    }

    pub(super) async fn pool(&mut self, asset: Asset) -> Result<Pool> {
        self.bank
            .decode(pda::pool(&asset.mint))
            .await
            .context("the pool account")
    }

    pub(super) async fn stake(&mut self, asset: Asset, who: &Holder, amount: u64) -> Result<TxOk> {
        let i = ix::stake(
            who.kp.pubkey(),
            asset,
            self.treasury.pubkey(),
            who.tokens,
            amount,
        );
        self.send("stake", i, &who.kp).await
    }

    pub(super) async fn create_market(
        &mut self,
        asset: Asset,
        kind: MarketKind,
        isolated: bool,
    ) -> Result<MarketAt> {
        let protocol: Protocol = self
            .bank
            .decode(pda::protocol())
            .await
            .context("the protocol account")?;
        let operator = self.operator.pubkey();
        let settlement = self
            .bank
            .create_token_account(asset.mint, operator)
            .await
            .map_err(|e| anyhow!("settlement account: {e}"))?;
        let args = CreateMarketArgs {
            index: protocol.market_count,
            kind,
            operator,
            cap: u64::MAX,
            isolated,
            isolated_share_bps: if isolated { 5_000 } else { 0 },
            exposure_mode: ExposureMode::Accounts,
        };
        let payer = self.bank.payer_pubkey();
        let i = ix::create_market(
            self.admin.pubkey(),
            payer,
            asset,
            settlement,
            operator,
            args,
        );
        self.admin("create_market", i).await?;
        Ok(MarketAt {
            index: protocol.market_count,
            asset,
            isolated,
            settlement,
        })
    }

    pub(super) async fn resolve(&mut self, m: &MarketAt, debtor: Pubkey) -> Result<TxOk> {
        let i = ix::resolve_bankruptcy(
            self.keeper.pubkey(),
            m.index,
            m.asset,
            debtor,
            m.settlement,
            m.isolated,
        );
        self.keeper("resolve_bankruptcy", i).await
    }

    pub(super) fn key(&mut self) -> Pubkey {
        self.next_key += 1;
        let mut bytes = [9u8; 32];
        bytes[..4].copy_from_slice(&self.next_key.to_le_bytes());
        Pubkey::new_from_array(bytes)
    }
}
