//! Bedrock Runtime URLs: the regional endpoint and the per-operation path.
//!
//! Model ids are an `@httpLabel`: everything outside the unreserved set is percent-encoded on
//! the wire (`:` becomes `%3A`, `/` becomes `%2F`), as the AWS SDKs do. Signing then encodes
//! the wire path once more (see [`crate::signing`]).

use crate::header_text::{check_header_text, Name};
use crate::quoted::Quoted;
use crate::uri_encode::encode_into;
use crate::Error;

/// A Bedrock Runtime operation addressed by model id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// `POST /model/{modelId}/converse`
    Converse,
    /// `POST /model/{modelId}/converse-stream`
    ConverseStream,
    /// `POST /model/{modelId}/invoke`
    InvokeModel,
    /// `POST /model/{modelId}/invoke-with-response-stream`
    InvokeModelWithResponseStream,
    /// `POST /model/{modelId}/count-tokens`
    CountTokens,
}

impl Operation {
    /// The last path segment of the operation.
    pub fn path_suffix(self) -> &'static str {
        match self {
            Operation::Converse => "converse",
            Operation::ConverseStream => "converse-stream",
            Operation::InvokeModel => "invoke",
            Operation::InvokeModelWithResponseStream => "invoke-with-response-stream",
            Operation::CountTokens => "count-tokens",
        }
    }

    /// Whether the response is an event stream.
    pub fn is_stream(self) -> bool {
        matches!(
            self,
            Operation::ConverseStream | Operation::InvokeModelWithResponseStream
        )
    }
}

/// The default endpoint for a region: `https://bedrock-runtime.{region}.amazonaws.com`
/// (`.amazonaws.com.cn` in the China partition).
pub fn regional_endpoint(region: &str) -> Result<String, Error> {
    validate_region(("region", ""), region)?;
    let mut url = String::from("https://bedrock-runtime.");
    url.push_str(region);
    url.push_str(".amazonaws.com");
    if region.starts_with("cn-") {
        url.push_str(".cn");
    }
    Ok(url)
}

/// Checks that a region given as `what` (`region`, or the variable it came from) looks like
/// one (`us-east-1`, `eu-central-2`, `us-gov-west-1`).
pub fn validate_region(what: Name, region: &str) -> Result<(), Error> {
    let ok = !region.is_empty()
        && region.len() <= 63
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "{}{} must be a region such as us-east-1, got {}",
            what.0,
            what.1,
            Quoted(region)
        )))
    }
}

/// Normalises an endpoint override given as `what` (`endpoint`, or the variable it came
/// from): `http(s)://host[:port][/path]` in printable ASCII, without a trailing `/`. The host
/// is a name or an address (`[::1]` for IPv6), the port a number, the path plain URL
/// characters: nothing that `fetch` reads otherwise than the signer does, or that either
/// refuses; no `user:password@`, query or fragment. The checks are of what a URL may hold,
/// so that every call's URL can be signed and fetched.
pub fn normalize_endpoint(what: Name, endpoint: &str) -> Result<String, Error> {
    let trimmed = endpoint.trim().trim_end_matches('/');
    check_header_text(what, trimmed)?;
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .unwrap_or("");
    let slash = rest.bytes().position(|b| b == b'/');
    let (authority, path) = rest.split_at(slash.unwrap_or(rest.len()));
    // Credentials in the URL would travel with every request and show in every log line;
    // they are refused without repeating them.
    if authority.contains('@') {
        return Err(Error::invalid_input(format!(
            "{}{} must not carry user:password@ credentials",
            what.0, what.1
        )));
    }
    // `host:port`, unless what follows the last `:` is not a port (`[::1]`, `host:x`).
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if made_of(port, b"") => (host, port),
        _ => (authority, "0"),
    };
    let v6 = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    let name = v6.unwrap_or(host);
    // Within 2048 characters, the whole URL stays far below the signer's 64 KiB limit
    // whatever the model id.
    let ok = !name.is_empty()
        && made_of(name, if v6.is_some() { b":." } else { b"-._" })
        && made_of(port, b"")
        && port.parse::<u16>().is_ok()
        && made_of(path, b"-._~!$&'()*+,;=:@/%")
        && trimmed.len() <= 2048;
    if ok {
        Ok(trimmed.to_string())
    } else {
        Err(Error::invalid_input(format!(
            "{}{} must be an http(s)://host[:port][/path] URL without query, got {}",
            what.0,
            what.1,
            Quoted(endpoint)
        )))
    }
}

