//! Plain deltas read straight from their JSON: the text, tool-argument and reasoning deltas
//! that make up most frames of a stream, in the one compact shape an API family writes them
//! in, without building a [`serde_json::Value`]. A family's mapper reads every other shape its
//! own way, to the same chunk; this only makes the common one cheap.

use std::borrow::Cow;

use crate::chat::output::{Delta, DeltaKind};
use crate::chunk_decoder::ChunkSink;
use crate::json_members;
use crate::Error;

/// One API family's compact delta: `head`, the block index (digits of a `u32`), `middle`, one
/// of `kinds`' keys, the delta's JSON string, that kind's closing braces, an optional padding
/// member `"p":"…"` (what AWS adds to event payloads), and `}`.
pub struct Shape {
    /// Up to the index.
    pub head: &'static [u8],
    /// From the index to the kind's key.
    pub middle: &'static [u8],
    /// Each kind, with its key up to the string and the number of `}` (1 or 2) that close the
    /// delta after the string.
    pub kinds: [(DeltaKind, &'static [u8], usize); 3],
}

/// A delta read in its family's compact [`Shape`].
pub struct CompactDelta<'a> {
    /// The content block's index.
    pub index: u32,
    /// Which kind of delta it is.
    pub kind: DeltaKind,
    /// The delta's one string, borrowed from the payload unless it has escapes.
    pub text: Cow<'a, str>,
}

impl Shape {
    /// The delta `payload` holds when it is exactly in this shape; `None` for anything else
    /// (other members, another order, whitespace, a number that is not a plain `u32`, a
    /// string serde_json would refuse), which the family's mapper reads instead.
    pub fn read<'a>(&self, payload: &'a [u8]) -> Option<CompactDelta<'a>> {
        let rest = payload.strip_prefix(self.head)?;
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || (digits > 1 && rest[0] == b'0') {
            return None;
        }
        let index = rest[..digits].iter().try_fold(0u32, |n, digit| {
            n.checked_mul(10)?.checked_add(u32::from(digit - b'0'))
        })?;
        let rest = rest[digits..].strip_prefix(self.middle)?;
        let (kind, rest, closing) = self
            .kinds
            .iter()
            .find_map(|&(kind, key, closing)| Some((kind, rest.strip_prefix(key)?, closing)))?;
        let (text, rest) = json_string(rest)?;
        let rest = rest.strip_prefix(b"}}".get(..closing)?)?;
        let rest = match rest.strip_prefix(br#","p":"#) {
            Some(padding) => json_string(padding)?.1,
            None => rest,
        };
        (rest == b"}").then_some(CompactDelta { index, kind, text })
    }

    /// Hands the delta `payload` holds to `sink` as a plain delta of run `id`
    /// ([`ChunkSink::push_delta`]) when it is one in this shape, and gives `true`; `false`
    /// leaves the event to the family's mapper.
    pub fn push(&self, payload: &[u8], id: &str, sink: &mut dyn ChunkSink) -> Result<bool, Error> {
        match self.read(payload).as_ref().and_then(CompactDelta::plain) {
            Some(delta) => sink.push_delta(id, delta).map(|()| true),
            None => Ok(false),
        }
    }
}

impl CompactDelta<'_> {
    /// The plain-delta chunk this delta makes: `None` for empty text, which makes none (an
    /// empty argument or reasoning piece still makes one).
    pub fn plain(&self) -> Option<Delta<'_>> {
        if self.kind == DeltaKind::Text && self.text.is_empty() {
            return None;
        }
        Some(Delta {
            kind: self.kind,
            text: &self.text,
            index: Some(self.index),
        })
    }
}

/// The JSON string at the start of `bytes`, and what follows it; `None` when there is none or
/// serde_json would refuse it (a control character, a bad escape, invalid UTF-8). Its text is
/// [`json_members::string`]'s: borrowed unless it has escapes.
fn json_string(bytes: &[u8]) -> Option<(Cow<'_, str>, &[u8])> {
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
    Some((json_members::string(&bytes[..i + 2])?, &body[i + 1..]))
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

#[cfg(test)]
mod tests {
    use super::*;

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
