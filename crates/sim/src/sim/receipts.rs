//! Liquid insurance shares: `wrap` and `unwrap` (signed by `who`, or `by`)
//! and `send_receipts`, a plain Token-2022 transfer of current-epoch receipt
//! tokens to another user's associated receipt account (created if needed).

use anyhow::Result;
use backstop_client::ix::{self, Asset};
use backstop_client::types::Pool;
use backstop_client::{pda, token};
use solana_pubkey::Pubkey;
use solana_signer::Signer;

use super::{Simulator, StepResult};

impl Simulator {
    /// The pool's current epoch and its receipt mint.
    async fn current_receipts(&mut self, asset: &str) -> (u64, Pubkey) {
        let pool = self.pool_state(asset).await;
        let epoch = u64::from(pool.epoch);
        (epoch, pda::receipt_mint(&pda::pool(&pool.mint), epoch))
    }

    async fn pool_state(&mut self, asset: &str) -> Pool {
        let pool_key = pda::pool(&self.mint(asset));
        self.bank.decode(pool_key).await.expect("pool")
    }

    /// `who`'s current-epoch receipt tokens of `asset` (0 without any).
    pub(super) async fn receipt_balance(&mut self, who: &str, asset: &str) -> u64 {
        let (_, receipt_mint) = self.current_receipts(asset).await;
        let owner = self.key(who);
        let account = token::receipt_account(&owner, &receipt_mint);
        self.bank.token_balance(account).await
    }

    pub(super) async fn create_receipt_mint(
        &mut self,
        by: Option<&str>,
        asset: &str,
    ) -> Result<StepResult> {
        let keeper = self.signer(by, "keeper").await?;
        let (epoch, _) = self.current_receipts(asset).await;
        let create = ix::create_receipt_mint(keeper.pubkey(), self.mint(asset), epoch);
        Ok(self.bank.send(&[create], &[&keeper]).await)
    }

    pub(super) async fn wrap(
        &mut self,
        by: Option<&str>,
        who: &str,
        asset: &str,
        shares: u128,
    ) -> Result<StepResult> {
        self.ensure_user(who).await?;
        let owner = self.key(who);
        let signer = self.signer(by, who).await?;
        let (epoch, receipt_mint) = self.current_receipts(asset).await;
        // As a wallet does (ix::wrap_setup): once the epoch's mint exists, the
        // owner's receipt account is created first, in a transaction of its
        // own, so the step's compute units are the wrap's. Without the mint
        // the wrap is sent alone and creates both (a `create_receipt_mint`
        // step prepares it).
        let receipts = token::receipt_account(&owner, &receipt_mint);
        if self.bank.account(receipt_mint).await.is_some()
            && self.bank.account(receipts).await.is_none()
        {
            let mint = self.mint(asset);
            let create = ix::wrap_setup(signer.pubkey(), owner, mint, epoch, true, false);
            if let Err(refused) = self.bank.send(&create, &[&signer]).await {
                return Ok(Err(refused));
            }
        }
        let wrap = ix::wrap(owner, self.mint(asset), epoch, shares);
        Ok(self.send_as(wrap, owner, &signer).await)
    }

    pub(super) async fn unwrap(
        &mut self,
        by: Option<&str>,
        who: &str,
        asset: &str,
        amount: u64,
    ) -> Result<StepResult> {
        self.ensure_user(who).await?;
        let holder = self.key(who);
        let signer = self.signer(by, who).await?;
        let (epoch, receipt_mint) = self.current_receipts(asset).await;
        let receipts = token::receipt_account(&holder, &receipt_mint);
        let unwrap = ix::unwrap(holder, self.mint(asset), epoch, receipts, amount);
        let r = self.send_as(unwrap, holder, &signer).await;
        if r.is_ok() {
            self.list_stake(who, asset);
        }
        Ok(r)
    }

    pub(super) async fn send_receipts(
        &mut self,
        by: Option<&str>,
        who: &str,
        to: &str,
        asset: &str,
        amount: u64,
    ) -> Result<StepResult> {
        self.ensure_user(who).await?;
        self.ensure_user(to).await?;
        let (from_owner, to_owner) = (self.key(who), self.key(to));
        let signer = self.signer(by, who).await?;
        let (_, receipt_mint) = self.current_receipts(asset).await;
        let receipts = Asset::token_2022(receipt_mint);
        let from = token::receipt_account(&from_owner, &receipt_mint);
        let dest = token::receipt_account(&to_owner, &receipt_mint);
        let decimals = self.pool_state(asset).await.decimals;
        let create = token::create_associated_token_account_idempotent(
            &signer.pubkey(),
            &to_owner,
            receipts,
        );
        let transfer =
            token::transfer_checked(receipts, &from, &dest, &signer.pubkey(), amount, decimals);
        Ok(self.bank.send(&[create, transfer], &[&signer]).await)
    }
}
