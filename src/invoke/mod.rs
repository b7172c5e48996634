//! InvokeModel and InvokeModelWithResponseStream: each provider's native replies and stream
//! events to chat output.
//!
//! An invoke stream is an event stream of `chunk` events whose JSON payload holds
//! `{"bytes": "<base64>"}`, the provider's own event; [`InvokeStreamMapper`] unwraps each one as
//! it arrives and hands it to the provider's [`ProviderEvents`], or, when it is a plain delta in
//! the provider's compact [`Shape`] (Anthropic's), straight to the chunk batch. Exception and
//! error frames are routed by [`crate::chunk_decoder::map_message`], as Converse's are.
//!
//! [`registry`] lists the providers, each one implementation of [`provider::Provider`] in its
//! own module: [`anthropic`], [`nova`], [`titan`], [`llama`], [`mistral`], [`cohere`] and
//! [`ai21`]; each writes its body with [`json_writer`]. They share [`reply`] (output building
//! and usage), [`TextEvents`] (streams whose events each add text) and, for the text-only ones,
//! [`transcript`]; AI21 Jamba and Mistral's chat models also share [`chat_completions`], the
//! OpenAI-style chat-completions shape. [`crate::json_members`] reads the `chunk` wrapper's
//! and Nova's events as slices of their text.

pub mod ai21;
pub mod anthropic;
pub mod chat_completions;
pub mod cohere;
pub mod json_writer;
pub mod llama;
pub mod mistral;
pub mod nova;
pub mod provider;
pub mod registry;
pub mod reply;
#[cfg(test)]
mod test_support;
pub mod titan;
pub mod transcript;

use serde_json::{Map, Value};

use self::reply::{TextPiece, TextStream};
use crate::base64;
use crate::chat::output::{AIMessageChunk, CallInfo};
use crate::chunk_decoder::{ChunkSink, EventMapper};
use crate::compact_delta::Shape;
use crate::json_members::{self, members};
use crate::Error;

/// One provider's stream events (already unwrapped from `chunk`) to chunks.
pub trait ProviderEvents {
    /// One native event (JSON bytes).
    fn map_event(&mut self, event: &[u8], info: &CallInfo)
        -> Result<Option<AIMessageChunk>, Error>;

    /// The compact shape of the provider's plain deltas, if it has one: a delta read in it
    /// must make the chunk [`map_event`](Self::map_event) gives.
    fn compact_shape(&self) -> Option<&'static Shape> {
        None
    }

    /// The end of the body: the final chunk, or an error when the stream stopped too early.
    fn finish(&mut self, info: &CallInfo) -> Result<Option<AIMessageChunk>, Error>;
}

/// The members that are set (neither `None` nor JSON `null`), in order: the reply members that
/// go to `response_metadata`.
pub fn present(members: &mut [(&str, Option<Value>)]) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in members {
        reply::put_set(&mut out, key, value.take());
    }
    out
}

/// A provider's reading of one event of a stream whose events each add text (Titan, Llama,
/// Mistral, Cohere, AI21): what it adds, with what the provider keeps between events.
pub trait TextEvent {
    /// One native event (JSON bytes) as a piece of text and what it reports.
    fn piece(&mut self, event: &[u8]) -> Result<TextPiece, Error>;
}

/// The stream state of a [`TextEvent`] provider (one copy of the code for all of them).
pub struct TextEvents {
    stream: TextStream,
    state: Box<dyn TextEvent>,
}

impl TextEvents {
    /// A fresh stream read by `state`.
    pub fn new(state: impl TextEvent + 'static) -> Self {
        TextEvents {
            stream: TextStream::default(),
            state: Box::new(state),
        }
    }
}

impl ProviderEvents for TextEvents {
    fn map_event(
        &mut self,
        event: &[u8],
        info: &CallInfo,
    ) -> Result<Option<AIMessageChunk>, Error> {
        let piece = self.state.piece(event)?;
        Ok(self.stream.piece(info, piece))
    }

    fn finish(&mut self, info: &CallInfo) -> Result<Option<AIMessageChunk>, Error> {
        self.stream.finish(info)
    }
}

impl ProviderEvents for Box<dyn ProviderEvents> {
    fn map_event(
        &mut self,
        event: &[u8],
        info: &CallInfo,
    ) -> Result<Option<AIMessageChunk>, Error> {
        (**self).map_event(event, info)
    }

