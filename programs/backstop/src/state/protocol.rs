use anchor_lang::prelude::*;
use backstop_core::exit;

use super::pending::Pending;
use crate::errors::BackstopError;
use crate::events::ChangeField;

/// Bit of each pausable operation in [`Protocol::paused`], and their names.
pub use backstop_core::pause;

/// A delayed field of the protocol (`cancel_protocol_change`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolField {
    Guardian,
    Treasury,
    GovernanceDelay,
}

impl From<ProtocolField> for ChangeField {
    fn from(field: ProtocolField) -> ChangeField {
        match field {
            ProtocolField::Guardian => ChangeField::Guardian,
            ProtocolField::Treasury => ChangeField::Treasury,
            ProtocolField::GovernanceDelay => ChangeField::GovernanceDelay,
        }
    }
}

/// The singleton `["protocol"]`: roles, pause flags and governance delay.
#[account]
#[derive(InitSpace, Debug)]
pub struct Protocol {
    pub version: u8,
    pub bump: u8,
    /// Governance (a multisig or DAO PDA).
    pub admin: Pubkey,
    /// The proposed admin, stamped with its proposal time. Unlike the delayed
    /// fields it never takes effect by itself: the hand-over completes only
    /// when the proposed key signs `accept_admin` (docs/protocol.md §8).
    pub pending_admin: Pending<Pubkey>,
    /// May pause and cancel; never moves funds or unpauses.
    pub guardian: Pubkey,
    pub pending_guardian: Pending<Pubkey>,
    /// Owns the protocol's shares in each pool.
    pub treasury: Pubkey,
    pub pending_treasury: Pending<Pubkey>,
    /// Seconds that risk-raising changes wait.
    pub governance_delay: u64,
    pub pending_governance_delay: Pending<u64>,
    /// One bit per pausable operation (see [`pause`]).
    pub paused: u16,
    /// Number of markets created; the next market's index.
    pub market_count: u16,
    /// The unpaused clock at `exit_clock_ts`: seconds during which
    /// `complete_unstake` was not paused. Each pool's exit clock runs with it
    /// (docs/protocol.md §4), so a pause never makes a request lapse.
    pub exit_clock: u64,
    /// When `exit_clock` was last brought up to date.
    pub exit_clock_ts: i64,
    pub reserved: [u8; 39],
}

impl Protocol {
    /// The singleton as `initialize_protocol` creates it.
    pub fn new(
        admin: Pubkey,
        guardian: Pubkey,
        treasury: Pubkey,
        governance_delay: u64,
        bump: u8,
        now: i64,
    ) -> Protocol {
        Protocol {
            version: crate::constants::ACCOUNT_VERSION,
            bump,
            admin,
            pending_admin: Pending::default(),
            guardian,
            pending_guardian: Pending::default(),
            treasury,
            pending_treasury: Pending::default(),
            governance_delay,
            pending_governance_delay: Pending::default(),
            paused: 0,
            market_count: 0,
            exit_clock: 0,
            exit_clock_ts: now,
            reserved: [0; 39],
        }
    }

    /// The unpaused clock at `now`: it stands still while `complete_unstake`
    /// is paused.
    pub fn exit_clock_at(&self, now: i64) -> u64 {
        exit::protocol_exit_clock_at(
            self.exit_clock,
            self.exit_clock_ts,
            self.is_paused(pause::COMPLETE_UNSTAKE),
            now,
        )
    }

    /// The proposed admin, if any.
    pub fn pending_admin(&self) -> Option<Pubkey> {
        self.pending_admin
            .active
            .then_some(self.pending_admin.value)
    }

    /// `propose_admin`: the first step of the hand-over. A new proposal
    /// replaces the last; the default key withdraws it.
    pub fn propose_admin(&mut self, new_admin: Pubkey, now: i64) {
        if new_admin == Pubkey::default() {
            self.pending_admin.clear();
        } else {
            self.pending_admin.schedule(new_admin, now);
        }
    }

    /// `accept_admin`: the proposed admin takes the role. Returns the old admin.
    pub fn accept_admin(&mut self, signer: Pubkey, now: i64) -> Result<Pubkey> {
        require!(
            self.pending_admin.due(now) == Some(signer),
            BackstopError::NotPendingAdmin
        );
        let old = self.admin;
        self.pending_admin.apply(&mut self.admin, now);
        Ok(old)
    }

    /// `create_market`: one more market; returns the new count.
    pub fn count_market(&mut self) -> Result<u16> {
        self.market_count = self
            .market_count
            .checked_add(1)
            .ok_or(BackstopError::MathOverflow)?;
        Ok(self.market_count)
    }

    /// Sets pause flags (the guardian or the admin); the unpaused clock is
    /// brought up to date first, so it stops exactly now.
    pub fn pause(&mut self, flags: u16, now: i64) {
        self.checkpoint_exit_clock(now);
        self.paused |= flags;
    }

    /// Clears pause flags (the admin only); the unpaused clock runs again
    /// from now.
    pub fn unpause(&mut self, flags: u16, now: i64) {
        self.checkpoint_exit_clock(now);
        self.paused &= !flags;
    }

