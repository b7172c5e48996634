//! `BedrockEmbeddings` calls: the texts and call options checked before anything is sent, and
//! one InvokeModel request per batch (one text for Titan and Nova, up to 96 for Cohere) through
//! the unary path and its retry loop, its reply read as vectors. The package's JS sends the batches,
//! `maxConcurrency` at a time, and puts the vectors back in the order of the texts.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use super::options::{ClientConfig, JsOptions};
use super::request::{call_controls, CallControls, PreparedCall};
use super::unary::ReplyMapper;
use crate::chat::output::CallInfo;
use crate::embeddings::{check_texts, EmbeddingSettings, Family, Purpose, ReplyShape};
use crate::invoke::reply::header_usage;
use crate::options::set::ModelClass;
use crate::platform::json;
use crate::platform::property::get;
use crate::Error;

/// An embedding model: its family and settings.
pub struct EmbeddingModel {
    /// The family, from the model id.
    pub family: Family,
    /// The options besides the connection.
    pub settings: EmbeddingSettings,
}

impl EmbeddingModel {
    /// Reads the model's family (a `TypeError` for a model id that is not a known embedding
    /// model) and the options it takes.
    pub fn from_js(config: &ClientConfig, options: &JsValue) -> Result<Self, Error> {
        let family = Family::resolve(&config.model_id)?;
        let settings = EmbeddingSettings::read(family, &JsOptions(options))?;
        Ok(Self { family, settings })
    }

    /// The request for `texts` (an array of non-empty strings, at most
    /// [`Family::batch_size`]; for a query, the one text of `embedQuery`) with the call's signal
    /// and retries, and the mapper of its reply; every problem a `TypeError`.
    pub fn prepare(
        &self,
        config: &ClientConfig,
        texts: &JsValue,
        purpose: Purpose,
        call_options: &JsValue,
    ) -> Result<(PreparedCall, Box<ReplyMapper>), Error> {
        let (texts, controls) = self.check(config, texts, purpose, call_options)?;
        let most = self.family.batch_size();
        if texts.len() > most {
            return Err(Error::invalid_input(format!(
                "texts: one request takes at most {most}"
            )));
        }
        let call = PreparedCall {
            body: self.family.body(&texts, purpose, &self.settings),
            signal: controls.signal,
            max_retries: controls.max_retries,
        };
        let (shape, sent) = (self.family.reply_shape(), texts.len());
        let map = move |body: &[u8], info: CallInfo| {
            let (vectors, tokens) = decode(shape, body, sent)?;
            // Else the count Bedrock puts on every InvokeModel response.
            let tokens = tokens.or_else(|| header_usage(&info).map(|u| u.input_tokens));
            let tokens = tokens.map_or(JsValue::UNDEFINED, |n| JsValue::from_f64(n as f64));
            Ok(Array::of2(&vectors, &tokens).into())
        };
        Ok((call, Box::new(map)))
    }

    /// Checks a whole call before any of its requests is sent: `texts` an array of non-empty
    /// strings, the call options the class takes; returns the texts and the options.
    pub fn check<'a>(
        &self,
        config: &ClientConfig,
        texts: &JsValue,
        purpose: Purpose,
        call_options: &'a JsValue,
    ) -> Result<(Vec<String>, CallControls<'a>), Error> {
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
        Ok((texts, controls))
    }
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
    let mut vectors = match shape.single {
        true => Array::of1(&member),
        false => member.dyn_into::<Array>().map_err(|_| bad())?,
    };
    if let Some(key) = shape.entry {
        let vector = |entry: JsValue| get(&entry, key).unwrap_or(JsValue::UNDEFINED);
        vectors = vectors.iter().map(vector).collect();
    }
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
