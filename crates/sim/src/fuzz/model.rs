//! A pure model of the ledger and the waterfall, written from
//! docs/protocol.md (§4 share ledger, §5 sweep, §6 markets, §7 resolution, §8
//! governance), not from the program's code. The fuzzer applies every
//! operation here and in the program and compares outcomes and figures. All
//! arithmetic is exact in u128; the fuzzer bounds amounts so no product of two
//! of them overflows.

use super::model_params::Params;
use super::world::{MARKETS, POOLS, USERS};
use backstop_client::refusal::{BackstopError, Refusal};

/// The pause bits as docs/protocol.md §8.5 lists them. Written here from the
/// document, not imported: the model stays independent of backstop-core.
pub mod op {
    pub const STAKE: u16 = 1 << 0;
    pub const REQUEST_UNSTAKE: u16 = 1 << 1;
    pub const COMPLETE_UNSTAKE: u16 = 1 << 2;
    pub const SWEEP: u16 = 1 << 3;
    pub const PREMIUM: u16 = 1 << 4;
    pub const OPERATOR: u16 = 1 << 5;
    pub const RESOLVE: u16 = 1 << 6;
    pub const PAYOUT: u16 = 1 << 7;
}

const YEAR: u128 = 31_536_000;

/// What the model expects of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    Ok,
    /// Refused with this error.
    Refused(Refusal),
    /// Refused by the simulator before any transaction, with a message that
    /// starts with this (a payout id the run never proposed, after shrinking
    /// dropped its proposal).
    NotSent(&'static str),
    /// Refused by the token program in a call Backstop makes or takes no
    /// part in, with an error that depends on the token program's version
    /// (program-test's Token-2022 and LiteSVM's differ): one of these.
    TokenRefused(&'static [&'static str]),
}

#[derive(Debug, Clone, Default)]
pub struct Pool {
    pub a: u128,
    pub s: u128,
    pub h: u128,
    pub epoch: u32,
    pub last_sweep: i64,
    pub revenue: u128,
    pub vault: u128,
    pub treasury: (u128, u32),
    /// Shares of the current epoch held as receipt tokens.
    pub wrapped: u128,
    /// The parameters stored, and a change waiting for its eta.
    pub params: super::model_params::Params,
    pub pending_params: Option<(super::model_params::Params, i64)>,
    /// Epochs whose receipt mint exists (the first `wrap` of one creates it).
    pub receipt_mints: std::collections::BTreeSet<u32>,
    /// Open bankruptcy records on the markets this pool insures (isolated
    /// markets excepted): exits wait while any is open.
    pub open_records: u32,
    /// The exit clock: seconds during which this pool's exits were not
    /// blocked (neither `complete_unstake` paused nor a record open).
    pub exit_clock: i64,
    /// By the scenario's id: (amount, eta, pending, recipient).
    pub payouts: std::collections::BTreeMap<u64, (u128, i64, bool, usize)>,
    /// The mint's transfer fee in basis points (model_issuer).
    pub fee_bps: u128,
}

#[derive(Debug, Clone, Default)]
pub struct Stake {
    pub exists: bool,
    pub shares: u128,
    pub epoch: u32,
    pub request: Option<Request>,
}

