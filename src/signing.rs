//! AWS Signature Version 4 for Bedrock Runtime.
//!
//! The caller builds the exact wire request, [`sign_request`] returns the headers to add.
//! Time is always passed in ([`time_from_epoch_millis`] turns `Date.now()` into a
//! [`SystemTime`]) because `SystemTime::now()` panics on `wasm32-unknown-unknown`.
//! This file holds the interface and the canonical request; the URL parts, the timestamp and
//! the hashing are in `signing/`. See
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html>.

mod amz_date;
mod canonical_uri;
mod hmac;
mod sha256;

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use self::amz_date::format_amz_date;
use self::canonical_uri::{canonical_query, canonical_uri, is_uri_text, sort_pairs, split_url};
pub use self::hmac::hex;
use self::hmac::hmac_sha256;
use self::sha256::sha256;
use crate::quoted::Quoted;
use crate::Error;

/// Bedrock's signing name (the credential-scope service), not `bedrock-runtime`.
pub const BEDROCK_SIGNING_NAME: &str = "bedrock";

/// The signing algorithm, first in the string to sign and in `authorization`.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The session token header.
const SECURITY_TOKEN: &str = "x-amz-security-token";

/// Headers that are sent but never signed, as the AWS SDKs leave them out: the signature
/// itself and headers that proxies change or drop.
const UNSIGNED_HEADERS: [&str; 4] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

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
    /// `transfer-encoding` are sent but never signed (as the AWS SDKs do).
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
/// `TypeError` for a URL that is not absolute or holds a character outside RFC 3986, or a
/// header name or value (the session token's too) that HTTP does not allow;
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
    let url = split_url(request.url)
        .ok_or_else(|| Error::invalid_input("cannot sign: url must be absolute"))?;
    if !is_uri_text(request.url) {
        return Err(Error::invalid_input("cannot sign: invalid url"));
    }
    let amz_date = format_amz_date(time);
    let payload_hash = hex(&sha256(&[request.body]));

    let mut headers = Vec::with_capacity(request.headers.len() + 4);
    for (name, value) in request.headers {
        let name = name.to_ascii_lowercase();
        if !is_header_name(&name) {
            return Err(Error::invalid_input(format!(
                "cannot sign: invalid header name {}",
                Quoted(&name)
            )));
        }
        let value = fold_spaces(value);
        check_header_value(&name, &value)?;
        headers.push((name, value));
    }
    if !headers.iter().any(|(name, _)| name == "host") {
        headers.push(("host".into(), url.host.into()));
    }
    let mut added = vec![("x-amz-date", amz_date.clone())];
    if options.sign_payload_header {
        added.push(("x-amz-content-sha256", payload_hash.clone()));
    }
    if let Some(token) = &credentials.session_token {
        check_header_value(SECURITY_TOKEN, token)?;
        added.push((SECURITY_TOKEN, token.clone()));
    }
    for (name, value) in &added {
        headers.retain(|(existing, _)| existing != name);
        headers.push((name.to_string(), value.clone()));
    }
    let unsigned = |name: &str| {
        UNSIGNED_HEADERS.contains(&name) || (options.omit_session_token && name == SECURITY_TOKEN)
    };
    headers.retain(|(name, _)| !unsigned(name));
    let (canonical_headers, signed_headers) = canonical_headers(headers);

    let canonical_request = [
        request.method,
        &canonical_uri(url.path, options.normalize_path, options.double_uri_encode),
        &canonical_query(url.query),
        &canonical_headers,
        &signed_headers,
        &payload_hash,
    ]
    .join("\n");
    let date = &amz_date[..8];
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        hex(&sha256(&[canonical_request.as_bytes()]))
    );
    let key = [region, service, "aws4_request"].iter().fold(
        hmac_sha256(
            format!("AWS4{}", credentials.secret_access_key).as_bytes(),
            date.as_bytes(),
        ),
        |key, part| hmac_sha256(&key, part.as_bytes()),
    );
    let signature = hex(&hmac_sha256(&key, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key_id
    );
    added.insert(1, ("authorization", authorization));
    Ok(added
        .into_iter()
        .map(|(name, value)| (name.to_string(), value))
        .collect())
}

/// The canonical headers block (`name:value` lines, a blank line after them) and the signed
/// headers list (`a;b;c`) of lower-case `headers`: sorted by name, the values of a repeated
/// name joined with commas in the order given.
fn canonical_headers(mut headers: Vec<(String, String)>) -> (String, String) {
    sort_pairs(&mut headers, false);
    let mut lines = String::new();
    let mut names = String::new();
    let mut previous: Option<&str> = None;
    for (name, value) in &headers {
        if previous == Some(name) {
            lines.push(',');
        } else {
            if previous.is_some() {
                lines.push('\n');
                names.push(';');
            }
            lines.push_str(name);
            lines.push(':');
            names.push_str(name);
        }
        lines.push_str(value);
        previous = Some(name);
    }
    lines.push('\n');
    (lines, names)
}

/// Whether `name` is an HTTP field name (RFC 9110 `token`).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// `Ok` when `value` is visible ASCII, spaces and tabs: what `fetch` sends as it is (it would
/// send `é` as one Latin-1 byte, not the UTF-8 that was signed) and what aws-sigv4 signs. The
/// error names the header, never the value, which may be a secret.
fn check_header_value(name: &str, value: &str) -> Result<(), Error> {
    if value
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        return Ok(());
    }
    Err(Error::invalid_input(format!(
        "cannot sign: invalid header value for {}",
        Quoted(name)
    )))
}

/// `value` without leading and trailing spaces, runs of inner spaces folded to one (spaces
/// only, not tabs: what SigV4 canonicalises).
fn fold_spaces(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split(' ').filter(|word| !word.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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
            "https://example.com/a b",
            "https://example.com/é",
            "https://example.com/?a=`",
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
        let bad_value = [("x-note".to_string(), "secret\nvalue".to_string())];
        let err = sign_url("https://example.com/", &bad_value).unwrap_err();
        assert!(err.is_invalid_input());
        assert_eq!(
            err.message(),
            "cannot sign: invalid header value for \"x-note\""
        );
        let with_bad_token = example_credentials(Some("tok\u{1}en"));
        let request = SignableHttpRequest {
            method: "GET",
            url: "https://example.com/",
            headers: &[],
            body: b"",
        };
        let err = sign_request(
            &request,
            &with_bad_token,
            "us-east-1",
            "bedrock",
            time,
            &Default::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "cannot sign: invalid header value for \"x-amz-security-token\""
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
