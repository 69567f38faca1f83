//! A deploy as on a cluster (issue 18, item 3): `target/deploy/backstop.so`
//! goes through the BPF upgradeable loader's own instructions, as `solana
//! program deploy` sends them: a buffer account, the ELF written into it in
//! transactions of at most 1,232 bytes, then `DeployWithMaxDataLen`; then the
//! protocol is initialised by the upgrade authority (and refused to anyone
//! else).
//!
//! Runs on the SBF VM pass only (`BACKSTOP_SBF=1`, after `sbf/build`), as
//! the `.so` may not exist otherwise. The instruction's discriminator, the
//! error codes and the program address come from the IDL (`idl/backstop.json`):
//! this crate stays off the program's own crates (other solana versions).

use std::io::Write;
use std::path::PathBuf;

use backstop_vm::{AccountBytes, Outcome, UPGRADEABLE_LOADER, Vm};
use solana_address::Address;
use solana_hash::Hash;
use solana_instruction::{AccountMeta, Instruction};
use solana_keypair::Keypair;
use solana_loader_v3_interface::instruction as loader;
use solana_loader_v3_interface::state::UpgradeableLoaderState;
use solana_signer::Signer;
use solana_transaction::Transaction;

/// The largest transaction a cluster takes: an IPv6 packet's 1,280 bytes
/// less its 40-byte header and an 8-byte fragment header.
const PACKET_DATA_SIZE: usize = 1_232;

const SOL: u64 = 1_000_000_000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether the pass runs on the SBF VM; prints why the test skips natively.
fn on_the_vm(test: &str) -> bool {
    let sbf = std::env::var("BACKSTOP_SBF").is_ok_and(|v| v == "1");
    if !sbf {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED natively: deploy::{test} runs only on the SBF VM pass (BACKSTOP_SBF=1, \
             after `sbf/build`): it deploys target/deploy/backstop.so"
        );
    }
    sbf
}

fn elf() -> Vec<u8> {
    let dir = std::env::var_os("BACKSTOP_SBF_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/deploy"));
    let path = dir.join("backstop.so");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}: run sbf/build first", path.display()))
}

/// What the test reads from the IDL.
struct Idl {
    program: Address,
    initialize_protocol: Vec<u8>,
    not_upgrade_authority: u32,
}

