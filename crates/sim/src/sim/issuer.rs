//! Steps of a Token-2022 mint's issuer, the powers a scenario's pool opted
//! in to (`extensions` of docs/scenarios.md): the permanent delegate taking
//! tokens from the fund's vault, the fee authority's transfer fee, and the
//! hook authority's transfer-hook program. Each is refused by the simulator
//! for a pool whose mint lacks the extension.

use anyhow::Result;
use backstop_bank::TxOk;
use backstop_client::pda;
use backstop_test_hook as test_hook;
use solana_account::Account;

use super::{Simulator, StepResult, outside};
use crate::scenario::MintFeature;

/// The issuer's name (its key is derived from it, like every role's): the
/// permanent delegate, and the owner of the token account what it takes goes
/// to. Not a user: the report lists no wallet for it.
pub(super) const ISSUER: &str = "mint issuer";

impl Simulator {
    /// `None` when `asset`'s mint carries `feature`, else the refusal.
    fn lacks(&self, asset: &str, feature: MintFeature) -> Option<StepResult> {
        (!self.pool(asset).features.contains(&feature))
            .then(|| Err(outside(feature.missing_on(asset))))
    }

    /// The permanent delegate takes `amount` from the pool's vault into the
    /// issuer's own token account (created on first use).
    pub(super) async fn seize(&mut self, asset: &str, amount: u64) -> Result<StepResult> {
        if let Some(refused) = self.lacks(asset, MintFeature::PermanentDelegate) {
            return Ok(refused);
        }
        let mint = self.mint(asset);
        let key = (ISSUER.to_string(), asset.to_string());
        let to = match self.token_accounts.get(&key) {
            Some(&account) => account,
            None => {
                let owner = self.key(ISSUER);
                match self.bank.create_token_account(mint, owner).await {
                    Ok(account) => {
                        self.token_accounts.insert(key, account);
                        account
                    }
                    Err(e) => return Ok(Err(e)),
                }
            }
        };
        let vault = pda::vault(&pda::pool(&mint));
        let extra = self.hook_accounts(mint).await;
        let delegate = self.keypair(ISSUER);
        Ok(self
            .bank
            .transfer_tokens_with(vault, to, &delegate, amount, &extra)
            .await)
    }

    /// The fee authority sets the mint's transfer fee (no maximum; 0 turns
    /// it off). Token-2022 applies a new fee two epochs on, so the bank's
    /// epoch moves two on (its time stays).
    pub(super) async fn set_transfer_fee(&mut self, asset: &str, bps: u16) -> Result<StepResult> {
        if let Some(refused) = self.lacks(asset, MintFeature::TransferFee) {
            return Ok(refused);
        }
        let maximum = if bps == 0 { 0 } else { u64::MAX };
        let mint = self.mint(asset);
        if let Err(e) = self.bank.set_transfer_fee(mint, bps, maximum).await {
            return Ok(Err(e));
        }
        self.bank.advance_epochs(2).await;
        Ok(Ok(TxOk::default()))
    }

    /// The hook authority names the tests' hook program, which lets every
    /// transfer through (its validation and config accounts are written
    /// first, as its issuer would create them), or clears it.
    pub(super) async fn set_transfer_hook(&mut self, asset: &str, on: bool) -> Result<StepResult> {
        if let Some(refused) = self.lacks(asset, MintFeature::TransferHook) {
            return Ok(refused);
        }
        let mint = self.mint(asset);
        if on {
            for (key, data) in [
                (
                    test_hook::validation_address(&mint),
                    test_hook::validation_data(&mint),
                ),
                (
                    test_hook::config_address(&mint),
                    test_hook::config_data(false),
                ),
            ] {
                let account = Account {
                    lamports: backstop_bank::LAMPORTS_PER_SOL,
                    data,
                    owner: test_hook::ID,
                    executable: false,
                    rent_epoch: 0,
                };
                self.bank.set_account(key, account);
            }
        }
        let program = on.then_some(test_hook::ID);
        Ok(self.bank.set_transfer_hook(mint, program).await)
    }
}
