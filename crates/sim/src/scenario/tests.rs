use super::*;

const USDC_POOL: &str = "[[pool]]\nasset = \"USDC\"\n";

fn step_error(step: &str) -> ScenarioError {
    parse(&format!(
        "{USDC_POOL}[[market]]\nname = \"M\"\nkind = \"perp\"\nasset = \"USDC\"\n[[step]]\n{step}"
    ))
    .unwrap_err()
}

#[test]
fn parses_the_quickstart_shape() {
    let s = parse(
        "start = 5\n[[pool]]\nasset = \"USDC\"\n[[market]]\nname = \"M\"\nkind = \"perp\"\nasset = \"USDC\"\ncap = \"18446744073709551615\"\n[[step]]\ndo = \"advance\"\nseconds = 10\n",
    )
    .unwrap();
    assert_eq!(s.start, 5);
    assert_eq!(s.pools[0].decimals, 6);
    assert_eq!(s.markets[0].cap, Some(Num(u64::MAX as u128)));
    assert_eq!(s.steps[0].line, 9);
    assert_eq!(s.steps[0].action, Action::Advance { seconds: 10 });
}

#[test]
fn names_the_line_and_the_reason() {
    let e = parse("[[pool]]\nasset = \"USDC\"\n\n[[step]]\ndo = \"fly\"\n").unwrap_err();
    assert_eq!(e.line, 4);
    assert!(e.reason.contains("unknown step kind"), "{}", e.reason);
    let e = parse(
        "[[pool]]\nasset = \"USDC\"\n[[step]]\ndo = \"stake\"\nwho = \"a\"\nasset = \"USDC\"\n",
    )
    .unwrap_err();
    assert!(e.reason.contains("`amount`"), "{}", e.reason);
    let e = parse("[[pool]]\nasset = \"USDC\"\nbogus = 1\n").unwrap_err();
    assert_eq!(e.line, 3);
    let e = parse("[[step]]\ndo = \"sweep\"\nasset = \"ETH\"\n").unwrap_err();
    assert!(e.reason.contains("unknown asset"), "{}", e.reason);
}

