//! What the node records of a transaction, as a validator's ledger does:
//! the addresses a v0 transaction loads from lookup tables, every account's
//! lamports and every token account's balance before and after, which
//! accounts it may write, and whether a failure was committed (charged a
//! fee) or dropped.

use std::collections::HashMap;

use backstop_client::token;
use solana_account::Account;
use solana_account_decoder::UiAccountEncoding;
use solana_account_decoder::parse_account_data::SplTokenAdditionalDataV2;
use solana_account_decoder::parse_token::token_amount_to_ui_amount_v3;
use solana_address_lookup_table_interface::state::AddressLookupTable;
use solana_message::v0::LoadedAddresses;
use solana_program_pack::Pack;
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::RpcAccountInfoConfig;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;
use solana_transaction_status::TransactionTokenBalance;
use spl_token_2022_interface::extension::interest_bearing_mint::InterestBearingConfig;
use spl_token_2022_interface::extension::scaled_ui_amount::ScaledUiAmountConfig;
use spl_token_2022_interface::extension::{BaseStateWithExtensions, StateWithExtensions};

use crate::node::Node;

/// Lamports per signature, the fee a cluster charges (and the bank).
pub(crate) const LAMPORTS_PER_SIGNATURE: u64 = 5_000;

/// The accounts a transaction named, as they stood at one moment.
pub(crate) struct Snapshot {
    pub accounts: Vec<Option<Account>>,
}

impl Snapshot {
    /// Lamports per account, 0 for one that does not exist.
    pub fn balances(&self) -> Vec<u64> {
        self.accounts
            .iter()
            .map(|a| a.as_ref().map_or(0, |a| a.lamports))
            .collect()
    }
}

/// A transaction's signature as clients name it: its first.
pub(crate) fn signature_of(tx: &VersionedTransaction) -> String {
    tx.signatures
        .first()
        .map(|s| s.to_string())
        .unwrap_or_default()
}

/// The account keys of `tx` in the runtime's order: its static keys, then
/// the writable and the read-only addresses loaded from lookup tables.
pub(crate) fn account_keys(tx: &VersionedTransaction, loaded: &LoadedAddresses) -> Vec<Pubkey> {
    let mut keys = tx.message.static_account_keys().to_vec();
    keys.extend(loaded.writable.iter().chain(&loaded.readonly));
    keys
}

/// Which of `tx`'s account keys it may write (the message header's rule;
/// loaded writable addresses come right after the static keys).
pub(crate) fn writable(tx: &VersionedTransaction, loaded: &LoadedAddresses) -> Vec<bool> {
    let header = tx.message.header();
    let keys = tx.message.static_account_keys().len();
    let signed = usize::from(header.num_required_signatures);
    let signed_writable = signed.saturating_sub(usize::from(header.num_readonly_signed_accounts));
    let unsigned_writable = keys.saturating_sub(usize::from(header.num_readonly_unsigned_accounts));
    let mut flags: Vec<bool> = (0..keys)
        .map(|i| i < signed_writable || (i >= signed && i < unsigned_writable))
        .collect();
    flags.extend(loaded.writable.iter().map(|_| true));
    flags.extend(loaded.readonly.iter().map(|_| false));
    flags
}

/// Whether a failed transaction was committed (executed, or charged its fee
/// without running, as a cluster does) rather than dropped before it ran.
pub(crate) fn committed(err: &TransactionError) -> bool {
    !matches!(
        err,
        TransactionError::AccountNotFound
            | TransactionError::BlockhashNotFound
            | TransactionError::AlreadyProcessed
            | TransactionError::InsufficientFundsForFee
            | TransactionError::InvalidAccountForFee
            | TransactionError::SignatureFailure
            | TransactionError::SanitizeFailure
            | TransactionError::AccountLoadedTwice
            | TransactionError::TooManyAccountLocks
            | TransactionError::AccountInUse
            | TransactionError::UnsupportedVersion
            | TransactionError::AddressLookupTableNotFound
            | TransactionError::InvalidAddressLookupTableOwner
            | TransactionError::InvalidAddressLookupTableData
            | TransactionError::InvalidAddressLookupTableIndex
            | TransactionError::WouldExceedMaxBlockCostLimit
            | TransactionError::WouldExceedMaxAccountCostLimit
            | TransactionError::WouldExceedAccountDataBlockLimit
            | TransactionError::WouldExceedMaxVoteCostLimit
            | TransactionError::WouldExceedAccountDataTotalLimit
    )
}