    fn checkpoint_exit_clock(&mut self, now: i64) {
        self.exit_clock = self.exit_clock_at(now);
        self.exit_clock_ts = now;
    }

    /// Only known pause flags, a governance delay within its bound, and a
    /// proposed admin that is a real key.
    pub fn invariant(&self) -> Result<()> {
        require!(
            pause::known_only(self.paused)
                && self.governance_delay <= crate::constants::MAX_GOVERNANCE_DELAY_SECS
                && !(self.pending_admin.active && self.pending_admin.value == Pubkey::default()),
            BackstopError::InvariantViolated
        );
        Ok(())
    }

    /// Cancels a pending change of `field` before its eta.
    pub fn cancel_change(&mut self, field: ProtocolField, now: i64) -> Result<()> {
        match field {
            ProtocolField::Guardian => self.pending_guardian.cancel(now).map(|_| ()),
            ProtocolField::Treasury => self.pending_treasury.cancel(now).map(|_| ()),
            ProtocolField::GovernanceDelay => self.pending_governance_delay.cancel(now).map(|_| ()),
        }
    }

    /// Applies every delayed change that has reached its eta.
    pub fn apply_due_changes(&mut self, now: i64) {
        self.pending_guardian.apply(&mut self.guardian, now);
        self.pending_treasury.apply(&mut self.treasury, now);
        self.pending_governance_delay
            .apply(&mut self.governance_delay, now);
    }

    pub fn guardian_at(&self, now: i64) -> Pubkey {
        self.pending_guardian.effective(self.guardian, now)
    }

    pub fn treasury_at(&self, now: i64) -> Pubkey {
        self.pending_treasury.effective(self.treasury, now)
    }

    pub fn governance_delay_at(&self, now: i64) -> u64 {
        self.pending_governance_delay
            .effective(self.governance_delay, now)
    }

    /// A new governance delay: a longer one takes effect at once and drops a
    /// pending shortening; a shorter one waits `eta` (the delay in effect).
    /// Returns when it takes effect. The bound is checked by the caller's
    /// `validate`.
    pub fn set_governance_delay(&mut self, delay: u64, now: i64, eta: i64) -> i64 {
        if delay >= self.governance_delay {
            self.governance_delay = delay;
            self.pending_governance_delay.clear();
            now
        } else {
            self.pending_governance_delay.schedule(delay, eta);
            eta
        }
    }

    /// The eta of a change proposed at `now`.
    pub fn eta_from(&self, now: i64) -> Result<i64> {
        let delay = i64::try_from(self.governance_delay_at(now))
            .map_err(|_| BackstopError::MathOverflow)?;
        now.checked_add(delay)
            .ok_or_else(|| BackstopError::MathOverflow.into())
    }

    pub fn is_paused(&self, op: u16) -> bool {
        pause::is_paused(self.paused, op)
    }

    pub fn require_not_paused(&self, op: u16) -> Result<()> {
        require!(!self.is_paused(op), BackstopError::OperationPaused);
        Ok(())
    }

    pub fn is_guardian_or_admin(&self, key: &Pubkey, now: i64) -> bool {
        *key == self.admin || *key == self.guardian_at(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protocol(delay: u64) -> Protocol {
        let key = Pubkey::new_unique();
        Protocol::new(key, key, key, delay, 255, 1_000)
    }

    #[test]
    fn a_longer_delay_applies_at_once_and_drops_a_pending_shortening() {
        let mut p = protocol(3_600);
        assert_eq!(p.set_governance_delay(60, 2_000, 5_600), 5_600);
        assert_eq!(p.governance_delay, 3_600);
        assert_eq!(p.governance_delay_at(5_599), 3_600);
        assert_eq!(p.governance_delay_at(5_600), 60);
        assert_eq!(p.set_governance_delay(7_200, 3_000, 6_600), 3_000);
        assert_eq!(p.governance_delay, 7_200);
        assert!(!p.pending_governance_delay.active);
        assert_eq!(p.governance_delay_at(10_000), 7_200);
        p.invariant().unwrap();
    }

    #[test]
    fn the_admin_passes_only_to_the_proposed_key_and_a_withdrawal_clears_it() {
        let mut p = protocol(3_600);
        let (old, new) = (p.admin, Pubkey::new_unique());
        assert!(p.accept_admin(new, 1_500).is_err());
        p.propose_admin(new, 2_000);
        assert_eq!(p.pending_admin(), Some(new));
        assert!(p.accept_admin(Pubkey::new_unique(), 2_000).is_err());
        p.propose_admin(Pubkey::default(), 2_010);
        assert_eq!(p.pending_admin(), None);
        assert_eq!(p.pending_admin, Pending::default());
        assert!(p.accept_admin(new, 2_020).is_err());
        p.propose_admin(new, 2_030);
        assert_eq!(p.accept_admin(new, 2_030).unwrap(), old);
        assert_eq!((p.admin, p.pending_admin()), (new, None));
        assert_eq!(p.pending_admin, Pending::default());
        p.invariant().unwrap();
    }

    #[test]
    fn the_same_delay_is_not_a_shortening() {
        let mut p = protocol(3_600);
        assert_eq!(p.set_governance_delay(3_600, 2_000, 5_600), 2_000);
        assert!(!p.pending_governance_delay.active);
    }
}
