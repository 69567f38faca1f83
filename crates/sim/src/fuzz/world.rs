//! The world every fuzz campaign runs in: two pools (SPL Token, and a
//! PYUSD-like Token-2022 mint whose issuer has a permanent delegate, a
//! transfer fee it can switch on and a transfer hook it can set), six markets of each kind and exposure mode on both (one isolated),
//! four users with tokens of both assets. `header()` writes it as a scenario
//! file, so a shrunk failing sequence replays with `backstop simulate`.

/// The pools' assets, in file order (the model indexes them the same way).
pub const POOLS: [&str; 2] = ["USDC", "PYD"];
/// Which pools' mints give their issuer a permanent delegate, a transfer fee
/// and a transfer hook (the pool opted in to each).
pub const ISSUER_POWERS: [bool; 2] = [false, true];

/// The fuzzing users.
pub const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];
/// Tokens each user holds of each asset at the start.
pub const WALLET: u128 = 1_000_000_000_000_000;
pub const START: i64 = 1_700_000_000;

/// A market of the fuzz world.
pub struct MarketSpec {
    pub name: &'static str,
    pub pool: usize,
    pub lending: bool,
    pub aggregate: bool,
    pub isolated: bool,
    pub isolated_bps: u16,
    pub cap: u128,
}

const UNLIMITED: u128 = u64::MAX as u128;

pub const MARKETS: [MarketSpec; 6] = [
    MarketSpec {
        name: "LEND",
        pool: 0,
        lending: true,
        aggregate: false,
        isolated: false,
        isolated_bps: 0,
        cap: 5_000_000_000,
    },
    MarketSpec {
        name: "PERP",
        pool: 0,
        lending: false,
        aggregate: false,
        isolated: false,
        isolated_bps: 0,
        cap: UNLIMITED,
    },
    MarketSpec {
        name: "ISO",
        pool: 0,
        lending: false,
        aggregate: false,
        isolated: true,
        isolated_bps: 5_000,
        cap: UNLIMITED,
    },
    MarketSpec {
        name: "LEND2",
        pool: 1,
        lending: true,
        aggregate: false,
        isolated: false,
        isolated_bps: 0,
        cap: 1_000_000_000,
    },
    MarketSpec {
        name: "AGGL",
        pool: 1,
        lending: true,
        aggregate: true,
        isolated: false,
        isolated_bps: 0,
        cap: 2_000_000_000,
    },
    MarketSpec {
        name: "AGGP",
        pool: 0,
        lending: false,
        aggregate: true,
        isolated: false,
        isolated_bps: 0,
        cap: 3_000_000_000,
    },
];

/// The governance delay of a campaign: odd seeds run with one, so raises
/// of caps wait, payouts have an eta the guardian can cancel before, and
/// pending changes can be cancelled or replaced; even seeds without.
pub fn delay(seed: u64) -> i64 {
    if seed % 2 == 1 { 3_600 } else { 0 }
}

/// The scenario file's header: the world before any step.
pub fn header(seed: u64) -> String {
    let mut text = format!(
        "# backstop fuzz, seed {seed}: replay with `backstop simulate FILE`\nstart = {START}\n\
         governance_delay = {}\n\n",
        delay(seed)
    );
    text.push_str(
        "[[pool]]\nasset = \"USDC\"\ncooldown = 86_400\nwindow = 172_800\nsweep_interval = 3_600\n\
         max_apr_bps = 100_000\nprotocol_cut_bps = 5_000\nmin_stake = 1\n\n",
    );
    text.push_str(
        "[[pool]]\nasset = \"PYD\"\ntoken_program = \"token-2022\"\n\
         extensions = [\"permanent_delegate\", \"transfer_fee\", \"transfer_hook\"]\n\
         cooldown = 86_400\nwindow = 0\n\
         sweep_interval = 3_600\nmax_apr_bps = 0\nprotocol_cut_bps = 1_000\nmin_stake = 1\n\n",
    );
    for m in &MARKETS {
        text.push_str(&format!(
            "[[market]]\nname = \"{}\"\nkind = \"{}\"\nasset = \"{}\"\ncap = \"{}\"\nisolated = {}\n\
             isolated_share_bps = {}\nexposure = \"{}\"\n\n",
            m.name,
            if m.lending { "lending" } else { "perp" },
            POOLS[m.pool],
            m.cap,
            m.isolated,
            m.isolated_bps,
            if m.aggregate { "aggregate" } else { "accounts" },
        ));
    }
    for user in USERS {
        for asset in POOLS {
            text.push_str(&format!(
                "[[wallet]]\nwho = \"{user}\"\nasset = \"{asset}\"\namount = {WALLET}\n\n"
            ));
        }
    }
    text
}
