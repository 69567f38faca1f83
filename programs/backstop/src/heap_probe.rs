//! The heap-probe build (`sbf/build --heap-probe`, feature `heap-probe`):
//! the same program behind an entrypoint that, after each call, logs the
//! bytes the call took from the 32 KiB heap. SBF's allocator never frees, so
//! that is the call's peak. `backstop bench --sbf` reads the line to report
//! each shape's heap on the VM; deployments use the plain build.

use anchor_lang::prelude::*;
use anchor_lang::solana_program::entrypoint::{HEAP_LENGTH, HEAP_START_ADDRESS, ProgramResult};

anchor_lang::solana_program::entrypoint!(probed_entry);

fn probed_entry<'info>(
    program_id: &'info Pubkey,
    accounts: &'info [AccountInfo<'info>],
    data: &'info [u8],
) -> ProgramResult {
    let result = crate::entry(program_id, accounts, data);
    // The default bump allocator keeps its cursor in the heap's first word
    // and allocates downward from the end; 0 means nothing was allocated.
    // SAFETY: the heap region is mapped for every SBF program invocation.
    let cursor = unsafe { *(HEAP_START_ADDRESS as *const usize) };
    let used = match cursor {
        0 => 0,
        c => HEAP_START_ADDRESS as usize + HEAP_LENGTH - c,
    };
    msg!("{}{} bytes", crate::constants::HEAP_PROBE_LOG, used);
    result
}
