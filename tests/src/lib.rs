//! Fixtures for the Backstop integration tests: a `World` holding the
//! in-process bank, the protocol's actors, and one-line helpers so each test
//! reads like a scenario.

pub use anchor_lang::prelude::Pubkey;
pub use backstop::events::ChangeField;
pub use backstop::instructions::{
    CreateMarketArgs, InitializeProtocolArgs, MarketUpdate, ProtocolUpdate,
};
pub use backstop::state::{
    Bankruptcy, ExposureMode, Lender, Market, MarketKind, MarketStatus, Payout, PayoutStatus, Pool,
    PoolParams, PoolParamsUpdate, Position, Protocol, Stake, pause,
};
pub use backstop_bank::{Bank, LAMPORTS_PER_SOL, MintExtension, TxError, TxOk};
pub use backstop_client::ix::{self, Asset, PoolKeys};
pub use backstop_client::{pda, views};
pub use solana_instruction::Instruction;
pub use solana_keypair::Keypair;
pub use solana_signer::Signer;

/// The clock every world starts at (unix seconds).
pub const START: i64 = 1_700_000_000;
pub const DAY: i64 = 86_400;
/// 10¹⁸, the scale of the deposit and loss indexes.
pub const E18: u128 = 1_000_000_000_000_000_000;

pub type TxResult = Result<TxOk, TxError>;

/// Asserts that `result` failed with exactly the program error `name`.
#[track_caller]
pub fn expect_err(result: TxResult, name: &str) {
    match result {
        Ok(_) => panic!("expected error {name}, but the transaction succeeded"),
        Err(e) => assert_eq!(
            e.name, name,
            "expected error {name}, got {} (logs: {:#?})",
            e.name, e.logs
        ),
    }
}

/// Unwraps a transaction result, printing the program logs on failure.
#[track_caller]
pub fn ok(result: TxResult) -> TxOk {
    match result {
        Ok(t) => t,
        Err(e) => panic!("transaction failed: {} (logs: {:#?})", e.name, e.logs),
    }
}

/// Pool parameters convenient for tests: short cooldown, hourly sweeps.
pub fn test_params() -> PoolParams {
    PoolParams {
        cooldown: 10 * DAY as u64,
        window: 0,
        sweep_interval: 3_600,
        max_apr_bps: 100_000,
        protocol_cut_bps: 5_000,
        min_stake: 1,
    }
}

/// A staker (or any token holder) of one asset.
pub struct User {
    pub kp: Keypair,
    pub mint: Pubkey,
    pub tokens: Pubkey,
}

impl User {
    pub fn key(&self) -> Pubkey {
        self.kp.pubkey()
    }
}

/// A market created by governance.
pub struct MarketH {
    pub index: u16,
    pub mint: Pubkey,
    pub kind: MarketKind,
    pub isolated: bool,
    pub settlement: Pubkey,
    pub key: Pubkey,
}

pub struct World {
    pub bank: Bank,
    pub admin: Keypair,
    pub guardian: Keypair,
    pub treasury: Keypair,
    pub operator: Keypair,
    pub keeper: Keypair,
    pub governance_delay: u64,
    /// Mints of the Token-2022 program; every other mint is classic SPL Token.
    pub token_2022_mints: Vec<Pubkey>,
}

pub async fn funded_keypair(bank: &mut Bank) -> Keypair {
    let kp = Keypair::new();
    ok(bank.airdrop(kp.pubkey(), 10 * LAMPORTS_PER_SOL).await);
    kp
}

impl World {
    /// A bank at `START` with the protocol initialised and no governance delay.
    pub async fn new() -> World {
        World::with_delay(0).await
    }

    /// A bank at `START` with the protocol initialised with `governance_delay`.
    pub async fn with_delay(governance_delay: u64) -> World {
        let mut w = World::bare().await;
        w.governance_delay = governance_delay;
        let args = InitializeProtocolArgs {
            admin: w.admin.pubkey(),
            guardian: w.guardian.pubkey(),
            treasury: w.treasury.pubkey(),
            governance_delay,
        };
        let payer = w.bank.payer_pubkey();
        ok(w.bank
            .send(&[ix::initialize_protocol(payer, args)], &[])
            .await);
        w
    }