#[test]
fn a_quickstart_shaped_file_yields_typed_actions() {
    let text = format!(
        "{USDC_POOL}[[market]]\nname = \"LEND\"\nkind = \"lending\"\nasset = \"USDC\"\n\
         [[market]]\nname = \"PERP\"\nkind = \"perp\"\nasset = \"USDC\"\nexposure = \"aggregate\"\n\
         [[wallet]]\nwho = \"alice\"\nasset = \"USDC\"\namount = 50\n\
         [[step]]\ndo = \"stake\"\nwho = \"alice\"\nasset = \"USDC\"\namount = 50\n\
         [[step]]\ndo = \"deposit\"\nmarket = \"LEND\"\nwho = \"carol\"\namount = 400\n\
         [[step]]\ndo = \"position\"\nmarket = \"PERP\"\nwho = \"erin\"\nbase = -500\n\
         [[step]]\ndo = \"bankrupt\"\nmarket = \"PERP\"\nwho = \"gina\"\namount = 35\nexposure = 900\n\
         [[step]]\ndo = \"request_unstake\"\nwho = \"alice\"\nasset = \"USDC\"\nshares = 10\n\
         [[step]]\ndo = \"request_unstake\"\nwho = \"alice\"\nasset = \"USDC\"\namount = 7\nby = \"bob\"\n\
         [[step]]\ndo = \"complete_unstake\"\nwho = \"alice\"\nasset = \"USDC\"\nexpect = \"CooldownNotElapsed\"\n\
         [[step]]\ndo = \"pause\"\nops = [\"sweep\", \"stake\"]\n\
         [[step]]\ndo = \"freeze\"\nmarket = \"PERP\"\n\
         [[step]]\ndo = \"set_pool\"\nasset = \"USDC\"\ncooldown = 60\n\
         [[step]]\ndo = \"snapshot\"\nlabel = \"end\"\n"
    );
    let s = parse(&text).unwrap();
    let (usdc, alice) = ("USDC".to_string(), "alice".to_string());
    let actions: Vec<&Action> = s.steps.iter().map(|s| &s.action).collect();
    assert_eq!(
        actions,
        [
            &Action::Stake {
                who: alice.clone(),
                asset: usdc.clone(),
                amount: 50
            },
            &Action::Deposit {
                market: "LEND".into(),
                who: "carol".into(),
                amount: 400
            },
            &Action::Position {
                market: "PERP".into(),
                who: "erin".into(),
                base: -500
            },
            &Action::Bankrupt {
                market: "PERP".into(),
                who: "gina".into(),
                amount: 35,
                exposure: Some(900),
            },
            &Action::RequestUnstake {
                who: alice.clone(),
                asset: usdc.clone(),
                size: UnstakeSize::Shares(10),
            },
            &Action::RequestUnstake {
                who: alice.clone(),
                asset: usdc.clone(),
                size: UnstakeSize::Amount(7),
            },
            &Action::CompleteUnstake {
                who: alice.clone(),
                asset: usdc.clone()
            },
            &Action::Pause {
                ops: PauseOps {
                    flags: backstop_client::pause::SWEEP | backstop_client::pause::STAKE,
                    names: vec!["sweep".into(), "stake".into()],
                },
            },
            &Action::Freeze {
                market: "PERP".into()
            },
            &Action::SetPool {
                asset: usdc.clone(),
                update: backstop_client::types::PoolParamsUpdate {
                    cooldown: Some(60),
                    ..Default::default()
                },
            },
            &Action::Snapshot {
                label: "end".into()
            },
        ]
    );
    assert_eq!(s.steps[0].line, 16);
    assert_eq!(s.steps[0].expect, "ok");
    assert_eq!(s.steps[5].by.as_deref(), Some("bob"));
    assert_eq!(s.steps[6].expect, "CooldownNotElapsed");
    assert_eq!(
        s.markets[1].exposure_mode(),
        backstop_client::types::ExposureMode::Aggregate
    );
    // The readable report's detail column.
    assert_eq!(
        s.steps[3].describe(),
        "who=gina market=PERP amount=35 exposure=900"
    );
    assert_eq!(
        s.steps[5].describe(),
        "who=alice asset=USDC by=bob amount=7"
    );
    assert_eq!(s.steps[7].describe(), "ops=sweep+stake");
    assert_eq!(s.steps[10].describe(), "end");
}

#[test]
fn an_unknown_do_names_its_line() {
    let e = step_error("do = \"teleport\"\nwho = \"a\"\n");
    assert_eq!(e.line, 7);
    assert_eq!(e.reason, "unknown step kind do = \"teleport\"");
    assert_eq!(e.to_string(), "line 7: unknown step kind do = \"teleport\"");
}

#[test]
fn a_missing_field_is_the_first_the_action_reads() {
    let e = step_error("do = \"deposit\"\nasset = \"ETH\"\n");
    assert_eq!(e.line, 7);
    assert_eq!(e.reason, "step do = \"deposit\" needs the field `market`");
    let e = step_error("do = \"deposit\"\nmarket = \"M\"\n");
    assert_eq!(e.reason, "step do = \"deposit\" needs the field `who`");
    let e = step_error("do = \"propose_payout\"\nasset = \"USDC\"\nid = 1\n");
    assert_eq!(
        e.reason,
        "step do = \"propose_payout\" needs the field `to`"
    );
    let e = step_error("do = \"request_unstake\"\nwho = \"a\"\nasset = \"USDC\"\n");
    assert_eq!(
        e.reason,
        "step do = \"request_unstake\" needs `shares` or `amount`"
    );
    let e = step_error("do = \"pause\"\n");
    assert_eq!(e.reason, "step do = \"pause\" needs the field `ops`");
}

