//! The only code that touches JS globals: `fetch`, response bodies, `Date.now()` and timers.

pub mod http;
pub mod json;
pub mod time;
pub mod timer;
