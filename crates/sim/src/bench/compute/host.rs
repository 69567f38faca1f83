//! A host's own instructions that call Backstop by CPI, on the SBF VM: the
//! tests' host program (`tests/host`, `backstop_test_host.so` from `sbf/build
//! --with-test-programs`) as the operator of three markets, each in a shape a
//! host sends on a cluster.

use anchor_lang::{InstructionData, ToAccountMetas};
use anyhow::{Result, anyhow, bail};
use backstop_client::ix::{self, PoolKeys};
use backstop_client::pda;
use backstop_client::types::{CreateMarketArgs, ExposureMode, MarketKind};
use backstop_test_host as host;
use backstop_test_host::aggregate::{ACCOUNT_SEED, BOOK_SEED};
use solana_instruction::Instruction;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

use super::{Caller, ShapeUnits};
use crate::scenario;
use crate::sim::Simulator;

/// A funded pool for the host's markets; `TOKEN` is the token program.
const SETUP: &str = r#"
start = 1_700_000_000
[[pool]]
asset = "USDC"
decimals = 6
token_program = "TOKEN"
[[wallet]]
who = "alice"
asset = "USDC"
amount = 50_000_000_000
[[step]]
do = "stake"
who = "alice"
asset = "USDC"
amount = 50_000_000_000
"#;

fn host_ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: host::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

fn book_of(market: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[BOOK_SEED, market.as_ref()], &host::ID).0
}

fn account_of(book: &Pubkey, owner: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[ACCOUNT_SEED, book.as_ref(), owner.as_ref()], &host::ID).0
}

/// The simulator of the host's world and what its shapes need.
struct HostWorld {
    sim: Simulator,
    keys: PoolKeys,
    token_program: &'static str,
    payer: Pubkey,
    markets: u16,
    shapes: Vec<ShapeUnits>,
}

impl HostWorld {
    async fn start(token_program: &'static str) -> Result<HostWorld> {
        let parsed = scenario::parse(&SETUP.replace("TOKEN", token_program))
            .map_err(|e| anyhow!("the host's scenario: {e}"))?;
        let steps = parsed.steps.clone();
        // The host runs only here, on the VM: no native build is registered.
        let mut sim = Simulator::new_with(parsed, |p| {
            p.add_program("backstop_test_host", host::ID, None)
        })
        .await?;
        for step in &steps {
            if let Some(refused) = sim.run_one(step).await? {
                bail!("the host's setup was refused: {refused}");
            }
        }
        let keys = PoolKeys::new(sim.token("USDC"));
        let payer = sim.bank_mut().payer_pubkey();
        Ok(HostWorld {
            sim,
            keys,
            token_program,
            payer,
            markets: 0,
            shapes: Vec::new(),
        })
    }

    /// A market whose operator is the host's PDA; answers its address and
    /// settlement account.
    async fn market(&mut self, kind: MarketKind, mode: ExposureMode) -> Result<(Pubkey, Pubkey)> {
        let admin = self.sim.keypair("admin");
        let settler = self.sim.keypair("operator").pubkey();
        let asset = self.sim.token("USDC");
        let bank = self.sim.bank_mut();
        let settlement = bank
            .create_token_account(self.keys.mint, settler)
            .await
            .map_err(|e| anyhow!("settlement account: {}", e.name))?;
        let args = CreateMarketArgs {
            index: self.markets,
            kind,
            operator: host::operator(),
            cap: 4_000_000,
            isolated: false,
            isolated_share_bps: 0,
            exposure_mode: mode,
        };
        let payer = self.payer;
        let create = ix::create_market(admin.pubkey(), payer, asset, settlement, settler, args);
        self.send("create_market", create, &[&admin]).await?;
        let market = pda::market(self.markets);
        self.markets += 1;
        if mode == ExposureMode::Aggregate {
            let open = host_ix(
                host::accounts::OpenBook {
                    payer,
                    market,
                    book: book_of(&market),
                    system_program: anchor_lang::system_program::ID,
                },
                host::instruction::OpenBook {},
            );
            self.send("open_book", open, &[]).await?;
        }
        Ok((market, settlement))
    }

    async fn send(
        &mut self,
        what: &str,
        ix: Instruction,
        signers: &[&solana_keypair::Keypair],
    ) -> Result<u64> {
        let bank = self.sim.bank_mut();
        bank.send(&[ix], signers)
            .await
            .map(|ok| ok.compute_units)
            .map_err(|e| anyhow!("host {what} was refused: {}", e.name))
    }

    /// Sends `ix` and records its compute units as `shape`.
    async fn measure(&mut self, shape: &str, instruction: &str, ix: Instruction) -> Result<()> {
        let units = self.send(shape, ix, &[]).await?;
        self.shapes.push(ShapeUnits {
            shape: shape.to_string(),
            instruction: instruction.to_string(),
            token_program: self.token_program.to_string(),
            caller: Caller::Host,
            compute_units: units,
            budget: Caller::Host.budget(),
            heap_bytes: None,
        });
        Ok(())
    }