/// Refuses a normalised `http://` endpoint (given as `what`) whose host is not this machine
/// (`localhost`, `127.0.0.0/8`, `[::1]`) unless `allow_insecure`: the credentials (an API key
/// in clear, or a SigV4 signature that can be replayed) and the conversation would cross the
/// network unencrypted.
pub fn refuse_clear_text(what: Name, base_url: &str, allow_insecure: bool) -> Result<(), Error> {
    let Some(rest) = base_url.strip_prefix("http://") else {
        return Ok(());
    };
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if made_of(port, b"") => host,
        _ => authority,
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host == "[::1]"
        || host.strip_prefix("127.").is_some_and(|rest| {
            rest.split('.').count() == 3 && rest.split('.').all(|octet| octet.parse::<u8>().is_ok())
        });
    if loopback || allow_insecure {
        return Ok(());
    }
    Err(Error::invalid_input(format!(
        "{}{} is http:// to {host}, which is not this machine: credentials and messages would \
         travel unencrypted; use https://, or set allowInsecureEndpoint: true",
        what.0, what.1
    )))
}

/// Whether `text` holds only ASCII letters, digits and the bytes of `extra`.
fn made_of(text: &str, extra: &[u8]) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
}

/// Checks a model id, inference-profile id or ARN before it goes into a path. `.` and `..`
/// are refused: they would be sent as dot segments, which `fetch` resolves away
/// (`/model/../converse` is `/converse`), and no percent-encoding survives that (URL parsers
/// treat `%2e` as a dot too).
pub fn validate_model_id(model_id: &str) -> Result<(), Error> {
    if model_id.trim().is_empty() {
        return Err(Error::invalid_input("model is required"));
    }
    if model_id.len() > 2048 {
        return Err(Error::invalid_input(
            "model id is longer than 2048 characters",
        ));
    }
    if model_id == "." || model_id == ".." {
        return Err(Error::invalid_input(format!(
            "model \"{model_id}\" is not a model id: a URL path resolves it away"
        )));
    }
    Ok(())
}

