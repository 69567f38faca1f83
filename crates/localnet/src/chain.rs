//! The node's chain: one block per transaction and one every 400 ms while
//! idle, as a validator makes one per slot. Each block moves the bank to
//! its next slot (a new blockhash; the last 150 stay valid), with the clock
//! at the wall-clock time plus what `backstop_advanceClock` added.
//!
//! Once no client has spoken for [`IDLE_AFTER`], the empty blocks stop
//! until one does: natively each block keeps about 160 KB (program-test
//! keeps every slot's sysvar writes, `SlotHistory`'s 128 KB among them, and
//! runs no accounts cleaner), about 1.4 GB an hour of a node left alone.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use solana_hash::Hash;

use crate::hub::Event;
use crate::node::Node;
use crate::wire::RpcError;

/// A validator's slot time.
pub(crate) const SLOT_DURATION: Duration = Duration::from_millis(400);

/// How long after the last request (HTTP or websocket) the node keeps
/// making empty blocks: past the 150 blocks (60 s) a client waits for its
/// blockhash to expire, with room to spare.
pub(crate) const IDLE_AFTER: Duration = Duration::from_secs(120);

/// How many blocks a blockhash stays valid after its own.
pub(crate) const BLOCKHASH_VALID_BLOCKS: u64 = 150;

/// A finished block.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub parent_slot: u64,
    pub block_height: u64,
    pub blockhash: Hash,
    pub previous_blockhash: Hash,
    pub block_time: i64,
    /// The transactions it holds, in order.
    pub signatures: Vec<String>,
}

/// The blocks made so far and what the next one needs.
pub(crate) struct Chain {
    pub blocks: BTreeMap<u64, Block>,
    /// The transactions of the slot not finished yet.
    pub open: Vec<String>,
    /// Seconds `backstop_advanceClock` added to the wall clock.
    pub clock_offset: i64,
    pub last_block_at: Instant,
    /// When a client last sent an HTTP request.
    pub last_request: Instant,
    /// Blockhashes handed out or made, with the block height they are from.
    pub blockhash_heights: HashMap<Hash, u64>,
}

impl Chain {
    pub fn new() -> Chain {
        Chain {
            blocks: BTreeMap::new(),
            open: Vec::new(),
            clock_offset: 0,
            last_block_at: Instant::now(),
            last_request: Instant::now(),
            blockhash_heights: HashMap::new(),
        }
    }

    /// The cluster's time: the wall clock plus what was added.
    pub fn now(&self) -> i64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        wall + self.clock_offset
    }
}

impl Node {
    /// Finishes the current slot as a block and moves the bank to the next.
    pub(crate) async fn finish_block(&mut self) -> Result<(), RpcError> {
        let slot = self.slot().await;
        let block_height = self.block_height().await;
        let block_time = self.bank.now().await;
        let previous_blockhash = self.recent_blockhash().await?;
        let now = self.chain.now().max(block_time);
        self.bank
            .advance_slot(now)
            .await
            .map_err(RpcError::server)?;
        let blockhash = self.recent_blockhash().await?;
        let parent_slot = self
            .chain
            .blocks
            .last_key_value()
            .map_or(slot.saturating_sub(1), |(s, _)| *s);
        self.chain
            .blockhash_heights
            .insert(blockhash, block_height + 1);
        let block = Block {
            parent_slot,
            block_height,
            blockhash,
            previous_blockhash,
            block_time,
            signatures: std::mem::take(&mut self.chain.open),
        };
        self.chain.blocks.insert(slot, block);
        self.chain.last_block_at = Instant::now();
        let next = self.slot().await;
        self.hub.publish(Event::Slot {
            slot: next,
            parent: slot,
        });
        Ok(())
    }

    /// Finishes the slot if it has lasted a slot's time and a client spoke
    /// within [`IDLE_AFTER`] (the server calls this between requests and
    /// when idle).
    pub(crate) async fn tick(&mut self) {
        let heard = match self.hub.last_message() {
            Some(ws) => ws.elapsed().min(self.chain.last_request.elapsed()),
            None => self.chain.last_request.elapsed(),
        };
        if self.chain.last_block_at.elapsed() >= SLOT_DURATION && heard < IDLE_AFTER {
            let _ = self.finish_block().await;
        }
    }

    /// Whether `hash` may still be named by a transaction.
    pub(crate) async fn blockhash_is_valid(&mut self, hash: &Hash) -> bool {
        let height = self.block_height().await;
        self.chain
            .blockhash_heights
            .get(hash)
            .is_some_and(|h| h + BLOCKHASH_VALID_BLOCKS >= height)
    }

    /// Refuses a request whose `minContextSlot` is ahead of the node (-32016).
    pub(crate) async fn check_min_context_slot(
        &mut self,
        min: Option<u64>,
    ) -> Result<(), RpcError> {
        let slot = self.slot().await;
        match min {
            Some(min) if min > slot => Err(RpcError::min_context_slot_not_reached(slot)),
            _ => Ok(()),
        }
    }

    /// The root: the last finished block.
    pub(crate) fn root(&self) -> u64 {
        self.chain.blocks.last_key_value().map_or(0, |(s, _)| *s)
    }
}

#[cfg(test)]
#[path = "chain_tests.rs"]
mod tests;
