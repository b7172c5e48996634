//! AWS standard retry mode: which failures are tried again, and how long to wait first.
//!
//! The retry class of an error comes from the one table in [`crate::error`]: throttling and
//! transient errors (network errors and HTTP 429/500/502/503/504 among them) back off
//! exponentially with full jitter (base 100 ms, cap 20 s). A request signed with a skewed
//! clock is retried once after the clock is corrected from the server's `Date`; an expired
//! session token once, with fresh credentials. Nothing else is retried: validation and
//! authorisation errors fail at once.

use crate::error::RetryClass;
use crate::Error;

/// Retries after the first attempt unless the caller says otherwise (3 attempts in all).
pub const DEFAULT_MAX_RETRIES: u32 = 2;

const BASE_DELAY_MS: f64 = 100.0;
const MAX_DELAY_MS: f64 = 20_000.0;

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAction {
    /// Wait [`backoff_ms`], then try again.
    Backoff,
    /// Correct the signing clock from the server's `Date`, then try again at once.
    FixClockSkew,
    /// Fetch credentials again, then try again at once.
    RefreshCredentials,
    /// Give up: the error is final.
    Stop,
}

/// How the standard retry mode treats `error`: its retry class, as an action.
pub fn retry_action(error: &Error) -> RetryAction {
    match error.retry_class() {
        RetryClass::Throttling | RetryClass::Transient => RetryAction::Backoff,
        RetryClass::ClockSkew => RetryAction::FixClockSkew,
        RetryClass::ExpiredCredentials => RetryAction::RefreshCredentials,
        RetryClass::Never => RetryAction::Stop,
    }
}

/// The wait before retry number `retry` (1 for the first retry): full jitter over an
/// exponentially growing window, `random_unit` drawn uniformly from `[0, 1)`.
pub fn backoff_ms(retry: u32, random_unit: f64) -> f64 {
    let exponent = retry.saturating_sub(1).min(30) as i32;
    let window = (BASE_DELAY_MS * 2f64.powi(exponent)).min(MAX_DELAY_MS);
    random_unit.clamp(0.0, 1.0) * window
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_transient_and_network_errors_back_off() {
        for error in [
            Error::service("ThrottlingException", 429, None, "slow down"),
            Error::service("ServiceUnavailableException", 503, None, "x"),
            Error::service("InternalServerException", 500, None, "x"),
            Error::service("UnknownError", 502, None, "<html>"),
            Error::service("UnknownError", 504, None, "<html>"),
            Error::service("ModelNotReadyException", 429, None, "x"),
            Error::network("connection reset"),
        ] {
            assert_eq!(retry_action(&error), RetryAction::Backoff, "{error}");
        }
    }

    #[test]
    fn validation_and_authorisation_errors_stop() {
        for error in [
            Error::service("ValidationException", 400, None, "bad"),
            Error::service("AccessDeniedException", 403, None, "no"),
            Error::service("InvalidSignatureException", 403, None, "does not match"),
            Error::service("ModelStreamErrorException", 424, None, "x"),
            Error::aborted(),
            Error::timeout("late"),
            Error::invalid_input("x"),
        ] {
            assert_eq!(retry_action(&error), RetryAction::Stop, "{error}");
        }
    }

    #[test]
    fn skew_and_expired_tokens_have_their_own_fix() {
        let skewed = "Signature expired: 20261201T100000Z is now earlier than 20261201T101000Z (20261201T101500Z - 5 min.)";
        for (name, message, action) in [
            (
                "InvalidSignatureException",
                skewed,
                RetryAction::FixClockSkew,
            ),
            (
                "InvalidSignatureException",
                "Signature not yet current: x",
                RetryAction::FixClockSkew,
            ),
            ("RequestTimeTooSkewed", "x", RetryAction::FixClockSkew),
            ("RequestExpired", "x", RetryAction::FixClockSkew),
            ("RequestInTheFuture", "x", RetryAction::FixClockSkew),
            (
                "ExpiredTokenException",
                "expired",
                RetryAction::RefreshCredentials,
            ),
            ("ExpiredToken", "expired", RetryAction::RefreshCredentials),
        ] {
            let error = Error::service(name, 403, None, message);
            assert_eq!(retry_action(&error), action, "{error}");
            // A fix comes first, not a plain wait: JS sees `retryable: false`.
            assert!(!error.retryable(), "{error}");
        }
    }

    #[test]
    fn backoff_is_full_jitter_capped_at_20_s() {
        assert_eq!(backoff_ms(1, 0.5), 50.0);
        assert_eq!(backoff_ms(2, 1.0), 200.0);
        assert_eq!(backoff_ms(4, 0.25), 200.0);
        assert_eq!(backoff_ms(20, 1.0), 20_000.0);
        assert_eq!(backoff_ms(u32::MAX, 1.0), 20_000.0);
        assert_eq!(backoff_ms(1, 0.0), 0.0);
    }
}
