//! The only code that touches JS globals: `fetch` and response bodies, the clock
//! (`Date.now()`), timers, randomness and the
//! environment. What lies above (`client/`) asks here and never
//! reads a JS global itself. Nothing here depends on the layers above or on the protocol code:
//! the clock gives epoch milliseconds, and its callers convert them.

pub mod env;
pub mod http;
pub mod json;
pub mod property;
pub mod random;
pub mod time;
pub mod timer;
