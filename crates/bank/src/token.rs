//! Token helpers of the in-process bank, for both token programs: mints
//! (Token-2022 ones with any extension of `mint_extension`), token accounts sized for their
//! mint's extensions, minting, `transfer_checked`, and the clock epoch that
//! scheduled transfer fees wait for.

use solana_keypair::Keypair;
use solana_program_pack::Pack;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use spl_token_2022_interface::extension::{
    BaseStateWithExtensions, ExtensionType, StateWithExtensions, transfer_fee, transfer_hook,
};
use spl_token_2022_interface::state::{Account as TokenAccount2022, Mint};

use crate::{Bank, TxError, TxOk};

use crate::mint_extension::{MintExtension, VARIABLE_EXTENSION_ROOM};

impl Bank {
    /// The token program that owns `mint` (or any token account).
    pub async fn token_program_of(&mut self, key: Pubkey) -> Pubkey {
        self.account(key)
            .await
            .map(|a| a.owner)
            .unwrap_or(spl_token_interface::ID)
    }

    /// A token account's balance; 0 when it does not exist.
    pub async fn token_balance(&mut self, key: Pubkey) -> u64 {
        self.read_with(key, |a| match a {
            Some(a) => StateWithExtensions::<TokenAccount2022>::unpack(&a.data)
                .map(|t| t.base.amount)
                .unwrap_or(0),
            None => 0,
        })
        .await
    }

    /// Creates a classic SPL Token mint whose authority is the fee payer.
    pub async fn create_mint(&mut self, decimals: u8) -> Result<Pubkey, TxError> {
        let payer = self.payer_pubkey();
        self.create_mint_with_authority(decimals, payer).await
    }

    /// Creates a classic SPL Token mint with `authority` as its mint authority.
    pub async fn create_mint_with_authority(
        &mut self,
        decimals: u8,
        authority: Pubkey,
    ) -> Result<Pubkey, TxError> {
        self.create_mint_in(spl_token_interface::ID, decimals, authority, &[])
            .await
    }

    /// Creates a Token-2022 mint with `extensions` (the fee payer is its mint
    /// authority and every extension's authority).
    pub async fn create_mint_2022(
        &mut self,
        decimals: u8,
        extensions: &[MintExtension],
    ) -> Result<Pubkey, TxError> {
        let payer = self.payer_pubkey();
        self.create_mint_in(spl_token_2022_interface::ID, decimals, payer, extensions)
            .await
    }

    /// Creates a mint of `program` (either token program) with `authority`
    /// as its mint authority and every extension's authority.
    pub async fn create_mint_in(
        &mut self,
        program: Pubkey,
        decimals: u8,
        authority: Pubkey,
        extensions: &[MintExtension],
    ) -> Result<Pubkey, TxError> {
        self.create_mint_at(&Keypair::new(), program, decimals, authority, extensions)
            .await
    }

    /// [`Bank::create_mint_in`] at the address of `mint` (a walk that must
    /// measure the same twice needs the same addresses: a receipt mint's
    /// metadata carries the pool's address as text).
    pub async fn create_mint_at(
        &mut self,
        mint: &Keypair,
        program: Pubkey,
        decimals: u8,
        authority: Pubkey,
        extensions: &[MintExtension],
    ) -> Result<Pubkey, TxError> {
        let key = mint.pubkey();
        let payer = self.payer_pubkey();
        let fixed: Vec<ExtensionType> = extensions
            .iter()
            .filter_map(MintExtension::fixed_type)
            .collect();
        let space = if program == spl_token_interface::ID {
            spl_token_interface::state::Mint::LEN
        } else {
            ExtensionType::try_calculate_account_len::<Mint>(&fixed).expect("mint size")
        };
        let variable = extensions
            .iter()
            .filter(|e| e.fixed_type().is_none())
            .count();
        let lamports = self
            .minimum_balance(space + variable * VARIABLE_EXTENSION_ROOM)
            .await;
        let mut ixs = vec![solana_system_interface::instruction::create_account(
            &payer,
            &key,
            lamports,
            space as u64,
            &program,
        )];
        ixs.extend(extensions.iter().filter_map(|e| e.init(&key, &authority)));
        // A default account state needs a freeze authority to mean anything.
        let freeze_authority = extensions
            .iter()
            .any(|e| matches!(e, MintExtension::DefaultAccountState { .. }))
            .then_some(&authority);
        ixs.push(
            spl_token_2022_interface::instruction::initialize_mint2(
                &program,
                &key,
                &authority,
                freeze_authority,
                decimals,
            )
            .expect("initialize_mint2"),
        );
        ixs.extend(
            extensions
                .iter()
                .filter_map(|e| e.init_after(&key, &authority)),
        );
        self.send(&ixs, &[mint]).await?;
        Ok(key)
    }

