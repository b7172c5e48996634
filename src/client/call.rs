//! One signed Bedrock Runtime request: URL (and the one signed, through AI Gateway), headers,
//! authorisation, `fetch`, HTTP errors.

use web_sys::AbortSignal;

use super::auth::{authorize, Secrets};
use super::options::{CallerFunctions, ClientConfig};
use super::retry_loop::Attempt;
use crate::chat::output::CallInfo;
use crate::endpoint::{operation_url, Operation};
use crate::http_error::error_from_response;
use crate::invoke::registry;
use crate::platform::http::{send, HttpRequest, HttpResponse};
use crate::Error;

/// A successful response, what the caller knows of the exchange, and the secrets the request
/// was signed with (to redact from errors that arrive later in its body).
pub struct Sent {
    /// The response, body unread.
    pub response: HttpResponse,
    /// The call's run id, and the status, headers and retry count of this response, for
    /// `response_metadata`.
    pub info: CallInfo,
    /// The credentials' secret values.
    pub secrets: Secrets,
}

/// Sends `body` to `operation` as one attempt of a call, with the caller's `fetch` and
/// credentials provider; a non-2xx response becomes the service error it reports, with every
/// secret of the request redacted from it.
pub async fn send_operation(
    config: &ClientConfig,
    functions: &CallerFunctions,
    operation: Operation,
    body: &[u8],
    signal: Option<&AbortSignal>,
    attempt: &Attempt,
) -> Result<Sent, Error> {
    // CountTokens takes foundation-model ids, not the cross-region profiles that name them.
    let model_id = match operation {
        Operation::CountTokens => registry::foundation_model_id(&config.model_id),
        _ => &config.model_id,
    };
    let url = operation_url(&config.base_url, model_id, operation);
    // Through AI Gateway the request is signed for Bedrock's own URL, where the gateway sends it.
    let signed_url = operation_url(&config.signing_base, model_id, operation);
    let accept = if operation.is_stream() {
        "application/vnd.amazon.eventstream"
    } else {
        "application/json"
    };
    let mut headers = vec![
        ("accept".to_string(), accept.to_string()),
        ("content-type".to_string(), "application/json".to_string()),
    ];
    // InvokeModelWithResponseStream binds the model's own accept type to this header; the
    // HTTP `Accept` is the event stream's.
    if operation == Operation::InvokeModelWithResponseStream {
        headers.push((
            "x-amzn-bedrock-accept".to_string(),
            "application/json".to_string(),
        ));
    }
    headers.extend(attempt.headers());
    let mut secrets = authorize(
        &config.auth,
        || functions.credentials(),
        &config.region,
        ("POST", &signed_url, body),
        &mut headers,
        config.clock_offset_ms.get(),
        signal,
    )
    .await?;
    // After signing: the gateway reads and strips its own headers before it forwards.
    if let Some(gateway) = &config.gateway {
        let cf_aig = gateway.headers().iter();
        headers.extend(cf_aig.map(|(name, value)| (name.to_string(), value.clone())));
        if let Some(token) = gateway.token() {
            secrets.add(token);
        }
    }
    attempt.signed_with(secrets.provider_answer());
    let request = HttpRequest {
        method: "POST",
        url: &url,
        headers: &headers,
        body,
    };
    let redact = |e: Error| secrets.redact(e);
    let response = send(&request, functions.fetch().as_ref(), signal)
        .await
        .map_err(redact)?;
    if !(200..300).contains(&response.status) {
        let body = response.bytes().await.map_err(redact)?;
        let error = error_from_response(response.status, &response.headers, &body);
        return Err(secrets.redact(error));
    }
    let info = CallInfo {
        run_id: attempt.run_id().to_string(),
        model_name: config.model_id.clone(),
        request_id: response.header("x-amzn-requestid").map(str::to_string),
        status: response.status,
        headers: response.headers.clone(),
        retry_attempts: attempt.retries(),
    };
    Ok(Sent {
        response,
        info,
        secrets,
    })
}