/// The fee a cluster charges `tx`: 5,000 lamports per signature plus the
/// priority fee (compute-unit price × limit, in micro-lamports, rounded up).
pub(crate) fn fee(tx: &VersionedTransaction) -> u64 {
    let signatures = u64::from(tx.message.header().num_required_signatures);
    let keys = tx.message.static_account_keys();
    let budget = solana_compute_budget_interface::ID;
    let (mut price, mut limit, mut instructions) = (0u64, None, 0u64);
    for ix in tx.message.instructions() {
        let program = keys.get(usize::from(ix.program_id_index));
        if program != Some(&budget) {
            instructions += 1;
            continue;
        }
        match ix.data.split_first() {
            Some((2, rest)) if rest.len() >= 4 => {
                limit = Some(u64::from(u32::from_le_bytes(
                    rest[..4].try_into().unwrap_or_default(),
                )));
            }
            Some((3, rest)) if rest.len() >= 8 => {
                price = u64::from_le_bytes(rest[..8].try_into().unwrap_or_default());
            }
            _ => {}
        }
    }
    let limit = limit.unwrap_or(200_000 * instructions).min(1_400_000);
    let priority = (u128::from(price) * u128::from(limit)).div_ceil(1_000_000);
    signatures * LAMPORTS_PER_SIGNATURE + u64::try_from(priority).unwrap_or(u64::MAX)
}

impl Node {
    /// The addresses a v0 transaction loads, read from its lookup tables as
    /// they stand; an index a table does not hold is left out (the runtime
    /// refuses the transaction itself).
    pub(crate) async fn loaded_addresses(&mut self, tx: &VersionedTransaction) -> LoadedAddresses {
        let mut loaded = LoadedAddresses::default();
        for lookup in tx.message.address_table_lookups().unwrap_or_default() {
            let Some(table) = self.account(&lookup.account_key).await else {
                continue;
            };
            let Ok(table) = AddressLookupTable::deserialize(&table.data) else {
                continue;
            };
            let at = |i: &u8| table.addresses.get(usize::from(*i)).copied();
            loaded
                .writable
                .extend(lookup.writable_indexes.iter().filter_map(at));
            loaded
                .readonly
                .extend(lookup.readonly_indexes.iter().filter_map(at));
        }
        loaded
    }

    /// The accounts at `keys` as they stand.
    pub(crate) async fn snapshot(&mut self, keys: &[Pubkey]) -> Snapshot {
        let mut accounts = Vec::with_capacity(keys.len());
        for key in keys {
            accounts.push(self.account(key).await);
        }
        Snapshot { accounts }
    }

    /// What a client needs to show a token account of `mint` in its units:
    /// the mint's decimals and its interest-bearing or scaled-UI-amount
    /// configuration at the clock's time. `None` when `mint` is not a mint.
    pub(crate) async fn mint_data(&mut self, mint: &Pubkey) -> Option<SplTokenAdditionalDataV2> {
        let account = self.account(mint).await?;
        let now = self.bank.now().await;
        mint_data_at(&account.data, now)
    }

    /// A token account's mint data (for `jsonParsed`); `None` for any
    /// other account.
    pub(crate) async fn token_data_of(
        &mut self,
        account: &Account,
    ) -> Option<SplTokenAdditionalDataV2> {
        let mint = token_mint(account)?;
        self.mint_data(&mint).await
    }

