//! The `#[wasm_bindgen]` surface. The npm package's JS shim wraps these in the public
//! `ChatBedrockConverse`, `ChatBedrock` and `ChatAnthropicBedrock` classes; data crosses as
//! plain JSON-compatible objects.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::chat::output::{Block, DerivedFields};
use crate::client::converse::ConverseModel;
use crate::client::count_tokens;
use crate::client::embed::EmbeddingModel;
use crate::client::invoke::InvokeModel;
use crate::client::options::{CallerFunctions, ClientConfig};
use crate::client::request::PreparedCall;
use crate::client::stream::{MapperFactory, StreamCall};
use crate::client::unary::{call_unary, ReplyMapper};
use crate::embeddings::Purpose;
use crate::endpoint::Operation;
use crate::options::set::ModelClass;
use crate::platform::json;
use crate::Error;

/// The chat class a [`ChatClient`] is made for.
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub enum ChatClass {
    /// `ChatBedrockConverse`: Converse and ConverseStream.
    Converse,
    /// `ChatBedrock`: InvokeModel in each provider's native format.
    Bedrock,
    /// `ChatAnthropicBedrock`: InvokeModel with Anthropic's Messages API.
    AnthropicBedrock,
}

/// A chat client of any of the three chat classes: one model, one region, one set of
/// credentials. One class for all three: one set of wasm-bindgen shims and JS glue.
#[wasm_bindgen]
pub struct ChatClient {
    config: Rc<ClientConfig>,
    model: ChatModel,
}

/// A chat client's API family and request settings.
enum ChatModel {
    /// Converse.
    Converse(Box<ConverseModel>),
    /// InvokeModel in the provider's native format (Anthropic, Nova, Titan, Llama, Mistral,
    /// Cohere, AI21).
    Invoke(Rc<InvokeModel>),
}

#[wasm_bindgen]
impl ChatClient {
    /// Reads the options of a model of `class`; throws a `TypeError` for bad options or (for
    /// InvokeModel) a model whose provider cannot be told (listing the supported ones), and a
    /// `ConfigError` when the region or credentials cannot be found.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, class: ChatClass) -> Result<ChatClient, JsValue> {
        let class = match class {
            ChatClass::Converse => ModelClass::Converse,
            ChatClass::Bedrock => ModelClass::Bedrock,
            ChatClass::AnthropicBedrock => ModelClass::AnthropicBedrock,
        };
        let read = || {
            let config = ClientConfig::from_js(class, &options)?;
            let model = match class {
                ModelClass::Converse => {
                    ChatModel::Converse(Box::new(ConverseModel::from_js(&config, &options)?))
                }
                _ => ChatModel::Invoke(Rc::new(InvokeModel::from_js(class, &config, &options)?)),
            };
            Ok(ChatClient {
                config: Rc::new(config),
                model,
            })
        };
        read().map_err(to_js_error)
    }

    /// Calls Converse or InvokeModel and resolves to an `AIMessage` object; with
    /// `count_tokens`, calls CountTokens over the same request (Converse's countable members,
    /// or the native body in base64) and resolves to the number of input tokens. Bad input
    /// rejects with a `TypeError` before anything is sent. `model_options` are the options the
    /// client was made with, for the functions in them ([`CallerFunctions`]), which a client
    /// does not keep.
    pub fn invoke(
        &self,
        messages: JsValue,
        call_options: JsValue,
        count_tokens: bool,
        model_options: JsValue,
    ) -> Promise {
        let config = &self.config;
        let (operation, prepared, map): (_, _, Box<ReplyMapper>) = match &self.model {
            ChatModel::Converse(model) => {
                let operation = match count_tokens {
                    true => Operation::CountTokens,
                    false => Operation::Converse,
                };
                let prepared = model.prepare(config, &messages, &call_options, operation);
                match count_tokens {
                    true => (
                        operation,
                        prepared.map(count_tokens::for_converse),
                        Box::new(count_tokens::map_reply),
                    ),
                    false => (
                        operation,
                        prepared,
                        Box::new(|body, info| json::to_js(&ConverseModel::map_reply(body, info)?)),
                    ),
                }
            }
            ChatModel::Invoke(model) => {
                let prepared = model.prepare(config, &messages, &call_options);
                match count_tokens {
                    true => (
                        Operation::CountTokens,
                        prepared.map(count_tokens::for_invoke_model),
                        Box::new(count_tokens::map_reply),
                    ),
                    false => {
                        let model = model.clone();
                        (
                            Operation::InvokeModel,
                            prepared,
                            Box::new(move |body, info| json::to_js(&model.map_reply(body, info)?)),
                        )
                    }
                }
            }
        };
        unary(config, model_options, operation, prepared, map)
    }

    /// Starts a ConverseStream or InvokeModelWithResponseStream call. Throws a `TypeError` at
    /// once for bad input; the request is sent on the first `next()`. `model_options` as for
    /// `invoke`.
    pub fn stream(
        &self,
        messages: JsValue,
        call_options: JsValue,
        model_options: JsValue,
    ) -> Result<ChunkStream, JsValue> {
        let config = &self.config;
        let (operation, mapper, call) = match &self.model {
            ChatModel::Converse(model) => (
                Operation::ConverseStream,
                ConverseModel::stream_mapper(),
                model.prepare(config, &messages, &call_options, Operation::ConverseStream),
            ),
            ChatModel::Invoke(model) => (
                Operation::InvokeModelWithResponseStream,
                model.stream_mapper(),
                model.prepare(config, &messages, &call_options),
            ),
        };
        chunk_stream(config, model_options, operation, mapper, call)
    }

    /// The provider an InvokeModel model was resolved to (`anthropic`, `nova`, `titan`,
    /// `meta`, `mistral`, `cohere`, `ai21`); `undefined` for Converse.
    #[wasm_bindgen(getter)]
    pub fn provider(&self) -> Option<String> {
        match &self.model {
            ChatModel::Converse(_) => None,
            ChatModel::Invoke(model) => Some(model.provider.name().to_string()),
        }
    }

    /// The options without secrets, so `JSON.stringify(client)` is safe to log.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        let settings = match &self.model {
            ChatModel::Converse(model) => {
                let options = &model.options;
                let mut settings = options.settings.to_json();
                settings.extend(options.members.clone());
                settings
            }
            ChatModel::Invoke(model) => {
                let mut settings = model.settings.to_json();
                settings.insert("provider".into(), model.provider.name().into());
                settings
            }
        };
        to_js(&self.config.redacted_json(settings))
    }
}

