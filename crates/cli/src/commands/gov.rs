//! `backstop gov`: builds each governance instruction, then sends it or,
//! with --print-ix, prints it (decoded) for a multisig proposal. Printing
//! and sending happen in one place.

use anyhow::{Context, Result, anyhow};
use backstop_client::types::{
    CreateMarketArgs, ExposureMode, InitializeProtocolArgs, Market, MarketField, MarketKind,
    MarketUpdate, MintOptIns, Pool, PoolParams, PoolParamsUpdate,
};
use backstop_client::{ix, pda};
use serde_json::json;
use solana_instruction::Instruction;

pub use super::gov_args::{Gov, GovArgs, ParamArgs, Units};
use super::{Global, MARKET_HINT, POOL_HINT, pubkey};
use crate::cluster::Cluster;

impl ParamArgs {
    fn update(&self) -> PoolParamsUpdate {
        PoolParamsUpdate {
            cooldown: self.cooldown,
            window: self.window,
            sweep_interval: self.sweep_interval,
            max_apr_bps: self.max_apr_bps,
            protocol_cut_bps: self.protocol_cut_bps,
            min_stake: self.min_stake,
        }
    }
}

/// An instruction built, with what to call it and the decimals of its amounts.
struct Built {
    what: String,
    ix: Instruction,
    decimals: Option<u8>,
}

fn built(what: impl Into<String>, ix: Instruction) -> Result<Built> {
    Ok(Built {
        what: what.into(),
        ix,
        decimals: None,
    })
}

/// `text` (token units, base units, or "unlimited") in base units.
fn to_units(text: &str, units: Units, decimals: impl FnOnce() -> Result<u8>) -> Result<u64> {
    if text == "unlimited" {
        return Ok(u64::MAX);
    }
    match units {
        Units::Base => text
            .replace('_', "")
            .parse()
            .map_err(|_| anyhow!("{text:?} is not a whole number of base units")),
        Units::Token => super::amount(text, decimals()?),
    }
}

fn pause_flags(ops: &[String]) -> Result<u16> {
    backstop_client::pause::flags(ops)
        .map_err(|e| anyhow!("{e}; known: {}", backstop_client::pause::known()))
}

