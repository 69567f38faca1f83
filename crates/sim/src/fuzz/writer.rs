//! A drawn operation as the lines of a scenario file's `[[step]]` (what a
//! shrunk failure is saved as; `roundtrip` proves the parser reads it back).

use crate::scenario::{Action, ChangeTarget, UnstakeSize};

/// An action's fields as scenario-file lines (`do` first).
pub(super) fn toml_fields(action: &Action) -> String {
    let q = |k: &str, v: &str| format!("{k} = \"{v}\"\n");
    let n = |k: &str, v: String| format!("{k} = {v}\n");
    // Numbers as strings: TOML's integers stop at i64::MAX.
    let num = |k: &str, v: &dyn std::fmt::Display| format!("{k} = \"{v}\"\n");
    let who_asset =
        |d: &str, who: &str, asset: &str| q("do", d) + &q("who", who) + &q("asset", asset);
    match action {
        Action::Stake { who, asset, amount } => {
            who_asset("stake", who, asset) + &n("amount", format!("\"{amount}\""))
        }
        Action::RequestUnstake { who, asset, size } => {
            let size = match size {
                UnstakeSize::Shares(s) => n("shares", format!("\"{s}\"")),
                UnstakeSize::Amount(a) => n("amount", format!("\"{a}\"")),
            };
            who_asset("request_unstake", who, asset) + &size
        }
        Action::CancelUnstake { who, asset } => who_asset("cancel_unstake", who, asset),
        Action::CompleteUnstake { who, asset } => who_asset("complete_unstake", who, asset),
        Action::CloseStake { who, asset } => who_asset("close_stake", who, asset),
        Action::UpdateProtocol { governance_delay } => {
            q("do", "update_protocol") + &num("governance_delay", governance_delay)
        }
        Action::SetGuardian { to } => q("do", "set_guardian") + &q("to", to),
        Action::InitializeProtocol => q("do", "initialize_protocol"),
        Action::CreatePool { asset } => q("do", "create_pool") + &q("asset", asset),
        Action::CreateMarket { market } => q("do", "create_market") + &q("market", market),
        Action::ProposeAdmin { to } => q("do", "propose_admin") + &q("to", to),
        Action::AcceptAdmin { who } => q("do", "accept_admin") + &q("who", who),
        Action::ClearOwed {
            market,
            who,
            amount,
        } => q("do", "clear_owed") + &q("market", market) + &q("who", who) + &num("amount", amount),
        Action::Advance { seconds } => q("do", "advance") + &num("seconds", seconds),
        Action::Mint { who, asset, amount } => {
            who_asset("mint", who, asset) + &num("amount", amount)
        }
        Action::Revenue { asset, amount } => {
            q("do", "revenue") + &q("asset", asset) + &num("amount", amount)
        }
        Action::Donate { asset, amount } => {
            q("do", "donate") + &q("asset", asset) + &num("amount", amount)
        }
        Action::Sweep { asset } => q("do", "sweep") + &q("asset", asset),
        Action::Sync { asset } => q("do", "sync") + &q("asset", asset),
        Action::Premium { market, amount } => {
            q("do", "premium") + &q("market", market) + &num("amount", amount)
        }
        Action::Deposit {
            market,
            who,
            amount,
        } => {
            q("do", "deposit")
                + &q("market", market)
                + &q("who", who)
                + &n("amount", format!("\"{amount}\""))
        }
        Action::Withdraw {
            market,
            who,
            amount,
        } => {
            q("do", "withdraw")
                + &q("market", market)
                + &q("who", who)
                + &n("amount", format!("\"{amount}\""))
        }
        Action::Position { market, who, base } => {
            q("do", "position")
                + &q("market", market)
                + &q("who", who)
                + &n("base", base.to_string())
        }
        Action::Bankrupt {
            market,
            who,
            amount,
            exposure,
        } => {
            let mut t = q("do", "bankrupt")
                + &q("market", market)
                + &q("who", who)
                + &num("amount", amount);
            if let Some(e) = exposure {
                t += &n("exposure", format!("\"{e}\""));
            }
            t
        }
        Action::Resolve { market, who } => {
            q("do", "resolve") + &q("market", market) + &q("who", who)
        }
        Action::SetCap { market, cap } => {
            q("do", "set_cap") + &q("market", market) + &n("cap", format!("\"{cap}\""))
        }
        Action::Pause { ops } | Action::Unpause { ops } => {
            let d = if matches!(action, Action::Pause { .. }) {
                "pause"
            } else {
                "unpause"
            };
            let names: Vec<String> = ops.names.iter().map(|o| format!("\"{o}\"")).collect();
            q("do", d) + &format!("ops = [{}]\n", names.join(", "))
        }
        Action::ProposePayout {
            asset,
            id,
            to,
            amount,
        } => {
            q("do", "propose_payout")
                + &q("asset", asset)
                + &num("id", id)
                + &q("to", to)
                + &num("amount", amount)
        }
        Action::ExecutePayout { asset, id } => {
            q("do", "execute_payout") + &q("asset", asset) + &num("id", id)
        }
        Action::CancelPayout { asset, id } => {
            q("do", "cancel_payout") + &q("asset", asset) + &num("id", id)
        }
        Action::Freeze { market } => q("do", "freeze") + &q("market", market),
        Action::Unfreeze { market } => q("do", "unfreeze") + &q("market", market),
        Action::CancelChange { target } => {
            q("do", "cancel_change")
                + &match target {
                    ChangeTarget::Market(market) => q("market", market),
                    ChangeTarget::Pool(asset) => q("asset", asset),
                    ChangeTarget::GovernanceDelay => q("field", "governance_delay"),
                    ChangeTarget::Guardian => q("field", "guardian"),
                }
        }
        Action::VoidBankruptcy { market, who } => {
            q("do", "void_bankruptcy") + &q("market", market) + &q("who", who)
        }
        Action::CreateReceiptMint { asset } => q("do", "create_receipt_mint") + &q("asset", asset),
        Action::Wrap { who, asset, shares } => {
            who_asset("wrap", who, asset) + &num("shares", shares)
        }
        Action::Unwrap { who, asset, amount } => {
            who_asset("unwrap", who, asset) + &num("amount", amount)
        }
        Action::SendReceipts {
            who,
            to,
            asset,
            amount,
        } => who_asset("send_receipts", who, asset) + &q("to", to) + &num("amount", amount),
        Action::Seize { asset, amount } => {
            q("do", "seize") + &q("asset", asset) + &num("amount", amount)
        }
        Action::SetTransferFee { asset, fee_bps } => {
            q("do", "transfer_fee") + &q("asset", asset) + &n("fee_bps", fee_bps.to_string())
        }
        Action::SetTransferHook { asset, hook } => {
            q("do", "transfer_hook") + &q("asset", asset) + &n("hook", hook.to_string())
        }
        Action::Snapshot { label } => q("do", "snapshot") + &q("label", label),
        Action::Check { figure, equals } => {
            q("do", "check") + &q("figure", figure) + &q("equals", equals)
        }
        Action::SetPool { asset, update } => {
            let mut t = q("do", "set_pool") + &q("asset", asset);
            for (key, value) in [
                ("cooldown", update.cooldown),
                ("window", update.window),
                ("sweep_interval", update.sweep_interval),
                ("max_apr_bps", update.max_apr_bps),
                ("protocol_cut_bps", update.protocol_cut_bps),
                ("min_stake", update.min_stake),
            ] {
                if let Some(v) = value {
                    t += &num(key, &v);
                }
            }
            t
        }
    }
}
