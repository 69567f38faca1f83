//! Reads remembered until they can have changed, when asked for
//! ([`Bank::cache_reads`]): the simulator and the fuzzer read every account
//! of their world after each step, and each read through program-test's
//! client is a round trip through its RPC layer. A transaction can only
//! change accounts its message names (the runtime refuses a write to any
//! other), so after each one the bank forgets exactly those; anything that
//! writes past transactions (`set_account`, the clock, a new slot) forgets
//! what it touched, or everything.

use std::collections::BTreeMap;

use solana_account::Account;
use solana_pubkey::Pubkey;
use solana_transaction::versioned::VersionedTransaction;

use crate::Bank;

/// Accounts as last read (`None`: it did not exist).
#[derive(Default)]
pub(crate) struct ReadCache(BTreeMap<Pubkey, Option<Account>>);

impl Bank {
    /// Remembers reads from now on (`true`), or stops and forgets them.
    pub fn cache_reads(&mut self, on: bool) {
        self.reads = on.then(ReadCache::default);
    }

    /// The remembered read of `key`, if any.
    pub(crate) fn cached(&self, key: &Pubkey) -> Option<Option<Account>> {
        self.cached_ref(key).map(|a| a.cloned())
    }

    /// The same, without copying the account.
    pub(crate) fn cached_ref(&self, key: &Pubkey) -> Option<Option<&Account>> {
        self.reads.as_ref()?.0.get(key).map(Option::as_ref)
    }

    /// Reads `key` into the cache (when on) and applies `f` to it, without
    /// copying a remembered account.
    pub(crate) async fn read_with<T>(
        &mut self,
        key: Pubkey,
        f: impl FnOnce(Option<&Account>) -> T,
    ) -> T {
        if let Some(read) = self.cached_ref(&key) {
            return f(read);
        }
        let account = self.account(key).await;
        f(account.as_ref())
    }

    pub(crate) fn remember(&mut self, key: Pubkey, account: &Option<Account>) {
        if let Some(reads) = &mut self.reads {
            reads.0.insert(key, account.clone());
        }
    }

    /// Forgets every account `tx` names; all of them when it loads more
    /// through address lookup tables.
    pub(crate) fn forget_accounts_of(&mut self, tx: &VersionedTransaction) {
        let Some(reads) = &mut self.reads else {
            return;
        };
        if tx
            .message
            .address_table_lookups()
            .is_some_and(|l| !l.is_empty())
        {
            reads.0.clear();
            return;
        }
        for key in tx.message.static_account_keys() {
            reads.0.remove(key);
        }
    }

    pub(crate) fn forget(&mut self, key: &Pubkey) {
        if let Some(reads) = &mut self.reads {
            reads.0.remove(key);
        }
    }

    /// After the clock or the slot moved: sysvars, and anything read
    /// through them, are read again.
    pub(crate) fn forget_all(&mut self) {
        if let Some(reads) = &mut self.reads {
            reads.0.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_keypair::Keypair;
    use solana_signer::Signer;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime")
    }

    #[test]
    fn a_cached_read_follows_every_transaction_and_set_account() {
        runtime().block_on(async {
            let mut bank = Bank::start(1_700_000_000).await;
            bank.cache_reads(true);
            let to = Keypair::new().pubkey();
            const SOL: u64 = crate::LAMPORTS_PER_SOL;
            assert_eq!(bank.lamports(to).await, 0);
            bank.airdrop(to, SOL).await.expect("airdrop");
            assert_eq!(bank.lamports(to).await, SOL);
            bank.airdrop(to, 7).await.expect("airdrop");
            assert_eq!(bank.lamports(to).await, SOL + 7);
            let mut account = bank.account(to).await.expect("exists");
            account.lamports = 2 * SOL;
            bank.set_account(to, account);
            assert_eq!(bank.lamports(to).await, 2 * SOL);
            // a refused transaction still charges its fee payer
            let payer = bank.payer_pubkey();
            let before = bank.lamports(payer).await;
            assert!(bank.airdrop(Keypair::new().pubkey(), 1).await.is_err());
            assert!(bank.lamports(payer).await < before);
            bank.cache_reads(false);
            assert_eq!(bank.lamports(to).await, 2 * SOL);
        });
    }
}
