//! The compute-unit budgets (issue 18): every user, keeper and operator
//! instruction, in each shape `backstop bench --sbf` measures, on SPL Token
//! and Token-2022, stays within 50,000 CU on the SBF VM, and the figures are
//! the same twice (so `bench --compare` can hold them to 2%).
//!
//! Runs on the VM pass (`BACKSTOP_SBF=1`, after `sbf/build
//! --with-test-programs`); natively it skips loudly, as the native build's
//! compute units say nothing about the program on chain.

use backstop_sim::bench::compute::{self, Caller, INSTRUCTION_BUDGET_CU, TOKEN_PROGRAMS};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

#[test]
fn every_shape_within_its_budget_and_the_same_twice() {
    if backstop_bank::skip_natively(
        "compute_units::every_shape_within_its_budget_and_the_same_twice",
        "compute units are the SBF program's",
    ) {
        return;
    }
    let first = runtime().block_on(compute::measure()).expect("measured");
    let second = runtime().block_on(compute::measure()).expect("measured");
    assert_eq!(first, second, "two runs of the shapes differ");

    // Every shape ran on both token programs.
    for program in TOKEN_PROGRAMS {
        let shapes = first
            .shapes
            .iter()
            .filter(|s| s.token_program == program)
            .count();
        assert!(shapes >= 18, "{shapes} shapes on {program}");
    }
    for shape in &first.shapes {
        match shape.caller {
            Caller::User
                if shape
                    .shape
                    .starts_with("wrap sent alone, first of the epoch") =>
            {
                assert_eq!(shape.budget, Some(compute::FIRST_WRAP_BUDGET_CU))
            }
            Caller::User | Caller::Keeper | Caller::Operator => {
                assert_eq!(shape.budget, Some(INSTRUCTION_BUDGET_CU), "{}", shape.shape)
            }
            Caller::Host => assert_eq!(shape.budget, Some(compute::HOST_BUDGET_CU)),
            Caller::Governance => {}
        }
        // A transaction that ran the program costs at least its CPIs' and
        // account checks' thousands; a 0 would be a figure not read.
        assert!(
            shape.compute_units > 5_000,
            "{} ({}): {} CU",
            shape.shape,
            shape.token_program,
            shape.compute_units
        );
    }
    // With the heap-probe build (sbf/build --heap-probe, as CI builds it),
    // every scenario shape's heap on the VM is within the heap budget.
    let probed: Vec<_> = first
        .shapes
        .iter()
        .filter_map(|s| s.heap_bytes.map(|h| (s, h)))
        .collect();
    for (shape, heap) in &probed {
        assert!(
            *heap <= backstop_sim::footprint::HEAP_BUDGET_BYTES as u64 && *heap > 0,
            "{} ({}): {heap} B of heap",
            shape.shape,
            shape.token_program
        );
    }
    let over = first.over_budget();
    assert!(over.is_empty(), "over budget:\n{}", over.join("\n"));
}
