//! Request authorisation: SigV4 headers, or a Bedrock API key as a bearer token.

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::options::{credentials_from_js, Auth};
use crate::platform::time;
use crate::signing::{sign_request, SignableHttpRequest, SigningOptions, BEDROCK_SIGNING_NAME};
use crate::Error;

/// Adds the authorisation headers for one request to `headers`.
pub async fn authorize(
    auth: &Auth,
    region: &str,
    method: &str,
    url: &str,
    headers: &mut Vec<(String, String)>,
    body: &[u8],
) -> Result<(), Error> {
    let credentials = match auth {
        Auth::ApiKey(key) => {
            headers.push(("authorization".into(), format!("Bearer {key}")));
            return Ok(());
        }
        Auth::Static(credentials) => credentials.clone(),
        Auth::Provider(provider) => {
            let value = provider
                .call0(&JsValue::UNDEFINED)
                .map_err(|_| Error::config("the credentials function threw"))?;
            // Promise.resolve accepts plain values, promises and thenables alike.
            let value = JsFuture::from(Promise::resolve(&value))
                .await
                .map_err(|_| Error::config("the credentials function rejected"))?;
            credentials_from_js(&value)?
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
        time::now(),
        &SigningOptions::default(),
    )?;
    headers.extend(signed);
    Ok(())
}
