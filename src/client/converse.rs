//! The Converse API family: request settings, bodies, and its operations.

use wasm_bindgen::JsValue;

use super::options::{read_converse_options, ClientConfig};
use super::request::{prepare_call, PreparedCall};
use super::stream::MapperFactory;
use crate::chat::output::{AIMessage, CallInfo};
use crate::chunk_decoder::EventMapper;
use crate::converse::request::{build_request_body, ConverseOptions};
use crate::converse::response::map_converse_response;
use crate::converse::stream::ConverseStreamMapper;
use crate::Error;

/// A Converse model's request settings.
pub struct ConverseModel {
    /// The settings every call starts from.
    pub options: ConverseOptions,
}

impl ConverseModel {
    /// Reads the settings from the model's options. A bad `toolChoice` is reported here (and
    /// so by `bindTools`); a call's is checked against the tools in force for that call.
    pub fn from_js(options: &JsValue) -> Result<Self, Error> {
        let options = read_converse_options(options)?;
        options.resolved_tool_choice()?;
        Ok(Self { options })
    }

    /// The request for `messages` with the call's settings over the model's.
    pub fn prepare(
        &self,
        config: &ClientConfig,
        messages: &JsValue,
        call_options: &JsValue,
        streaming: bool,
    ) -> Result<PreparedCall, Error> {
        prepare_call(
            config,
            messages,
            call_options,
            read_converse_options,
            |call, messages| {
                let options = match call {
                    Some(call) => self.options.overlay(&call),
                    None => self.options.clone(),
                };
                build_request_body(&options, messages, streaming)
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
