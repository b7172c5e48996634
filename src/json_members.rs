//! A JSON object's members as slices of its text, and a JSON string's text, for the readers
//! that hand each value on (or look at one) without building a `Value` of the whole object:
//! Nova's stream events, the `chunk` wrapper of every invoke stream event, and ConverseStream's
//! compact deltas.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde_json::Value;

/// A JSON object's members, each value as its JSON text (a slice of `object`); `None` when
/// `object` is not one. Each value is checked to be JSON, and then parsed by whoever takes it:
/// once, with no copy (serde_json's `RawValue` would do this, but its feature costs about
/// 4 KiB of gzipped wasm in every `Value` parse).
pub fn members(object: &[u8]) -> Option<Vec<(Cow<'_, str>, &[u8])>> {
    /// The length of the one JSON value at the start of `bytes`.
    fn value_len(bytes: &[u8]) -> Option<usize> {
        let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<IgnoredAny>();
        values.next()?.ok()?;
        Some(values.byte_offset())
    }
    let skip = |pos: usize| {
        pos + object[pos..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count()
    };
    let mut pos = skip(0);
    if object.get(pos) != Some(&b'{') {
        return None;
    }
    let mut out = Vec::new();
    pos = skip(pos + 1);
    if object.get(pos) == Some(&b'}') {
        return (skip(pos + 1) == object.len()).then_some(out);
    }
    loop {
        // A name is read as one JSON value of any kind that starts with a quote (the only
        // parser instance this needs is `IgnoredAny`'s).
        if object.get(pos) != Some(&b'"') {
            return None;
        }
        let len = value_len(&object[pos..])?;
        let name = string(&object[pos..pos + len])?;
        pos = skip(pos + len);
        if object.get(pos) != Some(&b':') {
            return None;
        }
        pos = skip(pos + 1);
        let len = value_len(&object[pos..])?;
        out.push((name, &object[pos..pos + len]));
        pos = skip(pos + len);
        match object.get(pos) {
            Some(b',') => pos = skip(pos + 1),
            Some(b'}') if skip(pos + 1) == object.len() => return Some(out),
            _ => return None,
        }
    }
}

/// The text of a JSON value already checked to be one (a member's, from [`members`]) when it
/// is a string: as it is when it has no escapes, else decoded (which refuses what serde_json's
/// string parser refuses: bad UTF-8, lone surrogates). `None` for any other value.
pub fn string(json: &[u8]) -> Option<Cow<'_, str>> {
    let inner = json.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    match std::str::from_utf8(inner) {
        Ok(text) if !text.contains('\\') => Some(Cow::Borrowed(text)),
        _ => match serde_json::from_slice(json).ok()? {
            Value::String(text) => Some(Cow::Owned(text)),
            _ => None,
        },
    }
}

/// The JSON string at the start of `bytes`, and what follows it; `None` when there is none or
/// serde_json would refuse it (a control character, a bad escape, invalid UTF-8). Its text is
/// [`string`]'s: borrowed unless it has escapes.
pub fn leading_string(bytes: &[u8]) -> Option<(Cow<'_, str>, &[u8])> {
    let body = bytes.strip_prefix(b"\"")?;
    // Most strings have no escape: one scan to the closing quote, and the text is the bytes.
    let special = first_special(body)?;
    if body.get(special) == Some(&b'"') {
        let text = std::str::from_utf8(&body[..special]).ok()?;
        return Some((Cow::Borrowed(text), &body[special + 1..]));
    }
    let mut i = special;
    loop {
        match *body.get(i)? {
            b'"' => break,
            b'\\' => i += 1,
            byte if byte < 0x20 => return None,
            _ => {}
        }
        i += 1;
    }
    Some((string(&bytes[..i + 2])?, &body[i + 1..]))
}

