//! InvokeModel and InvokeModelWithResponseStream: each provider's native replies and stream
//! events to chat output.
//!
//! An invoke stream is an event stream of `chunk` events whose JSON payload holds
//! `{"bytes": "<base64>"}`, the provider's own event; [`InvokeStreamMapper`] unwraps each one as
//! it arrives and hands it to the provider's [`ProviderEvents`]. Exception and error frames are
//! routed by [`crate::chunk_decoder::map_message`], as Converse's are.
//!
//! So far: Anthropic Messages, replies and events ([`anthropic`]) and request bodies
//! ([`anthropic_request`]). The other providers are still to come.

pub mod anthropic;
pub mod anthropic_request;

use serde::Deserialize;

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
