//! What a simulation leaves behind, natively: program-test's simulation
//! reports logs and units but not the accounts after it, which
//! `simulateTransaction`'s `accounts` asks for. A scratch bank answers: it
//! gets a copy of every account the transaction names (and of the clock),
//! runs it for real, and is read. A transaction can touch no account it does
//! not name, so the copy is all it sees. The bank does not check signatures
//! (a validator's sigverify does, before it), so the transaction may run
//! under the scratch bank's own blockhash. On the VM, the simulation itself
//! reports the accounts.

use solana_account::Account;
use solana_pubkey::Pubkey;
use solana_transaction::versioned::VersionedTransaction;

use crate::backend::Backend;
use crate::{Bank, Outcome};

/// Accounts the scratch bank has of its own and must keep: programs (the
/// same builtins and bundled programs as the bank's) and sysvars.
fn copied(account: &Option<Account>) -> bool {
    account.as_ref().is_none_or(|a| {
        !a.executable
            && a.owner != solana_sdk_ids::sysvar::ID
            && a.owner != solana_sdk_ids::native_loader::ID
    })
}

impl Bank {
    /// Runs `tx` without keeping its effects and reports the accounts at
    /// `keys` as it left them (`None`: no account there), beside the
    /// outcome. `names` are every account the transaction names (its keys
    /// and the addresses it loads from lookup tables).
    pub async fn simulate_with_accounts(
        &mut self,
        tx: VersionedTransaction,
        names: &[Pubkey],
        keys: &[Pubkey],
    ) -> Result<(Outcome, Vec<Option<Account>>), String> {
        if let Backend::Vm(vm) = &mut self.backend {
            let outcome = vm.process(&tx, true)?;
            let post = outcome.post_accounts.clone().unwrap_or_default();
            let mut accounts = Vec::with_capacity(keys.len());
            for key in keys {
                accounts.push(match post.iter().find(|(k, _)| k == key) {
                    Some((_, a)) => (a.lamports > 0).then(|| a.clone()),
                    None => self.account(*key).await,
                });
            }
            return Ok((outcome, accounts));
        }
        if self.scratch.is_none() {
            let now = self.now().await;
            self.scratch = Some(Box::new(Box::pin(Bank::start(now)).await));
        }
        let clock = self.clock().await;
        let mut wanted: Vec<Pubkey> = names.to_vec();
        wanted.extend(keys.iter().filter(|k| !names.contains(k)));
        let mut originals = Vec::with_capacity(wanted.len());
        for key in &wanted {
            originals.push((*key, self.account(*key).await));
        }
        let scratch = self.scratch.as_mut().expect("the scratch bank");
        // A fresh blockhash each time: the same transaction may be
        // simulated again, which a bank would refuse as a repeat.
        scratch.advance_slot(clock.unix_timestamp).await?;
        let mut scratch_clock = scratch.clock().await;
        scratch_clock.unix_timestamp = clock.unix_timestamp;
        scratch_clock.epoch = clock.epoch;
        scratch.set_clock(&scratch_clock);
        for (key, account) in &originals {
            if copied(account) {
                scratch.set_account(*key, account.clone().unwrap_or_default());
            }
        }
        let mut tx = tx;
        let hash = scratch.latest_blockhash().await?;
        tx.message.set_recent_blockhash(hash);
        let outcome = scratch.process(tx).await?;
        let mut accounts = Vec::with_capacity(keys.len());
        for key in keys {
            accounts.push(scratch.account(*key).await);
        }
        Ok((outcome, accounts))
    }
}
