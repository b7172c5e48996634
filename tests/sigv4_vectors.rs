//! The public SigV4 suites, run through `bedrock_edge::signing::sign_request`.
//!
//! Vectors are read from `shared/vectors/sigv4/` next to the repo, never copied here.
//!
//! The classic and CRT suites write *raw* (unencoded) paths in their request files
//! (`/example space/`, `/ሴ`, `/example/$delete`) and expect the canonical URI to be that path
//! URI-encoded once. `sign_request` takes the *wire* URL instead, so the harness first encodes
//! the raw path the way an SDK encodes a label (everything but unreserved characters and `/`),
//! then signs with `double_uri_encode: false`: the wire path is already the canonical URI.
//! Where the raw path is a legal URI path, the test also signs the raw path with
//! `double_uri_encode: true` (the Bedrock default, and how aws-sigv4's own test.rs runs the
//! suite) and requires the same Authorization. The smithy-rs extras and the Bedrock cases use
//! wire paths and the default double encoding.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use bedrock_edge::signing::{
    sign_request, time_from_epoch_millis, Credentials, SignableHttpRequest, SigningOptions,
    BEDROCK_SIGNING_NAME,
};
use serde_json::Value;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/sigv4");

const SUITE_AKID: &str = "AKIDEXAMPLE";
const SUITE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SUITE_REGION: &str = "us-east-1";
const SUITE_SERVICE: &str = "service";
const SUITE_TIME: &str = "2015-08-30T12:36:00Z";

/// The 38 CRT v4 tests (also the names of the presigned variants; [`crt_v4_presigned`] is
/// ignored, with the reason).
const CRT_V4_TESTS: [&str; 38] = [
    "get-header-key-duplicate",
    "get-header-value-multiline",
    "get-header-value-order",
    "get-header-value-trim",
    "get-relative-normalized",
    "get-relative-relative-normalized",
    "get-relative-relative-unnormalized",
    "get-relative-unnormalized",
    "get-slash-dot-slash-normalized",
    "get-slash-dot-slash-unnormalized",
    "get-slash-normalized",
    "get-slash-pointless-dot-normalized",
    "get-slash-pointless-dot-unnormalized",
    "get-slash-unnormalized",
    "get-slashes-normalized",
    "get-slashes-unnormalized",
    "get-space-normalized",
    "get-space-unnormalized",
    "get-unreserved",
    "get-utf8",
    "get-vanilla",
    "get-vanilla-empty-query-key",
    "get-vanilla-query",
    "get-vanilla-query-order-encoded",
    "get-vanilla-query-order-key-case",
    "get-vanilla-query-unreserved",
    "get-vanilla-utf8-query",
    "get-vanilla-with-session-token",
    "post-header-key-case",
    "post-header-key-sort",
    "post-header-value-case",
    "post-sts-header-after",
    "post-sts-header-before",
    "post-vanilla",
    "post-vanilla-empty-query-value",
    "post-vanilla-query",
    "post-x-www-form-urlencoded",
    "post-x-www-form-urlencoded-parameters",
];

/// The 40 CRT v4a tests; [`crt_v4a`] is ignored, with the reason.
const CRT_V4A_TESTS: [&str; 40] = [
    "get-header-key-duplicate",
    "get-header-value-multiline",
    "get-header-value-order",
    "get-header-value-trim",
    "get-relative-normalized",
    "get-relative-relative-normalized",
    "get-relative-relative-unnormalized",
    "get-relative-unnormalized",
    "get-slash-dot-slash-normalized",
    "get-slash-dot-slash-unnormalized",
    "get-slash-normalized",
    "get-slash-pointless-dot-normalized",
    "get-slash-pointless-dot-unnormalized",
    "get-slash-unnormalized",
    "get-slashes-normalized",
    "get-slashes-unnormalized",
    "get-space-normalized",
    "get-space-unnormalized",
    "get-unreserved",
    "get-utf8",
    "get-vanilla",
    "get-vanilla-empty-query-key",
    "get-vanilla-query",
    "get-vanilla-query-order-encoded",
    "get-vanilla-query-order-key",
    "get-vanilla-query-order-key-case",
    "get-vanilla-query-order-value",
    "get-vanilla-query-unreserved",
    "get-vanilla-utf8-query",
    "get-vanilla-with-session-token",
    "post-header-key-case",
    "post-header-key-sort",
    "post-header-value-case",
    "post-sts-header-after",
    "post-sts-header-before",
    "post-vanilla",
    "post-vanilla-empty-query-value",
    "post-vanilla-query",
    "post-x-www-form-urlencoded",
    "post-x-www-form-urlencoded-parameters",
];

