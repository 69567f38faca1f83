//! Pools and mints (SPL Token and Token-2022), and the users that hold them.

use crate::*;

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

impl World {
    // ------------------------------------------------------------- pools

    /// A world with one pool of `params` and a user holding `amount` tokens.
    pub async fn with_one_pool(params: PoolParams, amount: u64) -> (World, Pubkey, User) {
        let mut w = World::new().await;
        let mint = w.new_pool(params).await;
        let alice = w.user(mint, amount).await;
        (w, mint, alice)
    }

    pub async fn create_mint(&mut self) -> Pubkey {
        self.bank.create_mint(6).await.expect("create mint")
    }

    /// Creates a pool for `mint` signed by `admin`.
    pub async fn try_create_pool_as(
        &mut self,
        admin: &Keypair,
        mint: Pubkey,
        params: PoolParams,
    ) -> TxResult {
        self.try_create_pool_opting_in(admin, mint, params, false)
            .await
    }

    /// [`World::create_pool_as`] with governance's opt-ins to a PYUSD-like
    /// mint (`true`: its permanent delegate and its transfer hook).
    pub async fn try_create_pool_opting_in(
        &mut self,
        admin: &Keypair,
        mint: Pubkey,
        params: PoolParams,
        opt_in: bool,
    ) -> TxResult {
        let opt_ins = MintOptIns {
            permanent_delegate: opt_in,
            transfer_hook: opt_in,
        };
        self.try_create_pool_with(admin, mint, params, opt_ins)
            .await
    }

    /// [`World::create_pool_as`] with the given opt-ins.
    pub async fn try_create_pool_with(
        &mut self,
        admin: &Keypair,
        mint: Pubkey,
        params: PoolParams,
        opt_ins: MintOptIns,
    ) -> TxResult {
        let (treasury, asset) = (self.treasury.pubkey(), self.asset(mint));
        self.bank
            .create_pool(admin, treasury, asset, params, opt_ins)
            .await
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
        ok(self.try_create_pool_as(&admin, mint, params).await);
        mint
    }

    /// A pool for a new mint with `params`; returns the mint.
    pub async fn new_pool(&mut self, params: PoolParams) -> Pubkey {
        let mint = self.create_mint().await;
        let admin = self.admin.insecure_clone();
        ok(self.try_create_pool_as(&admin, mint, params).await);
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
}
