//! The world every test runs in: the in-process bank with the protocol's
//! actors, the clock, and sending transactions.

use crate::*;

/// The bank, the protocol's actors and the Token-2022 mints a test created.
pub struct World {
    pub bank: Bank,
    pub admin: Keypair,
    pub guardian: Keypair,
    pub treasury: Keypair,
    pub operator: Keypair,
    pub keeper: Keypair,
    pub governance_delay: u64,
    /// Mints of the Token-2022 program; every other mint is classic SPL Token.
    pub token_2022_mints: Vec<Pubkey>,
}

pub async fn funded_keypair(bank: &mut Bank) -> Keypair {
    let kp = Keypair::new();
    ok(bank.airdrop(kp.pubkey(), 10 * LAMPORTS_PER_SOL).await);
    kp
}

impl World {
    /// A bank at `START` with the protocol initialised and no governance delay.
    pub async fn new() -> World {
        World::with_delay(0).await
    }

    /// A bank at `START` with the protocol initialised with `governance_delay`.
    pub async fn with_delay(governance_delay: u64) -> World {
        let mut w = World::bare().await;
        w.governance_delay = governance_delay;
        let args = InitializeProtocolArgs {
            admin: w.admin.pubkey(),
            guardian: w.guardian.pubkey(),
            treasury: w.treasury.pubkey(),
            governance_delay,
        };
        ok(w.bank.initialize_protocol(args).await);
        w
    }

    /// A bank at `START` with funded actors but no protocol yet.
    // solana-program-test 3.x flags `processor!` "unstable" through deprecation notes.
    #[allow(deprecated)]
    pub async fn bare() -> World {
        // Every world also runs the small host program of `tests/host`, whose
        // PDA can be made a market operator that signs by CPI, and the
        // transfer hook of `tests/hook`, which a Token-2022 mint can name
        // (on the SBF VM, their `.so` files from `sbf/build --with-test-programs`).
        let mut bank = Bank::start_with(START, |pt| {
            pt.add_program(
                "backstop_test_host",
                backstop_test_host::ID,
                backstop_bank::processor!(backstop_test_host::process_instruction),
            );
            pt.add_program(
                "backstop_test_hook",
                backstop_test_hook::ID,
                backstop_bank::processor!(backstop_test_hook::process_instruction),
            );
        })
        .await;
        let admin = funded_keypair(&mut bank).await;
        let guardian = funded_keypair(&mut bank).await;
        let treasury = funded_keypair(&mut bank).await;
        let operator = funded_keypair(&mut bank).await;
        let keeper = funded_keypair(&mut bank).await;
        World {
            bank,
            admin,
            guardian,
            treasury,
            operator,
            keeper,
            governance_delay: 0,
            token_2022_mints: Vec::new(),
        }
    }

    pub async fn now(&mut self) -> i64 {
        self.bank.now().await
    }

    pub async fn advance(&mut self, seconds: i64) {
        self.bank.advance(seconds).await
    }

    pub async fn set_time(&mut self, t: i64) {
        self.bank.set_time(t).await
    }

    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        self.bank.send(ixs, signers).await
    }

    pub async fn new_keypair(&mut self) -> Keypair {
        funded_keypair(&mut self.bank).await
    }
}
