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
}
