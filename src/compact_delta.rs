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
        let (text, rest) = json_members::leading_string(rest)?;
        let rest = rest.strip_prefix(b"}}".get(..closing)?)?;
        json_members::is_payload_end(rest).then_some(CompactDelta { index, kind, text })
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
