//! Every transaction the clients build, sized on the wire. The CLI, the
//! keeper, the simulator, `deploy.ts` and the staking page all send these
//! instructions with these accounts (the Rust clients through
//! `backstop_client::ix`, the TypeScript ones from the IDL); the
//! TypeScript tests also size what `deploy.ts` sends, on the local node.

use backstop_bank::PYUSD_OPT_INS;
use backstop_client::ix::{self, Asset};
use backstop_client::pause;
use backstop_client::types::{
    CreateMarketArgs, ExposureMode, InitializeProtocolArgs, MarketField, MarketKind, MarketUpdate,
    PoolParams, PoolParamsUpdate, ProtocolField, ProtocolUpdate,
};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::Instruction;
use solana_pubkey::Pubkey;
use solana_transaction::Transaction;

/// The most a user, keeper or operator transaction may take, so that a host
/// can put its own instructions (a liquidation) beside Backstop's.
pub const USER_TX_BUDGET_BYTES: usize = 860;
/// The most any transaction may take on the wire (Solana's packet data).
pub const PACKET_BYTES: usize = 1_232;

/// Who sends a transaction, which decides its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// Stakers, keepers and market operators (hosts).
    User,
    /// The admin or guardian, possibly through a multisig.
    Governance,
}

impl Sender {
    pub fn budget_bytes(self) -> usize {
        match self {
            Sender::User => USER_TX_BUDGET_BYTES,
            Sender::Governance => PACKET_BYTES,
        }
    }
}

/// One transaction as a client sends it.
#[derive(Debug, Clone)]
pub struct TransactionSize {
    /// The instruction's name, with the variant when it has two shapes.
    pub label: &'static str,
    /// The instruction's name in the IDL.
    pub instruction: &'static str,
    pub sender: Sender,
    /// Accounts of Backstop's instruction.
    pub accounts: usize,
    /// Bytes on the wire with the two compute-budget instructions the CLI
    /// and the keeper add.
    pub bytes: usize,
    /// Governance only: the bare instruction's message with the multisig's
    /// vault as fee payer, which a multisig wraps in its own transaction.
    pub multisig_message_bytes: Option<usize>,
}

/// Wire size of a transaction: the signature count (a short vec), 64 bytes
/// per signature and the serialised message.
pub fn wire_size(ixs: &[Instruction], payer: &Pubkey) -> usize {
    let tx = Transaction::new_with_payer(ixs, Some(payer));
    let signatures = tx.message.header.num_required_signatures as usize;
    let short_vec_len = if signatures < 0x80 { 1 } else { 2 };
    short_vec_len + 64 * signatures + tx.message_data().len()
}

/// The compute-budget instructions the CLI and the keeper prepend: a unit
/// limit from simulation and a unit price.
pub fn compute_budget() -> [Instruction; 2] {
    [
        ComputeBudgetInstruction::set_compute_unit_limit(200_000),
        ComputeBudgetInstruction::set_compute_unit_price(1_000),
    ]
}

