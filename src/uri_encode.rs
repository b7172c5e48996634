//! Percent-encoding as AWS does it (RFC 3986 §2.3): the unreserved characters
//! (`A–Z a–z 0–9 - _ . ~`) stay, every other byte becomes upper-case `%XX`. Model-id path
//! labels ([`crate::endpoint`]) and the SigV4 canonical URI and query ([`crate::signing`]) are
//! encoded with it.

/// Appends `text` to `out`, percent-encoded; `/` stays too when `keep_slash` (a whole path
/// rather than one label).
pub fn encode_into(text: &str, keep_slash: bool, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(text: &str, keep_slash: bool) -> String {
        let mut out = String::new();
        encode_into(text, keep_slash, &mut out);
        out
    }

    #[test]
    fn only_unreserved_bytes_stay() {
        assert_eq!(encoded("AZaz09-_.~", false), "AZaz09-_.~");
        assert_eq!(
            encoded(":/?#[]@!$&'()*+,;=% <>\"^`{|}\\\u{7f}", false),
            "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25%20%3C%3E%22%5E%60%7B%7C%7D%5C%7F"
        );
        assert_eq!(encoded("ሴ", false), "%E1%88%B4");
        assert_eq!(encoded("/a%3A/b c", true), "/a%253A/b%20c");
    }
}
