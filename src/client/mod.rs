//! The call path between the JS surface and the core: options, credentials, signed requests
//! and the streaming state machine. No `#[wasm_bindgen]` exports live here.

pub mod auth;
pub mod call;
pub mod options;
pub mod stream;
