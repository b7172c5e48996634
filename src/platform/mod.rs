//! The only code that touches JS globals: `fetch`, response bodies, `Date.now()`, timers and
//! the environment.

pub mod env;
pub mod http;
pub mod json;
pub mod time;
pub mod timer;
