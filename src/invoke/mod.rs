//! InvokeModel and InvokeModelWithResponseStream: each provider's native replies and stream
//! events to chat output.
//!
//! An invoke stream is an event stream of `chunk` events whose JSON payload holds
//! `{"bytes": "<base64>"}`, the provider's own event; [`InvokeStreamMapper`] unwraps each one as
//! it arrives and hands it to the provider's [`ProviderEvents`]. Exception and error frames are
//! routed by [`crate::chunk_decoder::map_message`], as Converse's are.
//!
//! [`registry`] lists the providers, each one implementation of [`provider::Provider`] in its
//! own module: [`anthropic`], [`nova`], [`titan`], [`llama`], [`mistral`], [`cohere`] and
//! [`ai21`]; each writes its body with [`json_writer`]. They share [`reply`] (output building
//! and usage), [`TextEvents`] (streams whose events each add text) and, for the text-only ones,
//! [`transcript`]; AI21 Jamba and Mistral's chat models also share [`chat_completions`], the
//! OpenAI-style chat-completions shape.

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

use serde::Deserialize;
use serde_json::{Map, Value};

use self::reply::{TextPiece, TextStream};
use crate::base64;
use crate::chat::output::{AIMessageChunk, CallInfo};
use crate::chunk_decoder::EventMapper;
use crate::Error;

/// One provider's stream events (already unwrapped from `chunk`) to chunks.
pub trait ProviderEvents {
    /// One native event (JSON bytes).
    fn map_event(&mut self, event: &[u8], info: &CallInfo)
        -> Result<Option<AIMessageChunk>, Error>;

    /// The end of the body: the final chunk, or an error when the stream stopped too early.
    fn finish(&mut self, info: &CallInfo) -> Result<Option<AIMessageChunk>, Error>;
}

/// The members that are set (neither `None` nor JSON `null`), in order: the reply members that
/// go to `response_metadata`.
pub fn present(members: &mut [(&str, Option<Value>)]) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in members {
        if let Some(value) = value.take().filter(|v| !v.is_null()) {
            out.insert(key.to_string(), value);
        }
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

    fn finish(&mut self, info: &CallInfo) -> Result<Option<AIMessageChunk>, Error> {
        (**self).finish(info)
    }
}

#[derive(Deserialize)]
struct PayloadPart {
    bytes: String,
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
        let part: PayloadPart = serde_json::from_slice(payload).map_err(|e| {
            Error::invalid_response(format!("chunk event payload is not valid: {e}"))
        })?;
        let event = base64::decode(&part.bytes)
            .ok_or_else(|| Error::invalid_response("chunk event bytes are not valid base64"))?;
        self.provider.map_event(&event, &self.info)
    }

    fn request_id(&self) -> Option<&str> {
        self.info.request_id.as_deref()
    }

    fn finish(&mut self) -> Result<Option<AIMessageChunk>, Error> {
        self.provider.finish(&self.info)
    }
}
