//! Request authorisation: SigV4 headers, or a Bedrock API key as a bearer token. A
//! credentials provider is asked through its model's cache ([`crate::credentials`]).

use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use super::options::{credentials_from_js, expiration_from_js, Auth, Provider};
use crate::credentials::Lookup;
use crate::platform::timer::unless_aborted;
use crate::platform::{property, time};
use crate::signing::{
    sign_request, time_from_epoch_millis, Credentials, SignableHttpRequest, SigningOptions,
    BEDROCK_SIGNING_NAME,
};
use crate::Error;

/// The secret values one request was authorised with, to be kept out of any error, and
/// which provider answer they came from.
#[derive(Default)]
pub struct Secrets {
    values: Vec<String>,
    provider_answer: Option<u64>,
}

impl Secrets {
    /// `error` with these values taken out of its message ([`Error::redacted`]).
    pub fn redact(&self, error: Error) -> Error {
        error.redacted(&self.values)
    }

    /// Adds a secret the request carries besides its authorisation (the AI Gateway token).
    pub fn add(&mut self, secret: &str) {
        self.values.push(secret.to_string());
    }

    /// The id of the provider answer the request was signed with (see
    /// [`crate::credentials::CredentialCache::invalidate`]); `None` without a provider.
    pub fn provider_answer(&self) -> Option<u64> {
        self.provider_answer
    }
}

/// Adds the authorisation headers for one request to `headers`, signing at the JS clock moved
/// by `clock_offset_ms`; returns the secrets it used. `provider` is the call's credentials
/// provider, asked when `auth` is [`Auth::Provider`].
pub async fn authorize(
    auth: &Auth,
    provider: impl FnOnce() -> Function,
    region: &str,
    request: (&str, &str, &[u8]),
    headers: &mut Vec<(String, String)>,
    clock_offset_ms: f64,
    signal: Option<&AbortSignal>,
) -> Result<Secrets, Error> {
    let (method, url, body) = request;
    let (credentials, provider_answer) = match auth {
        Auth::Gateway => return Ok(Secrets::default()),
        Auth::ApiKey(key) => {
            headers.push(("authorization".into(), format!("Bearer {key}")));
            return Ok(Secrets {
                values: vec![key.clone()],
                provider_answer: None,
            });
        }
        Auth::Static(credentials) => (credentials.clone(), None),
        Auth::Provider(cache) => {
            let (credentials, id) = provided_credentials(cache, &provider(), signal).await?;
            (credentials, Some(id))
        }
    };
    let request = SignableHttpRequest {
        method,
        url,
        headers,
        body,
    };
    let signed = sign_request(
        &request,
        &credentials,
        region,
        BEDROCK_SIGNING_NAME,
        time_from_epoch_millis(time::now_ms() + clock_offset_ms),
        &SigningOptions::default(),
    )?;
    headers.extend(signed);
    let mut values = vec![credentials.secret_access_key];
    values.extend(credentials.session_token);
    Ok(Secrets {
        values,
        provider_answer,
    })
}

/// The provider's credentials: cached ones while fresh, else those of the call under way (one
/// for all callers), else those of a new call. A failure is not kept. The call's signal (and
/// so its timeout) covers a provider that never answers; the provider call itself goes on,
/// and the next caller joins it.
async fn provided_credentials(
    provider: &Provider,
    function: &Function,
    signal: Option<&AbortSignal>,
) -> Result<(Credentials, u64), Error> {
    // No borrow of the cache lives across an await.
    let lookup = provider.cache.borrow().lookup(time::now_ms());
    let (id, pending) = match lookup {
        Lookup::Cached { credentials, id } => return Ok((credentials, id)),
        Lookup::Join { id, pending } => (id, pending),
        Lookup::Fetch => {
            let value = function
                .call0(&JsValue::UNDEFINED)
                .map_err(|thrown| provider_failure("threw", thrown))?;
            // Promise.resolve accepts plain values, promises and thenables alike.
            let pending = Promise::resolve(&value);
            let id = provider.cache.borrow_mut().start(pending.clone());
            (id, pending)
        }
    };
    let outcome = match unless_aborted(pending, signal).await? {
        Ok(value) => read_answer(&value),
        Err(reason) => Err(provider_failure("rejected", reason)),
    };
    provider.cache.borrow_mut().finish(
        id,
        outcome
            .as_ref()
            .ok()
            .map(|(credentials, expires)| (credentials.clone(), *expires)),
    );
    outcome.map(|(credentials, _)| (credentials, id))
}

/// `{ accessKeyId, secretAccessKey, sessionToken?, expiration? }` from the provider.
fn read_answer(value: &JsValue) -> Result<(Credentials, Option<f64>), Error> {
    let read = || Ok::<_, Error>((credentials_from_js(value)?, expiration_from_js(value)?));
    read().map_err(|e| {
        Error::credentials_provider(format!(
            "the credentials provider gave no usable credentials: {}",
            e.message()
        ))
    })
}

/// A `CredentialsProviderError` for a provider that threw or rejected with `reason`, which
/// becomes its `cause`.
fn provider_failure(how: &str, reason: JsValue) -> Error {
    let message = property::text(&reason, "message")
        .or_else(|| reason.as_string())
        .filter(|m| !m.is_empty());
    let text = match message {
        Some(message) => format!("the credentials provider {how}: {message}"),
        None => format!("the credentials provider {how}"),
    };
    Error::credentials_provider(text).with_cause(Rc::new(reason))
}
