//! `BedrockEmbeddings` calls: the texts checked and split into InvokeModel requests (one text
//! each for Titan, up to 96 for Cohere), sent at most `maxConcurrency` at a time, each through
//! the unary path and its retry loop; the vectors come back in the order of the texts. The first
//! failure rejects the call and no further request is started.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::options::{get, ClientConfig, JsOptions};
use super::request::{call_controls, PreparedCall};
use super::unary::call_unary;
use crate::chat::output::CallInfo;
use crate::embeddings::{check_texts, EmbeddingSettings, Family, Purpose, ReplyShape};
use crate::endpoint::Operation;
use crate::options::set::ModelClass;
use crate::platform::json;
use crate::Error;

/// The input-token count Bedrock puts on every InvokeModel response.
const INPUT_TOKENS_HEADER: &str = "x-amzn-bedrock-input-token-count";

/// An embedding model: its family and settings.
pub struct EmbeddingModel {
    /// The family, from the model id.
    pub family: Family,
    /// The options besides the connection.
    pub settings: EmbeddingSettings,
}

/// The requests of one call, in the order of the texts, and how many texts each carries.
pub struct PreparedEmbedding {
    requests: Vec<(PreparedCall, usize)>,
    concurrency: u32,
}

impl EmbeddingModel {
    /// Reads the model's family (a `TypeError` for a model id that is not a known embedding
    /// model) and the options it takes.
    pub fn from_js(config: &ClientConfig, options: &JsValue) -> Result<Self, Error> {
        let family = Family::resolve(&config.model_id)?;
        let settings = EmbeddingSettings::read(family, &JsOptions(options))?;
        Ok(Self { family, settings })
    }

    /// The requests for `texts` (an array of non-empty strings; for a query, the one text of
    /// `embedQuery`), with the call's signal and retries; every problem a `TypeError`.
    pub fn prepare(
        &self,
        config: &ClientConfig,
        texts: &JsValue,
        purpose: Purpose,
        call_options: &JsValue,
    ) -> Result<PreparedEmbedding, Error> {
        let (field, single) = match purpose {
            Purpose::Query => ("text", true),
            Purpose::Document => ("texts", false),
        };
        let texts: Array = texts
            .clone()
            .dyn_into()
            .map_err(|_| Error::invalid_input(format!("{field} must be an array of strings")))?;
        let texts: Vec<Option<String>> = texts.iter().map(|t| t.as_string()).collect();
        let texts = check_texts(&texts, field, single)?;
        let controls = call_controls(config, ModelClass::Embeddings, call_options)?;
        let requests = texts
            .chunks(self.family.batch_size())
            .map(|batch| {
                let call = PreparedCall {
                    body: self.family.body(batch, purpose, &self.settings),
                    signal: controls.signal.clone(),
                    max_retries: controls.max_retries,
                };
                (call, batch.len())
            })
            .collect();
        Ok(PreparedEmbedding {
            requests,
            concurrency: self.settings.max_concurrency,
        })
    }
}

/// What the requests of a call share while they run.
struct Run {
    config: Rc<ClientConfig>,
    family: Family,
    queue: RefCell<std::vec::IntoIter<(usize, (PreparedCall, usize))>>,
    failed: Cell<bool>,
    /// Each request's reply, by request index.
    replies: RefCell<Vec<Option<Reply>>>,
}

/// One request's vectors (JS arrays of numbers) and input tokens.
type Reply = (Array, Option<u64>);