    /// A user's action on the host's own book (no Backstop call).
    fn user_ix(&self, market: &Pubkey, owner: Pubkey, data: impl InstructionData) -> Instruction {
        let book = book_of(market);
        host_ix(
            host::accounts::HostUserAction {
                payer: self.payer,
                book,
                user: account_of(&book, &owner),
                system_program: anchor_lang::system_program::ID,
            },
            data,
        )
    }

    fn liquidate_ix(
        &self,
        market: Pubkey,
        settlement: Pubkey,
        debtor: Pubkey,
        data: impl InstructionData,
    ) -> Instruction {
        let book = book_of(&market);
        let k = &self.keys;
        host_ix(
            host::accounts::LiquidateAndResolve {
                operator: host::operator(),
                payer: self.payer,
                book,
                debtor: account_of(&book, &debtor),
                protocol: pda::protocol(),
                market,
                record: pda::bankruptcy(&market, &debtor),
                pool: k.pool,
                vault: k.vault,
                revenue: k.revenue,
                settlement,
                mint: k.mint,
                token_program: k.token_program,
                system_program: anchor_lang::system_program::ID,
                backstop_program: backstop_client::PROGRAM_ID,
            },
            data,
        )
    }
}

/// Every host shape on one token program.
async fn shapes_on(token_program: &'static str) -> Result<Vec<ShapeUnits>> {
    let mut w = HostWorld::start(token_program).await?;
    let payer = w.payer;
    let named = |label: &str| backstop_bank::deterministic_keypair(label).pubkey();

    // accounts mode: the host records a lender and a default by CPI
    let (lend, _) = w
        .market(MarketKind::Lending, ExposureMode::Accounts)
        .await?;
    let lender = named("host lender");
    let call = host::accounts::HostCall {
        operator: host::operator(),
        payer,
        protocol: pda::protocol(),
        market: lend,
        record: pda::lender(&lend, &lender),
        system_program: anchor_lang::system_program::ID,
        backstop_program: backstop_client::PROGRAM_ID,
    };
    let data = host::instruction::Lend {
        owner: lender,
        amount: 30_000_000,
    };
    w.measure(
        "host lend, records a new lender",
        "record_deposit",
        host_ix(call, data),
    )
    .await?;
    let debtor = named("host debtor");
    let record = host::accounts::HostRecord {
        operator: host::operator(),
        payer,
        protocol: pda::protocol(),
        market: lend,
        record: pda::bankruptcy(&lend, &debtor),
        pool: w.keys.pool,
        system_program: anchor_lang::system_program::ID,
        backstop_program: backstop_client::PROGRAM_ID,
    };
    let data = host::instruction::RecordDefault {
        debtor,
        deficit: 1_000_000,
    };
    w.measure(
        "host record_default, records a bankruptcy",
        "record_bankruptcy",
        host_ix(record, data),
    )
    .await?;

    // aggregate lending: liquidate, record, resolve and apply the index
    let (agg, settlement) = w
        .market(MarketKind::Lending, ExposureMode::Aggregate)
        .await?;
    let (carol, eve) = (named("host carol"), named("host eve"));
    let deposit = host::instruction::HostDeposit {
        _owner: carol,
        amount: 40_000_000,
    };
    w.send("host_deposit", w.user_ix(&agg, carol, deposit), &[])
        .await?;
    let borrow = host::instruction::HostBorrow {
        _owner: eve,
        debt: 12_000_000,
        collateral: 2_000_000,
    };
    w.send("host_borrow", w.user_ix(&agg, eve, borrow), &[])
        .await?;
    let liquidate = w.liquidate_ix(
        agg,
        settlement,
        eve,
        host::instruction::LiquidateBorrower { debtor_key: eve },
    );
    w.measure(
        "host liquidate_borrower (aggregate lending): record, resolve, apply the index",
        "record_bankruptcy + resolve_bankruptcy",
        liquidate,
    )
    .await?;

    // aggregate perp: close the position, record, resolve, move the loss index
    let (perp, settlement) = w.market(MarketKind::Perp, ExposureMode::Aggregate).await?;
    let (long, short) = (named("host long"), named("host short"));
    for (owner, base) in [(long, 2_000_000i64), (short, -2_000_000)] {
        let data = host::instruction::HostPosition {
            _owner: owner,
            base,
        };
        w.send("host_position", w.user_ix(&perp, owner, data), &[])
            .await?;
    }
    let liquidate = w.liquidate_ix(
        perp,
        settlement,
        long,
        host::instruction::LiquidatePosition {
            debtor_key: long,
            deficit: 3_500_000,
        },
    );
    w.measure(
        "host liquidate_position (aggregate perp): record, resolve, move the loss index",
        "record_bankruptcy + resolve_bankruptcy",
        liquidate,
    )
    .await?;
    Ok(w.shapes)
}

/// The host's shapes on both token programs (the banks must be on the VM).
pub async fn measure_host_shapes() -> Result<Vec<ShapeUnits>> {
    let mut out = Vec::new();
    for token_program in super::TOKEN_PROGRAMS {
        out.extend(shapes_on(token_program).await?);
    }
    Ok(out)
}
