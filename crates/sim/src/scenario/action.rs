//! What a step does, as types: one [`Action`] variant per `do` of
//! docs/scenarios.md with the fields it needs, and the [`Step`] around it.

use backstop_client::types::PoolParamsUpdate;

use super::step::Fields;

/// One `[[step]]`: its action, who signs instead of the usual signer, and
/// what it should come to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The `[[step]]` entry's line in the file (0 for generated steps).
    pub line: usize,
    pub action: Action,
    /// `by = NAME`: NAME signs instead of the step's usual signer.
    pub by: Option<String>,
    /// `"ok"` (the default) or the program error name the step should fail with.
    pub expect: String,
}

impl Step {
    /// A step with no line, the usual signer, expected to succeed.
    pub fn new(action: Action) -> Step {
        Step {
            line: 0,
            action,
            by: None,
            expect: "ok".to_string(),
        }
    }
}

/// `request_unstake` names either shares or an amount, converted at the
/// current price (rounded down) when the step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnstakeSize {
    Shares(u128),
    Amount(u64),
}

/// What a `cancel_change` drops: a market's pending cap raise, or a pool's
/// pending parameter change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeTarget {
    Market(String),
    Pool(String),
    /// The protocol's pending shortening of `governance_delay`.
    GovernanceDelay,
    /// The protocol's pending change of guardian.
    Guardian,
}

/// The operations a `pause` or `unpause` names: their flags, and their names
/// as the file wrote them (the readable report shows those).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseOps {
    pub flags: u16,
    pub names: Vec<String>,
}

