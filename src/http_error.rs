//! Service errors from the wire: restJson1 HTTP error responses and event-stream exception
//! frames, named and classified through the one table in [`crate::error`].
//!
//! The error type comes from the `x-amzn-ErrorType` header, else the body's `__type` or
//! `code`; the message from the body's `message` (or `Message`). Bodies that are not JSON
//! (a proxy's HTML page, say) keep their first bytes as the message.

use serde_json::Value;

use crate::error::{aws_error_for_status, status_of, AI_GATEWAY_ERROR};
use crate::quoted::Quoted;
use crate::Error;

/// The name in a restJson1 error type (`x-amzn-ErrorType`, `__type` or `code`): the text before
/// the first `:` and after the first `#`, so that
/// `aws.protocoltests#ThrottlingException:http://internal…` is `ThrottlingException`. Names the
/// event stream gives (`:exception-type`, `:error-code`) are plain and kept whole.
fn error_type(raw: &str) -> &str {
    let shape = raw.split(':').next().unwrap_or(raw);
    shape.split_once('#').map_or(shape, |(_, name)| name).trim()
}

/// Builds the error for a non-2xx response.
pub fn error_from_response(status: u16, headers: &[(String, String)], body: &[u8]) -> Error {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    if header("x-amzn-errortype").is_none() {
        if let Some(message) = gateway_message(status, &json) {
            return Error::service(AI_GATEWAY_ERROR, status, None, message);
        }
    }
    let field = |key: &str| json.get(key).and_then(Value::as_str);
    let name = header("x-amzn-errortype")
        .or_else(|| field("__type"))
        .or_else(|| field("code"))
        .map(error_type)
        .or_else(|| aws_error_for_status(status).map(|f| f.name))
        .unwrap_or("UnknownError");
    let message = field("message")
        .or_else(|| field("Message"))
        .map(str::to_string)
        .unwrap_or_else(|| {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            if text.is_empty() {
                format!("HTTP {status}")
            } else {
                text.chars().take(200).collect()
            }
        });
    let request_id = header("x-amzn-requestid").map(str::to_string);
    Error::service(name, status, request_id, message).with_server_date(header("date"))
}

/// The message of an error Cloudflare AI Gateway answered itself, when `json` is one:
/// `{"success": false, "error": [{"code": 2009, "message": "Unauthorized"}], …}`.
fn gateway_message(status: u16, json: &Value) -> Option<String> {
    if json.get("success").and_then(Value::as_bool) != Some(false) {
        return None;
    }
    let error = json.get("error")?.get(0)?;
    let text = |key| error.get(key).and_then(Value::as_str).unwrap_or("");
    let code = error.get("code").and_then(Value::as_u64).unwrap_or(0);
    Some(format!(
        "Cloudflare AI Gateway refused the request with HTTP {status}: {} (code {code})",
        text("message")
    ))
}