    fn compact_shape(&self) -> Option<&'static Shape> {
        (**self).compact_shape()
    }

    fn finish(&mut self, info: &CallInfo) -> Result<Option<AIMessageChunk>, Error> {
        (**self).finish(info)
    }
}

/// The provider's event a `chunk` payload wraps: `{"bytes": "<base64>"}`, and `p` (padding)
/// from AWS; the one `bytes` member is read as a slice of the payload (no copy unless it has
/// escapes).
fn unwrap_chunk(payload: &[u8]) -> Result<Vec<u8>, Error> {
    plain_chunk(payload).map_or_else(|| chunk_members(payload), Ok)
}

/// [`unwrap_chunk`] member by member: any JSON object, escapes and all.
fn chunk_members(payload: &[u8]) -> Result<Vec<u8>, Error> {
    let invalid = || {
        Error::invalid_response(
            "chunk event payload is not valid: not a JSON object with one string member `bytes`",
        )
    };
    let mut bytes = None;
    for (name, value) in members(payload).ok_or_else(invalid)? {
        if name == "bytes" && bytes.replace(value).is_some() {
            return Err(invalid());
        }
    }
    let text = json_members::string(bytes.ok_or_else(invalid)?).ok_or_else(invalid)?;
    base64::decode(text.as_bytes())
        .ok_or_else(|| Error::invalid_response("chunk event bytes are not valid base64"))
}