    /// Creates a token account of `mint` owned by `owner`, in the mint's own
    /// token program and sized for the extensions its mint requires.
    pub async fn create_token_account(
        &mut self,
        mint: Pubkey,
        owner: Pubkey,
    ) -> Result<Pubkey, TxError> {
        let account = self.next_keypair("token account");
        let program = self.token_program_of(mint).await;
        let space = if program == spl_token_interface::ID {
            spl_token_interface::state::Account::LEN
        } else {
            let data = self.account(mint).await.expect("mint").data;
            let mint_state = StateWithExtensions::<Mint>::unpack(&data).expect("mint state");
            let required = ExtensionType::get_required_init_account_extensions(
                &mint_state.get_extension_types().expect("extension types"),
            );
            ExtensionType::try_calculate_account_len::<TokenAccount2022>(&required)
                .expect("account size")
        };
        let lamports = self.minimum_balance(space).await;
        let payer = self.payer_pubkey();
        let create = solana_system_interface::instruction::create_account(
            &payer,
            &account.pubkey(),
            lamports,
            space as u64,
            &program,
        );
        let init = spl_token_2022_interface::instruction::initialize_account3(
            &program,
            &account.pubkey(),
            &mint,
            &owner,
        )
        .expect("initialize_account3");
        self.send(&[create, init], &[&account]).await?;
        Ok(account.pubkey())
    }

    /// Mints `amount` of `mint` (authority: the fee payer) into `to`.
    pub async fn mint_to(
        &mut self,
        mint: Pubkey,
        to: Pubkey,
        amount: u64,
    ) -> Result<TxOk, TxError> {
        let payer = self.payer_pubkey();
        let program = self.token_program_of(mint).await;
        let ix = spl_token_2022_interface::instruction::mint_to(
            &program,
            &mint,
            &to,
            &payer,
            &[],
            amount,
        )
        .expect("mint_to");
        self.send(&[ix], &[]).await
    }

    /// A `transfer_checked` of `amount` from `from` to `to`, signed by
    /// `authority`: the owner, or a mint's permanent delegate.
    pub async fn transfer_tokens(
        &mut self,
        from: Pubkey,
        to: Pubkey,
        authority: &Keypair,
        amount: u64,
    ) -> Result<TxOk, TxError> {
        self.transfer_tokens_with(from, to, authority, amount, &[])
            .await
    }

    /// [`Bank::transfer_tokens`] carrying a transfer hook's `extra` accounts.
    pub async fn transfer_tokens_with(
        &mut self,
        from: Pubkey,
        to: Pubkey,
        authority: &Keypair,
        amount: u64,
        extra: &[solana_instruction::AccountMeta],
    ) -> Result<TxOk, TxError> {
        let data = self.account(from).await.map(|a| a.data).unwrap_or_default();
        let Ok(source) = StateWithExtensions::<TokenAccount2022>::unpack(&data) else {
            return Err(TxError {
                name: format!("{from} is not a token account"),
                logs: vec![],
                compute_units: 0,
            });
        };
        let mint = source.base.mint;
        let program = self.token_program_of(mint).await;
        let mint_data = self.account(mint).await.expect("mint").data;
        let decimals = StateWithExtensions::<Mint>::unpack(&mint_data)
            .expect("mint state")
            .base
            .decimals;
        let ix = spl_token_2022_interface::instruction::transfer_checked(
            &program,
            &from,
            &mint,
            &to,
            &authority.pubkey(),
            &[],
            amount,
            decimals,
        )
        .expect("transfer_checked");
        let mut ix = ix;
        ix.accounts.extend_from_slice(extra);
        self.send(&[ix], &[authority]).await
    }

    /// Sets (or clears) the hook program of a Token-2022 mint whose hook
    /// authority is the fee payer, as an issuer can at any time.
    pub async fn set_transfer_hook(
        &mut self,
        mint: Pubkey,
        program: Option<Pubkey>,
    ) -> Result<TxOk, TxError> {
        let payer = self.payer_pubkey();
        let ix = transfer_hook::instruction::update(
            &spl_token_2022_interface::ID,
            &mint,
            &payer,
            &[],
            program,
        )
        .expect("transfer hook update");
        self.send(&[ix], &[]).await
    }

    /// Schedules a new transfer fee (the fee payer is the fee authority). It
    /// applies from two epochs on: see [`Bank::advance_epochs`].
    pub async fn set_transfer_fee(
        &mut self,
        mint: Pubkey,
        basis_points: u16,
        maximum_fee: u64,
    ) -> Result<TxOk, TxError> {
        let payer = self.payer_pubkey();
        let ix = transfer_fee::instruction::set_transfer_fee(
            &spl_token_2022_interface::ID,
            &mint,
            &payer,
            &[],
            basis_points,
            maximum_fee,
        )
        .expect("set_transfer_fee");
        self.send(&[ix], &[]).await
    }
}
