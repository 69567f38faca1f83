//! Arbitrary instruction data and account lists into the program's entrypoint
//! never panic (issue 11, the raw-bytes target). A property test stands in
//! for cargo-fuzz: each case builds AccountInfos the way the runtime lays
//! them out (a length word before the data, room to grow after it), from
//! real accounts of every type, mutated, and from noise, and calls the
//! entrypoint directly. No bank runs in this binary, so the syscalls answer
//! with the native defaults (no clock: instructions that read it fail early;
//! the rest run as deep as their checks let them).

use std::panic::{AssertUnwindSafe, catch_unwind};

use anchor_lang::{AccountSerialize, Discriminator};
use backstop_bank::process_instruction;
use backstop_client::instructions::INSTRUCTIONS;
use backstop_client::types::*;
use proptest::prelude::*;
use solana_pubkey::Pubkey;

/// Room the runtime leaves after an account's data for it to grow.
const GROWTH: usize = 10 * 1024;

/// Owners an account may have.
fn owners() -> Vec<Pubkey> {
    vec![
        PROGRAM_ID,
        anchor_spl_ids().0,
        anchor_spl_ids().1,
        Pubkey::default(),
        Pubkey::new_from_array([7; 32]),
    ]
}

fn anchor_spl_ids() -> (Pubkey, Pubkey) {
    let t = backstop_client::ix::Asset::spl_token(Pubkey::default()).token_program;
    let t22 = backstop_client::ix::Asset::token_2022(Pubkey::default()).token_program;
    (t, t22)
}

/// Serialised accounts of every Backstop type, to mutate.
fn seeds_of_data() -> Vec<Vec<u8>> {
    fn bytes<T: AccountSerialize>(account: &T) -> Vec<u8> {
        let mut out = Vec::new();
        account.try_serialize(&mut out).expect("serialises");
        out
    }
    let key = Pubkey::new_from_array([3; 32]);
    let stake = Stake::new(key, key, 0, 255);
    let mut data = vec![
        bytes(&stake),
        bytes(&Lender::new(key, key, 254)),
        bytes(&Position::new(key, key, 0, 253)),
        bytes(&Bankruptcy::new(key, key, 10, 0, 0, 252)),
        bytes(&Payout::new(key, 0, key, 10, 0, 251)),
        bytes(&Protocol::new(key, key, key, 0, 250, 0)),
    ];
    // Pool and Market have large constructors; their discriminators with
    // zeroed bodies of the right length serve as well.
    let mut pool = Pool::DISCRIMINATOR.to_vec();
    pool.resize(backstop_client::types::POOL_ACCOUNT_SIZE, 0);
    data.push(pool);
    let mut market = Market::DISCRIMINATOR.to_vec();
    market.resize(449, 0);
    data.push(market);
    // a token account and a mint of classic size
    data.push(vec![0; 165]);
    data.push(vec![0; 82]);
    data
}

#[derive(Debug, Clone)]
struct RawAccount {
    key: [u8; 32],
    owner: usize,
    data: Vec<u8>,
    lamports: u64,
    signer: bool,
    writable: bool,
    executable: bool,
}

fn raw_account() -> impl Strategy<Value = RawAccount> {
    let seeds = seeds_of_data();
    (
        prop_oneof![Just([1u8; 32]), Just([2u8; 32]), any::<[u8; 32]>()],
        prop_oneof![3 => Just(0usize), 2 => 0..owners().len()],
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..300),
            (0..seeds.len(), any::<usize>(), any::<u8>()).prop_map(move |(i, at, b)| {
                let mut d = seeds[i].clone();
                if !d.is_empty() {
                    let n = d.len();
                    d[at % n] ^= b;
                }
                d
            }),
        ],
        any::<u64>(),
        // most slots want a signer or a writable account: lean that way so
        // cases get past the first checks
        proptest::bool::weighted(0.8),
        proptest::bool::weighted(0.8),
        proptest::bool::weighted(0.1),
    )
        .prop_map(
            |(key, owner, data, lamports, signer, writable, executable)| RawAccount {
                key,
                owner,
                data,
                lamports,
                signer,
                writable,
                executable,
            },
        )
}

fn instruction_data() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        (
            0..INSTRUCTIONS.len(),
            proptest::collection::vec(any::<u8>(), 0..200)
        )
            .prop_map(|(i, rest)| {
                let mut d = INSTRUCTIONS[i].1.to_vec();
                d.extend(rest);
                d
            }),
    ]
}

/// Runs the entrypoint on accounts laid out as the runtime lays them out.
fn run(data: &[u8], accounts: &[RawAccount]) {
    let owners = owners();
    let keys: Vec<Pubkey> = accounts
        .iter()
        .map(|a| Pubkey::new_from_array(a.key))
        .collect();
    let owner_keys: Vec<Pubkey> = accounts.iter().map(|a| owners[a.owner]).collect();
    let mut lamports: Vec<u64> = accounts.iter().map(|a| a.lamports).collect();
    let mut buffers: Vec<Vec<u8>> = accounts
        .iter()
        .map(|a| {
            let mut buf = (a.data.len() as u64).to_le_bytes().to_vec();
            buf.extend_from_slice(&a.data);
            buf.resize(8 + a.data.len() + GROWTH, 0);
            buf
        })
        .collect();
    let mut infos = Vec::new();
    for (((account, key), owner), (lamports, buf)) in accounts
        .iter()
        .zip(&keys)
        .zip(&owner_keys)
        .zip(lamports.iter_mut().zip(buffers.iter_mut()))
    {
        let len = account.data.len();
        infos.push(anchor_lang::prelude::AccountInfo::new(
            key,
            account.signer,
            account.writable,
            lamports,
            &mut buf[8..8 + len],
            owner,
            account.executable,
        ));
    }
    let _ = process_instruction(&PROGRAM_ID, &infos, data);
}

#[test]
fn arbitrary_input_never_panics() {
    if backstop_bank::skip_on_sbf(
        "raw_entry::arbitrary_input_never_panics",
        "it calls the natively compiled entrypoint function directly, with no bank or VM",
    ) {
        return;
    }
    arbitrary_input_never_panics_natively();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    fn arbitrary_input_never_panics_natively(
        data in instruction_data(),
        accounts in proptest::collection::vec(raw_account(), 0..20),
    ) {
        let outcome = catch_unwind(AssertUnwindSafe(|| run(&data, &accounts)));
        prop_assert!(outcome.is_ok(), "the entrypoint panicked");
    }
}
