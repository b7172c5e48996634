//! The one retry loop of a call, for the unary and the streaming path alike: the call's ids,
//! each attempt's headers, and what a failed attempt leads to. The policy (which failures are
//! retried, how long to wait) is [`crate::retry`]'s.

use std::cell::Cell;

use web_sys::AbortSignal;

use super::options::{Auth, ClientConfig};
use crate::platform::{random, time, timer};
use crate::retry::{backoff_ms, retry_action, RetryAction};
use crate::Error;

/// One attempt of a call: the call's ids (the same for every attempt), which attempt this is,
/// and which provider answer it was signed with.
pub struct Attempt {
    invocation_id: String,
    run_id: String,
    number: u32,
    max: u32,
    provider_answer: Cell<Option<u64>>,
}

impl Attempt {
    /// The first attempt of a new call allowed `max_retries` retries: new ids for the call.
    fn first(max_retries: u32) -> Result<Self, Error> {
        Ok(Self {
            invocation_id: random::uuid_v4()?,
            run_id: format!("run-{}", random::uuid_v4()?),
            number: 1,
            max: max_retries.saturating_add(1),
            provider_answer: Cell::new(None),
        })
    }

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

    /// The call's LangChain-style run id, `run-` and a random UUID v4: the message id, the
    /// same whichever attempt answers.
    pub fn run_id(&self) -> &str {
        &self.run_id
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

/// Makes the attempts of one call, allowed `max_retries` retries: `attempt` again until it
/// succeeds, or until its error is final (the policy says stop, `signal` aborted, or
/// `stopped()` says the caller has gone).
pub async fn retry_loop<T>(
    config: &ClientConfig,
    signal: Option<&AbortSignal>,
    max_retries: u32,
    stopped: impl Fn() -> bool,
    mut attempt: impl AsyncFnMut(&Attempt) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut current = Attempt::first(max_retries)?;
    let mut skew_fixed = false;
    let mut credentials_refreshed = false;
    loop {
        let error = match attempt(&current).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        if stopped() || signal.is_some_and(AbortSignal::aborted) {
            return Err(error);
        }
        match retry_action(&error) {
            RetryAction::Backoff if current.number < current.max => {
                let wait = backoff_ms(current.number, random::unit()?);
                timer::sleep(wait, signal).await?;
            }
            RetryAction::FixClockSkew if !skew_fixed => {
                let offset = error.server_date().and_then(time::offset_from_date_header);
                let Some(offset) = offset else {
                    return Err(error);
                };
                config.clock_offset_ms.set(offset);
                skew_fixed = true;
            }
            RetryAction::RefreshCredentials if !credentials_refreshed => {
                let Auth::Provider(provider) = &config.auth else {
                    return Err(error);
                };
                // Drop the credentials the token expired in, so that the next attempt asks
                // the provider again (unless another call already has fresh ones).
                if let Some(id) = current.provider_answer.get() {
                    provider.cache.borrow_mut().invalidate(id);
                }
                credentials_refreshed = true;
            }
            _ => return Err(error),
        }
        current.number += 1;
        current.max = current.max.max(current.number);
    }
}
