use anchor_lang::prelude::*;

/// A lender's scaled deposit in a lending market, `["lender", market, owner]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Lender {
    pub version: u8,
    pub bump: u8,
    pub market: Pubkey,
    pub owner: Pubkey,
    /// Balance = ⌊scaled·I / 10¹⁸⌋.
    pub scaled: u128,
    pub reserved: [u8; 16],
}

impl Lender {
    pub fn new(market: Pubkey, owner: Pubkey, bump: u8) -> Lender {
        Lender {
            version: crate::constants::ACCOUNT_VERSION,
            bump,
            market,
            owner,
            scaled: 0,
            reserved: [0; 16],
        }
    }

    /// `record_deposit`: the deposit's scaled amount joins the balance.
    pub fn credit(&mut self, scaled: u128) -> Result<()> {
        self.scaled = self
            .scaled
            .checked_add(scaled)
            .ok_or(crate::errors::BackstopError::MathOverflow)?;
        Ok(())
    }

    /// A lender never holds more scaled deposits than its whole market.
    pub fn invariant(&self, market_total_scaled: u128) -> Result<()> {
        require!(
            self.scaled <= market_total_scaled,
            crate::errors::BackstopError::InvariantViolated
        );
        Ok(())
    }

    /// `record_withdrawal`: the withdrawal's scaled amount (rounded up by
    /// the market) leaves the balance.
    pub fn debit(&mut self, scaled: u128) -> Result<()> {
        self.scaled = self
            .scaled
            .checked_sub(scaled)
            .ok_or(crate::errors::BackstopError::MathOverflow)?;
        Ok(())
    }
}

/// A perp position, `["position", market, owner]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Position {
    pub version: u8,
    pub bump: u8,
    pub market: Pubkey,
    pub owner: Pubkey,
    /// Signed size in base units (long > 0, short < 0).
    pub base: i64,
    /// The market's loss index when last settled.
    pub loss_snapshot: u128,
    /// Socialised losses the position must pay; cleared by the operator.
    pub owed: u64,
    pub reserved: [u8; 16],
}

impl Position {
    /// A flat position; it owes nothing for losses before it opened, so its
    /// snapshot starts at the market's current loss index.
    pub fn new(market: Pubkey, owner: Pubkey, loss_index: u128, bump: u8) -> Position {
        Position {
            version: crate::constants::ACCOUNT_VERSION,
            bump,
            market,
            owner,
            base: 0,
            loss_snapshot: loss_index,
            owed: 0,
            reserved: [0; 16],
        }
    }

    /// The operator charged the trader `amount` of what it owes.
    pub fn clear_owed(&mut self, amount: u64) -> Result<()> {
        require!(
            amount <= self.owed,
            crate::errors::BackstopError::ClearAboveOwed
        );
        self.owed -= amount;
        Ok(())
    }

    /// Never charged from a loss index the market has not reached.
    pub fn invariant(&self, market_loss_index: u128) -> Result<()> {
        require!(
            self.loss_snapshot <= market_loss_index,
            crate::errors::BackstopError::InvariantViolated
        );
        Ok(())
    }
}

/// An open bankruptcy, `["bankruptcy", market, debtor]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Bankruptcy {
    pub version: u8,
    pub bump: u8,
    pub market: Pubkey,
    pub debtor: Pubkey,
    pub deficit: u64,
    pub recorded_at: i64,
    /// `aggregate` markets: the market's total exposure when recorded (lender
    /// deposits or open interest), which resolution socialises against; 0 in
    /// `accounts` mode.
    pub exposure: u128,
}

impl Bankruptcy {
    pub fn new(
        market: Pubkey,
        debtor: Pubkey,
        deficit: u64,
        exposure: u128,
        now: i64,
        bump: u8,
    ) -> Bankruptcy {
        Bankruptcy {
            version: crate::constants::ACCOUNT_VERSION,
            bump,
            market,
            debtor,
            deficit,
            recorded_at: now,
            exposure,
        }
    }

    /// A record is of a loss: its deficit is never 0.
    pub fn invariant(&self) -> Result<()> {
        require!(
            self.deficit > 0,
            crate::errors::BackstopError::InvariantViolated
        );
        Ok(())
    }
}

pub const LENDER_ACCOUNT_SIZE: usize = 8 + Lender::INIT_SPACE;
pub const POSITION_ACCOUNT_SIZE: usize = 8 + Position::INIT_SPACE;
pub const BANKRUPTCY_ACCOUNT_SIZE: usize = 8 + Bankruptcy::INIT_SPACE;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lender_a_position_and_a_record_keep_their_rules() {
        let (market, owner) = (Pubkey::new_unique(), Pubkey::new_unique());
        let mut lender = Lender::new(market, owner, 255);
        lender.credit(700).unwrap();
        lender.debit(200).unwrap();
        assert_eq!(lender.scaled, 500);
        assert!(lender.debit(501).is_err());
        assert!(lender.credit(u128::MAX).is_err());
        assert_eq!(lender.scaled, 500);

        let position = Position::new(market, owner, 42, 255);
        position.invariant(42).unwrap();
        position.invariant(43).unwrap();
        assert!(position.invariant(41).is_err());

        Bankruptcy::new(market, owner, 1, 0, 0, 255)
            .invariant()
            .unwrap();
        assert!(
            Bankruptcy::new(market, owner, 0, 0, 0, 255)
                .invariant()
                .is_err()
        );
    }
}
