//! The bank as a chain: its slot, block height and blockhashes, moving to
//! the next slot (the local node makes one block per transaction and one per
//! 400 ms), and the journal of what [`Bank::send`] processed.

use solana_clock::Clock;
use solana_commitment_config::CommitmentLevel;
use solana_epoch_schedule::EpochSchedule;
use solana_hash::Hash;
use solana_transaction::versioned::VersionedTransaction;

use crate::backend::Backend;
use crate::{Bank, Outcome};

impl Bank {
    /// The latest blockhash at `processed` commitment and the last block
    /// height it is valid for.
    pub async fn latest_blockhash_with_height(&mut self) -> Option<(Hash, u64)> {
        match &mut self.backend {
            Backend::Native(ctx) => ctx
                .banks_client
                .get_latest_blockhash_with_commitment(CommitmentLevel::Processed)
                .await
                .ok()
                .flatten(),
            Backend::Vm(vm) => {
                // The VM's blockhash lives until it is expired: valid 150
                // blocks from the current one, as a fresh one on a cluster.
                let hash = Hash::new_from_array(vm.vm.latest_blockhash());
                Some((hash, vm.clock().slot + 150))
            }
        }
    }

    /// The slot the bank is at.
    pub async fn slot(&mut self) -> u64 {
        match &mut self.backend {
            Backend::Native(ctx) => ctx.banks_client.get_root_slot().await.unwrap_or(0),
            Backend::Vm(vm) => vm.clock().slot,
        }
    }

    /// The block height (on the VM, which makes no blocks: the slot).
    pub async fn block_height(&mut self) -> u64 {
        match &mut self.backend {
            Backend::Native(ctx) => ctx.banks_client.get_root_block_height().await.unwrap_or(0),
            Backend::Vm(vm) => vm.clock().slot,
        }
    }

    /// The genesis hash (on the VM: its first blockhash).
    pub fn genesis_hash(&self) -> Hash {
        match &self.backend {
            Backend::Native(ctx) => ctx.genesis_config().hash(),
            Backend::Vm(vm) => vm.genesis,
        }
    }

    /// Moves to the next slot with the clock at `unix_timestamp`: a new
    /// block, a new blockhash (the last 150 stay valid), `SlotHashes` and the
    /// Clock's slot and epoch, as a cluster's next block.
    pub async fn advance_slot(&mut self, unix_timestamp: i64) -> Result<(), String> {
        self.forget_all();
        match &mut self.backend {
            Backend::Native(ctx) => {
                let slot = ctx
                    .banks_client
                    .get_root_slot()
                    .await
                    .map_err(|e| e.to_string())?;
                ctx.warp_to_slot(slot + 1).map_err(|e| format!("{e:?}"))?;
                let mut clock: Clock = ctx
                    .banks_client
                    .get_sysvar()
                    .await
                    .map_err(|e| e.to_string())?;
                clock.unix_timestamp = unix_timestamp;
                ctx.set_sysvar(&clock);
            }
            Backend::Vm(vm) => vm.vm.advance_slot(unix_timestamp)?,
        }
        self.refresh_blockhash().await;
        Ok(())
    }

    /// The cluster's epoch schedule (the sysvar).
    pub async fn epoch_schedule(&mut self) -> EpochSchedule {
        self.account(solana_sysvar::epoch_schedule::ID)
            .await
            .and_then(|a| bincode::deserialize(&a.data).ok())
            .unwrap_or_default()
    }

    /// Keeps every transaction [`Bank::send`] processes from now on.
    pub fn keep_journal(&mut self) {
        self.journal.get_or_insert_with(Vec::new);
    }

    /// The transactions kept since [`Bank::keep_journal`], oldest first.
    pub fn take_journal(&mut self) -> Vec<(VersionedTransaction, Outcome)> {
        self.journal.take().unwrap_or_default()
    }
}
