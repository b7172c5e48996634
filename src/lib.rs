//! bedrock-edge: Amazon Bedrock chat models for Cloudflare Workers, browsers and Node.
//!
//! The crate is layered with one direction of dependency, `api -> client -> platform -> core`:
//!
//! - core (plain Rust, tested on the host): [`event_stream`] decodes
//!   `application/vnd.amazon.eventstream` frames, [`signing`] adapts `aws-sigv4`,
//!   [`endpoint`] builds Bedrock Runtime URLs, [`messages`] normalises chat input,
//!   [`converse`] builds Converse requests and maps responses and stream events,
//!   [`http_error`] reads restJson1 error responses, and [`error`] holds the one error type.
//! - platform (wasm32 only): the only code that touches JS globals (`fetch`, response bodies,
//!   `Date.now`, `JSON`).
//! - client (wasm32 only): options, credentials, signed calls and the streaming state machine.
//! - api (wasm32 only): the `#[wasm_bindgen]` surface that the npm package's JS wraps.
#![deny(missing_docs)]

pub mod converse;
pub mod endpoint;
pub mod error;
pub mod event_stream;
pub mod http_error;
pub mod messages;
pub mod signing;

#[cfg(target_arch = "wasm32")]
mod platform;

#[cfg(target_arch = "wasm32")]
mod client;

#[cfg(target_arch = "wasm32")]
pub mod api;

pub use error::Error;
