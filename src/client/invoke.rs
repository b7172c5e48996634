//! The InvokeModel API family: the provider, its request settings, native bodies, replies and
//! stream events.

use wasm_bindgen::JsValue;

use super::options::{string, ClientConfig, JsOptions};
use super::request::{prepare_call, PreparedCall};
use super::stream::MapperFactory;
use crate::chat::output::{AIMessage, CallInfo};
use crate::chat::settings::Settings;
use crate::chunk_decoder::EventMapper;
use crate::invoke::provider::Provider;
use crate::invoke::registry;
use crate::invoke::InvokeStreamMapper;
use crate::options::set::ModelClass;
use crate::Error;

/// An InvokeModel model: which native format it speaks, and its request settings.
pub struct InvokeModel {
    /// The class (`ChatBedrock` or `ChatAnthropicBedrock`).
    pub class: ModelClass,
    /// The provider, from the `provider` option or the model id.
    pub provider: &'static dyn Provider,
    /// The settings every call starts from.
    pub settings: Settings,
}

impl InvokeModel {
    /// Reads the provider and settings; an unknown provider is a `TypeError` that lists the
    /// supported ones, as is a bad `toolChoice`. `ChatAnthropicBedrock` speaks Anthropic's
    /// format only.
    pub fn from_js(
        class: ModelClass,
        config: &ClientConfig,
        options: &JsValue,
    ) -> Result<Self, Error> {
        let option = string(options, "provider")?;
        let option = match (class, option) {
            (ModelClass::AnthropicBedrock, Some(name)) if name != "anthropic" => {
                return Err(Error::invalid_input(
                    "provider must be \"anthropic\" on ChatAnthropicBedrock (use ChatBedrock for other providers)",
                ))
            }
            (ModelClass::AnthropicBedrock, _) => Some("anthropic".to_string()),
            (_, option) => option,
        };
        let provider = registry::resolve(&config.model_id, option.as_deref())?;
        let settings = Settings::read(&JsOptions(options))?;
        settings.tool_choice()?;
        Ok(Self {
            class,
            provider,
            settings,
        })
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
            self.class,
            messages,
            call_options,
            Settings::read,
            |call, messages| {
                let overlaid;
                let settings = match call {
                    Some(call) => {
                        overlaid = self.settings.overlay(&call);
                        &overlaid
                    }
                    None => &self.settings,
                };
                registry::request_body(self.provider, &config.model_id, settings, messages)
            },
        )
    }

    /// Maps an InvokeModel reply in the provider's format.
    pub fn map_reply(&self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        self.provider.map_reply(body, info)
    }

    /// The provider's stream events, unwrapped from each `chunk`, for each response.
    pub fn stream_mapper(&self) -> MapperFactory {
        let provider = self.provider;
        Box::new(move |info| {
            Box::new(InvokeStreamMapper::new(info, provider.events())) as Box<dyn EventMapper>
        })
    }
}
