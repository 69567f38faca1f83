//! Reading accounts back: pools, stakes, markets, records and balances.

use crate::*;

impl World {
    // ------------------------------------------------------------- readers

    pub async fn protocol(&mut self) -> Protocol {
        self.bank.decode(pda::protocol()).await.expect("protocol")
    }

    pub async fn pool(&mut self, mint: Pubkey) -> Pool {
        self.bank.decode(pda::pool(&mint)).await.expect("pool")
    }

    /// `(A, S)` of a pool.
    pub async fn assets_and_shares(&mut self, mint: Pubkey) -> (u64, u128) {
        let p = self.pool(mint).await;
        (p.assets, p.total_shares)
    }

    /// The stake account as stored (`None`: no account).
    pub async fn stake_of(&mut self, mint: Pubkey, owner: Pubkey) -> Option<views::StakeRecord> {
        self.stake_account(mint, owner)
            .await
            .map(|s| views::StakeRecord::of(&s))
    }

    pub async fn stake_account(&mut self, mint: Pubkey, owner: Pubkey) -> Option<Stake> {
        self.bank
            .decode(pda::stake(&pda::pool(&mint), &owner))
            .await
    }

    /// Shares a stake holds now (0 for an older epoch or a missing stake).
    pub async fn shares(&mut self, mint: Pubkey, owner: Pubkey) -> u128 {
        let pool = self.pool(mint).await;
        match self.stake_account(mint, owner).await {
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