    /// A bank at `START` with funded actors but no protocol yet.
    // solana-program-test 3.x flags its API "unstable" through deprecation notes.
    #[allow(deprecated)]
    pub async fn bare() -> World {
        // Every world also runs the small host program of `tests/host`, whose
        // PDA can be made a market operator that signs by CPI.
        let mut bank = Bank::start_with(START, |pt| {
            pt.add_program(
                "backstop_test_host",
                backstop_test_host::ID,
                backstop_bank::processor!(backstop_test_host::process_instruction),
            )
        })
        .await;
        let admin = funded_keypair(&mut bank).await;
        let guardian = funded_keypair(&mut bank).await;
        let treasury = funded_keypair(&mut bank).await;
        let operator = funded_keypair(&mut bank).await;
        let keeper = funded_keypair(&mut bank).await;
        World {
            bank,
            admin,
            guardian,
            treasury,
            operator,
            keeper,
            governance_delay: 0,
            token_2022_mints: Vec::new(),
        }
    }

    pub async fn now(&mut self) -> i64 {
        self.bank.now().await
    }

    pub async fn advance(&mut self, seconds: i64) {
        self.bank.advance(seconds).await
    }

    pub async fn set_time(&mut self, t: i64) {
        self.bank.set_time(t).await
    }

    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        self.bank.send(ixs, signers).await
    }

    pub async fn new_keypair(&mut self) -> Keypair {
        funded_keypair(&mut self.bank).await
    }

    // ------------------------------------------------------------- pools

    pub async fn create_mint(&mut self) -> Pubkey {
        self.bank.create_mint(6).await.expect("create mint")
    }

    /// Creates a pool for `mint` signed by `admin`.
    pub async fn create_pool_as(
        &mut self,
        admin: &Keypair,
        mint: Pubkey,
        params: PoolParams,
    ) -> TxResult {
        self.create_pool_opting_in(admin, mint, params, false).await
    }

    /// [`World::create_pool_as`] with governance's permanent-delegate opt-in.
    pub async fn create_pool_opting_in(
        &mut self,
        admin: &Keypair,
        mint: Pubkey,
        params: PoolParams,
        allow_permanent_delegate: bool,
    ) -> TxResult {
        let payer = self.bank.payer_pubkey();
        let ixn = ix::create_pool(
            admin.pubkey(),
            payer,
            self.treasury.pubkey(),
            self.asset(mint),
            params,
            allow_permanent_delegate,
        );
        self.bank.send(&[ixn], &[admin]).await
    }

    /// The asset of `mint`: Token-2022 if the world created it so.
    pub fn asset(&self, mint: Pubkey) -> Asset {
        if self.token_2022_mints.contains(&mint) {
            Asset::token_2022(mint)
        } else {
            Asset::spl_token(mint)
        }
    }

    /// A Token-2022 mint (6 decimals) with `extensions`.
    pub async fn create_mint_2022(&mut self, extensions: &[MintExtension]) -> Pubkey {
        let mint = self
            .bank
            .create_mint_2022(6, extensions)
            .await
            .expect("Token-2022 mint");
        self.token_2022_mints.push(mint);
        mint
    }

    /// A pool of a new Token-2022 mint with `extensions`; returns the mint.
    pub async fn new_pool_2022(
        &mut self,
        params: PoolParams,
        extensions: &[MintExtension],
    ) -> Pubkey {
        let mint = self.create_mint_2022(extensions).await;
        let admin = self.admin.insecure_clone();
        ok(self.create_pool_as(&admin, mint, params).await);
        mint
    }

    /// A pool for a new mint with `params`; returns the mint.
    pub async fn new_pool(&mut self, params: PoolParams) -> Pubkey {
        let mint = self.create_mint().await;
        let admin = self.admin.insecure_clone();
        ok(self.create_pool_as(&admin, mint, params).await);
        mint
    }

    /// A new user of `mint` with `amount` tokens.
    pub async fn user(&mut self, mint: Pubkey, amount: u64) -> User {
        let kp = self.new_keypair().await;
        self.user_from(kp, mint, amount).await
    }

    /// A token account of `mint` for an existing keypair, with `amount` tokens.
    pub async fn user_from(&mut self, kp: Keypair, mint: Pubkey, amount: u64) -> User {
        let tokens = self
            .bank
            .create_token_account(mint, kp.pubkey())
            .await
            .expect("token account");
        if amount > 0 {
            ok(self.bank.mint_to(mint, tokens, amount).await);
        }
        User { kp, mint, tokens }
    }

    /// The treasury as a user of `mint` (its own token account, no tokens).
    pub async fn treasury_user(&mut self, mint: Pubkey) -> User {
        let kp = self.treasury.insecure_clone();
        self.user_from(kp, mint, 0).await
    }

    pub fn keys(mint: Pubkey) -> PoolKeys {
        PoolKeys::new(mint)
    }

    // ------------------------------------------------------------- staking

    pub fn stake_ix(&self, user: &User, amount: u64) -> Instruction {
        ix::stake(
            user.key(),
            self.asset(user.mint),
            self.treasury.pubkey(),
            user.tokens,
            amount,
        )
    }

    pub async fn stake(&mut self, user: &User, amount: u64) -> TxResult {
        let i = self.stake_ix(user, amount);
        self.bank.send(&[i], &[&user.kp]).await
    }

    pub async fn request_unstake(&mut self, user: &User, shares: u128) -> TxResult {
        let i = ix::request_unstake(
            user.key(),
            self.asset(user.mint),
            self.treasury.pubkey(),
            shares,
        );
        self.bank.send(&[i], &[&user.kp]).await
    }

    pub async fn complete(&mut self, user: &User) -> TxResult {
        let i = ix::complete_unstake(user.key(), self.asset(user.mint), user.tokens);
        self.bank.send(&[i], &[&user.kp]).await
    }

    pub async fn cancel(&mut self, user: &User) -> TxResult {
        let i = ix::cancel_unstake(user.key(), user.mint);
        self.bank.send(&[i], &[&user.kp]).await
    }

    pub async fn close_stake(&mut self, user: &User) -> TxResult {
        let i = ix::close_stake(user.key(), user.mint);
        self.bank.send(&[i], &[&user.kp]).await
    }

    pub async fn sweep(&mut self, mint: Pubkey) -> TxResult {
        let keeper = self.keeper.insecure_clone();
        let i = ix::sweep_revenue(keeper.pubkey(), self.asset(mint), self.treasury.pubkey());
        self.bank.send(&[i], &[&keeper]).await
    }

    pub async fn sync_vault(&mut self, mint: Pubkey) -> TxResult {
        let keeper = self.keeper.insecure_clone();
        let i = ix::sync_vault(keeper.pubkey(), self.asset(mint));
        self.bank.send(&[i], &[&keeper]).await
    }

    /// Mints `amount` fresh tokens to a payer and transfers them (a plain token
    /// transfer) to `to`.
    pub async fn transfer_fresh(&mut self, mint: Pubkey, to: Pubkey, amount: u64) -> TxResult {
        let kp = self.new_keypair().await;
        let funder = self.user_from(kp, mint, amount).await;
        self.bank
            .transfer_tokens(funder.tokens, to, &funder.kp, amount)
            .await
    }

    /// Fees paid by the host: a plain token transfer into the pool's revenue account.
    pub async fn revenue(&mut self, mint: Pubkey, amount: u64) -> TxResult {
        self.transfer_fresh(mint, World::keys(mint).revenue, amount)
            .await
    }

    /// A donation straight into the vault.
    pub async fn donate(&mut self, mint: Pubkey, amount: u64) -> TxResult {
        self.transfer_fresh(mint, World::keys(mint).vault, amount)
            .await
    }

    // ------------------------------------------------------------- governance

    pub async fn pause(&mut self, signer: &Keypair, flags: u16) -> TxResult {
        self.bank
            .send(&[ix::pause(signer.pubkey(), flags)], &[signer])
            .await
    }

    pub async fn unpause(&mut self, signer: &Keypair, flags: u16) -> TxResult {
        self.bank
            .send(&[ix::unpause(signer.pubkey(), flags)], &[signer])
            .await
    }

    pub async fn admin_send(&mut self, i: Instruction) -> TxResult {
        let admin = self.admin.insecure_clone();
        self.bank.send(&[i], &[&admin]).await
    }

    pub async fn set_pool(&mut self, mint: Pubkey, update: PoolParamsUpdate) -> TxResult {
        let i = ix::set_pool(self.admin.pubkey(), mint, update);
        self.admin_send(i).await
    }

    pub async fn update_protocol(&mut self, update: ProtocolUpdate) -> TxResult {
        let i = ix::update_protocol(self.admin.pubkey(), update);
        self.admin_send(i).await
    }

    pub async fn propose_payout(
        &mut self,
        mint: Pubkey,
        recipient: Pubkey,
        amount: u64,
    ) -> Result<u64, TxError> {
        let id = self.pool(mint).await.next_payout_id;
        let payer = self.bank.payer_pubkey();
        let i = ix::propose_payout(self.admin.pubkey(), payer, mint, id, recipient, amount);
        self.admin_send(i).await?;
        Ok(id)
    }

    pub async fn execute_payout(&mut self, mint: Pubkey, id: u64, recipient: Pubkey) -> TxResult {
        let keeper = self.keeper.insecure_clone();
        let i = ix::execute_payout(keeper.pubkey(), self.asset(mint), id, recipient);
        self.bank.send(&[i], &[&keeper]).await
    }

    pub async fn cancel_payout(&mut self, signer: &Keypair, mint: Pubkey, id: u64) -> TxResult {
        self.bank
            .send(&[ix::cancel_payout(signer.pubkey(), mint, id)], &[signer])
            .await
    }

    // ------------------------------------------------------------- markets

    /// A token account of `mint` owned by the operator: where insurance goes.
    pub async fn settlement_account(&mut self, mint: Pubkey) -> Pubkey {
        self.bank
            .create_token_account(mint, self.operator.pubkey())
            .await
            .expect("settlement")
    }

    /// Creates the next market for `mint`, operated by `self.operator`.
    pub async fn create_market(
        &mut self,
        mint: Pubkey,
        kind: MarketKind,
        cap: u64,
        isolated: bool,
        isolated_share_bps: u16,
    ) -> Result<MarketH, TxError> {
        self.create_market_in_mode(
            mint,
            kind,
            cap,
            isolated,
            isolated_share_bps,
            ExposureMode::Accounts,
        )
        .await
    }

    /// [`World::create_market`] with an exposure mode.
    pub async fn create_market_in_mode(
        &mut self,
        mint: Pubkey,
        kind: MarketKind,
        cap: u64,
        isolated: bool,
        isolated_share_bps: u16,
        exposure_mode: ExposureMode,
    ) -> Result<MarketH, TxError> {
        let index = self.protocol().await.market_count;
        let settlement = self.settlement_account(mint).await;
        let args = CreateMarketArgs {
            index,
            kind,
            operator: self.operator.pubkey(),
            cap,
            isolated,
            isolated_share_bps,
            exposure_mode,
        };
        let payer = self.bank.payer_pubkey();
        let i = ix::create_market(
            self.admin.pubkey(),
            payer,
            self.asset(mint),
            settlement,
            args,
        );
        self.admin_send(i).await?;
        Ok(MarketH {
            index,
            mint,
            kind,
            isolated,
            settlement,
            key: pda::market(index),
        })
    }

    pub async fn lending_market(&mut self, mint: Pubkey, cap: u64) -> MarketH {
        self.create_market(mint, MarketKind::Lending, cap, false, 0)
            .await
            .expect("lending market")
    }

    pub async fn perp_market(&mut self, mint: Pubkey, cap: u64) -> MarketH {
        self.create_market(mint, MarketKind::Perp, cap, false, 0)
            .await
            .expect("perp market")
    }

    /// Freezes (`true`) or unfreezes a market, as the admin.
    pub async fn set_frozen(&mut self, m: &MarketH, frozen: bool) -> TxResult {
        let update = MarketUpdate {
            operator: None,
            frozen: Some(frozen),
        };
        let i = ix::update_market(self.admin.pubkey(), m.index, update, None);
        self.admin_send(i).await
    }

    pub async fn set_market_cap(&mut self, m: &MarketH, cap: u64) -> TxResult {
        let i = ix::set_market_cap(self.admin.pubkey(), m.index, cap);
        self.admin_send(i).await
    }

    /// Pays a premium for `m` from a fresh payer holding `amount`.
    pub async fn pay_premium(&mut self, m: &MarketH, amount: u64) -> TxResult {
        let kp = self.new_keypair().await;
        let payer = self.user_from(kp, m.mint, amount).await;
        let i = ix::pay_premium(
            payer.key(),
            payer.tokens,
            m.index,
            self.asset(m.mint),
            m.isolated,
            amount,
        );
        self.bank.send(&[i], &[&payer.kp]).await
    }

    fn op(&self) -> Keypair {
        self.operator.insecure_clone()
    }

    pub async fn record_deposit(&mut self, m: &MarketH, owner: Pubkey, amount: u64) -> TxResult {
        let op = self.op();
        let payer = self.bank.payer_pubkey();
        self.bank
            .send(
                &[ix::record_deposit(
                    op.pubkey(),
                    payer,
                    m.index,
                    owner,
                    amount,
                )],
                &[&op],
            )
            .await
    }

    pub async fn record_withdrawal(&mut self, m: &MarketH, owner: Pubkey, amount: u64) -> TxResult {
        let op = self.op();
        self.bank
            .send(
                &[ix::record_withdrawal(op.pubkey(), m.index, owner, amount)],
                &[&op],
            )
            .await
    }

    pub async fn record_position(&mut self, m: &MarketH, owner: Pubkey, base: i64) -> TxResult {
        let op = self.op();
        let payer = self.bank.payer_pubkey();
        self.bank
            .send(
                &[ix::record_position(
                    op.pubkey(),
                    payer,
                    m.index,
                    owner,
                    base,
                )],
                &[&op],
            )
            .await
    }

    pub async fn clear_owed(&mut self, m: &MarketH, owner: Pubkey, amount: u64) -> TxResult {
        let op = self.op();
        self.bank
            .send(
                &[ix::clear_owed(op.pubkey(), m.index, owner, amount)],
                &[&op],
            )
            .await
    }

    pub async fn record_bankruptcy(
        &mut self,
        m: &MarketH,
        debtor: Pubkey,
        deficit: u64,
    ) -> TxResult {
        self.record_bankruptcy_with_exposure(m, debtor, deficit, 0)
            .await
    }

    /// A bankruptcy carrying the market's total exposure (`aggregate` mode).
    pub async fn record_bankruptcy_with_exposure(
        &mut self,
        m: &MarketH,
        debtor: Pubkey,
        deficit: u64,
        exposure: u128,
    ) -> TxResult {
        let op = self.op();
        let payer = self.bank.payer_pubkey();
        self.bank
            .send(
                &[ix::record_bankruptcy(
                    op.pubkey(),
                    payer,
                    m.index,
                    debtor,
                    deficit,
                    exposure,
                )],
                &[&op],
            )
            .await
    }

    pub fn resolve_ix(&self, m: &MarketH, debtor: Pubkey) -> Instruction {
        ix::resolve_bankruptcy(
            self.keeper.pubkey(),
            m.index,
            self.asset(m.mint),
            debtor,
            m.settlement,
            m.isolated,
        )
    }

    /// Resolves `debtor`'s bankruptcy in `m`, signed by the keeper.
    pub async fn resolve(&mut self, m: &MarketH, debtor: Pubkey) -> TxResult {
        let keeper = self.keeper.insecure_clone();
        let i = self.resolve_ix(m, debtor);
        self.bank.send(&[i], &[&keeper]).await
    }

    // ------------------------------------------------------------- readers

    pub async fn protocol(&mut self) -> Protocol {
        self.bank.decode(pda::protocol()).await.expect("protocol")
    }

    pub async fn pool(&mut self, mint: Pubkey) -> Pool {
        self.bank.decode(pda::pool(&mint)).await.expect("pool")
    }

    /// `(A, S)` of a pool.
    pub async fn a_s(&mut self, mint: Pubkey) -> (u64, u128) {
        let p = self.pool(mint).await;
        (p.assets, p.total_shares)
    }

    pub async fn stake_of(&mut self, mint: Pubkey, owner: Pubkey) -> Option<Stake> {
        self.bank
            .decode(pda::stake(&pda::pool(&mint), &owner))
            .await
    }

    /// Shares a stake holds now (0 for an older epoch or a missing stake).
    pub async fn shares(&mut self, mint: Pubkey, owner: Pubkey) -> u128 {
        let pool = self.pool(mint).await;
        match self.stake_of(mint, owner).await {
            Some(s) => views::stake_shares(&s, &pool),
            None => 0,
        }
    }

    pub async fn market(&mut self, index: u16) -> Market {
        self.bank.decode(pda::market(index)).await.expect("market")
    }

    pub async fn lender(&mut self, index: u16, owner: Pubkey) -> Option<Lender> {
        self.bank
            .decode(pda::lender(&pda::market(index), &owner))
            .await
    }

    pub async fn lender_balance(&mut self, index: u16, owner: Pubkey) -> u64 {
        let market = self.market(index).await;
        let lender = self.lender(index, owner).await.expect("lender");
        views::lender_balance(&lender, &market).expect("balance")
    }

    pub async fn position(&mut self, index: u16, owner: Pubkey) -> Position {
        self.bank
            .decode(pda::position(&pda::market(index), &owner))
            .await
            .expect("position")
    }

    pub async fn position_owed(&mut self, index: u16, owner: Pubkey) -> u64 {
        let market = self.market(index).await;
        let p = self.position(index, owner).await;
        views::position_owed(&p, &market).expect("owed")
    }

    pub async fn bankruptcy(&mut self, index: u16, debtor: Pubkey) -> Option<Bankruptcy> {
        self.bank
            .decode(pda::bankruptcy(&pda::market(index), &debtor))
            .await
    }

    pub async fn payout(&mut self, mint: Pubkey, id: u64) -> Payout {
        self.bank
            .decode(pda::payout(&pda::pool(&mint), id))
            .await
            .expect("payout")
    }

    pub async fn balance(&mut self, token_account: Pubkey) -> u64 {
        self.bank.token_balance(token_account).await
    }

    pub async fn vault_balance(&mut self, mint: Pubkey) -> u64 {
        self.bank.token_balance(World::keys(mint).vault).await
    }

    pub async fn revenue_balance(&mut self, mint: Pubkey) -> u64 {
        self.bank.token_balance(World::keys(mint).revenue).await
    }
}

/// Replaces every occurrence of `from` in the instruction's accounts by `to`.
pub fn substitute(mut i: Instruction, from: Pubkey, to: Pubkey) -> Instruction {
    let mut found = false;
    for meta in i.accounts.iter_mut() {
        if meta.pubkey == from {
            meta.pubkey = to;
            found = true;
        }
    }
    assert!(found, "account {from} not in the instruction");
    i
}
