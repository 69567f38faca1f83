//! The program's IDL (idl/backstop.json, embedded at build time): the
//! program's error messages, and a decoded, human-readable view of an
//! instruction (each account's role, the arguments with their units) for
//! whoever approves it in a multisig.

use std::sync::OnceLock;

use anyhow::{Result, anyhow, bail};
use serde_json::{Value, json};
use solana_instruction::Instruction;
use solana_pubkey::Pubkey;

static IDL_TEXT: &str = include_str!("../../../idl/backstop.json");

fn idl() -> &'static Value {
    static IDL: OnceLock<Value> = OnceLock::new();
    IDL.get_or_init(|| serde_json::from_str(IDL_TEXT).expect("the embedded IDL is JSON"))
}

/// The program's message for one of its error codes (`#[msg]` in the IDL).
pub fn error_message(code: u32) -> Option<String> {
    idl()["errors"]
        .as_array()?
        .iter()
        .find(|e| e["code"].as_u64() == Some(code as u64))
        .and_then(|e| e["msg"].as_str())
        .map(str::to_string)
}

/// One account of a decoded instruction.
pub struct Role {
    pub name: String,
    pub pubkey: Pubkey,
    pub writable: bool,
    pub signer: bool,
}

/// An instruction decoded with the IDL.
pub struct Decoded {
    pub instruction: String,
    pub accounts: Vec<Role>,
    /// (name, value with its unit)
    pub args: Vec<(String, String)>,
}

/// Flattens the IDL's accounts (nested groups become `group.account`).
fn account_names(accounts: &Value, prefix: &str, out: &mut Vec<(String, bool)>) {
    for a in accounts.as_array().into_iter().flatten() {
        let name = format!("{prefix}{}", a["name"].as_str().unwrap_or("?"));
        if a.get("accounts").is_some() {
            account_names(&a["accounts"], &format!("{name}."), out);
        } else {
            out.push((name, a["optional"].as_bool().unwrap_or(false)));
        }
    }
}

/// Decodes a Backstop instruction; `decimals` adds token units to amounts.
pub fn decode(ix: &Instruction, decimals: Option<u8>) -> Result<Decoded> {
    let name = backstop_client::instructions::instruction_name(&ix.data)
        .ok_or_else(|| anyhow!("not a Backstop instruction"))?;
    let spec = idl()["instructions"]
        .as_array()
        .and_then(|all| all.iter().find(|i| i["name"] == name))
        .ok_or_else(|| anyhow!("{name} is not in the IDL"))?;
    let mut names = Vec::new();
    account_names(&spec["accounts"], "", &mut names);
    let accounts = ix
        .accounts
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (role, optional) = names
                .get(i)
                .cloned()
                .unwrap_or_else(|| (format!("remaining #{i}"), false));
            // Anchor passes an absent optional account as the program id.
            let absent = optional && m.pubkey == ix.program_id;
            Role {
                name: if absent {
                    format!("{role} (absent)")
                } else {
                    role
                },
                pubkey: m.pubkey,
                writable: m.is_writable,
                signer: m.is_signer,
            }
        })
        .collect();
    let mut data = &ix.data[8..];
    let mut args = Vec::new();
    for arg in spec["args"].as_array().into_iter().flatten() {
        let arg_name = arg["name"].as_str().unwrap_or("?");
        read(&arg["type"], arg_name, &mut data, decimals, &mut args)?;
    }
    if !data.is_empty() {
        bail!("{} bytes of {name}'s data left over", data.len());
    }
    Ok(Decoded {
        instruction: name.to_string(),
        accounts,
        args,
    })
}

fn take<const N: usize>(data: &mut &[u8]) -> Result<[u8; N]> {
    if data.len() < N {
        bail!("the instruction data is too short");
    }
    let (head, rest) = data.split_at(N);
    *data = rest;
    Ok(head.try_into().expect("N bytes"))
}

