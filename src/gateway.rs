//! Cloudflare AI Gateway: the `aiGateway` option read and checked, the URL prefix requests go
//! to, and the `cf-aig-*` headers they carry.
//!
//! Through a gateway, a request goes to
//! `{baseUrl}/v1/{accountId}/{gatewayId}/aws-bedrock/bedrock-runtime/{region}/model/{id}/{op}`,
//! which the gateway forwards to `https://bedrock-runtime.{region}.amazonaws.com/model/{id}/{op}`:
//! a SigV4 signature is made for that URL (the client's business: `crate::client`), and the
//! `cf-aig-*` headers are added after signing (the gateway strips them before forwarding). With
//! `byok`, the gateway signs with the AWS keys stored in it and the client sends no AWS
//! authorisation at all.

use std::fmt;

use serde_json::Value;

use crate::endpoint::{normalize_endpoint, refuse_clear_text};
use crate::header_text::{check_header_text, Name};
use crate::Error;

/// Where requests go unless `baseUrl` says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://gateway.ai.cloudflare.com";

/// The environment variable read for the gateway token when `token` is not given.
pub const TOKEN_VARIABLE: &str = "CF_AIG_TOKEN";

/// The members `aiGateway` takes.
const MEMBERS: [&str; 8] = [
    "accountId",
    "gatewayId",
    "token",
    "byok",
    "baseUrl",
    "cacheTtl",
    "skipCache",
    "metadata",
];

/// AI Gateway keeps at most five metadata entries per request.
const MAX_METADATA: usize = 5;

/// `cf-aig-cache-ttl` in seconds: at least a minute, at most a month (30 days).
const CACHE_TTL_SECONDS: (f64, f64) = (60.0, 2_592_000.0);

/// A checked `aiGateway` option.
pub struct Gateway {
    /// `{baseUrl}/v1/{accountId}/{gatewayId}/aws-bedrock/bedrock-runtime/`.
    prefix: String,
    byok: bool,
    /// The token, also the value of one of `headers`; kept to redact it from errors.
    token: Option<String>,
    /// The `cf-aig-*` headers of every request.
    headers: Vec<(&'static str, String)>,
}

impl fmt::Debug for Gateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Gateway(** redacted **)")
    }
}

