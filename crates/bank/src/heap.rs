//! Heap used by one instruction of the program, measured natively.
//!
//! On SBF a program gets a 32 KiB heap served by a bump allocator: memory
//! freed during an instruction is never reused, so what counts is every byte
//! allocated between entering and leaving the entrypoint. [`MeteredAllocator`]
//! counts exactly that, and also the peak of live bytes. Only allocations
//! made inside the program's entrypoint count: the bank's processor shim arms
//! the meter around `backstop::entry`, and [`pause_metering_during_cpi`] lets
//! a CPI's harness work (program-test copying accounts) go uncounted. The
//! same shim counts the CPIs the instruction makes and how deep they reach.
//! The binary that wants the figures installs the allocator with
//! `#[global_allocator] static A: MeteredAllocator = MeteredAllocator;` and
//! calls [`start_heap_log`] before the instructions to measure; the allocator
//! also keeps the whole process's peak ([`process_peak_bytes`]).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock};

use anchor_lang::prelude::{AccountInfo, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;
use solana_instruction::Instruction;
use solana_sysvar::program_stubs::{SyscallStubs, set_syscall_stubs};

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static TOTAL: Cell<usize> = const { Cell::new(0) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static CPIS: Cell<usize> = const { Cell::new(0) };
    static DEEPEST_CALLEE: Cell<u64> = const { Cell::new(0) };
}

/// Live bytes of the whole process, and their peak.
static PROCESS_LIVE: AtomicUsize = AtomicUsize::new(0);
static PROCESS_PEAK: AtomicUsize = AtomicUsize::new(0);

/// The most bytes the whole process had allocated at once (0 unless
/// [`MeteredAllocator`] is the global allocator).
pub fn process_peak_bytes() -> usize {
    PROCESS_PEAK.load(Ordering::Relaxed)
}

/// The system allocator, counting while a program instruction runs.
pub struct MeteredAllocator;

unsafe impl GlobalAlloc for MeteredAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        record(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A bump allocator serves a grown buffer with fresh memory.
        record(new_size as isize);
        record(-(layout.size() as isize));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn record(bytes: isize) {
    if bytes >= 0 {
        let now = PROCESS_LIVE.fetch_add(bytes as usize, Ordering::Relaxed) + bytes as usize;
        PROCESS_PEAK.fetch_max(now, Ordering::Relaxed);
    } else {
        PROCESS_LIVE.fetch_sub(bytes.unsigned_abs(), Ordering::Relaxed);
    }
    // `try_with`: the allocator also runs while thread-locals are torn down.
    let _ = ARMED.try_with(|armed| {
        if !armed.get() {
            return;
        }
        if bytes > 0 {
            TOTAL.with(|t| t.set(t.get() + bytes as usize));
        }
        LIVE.with(|live| {
            let now = live.get() + bytes;
            live.set(now);
            PEAK.with(|p| p.set(p.get().max(now)));
        });
    });
}

/// What one instruction of the program allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeapUse {
    /// The instruction's 8-byte Anchor discriminator.
    pub discriminator: [u8; 8],
    /// Every byte allocated: what a bump allocator (SBF's) consumes.
    pub total_bytes: usize,
    /// The most bytes live at once.
    pub peak_live_bytes: usize,
    /// Cross-program invocations the instruction made.
    pub cpis: usize,
    /// Levels of the instruction stack the instruction occupies, itself
    /// included: 1 without CPI, 2 when it calls a program that calls nothing.
    pub depth_used: u64,
}

static LOG: Mutex<Vec<HeapUse>> = Mutex::new(Vec::new());
/// Whether instructions are metered and logged: only once a reader asked
/// ([`start_heap_log`]), so a long run (a fuzz campaign, the local node)
/// keeps no log nobody reads.
static COLLECTING: AtomicBool = AtomicBool::new(false);

/// Empties the log and meters every instruction from now on.
pub fn start_heap_log() {
    LOG.lock().expect("heap log").clear();
    COLLECTING.store(true, Ordering::SeqCst);
}

/// Runs one instruction of the program, with the meter armed and what it
/// allocated logged once [`start_heap_log`] was called (the figures are
/// only non-zero when [`MeteredAllocator`] is the global allocator).
pub fn metered<R>(data: &[u8], run: impl FnOnce() -> R) -> R {
    // The stubs also carry the program's events to the logs: always needed.
    pause_metering_during_cpi();
    if !COLLECTING.load(Ordering::Relaxed) {
        return run();
    }
    TOTAL.with(|t| t.set(0));
    LIVE.with(|l| l.set(0));
    PEAK.with(|p| p.set(0));
    CPIS.with(|c| c.set(0));
    let height = stack_height();
    DEEPEST_CALLEE.with(|d| d.set(height));
    ARMED.with(|a| a.set(true));
    let result = run();
    ARMED.with(|a| a.set(false));
    let mut discriminator = [0u8; 8];
    let n = data.len().min(8);
    discriminator[..n].copy_from_slice(&data[..n]);
    let usage = HeapUse {
        discriminator,
        total_bytes: TOTAL.with(Cell::get),
        peak_live_bytes: PEAK.with(Cell::get).max(0) as usize,
        cpis: CPIS.with(Cell::get),
        depth_used: DEEPEST_CALLEE.with(Cell::get).saturating_sub(height) + 1,
    };
    if usage.total_bytes > 0 {
        LOG.lock().expect("heap log").push(usage);
    }
    result
}

/// Takes what has been logged since the last call (or [`start_heap_log`]).
pub fn take_heap_log() -> Vec<HeapUse> {
    std::mem::take(&mut *LOG.lock().expect("heap log"))
}

/// Wraps program-test's syscall stubs once, so that the harness's own work
/// for a CPI (it copies the accounts in and out) is not counted as the
/// program's heap: on SBF a CPI's bookkeeping is the runtime's, not the heap.
pub fn pause_metering_during_cpi() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // program-test installed its stubs when the first bank started; ours
        // wrap them (a syscall in the instant between waits for them).
        let inner = set_syscall_stubs(Box::new(Passthrough));
        let _ = INNER.set(inner);
    });
}