/// Reads one borsh value of IDL type `ty`, pushing `(name, shown)` pairs.
fn read(
    ty: &Value,
    name: &str,
    data: &mut &[u8],
    decimals: Option<u8>,
    out: &mut Vec<(String, String)>,
) -> Result<()> {
    let field = name.rsplit('.').next().unwrap_or(name);
    let shown = match ty {
        Value::String(t) => match t.as_str() {
            "bool" => (take::<1>(data)?[0] != 0).to_string(),
            "u16" => with_unit(field, u16::from_le_bytes(take(data)?) as u128, decimals),
            "u64" => with_unit(field, u64::from_le_bytes(take(data)?) as u128, decimals),
            "u128" => with_unit(field, u128::from_le_bytes(take(data)?), decimals),
            "i64" => i64::from_le_bytes(take(data)?).to_string(),
            "pubkey" => Pubkey::new_from_array(take(data)?).to_string(),
            other => bail!("IDL type {other} is not decoded here"),
        },
        Value::Object(o) if o.contains_key("option") => {
            if take::<1>(data)?[0] == 0 {
                "(unchanged)".to_string()
            } else {
                return read(&ty["option"], name, data, decimals, out);
            }
        }
        Value::Object(o) if o.contains_key("defined") => {
            let type_name = &ty["defined"]["name"];
            let def = idl()["types"]
                .as_array()
                .and_then(|all| all.iter().find(|t| &t["name"] == type_name))
                .ok_or_else(|| anyhow!("type {type_name} is not in the IDL"))?;
            match def["type"]["kind"].as_str() {
                Some("struct") => {
                    for f in def["type"]["fields"].as_array().into_iter().flatten() {
                        let sub = format!("{name}.{}", f["name"].as_str().unwrap_or("?"));
                        read(&f["type"], &sub, data, decimals, out)?;
                    }
                    return Ok(());
                }
                Some("enum") => {
                    let i = take::<1>(data)?[0] as usize;
                    def["type"]["variants"][i]["name"]
                        .as_str()
                        .ok_or_else(|| anyhow!("variant {i} of {type_name}"))?
                        .to_string()
                }
                _ => bail!("type {type_name} is not decoded here"),
            }
        }
        other => bail!("IDL type {other} is not decoded here"),
    };
    out.push((name.to_string(), shown));
    Ok(())
}

/// A number with its unit, by the field's name.
fn with_unit(field: &str, n: u128, decimals: Option<u8>) -> String {
    match field {
        "cap" | "amount" | "min_stake" | "deficit" => {
            if field == "cap" && n == u64::MAX as u128 {
                return format!("{n} base units (unlimited)");
            }
            match (decimals, u64::try_from(n)) {
                (Some(d), Ok(units)) => format!(
                    "{n} base units ({} tokens at {d} decimals)",
                    backstop_client::amount::format_amount(units, d)
                ),
                _ => format!("{n} base units"),
            }
        }
        "cooldown" | "window" | "sweep_interval" | "governance_delay" => {
            format!("{n} s ({})", duration(n))
        }
        "flags" => format!(
            "{n:#06x} ({})",
            backstop_client::pause::names(n as u16).join(", ")
        ),
        f if f.ends_with("_bps") => format!("{n} bps ({}%)", n as f64 / 100.0),
        _ => n.to_string(),
    }
}

fn duration(s: u128) -> String {
    match s {
        0 => "none".into(),
        s if s % 86_400 == 0 => format!("{} d", s / 86_400),
        s if s % 3_600 == 0 => format!("{} h", s / 3_600),
        s => format!("{s} s"),
    }
}

/// The decoded view as text lines and as JSON.
pub fn render(d: &Decoded, ix: &Instruction) -> (String, Value) {
    let mut human = format!(
        "instruction: {} (program {})\naccounts:\n",
        d.instruction, ix.program_id
    );
    for (i, r) in d.accounts.iter().enumerate() {
        let flags = match (r.writable, r.signer) {
            (true, true) => "writable, signer",
            (true, false) => "writable",
            (false, true) => "signer",
            (false, false) => "read-only",
        };
        // Pubkey's Display ignores the width: pad its text, so a 43-character
        // key lines up with 44-character ones.
        human.push_str(&format!(
            "  {i:>2} {:<22} {:<44} {flags}\n",
            r.name,
            r.pubkey.to_string()
        ));
    }
    human.push_str("arguments:\n");
    for (name, value) in &d.args {
        human.push_str(&format!("  {name:<32} {value}\n"));
    }
    let machine = json!({
        "instruction": d.instruction,
        "accounts": d.accounts.iter().map(|r| json!({ "role": r.name, "pubkey": r.pubkey.to_string(),
            "writable": r.writable, "signer": r.signer })).collect::<Vec<_>>(),
        "args": d.args.iter().map(|(n, v)| json!({ "name": n, "value": v })).collect::<Vec<_>>(),
    });
    (human, machine)
}

#[cfg(test)]
mod tests {
    use super::*;
    use backstop_client::ix;

    #[test]
    fn set_cap_and_pause_decoded() {
        let admin = Pubkey::new_unique();
        let d = decode(&ix::set_market_cap(admin, 3, 2_500_000), Some(6)).unwrap();
        assert_eq!(d.instruction, "set_market_cap");
        let roles: Vec<_> = d.accounts.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(roles, ["admin", "protocol", "market"]);
        assert!(d.accounts[0].signer && !d.accounts[0].writable && d.accounts[2].writable);
        assert_eq!(d.accounts[2].pubkey, backstop_client::pda::market(3));
        assert_eq!(
            d.args,
            [(
                "cap".to_string(),
                "2500000 base units (2.5 tokens at 6 decimals)".to_string()
            )]
        );
        let p = decode(&ix::pause(admin, backstop_client::pause::STAKE), None).unwrap();
        assert_eq!(p.args[0].1, "0x0001 (stake)");
        assert_eq!(
            error_message(6000).as_deref(),
            Some("Only the protocol admin may do this")
        );
    }
}
