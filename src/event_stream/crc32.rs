//! CRC-32 (IEEE 802.3, the zlib/gzip polynomial), as event-stream frames use for both checksums.
//!
//! Hand-written with a table built at compile time so the crate needs no checksum dependency.

/// The reflected IEEE polynomial `0x04C11DB7`.
const POLYNOMIAL: u32 = 0xEDB8_8320;

/// One entry per byte value: the CRC of that byte alone, without pre/post inversion.
const TABLE: [u32; 256] = build_table();

const fn build_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut index = 0;
    while index < 256 {
        let mut crc = index as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLYNOMIAL
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[index] = crc;
        index += 1;
    }
    table
}

/// The CRC-32 of `bytes` (same result as zlib's `crc32(0, bytes)`).
pub fn crc32(bytes: &[u8]) -> u32 {
    !update(!0, bytes)
}

/// The running CRC state `crc` carried on over `bytes`, without the initial and final
/// inversions: `crc32(a ++ b) == !update(update(!0, a), b)`.
pub(crate) fn update(crc: u32, bytes: &[u8]) -> u32 {
    bytes.iter().fold(crc, |crc, &byte| {
        TABLE[usize::from((crc as u8) ^ byte)] ^ (crc >> 8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_input_is_zero() {
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn matches_the_standard_check_value() {
        // The catalogue check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn matches_the_empty_message_vector() {
        // Prelude and message CRCs of the 16-byte `empty_message` frame (PROTOCOL.md §2.1).
        let prelude = [0, 0, 0, 0x10, 0, 0, 0, 0];
        assert_eq!(crc32(&prelude), 0x05C2_48EB);
        let frame = [0, 0, 0, 0x10, 0, 0, 0, 0, 0x05, 0xC2, 0x48, 0xEB];
        assert_eq!(crc32(&frame), 0x7D98_C8FF);
    }

    #[test]
    fn update_carries_on_across_a_split() {
        let bytes = b"a frame's prelude, then its headers and payload";
        for at in 0..bytes.len() {
            let (head, tail) = bytes.split_at(at);
            assert_eq!(
                !update(update(!0, head), tail),
                crc32(bytes),
                "split at {at}"
            );
        }
    }

    #[test]
    fn table_spot_values() {
        assert_eq!(TABLE[0], 0);
        assert_eq!(TABLE[1], 0x7707_3096);
        assert_eq!(TABLE[255], 0x2D02_EF8D);
    }
}
