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

/// Who a provider is: the facts the registry and the shared steps read, as data (read by one
/// copy of the code for all providers, [`Provider`]'s inherent methods).
#[derive(Debug, Clone, Copy)]
pub struct Identity {
    /// The settings its body has no place for. A provider that takes no tools takes text
    /// only: its body is built from the [`Transcript`].
    pub unsupported: &'static [Setting],
    /// Its name, as the `provider` option takes it (`meta`).
    pub name: &'static str,
    /// How error messages name its models ("Meta Llama models").
    pub label: &'static str,
    /// Other names the `provider` option takes for it (`llama`; `amazon` for Nova, unless the
    /// model id names a Titan model).
    pub aliases: &'static [&'static str],
    /// The vendor part of its model ids when it is not its name, and the test the model part
    /// must pass (`amazon`, shared by Nova and Titan); else any model of the vendor `name`.
    pub vendor: Option<Vendor>,
    /// Models that lack more settings: their test on the model id, their label and the
    /// settings they have no place for (Mistral's chat models).
    pub narrower: Option<Narrower>,
}

/// A vendor other than the provider's name, and the test its model part must pass: see
/// [`Identity::vendor`].
pub type Vendor = (&'static str, fn(&str) -> bool);

/// Some of a provider's models with settings of their own: see [`Identity::narrower`].
pub type Narrower = (fn(&str) -> bool, &'static str, &'static [Setting]);

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
            aliases: &[],
            vendor: None,
            narrower: None,
        }
    }

    /// The same, with other names for the `provider` option.
    pub const fn aliases(self, aliases: &'static [&'static str]) -> Self {
        Identity { aliases, ..self }
    }

    /// The same, its models being those of `vendor` whose model part passes `models`.
    pub const fn vendor(self, vendor: &'static str, models: fn(&str) -> bool) -> Self {
        Identity {
            vendor: Some((vendor, models)),
            ..self
        }
    }

    /// The same, with models that lack more settings.
    pub const fn narrower(self, narrower: Narrower) -> Self {
        Identity {
            narrower: Some(narrower),
            ..self
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

    /// Its name, label, aliases, model ids and unsupported settings.
    fn identity(&self) -> &'static Identity;
}

impl<'a> dyn Provider + 'a {
    /// Whether a model id's vendor and model parts (`meta`, `llama3-8b-instruct-v1:0`) name
    /// one of its models ([`Identity::vendor`]).
    pub fn matches(&self, vendor: &str, model: &str) -> bool {
        let identity = self.identity();
        match identity.vendor {
            Some((own, models)) => vendor == own && models(model),
            None => vendor == identity.name,
        }
    }

    /// [`Identity::aliases`].
    pub fn aliases(&self) -> &'static [&'static str] {
        self.identity().aliases
    }

    /// The settings `model_id` has no place for, and how to name the models that lack them
    /// ([`Identity::narrower`] when it takes the model id).
    pub fn unsupported(&self, model_id: &str) -> (&'static str, &'static [Setting]) {
        let identity = self.identity();
        match identity.narrower {
            Some((models, label, unsupported)) if models(model_id) => (label, unsupported),
            _ => (identity.label, identity.unsupported),
        }
    }

    /// [`Identity::name`].
    pub fn name(&self) -> &'static str {
        self.identity().name
    }

    /// [`Identity::label`].
    pub fn label(&self) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::settings::Setting::{StopSequences, Thinking, TopK};

    /// A provider that is only its identity data.
    struct Fake(&'static Identity);

    impl Provider for Fake {
        fn request_body(&self, _: Request, _: &mut JsonWriter) -> Result<(), Error> {
            Ok(())
        }

        fn map_reply(&self, _: &[u8], _: CallInfo) -> Result<AIMessage, Error> {
            Err(Error::invalid_response("none"))
        }

        fn events(&self) -> Box<dyn ProviderEvents> {
            unreachable!()
        }

        fn identity(&self) -> &'static Identity {
            self.0
        }
    }

    #[test]
    fn the_identity_data_answers_for_every_provider() {
        const FAKE: &Identity = &Identity::of("fake", "Fake models", &[Thinking])
            .aliases(&["phony"])
            .narrower((|id| id.contains("small"), "Small fakes", &[TopK, Thinking]));
        const BRANDED: &Identity = &Identity::of("brand", "Brand models", &[StopSequences])
            .vendor("maker", |model| model.starts_with("brand"));
        let (fake, branded): (&dyn Provider, &dyn Provider) = (&Fake(FAKE), &Fake(BRANDED));
        assert_eq!((fake.name(), fake.label()), ("fake", "Fake models"));
        assert_eq!(fake.aliases(), &["phony"]);
        assert!(fake.matches("fake", "anything"));
        assert!(!fake.matches("phony", "anything"));
        assert_eq!(
            fake.unsupported("fake-big"),
            ("Fake models", &[Thinking][..])
        );
        assert_eq!(
            fake.unsupported("fake-small"),
            ("Small fakes", &[TopK, Thinking][..])
        );
        assert!(branded.aliases().is_empty());
        assert!(branded.matches("maker", "brand-1"));
        assert!(!branded.matches("maker", "other-1"));
        assert!(!branded.matches("brand", "brand-1"));
        assert_eq!(
            branded.unsupported("maker.brand-1"),
            ("Brand models", &[StopSequences][..])
        );
    }
}