fn idl() -> Idl {
    let text = std::fs::read_to_string(root().join("idl/backstop.json")).expect("idl");
    let idl: serde_json::Value = serde_json::from_str(&text).expect("IDL JSON");
    let program = Address::from_str_const(idl["address"].as_str().unwrap());
    let ix = idl["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "initialize_protocol")
        .expect("initialize_protocol in the IDL");
    let accounts: Vec<&str> = ix["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    // the account order `initialize_protocol` below sends
    assert_eq!(
        accounts,
        ["payer", "protocol", "program_data", "system_program"]
    );
    let initialize_protocol = ix["discriminator"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as u8)
        .collect();
    let not_upgrade_authority = idl["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "NotUpgradeAuthority")
        .expect("NotUpgradeAuthority in the IDL")["code"]
        .as_u64()
        .unwrap() as u32;
    Idl {
        program,
        initialize_protocol,
        not_upgrade_authority,
    }
}

/// A VM and a funded fee payer, who is also the upgrade authority.
struct Chain {
    vm: Vm,
    payer: Keypair,
}

impl Chain {
    fn new() -> Chain {
        let mut vm = Vm::new();
        let payer = Keypair::new();
        vm.set_account(
            payer.pubkey().to_bytes(),
            AccountBytes {
                lamports: 100 * SOL,
                ..Default::default()
            },
        )
        .unwrap();
        Chain { vm, payer }
    }

    fn tx(&self, instructions: &[Instruction], signers: &[&Keypair]) -> Vec<u8> {
        let mut all = vec![&self.payer];
        all.extend_from_slice(signers);
        let blockhash = Hash::new_from_array(self.vm.latest_blockhash());
        let tx = Transaction::new_signed_with_payer(
            instructions,
            Some(&self.payer.pubkey()),
            &all,
            blockhash,
        );
        bincode::serialize(&tx).unwrap()
    }

    fn send(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Outcome {
        let tx = self.tx(instructions, signers);
        assert!(tx.len() <= PACKET_DATA_SIZE, "{} bytes", tx.len());
        self.vm.send(&tx).unwrap()
    }

    fn account(&self, key: Address) -> Option<AccountBytes> {
        self.vm.account(key.to_bytes())
    }

    /// `solana program deploy`'s steps after the program account exists:
    /// a buffer, the ELF in chunks, DeployWithMaxDataLen. Answers the write
    /// transactions' sizes.
    fn deploy(&mut self, program: Address, elf: &[u8], max_data_len: usize) -> Vec<usize> {
        let authority = self.payer.pubkey();
        let buffer = Keypair::new();
        let lamports = self
            .vm
            .minimum_balance(UpgradeableLoaderState::size_of_buffer(elf.len()));
        let create = loader::create_buffer(
            &authority,
            &buffer.pubkey(),
            &authority,
            lamports,
            elf.len(),
        )
        .unwrap();
        let outcome = self.send(&create, &[&buffer]);
        assert_eq!(outcome.error_text, None, "{:#?}", outcome.logs);

        // The largest chunk that keeps a write transaction within a packet:
        // an empty write's size, less one byte for the instruction data's
        // length growing to a two-byte compact-u16.
        let empty = self.tx(
            &[loader::write(&buffer.pubkey(), &authority, 0, vec![])],
            &[],
        );
        let chunk = PACKET_DATA_SIZE - empty.len() - 1;
        let mut sizes = Vec::new();
        for (i, bytes) in elf.chunks(chunk).enumerate() {
            let offset = (i * chunk) as u32;
            let write = loader::write(&buffer.pubkey(), &authority, offset, bytes.to_vec());
            let tx = self.tx(&[write], &[]);
            sizes.push(tx.len());
            let outcome = self.vm.send(&tx).unwrap();
            assert_eq!(
                outcome.error_text, None,
                "write at {offset}: {:#?}",
                outcome.logs
            );
        }
        let written = self.account(buffer.pubkey()).expect("buffer");
        assert_eq!(
            written.data[UpgradeableLoaderState::size_of_buffer_metadata()..],
            *elf
        );

        // The create_account of the program account, if the program has no
        // account yet, is the caller's (it needs the program's signature).
        let deploy = loader::deploy_with_max_program_len(
            &authority,
            &program,
            &buffer.pubkey(),
            &authority,
            self.vm
                .minimum_balance(UpgradeableLoaderState::size_of_program()),
            max_data_len,
            true,
        )
        .unwrap();
        let outcome = self.send(&deploy[1..], &[]);
        assert_eq!(outcome.error_text, None, "{:#?}", outcome.logs);
        // the buffer is closed into the payer
        assert!(self.account(buffer.pubkey()).is_none());
        // A program deployed in a slot runs from the next one.
        let mut clock = self.vm.clock();
        clock.slot += 1;
        self.vm.set_clock(clock);
        sizes
    }

    fn initialize_protocol(&mut self, idl: &Idl, signer: &Keypair) -> Outcome {
        let (protocol, _) = Address::find_program_address(&[b"protocol"], &idl.program);
        let program_data =
            Address::new_from_array(Vm::program_data_address(idl.program.to_bytes()));
        let mut data = idl.initialize_protocol.clone();
        // InitializeProtocolArgs: admin, guardian, treasury, governance_delay (u64)
        for _ in 0..3 {
            data.extend_from_slice(signer.pubkey().as_ref());
        }
        data.extend_from_slice(&0u64.to_le_bytes());
        let ix = Instruction::new_with_bytes(
            idl.program,
            &data,
            vec![
                AccountMeta::new(signer.pubkey(), true),
                AccountMeta::new(protocol, false),
                AccountMeta::new_readonly(program_data, false),
                AccountMeta::new_readonly(solana_system_interface::program::ID, false),
            ],
        );
        let signer = signer.insecure_clone();
        if signer.pubkey() == self.payer.pubkey() {
            self.send(&[ix], &[])
        } else {
            self.send(&[ix], &[&signer])
        }
    }
}

#[test]
fn backstop_deploys_through_the_upgradeable_loader_then_initialises() {
    if !on_the_vm("backstop_deploys_through_the_upgradeable_loader_then_initialises") {
        return;
    }
    let elf = elf();
    let idl = idl();
    let mut chain = Chain::new();
    let authority = chain.payer.pubkey();
    // Backstop's address is a vanity key whose keypair the tests do not hold,
    // so the program account `solana program deploy` creates first (a system
    // create_account the program's keypair signs) is written as that
    // instruction leaves it: zeroed (Uninitialized), owned by the loader,
    // rent-exempt. The next test runs that instruction too, at a fresh key.
    let program_len = UpgradeableLoaderState::size_of_program();
    chain
        .vm
        .set_account(
            idl.program.to_bytes(),
            AccountBytes {
                lamports: chain.vm.minimum_balance(program_len),
                data: vec![0; program_len],
                owner: UPGRADEABLE_LOADER,
                executable: false,
            },
        )
        .unwrap();
    let max_data_len = 2 * elf.len();
    let sizes = chain.deploy(idl.program, &elf, max_data_len);

    // Every write fits a packet, all but the last exactly.
    let (last, full) = sizes.split_last().unwrap();
    assert!(full.iter().all(|s| *s == PACKET_DATA_SIZE), "{sizes:?}");
    assert!(*last <= PACKET_DATA_SIZE);
    let chunk = elf.len().div_ceil(sizes.len());
    assert!(
        chunk > 1_000,
        "{} writes for {} bytes",
        sizes.len(),
        elf.len()
    );

    // The accounts are as on a cluster.
    let program = chain.account(idl.program).unwrap();
    assert!(program.executable);
    assert_eq!(program.owner, UPGRADEABLE_LOADER);
    let program_data = Address::new_from_array(Vm::program_data_address(idl.program.to_bytes()));
    assert_eq!(
        bincode::deserialize::<UpgradeableLoaderState>(&program.data).unwrap(),
        UpgradeableLoaderState::Program {
            programdata_address: program_data
        }
    );
    let data = chain.account(program_data).unwrap();
    assert_eq!(data.owner, UPGRADEABLE_LOADER);
    let metadata = UpgradeableLoaderState::size_of_programdata_metadata();
    assert_eq!(data.data.len(), metadata + max_data_len);
    match bincode::deserialize::<UpgradeableLoaderState>(&data.data).unwrap() {
        UpgradeableLoaderState::ProgramData {
            upgrade_authority_address,
            ..
        } => assert_eq!(upgrade_authority_address, Some(authority)),
        other => panic!("ProgramData holds {other:?}"),
    }
    assert_eq!(data.data[metadata..metadata + elf.len()], *elf);
    assert!(data.data[metadata + elf.len()..].iter().all(|b| *b == 0));

    // Anyone but the upgrade authority is refused by name.
    let mallory = Keypair::new();
    chain
        .vm
        .set_account(
            mallory.pubkey().to_bytes(),
            AccountBytes {
                lamports: SOL,
                ..Default::default()
            },
        )
        .unwrap();
    let refused = chain.initialize_protocol(&idl, &mallory);
    assert_eq!(
        refused.error_text.as_deref(),
        Some(
            format!(
                "Error processing Instruction 0: custom program error: {:#x}",
                idl.not_upgrade_authority
            )
            .as_str()
        ),
        "{:#?}",
        refused.logs
    );
    assert!(
        refused
            .logs
            .iter()
            .any(|l| l.contains("Error Code: NotUpgradeAuthority")),
        "{:#?}",
        refused.logs
    );

    // The upgrade authority initialises the protocol.
    let payer = chain.payer.insecure_clone();
    let done = chain.initialize_protocol(&idl, &payer);
    assert_eq!(done.error_text, None, "{:#?}", done.logs);
    let (protocol, bump) = Address::find_program_address(&[b"protocol"], &idl.program);
    let protocol = chain.account(protocol).expect("protocol account");
    assert_eq!(protocol.owner, idl.program.to_bytes());
    // discriminator, version 1, bump, then the admin as given
    assert_eq!(protocol.data[8..10], [1, bump]);
    assert_eq!(protocol.data[10..42], authority.to_bytes());
    assert!(
        done.logs.iter().any(|l| l.starts_with("Program data: ")),
        "the ProtocolInitialized event: {:#?}",
        done.logs
    );
    let _ = writeln!(
        std::io::stderr(),
        "deployed {} bytes in {} writes of at most {PACKET_DATA_SIZE} bytes; \
         initialize_protocol {} CU",
        elf.len(),
        sizes.len(),
        done.compute_units
    );
}

/// The whole of `solana program deploy`, the program account's
/// create_account included, at a fresh program key: the program runs there,
/// and Anchor refuses to run under an address other than its declared one.
#[test]
fn a_deploy_at_a_fresh_key_runs_and_refuses_the_wrong_address() {
    if !on_the_vm("a_deploy_at_a_fresh_key_runs_and_refuses_the_wrong_address") {
        return;
    }
    let elf = elf();
    let idl = idl();
    let mut chain = Chain::new();
    let program = Keypair::new();
    let authority = chain.payer.pubkey();
    let create = loader::deploy_with_max_program_len(
        &authority,
        &program.pubkey(),
        &Keypair::new().pubkey(),
        &authority,
        chain
            .vm
            .minimum_balance(UpgradeableLoaderState::size_of_program()),
        elf.len(),
        true,
    )
    .unwrap();
    // the system create_account of the program account, signed by its keypair
    let outcome = chain.send(&create[..1], &[&program]);
    assert_eq!(outcome.error_text, None, "{:#?}", outcome.logs);
    chain.deploy(program.pubkey(), &elf, elf.len());
    let account = chain.account(program.pubkey()).unwrap();
    assert!(account.executable);

    let fresh = Idl {
        program: program.pubkey(),
        ..idl
    };
    let payer = chain.payer.insecure_clone();
    let outcome = chain.initialize_protocol(&fresh, &payer);
    // Anchor's DeclaredProgramIdMismatch, 4100
    assert_eq!(
        outcome.error_text.as_deref(),
        Some("Error processing Instruction 0: custom program error: 0x1004"),
        "{:#?}",
        outcome.logs
    );
    assert!(
        outcome
            .logs
            .iter()
            .any(|l| l.contains("DeclaredProgramIdMismatch")),
        "{:#?}",
        outcome.logs
    );
}
