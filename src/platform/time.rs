//! Signing time from the JS clock (`SystemTime::now()` panics on wasm32).

use std::time::SystemTime;

/// The current time according to `Date.now()`.
pub fn now() -> SystemTime {
    crate::signing::time_from_epoch_millis(js_sys::Date::now())
}
