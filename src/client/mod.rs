//! The call paths between the JS surface and the core: options, credentials, signed requests,
//! the Converse calls and the streaming state machine. No `#[wasm_bindgen]` exports live here.

pub mod auth;
pub mod call;
pub mod converse;
pub mod options;
pub mod retry;
pub mod stream;
