//! One signed Bedrock Runtime request: URL, headers, authorisation, `fetch`, HTTP errors.

use web_sys::AbortSignal;

use super::auth::authorize;
use super::options::ClientConfig;
use crate::chat::output::CallInfo;
use crate::endpoint::{operation_url, Operation};
use crate::http_error::error_from_response;
use crate::platform::http::{send, HttpRequest, HttpResponse};
use crate::Error;

/// Sends `body` to `operation` and returns the successful response with its [`CallInfo`];
/// a non-2xx response becomes the service error it reports.
pub async fn send_operation(
    config: &ClientConfig,
    operation: Operation,
    body: &[u8],
    signal: Option<&AbortSignal>,
) -> Result<(HttpResponse, CallInfo), Error> {
    let url = operation_url(&config.base_url, &config.model_id, operation);
    let accept = match operation {
        Operation::Converse => "application/json",
        Operation::ConverseStream => "application/vnd.amazon.eventstream",
    };
    let mut headers = vec![
        ("accept".to_string(), accept.to_string()),
        ("content-type".to_string(), "application/json".to_string()),
    ];
    authorize(
        &config.auth,
        &config.region,
        "POST",
        &url,
        &mut headers,
        body,
    )
    .await?;
    let request = HttpRequest {
        method: "POST",
        url: &url,
        headers: &headers,
        body,
    };
    let response = send(&request, config.fetch.as_ref(), signal).await?;
    if !(200..300).contains(&response.status) {
        let body = response.bytes().await?;
        return Err(error_from_response(
            response.status,
            &response.headers,
            &body,
        ));
    }
    let info = CallInfo {
        run_id: new_run_id()?,
        model_name: config.model_id.clone(),
        request_id: response.header("x-amzn-requestid").map(str::to_string),
        status: response.status,
        headers: response.headers.clone(),
        retry_attempts: 0,
    };
    Ok((response, info))
}

/// A LangChain-style run id, `run-` and a random UUID v4.
fn new_run_id() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::config(format!("no random source: {e}")))?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "run-{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}