/// An embeddings client: one text embedding model (Titan Text Embeddings v1/v2, Cohere Embed
/// v3/v4, Nova Multimodal Embeddings' text), one region, one set of credentials.
#[wasm_bindgen]
pub struct EmbeddingsClient {
    config: Rc<ClientConfig>,
    model: EmbeddingModel,
}

#[wasm_bindgen]
impl EmbeddingsClient {
    /// Reads the options of a `BedrockEmbeddings`; throws a `TypeError` for bad options or a
    /// model id that is no known embedding model, and a `ConfigError` when the region or
    /// credentials cannot be found.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<EmbeddingsClient, JsValue> {
        let config =
            ClientConfig::from_js(ModelClass::Embeddings, &options).map_err(to_js_error)?;
        let model = EmbeddingModel::from_js(&config, &options).map_err(to_js_error)?;
        Ok(EmbeddingsClient {
            config: Rc::new(config),
            model,
        })
    }

    /// Checks a call of `texts` (embedded as a search query when `query`) and its options
    /// before anything is sent: throws a `TypeError` for an empty or non-string text or a bad
    /// option. Returns how many texts one request takes (1 for Titan and Nova, 96 for Cohere).
    pub fn check(
        &self,
        texts: JsValue,
        query: bool,
        call_options: JsValue,
    ) -> Result<u32, JsValue> {
        self.model
            .check(&self.config, &texts, purpose(query), &call_options)
            .map_err(to_js_error)?;
        Ok(self.model.family.batch_size() as u32)
    }

    /// Embeds one batch of `texts` (at most what [`EmbeddingsClient::check`] returned) in one
    /// InvokeModel request; resolves to `[vectors, inputTokens]`, the vectors (arrays of
    /// numbers) in the order of the texts, the tokens `undefined` when the reply does not say.
    /// `model_options` are the options the client was made with, for the functions in them
    /// ([`CallerFunctions`]), which a client does not keep.
    pub fn embed(
        &self,
        texts: JsValue,
        query: bool,
        call_options: JsValue,
        model_options: JsValue,
    ) -> Promise {
        let prepared = self
            .model
            .prepare(&self.config, &texts, purpose(query), &call_options);
        let (call, map): (_, Box<ReplyMapper>) = match prepared {
            Ok((call, map)) => (Ok(call), map),
            Err(e) => (Err(e), Box::new(|_: &[u8], _| Ok(JsValue::UNDEFINED))),
        };
        unary(
            &self.config,
            model_options,
            Operation::InvokeModel,
            call,
            map,
        )
    }

    /// Requests in flight at once for one call (`maxConcurrency`).
    #[wasm_bindgen(getter, js_name = maxConcurrency)]
    pub fn max_concurrency(&self) -> u32 {
        self.model.settings.max_concurrency
    }

    /// The options without secrets, so `JSON.stringify(embeddings)` is safe to log.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        let settings = &self.model.settings;
        let mut set = serde_json::Map::new();
        set.insert("maxConcurrency".into(), settings.max_concurrency.into());
        if let Some(d) = settings.dimensions {
            set.insert("dimensions".into(), d.into());
        }
        if let Some(n) = settings.normalize {
            set.insert("normalize".into(), n.into());
        }
        if let Some(t) = &settings.truncate {
            set.insert("truncate".into(), t.as_str().into());
        }
        to_js(&self.config.redacted_json(set))
    }
}

/// The purpose of `embedQuery` (`query`) or `embedDocuments`.
fn purpose(query: bool) -> Purpose {
    match query {
        true => Purpose::Query,
        false => Purpose::Document,
    }
}

