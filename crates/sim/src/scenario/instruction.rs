//! Which Backstop instruction each scenario action sends (the fuzzer counts
//! its coverage by instruction): one table, by action.

use super::{Action, ChangeTarget};

impl Action {
    /// The program instruction the action sends, by its IDL name; `None`
    /// for an action that sends none of the program's (the clock, token
    /// transfers and mints, a snapshot).
    pub fn instruction(&self) -> Option<&'static str> {
        use Action::*;
        Some(match self {
            Stake { .. } => "stake",
            RequestUnstake { .. } => "request_unstake",
            CancelUnstake { .. } => "cancel_unstake",
            CloseStake { .. } => "close_stake",
            UpdateProtocol { .. } | SetGuardian { .. } => "update_protocol",
            InitializeProtocol => "initialize_protocol",
            CreatePool { .. } => "create_pool",
            CreateMarket { .. } => "create_market",
            ProposeAdmin { .. } => "propose_admin",
            AcceptAdmin { .. } => "accept_admin",
            CancelChange {
                target: ChangeTarget::GovernanceDelay | ChangeTarget::Guardian,
            } => "cancel_protocol_change",
            ClearOwed { .. } => "clear_owed",
            CompleteUnstake { .. } => "complete_unstake",
            Sweep { .. } => "sweep_revenue",
            Sync { .. } => "sync_vault",
            Premium { .. } => "pay_premium",
            Deposit { .. } => "record_deposit",
            Withdraw { .. } => "record_withdrawal",
            Position { .. } => "record_position",
            Bankrupt { .. } => "record_bankruptcy",
            Resolve { .. } => "resolve_bankruptcy",
            SetCap { .. } => "set_market_cap",
            SetPool { .. } => "set_pool",
            Pause { .. } => "pause",
            Unpause { .. } => "unpause",
            ProposePayout { .. } => "propose_payout",
            ExecutePayout { .. } => "execute_payout",
            CancelPayout { .. } => "cancel_payout",
            CancelChange {
                target: ChangeTarget::Market(_),
            } => "cancel_market_change",
            CancelChange {
                target: ChangeTarget::Pool(_),
            } => "cancel_pool_change",
            VoidBankruptcy { .. } => "void_bankruptcy",
            CreateReceiptMint { .. } => "create_receipt_mint",
            Wrap { .. } => "wrap",
            Unwrap { .. } => "unwrap",
            Freeze { .. } | Unfreeze { .. } => "update_market",
            Advance { .. }
            | Mint { .. }
            | Revenue { .. }
            | Donate { .. }
            | SendReceipts { .. }
            | Seize { .. }
            | SetTransferFee { .. }
            | SetTransferHook { .. }
            | Snapshot { .. }
            | Check { .. } => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_instruction_named_is_in_the_idl() {
        let idl: serde_json::Value =
            serde_json::from_str(include_str!("../../../../idl/backstop.json")).unwrap();
        let names: Vec<&str> = idl["instructions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap())
            .collect();
        let actions = [
            Action::Stake {
                who: "a".into(),
                asset: "x".into(),
                amount: 1,
            },
            Action::Sweep { asset: "x".into() },
            Action::CancelChange {
                target: ChangeTarget::Pool("x".into()),
            },
            Action::Freeze { market: "m".into() },
        ];
        for action in &actions {
            let name = action.instruction().unwrap();
            assert!(names.contains(&name), "{name}");
        }
        assert_eq!(Action::Advance { seconds: 1 }.instruction(), None);
    }
}