/// Every instruction, in its largest shape (Token-2022 accounts, optional
/// accounts present), sized as the clients send it.
pub fn transaction_sizes() -> Vec<TransactionSize> {
    let mut next = 0u8;
    let mut key = || {
        next += 1;
        Pubkey::new_from_array([next; 32])
    };
    let (signer, mint, treasury, tokens, settlement, debtor) =
        (key(), key(), key(), key(), key(), key());
    let (other, new_admin) = (key(), key());
    let asset = Asset::token_2022(mint);
    let market = CreateMarketArgs {
        index: 7,
        kind: MarketKind::Perp,
        operator: other,
        cap: u64::MAX,
        isolated: true,
        isolated_share_bps: 2_000,
        exposure_mode: ExposureMode::Aggregate,
    };
    let market_update = MarketUpdate {
        operator: Some(other),
        frozen: Some(true),
    };
    let protocol_update = ProtocolUpdate {
        guardian: Some(other),
        treasury: Some(other),
        governance_delay: Some(1),
    };
    let init = InitializeProtocolArgs {
        admin: other,
        guardian: other,
        treasury: other,
        governance_delay: 1,
    };
    use Sender::{Governance, User};
    let cases: Vec<(&'static str, Sender, Instruction)> = vec![
        ("stake", User, ix::stake(signer, asset, treasury, tokens, 1)),
        (
            "request_unstake",
            User,
            ix::request_unstake(signer, asset, treasury, 1),
        ),
        ("cancel_unstake", User, ix::cancel_unstake(signer, mint)),
        (
            "complete_unstake",
            User,
            ix::complete_unstake(signer, asset, tokens),
        ),
        ("close_stake", User, ix::close_stake(signer, mint)),
        (
            "create_receipt_mint",
            User,
            ix::create_receipt_mint(signer, mint, 7),
        ),
        ("wrap", User, ix::wrap(signer, mint, 7, u128::MAX)),
        (
            "unwrap",
            User,
            ix::unwrap(signer, mint, 7, tokens, u64::MAX),
        ),
        (
            "sweep_revenue",
            User,
            ix::sweep_revenue(signer, asset, treasury),
        ),
        ("sync_vault", User, ix::sync_vault(signer, asset)),
        (
            "pay_premium",
            User,
            ix::pay_premium(signer, tokens, 3, asset, true, 5),
        ),
        (
            "execute_payout",
            User,
            ix::execute_payout(signer, asset, 9, tokens),
        ),
        (
            "resolve_bankruptcy",
            User,
            ix::resolve_bankruptcy(signer, 3, asset, debtor, settlement, false),
        ),
        (
            "resolve_bankruptcy (isolated)",
            User,
            ix::resolve_bankruptcy(signer, 3, asset, debtor, settlement, true),
        ),
        (
            "record_deposit",
            User,
            ix::record_deposit(signer, signer, 3, debtor, 5),
        ),
        (
            "record_withdrawal",
            User,
            ix::record_withdrawal(signer, 3, debtor, 5),
        ),
        (
            "record_position",
            User,
            ix::record_position(signer, signer, 3, debtor, -5),
        ),
        ("clear_owed", User, ix::clear_owed(signer, 3, debtor, 5)),
        (
            "record_bankruptcy",
            User,
            ix::record_bankruptcy(signer, signer, 3, mint, debtor, 5, u128::MAX),
        ),
        (
            "initialize_protocol",
            Governance,
            ix::initialize_protocol(signer, init),
        ),
        (
            "create_pool",
            Governance,
            ix::create_pool(
                signer,
                signer,
                treasury,
                asset,
                PoolParams::default(),
                PYUSD_OPT_INS,
            ),
        ),
        (
            "set_pool",
            Governance,
            ix::set_pool(signer, mint, PoolParamsUpdate::default()),
        ),
        (
            "cancel_pool_change",
            Governance,
            ix::cancel_pool_change(signer, mint),
        ),
        (
            "void_bankruptcy",
            Governance,
            ix::void_bankruptcy(signer, 3, mint, debtor, signer),
        ),
        (
            "create_market",
            Governance,
            ix::create_market(signer, signer, asset, settlement, signer, market),
        ),
        (
            "set_market_cap",
            Governance,
            ix::set_market_cap(signer, 3, 5),
        ),
        (
            "update_market",
            Governance,
            ix::update_market(signer, 3, market_update, Some((settlement, signer))),
        ),
        (
            "cancel_market_change",
            Governance,
            ix::cancel_market_change(signer, 3, MarketField::Cap),
        ),
        (
            "update_protocol",
            Governance,
            ix::update_protocol(signer, protocol_update),
        ),
        (
            "cancel_protocol_change",
            Governance,
            ix::cancel_protocol_change(signer, ProtocolField::Guardian),
        ),
        ("pause", Governance, ix::pause(signer, pause::ALL)),
        ("unpause", Governance, ix::unpause(signer, pause::ALL)),
        (
            "propose_payout",
            Governance,
            ix::propose_payout(signer, signer, mint, 9, tokens, 5),
        ),
        (
            "cancel_payout",
            Governance,
            ix::cancel_payout(signer, mint, 9),
        ),
        (
            "propose_admin",
            Governance,
            ix::propose_admin(signer, new_admin),
        ),
        ("accept_admin", Governance, ix::accept_admin(signer)),
    ];
    cases
        .into_iter()
        .map(|(label, sender, i)| {
            let mut ixs = compute_budget().to_vec();
            ixs.push(i.clone());
            let multisig_message_bytes = (sender == Governance).then(|| {
                Transaction::new_with_payer(std::slice::from_ref(&i), Some(&signer))
                    .message_data()
                    .len()
            });
            TransactionSize {
                label,
                instruction: label.split(' ').next().unwrap_or(label),
                sender,
                accounts: i.accounts.len(),
                bytes: wire_size(&ixs, &signer),
                multisig_message_bytes,
            }
        })
        .collect()
}
