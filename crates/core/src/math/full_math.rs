//! Full-precision multiply-then-divide. Every product is formed in 256 bits, so
//! no intermediate can overflow; only a quotient that does not fit its type is
//! an error, reported as [`MathError::Overflow`].

pub use wide::U256;

#[allow(clippy::manual_div_ceil, clippy::all)]
mod wide {
    uint::construct_uint! {
        /// 256-bit unsigned integer for intermediates.
        pub struct U256(4);
    }
}

/// Why a math function refused to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathError {
    /// The result does not fit its type.
    Overflow,
    /// A subtraction went below zero.
    Underflow,
    /// A division by zero was asked for.
    DivisionByZero,
}

/// `⌊a·b / d⌋`: in 128 bits when the product fits (the usual case, and on
/// SBF a 256-bit division costs thousands of compute units), else in 256.
pub fn mul_div_floor(a: u128, b: u128, d: u128) -> Result<u128, MathError> {
    if d == 0 {
        return Err(MathError::DivisionByZero);
    }
    match a.checked_mul(b) {
        Some(product) => Ok(product / d),
        None => mul_div_floor_wide(a, b, d),
    }
}

/// `⌈a·b / d⌉`: in 128 bits when the product fits, else in 256.
pub fn mul_div_ceil(a: u128, b: u128, d: u128) -> Result<u128, MathError> {
    if d == 0 {
        return Err(MathError::DivisionByZero);
    }
    match a.checked_mul(b) {
        Some(product) => Ok(product.div_ceil(d)),
        None => mul_div_ceil_wide(a, b, d),
    }
}

/// `⌊a·b / d⌋` in 256 bits (`d` > 0).
fn mul_div_floor_wide(a: u128, b: u128, d: u128) -> Result<u128, MathError> {
    let q = U256::from(a) * U256::from(b) / U256::from(d);
    to_u128(q)
}

/// `⌈a·b / d⌉` in 256 bits (`d` > 0).
fn mul_div_ceil_wide(a: u128, b: u128, d: u128) -> Result<u128, MathError> {
    let product = U256::from(a) * U256::from(b);
    let divisor = U256::from(d);
    let (q, r) = product.div_mod(divisor);
    let q = if r.is_zero() { q } else { q + U256::one() };
    to_u128(q)
}

fn to_u128(v: U256) -> Result<u128, MathError> {
    if v > U256::from(u128::MAX) {
        return Err(MathError::Overflow);
    }
    Ok(v.as_u128())
}

/// Narrows a `u128` to `u64`, or reports an overflow.
pub fn to_u64(v: u128) -> Result<u64, MathError> {
    u64::try_from(v).map_err(|_| MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn exact_and_rounded_quotients() {
        assert_eq!(mul_div_floor(10, 10, 3), Ok(33));
        assert_eq!(mul_div_ceil(10, 10, 3), Ok(34));
        assert_eq!(mul_div_ceil(10, 9, 3), Ok(30));
        assert_eq!(mul_div_floor(1, 1, 0), Err(MathError::DivisionByZero));
        assert_eq!(mul_div_ceil(1, 1, 0), Err(MathError::DivisionByZero));
    }

    #[test]
    fn wide_products_do_not_overflow() {
        // u128::MAX * u128::MAX / u128::MAX fits even though the product does not.
        assert_eq!(
            mul_div_floor(u128::MAX, u128::MAX, u128::MAX),
            Ok(u128::MAX)
        );
        assert_eq!(mul_div_floor(u128::MAX, 2, 1), Err(MathError::Overflow));
        assert_eq!(to_u64(u64::MAX as u128 + 1), Err(MathError::Overflow));
    }

    proptest! {
        #[test]
        fn ceil_is_floor_or_one_more(a in any::<u64>(), b in any::<u64>(), d in 1u64..) {
            let f = mul_div_floor(a as u128, b as u128, d as u128).unwrap();
            let c = mul_div_ceil(a as u128, b as u128, d as u128).unwrap();
            let exact = (a as u128 * b as u128).is_multiple_of(d as u128);
            prop_assert_eq!(c, if exact { f } else { f + 1 });
            prop_assert_eq!(f, a as u128 * b as u128 / d as u128);
        }

        /// The 128-bit shortcut answers what the 256-bit path answers,
        /// wherever the product fits (and the wide path takes over where not).
        #[test]
        fn the_narrow_path_equals_the_wide_one(a in any::<u128>(), b in any::<u128>(), d in 1u128..) {
            let narrow = a.checked_mul(b).is_some();
            prop_assert_eq!(mul_div_floor(a, b, d), mul_div_floor_wide(a, b, d), "narrow: {}", narrow);
            prop_assert_eq!(mul_div_ceil(a, b, d), mul_div_ceil_wide(a, b, d), "narrow: {}", narrow);
            let (small_a, small_b) = (a >> 64, b >> 64);
            prop_assert_eq!(
                mul_div_floor(small_a, small_b, d),
                mul_div_floor_wide(small_a, small_b, d)
            );
            prop_assert_eq!(
                mul_div_ceil(small_a, small_b, d),
                mul_div_ceil_wide(small_a, small_b, d)
            );
        }
    }
}
