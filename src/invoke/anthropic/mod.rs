//! Anthropic Claude on Bedrock, in the Messages API format: [`request`] builds the body from
//! chat messages, [`reply`] maps replies and stream events to chat output.

pub mod reply;
pub mod request;

use super::json_writer::JsonWriter;
use super::provider::{Identity, Provider, Request};
use super::ProviderEvents;
use crate::chat::output::{AIMessage, CallInfo};
use crate::Error;

/// Anthropic's Claude models.
pub struct Anthropic;

impl Provider for Anthropic {
    fn identity(&self) -> &'static Identity {
        const IDENTITY: &Identity = &Identity::of("anthropic", "Anthropic models", &[]);
        IDENTITY
    }

    fn request_body(&self, request: Request, out: &mut JsonWriter) -> Result<(), Error> {
        request::body(request, out)
    }

    fn map_reply(&self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        reply::map_response(body, info)
    }

    fn events(&self) -> Box<dyn ProviderEvents> {
        Box::<reply::AnthropicEvents>::default()
    }
}
