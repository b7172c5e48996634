//! Anthropic Claude on Bedrock, in the Messages API format: [`request`] builds the body from
//! chat messages, [`reply`] maps replies and stream events to chat output.

pub mod reply;
pub mod request;

use serde_json::{Map, Value};

use super::provider::{Identity, Provider, Request};
use super::ProviderEvents;
use crate::chat::output::{AIMessage, CallInfo};
use crate::Error;

/// Anthropic's Claude models.
pub struct Anthropic;

impl Provider for Anthropic {
    fn identity(&self) -> Identity {
        Identity::of("anthropic", "Anthropic models", &[])
    }

    fn request_body(&self, request: Request) -> Result<Map<String, Value>, Error> {
        request::body(request)
    }

    fn map_reply(&self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        reply::map_response(body, info)
    }

    fn events(&self) -> Box<dyn ProviderEvents> {
        Box::<reply::AnthropicEvents>::default()
    }
}