fn build(c: &Cluster, action: &Gov, units: Units) -> Result<Built> {
    let me = c.me();
    match action {
        Gov::Init {
            admin,
            guardian,
            treasury,
            governance_delay,
        } => {
            let args = InitializeProtocolArgs {
                admin: match admin {
                    Some(a) => pubkey(a, "admin")?,
                    None => me,
                },
                guardian: pubkey(guardian, "guardian")?,
                treasury: pubkey(treasury, "treasury")?,
                governance_delay: *governance_delay,
            };
            built("initialize_protocol", ix::initialize_protocol(me, args))
        }
        Gov::CreatePool {
            mint,
            params,
            allow_permanent_delegate,
            allow_transfer_hook,
        } => {
            let mint = pubkey(mint, "mint")?;
            let p = params.update().applied_to(&PoolParams::default());
            let (treasury, asset) = (c.treasury()?, c.asset(&mint)?);
            let opt_ins = MintOptIns {
                permanent_delegate: *allow_permanent_delegate,
                transfer_hook: *allow_transfer_hook,
            };
            let ix = ix::create_pool(me, me, treasury, asset, p, opt_ins);
            built("create_pool", ix)
        }
        Gov::SetPool { mint, params } => built(
            "set_pool",
            ix::set_pool(me, pubkey(mint, "mint")?, params.update()),
        ),
        Gov::CreateMarket {
            kind,
            mint,
            operator,
            settlement,
            cap,
            isolated,
            isolated_share_bps,
            exposure,
        } => {
            let mint = pubkey(mint, "mint")?;
            let index = c.protocol()?.market_count;
            let decimals = c.decimals(&mint)?;
            let args = CreateMarketArgs {
                index,
                kind: if kind == "perp" {
                    MarketKind::Perp
                } else {
                    MarketKind::Lending
                },
                operator: pubkey(operator, "operator")?,
                cap: to_units(cap, units, || Ok(decimals))?,
                isolated: *isolated,
                isolated_share_bps: *isolated_share_bps,
                exposure_mode: if exposure == "aggregate" {
                    ExposureMode::Aggregate
                } else {
                    ExposureMode::Accounts
                },
            };
            let settlement = pubkey(settlement, "settlement")?;
            let settlement_owner = c.token_owner(&settlement)?;
            Ok(Built {
                what: format!("create_market #{index}"),
                ix: ix::create_market(me, me, c.asset(&mint)?, settlement, settlement_owner, args),
                decimals: Some(decimals),
            })
        }
        Gov::SetCap { market, cap } => {
            let mut decimals = None;
            let cap = to_units(cap, units, || {
                let m: Market = c.must(&pda::market(*market), "market", MARKET_HINT)?;
                let d = c.decimals(&m.mint)?;
                decimals = Some(d);
                Ok(d)
            })?;
            Ok(Built {
                what: "set_market_cap".into(),
                ix: ix::set_market_cap(me, *market, cap),
                decimals,
            })
        }
        Gov::UpdateMarket {
            market,
            operator,
            settlement,
            frozen,
        } => {
            let update = MarketUpdate {
                operator: operator
                    .as_deref()
                    .map(|o| pubkey(o, "operator"))
                    .transpose()?,
                frozen: *frozen,
            };
            let settlement = settlement
                .as_deref()
                .map(|s| {
                    let account = pubkey(s, "settlement")?;
                    Ok::<_, anyhow::Error>((account, c.token_owner(&account)?))
                })
                .transpose()?;
            built(
                "update_market",
                ix::update_market(me, *market, update, settlement),
            )
        }
        Gov::Pause { ops } => built("pause", ix::pause(me, pause_flags(ops)?)),
        Gov::Unpause { ops } => built("unpause", ix::unpause(me, pause_flags(ops)?)),
        Gov::ProposePayout {
            mint,
            recipient,
            amount,
        } => {
            let mint = pubkey(mint, "mint")?;
            let pool: Pool = c.must(&pda::pool(&mint), "pool", POOL_HINT)?;
            let units = to_units(amount, units, || Ok(pool.decimals))?;
            let id = pool.next_payout_id;
            let recipient = pubkey(recipient, "recipient")?;
            Ok(Built {
                what: format!("propose_payout #{id}"),
                ix: ix::propose_payout(me, me, mint, id, recipient, units),
                decimals: Some(pool.decimals),
            })
        }
        Gov::Freeze { market } | Gov::Unfreeze { market } => {
            let frozen = matches!(action, Gov::Freeze { .. });
            let update = MarketUpdate {
                operator: None,
                frozen: Some(frozen),
            };
            built(
                if frozen { "freeze" } else { "unfreeze" },
                ix::update_market(me, *market, update, None),
            )
        }
        Gov::CancelPayout { mint, id } => built(
            "cancel_payout",
            ix::cancel_payout(me, pubkey(mint, "mint")?, *id),
        ),
        Gov::CancelChange { market } => built(
            "cancel_market_change",
            ix::cancel_market_change(me, *market, MarketField::Cap),
        ),
        Gov::CancelPoolChange { mint } => built(
            "cancel_pool_change",
            ix::cancel_pool_change(me, pubkey(mint, "mint")?),
        ),
        Gov::VoidBankruptcy { market, debtor } => {
            let m: Market = c.must(&pda::market(*market), "market", MARKET_HINT)?;
            let operator = m.pending_operator.effective(m.operator, c.now()?);
            built(
                "void_bankruptcy",
                ix::void_bankruptcy(me, *market, m.mint, pubkey(debtor, "debtor")?, operator),
            )
        }
        Gov::TransferAdmin { new_admin } => built(
            "propose_admin",
            ix::propose_admin(me, pubkey(new_admin, "new-admin")?),
        ),
        Gov::AcceptAdmin => built("accept_admin", ix::accept_admin(me)),
    }
}

pub fn run(global: &Global, args: &GovArgs) -> Result<()> {
    if !args.print_ix {
        let c = global.cluster()?;
        let b = build(&c, &args.action, args.units)?;
        let sig = c.send(&[b.ix])?.signature();
        global.print(
            &format!("{}: {sig}", b.what),
            &json!({ "action": b.what, "signature": sig }),
        );
        return Ok(());
    }
    let c = global.read_only()?;
    let b = match args.action.needs_node(args.units) {
        Some(needs) => build(&c, &args.action, args.units)
            .with_context(|| format!("--print-ix needs the node here, to read {needs}"))?,
        None => build(&c, &args.action, args.units)?,
    };
    print_ix(global, &b)
}

/// The instruction for a multisig proposal: decoded for whoever approves it,
/// and raw (program, accounts, base58 data) for the proposal itself.
fn print_ix(global: &Global, b: &Built) -> Result<()> {
    print_instruction(global, &b.ix, b.decimals)
}

/// Prints an instruction instead of sending it (`--print-ix`): decoded from
/// the IDL, then raw (program, accounts, base58 data), for a multisig or a
/// wallet that signs elsewhere.
pub fn print_instruction(global: &Global, ix: &Instruction, decimals: Option<u8>) -> Result<()> {
    let decoded = crate::idl::decode(ix, decimals)?;
    let (view, decoded_json) = crate::idl::render(&decoded, ix);
    let data = bs58::encode(&ix.data).into_string();
    let human = format!("{view}data (base58): {data}");
    let accounts: Vec<_> = ix
        .accounts
        .iter()
        .map(|m| json!({ "pubkey": m.pubkey.to_string(), "signer": m.is_signer, "writable": m.is_writable }))
        .collect();
    global.print(
        &human,
        &json!({ "programId": ix.program_id.to_string(), "accounts": accounts, "data": data,
                 "decoded": decoded_json }),
    );
    Ok(())
}
