//! AWS Signature Version 4 for Bedrock Runtime, as a thin adapter over `aws-sigv4`.
//!
//! The caller builds the exact wire request, [`sign_request`] returns the headers to add.
//! Time is always passed in ([`time_from_epoch_millis`] turns `Date.now()` into a
//! [`SystemTime`]) because `SystemTime::now()` panics on `wasm32-unknown-unknown`.
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html>.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, PercentEncodingMode, SessionTokenMode, SignableBody,
    SignableRequest, SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use crate::Error;

/// Bedrock's signing name (the credential-scope service), not `bedrock-runtime`.
pub const BEDROCK_SIGNING_NAME: &str = "bedrock";

/// AWS credentials: an access key pair and an optional session token.
///
/// `Debug` prints the access key id but redacts the secret and the token.
#[derive(Clone, PartialEq)]
pub struct Credentials {
    /// The access key id (`AKIA…` or `ASIA…`).
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token of temporary credentials.
    pub session_token: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const REDACTED: &str = "** redacted **";
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| REDACTED),
            )
            .finish()
    }
}

/// A request to sign, exactly as it will be sent.
pub struct SignableHttpRequest<'a> {
    /// The HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// The absolute wire URL; the path is already percent-encoded once
    /// (`/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse`).
    pub url: &'a str,
    /// The headers that will be sent, without `host` (taken from the URL) and without the
    /// headers [`sign_request`] returns. `authorization`, `user-agent`, `x-amzn-trace-id` and
    /// `transfer-encoding` are sent but never signed (aws-sigv4's defaults).
    pub headers: &'a [(String, String)],
    /// The exact body bytes.
    pub body: &'a [u8],
}

/// Signing choices; the defaults are what Bedrock needs.
#[derive(Clone, Debug)]
pub struct SigningOptions {
    /// Encode the already-encoded wire path once more for the canonical URI (`%3A` becomes
    /// `%253A`), as every service but S3 expects. Default `true`.
    pub double_uri_encode: bool,
    /// Remove `.`/`..` segments and repeated slashes from the canonical URI. Default `true`.
    pub normalize_path: bool,
    /// Add and sign an `x-amz-content-sha256` header (S3 style). Default `false`.
    pub sign_payload_header: bool,
    /// Leave `x-amz-security-token` out of the signed headers (it is still returned).
    /// Default `false`.
    pub omit_session_token: bool,
}

impl Default for SigningOptions {
    fn default() -> Self {
        Self {
            double_uri_encode: true,
            normalize_path: true,
            sign_payload_header: false,
            omit_session_token: false,
        }
    }
}

/// Signs `request` with SigV4 and returns the headers to add, with lower-case names:
/// `x-amz-date`, `authorization`, `x-amz-content-sha256` (when asked) and
/// `x-amz-security-token` (when the credentials carry a token).
///
/// `service` is the signing name ([`BEDROCK_SIGNING_NAME`] for Bedrock Runtime). Fails with a
/// `TypeError` for a URL that is not absolute or a header name or value HTTP does not allow;
/// the chat models check what they sign beforehand ([`crate::endpoint::normalize_endpoint`],
/// [`crate::header_text`]), so that this does not happen to them.
pub fn sign_request(
    request: &SignableHttpRequest<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    options: &SigningOptions,
) -> Result<Vec<(String, String)>, Error> {
    // aws-sigv4 panics on a URL without an authority unless a host header is given.
    if !has_authority(request.url) {
        return Err(Error::invalid_input("cannot sign: url must be absolute"));
    }
    let identity: Identity = aws_credential_types::Credentials::new(
        credentials.access_key_id.as_str(),
        credentials.secret_access_key.as_str(),
        credentials.session_token.clone(),
        None,
        "bedrock-edge",
    )
    .into();

    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = if options.double_uri_encode {
        PercentEncodingMode::Double
    } else {
        PercentEncodingMode::Single
    };
    settings.uri_path_normalization_mode = if options.normalize_path {
        UriPathNormalizationMode::Enabled
    } else {
        UriPathNormalizationMode::Disabled
    };
    settings.payload_checksum_kind = if options.sign_payload_header {
        PayloadChecksumKind::XAmzSha256
    } else {
        PayloadChecksumKind::NoHeader
    };
    settings.session_token_mode = if options.omit_session_token {
        SessionTokenMode::Exclude
    } else {
        SessionTokenMode::Include
    };

    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| Error::invalid_input(e.to_string()))?
        .into();
    let signable = SignableRequest::new(
        request.method,
        request.url,
        request
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
        SignableBody::Bytes(request.body),
    )
    .map_err(|_| Error::invalid_input("cannot sign: invalid url"))?;
    let output = sign(signable, &params).map_err(|e| Error::invalid_input(describe(&e)))?;
    let (headers, _) = output.into_parts().0.into_parts();
    Ok(headers
        .into_iter()
        .map(|h| (h.name().to_string(), h.value().to_string()))
        .collect())
}

/// Converts epoch milliseconds (JS `Date.now()`) to a [`SystemTime`] without reading the clock.
///
/// Fractions of a millisecond are dropped; `NaN` and out-of-range values give the epoch.
pub fn time_from_epoch_millis(ms: f64) -> SystemTime {
    // `as u64` saturates and maps NaN to 0; checked arithmetic avoids the overflow panic.
    let offset = Duration::from_millis(ms.abs() as u64);
    let time = if ms >= 0.0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    };
    time.unwrap_or(UNIX_EPOCH)
}

/// True when `url` has a scheme and a non-empty authority (`https://host/…`).
fn has_authority(url: &str) -> bool {
    url.split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty() && !rest.is_empty() && !rest.starts_with(['/', '?', '#'])
    })
}