/// One action per `do` of docs/scenarios.md. Names are scenario names (users,
/// assets, markets); amounts are base units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Stake {
        who: String,
        asset: String,
        amount: u64,
    },
    RequestUnstake {
        who: String,
        asset: String,
        size: UnstakeSize,
    },
    CancelUnstake {
        who: String,
        asset: String,
    },
    CompleteUnstake {
        who: String,
        asset: String,
    },
    /// `update_protocol` of `governance_delay` (admin): a longer delay takes
    /// effect at once, a shorter one waits the delay in effect.
    UpdateProtocol {
        governance_delay: u64,
    },
    /// `initialize_protocol` again, once the protocol exists: refused.
    InitializeProtocol,
    /// `create_pool` again for `asset`, whose pool exists: refused.
    CreatePool {
        asset: String,
    },
    /// `create_market` with `market`'s parameters at the next index: another
    /// market like it (admin).
    CreateMarket {
        market: String,
    },
    /// `update_protocol` of the guardian (admin): `to` (a user, or the
    /// `guardian` the world starts with) once the delay has passed.
    SetGuardian {
        to: String,
    },
    /// The admin proposes `to` as the next admin.
    ProposeAdmin {
        to: String,
    },
    /// `who` accepts the admin role it was proposed for.
    AcceptAdmin {
        who: String,
    },
    /// Closes `who`'s empty stake (or one of an older epoch).
    CloseStake {
        who: String,
        asset: String,
    },
    /// The operator clears `amount` of what `who`'s position owes.
    ClearOwed {
        market: String,
        who: String,
        amount: u64,
    },
    Advance {
        seconds: u64,
    },
    /// Tokens from the test mint authority.
    Mint {
        who: String,
        asset: String,
        amount: u64,
    },
    /// Minted to the keeper, then sent to the pool's revenue account.
    Revenue {
        asset: String,
        amount: u64,
    },
    /// Minted to the keeper, then sent straight into the pool's vault.
    Donate {
        asset: String,
        amount: u64,
    },
    Sweep {
        asset: String,
    },
    Sync {
        asset: String,
    },
    /// Minted to the keeper, paid with `pay_premium`.
    Premium {
        market: String,
        amount: u64,
    },
    Deposit {
        market: String,
        who: String,
        amount: u64,
    },
    Withdraw {
        market: String,
        who: String,
        amount: u64,
    },
    Position {
        market: String,
        who: String,
        base: i64,
    },
    /// `exposure`: an aggregate market's total exposure (omitted: 0).
    Bankrupt {
        market: String,
        who: String,
        amount: u64,
        exposure: Option<u128>,
    },
    Resolve {
        market: String,
        who: String,
    },
    SetCap {
        market: String,
        cap: u64,
    },
    SetPool {
        asset: String,
        update: PoolParamsUpdate,
    },
    Pause {
        ops: PauseOps,
    },
    Unpause {
        ops: PauseOps,
    },
    /// `id` names the payout within the scenario.
    ProposePayout {
        asset: String,
        id: u64,
        to: String,
        amount: u64,
    },
    ExecutePayout {
        asset: String,
        id: u64,
    },
    CancelPayout {
        asset: String,
        id: u64,
    },
    /// Drops a market's pending cap raise or a pool's pending parameters.
    CancelChange {
        target: ChangeTarget,
    },
    /// Closes an open record of a frozen market, nothing paid (admin).
    VoidBankruptcy {
        market: String,
        who: String,
    },
    /// The pool's receipt mint of its current epoch, created ahead of the
    /// epoch's first wrap (the keeper pays; nothing once it exists).
    CreateReceiptMint {
        asset: String,
    },
    /// Shares of `who`'s stake into receipt tokens of the current epoch.
    Wrap {
        who: String,
        asset: String,
        shares: u128,
    },
    /// Current-epoch receipt tokens back into shares of `who`'s stake.
    Unwrap {
        who: String,
        asset: String,
        amount: u64,
    },
    /// A plain token transfer of current-epoch receipts from `who` to `to`.
    SendReceipts {
        who: String,
        to: String,
        asset: String,
        amount: u64,
    },
    /// The mint's permanent delegate (its issuer) takes `amount` from the
    /// pool's vault: a shortfall until `sync` writes A down.
    Seize {
        asset: String,
        amount: u64,
    },
    /// The mint's fee authority sets its transfer fee (0 switches it off);
    /// the simulator moves the bank two epochs on, so it applies at once.
    SetTransferFee {
        asset: String,
        fee_bps: u16,
    },
    /// The hook authority names the tests' hook program (`true`: it lets
    /// every transfer through) or clears it.
    SetTransferHook {
        asset: String,
        hook: bool,
    },
    Freeze {
        market: String,
    },
    Unfreeze {
        market: String,
    },
    Snapshot {
        label: String,
    },
    /// Compares one figure of the state (a path of docs/scenarios.md §
    /// `check`) with the text the file expects; no transaction.
    Check {
        figure: String,
        equals: String,
    },
}

impl Action {
    /// An issuer's step (`seize`, `transfer_fee`, `transfer_hook`): its
    /// asset and the power of the mint it uses.
    pub fn issuer_power(&self) -> Option<(&str, super::MintFeature)> {
        use super::MintFeature;
        match self {
            Action::Seize { asset, .. } => Some((asset, MintFeature::PermanentDelegate)),
            Action::SetTransferFee { asset, .. } => Some((asset, MintFeature::TransferFee)),
            Action::SetTransferHook { asset, .. } => Some((asset, MintFeature::TransferHook)),
            _ => None,
        }
    }

