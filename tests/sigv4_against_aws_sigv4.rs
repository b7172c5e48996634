//! Our SigV4 signer (`bedrock_edge::signing`) against the AWS SDK's own, `aws-sigv4`, on random
//! requests: the reference it replaced in the wasm (33 KiB of gzip with the crates it brings)
//! stays here, in host tests only, so that a bug of ours cannot hide.
#![cfg(not(target_arch = "wasm32"))]

use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, PercentEncodingMode, SessionTokenMode, SignableBody,
    SignableRequest, SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bedrock_edge::signing::{
    sign_request, time_from_epoch_millis, Credentials, SignableHttpRequest, SigningOptions,
};
use std::time::SystemTime;

fn reference(
    request: &SignableHttpRequest<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    options: &SigningOptions,
) -> Result<Vec<(String, String)>, String> {
    let identity: Identity = aws_credential_types::Credentials::new(
        credentials.access_key_id.as_str(),
        credentials.secret_access_key.as_str(),
        credentials.session_token.clone(),
        None,
        "x",
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
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new(
        request.method,
        request.url,
        request
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(request.body),
    )
    .map_err(|e| format!("url {e}"))?;
    let output = sign(signable, &params).map_err(|e| format!("sign {e}"))?;
    let (headers, _) = output.into_parts().0.into_parts();
    Ok(headers
        .into_iter()
        .map(|h| (h.name().to_string(), h.value().to_string()))
        .collect())
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn text(&mut self, atoms: &[&str], max: usize) -> String {
        (0..self.below(max + 1)).map(|_| self.pick(atoms)).collect()
    }
}

/// 20,000 random requests (URLs with odd paths, queries and hosts, headers with odd names and
/// values, session tokens, the four options, times across two centuries), signed by our signer
/// and by aws-sigv4: every request both sign has the same headers; aws-sigv4 refuses nothing
/// we sign; what we alone refuse is a URL that `fetch` would re-encode (so no signature would
/// match it).
#[test]
fn our_signer_agrees_with_aws_sigv4() {
    let n = 20_000;
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let path_atoms = [
        "/", "a", "Z", ".", "..", "//", "%3A", "%2F", "%25", "%20", "-", "_", "~", "!", "$", "&",
        "'", "(", ")", "*", "+", ",", ";", "=", ":", "@", "é", " ", "%zz", "%", "\"", "{", "}",
        "|", "^", "`", "[", "]",
    ];
    let query_atoms = [
        "a",
        "B",
        "=",
        "&",
        "+",
        "%2B",
        "%20",
        "%3D",
        "%26",
        "%zz",
        "%",
        "%e1%88%b4",
        "%ff",
        "~",
        "-",
        ".",
        "*",
        "!",
        "'",
        ",",
        ";",
        ":",
        "@",
        "/",
        "?",
        "é",
        " ",
        "%7E",
        "1",
        "0",
    ];
    let name_atoms = [
        "x",
        "X",
        "-",
        "a",
        "Amz",
        "Host",
        "host",
        "user-agent",
        "Authorization",
        "x-amz-date",
        "X-Amz-Security-Token",
        "x-amz-content-sha256",
        "transfer-encoding",
        "x-amzn-trace-id",
        "content-type",
        "Content-Type",
        "!",
        "#",
        "~",
        "_",
        " ",
        ":",
        "é",
        "\t",
        "\"",
        "(",
        ".",
    ];
    let value_atoms = [
        "v",
        " ",
        "  ",
        "\t",
        ",",
        "a b",
        "é",
        "\n",
        "\r",
        "\u{7f}",
        "\u{1}",
        ";",
        "=",
        ":",
        "application/json",
        "\u{a0}",
    ];
    let hosts = [
        "h",
        "example.com",
        "h:443",
        "h:80",
        "h:8443",
        "127.0.0.1:4010",
        "[::1]",
        "[::1]:443",
        "[::1]:8443",
        "H.Example",
        "u@h",
        "h:",
        "h:0443",
    ];
    let schemes = ["https", "http", "HTTPS", "Http", "ftp", "wss"];
    let (mut same, mut both_err, mut ref_only_err, mut ours_only_err, mut differ) = (0, 0, 0, 0, 0);
    for i in 0..n {
        let mut url = format!("{}://{}", rng.pick(&schemes), rng.pick(&hosts));
        let dirty = rng.below(10) == 0;
        if rng.below(5) > 0 {
            url.push('/');
            url += &rng.text(
                if dirty {
                    &path_atoms
                } else {
                    &path_atoms[..26]
                },
                8,
            );
        }
        if rng.below(2) == 0 {
            url.push('?');
            url += &rng.text(
                if dirty {
                    &query_atoms
                } else {
                    &query_atoms[..25]
                },
                10,
            );
        }
        if rng.below(10) == 0 {
            url += "#";
            url += &rng.text(&path_atoms, 3);
        }
        let headers: Vec<(String, String)> = (0..rng.below(6))
            .map(|_| {
                let d = rng.below(10) == 0;
                let name = rng.text(if d { &name_atoms } else { &name_atoms[..17] }, 3);
                let value = if rng.below(20) == 0 {
                    rng.text(&value_atoms, 5)
                } else {
                    rng.text(&value_atoms[..7], 5)
                };
                (name, value)
            })
            .collect::<Vec<_>>()
            .into_iter()
            .filter(|(n, _)| !n.is_empty())
            .collect();
        let credentials = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: if rng.below(3) == 0 {
                "k".repeat(rng.below(100))
            } else {
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into()
            },
            session_token: match rng.below(4) {
                0 => None,
                1 => {
                    let d = rng.below(10) == 0;
                    Some(rng.text(if d { &value_atoms } else { &value_atoms[..7] }, 4))
                }
                _ => Some("tok+/=en".into()),
            },
        };
        let options = SigningOptions {
            double_uri_encode: rng.below(2) == 0,
            normalize_path: rng.below(2) == 0,
            sign_payload_header: rng.below(2) == 0,
            omit_session_token: rng.below(3) == 0,
        };
        let body = rng.text(&query_atoms, 6);
        let method = rng.pick(&["GET", "POST", "put"]);
        let secs = (rng.next() % 8_000_000_000) as i64 - 1_000_000_000 + (rng.below(1000) as i64);
        let ms = secs as f64 * 1000.0 + rng.below(1000) as f64;
        let time = time_from_epoch_millis(ms);
        let request = SignableHttpRequest {
            method,
            url: &url,
            headers: &headers,
            body: body.as_bytes(),
        };
        let region = rng.pick(&["us-east-1", "eu-west-3"]);
        let expected = std::panic::catch_unwind(|| {
            reference(&request, &credentials, region, "bedrock", time, &options)
        });
        let actual = sign_request(&request, &credentials, region, "bedrock", time, &options);
        match (expected, actual) {
            (Ok(Ok(e)), Ok(a)) if e == a => same += 1,
            (Ok(Ok(e)), Ok(a)) => {
                differ += 1;
                if differ < 10 {
                    eprintln!(
                        "#{i} DIFFER {url:?} {headers:?} {options:?}\n  ref  {e:?}\n  ours {a:?}"
                    );
                }
            }
            (Ok(Ok(_)), Err(a)) => {
                ours_only_err += 1;
                assert_eq!(a.message(), "cannot sign: invalid url", "{url}");
            }
            (Ok(Err(_)) | Err(_), Err(_)) => both_err += 1,
            (Ok(Err(e)), Ok(_)) => {
                ref_only_err += 1;
                if ref_only_err < 10 {
                    eprintln!("#{i} REF-ONLY ERR {url:?} {headers:?}: {e}");
                }
            }
            (Err(_), Ok(_)) => {
                ref_only_err += 1;
                if ref_only_err < 10 {
                    eprintln!("#{i} REF PANIC {url:?} {headers:?}");
                }
            }
        }
    }
    println!("cases {n}: same {same}, both refuse {both_err}, only aws-sigv4 refuses/panics {ref_only_err}, only ours refuses {ours_only_err}, different output {differ}");
    assert_eq!(
        (differ, ref_only_err),
        (0, 0),
        "disagreements with aws-sigv4"
    );
    assert!(same > n / 3, "too few requests signed by both: {same}");
}