    /// An account as `config` asks for it, with its mint's data when that
    /// is `jsonParsed`.
    pub(crate) async fn encode(
        &mut self,
        key: &Pubkey,
        account: &Account,
        config: &RpcAccountInfoConfig,
    ) -> serde_json::Value {
        let token = match config.encoding {
            Some(UiAccountEncoding::JsonParsed) => self.token_data_of(account).await,
            _ => None,
        };
        crate::wire::encode_account(key, account, config, token)
    }

    /// The mint data of every token account among `snapshots`, each mint
    /// read once, at one clock time.
    pub(crate) async fn mints_of(
        &mut self,
        snapshots: &[&Snapshot],
    ) -> HashMap<Pubkey, SplTokenAdditionalDataV2> {
        let now = self.bank.now().await;
        let mut mints = HashMap::new();
        let accounts = snapshots.iter().flat_map(|s| s.accounts.iter().flatten());
        for mint in accounts.filter_map(token_mint).collect::<Vec<_>>() {
            if let std::collections::hash_map::Entry::Vacant(entry) = mints.entry(mint)
                && let Some(account) = self.account(&mint).await
                && let Some(data) = mint_data_at(&account.data, now)
            {
                entry.insert(data);
            }
        }
        mints
    }
}

/// The token balances among `snapshot`'s accounts, by account index, as
/// `preTokenBalances` and `postTokenBalances` list them (`mints` from
/// [`Node::mints_of`]).
pub(crate) fn token_balances(
    snapshot: &Snapshot,
    mints: &HashMap<Pubkey, SplTokenAdditionalDataV2>,
) -> Vec<TransactionTokenBalance> {
    let mut balances = Vec::new();
    for (index, account) in snapshot.accounts.iter().enumerate() {
        let Some(account) = account else { continue };
        let (Some(mint), Some(owner)) = (
            token_mint(account),
            token::token_account_owner(&account.data),
        ) else {
            continue;
        };
        let (Some(data), Ok(account_index)) = (mints.get(&mint), u8::try_from(index)) else {
            continue;
        };
        let amount = token::token_account_amount(&account.data).unwrap_or(0);
        balances.push(TransactionTokenBalance {
            account_index,
            mint: mint.to_string(),
            ui_token_amount: token_amount_to_ui_amount_v3(amount, data),
            owner: owner.to_string(),
            program_id: account.owner.to_string(),
        });
    }
    balances
}

/// The mint of a token account (either token program); `None` for any
/// other account.
pub(crate) fn token_mint(account: &Account) -> Option<Pubkey> {
    if !is_token_program(&account.owner) {
        return None;
    }
    token::token_account_mint_and_amount(&account.data).map(|(mint, _)| mint)
}

/// Whether `program` is SPL Token or Token-2022.
pub(crate) fn is_token_program(program: &Pubkey) -> bool {
    *program == token::SPL_TOKEN_PROGRAM || *program == token::TOKEN_2022_PROGRAM
}

