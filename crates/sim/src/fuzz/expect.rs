//! What the model expects of each drawn operation: the operation applied to
//! the model, or the exact refusal, wrong signers included (Anchor loads
//! every account of an instruction, composites first, before it checks the
//! constraints of the rest).

use super::model::{Expect, Model};
use super::ops::Op;
use super::world::{MARKETS, POOLS, USERS};
use crate::scenario::{Action, ChangeTarget, UnstakeSize};
use backstop_client::refusal::{AnchorError, BackstopError};

/// The system program's refusal to create an account that exists, as the
/// bank names it: natively program-test's system program answers
/// `InvalidInstructionData`; on the VM it is `AccountAlreadyInUse`, code 0
/// (another program's code, so named with its program).
const ALREADY_IN_USE: &[&str] = &[
    "InvalidInstructionData",
    "Custom(0) from 11111111111111111111111111111111",
];

/// Who may sign an action: the admin, the guardian or the admin, or its own
/// usual signer (the user it names, the operator, the keeper).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Authority {
    Admin,
    GuardianOrAdmin,
    Own,
}

impl Authority {
    pub(super) fn of(action: &Action) -> Authority {
        match action {
            Action::SetCap { .. }
            | Action::SetPool { .. }
            | Action::UpdateProtocol { .. }
            | Action::SetGuardian { .. }
            | Action::CreateMarket { .. }
            | Action::ProposeAdmin { .. }
            | Action::Freeze { .. }
            | Action::Unfreeze { .. }
            | Action::Unpause { .. }
            | Action::ProposePayout { .. }
            | Action::VoidBankruptcy { .. } => Authority::Admin,
            Action::Pause { .. } | Action::CancelChange { .. } | Action::CancelPayout { .. } => {
                Authority::GuardianOrAdmin
            }
            _ => Authority::Own,
        }
    }
}

impl Model {
    /// What the program should do with `op`, applied to the model.
    pub fn apply(&mut self, op: &Op) -> Expect {
        let pool = |a: &str| POOLS.iter().position(|p| *p == a).expect("a fuzz pool");
        let user = |w: &str| USERS.iter().position(|u| *u == w).expect("a fuzz user");
        let market = |n: &str| {
            MARKETS
                .iter()
                .position(|m| m.name == n)
                .expect("a fuzz market")
        };
        // the protocol's and a pool's accounts exist: their creation fails
        // as the account is loaded, whoever signs
        if matches!(
            op.action,
            Action::InitializeProtocol | Action::CreatePool { .. }
        ) {
            return Expect::TokenRefused(ALREADY_IN_USE);
        }
        if let Action::Wrap { who, asset, .. } = &op.action {
            self.prepare_wrap(user(who), pool(asset));
        }
        // who signs: the step's `by`, else the action's usual signer
        let admin = self.admin_name();
        let authority = Authority::of(&op.action);
        let signer = op.by.as_deref().unwrap_or(match authority {
            Authority::Admin => "admin",
            Authority::GuardianOrAdmin => "guardian",
            Authority::Own => "",
        });
        let by_admin = signer == admin;
        let may_sign = match authority {
            Authority::Admin => by_admin,
            Authority::GuardianOrAdmin => by_admin || signer == self.guardian_name(),
            Authority::Own => op.by.is_none(),
        };
        if !may_sign {
            return self.wrong_signer(&op.action);
        }
        match &op.action {
            Action::Stake { who, asset, amount } => {
                self.stake(user(who), pool(asset), *amount as u128)
            }
            Action::RequestUnstake {
                who,
                asset,
                size: UnstakeSize::Shares(n),
            } => self.request(user(who), pool(asset), *n),
            Action::CancelUnstake { who, asset } => self.cancel(user(who), pool(asset)),
            Action::CloseStake { who, asset } => self.close_stake(user(who), pool(asset)),
            Action::UpdateProtocol { governance_delay } => self.update_delay(*governance_delay),
            Action::CancelChange {
                target: ChangeTarget::GovernanceDelay,
            } => self.cancel_delay_change(),
            Action::SetGuardian { to } => self.set_guardian((to != "guardian").then(|| user(to))),
            Action::CancelChange {
                target: ChangeTarget::Guardian,
            } => self.cancel_guardian_change(),
            Action::ProposeAdmin { to } => self.propose_admin((to != "admin").then(|| user(to))),
            Action::AcceptAdmin { who } => self.accept_admin((who != "admin").then(|| user(who))),
            Action::ClearOwed {
                market: m,
                who,
                amount,
            } => self.clear_owed(market(m), user(who), *amount as u128),
            Action::CompleteUnstake { who, asset } => self.complete(user(who), pool(asset)),
            Action::Advance { seconds } => {
                self.advance(*seconds as i64);
                Expect::Ok
            }
            Action::Revenue { asset, amount } => self.revenue(pool(asset), *amount as u128),
            Action::Donate { asset, amount } => self.donate(pool(asset), *amount as u128),
            Action::Sweep { asset } => self.sweep(pool(asset)),
            Action::Sync { asset } => self.sync(pool(asset)),
            Action::Premium { market: m, amount } => self.premium(market(m), *amount as u128),
            Action::Deposit {
                market: m,
                who,
                amount,
            } => self.deposit(market(m), user(who), *amount as u128),
            Action::Withdraw {
                market: m,
                who,
                amount,
            } => self.withdraw(market(m), user(who), *amount as u128),
            Action::Position {
                market: m,
                who,
                base,
            } => self.position(market(m), user(who), *base),
            Action::Bankrupt {
                market: m,
                who,
                amount,
                exposure,
            } => self.bankrupt(market(m), user(who), *amount as u128, exposure.unwrap_or(0)),
            Action::Resolve { market: m, who } => self.resolve(market(m), user(who)),
            Action::SetCap { market: m, cap } => self.set_cap(market(m), *cap as u128),
            Action::SetPool { asset, update } => self.set_pool(pool(asset), update),
            Action::CancelChange {
                target: ChangeTarget::Pool(a),
            } => self.cancel_pool_change(pool(a)),
            Action::Freeze { market: m } => self.set_frozen(market(m), true),
            Action::Unfreeze { market: m } => self.set_frozen(market(m), false),
            Action::Pause { ops } => self.pause(ops.flags),
            Action::Unpause { ops } => self.unpause(ops.flags),
            Action::ProposePayout {
                asset,
                id,
                to,
                amount,
            } => self.propose_payout(pool(asset), *id, *amount as u128, user(to)),
            Action::ExecutePayout { asset, id } => self.execute_payout(pool(asset), *id),
            Action::CancelPayout { asset, id } => self.cancel_payout(pool(asset), *id, by_admin),
            Action::CancelChange {
                target: ChangeTarget::Market(m),
            } => self.cancel_cap_change(market(m)),
            Action::VoidBankruptcy { market: m, who } => self.void(market(m), user(who)),
            Action::CreateReceiptMint { asset } => self.create_receipt_mint(pool(asset)),
            Action::Wrap { who, asset, shares } => self.wrap(user(who), pool(asset), *shares),
            Action::Unwrap { who, asset, amount } => {
                self.unwrap(user(who), pool(asset), *amount as u128)
            }
            Action::SendReceipts {
                who,
                to,
                asset,
                amount,
            } => self.send_receipts(user(who), user(to), pool(asset), *amount as u128),
            Action::Seize { asset, amount } => self.seize(pool(asset), *amount as u128),
            Action::SetTransferFee { asset, fee_bps } => {
                self.set_transfer_fee(pool(asset), *fee_bps)
            }
            Action::SetTransferHook { asset, .. } => self.set_transfer_hook(pool(asset)),
            // `draw` never makes another action: one would show as a violation
            _ => Expect::Refused("NotModelled".into()),
        }
    }

