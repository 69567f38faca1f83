//! The program's instructions by name: each one's Anchor discriminator, to
//! name an instruction from its data (decoded views, per-instruction figures).

use anchor_lang::Discriminator;
use backstop::instruction as data;

/// Every instruction of the program with its discriminator, in the order of
/// the program's dispatch.
pub const INSTRUCTIONS: &[(&str, &[u8])] = &[
    (
        "initialize_protocol",
        data::InitializeProtocol::DISCRIMINATOR,
    ),
    ("propose_admin", data::ProposeAdmin::DISCRIMINATOR),
    ("accept_admin", data::AcceptAdmin::DISCRIMINATOR),
    ("update_protocol", data::UpdateProtocol::DISCRIMINATOR),
    (
        "cancel_protocol_change",
        data::CancelProtocolChange::DISCRIMINATOR,
    ),
    ("pause", data::Pause::DISCRIMINATOR),
    ("unpause", data::Unpause::DISCRIMINATOR),
    ("create_pool", data::CreatePool::DISCRIMINATOR),
    ("set_pool", data::SetPool::DISCRIMINATOR),
    ("cancel_pool_change", data::CancelPoolChange::DISCRIMINATOR),
    ("propose_payout", data::ProposePayout::DISCRIMINATOR),
    ("execute_payout", data::ExecutePayout::DISCRIMINATOR),
    ("cancel_payout", data::CancelPayout::DISCRIMINATOR),
    ("create_market", data::CreateMarket::DISCRIMINATOR),
    ("set_market_cap", data::SetMarketCap::DISCRIMINATOR),
    ("update_market", data::UpdateMarket::DISCRIMINATOR),
    (
        "cancel_market_change",
        data::CancelMarketChange::DISCRIMINATOR,
    ),
    ("stake", data::Stake::DISCRIMINATOR),
    ("request_unstake", data::RequestUnstake::DISCRIMINATOR),
    ("cancel_unstake", data::CancelUnstake::DISCRIMINATOR),
    ("complete_unstake", data::CompleteUnstake::DISCRIMINATOR),
    (
        "create_receipt_mint",
        data::CreateReceiptMint::DISCRIMINATOR,
    ),
    ("wrap", data::Wrap::DISCRIMINATOR),
    ("unwrap", data::Unwrap::DISCRIMINATOR),
    ("close_stake", data::CloseStake::DISCRIMINATOR),
    ("sweep_revenue", data::SweepRevenue::DISCRIMINATOR),
    ("sync_vault", data::SyncVault::DISCRIMINATOR),
    ("pay_premium", data::PayPremium::DISCRIMINATOR),
    ("resolve_bankruptcy", data::ResolveBankruptcy::DISCRIMINATOR),
    ("record_deposit", data::RecordDeposit::DISCRIMINATOR),
    ("record_withdrawal", data::RecordWithdrawal::DISCRIMINATOR),
    ("record_position", data::RecordPosition::DISCRIMINATOR),
    ("clear_owed", data::ClearOwed::DISCRIMINATOR),
    ("record_bankruptcy", data::RecordBankruptcy::DISCRIMINATOR),
    ("void_bankruptcy", data::VoidBankruptcy::DISCRIMINATOR),
];

/// The name of the instruction whose data starts with its discriminator.
pub fn instruction_name(data: &[u8]) -> Option<&'static str> {
    INSTRUCTIONS
        .iter()
        .find(|(_, d)| data.starts_with(d))
        .map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_instruction_is_named_once() {
        assert_eq!(INSTRUCTIONS.len(), 35);
        // the same instructions as the IDL's
        let idl: serde_json::Value =
            serde_json::from_str(include_str!("../../../idl/backstop.json")).expect("the IDL");
        let mut names: Vec<&str> = idl["instructions"]
            .as_array()
            .expect("instructions")
            .iter()
            .map(|i| i["name"].as_str().expect("a name"))
            .collect();
        let mut ours: Vec<&str> = INSTRUCTIONS.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        ours.sort_unstable();
        assert_eq!(ours, names);
        for (i, (name, d)) in INSTRUCTIONS.iter().enumerate() {
            assert_eq!(instruction_name(d), Some(*name));
            assert!(INSTRUCTIONS[i + 1..].iter().all(|(_, other)| other != d));
        }
        let stake = crate::ix::stake(
            Default::default(),
            anchor_lang::prelude::Pubkey::default(),
            Default::default(),
            Default::default(),
            5,
        );
        assert_eq!(instruction_name(&stake.data), Some("stake"));
    }
}