/// The error and its first cause, e.g. `failed to create canonical request: invalid header value`.
fn describe(error: &dyn std::error::Error) -> String {
    match error.source() {
        Some(cause) => format!("{error}: {cause}"),
        None => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_credentials(session_token: Option<&str>) -> Credentials {
        Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: session_token.map(String::from),
        }
    }

    // 2015-08-30T12:36:00Z, the AWS test-suite time.
    const SUITE_TIME_MS: f64 = 1_440_938_160_000.0;

    fn converse_headers() -> Vec<(String, String)> {
        vec![
            ("Content-Type".into(), "application/json".into()),
            ("Accept".into(), "application/json".into()),
        ]
    }

    const CONVERSE_URL: &str = "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse";
    const CONVERSE_BODY: &[u8] = br#"{"messages":[{"role":"user","content":[{"text":"Hello"}]}],"inferenceConfig":{"maxTokens":256}}"#;

    fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn debug_redacts_secret_and_token() {
        let creds = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "very-secret-key".into(),
            session_token: Some("very-secret-token".into()),
        };
        let debug = format!("{creds:?}");
        assert!(debug.contains("AKIDEXAMPLE"), "{debug}");
        assert!(!debug.contains("very-secret"), "{debug}");
        assert_eq!(debug.matches("** redacted **").count(), 2, "{debug}");
        let pretty = format!("{creds:#?}");
        assert!(!pretty.contains("very-secret"), "{pretty}");
        let no_token = format!("{:?}", example_credentials(None));
        assert!(no_token.contains("session_token: None"), "{no_token}");
        assert!(!no_token.contains("EXAMPLEKEY"), "{no_token}");
    }

    #[test]
    fn converse_request_matches_bedrock_derived_case_1() {
        let headers = converse_headers();
        let request = SignableHttpRequest {
            method: "POST",
            url: CONVERSE_URL,
            headers: &headers,
            body: CONVERSE_BODY,
        };
        let signed = sign_request(
            &request,
            &example_credentials(None),
            "us-east-1",
            BEDROCK_SIGNING_NAME,
            time_from_epoch_millis(SUITE_TIME_MS),
            &SigningOptions::default(),
        )
        .unwrap();
        let names: Vec<&str> = signed.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["x-amz-date", "authorization"]);
        assert_eq!(header(&signed, "x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(
            header(&signed, "authorization"),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, \
                 SignedHeaders=accept;content-type;host;x-amz-date, \
                 Signature=c7931ab4934e3c4175e3e13d8577f7ae67552d8a39af06d8d01772bc8f870425"
            )
        );
    }

    #[test]
    fn session_token_is_returned_and_signed_unless_omitted() {
        let headers = converse_headers();
        let request = SignableHttpRequest {
            method: "POST",
            url: CONVERSE_URL,
            headers: &headers,
            body: CONVERSE_BODY,
        };
        let creds = example_credentials(Some("token-value"));
        let time = time_from_epoch_millis(SUITE_TIME_MS);
        let sign_with = |options: &SigningOptions| {
            sign_request(&request, &creds, "us-east-1", "bedrock", time, options).unwrap()
        };

        let signed = sign_with(&SigningOptions::default());
        assert_eq!(header(&signed, "x-amz-security-token"), Some("token-value"));
        let authz = header(&signed, "authorization").unwrap();
        assert!(authz
            .contains("SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token,"));

        let omitted = sign_with(&SigningOptions {
            omit_session_token: true,
            ..SigningOptions::default()
        });
        assert_eq!(
            header(&omitted, "x-amz-security-token"),
            Some("token-value")
        );
        let authz = header(&omitted, "authorization").unwrap();
        assert!(authz.contains("SignedHeaders=accept;content-type;host;x-amz-date,"));
        assert!(header(&omitted, "x-amz-content-sha256").is_none());

        let with_hash = sign_with(&SigningOptions {
            sign_payload_header: true,
            ..SigningOptions::default()
        });
        assert_eq!(
            header(&with_hash, "x-amz-content-sha256"),
            Some("d8695502972bd4d482308b656a524b7a7efcebba591a06801fadba6b39700dd1")
        );
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let time = time_from_epoch_millis(SUITE_TIME_MS);
        let creds = example_credentials(None);
        let sign_url = |url: &str, headers: &[(String, String)]| {
            let request = SignableHttpRequest {
                method: "GET",
                url,
                headers,
                body: b"",
            };
            sign_request(
                &request,
                &creds,
                "us-east-1",
                "bedrock",
                time,
                &Default::default(),
            )
        };
        for url in [
            "/model/x/converse",
            "",
            "https://",
            "https:///x",
            "not a url",
        ] {
            let err = sign_url(url, &[]).expect_err(url);
            assert!(err.is_invalid_input(), "{url}");
        }
        let bad_header = [("bad header".to_string(), "v".to_string())];
        let err = sign_url("https://example.com/", &bad_header).unwrap_err();
        assert!(err.is_invalid_input());
        assert!(
            err.message().contains("invalid header name"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn epoch_millis_convert_without_the_clock() {
        assert_eq!(
            time_from_epoch_millis(SUITE_TIME_MS),
            UNIX_EPOCH + Duration::from_secs(1_440_938_160)
        );
        assert_eq!(
            time_from_epoch_millis(1_500.9),
            UNIX_EPOCH + Duration::from_millis(1_500)
        );
        assert_eq!(
            time_from_epoch_millis(-1_000.0),
            UNIX_EPOCH - Duration::from_secs(1)
        );
        assert_eq!(time_from_epoch_millis(f64::NAN), UNIX_EPOCH);
        // Out of range must not panic.
        let _ = time_from_epoch_millis(f64::INFINITY);
        let _ = time_from_epoch_millis(f64::NEG_INFINITY);
    }
}
