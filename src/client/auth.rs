//! Request authorisation: SigV4 headers, or a Bedrock API key as a bearer token.

use js_sys::Promise;
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use super::options::{credentials_from_js, Auth};
use crate::platform::time;
use crate::platform::timer::unless_aborted;
use crate::signing::{sign_request, SignableHttpRequest, SigningOptions, BEDROCK_SIGNING_NAME};
use crate::Error;

/// The secret values one request was authorised with, to be kept out of any error.
#[derive(Default)]
pub struct Secrets(Vec<String>);

impl Secrets {
    /// The values, for [`Error::redacted`].
    pub fn values(&self) -> Vec<&str> {
        self.0.iter().map(String::as_str).collect()
    }
}

/// Adds the authorisation headers for one request to `headers`, signing at the JS clock moved
/// by `clock_offset_ms`; returns the secrets it used.
pub async fn authorize(
    auth: &Auth,
    region: &str,
    request: (&str, &str, &[u8]),
    headers: &mut Vec<(String, String)>,
    clock_offset_ms: f64,
    signal: Option<&AbortSignal>,
) -> Result<Secrets, Error> {
    let (method, url, body) = request;
    let credentials = match auth {
        Auth::ApiKey(key) => {
            headers.push(("authorization".into(), format!("Bearer {key}")));
            return Ok(Secrets(vec![key.clone()]));
        }
        Auth::Static(credentials) => credentials.clone(),
        Auth::Provider(provider) => {
            let value = provider
                .call0(&JsValue::UNDEFINED)
                .map_err(|_| Error::config("the credentials function threw"))?;
            // Promise.resolve accepts plain values, promises and thenables alike; the call's
            // signal (and so its timeout) covers a provider that never answers.
            let value = unless_aborted(Promise::resolve(&value), signal)
                .await?
                .map_err(|_| Error::config("the credentials function rejected"))?;
            credentials_from_js(&value).map_err(|e| {
                Error::config(format!(
                    "the credentials function gave no credentials: {}",
                    e.message()
                ))
            })?
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
        time::now(clock_offset_ms),
        &SigningOptions::default(),
    )?;
    headers.extend(signed);
    let mut secrets = vec![credentials.secret_access_key];
    secrets.extend(credentials.session_token);
    Ok(Secrets(secrets))
}