/// The full URL of an operation: `{base}/model/{label-encoded model id}/{operation}`.
pub fn operation_url(base: &str, model_id: &str, operation: Operation) -> String {
    let mut url = String::with_capacity(base.len() + model_id.len() * 3 + 24);
    url.push_str(base);
    url.push_str("/model/");
    encode_into(model_id, false, &mut url);
    url.push('/');
    url.push_str(operation.path_suffix());
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_text_goes_only_to_this_machine_unless_allowed() {
        for local in [
            "http://127.0.0.1:4010",
            "http://127.255.0.9",
            "http://localhost:8080/base",
            "http://LOCALHOST",
            "http://[::1]:4566",
            "https://proxy.example.com",
        ] {
            assert!(
                refuse_clear_text(("endpoint", ""), local, false).is_ok(),
                "{local}"
            );
        }
        for remote in [
            "http://proxy.example.com",
            "http://10.0.0.5:4566",
            "http://127.0.0.1.example.com",
            "http://127.0.0.256",
            "http://[::2]",
            "http://localhost.example.com/x",
        ] {
            let error =
                refuse_clear_text(("AWS_ENDPOINT_URL", " in env"), remote, false).unwrap_err();
            assert!(error.is_invalid_input(), "{remote}");
            assert!(
                error
                    .message()
                    .starts_with("AWS_ENDPOINT_URL in env is http:// to ")
                    && error
                        .message()
                        .ends_with("or set allowInsecureEndpoint: true"),
                "{error}"
            );
            assert!(
                refuse_clear_text(("endpoint", ""), remote, true).is_ok(),
                "{remote}"
            );
        }
    }

    #[test]
    fn endpoints_with_credentials_are_refused_without_echo() {
        let err = normalize_endpoint(("endpoint", ""), "https://user:hunter2@proxy.example.com")
            .unwrap_err();
        assert!(err.is_invalid_input());
        assert!(!err.message().contains("hunter2"), "{err}");
        assert!(normalize_endpoint(("endpoint", ""), "http://127.0.0.1:4010/path@x").is_ok());
    }

    #[test]
    fn model_ids_are_label_encoded() {
        let base = regional_endpoint("us-east-1").unwrap();
        assert_eq!(
            operation_url(&base, "anthropic.claude-3-5-sonnet-20240620-v1:0", Operation::Converse),
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"
        );
        assert_eq!(
            operation_url(
                "http://127.0.0.1:4010",
                "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/mi1dadi0g15f",
                Operation::ConverseStream
            ),
            "http://127.0.0.1:4010/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fmi1dadi0g15f/converse-stream"
        );
        assert_eq!(
            operation_url(&base, "us.meta.llama3-2-1b-instruct-v1:0", Operation::InvokeModelWithResponseStream),
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.meta.llama3-2-1b-instruct-v1%3A0/invoke-with-response-stream"
        );
        assert_eq!(
            operation_url("https://h", "a b%é", Operation::Converse),
            "https://h/model/a%20b%25%C3%A9/converse"
        );
    }

    #[test]
    fn every_url_an_accepted_endpoint_makes_can_be_signed() {
        use crate::signing::{sign_request, time_from_epoch_millis, Credentials};
        use crate::signing::{SignableHttpRequest, SigningOptions, BEDROCK_SIGNING_NAME};
        let long_endpoint = format!("http://h/{}", "p".repeat(2038));
        let long_model = "é".repeat(1024);
        let credentials = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "secret".into(),
            session_token: Some("token ~!".into()),
        };
        for endpoint in [
            "http://127.0.0.1:4010",
            "https://[::1]:8443/base",
            "http://my_proxy:0/a-._~!$&'()*+,;=:@%20/x",
            long_endpoint.as_str(),
        ] {
            let base = normalize_endpoint(("endpoint", ""), endpoint).unwrap();
            for model in [
                "anthropic.claude-3-5-sonnet-20240620-v1:0",
                "...",
                &long_model,
            ] {
                let url = operation_url(&base, model, Operation::InvokeModelWithResponseStream);
                let request = SignableHttpRequest {
                    method: "POST",
                    url: &url,
                    headers: &[],
                    body: b"{}",
                };
                let signed = sign_request(
                    &request,
                    &credentials,
                    "us-east-1",
                    BEDROCK_SIGNING_NAME,
                    time_from_epoch_millis(0.0),
                    &SigningOptions::default(),
                );
                assert!(signed.is_ok(), "{url}");
            }
        }
    }

    #[test]
    fn regions_and_endpoints_are_checked() {
        assert_eq!(
            regional_endpoint("cn-north-1").unwrap(),
            "https://bedrock-runtime.cn-north-1.amazonaws.com.cn"
        );
        assert!(regional_endpoint("us east").unwrap_err().is_invalid_input());
        assert_eq!(
            validate_region(("AWS_REGION", " in process.env"), "us-east-1\n")
                .unwrap_err()
                .message(),
            "AWS_REGION in process.env must be a region such as us-east-1, got \"us-east-1\\n\""
        );
        assert!(regional_endpoint("").is_err());
        assert_eq!(
            normalize_endpoint(("endpoint", ""), "http://127.0.0.1:4010/").unwrap(),
            "http://127.0.0.1:4010"
        );
        assert!(normalize_endpoint(("endpoint", ""), "ftp://x").is_err());
        assert!(normalize_endpoint(("endpoint", ""), "https://").is_err());
        for (bad, kind) in [
            ("http://127.0.0.1:4010\u{0}x", "a control character"),
            ("http://bücher.example", "a non-ASCII character"),
            ("http://a\nb", "a line feed"),
        ] {
            let message = normalize_endpoint(("AWS_ENDPOINT_URL", " in process.env"), bad)
                .unwrap_err()
                .message();
            assert_eq!(
                message,
                format!(
                    "AWS_ENDPOINT_URL in process.env contains {kind}; it must be printable ASCII"
                )
            );
        }
        // What the signer cannot parse is refused here, not when a call is signed.
        for bad in [
            "http://host:port",
            "http://host:65536",
            "http://host:",
            "http://a<b>",
            "http://[::1",
            "http://[::1]x",
            "http://host/a\\b",
            "http://host/a{b}",
            "http://host/a\"b",
            "http://host/a?b",
            "http://host#x",
            "http://",
            "http:///path",
            "http://[]",
            "http://:80",
            &format!("http://h/{}", "x".repeat(2048)),
        ] {
            let error = normalize_endpoint(("endpoint", ""), bad).unwrap_err();
            assert!(error.is_invalid_input(), "{bad}");
            assert!(
                error
                    .message()
                    .starts_with("endpoint must be an http(s)://host"),
                "{bad}"
            );
        }
        for (good, normalized) in [
            (" https://[::1]:8443/base/ \n", "https://[::1]:8443/base"),
            ("http://127.0.0.1:4010", "http://127.0.0.1:4010"),
            (
                "https://bedrock-runtime.us-east-1.amazonaws.com/",
                "https://bedrock-runtime.us-east-1.amazonaws.com",
            ),
            (
                "http://my_proxy:80/a/b%20c/~x",
                "http://my_proxy:80/a/b%20c/~x",
            ),
        ] {
            assert_eq!(
                normalize_endpoint(("endpoint", ""), good).unwrap(),
                normalized
            );
        }
        assert!(validate_model_id(" ").is_err());
        assert!(validate_model_id("amazon.nova-lite-v1:0").is_ok());
        for dots in [".", ".."] {
            let error = validate_model_id(dots).unwrap_err();
            assert!(error.is_invalid_input());
            assert!(
                error.message().starts_with(&format!("model \"{dots}\" ")),
                "{error}"
            );
        }
        for fine in ["...", ".x", "%2e", "./x"] {
            assert!(validate_model_id(fine).is_ok(), "{fine}");
        }
    }
}
