//! The retry loop's state for one call: its invocation id, which attempt this is, and what a
//! failure leads to (see [`crate::retry`] for the policy).

use std::cell::Cell;

use web_sys::AbortSignal;

use super::options::{Auth, ClientConfig};
use crate::platform::{random, time, timer};
use crate::retry::{backoff_ms, retry_action, RetryAction};
use crate::Error;

/// One attempt's identity: the same invocation id for every attempt of a call, and its number.
pub struct Attempt {
    invocation_id: String,
    number: u32,
    max: u32,
    provider_answer: Cell<Option<u64>>,
}

impl Attempt {
    /// `amz-sdk-invocation-id` and `amz-sdk-request`, as the AWS SDKs send them.
    pub fn headers(&self) -> [(String, String); 2] {
        [
            (
                "amz-sdk-invocation-id".to_string(),
                self.invocation_id.clone(),
            ),
            (
                "amz-sdk-request".to_string(),
                format!("attempt={}; max={}", self.number, self.max),
            ),
        ]
    }

    /// Records which provider answer this attempt was signed with.
    pub fn signed_with(&self, provider_answer: Option<u64>) {
        self.provider_answer.set(provider_answer);
    }

    /// Attempts made before this one.
    pub fn retries(&self) -> u32 {
        self.number - 1
    }
}

/// Decides, after each failed attempt of one call, whether and when to try again.
pub struct Retrier<'a> {
    config: &'a ClientConfig,
    signal: Option<&'a AbortSignal>,
    attempt: Attempt,
    skew_fixed: bool,
    credentials_refreshed: bool,
}

impl<'a> Retrier<'a> {
    /// The first attempt of a call allowed `max_retries` retries.
    pub fn new(
        config: &'a ClientConfig,
        signal: Option<&'a AbortSignal>,
        max_retries: u32,
    ) -> Result<Self, Error> {
        Ok(Self {
            config,
            signal,
            attempt: Attempt {
                invocation_id: random::uuid_v4()?,
                number: 1,
                max: max_retries.saturating_add(1),
                provider_answer: Cell::new(None),
            },
            skew_fixed: false,
            credentials_refreshed: false,
        })
    }

    /// The attempt to make now.
    pub fn attempt(&self) -> &Attempt {
        &self.attempt
    }

    /// After a failed attempt: `Ok` once it is time for the next one (after a backoff, a
    /// clock correction or with fresh credentials), or the error when the call is over.
    pub async fn after_failure(&mut self, error: Error) -> Result<(), Error> {
        if self.signal.is_some_and(AbortSignal::aborted) {
            return Err(error);
        }
        let attempts_left = self.attempt.number < self.attempt.max;
        match retry_action(&error) {
            RetryAction::Backoff if attempts_left => {
                let wait = backoff_ms(self.attempt.number, random::unit()?);
                timer::sleep(wait, self.signal).await?;
            }
            RetryAction::FixClockSkew if !self.skew_fixed => {
                let offset = error.server_date().and_then(time::offset_from_date_header);
                let Some(offset) = offset else {
                    return Err(error);
                };
                self.config.clock_offset_ms.set(offset);
                self.skew_fixed = true;
            }
            RetryAction::RefreshCredentials if !self.credentials_refreshed => {
                let Auth::Provider(provider) = &self.config.auth else {
                    return Err(error);
                };
                // Drop the credentials the token expired in, so that the next attempt asks
                // the provider again (unless another call already has fresh ones).
                if let Some(id) = self.attempt.provider_answer.get() {
                    provider.cache.borrow_mut().invalidate(id);
                }
                self.credentials_refreshed = true;
            }
            _ => return Err(error),
        }
        self.attempt.number += 1;
        self.attempt.max = self.attempt.max.max(self.attempt.number);
        Ok(())
    }
}
