//! Liquid insurance shares: wrap shares into receipt tokens of the pool's
//! current epoch, and unwrap receipts back into shares.

use anyhow::Result;
use backstop_client::amount::format_amount_grouped;
use backstop_client::types::Pool;
use backstop_client::{ix, pda, token, views};
use clap::Args;
use serde_json::json;
use solana_pubkey::Pubkey;

use super::gov::print_instruction;
use super::{Global, POOL_HINT, pubkey};
use crate::cluster::Cluster;

#[derive(Args, Debug)]
pub struct WrapArgs {
    /// The pool's mint
    #[arg(long, value_name = "MINT_ADDRESS")]
    pub mint: String,
    /// Shares of your stake to wrap into receipt tokens
    #[arg(long, value_name = "SHARES")]
    pub shares: u128,
    /// Print the instruction (decoded, then raw) instead of sending it, for
    /// a multisig or a wallet that signs elsewhere (--keypair may then be a
    /// public key: the stake's owner)
    #[arg(long)]
    pub print_ix: bool,
}

#[derive(Args, Debug)]
pub struct UnwrapArgs {
    /// The pool's mint
    #[arg(long, value_name = "MINT_ADDRESS")]
    pub mint: String,
    /// Receipt tokens to unwrap (base units: one is one share)
    #[arg(long, value_name = "RECEIPTS")]
    pub amount: u64,
    /// The receipts' epoch [default: the pool's current epoch; older ones
    /// are worth nothing and burn for nothing]
    #[arg(long, value_name = "EPOCH")]
    pub epoch: Option<u64>,
    /// Print the instruction (decoded, then raw) instead of sending it, for
    /// a multisig or a wallet that signs elsewhere (--keypair may then be a
    /// public key: the receipts' holder)
    #[arg(long)]
    pub print_ix: bool,
}

/// The connection (one that signs nothing for `--print-ix`), the mint, and
/// its pool's address and account.
fn connect(global: &Global, mint: &str, print_ix: bool) -> Result<(Cluster, Pubkey, Pubkey, Pool)> {
    let c = if print_ix {
        global.read_only()?
    } else {
        global.cluster()?
    };
    let mint = pubkey(mint, "mint")?;
    let pool_key = pda::pool(&mint);
    let pool: Pool = c.must(&pool_key, "pool", POOL_HINT)?;
    Ok((c, mint, pool_key, pool))
}

pub fn wrap(global: &Global, a: &WrapArgs) -> Result<()> {
    let (c, mint, pool_key, pool) = connect(global, &a.mint, a.print_ix)?;
    let epoch = u64::from(pool.epoch);
    let instruction = ix::wrap(c.me(), mint, epoch, a.shares);
    if a.print_ix {
        return print_instruction(global, &instruction, Some(pool.decimals));
    }
    let receipt_mint = pda::receipt_mint(&pool_key, epoch);
    let receipts = token::receipt_account(&c.me(), &receipt_mint);
    // The epoch's mint and the owner's receipt account, created ahead in the
    // same transaction when missing, so the wrap itself only mints.
    let mut instructions = ix::wrap_setup(
        c.me(),
        c.me(),
        mint,
        epoch,
        c.account(&receipt_mint)?.is_some(),
        c.account(&receipts)?.is_some(),
    );
    instructions.push(instruction);
    let sig = c.send(&instructions)?.signature();
    let held = c.token_balance(&receipts)?;
    global.print(
        &format!(
            "wrapped {} shares: you hold {held} receipt tokens of epoch {epoch} (mint {receipt_mint}) ({sig})",
            a.shares
        ),
        &json!({ "signature": sig, "shares": a.shares.to_string(), "receipt_mint": receipt_mint.to_string(),
                 "epoch": epoch, "receipts": held }),
    );
    Ok(())
}

pub fn unwrap(global: &Global, a: &UnwrapArgs) -> Result<()> {
    let (c, mint, pool_key, pool) = connect(global, &a.mint, a.print_ix)?;
    let epoch = a.epoch.unwrap_or(u64::from(pool.epoch));
    let receipt_mint = pda::receipt_mint(&pool_key, epoch);
    let from = token::receipt_account(&c.me(), &receipt_mint);
    let value = views::receipt_value(&pool, epoch, a.amount).unwrap_or(0);
    let instruction = ix::unwrap(c.me(), mint, epoch, from, a.amount);
    if a.print_ix {
        return print_instruction(global, &instruction, Some(pool.decimals));
    }
    let sig = c.send(&[instruction])?.signature();
    global.print(
        &format!(
            "unwrapped {} receipt tokens of epoch {epoch}, worth {} ({sig})",
            a.amount,
            format_amount_grouped(value, pool.decimals)
        ),
        &json!({ "signature": sig, "amount": a.amount, "epoch": epoch, "value": value }),
    );
    Ok(())
}
