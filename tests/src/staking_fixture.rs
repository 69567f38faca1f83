//! Staking, sweeps and donations: `make_*_ix` builds, `try_*` sends.

use crate::*;

impl World {
    // ------------------------------------------------------------- staking

    pub fn make_stake_ix(&self, user: &User, amount: u64) -> Instruction {
        ix::stake(
            user.key(),
            self.asset(user.mint),
            self.treasury.pubkey(),
            user.tokens,
            amount,
        )
    }

    pub async fn try_stake(&mut self, user: &User, amount: u64) -> TxResult {
        let i = self.make_stake_ix(user, amount);
        self.bank.send(&[i], &[&user.kp]).await
    }

    pub async fn try_request_unstake(&mut self, user: &User, shares: u128) -> TxResult {
        let i = ix::request_unstake(
            user.key(),
            self.asset(user.mint),
            self.treasury.pubkey(),
            shares,
        );
        self.bank.send(&[i], &[&user.kp]).await
    }

    pub async fn try_complete(&mut self, user: &User) -> TxResult {
        let i = ix::complete_unstake(user.key(), self.asset(user.mint), user.tokens);
        self.bank.send(&[i], &[&user.kp]).await
    }

    pub async fn try_cancel(&mut self, user: &User) -> TxResult {
        let i = ix::cancel_unstake(user.key(), user.mint);
        self.bank.send(&[i], &[&user.kp]).await
    }

    pub async fn try_close_stake(&mut self, user: &User) -> TxResult {
        let i = ix::close_stake(user.key(), user.mint);
        self.bank.send(&[i], &[&user.kp]).await
    }

    pub async fn try_sweep(&mut self, mint: Pubkey) -> TxResult {
        let keeper = self.keeper.insecure_clone();
        let i = ix::sweep_revenue(keeper.pubkey(), self.asset(mint), self.treasury.pubkey());
        self.bank.send(&[i], &[&keeper]).await
    }

    pub async fn try_sync_vault(&mut self, mint: Pubkey) -> TxResult {
        let keeper = self.keeper.insecure_clone();
        let i = ix::sync_vault(keeper.pubkey(), self.asset(mint));
        self.bank.send(&[i], &[&keeper]).await
    }

    /// Mints `amount` fresh tokens to a payer and transfers them (a plain token
    /// transfer) to `to`.
    pub async fn try_transfer_fresh(&mut self, mint: Pubkey, to: Pubkey, amount: u64) -> TxResult {
        let kp = self.new_keypair().await;
        let funder = self.user_from(kp, mint, amount).await;
        self.bank
            .transfer_tokens(funder.tokens, to, &funder.kp, amount)
            .await
    }

    /// Fees paid by the host: a plain token transfer into the pool's revenue account.
    pub async fn try_revenue(&mut self, mint: Pubkey, amount: u64) -> TxResult {
        self.try_transfer_fresh(mint, World::keys(mint).revenue, amount)
            .await
    }

    /// A donation straight into the vault.
    pub async fn try_donate(&mut self, mint: Pubkey, amount: u64) -> TxResult {
        self.try_transfer_fresh(mint, World::keys(mint).vault, amount)
            .await
    }
}