/// A pending unstake request and the terms it keeps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request {
    pub shares: u128,
    pub value: u128,
    pub ts: i64,
    pub cooldown: i64,
    pub window: i64,
    /// The pool's exit clock when the request was made.
    pub exit_clock: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Market {
    /// The cap stored; a raise waits in `pending_cap` (value, eta) until an
    /// instruction that reads the market applies it.
    pub cap: u128,
    pub pending_cap: Option<(u128, i64)>,
    pub used: u128,
    pub index: u128,
    pub total_scaled: u128,
    pub loss_index: u128,
    pub oi: u128,
    pub socialised: u128,
    pub unrecovered: u128,
    pub isolated_assets: u128,
    pub frozen: bool,
    pub lenders: Vec<Option<u128>>,
    pub positions: Vec<Option<(i64, u128, u128)>>,
    pub records: Vec<Option<(u128, u128)>>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub now: i64,
    /// The protocol's `governance_delay` stored, and a shortening of it
    /// waiting for its eta.
    pub delay: i64,
    pub pending_delay: Option<(i64, i64)>,
    /// Whom the admin proposed as the next admin: `None` for nobody,
    /// `Some(None)` for the admin itself, `Some(Some(u))` for a user.
    pub pending_admin: Option<Option<usize>>,
    /// Who holds the admin role: `None` for the `admin` the world starts
    /// with, `Some(u)` for a user who accepted it.
    pub admin: Option<usize>,
    /// Who is the guardian (`None`: the `guardian` the world starts with),
    /// and a change of it waiting for its eta.
    pub guardian: Option<usize>,
    pub pending_guardian: Option<(Option<usize>, i64)>,
    pub paused: u16,
    pub pools: Vec<Pool>,
    pub stakes: Vec<Vec<Stake>>,
    pub markets: Vec<Market>,
    pub wallets: Vec<Vec<u128>>,
    /// By user and pool: the receipt token account of the epoch it was
    /// created in, and its balance.
    pub receipts: Vec<Vec<Option<(u32, u128)>>>,
}

impl Pool {
    pub(super) fn shares_for(&self, amount: u128) -> u128 {
        if self.s == 0 {
            amount
        } else {
            amount * self.s / self.a
        }
    }
    pub fn value_of(&self, n: u128) -> u128 {
        (n * self.a).checked_div(self.s).unwrap_or(0)
    }
    /// §5, the sweep, at `now`.
    pub(super) fn sweep(&mut self, now: i64, apr_bps: u128, cut_bps: u128) {
        let h = self.h.min(self.revenue);
        let fresh = self.revenue - h;
        let p = fresh * cut_bps / 10_000;
        let mut waiting = fresh - p + h;
        let elapsed = (now - self.last_sweep).max(0) as u128;
        let y = match (self.s, apr_bps) {
            (0, _) => 0,
            (_, 0) => waiting,
            _ => waiting.min(self.a * apr_bps * elapsed / (10_000 * YEAR)),
        };
        self.a += y;
        let minted = self.shares_for(p);
        let moved_p = if minted > 0 {
            self.a += p;
            self.s += minted;
            if self.treasury.1 != self.epoch {
                self.treasury = (0, self.epoch);
            }
            self.treasury.0 += minted;
            p
        } else {
            waiting += p;
            0
        };
        self.h = waiting - y;
        self.revenue -= y + moved_p;
        self.vault += y + moved_p;
        self.last_sweep = now;
    }
    /// Pays up to `amount` out of A, then the wipe-out rule; returns the paid.
    pub(super) fn pay_out(&mut self, amount: u128) -> u128 {
        let paid = amount.min(self.a);
        self.vault -= paid;
        self.lose(paid);
        paid
    }

    /// A falls by `loss` (paid out, or taken from the vault), then the
    /// wipe-out rule.
    pub(super) fn lose(&mut self, loss: u128) {
        self.a -= loss;
        if self.s > 0 && self.a * 1_000_000 < self.s {
            self.epoch += 1;
            self.s = 0;
            self.wrapped = 0;
            self.move_leftover();
        }
    }

    /// §4: what is left of A when S reaches 0 or the pool is wiped moves to
    /// revenue and joins H (H = min(H, R) + leftover): stakers' assets, never
    /// cut by the treasury.
    pub(super) fn move_leftover(&mut self) {
        self.h = self.h.min(self.revenue) + self.a;
        self.revenue += self.a - self.fee(self.a);
        self.vault -= self.a;
        self.a = 0;
    }
}

/// Parameters of the fuzz world's pools when it starts (world::header).
pub const PARAMS: [Params; 2] = [
    Params {
        cooldown: 86_400,
        window: 172_800,
        interval: 3_600,
        apr: 100_000,
        cut: 5_000,
        min_stake: 1,
    },
    Params {
        cooldown: 86_400,
        window: 0,
        interval: 3_600,
        apr: 0,
        cut: 1_000,
        min_stake: 1,
    },
];

