//! The call paths between the JS surface and the core: options, credentials, signed requests,
//! the two API families (Converse, InvokeModel), the non-streaming call and the streaming
//! state machine. No `#[wasm_bindgen]` exports live here.

pub mod auth;
pub mod call;
pub mod converse;
pub mod invoke;
pub mod options;
pub mod request;
pub mod retry;
pub mod stream;
pub mod unary;
