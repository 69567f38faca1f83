//! The `do` that names each action in a file and in the report, and the
//! fields the readable report's detail column shows for it.

use super::detail::Detail;
use super::{Action, ChangeTarget, UnstakeSize};

impl Action {
    /// The `do` that names this action in a file and in the report.
    pub fn name(&self) -> &'static str {
        self.describe_parts().0
    }

    pub(super) fn detail(&self) -> Detail<'_> {
        self.describe_parts().1
    }

    /// The action's name and the fields the readable report shows.
    fn describe_parts(&self) -> (&'static str, Detail<'_>) {
        use Action::*;
        let d = Detail::default();
        match self {
            Stake { who, asset, amount } => ("stake", d.who(who).asset(asset).amount(*amount)),
            RequestUnstake { who, asset, size } => {
                let d = d.who(who).asset(asset);
                let d = match size {
                    UnstakeSize::Shares(shares) => Detail {
                        shares: Some(*shares),
                        ..d
                    },
                    UnstakeSize::Amount(amount) => d.amount(*amount),
                };
                ("request_unstake", d)
            }
            CancelUnstake { who, asset } => ("cancel_unstake", d.who(who).asset(asset)),
            CloseStake { who, asset } => ("close_stake", d.who(who).asset(asset)),
            UpdateProtocol { governance_delay } => (
                "update_protocol",
                Detail {
                    seconds: Some(*governance_delay),
                    ..d
                },
            ),
            SetGuardian { to } => ("set_guardian", Detail { to: Some(to), ..d }),
            InitializeProtocol => ("initialize_protocol", d),
            CreatePool { asset } => ("create_pool", d.asset(asset)),
            CreateMarket { market } => ("create_market", d.market(market)),
            ProposeAdmin { to } => ("propose_admin", Detail { to: Some(to), ..d }),
            AcceptAdmin { who } => ("accept_admin", d.who(who)),
            ClearOwed {
                market,
                who,
                amount,
            } => ("clear_owed", d.who(who).market(market).amount(*amount)),
            CompleteUnstake { who, asset } => ("complete_unstake", d.who(who).asset(asset)),
            Advance { seconds } => (
                "advance",
                Detail {
                    seconds: Some(*seconds),
                    ..d
                },
            ),
            Mint { who, asset, amount } => ("mint", d.who(who).asset(asset).amount(*amount)),
            Revenue { asset, amount } => ("revenue", d.asset(asset).amount(*amount)),
            Donate { asset, amount } => ("donate", d.asset(asset).amount(*amount)),
            Sweep { asset } => ("sweep", d.asset(asset)),
            Sync { asset } => ("sync", d.asset(asset)),
            Premium { market, amount } => ("premium", d.market(market).amount(*amount)),
            Deposit {
                market,
                who,
                amount,
            } => ("deposit", d.who(who).market(market).amount(*amount)),
            Withdraw {
                market,
                who,
                amount,
            } => ("withdraw", d.who(who).market(market).amount(*amount)),
            Position { market, who, base } => (
                "position",
                Detail {
                    base: Some(*base),
                    ..d.who(who).market(market)
                },
            ),
            Bankrupt {
                market,
                who,
                amount,
                exposure,
            } => (
                "bankrupt",
                Detail {
                    exposure: *exposure,
                    ..d.who(who).market(market).amount(*amount)
                },
            ),
            Resolve { market, who } => ("resolve", d.who(who).market(market)),
            SetCap { market, cap } => (
                "set_cap",
                Detail {
                    cap: Some(*cap),
                    ..d.market(market)
                },
            ),
            SetPool { asset, .. } => ("set_pool", d.asset(asset)),
            Pause { ops } => (
                "pause",
                Detail {
                    ops: Some(&ops.names),
                    ..d
                },
            ),
            Unpause { ops } => (
                "unpause",
                Detail {
                    ops: Some(&ops.names),
                    ..d
                },
            ),
            ProposePayout {
                asset,
                id,
                to,
                amount,
            } => (
                "propose_payout",
                Detail {
                    to: Some(to),
                    ..d.asset(asset).amount(*amount).id(*id)
                },
            ),
            ExecutePayout { asset, id } => ("execute_payout", d.asset(asset).id(*id)),
            CancelPayout { asset, id } => ("cancel_payout", d.asset(asset).id(*id)),
            CancelChange {
                target: ChangeTarget::Market(market),
            } => ("cancel_change", d.market(market)),
            CancelChange {
                target: ChangeTarget::Pool(asset),
            } => ("cancel_change", d.asset(asset)),
            CancelChange {
                target: ChangeTarget::GovernanceDelay | ChangeTarget::Guardian,
            } => ("cancel_change", d),
            VoidBankruptcy { market, who } => ("void_bankruptcy", d.who(who).market(market)),
            CreateReceiptMint { asset } => ("create_receipt_mint", d.asset(asset)),
            Wrap { who, asset, shares } => (
                "wrap",
                Detail {
                    shares: Some(*shares),
                    ..d.who(who).asset(asset)
                },
            ),
            Unwrap { who, asset, amount } => ("unwrap", d.who(who).asset(asset).amount(*amount)),
            SendReceipts {
                who,
                to,
                asset,
                amount,
            } => (
                "send_receipts",
                Detail {
                    to: Some(to),
                    ..d.who(who).asset(asset).amount(*amount)
                },
            ),
            Seize { asset, amount } => ("seize", d.asset(asset).amount(*amount)),
            SetTransferFee { asset, fee_bps } => (
                "transfer_fee",
                Detail {
                    fee_bps: Some(*fee_bps),
                    ..d.asset(asset)
                },
            ),
            SetTransferHook { asset, hook } => (
                "transfer_hook",
                Detail {
                    hook: Some(*hook),
                    ..d.asset(asset)
                },
            ),
            Freeze { market } => ("freeze", d.market(market)),
            Unfreeze { market } => ("unfreeze", d.market(market)),
            Snapshot { .. } => ("snapshot", d),
            Check { .. } => ("check", d),
        }
    }
}
