//! Governance: pauses, pool parameters, protocol changes and payouts.

use crate::*;

impl World {
    // ------------------------------------------------------------- governance

    pub async fn try_pause(&mut self, signer: &Keypair, flags: u16) -> TxResult {
        self.bank
            .send(&[ix::pause(signer.pubkey(), flags)], &[signer])
            .await
    }

    pub async fn try_unpause(&mut self, signer: &Keypair, flags: u16) -> TxResult {
        self.bank
            .send(&[ix::unpause(signer.pubkey(), flags)], &[signer])
            .await
    }

    pub async fn admin_send(&mut self, i: Instruction) -> TxResult {
        let admin = self.admin.insecure_clone();
        self.bank.send(&[i], &[&admin]).await
    }

    pub async fn try_set_pool(&mut self, mint: Pubkey, update: PoolParamsUpdate) -> TxResult {
        let i = ix::set_pool(self.admin.pubkey(), mint, update);
        self.admin_send(i).await
    }

    /// Drops the pool's pending parameter change, signed by `signer`.
    pub async fn try_cancel_pool_change(&mut self, signer: &Keypair, mint: Pubkey) -> TxResult {
        let i = ix::cancel_pool_change(signer.pubkey(), mint);
        self.bank.send(&[i], &[signer]).await
    }

    pub async fn try_update_protocol(&mut self, update: ProtocolUpdate) -> TxResult {
        let i = ix::update_protocol(self.admin.pubkey(), update);
        self.admin_send(i).await
    }

    pub async fn try_propose_payout(
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

    pub async fn try_execute_payout(
        &mut self,
        mint: Pubkey,
        id: u64,
        recipient: Pubkey,
    ) -> TxResult {
        let keeper = self.keeper.insecure_clone();
        let i = ix::execute_payout(keeper.pubkey(), self.asset(mint), id, recipient);
        self.bank.send(&[i], &[&keeper]).await
    }

    pub async fn try_cancel_payout(&mut self, signer: &Keypair, mint: Pubkey, id: u64) -> TxResult {
        self.bank
            .send(&[ix::cancel_payout(signer.pubkey(), mint, id)], &[signer])
            .await
    }
}
