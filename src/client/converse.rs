//! The Converse API family: request settings, bodies, and its operations.

use wasm_bindgen::JsValue;

use super::options::{ClientConfig, JsOptions};
use super::request::{prepare_call, PreparedCall};
use super::stream::MapperFactory;
use crate::chat::output::{AIMessage, CallInfo};
use crate::chunk_decoder::EventMapper;
use crate::converse::request::{build_request_body, ConverseOptions};
use crate::converse::response::map_converse_response;
use crate::converse::stream::ConverseStreamMapper;
use crate::endpoint::Operation;
use crate::invoke::registry;
use crate::options::set::ModelClass;
use crate::Error;

/// A Converse model's request settings.
pub struct ConverseModel {
    /// The settings every call starts from.
    pub options: ConverseOptions,
    /// Whether the model is Anthropic's, whose `topK`, `thinking` and `betas` go into
    /// `additionalModelRequestFields` under Anthropic's names.
    anthropic: bool,
}

impl ConverseModel {
    /// Reads the settings from the model's options. A bad `toolChoice` is reported here (and
    /// so by `bindTools`); a call's is checked against the tools in force for that call.
    pub fn from_js(config: &ClientConfig, options: &JsValue) -> Result<Self, Error> {
        let options = ConverseOptions::read(&JsOptions(options))?;
        options.settings.tool_choice()?;
        let anthropic =
            registry::from_model_id(&config.model_id).is_some_and(|p| p.name() == "anthropic");
        Ok(Self { options, anthropic })
    }

    /// The body of `operation` (Converse, ConverseStream, CountTokens' `input.converse`) for
    /// `messages`, with the call's settings over the model's.
    pub fn prepare(
        &self,
        config: &ClientConfig,
        messages: &JsValue,
        call_options: &JsValue,
        operation: Operation,
    ) -> Result<PreparedCall, Error> {
        prepare_call(
            config,
            ModelClass::Converse,
            messages,
            call_options,
            ConverseOptions::read,
            |call, messages| {
                let options = match call {
                    Some(call) => self.options.overlay(&call),
                    None => self.options.clone(),
                };
                build_request_body(&options, &messages, operation, self.anthropic)
            },
        )
    }

    /// Maps a Converse reply.
    pub fn map_reply(body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        map_converse_response(body, info)
    }

    /// The ConverseStream event mapper of each response.
    pub fn stream_mapper() -> MapperFactory {
        Box::new(|info| Box::new(ConverseStreamMapper::new(info)) as Box<dyn EventMapper>)
    }
}