/// Classic tests whose `.sreq` carries an Authorization that disagrees with their `.authz`
/// (an upstream slip: the `.sreq` signature is the session token shuffled). `.authz` wins.
const CLASSIC_SREQ_AUTHZ_DIFFERS: [&str; 1] = ["get-vanilla-with-session-token"];

// ----------------------------------------------------------------------------------------------
// Raw HTTP request files

/// A request file: request line, headers (obs-fold lines joined), blank line, body.
struct RawRequest {
    method: String,
    /// The request target exactly as written (raw path, `?`, raw query).
    target: String,
    host: String,
    /// Headers other than `Host`, in file order, values without surrounding whitespace.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn read(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .replace("\r\n", "\n")
}

fn parse_request(text: &str) -> RawRequest {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().expect("request line");
    // The target may hold raw spaces (`GET /example space/ HTTP/1.1`).
    let (method, rest) = request_line.split_once(' ').expect("method");
    let target = match rest.rsplit_once(' ') {
        Some((target, version)) if version.starts_with("HTTP/") => target,
        _ => rest,
    };
    let mut host = String::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            // Obsolete line folding (RFC 7230 §3.2.4): replace the fold with one space.
            let (_, value) = headers.last_mut().expect("continuation after a header");
            value.push(' ');
            value.push_str(line.trim());
            continue;
        }
        let (name, value) = line.split_once(':').expect("header line");
        if name.eq_ignore_ascii_case("host") {
            host = value.trim().to_string();
        } else {
            headers.push((name.to_string(), value.trim().to_string()));
        }
    }
    assert!(!host.is_empty(), "request without a Host header");
    RawRequest {
        method: method.to_string(),
        target: target.to_string(),
        host,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn percent_encode(text: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if keep(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl RawRequest {
    fn raw_path_and_query(&self) -> (&str, Option<&str>) {
        match self.target.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (&self.target, None),
        }
    }

    /// The query as a URL parser sends it: bytes illegal in a URI (space, non-ASCII) encoded,
    /// the rest (including existing `%XX`) kept. aws-sigv4 decodes and re-encodes the query.
    fn wire_query(&self) -> String {
        match self.raw_path_and_query().1 {
            Some(query) => {
                let keep = |b: u8| b.is_ascii_graphic() && !b"\"<>\\^`{|}#".contains(&b);
                format!("?{}", percent_encode(query, keep))
            }
            None => String::new(),
        }
    }

    /// The wire URL with the raw path URI-encoded once (what an SDK sends).
    fn encoded_url(&self) -> String {
        let path = percent_encode(self.raw_path_and_query().0, |b| {
            is_unreserved(b) || b == b'/'
        });
        format!("https://{}{}{}", self.host, path, self.wire_query())
    }

    /// The wire URL with the raw path as written, when that path is a legal URI path
    /// (RFC 3986 `pchar` and `/`, no `%`).
    fn raw_url(&self) -> Option<String> {
        let path = self.raw_path_and_query().0;
        let legal = path
            .bytes()
            .all(|b| is_unreserved(b) || b"/!$&'()*+,;=:@".contains(&b));
        legal.then(|| format!("https://{}{}{}", self.host, path, self.wire_query()))
    }
}

// ----------------------------------------------------------------------------------------------
// Helpers

fn suite_credentials(session_token: Option<String>) -> Credentials {
    Credentials {
        access_key_id: SUITE_AKID.into(),
        secret_access_key: SUITE_SECRET.into(),
        session_token,
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` or `YYYYMMDDTHHMMSSZ` to a `SystemTime`, through the public helper.
fn parse_time(text: &str) -> SystemTime {
    let digits: Vec<i64> = text
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| i64::from(b - b'0'))
        .collect();
    assert_eq!(digits.len(), 14, "unsupported time {text}");
    let num = |range: std::ops::Range<usize>| digits[range].iter().fold(0, |n, d| n * 10 + d);
    let (y, m, d) = (num(0..4), num(4..6), num(6..8));
    // Days from civil (Howard Hinnant), proleptic Gregorian, March-based year.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    let secs = days * 86_400 + num(8..10) * 3_600 + num(10..12) * 60 + num(12..14);
    time_from_epoch_millis((secs * 1_000) as f64)
}

struct Signing<'a> {
    method: &'a str,
    url: &'a str,
    headers: &'a [(String, String)],
    body: &'a [u8],
    credentials: &'a Credentials,
    region: &'a str,
    service: &'a str,
    time: SystemTime,
    options: &'a SigningOptions,
}

impl Signing<'_> {
    fn sign(&self) -> Result<Vec<(String, String)>, String> {
        let request = SignableHttpRequest {
            method: self.method,
            url: self.url,
            headers: self.headers,
            body: self.body,
        };
        sign_request(
            &request,
            self.credentials,
            self.region,
            self.service,
            self.time,
            self.options,
        )
        .map_err(|e| format!("sign_request failed for {}: {e}", self.url))
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn authorization(headers: &[(String, String)]) -> Result<&str, String> {
    header(headers, "authorization").ok_or_else(|| "no authorization header returned".into())
}

fn signature_of(authz: &str) -> &str {
    authz.rsplit_once("Signature=").map_or("", |(_, s)| s)
}

fn check_eq(what: &str, expected: &str, actual: &str) -> Result<(), String> {
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{what} differs\n  expected: {expected}\n  actual:   {actual}"
        ))
    }
}

fn lowered(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect()
}

/// `all` minus one occurrence of each of `remove`, sorted.
fn multiset_minus(all: &[(String, String)], remove: &[(String, String)]) -> Vec<(String, String)> {
    let mut left = lowered(all);
    for item in lowered(remove) {
        if let Some(i) = left.iter().position(|x| *x == item) {
            left.remove(i);
        }
    }
    left.sort();
    left
}

/// The headers the signed request file adds to the original are exactly the returned ones.
fn check_added_headers(
    original: &RawRequest,
    signed: &RawRequest,
    returned: &[(String, String)],
) -> Result<(), String> {
    let expected = multiset_minus(&signed.headers, &original.headers);
    let actual = multiset_minus(returned, &original.headers);
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "added headers differ\n  expected: {expected:?}\n  actual:   {actual:?}"
        ))
    }
}

/// Runs every case, prints the summary line, fails with all failures listed at once.
fn report(suite: &str, results: Vec<(String, Result<(), String>)>) -> usize {
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(name, r)| r.as_ref().err().map(|e| format!("{name}: {e}")))
        .collect();
    let passed = results.len() - failures.len();
    eprintln!("sigv4 {suite}: {passed} passed");
    assert!(
        failures.is_empty(),
        "{} failure(s) in {suite}:\n{}",
        failures.len(),
        failures.join("\n")
    );
    passed
}

fn sorted_dir_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().unwrap().is_dir())
        .map(|entry| entry.file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn sorted(names: impl IntoIterator<Item = impl Into<String>>) -> Vec<String> {
    let mut v: Vec<String> = names.into_iter().map(Into::into).collect();
    v.sort();
    v
}

// ----------------------------------------------------------------------------------------------
// classic-aws4_testsuite

/// Every `NAME.req` under the classic suite, as `(relative test dir, path to NAME without ext)`.
fn classic_tests(root: &Path) -> Vec<(String, PathBuf)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "req") {
                let rel = path.parent().unwrap().strip_prefix(root).unwrap();
                out.push((rel.to_string_lossy().into_owned(), path.with_extension("")));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// Session token and `omit_session_token` for the classic tests that use one. The suite keeps
/// the STS token in `post-sts-token/readme.txt`; `get-vanilla-with-session-token` uses the
/// token of the CRT test of the same name.
fn classic_session(name: &str) -> (Option<String>, bool) {
    let readme_token = || {
        let readme =
            read(&Path::new(VECTORS).join("classic-aws4_testsuite/post-sts-token/readme.txt"));
        let (_, token) = readme
            .split_once("value for X-Amz-Security-Token:")
            .expect("token in readme");
        token.trim().to_string()
    };
    match name {
        "get-vanilla-with-session-token" => {
            let ctx = crt_context("get-vanilla-with-session-token");
            let token = ctx["credentials"]["token"].as_str().unwrap().to_string();
            (Some(token), false)
        }
        "post-sts-token/post-sts-header-before" => (Some(readme_token()), false),
        "post-sts-token/post-sts-header-after" => (Some(readme_token()), true),
        _ => (None, false),
    }
}

fn run_classic(name: &str, base: &Path) -> Result<(), String> {
    let request = parse_request(&read(&base.with_extension("req")));
    let expected_authz = read(&base.with_extension("authz")).trim().to_string();
    let signed = parse_request(&read(&base.with_extension("sreq")));
    let (token, omit_session_token) = classic_session(name);
    let credentials = suite_credentials(token);
    let time = parse_time(SUITE_TIME);

    let url = request.encoded_url();
    let options = SigningOptions {
        double_uri_encode: false,
        omit_session_token,
        ..SigningOptions::default()
    };
    let signing = Signing {
        method: &request.method,
        url: &url,
        headers: &request.headers,
        body: &request.body,
        credentials: &credentials,
        region: SUITE_REGION,
        service: SUITE_SERVICE,
        time,
        options: &options,
    };
    let returned = signing.sign()?;
    check_eq("Authorization", &expected_authz, authorization(&returned)?)?;

    // The signed request adds exactly our headers (its Authorization aside where upstream slipped).
    let short_name = name.rsplit('/').next().unwrap();
    let mut signed_headers = signed.headers.clone();
    let sreq_authz = header(&signed.headers, "authorization")
        .unwrap_or_default()
        .to_string();
    if CLASSIC_SREQ_AUTHZ_DIFFERS.contains(&short_name) {
        if sreq_authz == expected_authz {
            return Err("listed in CLASSIC_SREQ_AUTHZ_DIFFERS but .sreq agrees now".into());
        }
        signed_headers.retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
        signed_headers.push(("authorization".into(), expected_authz.clone()));
    }
    let signed = RawRequest {
        headers: signed_headers,
        ..signed
    };
    check_added_headers(&request, &signed, &returned)?;

    // Same result from the raw path with double encoding (how aws-sigv4's test.rs runs it).
    if let Some(raw_url) = request.raw_url() {
        let double = SigningOptions {
            double_uri_encode: true,
            ..options.clone()
        };
        let returned = Signing {
            url: &raw_url,
            options: &double,
            ..signing
        }
        .sign()?;
        check_eq(
            "Authorization (raw path, double encoding)",
            &expected_authz,
            authorization(&returned)?,
        )?;
    }
    Ok(())
}

#[test]
fn classic_aws4_testsuite() {
    let root = Path::new(VECTORS).join("classic-aws4_testsuite");
    let tests = classic_tests(&root);
    let results: Vec<(String, Result<(), String>)> = tests
        .iter()
        .map(|(name, base)| (name.clone(), run_classic(name, base)))
        .collect();
    assert_eq!(tests.len(), 34, "classic suite size");
    let passed = report("classic-aws4_testsuite", results);
    assert_eq!(passed, 34);
}

// ----------------------------------------------------------------------------------------------
// crt-aws-signing-test-suite

fn crt_dir(collection: &str) -> PathBuf {
    Path::new(VECTORS)
        .join("crt-aws-signing-test-suite")
        .join(collection)
}

fn crt_context(name: &str) -> Value {
    let text = read(&crt_dir("v4").join(name).join("context.json"));
    serde_json::from_str(&text).expect("context.json")
}

fn run_crt_v4(name: &str) -> Result<(), String> {
    let dir = crt_dir("v4").join(name);
    let ctx = crt_context(name);
    let creds = &ctx["credentials"];
    let credentials = Credentials {
        access_key_id: creds["access_key_id"].as_str().unwrap().into(),
        secret_access_key: creds["secret_access_key"].as_str().unwrap().into(),
        session_token: creds["token"].as_str().map(String::from),
    };
    let options = SigningOptions {
        double_uri_encode: false,
        normalize_path: ctx["normalize"].as_bool().expect("normalize"),
        sign_payload_header: ctx["sign_body"].as_bool().expect("sign_body"),
        omit_session_token: ctx["omit_session_token"].as_bool().unwrap_or(false),
    };
    let request = parse_request(&read(&dir.join("request.txt")));
    let url = request.encoded_url();
    let signing = Signing {
        method: &request.method,
        url: &url,
        headers: &request.headers,
        body: &request.body,
        credentials: &credentials,
        region: ctx["region"].as_str().unwrap(),
        service: ctx["service"].as_str().unwrap(),
        time: parse_time(ctx["timestamp"].as_str().unwrap()),
        options: &options,
    };
    let returned = signing.sign()?;
    let authz = authorization(&returned)?;
    let expected_signature = read(&dir.join("header-signature.txt"));
    check_eq("signature", expected_signature.trim(), signature_of(authz))?;
    let signed = parse_request(&read(&dir.join("header-signed-request.txt")));
    check_added_headers(&request, &signed, &returned)?;

    if let Some(raw_url) = request.raw_url() {
        let double = SigningOptions {
            double_uri_encode: true,
            ..options.clone()
        };
        let again = Signing {
            url: &raw_url,
            options: &double,
            ..signing
        }
        .sign()?;
        check_eq(
            "Authorization (raw path, double encoding)",
            authz,
            authorization(&again)?,
        )?;
    }
    Ok(())
}

#[test]
fn crt_v4() {
    let names = sorted_dir_names(&crt_dir("v4"));
    assert_eq!(names, sorted(CRT_V4_TESTS), "CRT v4 test list");
    // All 38 run: the harness parses multi-line headers and encodes raw spaces and UTF-8
    // itself, so the five tests aws-sigv4's test.rs ignores pass here.
    let results = names
        .iter()
        .map(|name| (name.clone(), run_crt_v4(name)))
        .collect();
    let passed = report("crt-v4", results);
    assert_eq!(passed, 38);
}

/// Fails for every vector: the check these vectors call for has no API to run through.
fn unsupported(suite: &str, names: &[&str], why: &str) {
    let results = names
        .iter()
        .map(|name| (name.to_string(), Err(why.to_string())))
        .collect();
    report(suite, results);
}

#[test]
#[ignore = "presigned URLs (the query-* variants) are not part of the bedrock-edge API: sign_request only signs headers"]
fn crt_v4_presigned() {
    for name in CRT_V4_TESTS {
        let dir = crt_dir("v4").join(name);
        assert!(dir.join("query-signature.txt").is_file(), "{name}");
    }
    unsupported(
        "crt-v4-presigned",
        &CRT_V4_TESTS,
        "no presigning API to compare query-signature.txt with",
    );
}

#[test]
#[ignore = "SigV4a (ECDSA P-256) is not implemented: Bedrock uses SigV4"]
fn crt_v4a() {
    assert_eq!(
        sorted_dir_names(&crt_dir("v4a")),
        sorted(CRT_V4A_TESTS),
        "CRT v4a test list"
    );
    unsupported(
        "crt-v4a",
        &CRT_V4A_TESTS,
        "bedrock-edge signs with SigV4 only, not SigV4a",
    );
}

// ----------------------------------------------------------------------------------------------
// smithy-rs-extra

/// One smithy-rs case. Parameters are the ones smithy-rs signs with (see the vectors README);
/// the request paths are wire paths.
struct ExtraCase {
    name: &'static str,
    request: &'static str,
    akid: &'static str,
    secret: &'static str,
    region: &'static str,
    service: &'static str,
    time: &'static str,
    double_uri_encode: bool,
    expected: Expected,
}

enum Expected {
    /// The Authorization in this signed-request file.
    SignedRequest(&'static str),
    /// The signature in this file.
    Signature(&'static str),
}

const EXTRA_CASES: [ExtraCase; 3] = [
    // Lambda ARN label: `%3A` on the wire, `%253A` in the canonical URI.
    ExtraCase {
        name: "double-url-encode",
        request: "smithy-rs-extra/double-url-encode/request.txt",
        akid: SUITE_AKID,
        secret: SUITE_SECRET,
        region: "us-east-2",
        service: "lambda",
        time: "20210511T154045Z",
        double_uri_encode: true,
        expected: Expected::SignedRequest(
            "smithy-rs-extra/double-url-encode/header-signed-request.txt",
        ),
    },
    // `@` and `%3D` on the wire: `%40` and `%253D` in the canonical URI (Credentials::for_tests).
    ExtraCase {
        name: "double-encode-path",
        request: "smithy-rs-extra/double-encode-path/request.txt",
        akid: "ANOTREAL",
        secret: "notrealrnrELgWzOk3IfjzDKtFBhDby",
        region: SUITE_REGION,
        service: SUITE_SERVICE,
        time: SUITE_TIME,
        double_uri_encode: true,
        expected: Expected::SignedRequest(
            "smithy-rs-extra/double-encode-path/header-signed-request.txt",
        ),
    },
    // smithy-rs' wire form (`%20`) of CRT get-space-normalized: single encoding reproduces the
    // CRT signature, which is why aws-sigv4 (always double) ignores that test.
    ExtraCase {
        name: "get-space-normalized.request.smithy-rs-variant",
        request: "smithy-rs-extra/get-space-normalized.request.smithy-rs-variant.txt",
        akid: SUITE_AKID,
        secret: SUITE_SECRET,
        region: SUITE_REGION,
        service: SUITE_SERVICE,
        time: SUITE_TIME,
        double_uri_encode: false,
        expected: Expected::Signature(
            "crt-aws-signing-test-suite/v4/get-space-normalized/header-signature.txt",
        ),
    },
];

fn run_extra(case: &ExtraCase) -> Result<(), String> {
    let request = parse_request(&read(&Path::new(VECTORS).join(case.request)));
    let url = format!("https://{}{}", request.host, request.target);
    let credentials = Credentials {
        access_key_id: case.akid.into(),
        secret_access_key: case.secret.into(),
        session_token: None,
    };
    let options = SigningOptions {
        double_uri_encode: case.double_uri_encode,
        ..SigningOptions::default()
    };
    let returned = Signing {
        method: &request.method,
        url: &url,
        headers: &request.headers,
        body: &request.body,
        credentials: &credentials,
        region: case.region,
        service: case.service,
        time: parse_time(case.time),
        options: &options,
    }
    .sign()?;
    let authz = authorization(&returned)?;
    match case.expected {
        Expected::SignedRequest(path) => {
            let signed = parse_request(&read(&Path::new(VECTORS).join(path)));
            let expected = header(&signed.headers, "authorization").ok_or("no Authorization")?;
            check_eq("Authorization", expected, authz)?;
            check_added_headers(&request, &signed, &returned)
        }
        Expected::Signature(path) => {
            let expected = read(&Path::new(VECTORS).join(path));
            check_eq("signature", expected.trim(), signature_of(authz))
        }
    }
}

#[test]
fn smithy_rs_extra() {
    let results = EXTRA_CASES
        .iter()
        .map(|case| (case.name.to_string(), run_extra(case)))
        .collect();
    let passed = report("smithy-rs-extra", results);
    assert_eq!(passed, 3);
}

// ----------------------------------------------------------------------------------------------
// bedrock-derived

fn run_bedrock(case: &Value) -> Result<(), String> {
    let req = &case["request"];
    let headers: Vec<(String, String)> = req["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_string()))
        .collect();
    let creds = &case["credentials"];
    let credentials = Credentials {
        access_key_id: creds["access_key_id"].as_str().unwrap().into(),
        secret_access_key: creds["secret_access_key"].as_str().unwrap().into(),
        session_token: creds["session_token"].as_str().map(String::from),
    };
    let service = case["service"].as_str().unwrap();
    check_eq("signing name", BEDROCK_SIGNING_NAME, service)?;
    let options = SigningOptions::default();
    let signing = Signing {
        method: req["method"].as_str().unwrap(),
        url: req["url"].as_str().unwrap(),
        headers: &headers,
        body: req["body"].as_str().unwrap().as_bytes(),
        credentials: &credentials,
        region: case["region"].as_str().unwrap(),
        service,
        time: parse_time(case["timestamp"].as_str().unwrap()),
        options: &options,
    };
    let returned = signing.sign()?;
    let authz = authorization(&returned)?;
    check_eq(
        "signature",
        case["signature"].as_str().unwrap(),
        signature_of(authz),
    )?;
    check_eq(
        "Authorization",
        case["authorization"].as_str().unwrap(),
        authz,
    )?;
    // The recorded x-amz-* headers are exactly what sign_request returns.
    for (name, value) in &returned {
        if name != "authorization" {
            let recorded = header(&headers, name).ok_or(format!("{name} not recorded"))?;
            check_eq(name, recorded, value)?;
        }
    }
    // A caller that has not set any x-amz-* header gets the same signature.
    let plain: Vec<(String, String)> = headers
        .iter()
        .filter(|(n, _)| !n.to_ascii_lowercase().starts_with("x-amz-"))
        .cloned()
        .collect();
    let again = Signing {
        headers: &plain,
        ..signing
    }
    .sign()?;
    check_eq(
        "Authorization without x-amz-* input",
        authz,
        authorization(&again)?,
    )
}

#[test]
fn bedrock_derived() {
    let text = read(&Path::new(VECTORS).join("bedrock-derived/bedrock-sigv4-cases.json"));
    let cases: Vec<Value> = serde_json::from_str(&text).expect("cases json");
    let results = cases
        .iter()
        .map(|case| {
            (
                case["name"].as_str().unwrap().to_string(),
                run_bedrock(case),
            )
        })
        .collect();
    let passed = report("bedrock-derived", results);
    assert_eq!(passed, 4);
}
