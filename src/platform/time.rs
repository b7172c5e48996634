//! Signing time from the JS clock (`SystemTime::now()` panics on wasm32).

use std::time::SystemTime;

/// The current time according to `Date.now()`, moved by `offset_ms` (the correction learnt
/// from a server whose clock disagrees with ours).
pub fn now(offset_ms: f64) -> SystemTime {
    crate::signing::time_from_epoch_millis(js_sys::Date::now() + offset_ms)
}

/// How far the server's clock is ahead of ours, from an HTTP `Date` header.
pub fn offset_from_date_header(date: &str) -> Option<f64> {
    let server = js_sys::Date::parse(date);
    server.is_finite().then(|| server - js_sys::Date::now())
}