    /// The exact refusal of an operation signed by another user than its
    /// owner (the first of the program's checks it fails, in the order
    /// Anchor runs them: account loading, then constraints, then the
    /// handler).
    fn wrong_signer(&self, action: &Action) -> Expect {
        let pool = |a: &str| POOLS.iter().position(|p| *p == a).expect("a fuzz pool");
        let user = |w: &str| USERS.iter().position(|u| *u == w).expect("a fuzz user");
        let market = |n: &str| MARKETS.iter().position(|m| m.name == n).expect("a market");
        match action {
            // the staker's token account is not the signer's
            Action::Stake { .. } => Expect::Refused(AnchorError::ConstraintTokenOwner.into()),
            // the stake is loaded first, then its address is checked
            // against the signer's
            Action::RequestUnstake { who, asset, .. }
            | Action::CloseStake { who, asset }
            | Action::CancelUnstake { who, asset }
            | Action::CompleteUnstake { who, asset } => {
                if self.stakes[pool(asset)][user(who)].exists {
                    Expect::Refused(AnchorError::ConstraintSeeds.into())
                } else {
                    Expect::Refused(AnchorError::AccountNotInitialized.into())
                }
            }
            // the operator's accounts (a composite) are checked before the
            // position is loaded
            Action::Deposit { .. }
            | Action::ClearOwed { .. }
            | Action::Withdraw { .. }
            | Action::Position { .. }
            | Action::Bankrupt { .. } => Expect::Refused(BackstopError::NotOperator.into()),
            // Anchor loads every account before it checks any constraint
            Action::VoidBankruptcy { market: m, who } => {
                if self.markets[market(m)].records[user(who)].is_some() {
                    Expect::Refused(BackstopError::NotAdmin.into())
                } else {
                    Expect::Refused(AnchorError::AccountNotInitialized.into())
                }
            }
            Action::CancelPayout { asset, id } => {
                // an id the run never proposed is refused before signing
                if self.pools[pool(asset)].payouts.contains_key(id) {
                    Expect::Refused(BackstopError::NotGuardianOrAdmin.into())
                } else {
                    Expect::NotSent(super::model_governance::NOT_PROPOSED)
                }
            }
            // the protocol's `has_one = admin`, or its guardian-or-admin
            // check, after every account has loaded
            other => match Authority::of(other) {
                Authority::Admin => Expect::Refused(BackstopError::NotAdmin.into()),
                Authority::GuardianOrAdmin => {
                    Expect::Refused(BackstopError::NotGuardianOrAdmin.into())
                }
                Authority::Own => Expect::Refused("NotModelled".into()),
            },
        }
    }
}
