//! Liquid insurance shares (docs/protocol.md, "Receipts"): each pool has, per
//! epoch, a Token-2022 receipt mint `["receipt", pool, epoch u64 LE]` whose
//! tokens are shares of that epoch. Its metadata (MetadataPointer to itself,
//! TokenMetadata) names the asset and the epoch, and its `pool` field the pool,
//! so wallets show what it is; its mint authority is the pool PDA and it has
//! no freeze authority. The first `wrap` of an epoch creates it.

use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use anchor_spl::token_2022::spl_token_2022::state::Mint;
use anchor_spl::token_2022::{self, Burn, InitializeMint2, MintTo};
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::{
    Field, TokenMetadata,
};
use anchor_spl::token_2022_extensions::{
    MetadataPointerInitialize, TokenMetadataInitialize, TokenMetadataUpdateField,
    metadata_pointer_initialize, token_metadata_initialize, token_metadata_update_field,
};

use crate::constants::RECEIPT_SEED;
use crate::ops::pda::create_pda;
use crate::state::Pool;

/// The name, symbol and `pool` field of a pool's receipt mint of its current
/// epoch: "Backstop EPjF..Dt1v epoch 0", "bkEPjF.0".
pub fn receipt_metadata(pool: &Pool, pool_key: &Pubkey) -> (String, String, String) {
    let asset = pool.mint.to_string();
    let (head, tail) = (&asset[..4], &asset[asset.len() - 4..]);
    let name = format!("Backstop {head}..{tail} epoch {}", pool.epoch);
    let symbol = format!("bk{head}.{}", pool.epoch);
    (name, symbol, pool_key.to_string())
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
    /// returns whether it did. `payer` pays its rent.
    pub fn create_if_missing(
        &self,
        pool: &Pool,
        payer: &AccountInfo<'info>,
        system_program: &AccountInfo<'info>,
    ) -> Result<bool> {
        if !self.mint.data_is_empty() {
            return Ok(false);
        }
        let (name, symbol, pool_field) = receipt_metadata(pool, self.pool.key);
        let metadata = TokenMetadata {
            name: name.clone(),
            symbol: symbol.clone(),
            additional_metadata: vec![("pool".to_string(), pool_field.clone())],
            ..TokenMetadata::default()
        };
        let base =
            ExtensionType::try_calculate_account_len::<Mint>(&[ExtensionType::MetadataPointer])?;
        let full = base + metadata.tlv_size_of()?;
        let pool_key = *self.pool.key;
        let epoch = self.epoch.to_le_bytes();
        let (_, bump) = Pool::receipt_mint_address(&pool_key, self.epoch);
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
        token_metadata_update_field(
            CpiContext::new_with_signer(
                program,
                TokenMetadataUpdateField {
                    program_id: self.token_program.clone(),
                    metadata: self.mint.clone(),
                    update_authority: self.pool.clone(),
                },
                &[&pool_seeds],
            ),
            Field::Key("pool".to_string()),
            pool_field,
        )?;
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