impl Gateway {
    /// Reads `aiGateway` (as JSON data); `allow_insecure` (`allowInsecureEndpoint`) lets
    /// `baseUrl` be `http://` to another host than this machine; `env_token` gives
    /// `CF_AIG_TOKEN` and where it was found, for when `token` is not given. Every problem is a
    /// `TypeError` naming the member.
    pub fn read(
        value: &Value,
        allow_insecure: bool,
        env_token: impl FnOnce() -> Option<(Name<'static>, String)>,
    ) -> Result<Self, Error> {
        let Value::Object(members) = value else {
            return Err(Error::invalid_input("aiGateway must be an object"));
        };
        if let Some(key) = members.keys().find(|k| !MEMBERS.contains(&k.as_str())) {
            return Err(Error::invalid_input(format!(
                "unknown aiGateway member `{key}`"
            )));
        }
        let get = |key| members.get(key).filter(|v| !v.is_null());
        let text = |key| {
            get(key)
                .map(|v| v.as_str().ok_or_else(|| wrong(key, "a string")))
                .transpose()
        };
        let flag = |key| {
            get(key)
                .map(|v| v.as_bool().ok_or_else(|| wrong(key, "a boolean")))
                .transpose()
        };
        // The ids go into the URL path: only ASCII letters, digits, `-` and `_`.
        let id = |key| match text(key)? {
            Some(id)
                if (1..=64).contains(&id.len())
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
            {
                Ok(id)
            }
            _ => Err(wrong(key, "1 to 64 letters, digits, - or _")),
        };
        let (account_id, gateway_id) = (id("accountId")?, id("gatewayId")?);
        let base_url = match text("baseUrl")? {
            None => DEFAULT_BASE_URL.to_string(),
            Some(url) => {
                let what = ("aiGateway.", "baseUrl");
                let url = normalize_endpoint(what, url)?;
                refuse_clear_text(what, &url, allow_insecure)?;
                url
            }
        };
        let token = match text("token")? {
            Some("") => return Err(wrong("token", "a non-empty string")),
            Some(token) => Some((("aiGateway.", "token"), token.to_string())),
            None => env_token(),
        };
        let mut headers = Vec::new();
        if let Some((what, token)) = &token {
            check_header_text(*what, token)?;
            headers.push(("cf-aig-authorization", format!("Bearer {token}")));
        }
        if let Some(ttl) = get("cacheTtl") {
            let (min, max) = CACHE_TTL_SECONDS;
            match ttl.as_f64() {
                Some(ttl) if ttl.fract() == 0.0 && (min..=max).contains(&ttl) => {
                    headers.push(("cf-aig-cache-ttl", (ttl as u32).to_string()));
                }
                _ => {
                    return Err(wrong(
                        "cacheTtl",
                        "a whole number of seconds from 60 to 2592000 (30 days)",
                    ))
                }
            }
        }
        if flag("skipCache")? == Some(true) {
            headers.push(("cf-aig-skip-cache", "true".into()));
        }
        if let Some(metadata) = get("metadata") {
            headers.push(("cf-aig-metadata", metadata_header(metadata)?));
        }
        Ok(Self {
            prefix: format!("{base_url}/v1/{account_id}/{gateway_id}/aws-bedrock/bedrock-runtime/"),
            byok: flag("byok")?.unwrap_or(false),
            token: token.map(|(_, token)| token),
            headers,
        })
    }

    /// The base URL of Bedrock Runtime in `region` through this gateway:
    /// `{baseUrl}/v1/{accountId}/{gatewayId}/aws-bedrock/bedrock-runtime/{region}`.
    pub fn runtime_base(&self, region: &str) -> String {
        self.prefix.clone() + region
    }

    /// Whether the gateway holds the AWS keys and signs itself ("bring your own keys").
    pub fn byok(&self) -> bool {
        self.byok
    }

    /// The `cf-aig-*` headers of every request: authorisation, cache and metadata.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The gateway token, a secret to keep out of errors.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

/// The `TypeError` for member `key` that is not what `rule` says.
fn wrong(key: &str, rule: &str) -> Error {
    Error::invalid_input(format!("aiGateway.{key} must be {rule}"))
}

/// `metadata` as the `cf-aig-metadata` value: a JSON object of at most five string, number or
/// boolean entries, in ASCII (every other character `\u`-escaped, as a header needs).
fn metadata_header(metadata: &Value) -> Result<String, Error> {
    let fits = match metadata {
        Value::Object(map) => {
            map.len() <= MAX_METADATA
                && map
                    .values()
                    .all(|v| v.is_string() || v.is_number() || v.is_boolean())
        }
        _ => false,
    };
    let text = serde_json::to_string(metadata)
        .ok()
        .filter(|_| fits)
        .ok_or_else(|| {
            wrong(
                "metadata",
                "an object of at most 5 string, number or boolean entries",
            )
        })?;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(text.len());
    let mut units = [0u16; 2];
    for c in text.chars() {
        if (' '..='~').contains(&c) {
            out.push(c);
            continue;
        }
        // Only inside strings: serde_json escaped control characters already.
        for &mut unit in c.encode_utf16(&mut units) {
            out.push_str("\\u");
            for shift in [12, 8, 4, 0] {
                out.push(HEX[usize::from(unit >> shift & 15)] as char);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Result<Gateway, Error> {
        Gateway::read(&value, false, || None)
    }

    fn ids(extra: Value) -> Value {
        let mut value = json!({"accountId": "acct", "gatewayId": "gw"});
        let members = value.as_object_mut().unwrap();
        members.extend(extra.as_object().unwrap().clone());
        value
    }

    #[test]
    fn the_url_prefix_and_headers_come_from_the_option() {
        let gateway = read(json!({
            "accountId": "0123abcd", "gatewayId": "my-gw_1", "token": "tok-123",
            "cacheTtl": 3600, "skipCache": true, "metadata": {"user": "ü😀", "n": 5, "t": true}
        }))
        .unwrap();
        assert_eq!(
            gateway.runtime_base("us-east-1"),
            "https://gateway.ai.cloudflare.com/v1/0123abcd/my-gw_1/aws-bedrock/bedrock-runtime/us-east-1"
        );
        let headers: Vec<(&str, &str)> = gateway
            .headers()
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        assert_eq!(
            headers,
            [
                ("cf-aig-authorization", "Bearer tok-123"),
                ("cf-aig-cache-ttl", "3600"),
                ("cf-aig-skip-cache", "true"),
                (
                    "cf-aig-metadata",
                    r#"{"user":"\u00fc\ud83d\ude00","n":5,"t":true}"#
                ),
            ]
        );
        let header = &gateway.headers()[3].1;
        assert_eq!(
            serde_json::from_str::<Value>(header).unwrap(),
            json!({"user": "ü😀", "n": 5, "t": true}),
            "the same JSON object"
        );
        assert_eq!(gateway.token(), Some("tok-123"));
        assert!(!gateway.byok());
        assert!(!format!("{gateway:?}").contains("tok-123"));
    }

    #[test]
    fn requests_are_signed_for_bedrocks_url_and_sent_to_the_gateways() {
        use crate::endpoint::{operation_url, regional_endpoint, Operation};
        let model = "anthropic.claude-3-5-sonnet-20240620-v1:0";
        let gateway = read(ids(json!({}))).unwrap();
        let (sent_base, signed_base) = (
            gateway.runtime_base("eu-west-3"),
            regional_endpoint("eu-west-3").unwrap(),
        );
        let sent = operation_url(&sent_base, model, Operation::ConverseStream);
        let signed = operation_url(&signed_base, model, Operation::ConverseStream);
        assert_eq!(
            sent,
            "https://gateway.ai.cloudflare.com/v1/acct/gw/aws-bedrock/bedrock-runtime/eu-west-3/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream"
        );
        assert_eq!(
            signed,
            "https://bedrock-runtime.eu-west-3.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream"
        );
        // What the gateway forwards after its prefix is the signed path, encoded the same way.
        assert_eq!(
            sent.strip_prefix(&sent_base),
            signed.strip_prefix(&signed_base)
        );
    }

    #[test]
    fn the_token_comes_from_the_option_else_the_environment() {
        let env = || {
            Some((
                ("CF_AIG_TOKEN", " in the env option"),
                "env-token".to_string(),
            ))
        };
        let base = ids(json!({"byok": true, "baseUrl": "http://127.0.0.1:4010/"}));
        let gateway = Gateway::read(&base, false, env).unwrap();
        assert_eq!(gateway.token(), Some("env-token"));
        assert!(gateway.byok());
        assert_eq!(
            gateway.runtime_base("eu-west-1"),
            "http://127.0.0.1:4010/v1/acct/gw/aws-bedrock/bedrock-runtime/eu-west-1"
        );
        let mut with_token = base.clone();
        with_token["token"] = json!("option-token");
        let gateway = Gateway::read(&with_token, false, env).unwrap();
        assert_eq!(gateway.token(), Some("option-token"));
        let bad_env = || Some((("CF_AIG_TOKEN", " in process.env"), "tok\nen".to_string()));
        assert_eq!(
            Gateway::read(&base, false, bad_env).unwrap_err().message(),
            "CF_AIG_TOKEN in process.env contains a line feed; it must be printable ASCII"
        );
        assert!(read(ids(json!({}))).unwrap().headers().is_empty());
    }

    #[test]
    fn bad_options_are_type_errors_naming_the_member_and_never_the_token() {
        let ttl = "aiGateway.cacheTtl must be a whole number of seconds from 60 to 2592000";
        let ids_rule = "aiGateway.gatewayId must be 1 to 64 letters, digits, - or _";
        let metadata =
            "aiGateway.metadata must be an object of at most 5 string, number or boolean entries";
        for (value, want) in [
            (json!("acct/gw"), "aiGateway must be an object"),
            (
                json!({"gatewayId": "gw"}),
                "aiGateway.accountId must be 1 to 64",
            ),
            (json!({"accountId": "acct"}), ids_rule),
            (
                ids(json!({"accountId": "../x"})),
                "aiGateway.accountId must be 1 to 64",
            ),
            (ids(json!({"gatewayId": "a b"})), ids_rule),
            (ids(json!({"gatewayId": "x".repeat(65)})), ids_rule),
            (
                ids(json!({"gatewayId": 7})),
                "aiGateway.gatewayId must be a string",
            ),
            (ids(json!({"tokn": "x"})), "unknown aiGateway member `tokn`"),
            (
                ids(json!({"byok": "yes"})),
                "aiGateway.byok must be a boolean",
            ),
            (
                ids(json!({"skipCache": 1})),
                "aiGateway.skipCache must be a boolean",
            ),
            (ids(json!({"cacheTtl": "60"})), ttl),
            (ids(json!({"cacheTtl": 59})), ttl),
            (ids(json!({"cacheTtl": 60.5})), ttl),
            (ids(json!({"cacheTtl": 2_592_001})), ttl),
            (ids(json!({"metadata": [1]})), metadata),
            (ids(json!({"metadata": {"a": {"b": 1}}})), metadata),
            (ids(json!({"metadata": {"a": null}})), metadata),
            (
                ids(json!({"metadata": {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6}})),
                metadata,
            ),
            (
                ids(json!({"baseUrl": "http://gateway.example.com"})),
                "aiGateway.baseUrl is http:// to gateway.example.com, which is not this machine",
            ),
            (
                ids(json!({"baseUrl": "ftp://x"})),
                "aiGateway.baseUrl must be an http(s)://host",
            ),
            (
                ids(json!({"token": ""})),
                "aiGateway.token must be a non-empty string",
            ),
            (
                ids(json!({"token": "secret-tökén"})),
                "aiGateway.token contains a non-ASCII character; it must be printable ASCII",
            ),
        ] {
            let error = read(value).unwrap_err();
            assert!(error.is_invalid_input(), "{error}");
            let got = error.message();
            assert!(got.starts_with(want), "{got} / {want}");
            assert!(!got.contains("secret"), "{got}");
        }
        let plain = ids(json!({"baseUrl": "http://gateway.example.com"}));
        assert!(
            Gateway::read(&plain, true, || None).is_ok(),
            "allowInsecureEndpoint"
        );
        for base_url in [
            "http://localhost:8787",
            "http://127.0.0.2",
            "http://[::1]:80/x",
            "https://gw.example.com/base",
        ] {
            assert!(
                read(ids(json!({"baseUrl": base_url}))).is_ok(),
                "{base_url}"
            );
        }
        let five = json!({"metadata": {"a": 1, "b": "2", "c": true, "d": 4.5, "e": "\u{7f}"}});
        let gateway = read(ids(five)).unwrap();
        assert_eq!(
            gateway.headers()[0].1,
            r#"{"a":1,"b":"2","c":true,"d":4.5,"e":"\u007f"}"#
        );
    }
}