    /// The action a step's `do` names, reading its fields in the order a
    /// missing one is reported; `None` for an unknown `do`.
    pub(super) fn parse(kind: &str, f: &mut Fields) -> Option<Action> {
        use Action::*;
        Some(match kind {
            "stake" => Stake {
                who: f.who(),
                asset: f.asset(),
                amount: f.amount(),
            },
            "request_unstake" => RequestUnstake {
                who: f.who(),
                asset: f.asset(),
                size: f.unstake_size(),
            },
            "update_protocol" => UpdateProtocol {
                governance_delay: f.governance_delay(),
            },
            "set_guardian" => SetGuardian { to: f.to() },
            "initialize_protocol" => InitializeProtocol,
            "create_pool" => CreatePool { asset: f.asset() },
            "create_market" => CreateMarket { market: f.market() },
            "propose_admin" => ProposeAdmin { to: f.to() },
            "accept_admin" => AcceptAdmin { who: f.who() },
            "close_stake" => CloseStake {
                who: f.who(),
                asset: f.asset(),
            },
            "clear_owed" => ClearOwed {
                market: f.market(),
                who: f.who(),
                amount: f.amount(),
            },
            "cancel_unstake" => CancelUnstake {
                who: f.who(),
                asset: f.asset(),
            },
            "complete_unstake" => CompleteUnstake {
                who: f.who(),
                asset: f.asset(),
            },
            "advance" => Advance {
                seconds: f.seconds(),
            },
            "mint" => Mint {
                who: f.who(),
                asset: f.asset(),
                amount: f.amount(),
            },
            "revenue" => Revenue {
                asset: f.asset(),
                amount: f.amount(),
            },
            "donate" => Donate {
                asset: f.asset(),
                amount: f.amount(),
            },
            "sweep" => Sweep { asset: f.asset() },
            "sync" => Sync { asset: f.asset() },
            "premium" => Premium {
                market: f.market(),
                amount: f.amount(),
            },
            "deposit" => Deposit {
                market: f.market(),
                who: f.who(),
                amount: f.amount(),
            },
            "withdraw" => Withdraw {
                market: f.market(),
                who: f.who(),
                amount: f.amount(),
            },
            "position" => Position {
                market: f.market(),
                who: f.who(),
                base: f.base(),
            },
            "bankrupt" => Bankrupt {
                market: f.market(),
                who: f.who(),
                amount: f.amount(),
                exposure: f.exposure(),
            },
            "resolve" => Resolve {
                market: f.market(),
                who: f.who(),
            },
            "set_cap" => SetCap {
                market: f.market(),
                cap: f.cap(),
            },
            "set_pool" => SetPool {
                asset: f.asset(),
                update: f.pool_update(),
            },
            "pause" => Pause { ops: f.ops() },
            "unpause" => Unpause { ops: f.ops() },
            "propose_payout" => ProposePayout {
                asset: f.asset(),
                id: f.id(),
                to: f.to(),
                amount: f.amount(),
            },
            "execute_payout" => ExecutePayout {
                asset: f.asset(),
                id: f.id(),
            },
            "cancel_payout" => CancelPayout {
                asset: f.asset(),
                id: f.id(),
            },
            "cancel_change" => CancelChange {
                target: f.change_target(),
            },
            "void_bankruptcy" => VoidBankruptcy {
                market: f.market(),
                who: f.who(),
            },
            "create_receipt_mint" => CreateReceiptMint { asset: f.asset() },
            "wrap" => Wrap {
                who: f.who(),
                asset: f.asset(),
                shares: f.shares(),
            },
            "unwrap" => Unwrap {
                who: f.who(),
                asset: f.asset(),
                amount: f.amount(),
            },
            "send_receipts" => SendReceipts {
                who: f.who(),
                to: f.to(),
                asset: f.asset(),
                amount: f.amount(),
            },
            "seize" => Seize {
                asset: f.asset(),
                amount: f.amount(),
            },
            "transfer_fee" => SetTransferFee {
                asset: f.asset(),
                fee_bps: f.fee_bps(),
            },
            "transfer_hook" => SetTransferHook {
                asset: f.asset(),
                hook: f.hook(),
            },
            "freeze" => Freeze { market: f.market() },
            "unfreeze" => Unfreeze { market: f.market() },
            "snapshot" => Snapshot { label: f.label() },
            "check" => Check {
                figure: f.figure(),
                equals: f.equals(),
            },
            _ => return None,
        })
    }
}
