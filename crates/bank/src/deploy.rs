//! The setup every runtime shares (tests, simulator, local node, bench): the
//! protocol, then a mint's pool.

use backstop_client::ix::{self, Asset};
use backstop_client::types::{InitializeProtocolArgs, MintOptIns, PoolParams};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

use crate::{Bank, TxError, TxOk};

impl Bank {
    /// Creates the protocol singleton (the fee payer pays; natively there is
    /// no ProgramData account, so the first caller initialises).
    pub async fn initialize_protocol(
        &mut self,
        args: InitializeProtocolArgs,
    ) -> Result<TxOk, TxError> {
        let payer = self.payer_pubkey();
        self.send(&[ix::initialize_protocol(payer, args)], &[])
            .await
    }

    /// Creates the pool of `asset`, signed by `admin` (the fee payer pays
    /// rent); `treasury` is the treasury in effect, whose stake it creates.
    pub async fn create_pool(
        &mut self,
        admin: &Keypair,
        treasury: Pubkey,
        asset: Asset,
        params: PoolParams,
        opt_ins: MintOptIns,
    ) -> Result<TxOk, TxError> {
        let payer = self.payer_pubkey();
        let create = ix::create_pool(admin.pubkey(), payer, treasury, asset, params, opt_ins);
        self.send(&[create], &[admin]).await
    }
}
