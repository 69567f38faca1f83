//! Liquid insurance shares (docs/protocol.md, "Receipts"): each pool has, per
//! epoch, a Token-2022 receipt mint `["receipt", pool, epoch u64 LE]` whose
//! tokens are shares of that epoch. Its metadata (MetadataPointer to itself,
//! TokenMetadata) names the asset and the epoch, so wallets show what it is;
//! the pool is its mint authority and its metadata's update authority, and it
//! has no freeze authority. `create_receipt_mint` creates it ahead of the
//! epoch's first `wrap`, or that wrap creates it.

use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use anchor_spl::token_2022::spl_token_2022::state::Mint;
use anchor_spl::token_2022::{self, Burn, InitializeMint2, MintTo};
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata;
use anchor_spl::token_2022_extensions::{
    MetadataPointerInitialize, TokenMetadataInitialize, metadata_pointer_initialize,
    token_metadata_initialize,
};

use crate::constants::RECEIPT_SEED;
use crate::errors::BackstopError;
use crate::events::ReceiptMintCreated;
use crate::ops::pda::create_pda;
use crate::state::Pool;
use crate::utils::now;

/// The name and symbol of a pool's receipt mint of its current epoch:
/// "Backstop EPjF..Dt1v epoch 0", "bkEPjF.0". The asset's text comes from
/// `backstop_core::base58`, about a third of `Display`'s compute units.
pub fn receipt_metadata(pool: &Pool) -> (String, String) {
    let text = backstop_core::base58::encode_address(&pool.mint.to_bytes());
    let asset = text.as_str();
    let (head, tail) = (&asset[..4], &asset[asset.len() - 4..]);
    let name = format!("Backstop {head}..{tail} epoch {}", pool.epoch);
    let symbol = format!("bk{head}.{}", pool.epoch);
    (name, symbol)
}

/// Checks the account a wrap mints to: an existing Token-2022 account of
/// `mint` that `owner` owns (its associated account, or any other), or, when
/// it does not exist yet, `owner`'s associated address, which the wrap then
/// creates. Reading an existing account's mint and owner from its bytes
/// spares every later wrap the associated address's bump search.
pub fn check_holder_account(account: &AccountInfo, owner: &Pubkey, mint: &Pubkey) -> Result<()> {
    if account.data_is_empty() {
        let associated = anchor_spl::associated_token::get_associated_token_address_with_program_id(
            owner,
            mint,
            &anchor_spl::token_2022::ID,
        );
        require_keys_eq!(
            account.key(),
            associated,
            BackstopError::ReceiptAccountMismatch
        );
        return Ok(());
    }
    let data = account.try_borrow_data()?;
    // a token account starts with its mint (32 bytes), then its owner
    let holds = *account.owner == anchor_spl::token_2022::ID
        && data.len() >= 64
        && data[..32] == mint.to_bytes()
        && data[32..64] == owner.to_bytes();
    require!(holds, BackstopError::ReceiptAccountMismatch);
    Ok(())
}

/// The accounts that create a receipt mint and move receipt tokens.
pub struct ReceiptMint<'a, 'info> {
    pub mint: &'a AccountInfo<'info>,
    /// The epoch whose receipts the mint holds.
    pub epoch: u64,
    pub pool: &'a AccountInfo<'info>,
    pub token_program: &'a AccountInfo<'info>,
}

impl<'info> ReceiptMint<'_, 'info> {
    /// Creates the mint of the pool's current epoch if it does not exist;
    /// returns whether it did. `payer` pays its rent; `bump` is the mint
    /// address's, found by the caller's check of that address.
    pub fn create_if_missing(
        &self,
        pool: &Pool,
        payer: &AccountInfo<'info>,
        system_program: &AccountInfo<'info>,
        bump: u8,
    ) -> Result<bool> {
        if !self.mint.data_is_empty() {
            return Ok(false);
        }
        let (name, symbol) = receipt_metadata(pool);
        let metadata = TokenMetadata {
            name: name.clone(),
            symbol: symbol.clone(),
            ..TokenMetadata::default()
        };
        let base =
            ExtensionType::try_calculate_account_len::<Mint>(&[ExtensionType::MetadataPointer])?;
        let full = base + metadata.tlv_size_of()?;
        let pool_key = *self.pool.key;
        let epoch = self.epoch.to_le_bytes();
        let mint_seeds: &[&[u8]] = &[RECEIPT_SEED, pool_key.as_ref(), &epoch, &[bump]];
        // Token-2022 grows the account for the metadata itself; the rent for
        // the full size is paid up front. A pre-funded address cannot block it.
        create_pda(
            self.mint,
            payer,
            system_program,
            mint_seeds,
            base,
            full,
            self.token_program.key,
        )?;
        let program = self.token_program.key();
        metadata_pointer_initialize(
            CpiContext::new(
                program,
                MetadataPointerInitialize {
                    token_program_id: self.token_program.clone(),
                    mint: self.mint.clone(),
                },
            ),
            Some(pool_key),
            Some(self.mint.key()),
        )?;
        token_2022::initialize_mint2(
            CpiContext::new(
                program,
                InitializeMint2 {
                    mint: self.mint.clone(),
                },
            ),
            pool.decimals,
            &pool_key,
            None,
        )?;
        let pool_seeds = pool.signer_seeds();
        token_metadata_initialize(
            CpiContext::new_with_signer(
                program,
                TokenMetadataInitialize {
                    program_id: self.token_program.clone(),
                    metadata: self.mint.clone(),
                    update_authority: self.pool.clone(),
                    mint_authority: self.pool.clone(),
                    mint: self.mint.clone(),
                },
                &[&pool_seeds],
            ),
            name,
            symbol,
            String::new(),
        )?;
        emit_event!(ReceiptMintCreated {
            pool: pool_key,
            receipt_mint: self.mint.key(),
            epoch: pool.epoch,
            payer: payer.key(),
            rent: self.mint.lamports(),
            ts: now()?,
        });
        Ok(true)
    }

    /// Mints `amount` receipt tokens to `to`, signed by the pool.
    pub fn mint_to(&self, pool: &Pool, to: &AccountInfo<'info>, amount: u64) -> Result<()> {
        let seeds = pool.signer_seeds();
        token_2022::mint_to(
            CpiContext::new_with_signer(
                self.token_program.key(),
                MintTo {
                    mint: self.mint.clone(),
                    to: to.clone(),
                    authority: self.pool.clone(),
                },
                &[&seeds],
            ),
            amount,
        )
    }

    /// Burns `amount` receipt tokens from `from`, signed by their holder.
    pub fn burn(
        &self,
        from: &AccountInfo<'info>,
        holder: &AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        token_2022::burn(
            CpiContext::new(
                self.token_program.key(),
                Burn {
                    mint: self.mint.clone(),
                    from: from.clone(),
                    authority: holder.clone(),
                },
            ),
            amount,
        )
    }
}

/// A receipt mint's supply (Token-2022 mint data).
pub fn receipt_supply(mint: &AccountInfo) -> Result<u64> {
    use anchor_spl::token_2022::spl_token_2022::extension::StateWithExtensions;
    let data = mint.try_borrow_data()?;
    Ok(StateWithExtensions::<Mint>::unpack(&data)?.base.supply)
}
