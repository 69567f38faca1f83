//! What crosses between the bank (3.x solana crates) and the `backstop-vm`
//! process (agave 4.x): plain bytes and integers, framed on a pipe.
//!
//! This file is compiled into both: `crates/vm` as a module and
//! `crates/bank` through `#[path]`, so the two sides cannot disagree on the
//! shape of a message. A frame is a little-endian `u32` length, then the
//! bincode of one [`Request`] or [`Response`].

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

/// A 32-byte address.
pub type Key = [u8; 32];

/// An account as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountBytes {
    pub lamports: u64,
    pub data: Vec<u8>,
    pub owner: Key,
    pub executable: bool,
}

/// The Clock sysvar's fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockState {
    pub slot: u64,
    pub epoch_start_timestamp: i64,
    pub epoch: u64,
    pub leader_schedule_epoch: u64,
    pub unix_timestamp: i64,
}

/// What the runtime reported for one transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// `None` when it succeeded; otherwise bincode of the
    /// `solana_transaction_error::TransactionError` (serde) it failed with,
    /// an encoding the 3.x and 4.x crates share.
    pub error: Option<Vec<u8>>,
    /// The error as the runtime displays it.
    pub error_text: Option<String>,
    /// The runtime's log lines, as a cluster writes them.
    pub logs: Vec<String>,
    pub compute_units: u64,
    /// Lamports charged to the fee payer.
    pub fee: u64,
    /// The calls each top-level instruction made into other programs, by
    /// instruction index (empty lists included).
    pub inner_instructions: Vec<Vec<InnerCall>>,
    /// The program's return data: the program and its bytes, when it set any.
    pub return_data: Option<(Key, Vec<u8>)>,
    /// A simulation's accounts as it left them (the transaction's keys);
    /// empty for a processed transaction.
    pub post_accounts: Vec<(Key, AccountBytes)>,
}

/// One call a top-level instruction made into another program, its
/// accounts given as indexes into the transaction's keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InnerCall {
    pub program_id_index: u8,
    pub accounts: Vec<u8>,
    pub data: Vec<u8>,
    /// 2 for a call made by a top-level instruction, 3 for one it made, ...
    pub stack_height: u8,
}

/// One call into the VM.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Request {
    AddUpgradeableProgram {
        program_id: Key,
        elf: Vec<u8>,
        upgrade_authority: Option<Key>,
    },
    /// A signed transaction's wire bytes, processed and kept.
    Send(Vec<u8>),
    /// A signed transaction's wire bytes, run without keeping its effects.
    Simulate(Vec<u8>),
    Account(Key),
    SetAccount(Key, AccountBytes),
    Clock,
    SetClock(ClockState),
    LatestBlockhash,
    ExpireBlockhash,
    /// Moves to the next slot: a new blockhash (the last 150 stay valid, as
    /// on a cluster), the Clock's slot and epoch, `SlotHashes`, and the
    /// clock's time set to the given unix timestamp.
    AdvanceSlot {
        unix_timestamp: i64,
    },
    MinimumBalance(u64),
}

/// The VM's answer to one [`Request`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    Done,
    Outcome(Outcome),
    Account(Option<AccountBytes>),
    Clock(ClockState),
    Blockhash(Key),
    Lamports(u64),
    /// The request could not be carried out (not a transaction, a program
    /// that does not load, ...).
    Failed(String),
}

/// Writes one frame.
pub fn write_frame<T: Serialize>(out: &mut impl Write, message: &T) -> io::Result<()> {
    let body = bincode::serialize(message).map_err(io::Error::other)?;
    let len = u32::try_from(body.len()).map_err(io::Error::other)?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&body)?;
    out.flush()
}

/// Reads one frame; `Ok(None)` at a clean end of the stream.
pub fn read_frame<T: for<'de> Deserialize<'de>>(input: &mut impl Read) -> io::Result<Option<T>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut body = vec![0u8; u32::from_le_bytes(len) as usize];
    input.read_exact(&mut body)?;
    bincode::deserialize(&body)
        .map(Some)
        .map_err(io::Error::other)
}
