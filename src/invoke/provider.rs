//! What an InvokeModel provider is: one implementation of [`Provider`], in a file of its own,
//! with its name, label, model-id matcher, the settings it has no place for (as data), its
//! request body, its reply and its stream events. [`super::registry`] lists them and runs the
//! steps every provider's request shares.

use super::json_writer::JsonWriter;
use super::transcript::Transcript;
use super::ProviderEvents;
use crate::chat::input::ChatMessage;
use crate::chat::output::{AIMessage, CallInfo};
use crate::chat::settings::{Setting, Settings};
use crate::chat::tools::ToolChoice;
use crate::Error;

/// Who a provider is: the facts the registry and the shared steps read.
#[derive(Debug, Clone, Copy)]
pub struct Identity {
    /// The settings its body has no place for. A provider that takes no tools takes text
    /// only: its body is built from the [`Transcript`].
    pub unsupported: &'static [Setting],
    /// Its name, as the `provider` option takes it (`meta`).
    pub name: &'static str,
    /// How error messages name its models ("Meta Llama models").
    pub label: &'static str,
}

impl Identity {
    /// A provider named `name`, whose models `label` names, that has no place for `unsupported`.
    pub const fn of(
        name: &'static str,
        label: &'static str,
        unsupported: &'static [Setting],
    ) -> Self {
        Identity {
            unsupported,
            name,
            label,
        }
    }
}

/// A model provider with its own InvokeModel body.
pub trait Provider: Sync {
    /// Writes its native body's members into `out` (the caller merges `modelKwargs`).
    fn request_body(&self, request: Request, out: &mut JsonWriter) -> Result<(), Error>;

    /// Maps an InvokeModel reply body.
    fn map_reply(&self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error>;

    /// A fresh state for one InvokeModelWithResponseStream response.
    fn events(&self) -> Box<dyn ProviderEvents>;

    /// Its name, vendor, label, unsupported settings and input.
    fn identity(&self) -> Identity;

    /// Whether a model id's vendor and model parts (`meta`, `llama3-8b-instruct-v1:0`) name
    /// one of its models: by default, the vendor is its name.
    fn matches(&self, vendor: &str, _model: &str) -> bool {
        vendor == self.name()
    }

    /// Other names the `provider` option takes for it (`llama`; `amazon` for Nova, unless the
    /// model id names a Titan model).
    fn aliases(&self) -> &'static [&'static str] {
        &[]
    }

    /// The settings `model_id` has no place for, and how to name the models that lack them
    /// (when they differ between a provider's models).
    fn unsupported(&self, _model_id: &str) -> (&'static str, &'static [Setting]) {
        (self.label(), self.identity().unsupported)
    }

    /// [`Identity::name`].
    fn name(&self) -> &'static str {
        self.identity().name
    }

    /// [`Identity::label`].
    fn label(&self) -> &'static str {
        self.identity().label
    }
}

/// What a provider builds its body from, after the shared steps.
pub struct Request<'a> {
    /// The model id, inference-profile id or ARN.
    pub model_id: &'a str,
    /// The settings in force for the call.
    pub settings: &'a Settings,
    /// `toolChoice`, resolved against the tools.
    pub tool_choice: Option<ToolChoice>,
    /// The conversation.
    pub input: Input,
}

/// The conversation, in the form the provider takes.
pub enum Input {
    /// The messages, for providers that take every kind of block.
    Messages(Vec<ChatMessage>),
    /// The text turns, for text-only providers.
    Transcript(Transcript),
}

impl<'a> Request<'a> {
    /// The messages (none for a text-only provider, which gets the transcript).
    pub fn messages(&self) -> &[ChatMessage] {
        match &self.input {
            Input::Messages(messages) => messages,
            Input::Transcript(_) => &[],
        }
    }

    /// The messages, taken out of the request (none for a text-only provider).
    pub fn take_messages(&mut self) -> Vec<ChatMessage> {
        match &mut self.input {
            Input::Messages(messages) => std::mem::take(messages),
            Input::Transcript(_) => Vec::new(),
        }
    }

    /// The text turns, taken out of the request (empty for a provider that takes messages).
    pub fn take_transcript(&mut self) -> Transcript {
        match std::mem::replace(&mut self.input, Input::Messages(Vec::new())) {
            Input::Transcript(transcript) => transcript,
            Input::Messages(_) => Transcript::default(),
        }
    }
}
