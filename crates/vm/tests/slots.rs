//! Slots as on a cluster: `advance_slot` moves the clock's slot and time,
//! records the finished slot in `SlotHashes`, and a blockhash stays valid
//! for 150 blocks after its own, then is refused (`BlockhashNotFound`).
//! Needs no program, so it runs natively and on the VM pass alike.

use backstop_vm::{AccountBytes, Outcome, Vm};
use solana_address::Address;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::Transaction;

fn transfer(payer: &Keypair, lamports: u64, blockhash: Hash) -> Vec<u8> {
    let ix = solana_system_interface::instruction::transfer(
        &payer.pubkey(),
        &Address::new_unique(),
        lamports,
    );
    let tx = Transaction::new_signed_with_payer(&[ix], Some(&payer.pubkey()), &[payer], blockhash);
    bincode::serialize(&tx).unwrap()
}

fn refused_for_its_blockhash(outcome: &Outcome) -> bool {
    outcome.error_text.as_deref() == Some("Blockhash not found")
}

#[test]
fn a_blockhash_lands_for_150_blocks_after_its_own() {
    let mut vm = Vm::new();
    let payer = Keypair::new();
    vm.set_account(
        payer.pubkey().to_bytes(),
        AccountBytes {
            lamports: 10_000_000_000,
            ..Default::default()
        },
    )
    .unwrap();
    let first = Hash::new_from_array(vm.latest_blockhash());
    let slot = vm.clock().slot;
    for _ in 0..150 {
        vm.advance_slot(1_700_000_000);
    }
    assert_eq!(vm.clock().slot, slot + 150);
    assert_eq!(vm.clock().unix_timestamp, 1_700_000_000);
    let landed = vm.send(&transfer(&payer, 1_000_000, first)).unwrap();
    assert_eq!(landed.error, None, "{:?}", landed.error_text);
    vm.advance_slot(1_700_000_001);
    let stale = vm.send(&transfer(&payer, 2_000_000, first)).unwrap();
    assert!(refused_for_its_blockhash(&stale), "{:?}", stale.error_text);
    let unknown = vm
        .send(&transfer(&payer, 3_000_000, Hash::new_from_array([9; 32])))
        .unwrap();
    assert!(
        refused_for_its_blockhash(&unknown),
        "{:?}",
        unknown.error_text
    );
    let fresh = Hash::new_from_array(vm.latest_blockhash());
    let landed = vm.send(&transfer(&payer, 4_000_000, fresh)).unwrap();
    assert_eq!(landed.error, None, "{:?}", landed.error_text);
    // a refused transaction runs nothing and reports no inner calls
    assert!(stale.inner_instructions.is_empty());
}
