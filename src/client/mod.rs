//! The call paths between the JS surface and the core: options, credentials, signed requests,
//! the two API families (Converse, InvokeModel), the one retry loop, the non-streaming call and
//! the streaming state machine. No `#[wasm_bindgen]` exports live here, and no JS global is
//! read here: the clock, timers, randomness and `fetch` are [`crate::platform`]'s.
//!
//! - `auth`: SigV4 or bearer authorisation of one request.
//! - `call`: one signed request (one attempt), and the call info of its response.
//! - `retry_loop`: the attempts of one call (ids, attempt headers, backoff and fixes); the
//!   policy is [`crate::retry`].
//! - `unary`, `stream`: the two ways of reading a reply, each through `retry_loop`.
//! - `count_tokens`: the CountTokens request of a Converse or InvokeModel call, and its reply.
//! - `embed`: a `BedrockEmbeddings` call checked, and the InvokeModel request of one batch.

pub mod auth;
pub mod call;
pub mod converse;
pub mod count_tokens;
pub mod embed;
pub mod invoke;
pub mod options;
pub mod request;
pub mod retry_loop;
pub mod stream;
pub mod unary;