impl Model {
    /// The world at `start`: creating a market raises its cap from 0, so
    /// with a delay the caps wait until `start + delay`.
    pub fn new(start: i64, wallet: u128, delay: i64) -> Model {
        let market = |cap| Market {
            pending_cap: Some((cap, start + delay)),
            index: 1_000_000_000_000_000_000,
            lenders: vec![None; USERS.len()],
            positions: vec![None; USERS.len()],
            records: vec![None; USERS.len()],
            ..Market::default()
        };
        let mut model = Model {
            now: start,
            delay,
            pending_delay: None,
            pending_admin: None,
            admin: None,
            guardian: None,
            pending_guardian: None,
            paused: 0,
            pools: PARAMS
                .iter()
                .map(|&params| Pool {
                    last_sweep: start,
                    params,
                    ..Pool::default()
                })
                .collect(),
            stakes: vec![vec![Stake::default(); USERS.len()]; POOLS.len()],
            markets: MARKETS.iter().map(|m| market(m.cap)).collect(),
            wallets: vec![vec![wallet; POOLS.len()]; USERS.len()],
            receipts: vec![vec![None; POOLS.len()]; USERS.len()],
        };
        for market in &mut model.markets {
            market.apply_due(start);
        }
        model
    }

    pub(super) fn paused(&self, flag: u16) -> bool {
        self.paused & flag != 0
    }

    /// A plain transfer into the revenue account: its fee stays withheld.
    pub fn revenue(&mut self, p: usize, amount: u128) -> Expect {
        let pool = &mut self.pools[p];
        pool.revenue += amount - pool.fee(amount);
        Expect::Ok
    }

    pub fn donate(&mut self, p: usize, amount: u128) -> Expect {
        let pool = &mut self.pools[p];
        pool.vault += amount - pool.fee(amount);
        Expect::Ok
    }

    pub fn sweep(&mut self, p: usize) -> Expect {
        if self.paused(op::SWEEP) {
            return Expect::Refused(BackstopError::OperationPaused.into());
        }
        let params = self.pools[p].params_at(self.now);
        if self.now < self.pools[p].last_sweep + params.interval {
            return Expect::Refused(BackstopError::SweepNotDue.into());
        }
        if let Some(refused) = self.shortfall(p).or_else(|| self.fee_refusal(p)) {
            return refused;
        }
        self.pools[p].apply_due_params(self.now);
        self.pools[p].sweep(self.now, params.apr, params.cut);
        Expect::Ok
    }

    /// A surplus (donations) moves to revenue; a shortfall writes A down.
    pub fn sync(&mut self, p: usize) -> Expect {
        if self.pools[p].short() {
            self.write_down(p);
            return Expect::Ok;
        }
        let pool = &mut self.pools[p];
        let surplus = pool.vault - pool.a;
        if surplus > 0
            && let Some(refused) = self.fee_refusal(p)
        {
            return refused;
        }
        let pool = &mut self.pools[p];
        pool.revenue += surplus - pool.fee(surplus);
        pool.vault = pool.a;
        Expect::Ok
    }

    pub fn premium(&mut self, m: usize, amount: u128) -> Expect {
        if self.paused(op::PREMIUM) {
            return Expect::Refused(BackstopError::OperationPaused.into());
        }
        let spec = &MARKETS[m];
        let p = spec.pool;
        if let Some(refused) = self.shortfall(p).or_else(|| self.fee_refusal(p)) {
            return refused;
        }
        let iso = if spec.isolated {
            amount * spec.isolated_bps as u128 / 10_000
        } else {
            0
        };
        self.markets[m].isolated_assets += iso;
        self.pools[spec.pool].revenue += amount - iso;
        Expect::Ok
    }

    /// The checks every operator record makes first.
    pub(super) fn operator_record(&self, m: usize, per_account: bool) -> Option<Expect> {
        if self.paused(op::OPERATOR) {
            return Some(Expect::Refused(BackstopError::OperationPaused.into()));
        }
        if self.markets[m].frozen {
            return Some(Expect::Refused(BackstopError::MarketFrozen.into()));
        }
        if per_account && MARKETS[m].aggregate {
            return Some(Expect::Refused(BackstopError::WrongExposureMode.into()));
        }
        None
    }
}
