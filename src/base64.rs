//! Standard base64 (RFC 4648 §4, with padding): Bedrock's JSON encoding of blobs (image and
//! document bytes, redacted reasoning). Decoding is strict, so that bad input is caught before
//! a request is sent.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes bytes as padded standard base64.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn value(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    } as u32)
}

/// The number of bytes a padded standard base64 string decodes to, or `None` when it is not
/// valid base64 (wrong length, characters outside the alphabet, misplaced padding).
pub fn decoded_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let padding = bytes.iter().rev().take_while(|&&c| c == b'=').count();
    if padding > 2 {
        return None;
    }
    let body = &bytes[..bytes.len() - padding];
    if !body.iter().all(|&c| value(c).is_some()) {
        return None;
    }
    Some(bytes.len() / 4 * 3 - padding)
}

/// Decodes padded standard base64; `None` when it is not valid.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let len = decoded_len(text)?;
    let mut out = Vec::with_capacity(len);
    for quad in text.as_bytes().chunks(4) {
        let n = quad.iter().enumerate().fold(0u32, |n, (i, &c)| {
            n | (value(c).unwrap_or(0) << (18 - 6 * i))
        });
        out.extend_from_slice(&n.to_be_bytes()[1..]);
    }
    out.truncate(len);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors_round_trip() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).unwrap(), plain.as_bytes());
            assert_eq!(decoded_len(encoded), Some(plain.len()));
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&all)).unwrap(), all);
    }

    #[test]
    fn invalid_base64_is_rejected() {
        for bad in [
            "Zg=", "Zg===", "Z===", "Zm9v!A==", "=Zm9", "Zm 9v", "Zm9v\n",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }
}