/// Sends the requests, at most `concurrency` at a time, and resolves to
/// `{ vectors: number[][], inputTokens?: number }` (tokens when every reply gave them);
/// `to_js` makes the rejection value of an error.
pub async fn embed_all(
    config: Rc<ClientConfig>,
    family: Family,
    prepared: PreparedEmbedding,
    to_js: fn(Error) -> JsValue,
) -> Result<JsValue, JsValue> {
    let count = prepared.requests.len();
    let run = Rc::new(Run {
        config,
        family,
        queue: RefCell::new(
            prepared
                .requests
                .into_iter()
                .enumerate()
                .collect::<Vec<_>>()
                .into_iter(),
        ),
        failed: Cell::new(false),
        replies: RefCell::new((0..count).map(|_| None).collect()),
    });
    let workers: Array = (0..count.min(prepared.concurrency as usize))
        .map(|_| worker(run.clone(), to_js))
        .collect();
    JsFuture::from(Promise::all(&workers)).await?;
    let vectors = Array::new();
    let mut tokens = Some(0);
    for (arrays, input_tokens) in run.replies.borrow_mut().drain(..).flatten() {
        arrays.for_each(&mut |vector, _, _| {
            vectors.push(&vector);
        });
        tokens = tokens.zip(input_tokens).map(|(a, b)| a + b);
    }
    let out = js_sys::Object::new();
    // Setting data properties on a fresh object cannot fail.
    let _ = Reflect::set(&out, &"vectors".into(), &vectors);
    if let Some(tokens) = tokens {
        let _ = Reflect::set(
            &out,
            &"inputTokens".into(),
            &JsValue::from_f64(tokens as f64),
        );
    }
    Ok(out.into())
}

/// One of the call's concurrent senders: takes the next request until none is left or one
/// has failed.
fn worker(run: Rc<Run>, to_js: fn(Error) -> JsValue) -> Promise {
    future_to_promise(async move {
        loop {
            let next = run.queue.borrow_mut().next();
            let Some((index, (call, sent))) = next else {
                break;
            };
            if run.failed.get() {
                break;
            }
            let this = run.clone();
            let map = move |body: &[u8], info: CallInfo| {
                let (vectors, tokens) = decode(this.family.reply_shape(), body, sent)?;
                let header = info.headers.iter().find(|(k, _)| k == INPUT_TOKENS_HEADER);
                let tokens = tokens.or_else(|| header.and_then(|(_, v)| v.parse().ok()));
                this.replies.borrow_mut()[index] = Some((vectors, tokens));
                Ok(JsValue::UNDEFINED)
            };
            if let Err(error) = call_unary(&run.config, Operation::InvokeModel, call, &map).await {
                run.failed.set(true);
                return Err(to_js(error));
            }
        }
        Ok(JsValue::UNDEFINED)
    })
}

/// The `sent` vectors of a reply of `shape`, in order, and the input tokens its body gives. Each
/// vector must be a non-empty array starting with a number (the rest is not walked: the engine's
/// `JSON.parse` made it), else the reply is not Bedrock's.
fn decode(shape: &ReplyShape, body: &[u8], sent: usize) -> Result<(Array, Option<u64>), Error> {
    let reply = json::parse_reply(body)?;
    let bad = || {
        Error::invalid_response(format!(
            "the reply has no {sent} vectors of numbers in {}",
            shape.vectors
        ))
    };
    let mut member = get(&reply, shape.vectors).ok_or_else(bad)?;
    if let Some(kind) = shape.by_type.filter(|_| !Array::is_array(&member)) {
        member = get(&member, kind).ok_or_else(bad)?;
    }
    let vectors = match shape.single {
        true => Array::of1(&member),
        false => member.dyn_into::<Array>().map_err(|_| bad())?,
    };
    let is_vector = |v: &JsValue| {
        v.dyn_ref::<Array>()
            .is_some_and(|a| a.length() > 0 && a.get(0).as_f64().is_some())
    };
    if vectors.length() as usize != sent || !vectors.iter().all(|v| is_vector(&v)) {
        return Err(bad());
    }
    let tokens = shape
        .tokens
        .and_then(|key| get(&reply, key)?.as_f64())
        .filter(|n| *n >= 0.0 && n.fract() == 0.0)
        .map(|n| n as u64);
    Ok((vectors, tokens))
}