/// A `chunk` payload as AWS writes it, `{"bytes":"<base64>"}` with or without its padding
/// member `p`, decoded where its base64 lies: base64 needs no escapes, so it ends at the next
/// quote. `None` for any other payload (whitespace, other members or orders, escapes), and for
/// base64 that does not decode: [`chunk_members`] reads those, and names what is wrong.
fn plain_chunk(payload: &[u8]) -> Option<Vec<u8>> {
    let rest = payload.strip_prefix(br#"{"bytes":""#)?;
    let (text, end) = rest.split_at(rest.iter().position(|&b| b == b'"')?);
    json_members::is_payload_end(&end[1..]).then(|| base64::decode(text))?
}

/// Unwraps `chunk` events and maps them with a provider's [`ProviderEvents`].
#[derive(Debug)]
pub struct InvokeStreamMapper<P> {
    info: CallInfo,
    provider: P,
}

impl<P: ProviderEvents> InvokeStreamMapper<P> {
    /// A mapper for one response of `provider`'s model.
    pub fn new(info: CallInfo, provider: P) -> Self {
        Self { info, provider }
    }
}

impl<P: ProviderEvents> EventMapper for InvokeStreamMapper<P> {
    fn map_event(
        &mut self,
        event_type: &str,
        payload: &[u8],
    ) -> Result<Option<AIMessageChunk>, Error> {
        // `ResponseStream` has no event but `chunk` today; a new one is tolerated.
        if event_type != "chunk" {
            return Ok(None);
        }
        self.provider.map_event(&unwrap_chunk(payload)?, &self.info)
    }

    /// A `chunk` event is unwrapped here, once: a plain delta in the provider's compact shape
    /// goes to the sink as it lies in the event, any other event as the provider's chunk.
    fn push_event(
        &mut self,
        event_type: &str,
        payload: &[u8],
        sink: &mut dyn ChunkSink,
    ) -> Result<bool, Error> {
        if event_type != "chunk" {
            return Ok(false);
        }
        let event = unwrap_chunk(payload)?;
        let plain = match self.provider.compact_shape() {
            Some(shape) => shape.push(&event, &self.info.run_id, sink)?,
            None => false,
        };
        if !plain {
            if let Some(chunk) = self.provider.map_event(&event, &self.info)? {
                sink.push(chunk)?;
            }
        }
        Ok(true)
    }

    fn request_id(&self) -> Option<&str> {
        self.info.request_id.as_deref()
    }

    fn finish(&mut self) -> Result<Option<AIMessageChunk>, Error> {
        self.provider.finish(&self.info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands back each event's text as a text chunk.
    struct Echo;

    impl ProviderEvents for Echo {
        fn map_event(
            &mut self,
            event: &[u8],
            info: &CallInfo,
        ) -> Result<Option<AIMessageChunk>, Error> {
            let text = String::from_utf8(event.to_vec()).unwrap();
            Ok(Some(reply::block_chunk(
                info,
                reply::text_block(text),
                None,
            )))
        }

        fn finish(&mut self, _: &CallInfo) -> Result<Option<AIMessageChunk>, Error> {
            Ok(None)
        }
    }

    fn map(payload: &str) -> Result<Option<String>, Error> {
        let mut mapper = InvokeStreamMapper::new(CallInfo::default(), Echo);
        Ok(mapper
            .map_event("chunk", payload.as_bytes())?
            .map(|chunk| chunk.text()))
    }

    #[test]
    fn chunk_payloads_give_their_bytes_member_decoded() {
        for payload in [
            r#"{"bytes":"e30="}"#,
            r#" {"p":"abcdefgh", "bytes" : "e30=" } "#,
            r#"{"bytes":"e30=","p":"abc","x":[1,{"a":null}]}"#,
            r#"{"bytes":"\u0065\u0033\u0030="}"#,
        ] {
            assert_eq!(map(payload).unwrap().as_deref(), Some("{}"), "{payload}");
        }
        let mut mapper = InvokeStreamMapper::new(CallInfo::default(), Echo);
        assert_eq!(mapper.map_event("other", b"nonsense").unwrap(), None);
    }

    #[test]
    fn payloads_without_one_string_bytes_member_are_invalid_responses() {
        for payload in [
            "",
            "{",
            "5",
            "null",
            r#"["e30="]"#,
            "{}",
            r#"{"p":"x"}"#,
            r#"{"bytes":5}"#,
            r#"{"bytes":null}"#,
            r#"{"bytes":"e30=","bytes":"e30="}"#,
            r#"{"bytes":"e30=",}"#,
            r#"{"bytes":"e30="}x"#,
        ] {
            let err = map(payload).unwrap_err();
            assert_eq!(
                (err.name(), err.message().as_str()),
                (
                    "InvalidResponse",
                    "chunk event payload is not valid: not a JSON object with one string member `bytes`"
                ),
                "{payload}"
            );
        }
        let err = map(r#"{"bytes":"e30"}"#).unwrap_err();
        assert_eq!(err.message(), "chunk event bytes are not valid base64");
    }

    /// AWS's own payloads are decoded where they lie, to what the member reader gives; any
    /// other payload is left to the member reader, whose answer stands.
    #[test]
    fn plain_chunks_decode_as_the_member_reader_does() {
        let bytes: Vec<u8> = (0..40u8).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
        for len in 0..bytes.len() {
            let text = base64::encode(&bytes[..len]);
            for payload in [
                format!(r#"{{"bytes":"{text}"}}"#),
                format!(r#"{{"bytes":"{text}","p":"abcXYZ0123"}}"#),
                format!(r#"{{"bytes":"{text}","p":""}}"#),
            ] {
                let plain = plain_chunk(payload.as_bytes());
                assert_eq!(plain.as_deref(), Some(&bytes[..len]), "{payload}");
                assert_eq!(chunk_members(payload.as_bytes()).ok(), plain, "{payload}");
            }
        }
        // Escapes in the padding: read, to the member reader's answer.
        let payload = br#"{"bytes":"e30=","p":"a\"b c"}"#;
        let plain = plain_chunk(payload);
        assert_eq!(plain.as_deref(), Some(&b"{}"[..]));
        assert_eq!(chunk_members(payload).ok(), plain);
        // Escapes in the base64, spacing, other members and orders, trailing bytes, bad base64:
        // left to it.
        for payload in [
            r#"{"bytes":"Pz8\/"}"#,
            r#"{"bytes": "e30="}"#,
            r#"{"bytes":"e30=" }"#,
            r#"{"p":"abc","bytes":"e30="}"#,
            r#"{"bytes":"e30=","x":1}"#,
            r#"{"bytes":"e30=","p":"abc","x":1}"#,
            r#"{"bytes":"e30=","p":5}"#,
            r#"{"bytes":"e30=","p":"abc"}x"#,
            r#"{"bytes":"e30="}}"#,
            r#"{"bytes":"e30=","bytes":"e30="}"#,
            r#"{"bytes":"e30"}"#,
            r#"{"bytes":"e3 0="}"#,
            r#"{"bytes":"e30="#,
            r#"{"bytes":"e30=\u0000"}"#,
        ] {
            assert_eq!(plain_chunk(payload.as_bytes()), None, "{payload}");
        }
        assert_eq!(map(r#"{"bytes":"Pz8\/"}"#).unwrap().as_deref(), Some("???"));
        for payload in [r#"{"bytes":"e30=","p":"abc"}x"#, r#"{"bytes":"e30="}}"#] {
            assert_eq!(
                map(payload).unwrap_err().name(),
                "InvalidResponse",
                "{payload}"
            );
        }
    }
}
