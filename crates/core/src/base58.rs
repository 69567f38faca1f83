//! The base58 text of a 32-byte address (the Bitcoin alphabet, as Solana
//! prints keys), for the receipt mint's metadata name.
//!
//! Why not `Display`: it converts a byte at a time through every digit found
//! so far, about 6,400 instructions on the SBF VM for one address. Here the
//! number is divided by 58⁵ (which fits a `u32`) in eight 32-bit limbs, so an
//! address takes at most nine passes of eight 64-bit divisions, each pass
//! giving five digits.

/// The characters of base58, the digit 0 first.
const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/// 58⁵ = 656,356,768: the largest power of 58 below 2³².
const FIVE_DIGITS: u64 = 58 * 58 * 58 * 58 * 58;
/// The longest text of 32 bytes.
pub const ADDRESS_TEXT_MAX: usize = 44;

/// An address's base58 text, held without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressText {
    bytes: [u8; ADDRESS_TEXT_MAX],
    len: usize,
}

impl AddressText {
    /// The text, e.g. `EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v`.
    pub fn as_str(&self) -> &str {
        // only ALPHABET's ASCII characters are ever written
        core::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// The base58 text of `address`: a `1` per leading zero byte, then the digits
/// of the number the bytes spell, big-endian, the most significant first.
pub fn encode_address(address: &[u8; 32]) -> AddressText {
    let mut limbs = [0u32; 8];
    for (limb, word) in limbs.iter_mut().zip(address.chunks_exact(4)) {
        *limb = word
            .iter()
            .fold(0, |acc, byte| (acc << 8) | u32::from(*byte));
    }
    // digits, the least significant first; 9 passes of 5 cover 2^256
    let mut digits = [0u8; 45];
    let mut count = 0;
    let mut first = limbs.iter().position(|limb| *limb != 0).unwrap_or(8);
    while first < limbs.len() {
        let mut remainder = 0u64;
        for limb in &mut limbs[first..] {
            let current = (remainder << 32) | u64::from(*limb);
            // remainder < 58⁵ < 2³², so the quotient fits 32 bits
            *limb = (current / FIVE_DIGITS) as u32;
            remainder = current % FIVE_DIGITS;
        }
        for digit in &mut digits[count..count + 5] {
            *digit = (remainder % 58) as u8;
            remainder /= 58;
        }
        count += 5;
        while first < limbs.len() && limbs[first] == 0 {
            first += 1;
        }
    }
    // the last pass may leave leading zero digits
    while count > 0 && digits[count - 1] == 0 {
        count -= 1;
    }
    let zeros = address.iter().take_while(|byte| **byte == 0).count();
    let mut text = AddressText {
        bytes: [b'1'; ADDRESS_TEXT_MAX],
        len: zeros + count,
    };
    for (slot, digit) in text.bytes[zeros..zeros + count]
        .iter_mut()
        .zip(digits[..count].iter().rev())
    {
        *slot = ALPHABET[usize::from(*digit)];
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(address: &[u8; 32]) -> String {
        bs58::encode(address).into_string()
    }

    #[test]
    fn known_addresses() {
        assert_eq!(
            encode_address(&[0; 32]).as_str(),
            "11111111111111111111111111111111"
        );
        assert_eq!(
            encode_address(&[255; 32]).as_str(),
            "JEKNVnkbo3jma5nREBBJCDoXFVeKkD56V3xKrvRmWxFG"
        );
        let mut one = [0u8; 32];
        one[31] = 1;
        assert_eq!(
            encode_address(&one).as_str(),
            "11111111111111111111111111111112"
        );
        // USDC's mint
        let usdc = bs58::decode("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v")
            .into_vec()
            .unwrap();
        let usdc: [u8; 32] = usdc.try_into().unwrap();
        assert_eq!(
            encode_address(&usdc).as_str(),
            "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
        );
        assert_eq!(encode_address(&[255; 32]).as_str().len(), ADDRESS_TEXT_MAX);
    }

    proptest! {
        #[test]
        fn equals_the_reference_encoding(address in any::<[u8; 32]>()) {
            let text = encode_address(&address);
            prop_assert_eq!(text.as_str(), reference(&address));
        }

        #[test]
        fn leading_zero_bytes_become_ones(zeros in 0usize..=32, rest in any::<[u8; 32]>()) {
            let mut address = rest;
            address[..zeros].fill(0);
            if zeros < 32 && address[zeros] == 0 {
                address[zeros] = 1;
            }
            let text = encode_address(&address);
            prop_assert_eq!(text.as_str(), reference(&address));
            prop_assert!(text.as_str().bytes().take_while(|c| *c == b'1').count() >= zeros);
        }
    }
}
