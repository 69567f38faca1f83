//! Token amounts written with the mint's decimals (`1250.5`) and base units,
//! parsed and formatted exactly (no floating point).

/// Parses `1250.5` (underscores allowed) into base units of a mint with
/// `decimals`; refuses more decimal places than the mint has.
pub fn parse_amount(text: &str, decimals: u8) -> Result<u64, String> {
    let text = text.replace('_', "");
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
    {
        return Err(format!("{text:?} is not an amount"));
    }
    if frac.len() > decimals as usize {
        return Err(format!("{text} has more than {decimals} decimal places"));
    }
    let too_large = || format!("{text} is too large");
    let scale = 10u128.pow(decimals as u32);
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_large())?
    };
    let frac_units: u128 = if frac.is_empty() {
        0
    } else {
        frac.parse::<u128>().map_err(|_| too_large())?
            * 10u128.pow((decimals as usize - frac.len()) as u32)
    };
    let units = whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(frac_units))
        .ok_or_else(too_large)?;
    u64::try_from(units).map_err(|_| too_large())
}

/// Formats base units with the mint's decimals (`1250.5`), trailing zeros
/// dropped.
pub fn format_amount(units: u64, decimals: u8) -> String {
    if decimals == 0 {
        return units.to_string();
    }
    let scale = 10u64.pow(decimals as u32);
    let frac = format!("{:0width$}", units % scale, width = decimals as usize);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{}", units / scale)
    } else {
        format!("{}.{frac}", units / scale)
    }
}

/// Base units as people read them: the mint's decimals, thousands grouped
/// with commas (`57,591.454985`); JSON keeps base units.
pub fn format_amount_grouped(units: u64, decimals: u8) -> String {
    let plain = format_amount(units, decimals);
    let (whole, frac) = match plain.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (plain.as_str(), None),
    };
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3 + 1);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{grouped}.{f}"),
        None => grouped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("1250.5", 6), Ok(1_250_500_000));
        assert_eq!(parse_amount("1_000", 0), Ok(1_000));
        assert_eq!(parse_amount(".5", 1), Ok(5));
        assert!(parse_amount("1.234", 2).is_err());
        assert!(parse_amount("abc", 6).is_err());
        assert!(parse_amount("18446744073709551616", 0).is_err());
        assert_eq!(format_amount(1_250_500_000, 6), "1250.5");
        assert_eq!(format_amount(7, 0), "7");
        assert_eq!(format_amount(3, 2), "0.03");
        assert_eq!(format_amount_grouped(57_591_454_985, 6), "57,591.454985");
        assert_eq!(format_amount_grouped(1_000_000, 6), "1");
        assert_eq!(format_amount_grouped(999, 0), "999");
        assert_eq!(format_amount_grouped(1_000, 0), "1,000");
        assert_eq!(
            format_amount_grouped(u64::MAX, 0),
            "18,446,744,073,709,551,615"
        );
    }

    proptest! {
        #[test]
        fn format_then_parse_is_the_identity(units in any::<u64>(), decimals in 0u8..=12) {
            prop_assert_eq!(parse_amount(&format_amount(units, decimals), decimals), Ok(units));
        }

        #[test]
        fn grouping_only_adds_commas_every_three_digits(units in any::<u64>(), decimals in 0u8..=12) {
            let grouped = format_amount_grouped(units, decimals);
            prop_assert_eq!(grouped.replace(',', ""), format_amount(units, decimals));
            let whole = grouped.split('.').next().unwrap();
            for group in whole.split(',').skip(1) {
                prop_assert_eq!(group.len(), 3);
            }
        }
    }
}