#[test]
fn a_wrong_value_names_its_line_and_why() {
    // A string where a number goes: the value's own line.
    let e = step_error("do = \"stake\"\nwho = \"a\"\nasset = \"USDC\"\namount = \"lots\"\n");
    assert_eq!(e.line, 11);
    assert!(
        e.reason.contains("\"lots\" is not a whole number"),
        "{}",
        e.reason
    );
    let e = step_error("do = \"position\"\nmarket = \"M\"\nwho = \"a\"\nbase = \"long\"\n");
    assert_eq!(e.line, 11);
    let e = step_error("do = \"advance\"\nseconds = -1\n");
    assert!(e.reason.contains("-1 is negative"), "{}", e.reason);
    // Values that parse but are out of range: the step's line.
    let e = step_error(
        "do = \"mint\"\nwho = \"a\"\nasset = \"USDC\"\namount = \"18446744073709551616\"\n",
    );
    assert_eq!(e.line, 7);
    assert_eq!(
        e.reason,
        "amount 18446744073709551616 does not fit in a u64"
    );
    let e = step_error("do = \"advance\"\nseconds = 9223372036854775807\n");
    assert_eq!(e.reason, "seconds is too large");
    let e = step_error("do = \"pause\"\nops = [\"fly\"]\n");
    assert_eq!(
        e.reason,
        "unknown operation \"fly\" in ops (known: stake, request_unstake, complete_unstake, sweep, premium, operator, resolve, payout)"
    );
    let e = step_error("do = \"resolve\"\nmarket = \"X\"\nwho = \"a\"\n");
    assert_eq!(e.reason, "unknown market \"X\"");
    let e = step_error("do = \"sweep\"\nasset = \"USDC\"\nwhom = \"a\"\n");
    assert_eq!(e.line, 10);
}

/// The detail each step printed before actions were typed: every field the
/// step wrote, in a fixed order.
fn untyped_describe(s: &step::StepSpec) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("who", s.who.clone()),
        ("market", s.market.clone()),
        ("asset", s.asset.clone()),
        ("by", s.by.clone()),
        ("to", s.to.clone()),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    }
    for (k, v) in [
        ("amount", s.amount),
        ("shares", s.shares),
        ("seconds", s.seconds),
        ("cap", s.cap),
        ("id", s.id),
        ("exposure", s.exposure),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}={}", v.0));
        }
    }
    if let Some(b) = s.base {
        parts.push(format!("base={b}"));
    }
    if let Some(ops) = &s.ops {
        parts.push(format!("ops={}", ops.join("+")));
    }
    if s.action == "snapshot" {
        return s.label.clone().unwrap_or_default();
    }
    parts.join(" ")
}

#[test]
fn the_examples_describe_their_steps_as_before() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for name in ["quickstart.toml", "staking.toml"] {
        let text = std::fs::read_to_string(root.join(name)).unwrap();
        let raw: RawFile = toml::from_str(&text).unwrap();
        let parsed = parse(&text).unwrap();
        assert_eq!(raw.step.len(), parsed.steps.len());
        for (raw, step) in raw.step.iter().zip(&parsed.steps) {
            let raw = raw.get_ref();
            assert_eq!(step.action.name(), raw.action, "{name} line {}", step.line);
            assert_eq!(
                step.describe(),
                untyped_describe(raw),
                "{name} line {}",
                step.line
            );
        }
    }
}

#[test]
fn every_do_parses_to_the_action_of_that_name() {
    let kinds = [
        "stake",
        "request_unstake",
        "cancel_unstake",
        "complete_unstake",
        "advance",
        "mint",
        "revenue",
        "donate",
        "sweep",
        "sync",
        "premium",
        "deposit",
        "withdraw",
        "position",
        "bankrupt",
        "resolve",
        "set_cap",
        "set_pool",
        "pause",
        "unpause",
        "propose_payout",
        "execute_payout",
        "cancel_payout",
        "cancel_change",
        "void_bankruptcy",
        "create_receipt_mint",
        "wrap",
        "unwrap",
        "send_receipts",
        "freeze",
        "unfreeze",
        "snapshot",
        "seize",
        "transfer_fee",
        "transfer_hook",
    ];
    // Every field any action reads; each action ignores the others.
    let fields = "who = \"a\"\nasset = \"USDC\"\nmarket = \"M\"\namount = 1\nseconds = 1\n\
                  base = 1\ncap = 1\nops = [\"stake\"]\nlabel = \"l\"\nid = 1\nto = \"b\"\n\
                  shares = 1\nfee_bps = 1\nhook = true\n";
    for kind in kinds {
        let s = parse(&format!(
            "{USDC_POOL}[[market]]\nname = \"M\"\nkind = \"perp\"\nasset = \"USDC\"\n\
             [[step]]\ndo = \"{kind}\"\n{fields}"
        ))
        .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(s.steps[0].action.name(), kind);
    }
}