/// A 2xx response that is not the event stream a stream call asked for: an error the service
/// sent as JSON (`__type` or `code`, with the status its error type has), else an
/// `InvalidResponse` naming the content type.
pub fn error_from_unexpected_body(
    content_type: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Error {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let named = ["__type", "code"]
        .iter()
        .find_map(|k| json.get(*k).and_then(Value::as_str));
    match named {
        Some(name) => {
            let status = status_of(error_type(name));
            error_from_response(status, headers, body)
        }
        None => Error::invalid_response(format!(
            "expected an event stream, got a {content_type} body",
            content_type = Quoted(content_type)
        )),
    }
}

/// An exception frame (`:exception-type: throttlingException`) as the service error named
/// `ThrottlingException`, with the HTTP status the service model gives that error.
pub fn error_from_exception(
    exception_type: &str,
    payload: &[u8],
    request_id: Option<&str>,
) -> Error {
    // AWS error names are ASCII: an ASCII upper case, not char::to_uppercase (whose Unicode
    // tables are 2 KB of wasm).
    let mut name = exception_type.to_string();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let status = status_of(&name);
    let body: Value = serde_json::from_slice(payload).unwrap_or(Value::Null);
    let message = body
        .get("message")
        .or_else(|| body.get("Message"))
        .and_then(Value::as_str)
        .unwrap_or("the model stream reported an error")
        .to_string();
    Error::service(&name, status, request_id.map(str::to_string), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn recorded_validation_error() {
        // From openinference-js should-handle-api-error-scenarios.json.
        let err = error_from_response(
            400,
            &headers(&[
                (
                    "x-amzn-ErrorType",
                    "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
                ),
                ("x-amzn-RequestId", "9e4a5c1c-1111-2222-3333-444455556666"),
            ]),
            br#"{"message":"The provided model identifier is invalid."}"#,
        );
        assert_eq!(err.name(), "ValidationException");
        assert_eq!(err.status(), Some(400));
        assert_eq!(
            err.request_id(),
            Some("9e4a5c1c-1111-2222-3333-444455556666")
        );
        assert_eq!(err.message(), "The provided model identifier is invalid.");
        assert!(!err.retryable());
    }

    #[test]
    fn error_types_lose_their_namespace_and_url_wherever_they_come_from() {
        for (headers, body) in [
            (
                headers(&[(
                    "X-Amzn-Errortype",
                    "aws.protocoltests.restjson#ThrottlingException:http://internal.amazon.com/coral/",
                )]),
                &b"{}"[..],
            ),
            (
                vec![],
                br#"{"__type":"aws.protocoltests.restjson#ThrottlingException"}"#,
            ),
            (vec![], br#"{"code":"ThrottlingException:http://x#y"}"#),
        ] {
            let err = error_from_response(400, &headers, body);
            assert_eq!((err.name(), err.retryable()), ("ThrottlingException", true));
        }
        let err = error_from_unexpected_body(
            "application/json",
            &[],
            br#"{"__type":"com.amazon.bedrock#ModelStreamErrorException:http://x"}"#,
        );
        assert_eq!(
            (err.name(), err.status()),
            ("ModelStreamErrorException", Some(424))
        );
    }

    #[test]
    fn exception_types_are_kept_whole_but_for_their_first_letter() {
        let err = error_from_exception("throttlingException:x#y", b"{}", None);
        assert_eq!(err.name(), "ThrottlingException:x#y");
        let err = error_from_exception("modelStreamErrorException", b"{}", None);
        assert_eq!(
            (err.name(), err.status()),
            ("ModelStreamErrorException", Some(424))
        );
    }

    #[test]
    fn a_json_error_on_a_200_is_the_service_error_it_names() {
        let err = error_from_unexpected_body(
            "application/json",
            &[],
            br#"{"message":"Internal failure","__type":"InternalServerException"}"#,
        );
        assert_eq!(
            (err.name(), err.status(), err.message().as_str()),
            ("InternalServerException", Some(500), "Internal failure")
        );
        let err = error_from_unexpected_body("text/html", &[], b"<html>hi</html>");
        assert_eq!(err.name(), "InvalidResponse");
        assert!(err.message().contains("text/html"));
    }

    #[test]
    fn ai_gateway_errors_are_named_for_the_gateway() {
        let body = br#"{"success":false,"result":[],"messages":[],"error":[{"code":2009,"message":"Unauthorized"}]}"#;
        let err = error_from_response(401, &[], body);
        assert_eq!(
            (err.name(), err.status(), err.retryable()),
            (AI_GATEWAY_ERROR, Some(401), false)
        );
        assert_eq!(
            err.message(),
            "Cloudflare AI Gateway refused the request with HTTP 401: Unauthorized (code 2009)"
        );
        let err = error_from_response(
            429,
            &[],
            br#"{"success":false,"error":[{"code":2003,"message":"Rate limited"},{"message":"x"}]}"#,
        );
        assert_eq!((err.name(), err.retryable()), (AI_GATEWAY_ERROR, true));
        assert!(err
            .message()
            .ends_with("HTTP 429: Rate limited (code 2003)"));
        // Bedrock's own errors through the gateway keep their names.
        let err = error_from_response(
            403,
            &headers(&[("x-amzn-ErrorType", "AccessDeniedException:http://x")]),
            br#"{"success":false,"error":[],"message":"denied"}"#,
        );
        assert_eq!(err.name(), "AccessDeniedException");
        assert_eq!(error_from_response(401, &[], b"").name(), "UnknownError");
    }

    #[test]
    fn body_type_and_fallbacks() {
        let err = error_from_response(
            429,
            &[],
            br#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
        );
        assert_eq!((err.name(), err.retryable()), ("ThrottlingException", true));
        let err = error_from_response(502, &[], b"<html>bad gateway</html>");
        assert_eq!(err.name(), "UnknownError");
        assert_eq!(err.message(), "<html>bad gateway</html>");
        assert!(err.retryable());
        let err = error_from_response(503, &[], b"");
        assert_eq!(
            (err.name(), err.message().as_str()),
            ("ServiceUnavailableException", "HTTP 503")
        );
    }
}