/// A non-streaming call, with the functions of `model_options`, as a promise of its reply's
/// JS value.
fn unary(
    config: &Rc<ClientConfig>,
    model_options: JsValue,
    operation: Operation,
    prepared: Result<PreparedCall, Error>,
    map: Box<ReplyMapper>,
) -> Promise {
    let config = config.clone();
    // One instance of this future for every unary operation: `map` is the only difference.
    promise(Box::pin(async move {
        let call = prepared?;
        let functions = CallerFunctions(model_options);
        call_unary(&config, &functions, operation, call, &*map).await
    }))
}

/// The promise of a call's JS value: its error as [`to_js_error`] makes it. One instance of
/// `future_to_promise` for every call that returns a promise.
fn promise(call: Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>) -> Promise {
    future_to_promise(async move { call.await.map_err(to_js_error) })
}

/// A streaming call's handle, with the functions of `model_options`; nothing is sent until its
/// first `next()`.
fn chunk_stream(
    config: &Rc<ClientConfig>,
    model_options: JsValue,
    operation: Operation,
    mapper: MapperFactory,
    call: Result<PreparedCall, Error>,
) -> Result<ChunkStream, JsValue> {
    let call = call.map_err(to_js_error)?;
    Ok(ChunkStream {
        inner: Rc::new(StreamCall::new(
            config.clone(),
            CallerFunctions(model_options),
            operation,
            mapper,
            call.body,
            call.signal,
            call.max_retries,
        )),
    })
}

/// The size of this instance's wasm linear memory in bytes: it grows and never shrinks, so a
/// figure that stops growing under load shows nothing leaks.
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    core::arch::wasm32::memory_size(0) as f64 * 65536.0
}

/// `contentBlocks`, `tool_calls` and `invalid_tool_calls` of merged chunk content, for the
/// package's `concat`: the same derivation as `invoke`'s.
#[wasm_bindgen(js_name = deriveMessageFields)]
pub fn derive_message_fields(content: JsValue) -> Result<JsValue, JsValue> {
    let content = json::from_js(&content, "content").map_err(to_js_error)?;
    let blocks = match content {
        serde_json::Value::Array(items) => items.into_iter().map(Block::from_value).collect(),
        _ => Vec::new(),
    };
    to_js(&DerivedFields(blocks))
}

/// The chunks of one streamed call, pulled in batches by the JS shim's `ReadableStream`.
#[wasm_bindgen]
pub struct ChunkStream {
    inner: Rc<StreamCall>,
}

#[wasm_bindgen]
impl ChunkStream {
    /// Resolves to the chunks decoded from the next network read (a `ChunkBatch`, which the
    /// package's JS turns into chunk objects), or `undefined` at the end.
    pub fn next(&self) -> Promise {
        let inner = self.inner.clone();
        promise(Box::pin(async move {
            Ok(match inner.next_batch().await? {
                Some(batch) => batch.into_js(),
                None => JsValue::UNDEFINED,
            })
        }))
    }

    /// Stops reading and cancels the response body.
    pub fn cancel(&self) {
        self.inner.cancel();
    }
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    json::to_js(value).map_err(to_js_error)
}

/// A `TypeError` for bad input; otherwise a record `{ bedrockError: true, name, message,
/// status, requestId, retryable, cause }` from which the JS shim builds the `BedrockError`.
fn to_js_error(error: Error) -> JsValue {
    if error.is_invalid_input() {
        return js_sys::TypeError::new(&error.message()).into();
    }
    // A plain record, not an Error: the package's JS builds the one `BedrockError` from it.
    let record = js_sys::Object::new();
    let status = error.status().map_or(JsValue::UNDEFINED, JsValue::from);
    let request_id = error
        .request_id()
        .map_or(JsValue::UNDEFINED, JsValue::from_str);
    // What the runtime threw (a rejected `fetch`); redaction drops it when it held a secret.
    let cause = error
        .cause()
        .and_then(|c| c.downcast_ref::<JsValue>())
        .cloned()
        .unwrap_or(JsValue::UNDEFINED);
    for (key, value) in [
        ("bedrockError", JsValue::TRUE),
        ("name", JsValue::from_str(error.name())),
        ("message", JsValue::from_str(&error.message())),
        ("status", status),
        ("requestId", request_id),
        ("retryable", JsValue::from_bool(error.retryable())),
        ("cause", cause),
    ] {
        // Setting a data property on a fresh object cannot fail.
        let _ = Reflect::set(&record, &JsValue::from_str(key), &value);
    }
    record.into()
}

/// Throws a `TypeError` naming `field` when `name` is not a tool name the service accepts: the
/// rule every `tools` entry is checked with, for the package's `withStructuredOutput`, which
/// checks its tool name before binding it.
#[wasm_bindgen(js_name = checkToolName)]
pub fn check_tool_name(field: &str, name: JsValue) -> Result<(), JsValue> {
    let message = match name.as_string() {
        Some(name) => match crate::chat::tools::validate_tool_name(&name) {
            Ok(()) => return Ok(()),
            Err(why) => format!("{field}: {why}"),
        },
        None => format!("{field} must be a string"),
    };
    Err(js_sys::TypeError::new(&message).into())
}