#[test]
fn a_pools_extensions_need_token_2022_and_known_names() {
    let pool = |extra: &str| {
        format!("[[pool]]\nasset = \"PYD\"\n{extra}\n[[step]]\ndo = \"advance\"\nseconds = 1\n")
    };
    let ok = parse(&pool(
        "token_program = \"token-2022\"\nextensions = [\"permanent_delegate\", \"transfer_hook\"]",
    ))
    .unwrap();
    assert_eq!(
        ok.pools[0].extensions,
        [MintFeature::PermanentDelegate, MintFeature::TransferHook]
    );
    let spl = parse(&pool("extensions = [\"transfer_fee\"]")).unwrap_err();
    assert_eq!(spl.line, 1);
    assert_eq!(spl.reason, "extensions need token_program = \"token-2022\"");
    let unknown = parse(&pool(
        "token_program = \"token-2022\"\nextensions = [\"pausable\"]",
    ))
    .unwrap_err();
    assert!(
        unknown.reason.contains("unknown variant `pausable`"),
        "{unknown}"
    );
    let fee = parse(&format!(
        "{USDC_POOL}[[step]]\ndo = \"transfer_fee\"\nasset = \"USDC\"\nfee_bps = 10_001\n"
    ))
    .unwrap_err();
    assert_eq!(fee.reason, "fee_bps 10001 is above 10,000");
}

#[test]
fn cancel_change_names_a_market_a_pool_or_the_delay() {
    let market = parse(&format!(
        "{USDC_POOL}[[market]]\nname = \"M\"\nkind = \"perp\"\nasset = \"USDC\"\n\
         [[step]]\ndo = \"cancel_change\"\nmarket = \"M\"\n\
         [[step]]\ndo = \"cancel_change\"\nasset = \"USDC\"\n\
         [[step]]\ndo = \"cancel_change\"\nfield = \"governance_delay\"\n"
    ))
    .unwrap();
    assert_eq!(
        market.steps[2].action,
        Action::CancelChange {
            target: ChangeTarget::GovernanceDelay
        }
    );
    assert_eq!(
        market.steps[0].action,
        Action::CancelChange {
            target: ChangeTarget::Market("M".into())
        }
    );
    assert_eq!(
        market.steps[1].action,
        Action::CancelChange {
            target: ChangeTarget::Pool("USDC".into())
        }
    );
    let e = step_error("do = \"cancel_change\"\n");
    assert!(
        e.to_string().contains("`market`, `asset`, or `field`"),
        "{e}"
    );
    let e = step_error("do = \"cancel_change\"\nfield = \"treasury\"\n");
    assert!(
        e.to_string().contains("`market`, `asset`, or `field`"),
        "{e}"
    );
    let guardian = parse(&format!(
        "{USDC_POOL}[[step]]\ndo = \"cancel_change\"\nfield = \"guardian\"\n"
    ))
    .unwrap();
    assert_eq!(
        guardian.steps[0].action,
        Action::CancelChange {
            target: ChangeTarget::Guardian
        }
    );
}

#[test]
fn receipt_steps_read_their_fields() {
    let s = parse(&format!(
        "{USDC_POOL}[[step]]\ndo = \"wrap\"\nwho = \"a\"\nasset = \"USDC\"\nshares = 7\n\
         [[step]]\ndo = \"send_receipts\"\nwho = \"a\"\nto = \"b\"\nasset = \"USDC\"\namount = 3\n"
    ))
    .unwrap();
    assert_eq!(
        s.steps[0].action,
        Action::Wrap {
            who: "a".into(),
            asset: "USDC".into(),
            shares: 7
        }
    );
    assert_eq!(
        s.steps[1].action,
        Action::SendReceipts {
            who: "a".into(),
            to: "b".into(),
            asset: "USDC".into(),
            amount: 3
        }
    );
    let e = step_error("do = \"wrap\"\nwho = \"a\"\nasset = \"USDC\"\n");
    assert!(e.to_string().contains("`shares`"), "{e}");
}
