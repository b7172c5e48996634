//! The InvokeModel API family: the provider, its request settings, native bodies, replies and
//! stream events.

use wasm_bindgen::JsValue;

use super::options::{read_invoke_options, string, ClientConfig};
use super::request::{prepare_call, PreparedCall};
use super::stream::MapperFactory;
use crate::chat::output::{AIMessage, CallInfo};
use crate::chunk_decoder::EventMapper;
use crate::invoke::{InvokeOptions, InvokeStreamMapper, Provider};
use crate::Error;

/// An InvokeModel model: which native format it speaks, and its request settings.
pub struct InvokeModel {
    /// The provider, from the `provider` option or the model id.
    pub provider: Provider,
    /// The settings every call starts from.
    pub options: InvokeOptions,
}

impl InvokeModel {
    /// Reads the provider and settings; an unknown provider is a `TypeError` that lists the
    /// supported ones, as is a bad `toolChoice`.
    pub fn from_js(config: &ClientConfig, options: &JsValue) -> Result<Self, Error> {
        let provider =
            Provider::resolve(&config.model_id, string(options, "provider")?.as_deref())?;
        let options = read_invoke_options(options)?;
        options.tool_choice()?;
        Ok(Self { provider, options })
    }

    /// The provider's native request for `messages`, with the call's settings over the model's.
    pub fn prepare(
        &self,
        config: &ClientConfig,
        messages: &JsValue,
        call_options: &JsValue,
    ) -> Result<PreparedCall, Error> {
        prepare_call(
            config,
            messages,
            call_options,
            read_invoke_options,
            |call, messages| {
                let overlaid;
                let options = match call {
                    Some(call) => {
                        overlaid = self.options.overlay(&call);
                        &overlaid
                    }
                    None => &self.options,
                };
                self.provider
                    .request_body(&config.model_id, options, messages)
            },
        )
    }

    /// Maps an InvokeModel reply in the provider's format.
    pub fn map_reply(&self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        self.provider.map_response(body, info)
    }

    /// The provider's stream events, unwrapped from each `chunk`, for each response.
    pub fn stream_mapper(&self) -> MapperFactory {
        let provider = self.provider;
        Box::new(move |info| {
            Box::new(InvokeStreamMapper::new(info, provider.events())) as Box<dyn EventMapper>
        })
    }
}