static INNER: OnceLock<Box<dyn SyscallStubs>> = OnceLock::new();

/// The instruction stack's height where the program runs now (1 for an
/// instruction of the transaction itself).
fn stack_height() -> u64 {
    INNER.get().map_or(1, |inner| inner.sol_get_stack_height())
}

/// Forwards every syscall to program-test's stubs, unmetered: on SBF the
/// runtime, not the program's heap, does that work. Events (`sol_log_data`),
/// which program-test drops, go to the logs (see `crate::logs`).
struct Passthrough;

impl Passthrough {
    fn inner(&self) -> &dyn SyscallStubs {
        loop {
            if let Some(inner) = INNER.get() {
                return inner.as_ref();
            }
            std::thread::yield_now();
        }
    }
}

fn unmetered<R>(run: impl FnOnce() -> R) -> R {
    let armed = ARMED.with(|a| a.replace(false));
    let result = run();
    ARMED.with(|a| a.set(armed));
    result
}

impl SyscallStubs for Passthrough {
    fn sol_log(&self, message: &str) {
        unmetered(|| self.inner().sol_log(message))
    }
    fn sol_log_compute_units(&self) {
        unmetered(|| self.inner().sol_log_compute_units())
    }
    fn sol_remaining_compute_units(&self) -> u64 {
        unmetered(|| self.inner().sol_remaining_compute_units())
    }
    fn sol_invoke_signed(
        &self,
        instruction: &Instruction,
        account_infos: &[AccountInfo],
        signers_seeds: &[&[&[u8]]],
    ) -> ProgramResult {
        if ARMED.with(Cell::get) {
            // The callee runs one level above the caller.
            let callee = unmetered(|| self.inner().sol_get_stack_height()) + 1;
            CPIS.with(|c| c.set(c.get() + 1));
            DEEPEST_CALLEE.with(|d| d.set(d.get().max(callee)));
        }
        unmetered(|| {
            self.inner()
                .sol_invoke_signed(instruction, account_infos, signers_seeds)
        })
    }
    fn sol_get_sysvar(&self, id: *const u8, var: *mut u8, offset: u64, length: u64) -> u64 {
        unmetered(|| self.inner().sol_get_sysvar(id, var, offset, length))
    }
    fn sol_get_clock_sysvar(&self, var: *mut u8) -> u64 {
        unmetered(|| self.inner().sol_get_clock_sysvar(var))
    }
    fn sol_get_epoch_schedule_sysvar(&self, var: *mut u8) -> u64 {
        unmetered(|| self.inner().sol_get_epoch_schedule_sysvar(var))
    }
    fn sol_get_fees_sysvar(&self, var: *mut u8) -> u64 {
        unmetered(|| self.inner().sol_get_fees_sysvar(var))
    }
    fn sol_get_rent_sysvar(&self, var: *mut u8) -> u64 {
        unmetered(|| self.inner().sol_get_rent_sysvar(var))
    }
    fn sol_get_epoch_rewards_sysvar(&self, var: *mut u8) -> u64 {
        unmetered(|| self.inner().sol_get_epoch_rewards_sysvar(var))
    }
    fn sol_get_last_restart_slot(&self, var: *mut u8) -> u64 {
        unmetered(|| self.inner().sol_get_last_restart_slot(var))
    }
    fn sol_get_epoch_stake(&self, vote: *const u8) -> u64 {
        unmetered(|| self.inner().sol_get_epoch_stake(vote))
    }
    unsafe fn sol_memcpy(&self, dst: *mut u8, src: *const u8, n: usize) {
        unmetered(|| unsafe { self.inner().sol_memcpy(dst, src, n) })
    }
    unsafe fn sol_memmove(&self, dst: *mut u8, src: *const u8, n: usize) {
        unmetered(|| unsafe { self.inner().sol_memmove(dst, src, n) })
    }
    unsafe fn sol_memcmp(&self, s1: *const u8, s2: *const u8, n: usize, result: *mut i32) {
        unmetered(|| unsafe { self.inner().sol_memcmp(s1, s2, n, result) })
    }
    unsafe fn sol_memset(&self, s: *mut u8, c: u8, n: usize) {
        unmetered(|| unsafe { self.inner().sol_memset(s, c, n) })
    }
    fn sol_get_return_data(&self) -> Option<(Pubkey, Vec<u8>)> {
        unmetered(|| self.inner().sol_get_return_data())
    }
    fn sol_set_return_data(&self, data: &[u8]) {
        unmetered(|| self.inner().sol_set_return_data(data))
    }
    fn sol_log_data(&self, fields: &[&[u8]]) {
        // program-test has no stub for it: log the fields through its
        // `sol_log`, marked, and `runtime_logs` writes the runtime's line.
        unmetered(|| self.inner().sol_log(&crate::logs::marked_data(fields)))
    }
    fn sol_get_processed_sibling_instruction(&self, index: usize) -> Option<Instruction> {
        unmetered(|| self.inner().sol_get_processed_sibling_instruction(index))
    }
    fn sol_get_stack_height(&self) -> u64 {
        unmetered(|| self.inner().sol_get_stack_height())
    }
}
