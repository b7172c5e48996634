//! The Converse API: request bodies from chat messages, and replies and stream events to chat
//! output. Output blocks follow LangChain's v1 standard content blocks (see [`crate::chat`]).

mod blocks;
pub mod request;
pub mod response;
pub mod stream;
mod usage;
