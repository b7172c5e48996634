//! The provider-neutral chat model that every API family maps to and from: input messages and
//! content blocks, tools, the output messages and chunks with their derived fields, and token
//! usage.

pub mod input;
pub mod media;
pub mod output;
pub mod settings;
pub mod tools;
pub mod usage;
