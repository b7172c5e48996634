//! The only code that touches JS globals: `fetch`, response bodies and `Date.now()`.

pub mod http;
pub mod json;
pub mod time;