/// Where the first `"`, `\` or control character of a JSON string's body is, if any. Eight
/// bytes at a time while a word has none of them: a delta's text is tens of bytes, which
/// this reads in a few words (the replayed 20,000-frame stream took about 10% less CPU than
/// with the bytewise scan).
fn first_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH_BITS: u64 = ONES << 7;
    // Nonzero exactly when some byte of `word` is below `n` (≤ 0x80): Hacker's Delight's
    // "hasless". Which bits are set can be off past the first such byte, so the byte itself
    // is found one at a time.
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH_BITS;
    let mut clean = 0;
    for word in bytes.chunks_exact(8) {
        let word = word.first_chunk().map_or(0, |w| u64::from_le_bytes(*w));
        let specials = below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1)
            | below(word, 0x20);
        if specials != 0 {
            break;
        }
        clean += 8;
    }
    let rest = bytes.get(clean..)?;
    let at = rest
        .iter()
        .position(|&b| matches!(b, b'"' | b'\\') || b < 0x20)?;
    Some(clean + at)
}

/// Whether `rest` is how an AWS event payload ends after its last member: `}`, or AWS's padding
/// member (`,"p":` and a string) and then `}`.
pub fn is_payload_end(rest: &[u8]) -> bool {
    let rest = match rest.strip_prefix(br#","p":"#) {
        Some(padding) => leading_string(padding).map_or(&b""[..], |(_, rest)| rest),
        None => rest,
    };
    rest == b"}"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_json_text_slices() {
        let event = br#" { "contentBlockDelta" : {"delta":{"text":"a,}"}} ,"amazon-bedrock-invocationMetrics":{"n":1}} "#;
        let got = members(event).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, "contentBlockDelta");
        assert_eq!(got[0].1, br#"{"delta":{"text":"a,}"}}"#);
        assert_eq!(got[1].1, br#"{"n":1}"#);
        assert_eq!(members(b"{}").unwrap().len(), 0);
        let escaped = members(br#"{"a\u0062\"":1,"\u00e9":2}"#).unwrap();
        assert_eq!((&*escaped[0].0, &*escaped[1].0), ("ab\"", "\u{e9}"));
        for bad in [
            &b"[]"[..],
            b"{1:2}",
            b"{\"a\x01\":1}",
            b"{\"\xff\":1}",
            br#"{"\ud800":1}"#,
            b"{",
            b"{\"a\"}",
            b"{\"a\":1,}",
            b"{\"a\":1} x",
            b"{\"a\":tru}",
            b"nope",
        ] {
            assert!(members(bad).is_none(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn strings_are_borrowed_unless_escaped_and_other_values_are_none() {
        assert!(matches!(string(br#""e30=""#), Some(Cow::Borrowed("e30="))));
        assert!(matches!(string(br#""""#), Some(Cow::Borrowed(""))));
        let escaped = string(br#""e\u0033\/=""#).unwrap();
        assert!(matches!(&escaped, Cow::Owned(_)));
        assert_eq!(escaped, "e3/=");
        for other in [
            &b"5"[..],
            b"null",
            b"[\"a\"]",
            b"{}",
            br#""\ud800""#,
            b"\"\xff\"",
        ] {
            assert!(
                string(other).is_none(),
                "{}",
                String::from_utf8_lossy(other)
            );
        }
    }

    #[test]
    fn the_first_special_byte_is_found_at_any_place_in_any_word() {
        let bytewise = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|&b| matches!(b, b'"' | b'\\') || b < 0x20)
        };
        // Every special byte, and bytes that are near one (0x20, 0x21, 0x5B, 0x5D, 0x7F, 0x80,
        // 0xFF and the UTF-8 of é), at every place of strings from 0 to 24 bytes.
        let specials = [b'"', b'\\', 0x00, 0x01, 0x1F];
        let near = [0x20u8, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xC3, 0xA9, 0xFF];
        for len in 0..=24 {
            for filler in near {
                let mut bytes = vec![filler; len];
                assert_eq!(first_special(&bytes), None, "{bytes:?}");
                for at in 0..len {
                    for special in specials {
                        bytes[at] = special;
                        assert_eq!(first_special(&bytes), bytewise(&bytes), "{bytes:?}");
                        bytes[at] = filler;
                    }
                }
            }
        }
    }
}