/// [`Node::mint_data`] from a mint's bytes and the clock's time.
pub(crate) fn mint_data_at(data: &[u8], now: i64) -> Option<SplTokenAdditionalDataV2> {
    if data.len() == spl_token_interface::state::Mint::LEN {
        let mint = spl_token_interface::state::Mint::unpack(data).ok()?;
        return Some(SplTokenAdditionalDataV2::with_decimals(mint.decimals));
    }
    let mint = StateWithExtensions::<spl_token_2022_interface::state::Mint>::unpack(data).ok()?;
    Some(SplTokenAdditionalDataV2 {
        decimals: mint.base.decimals,
        interest_bearing_config: mint
            .get_extension::<InterestBearingConfig>()
            .ok()
            .map(|c| (*c, now)),
        scaled_ui_amount_config: mint
            .get_extension::<ScaledUiAmountConfig>()
            .ok()
            .map(|c| (*c, now)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_compute_budget_interface::ComputeBudgetInstruction;
    use solana_keypair::Keypair;
    use solana_signer::Signer;

    fn tx(
        instructions: &[solana_instruction::Instruction],
        signers: &[&Keypair],
    ) -> VersionedTransaction {
        let tx = solana_transaction::Transaction::new_signed_with_payer(
            instructions,
            Some(&signers[0].pubkey()),
            signers,
            solana_hash::Hash::new_unique(),
        );
        VersionedTransaction::from(tx)
    }

    #[test]
    fn the_fee_is_per_signature_plus_the_priority_fee() {
        let (payer, other) = (Keypair::new(), Keypair::new());
        let to = Pubkey::new_unique();
        let transfer = solana_system_interface::instruction::transfer(&payer.pubkey(), &to, 1);
        assert_eq!(fee(&tx(std::slice::from_ref(&transfer), &[&payer])), 5_000);
        let both = solana_system_interface::instruction::transfer(&other.pubkey(), &to, 1);
        assert_eq!(
            fee(&tx(&[transfer.clone(), both], &[&payer, &other])),
            10_000
        );
        // 300,000 units at 10 micro-lamports: 3 lamports
        let priced = [
            ComputeBudgetInstruction::set_compute_unit_limit(300_000),
            ComputeBudgetInstruction::set_compute_unit_price(10),
            transfer.clone(),
        ];
        assert_eq!(fee(&tx(&priced, &[&payer])), 5_003);
        // no limit: 200,000 per instruction that is not the budget's; rounded up
        let unlimited = [
            ComputeBudgetInstruction::set_compute_unit_price(1),
            transfer,
        ];
        assert_eq!(fee(&tx(&unlimited, &[&payer])), 5_001);
    }

    #[test]
    fn writable_keys_follow_the_header() {
        let (payer, signer) = (Keypair::new(), Keypair::new());
        let (to, program) = (Pubkey::new_unique(), Pubkey::new_unique());
        let ix = solana_instruction::Instruction::new_with_bytes(
            program,
            &[],
            vec![
                solana_instruction::AccountMeta::new_readonly(signer.pubkey(), true),
                solana_instruction::AccountMeta::new(to, false),
            ],
        );
        let tx = tx(&[ix], &[&payer, &signer]);
        let keys = tx.message.static_account_keys().to_vec();
        let loaded = LoadedAddresses {
            writable: vec![Pubkey::new_unique()],
            readonly: vec![Pubkey::new_unique()],
        };
        let flags = writable(&tx, &loaded);
        let of = |k: &Pubkey| flags[keys.iter().position(|x| x == k).unwrap()];
        assert!(of(&payer.pubkey()));
        assert!(!of(&signer.pubkey()));
        assert!(of(&to));
        assert!(!of(&program));
        assert_eq!(&flags[keys.len()..], &[true, false]);
        assert_eq!(account_keys(&tx, &loaded).len(), keys.len() + 2);
    }

    #[test]
    fn failures_before_running_are_dropped() {
        assert!(!committed(&TransactionError::AccountNotFound));
        assert!(!committed(&TransactionError::BlockhashNotFound));
        assert!(!committed(&TransactionError::AlreadyProcessed));
        assert!(committed(&TransactionError::InstructionError(
            0,
            solana_instruction::error::InstructionError::Custom(6000)
        )));
        assert!(committed(&TransactionError::ProgramAccountNotFound));
    }

    #[test]
    fn mint_data_reads_both_token_programs() {
        let mut data = vec![0u8; spl_token_interface::state::Mint::LEN];
        let mint = spl_token_interface::state::Mint {
            decimals: 6,
            is_initialized: true,
            ..Default::default()
        };
        spl_token_interface::state::Mint::pack(mint, &mut data).unwrap();
        assert_eq!(mint_data_at(&data, 0).unwrap().decimals, 6);
        assert!(mint_data_at(&[1, 2, 3], 0).is_none());
    }
}
