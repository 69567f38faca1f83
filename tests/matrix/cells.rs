//! The matrix's machinery: the catalogue of the world's accounts, their
//! kinds, snapshots, and the run that substitutes every slot of an
//! instruction with every look-alike and checks each refusal.

use std::collections::BTreeMap;

use backstop_tests::*;
use solana_instruction::AccountMeta;

/// What the matrix knows about every account of the world.
pub(crate) struct Catalogue {
    pub(crate) keys: Vec<Pubkey>,
    pub(crate) signers: Vec<Keypair>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Program,
    Backstop([u8; 8]),
    TokenAccount,
    Mint,
    Wallet,
    Missing,
}

pub(crate) async fn kind_of(w: &mut World, key: Pubkey) -> Kind {
    let Some(account) = w.bank.account(key).await else {
        return Kind::Missing;
    };
    if account.executable {
        return Kind::Program;
    }
    let (token, t22) = (
        Asset::spl_token(key).token_program,
        Asset::token_2022(key).token_program,
    );
    if account.owner == PROGRAM_ID && account.data.len() >= 8 {
        let mut d = [0u8; 8];
        d.copy_from_slice(&account.data[..8]);
        return Kind::Backstop(d);
    }
    if account.owner == token || account.owner == t22 {
        return if account.data.len() >= 165 {
            Kind::TokenAccount
        } else {
            Kind::Mint
        };
    }
    Kind::Wallet
}

/// Every account of the world and what could be passed off as what.
pub(crate) async fn classify(w: &mut World, catalogue: &Catalogue) -> BTreeMap<Kind, Vec<Pubkey>> {
    let mut by_kind: BTreeMap<Kind, Vec<Pubkey>> = BTreeMap::new();
    for key in &catalogue.keys {
        let kind = kind_of(w, *key).await;
        by_kind.entry(kind).or_default().push(*key);
    }
    by_kind
}

/// Every account's bytes, owner and (for non-signers) lamports.
pub(crate) async fn snapshot(
    w: &mut World,
    keys: &[Pubkey],
) -> Vec<Option<(Vec<u8>, Pubkey, u64)>> {
    let mut out = Vec::new();
    for key in keys {
        out.push(
            w.bank
                .account(*key)
                .await
                .map(|a| (a.data, a.owner, a.lamports)),
        );
    }
    out
}

pub(crate) struct Matrix {
    pub(crate) catalogue: Catalogue,
    pub(crate) cells: usize,
    pub(crate) target_slots: usize,
    pub(crate) per_instruction: Vec<(String, usize, usize)>,
}

impl Matrix {
    /// Tries every substitution of `base` (signed by `signers`), then sends
    /// `base` itself, which must succeed.
    pub(crate) async fn run(
        &mut self,
        w: &mut World,
        name: &str,
        base: Instruction,
        signers: &[&Keypair],
    ) {
        self.run_on(w, name, base, signers, None, &[]).await
    }

    /// [`Matrix::run`] for an instruction whose `target` account is what it
    /// acts on and which its signer may act on in any account of that type
    /// (the admin capping any market, a keeper executing any due payout, a
    /// staker choosing the account its exit is paid to):
    /// another such account there is another legitimate instruction, so the
    /// target slot is not substituted (and is counted apart). `also_allowed`
    /// are signers entitled to sign in the same place (the admin may pause).
    pub(crate) async fn run_on(
        &mut self,
        w: &mut World,
        name: &str,
        base: Instruction,
        signers: &[&Keypair],
        target: Option<Pubkey>,
        also_allowed: &[Pubkey],
    ) {
        let by_kind = classify(w, &self.catalogue).await;
        let free = [w.keeper.pubkey(), w.bank.payer_pubkey()];
        let fee_payers: Vec<Pubkey> = free.to_vec();
        let watched: Vec<Pubkey> = self
            .catalogue
            .keys
            .iter()
            .filter(|k| !fee_payers.contains(k))
            .copied()
            .collect();
        let before = snapshot(w, &watched).await;
        let (mut slots, mut cells) = (0, 0);
        for (i, meta) in base.accounts.clone().iter().enumerate() {
            // Permissionless signers (keeper, payer) may be anyone; an absent
            // optional account is encoded as the program id.
            if free.contains(&meta.pubkey) || meta.pubkey == PROGRAM_ID {
                continue;
            }
            if Some(meta.pubkey) == target {
                self.target_slots += 1;
                continue;
            }
            let candidates: Vec<Pubkey> = if meta.is_signer {
                self.catalogue
                    .signers
                    .iter()
                    .map(|k| k.pubkey())
                    .filter(|k| *k != meta.pubkey && !free.contains(k))
                    .filter(|k| !also_allowed.contains(k))
                    .collect()
            } else {
                let kind = kind_of(w, meta.pubkey).await;
                let same: Vec<Pubkey> = match &kind {
                    // an account to be created: any existing program account,
                    // and the programs, may be tried in its place
                    Kind::Missing => by_kind
                        .iter()
                        .filter(|(k, _)| matches!(k, Kind::Backstop(_)))
                        .flat_map(|(_, v)| v.iter().copied())
                        .take(12)
                        .collect(),
                    other => by_kind.get(other).cloned().unwrap_or_default(),
                };
                same.into_iter().filter(|k| *k != meta.pubkey).collect()
            };
            if candidates.is_empty() {
                continue;
            }
            slots += 1;
            for substitute in candidates {
                let mut ix = base.clone();
                for m in ix.accounts.iter_mut() {
                    if m.pubkey == meta.pubkey {
                        *m = AccountMeta {
                            pubkey: substitute,
                            ..m.clone()
                        };
                    }
                }
                let mut sign: Vec<&Keypair> = signers
                    .iter()
                    .copied()
                    .filter(|k| k.pubkey() != meta.pubkey)
                    .collect();
                if meta.is_signer {
                    sign.extend(
                        self.catalogue
                            .signers
                            .iter()
                            .filter(|k| k.pubkey() == substitute),
                    );
                }
                let outcome = w.send(&[ix], &sign).await;
                cells += 1;
                match outcome {
                    Ok(_) => panic!(
                        "{name}: slot {i} ({}) accepted {substitute} in place of {}",
                        meta.pubkey, meta.pubkey
                    ),
                    // named, and by an identity check: the last-line invariant
                    // (vault ≥ A) must never be what stops a substitution
                    Err(e) => assert!(
                        !e.name.starts_with("Custom(")
                            && !e.name.is_empty()
                            && e.name != BackstopError::InvariantViolated.name(),
                        "{name}: slot {i} ({substitute}) refused by {}",
                        e.name
                    ),
                }
            }
            let _ = i;
        }
        let after = snapshot(w, &watched).await;
        for ((key, b), a) in watched.iter().zip(&before).zip(&after) {
            assert_eq!(b, a, "{name}: a refused substitution changed {key}");
        }
        self.cells += cells;
        self.per_instruction.push((name.to_string(), slots, cells));
        ok(w.send(&[base], signers).await);
    }
}
