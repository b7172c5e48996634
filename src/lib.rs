//! bedrock-edge: Amazon Bedrock chat models for Cloudflare Workers, browsers and Node.
//!
//! The crate is layered with one direction of dependency, `api -> client -> platform -> core`:
//!
//! - core (plain Rust, tested on the host): [`chat`] is the provider-neutral model (input
//!   messages and blocks, the shared settings, tools, output messages and chunks with their
//!   derived fields, usage); [`options`] is where options are read from and the one set of
//!   options the three chat classes take; [`converse`] maps the chat model to and from the
//!   Converse API, and [`invoke`] to and from InvokeModel, through a registry of providers
//!   (Anthropic, Amazon Nova and Titan Text, Meta Llama, Mistral, Cohere, AI21), each one
//!   implementation of one trait; [`embeddings`] holds the text embedding models (Titan, Cohere:
//!   ids, options, batches, bodies, reply shapes); [`event_stream`] decodes
//!   `application/vnd.amazon.eventstream` frames and [`chunk_decoder`] joins it to an API
//!   family's event mapper; [`signing`] signs with SigV4; [`credentials`] picks the
//!   credentials' source and keeps a provider's answer until shortly before it expires;
//!   [`endpoint`] builds Bedrock Runtime URLs; [`gateway`] reads the Cloudflare AI Gateway
//!   option and owns its URL prefix and headers; [`header_text`] is what a credential or an
//!   endpoint may hold; [`nesting`] is how deep the caller's JSON may nest; [`json_text`] writes a JSON value as text; [`json_members`] reads an object's members and a string's text as slices of JSON text; [`http_error`] reads service errors; [`retry`]
//!   is AWS standard retry mode; [`base64`] encodes blobs; [`quoted`] quotes names and values in messages; and [`error`] holds the one error
//!   type and the one table of AWS error facts.
//! - platform (wasm32 only): the only code that touches JS globals (`fetch`, response bodies,
//!   the clock, timers, randomness, the environment, `JSON`, values crossing the boundary).
//! - client (wasm32 only): options, credentials, the signed call, its one retry loop (for the
//!   unary and the streaming path) and the stream state machine.
//! - api (wasm32 only): the `#[wasm_bindgen]` surface that the npm package's JS wraps.
#![deny(missing_docs)]

pub mod base64;
pub mod chat;
pub mod chunk_batch;
pub mod chunk_decoder;
pub mod compact_delta;
pub mod converse;
pub mod credentials;
pub mod embeddings;
pub mod endpoint;
pub mod error;
pub mod event_stream;
pub mod gateway;
pub mod header_text;
pub mod http_error;
pub mod invoke;
pub mod json_members;
pub mod json_text;
pub mod nesting;
pub mod options;
pub mod quoted;
pub mod retry;
pub mod signing;
mod uri_encode;

#[cfg(target_arch = "wasm32")]
mod platform;

#[cfg(target_arch = "wasm32")]
mod client;

#[cfg(target_arch = "wasm32")]
pub mod api;

pub use error::Error;

/// The wasm's allocator: talc instead of std's dlmalloc, 1.9 KB smaller in the release wasm
/// (gzip -9), with the same memory growth on the `make bench` memory case and no slower a
/// 20,000-frame stream. Its heap grows with `memory.grow` as dlmalloc's does.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
