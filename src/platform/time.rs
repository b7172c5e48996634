//! The JS clock (`SystemTime::now()` panics on wasm32) as epoch milliseconds, which callers
//! turn into what they need (the signing time, a credentials' expiry check).

/// Milliseconds since the Unix epoch, from `Date.now()`.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Epoch milliseconds from a date text (`Date.parse`: HTTP dates, ISO 8601); `None` when it
/// is not a date.
pub fn parse_ms(date: &str) -> Option<f64> {
    Some(js_sys::Date::parse(date)).filter(|ms| ms.is_finite())
}

/// How far the server's clock is ahead of ours, from an HTTP `Date` header.
pub fn offset_from_date_header(date: &str) -> Option<f64> {
    parse_ms(date).map(|server| server - now_ms())
}
