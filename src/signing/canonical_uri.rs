//! What SigV4 signs of the URL: the `host` header value, the canonical URI (path) and the
//! canonical query string.

use crate::uri_encode::encode_into;

/// The parts of an absolute wire URL that are signed.
pub struct UrlParts<'a> {
    /// The `host` header value: the authority, without the scheme's default port.
    pub host: &'a str,
    /// The path as sent (already percent-encoded); may be empty.
    pub path: &'a str,
    /// The query as sent, without the `?`; may be empty.
    pub query: &'a str,
}

/// Splits `scheme://authority/path?query#fragment`; `None` without a scheme or an authority.
pub fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    let (authority, rest) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    if scheme.is_empty() || authority.is_empty() {
        return None;
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => "",
    };
    let host = match default_port {
        "" => authority,
        port => authority.strip_suffix(port).unwrap_or(authority),
    };
    Some(UrlParts { host, path, query })
}

/// Whether `url` holds only characters RFC 3986 allows in a URI (unreserved, reserved and
/// `%`): what `fetch` sends unchanged, so that the signed URL is the one sent.
pub fn is_uri_text(url: &str) -> bool {
    url.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b))
}

/// The canonical URI of a wire `path`: `/` when empty, dot segments and repeated slashes
/// removed when `normalize`, then percent-encoded once more when `double_encode` (`%3A`
/// becomes `%253A`).
pub fn canonical_uri(path: &str, normalize: bool, double_encode: bool) -> String {
    let path = match (path, normalize) {
        ("", _) => "/".to_owned(),
        (path, true) => remove_dot_segments(path),
        (path, false) => path.to_owned(),
    };
    if !double_encode {
        return path;
    }
    let mut out = String::with_capacity(path.len() + 8);
    encode_into(&path, true, &mut out);
    out
}

/// RFC 3986 §5.2.4 on an absolute path, empty segments dropped too (`/a//./b/../c/` is
/// `/a/c/`); a path that ends in a slash, `/.` or `/..` keeps a trailing slash.
fn remove_dot_segments(path: &str) -> String {
    if !path.contains('.') && !path.contains("//") {
        return path.to_owned();
    }
    let mut kept: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            segment => kept.push(segment),
        }
    }
    let mut out = String::with_capacity(path.len());
    for segment in kept {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() || path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..") {
        out.push('/');
    }
    out
}

/// The canonical query string of a wire `query`: each `key=value` pair form-decoded (`+` is a
/// space), percent-encoded again, and the pairs sorted by encoded key, then encoded value.
/// Empty pairs are dropped; a key without `=` has an empty value.
pub fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (reencode(key), reencode(value))
        })
        .collect();
    sort_pairs(&mut pairs, true);
    let mut out = String::with_capacity(query.len() + 8);
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&key);
        out.push('=');
        out.push_str(&value);
    }
    out
}

/// Sorts name-value pairs by name; pairs of one name by value when `by_value` (the query's
/// rule), else in the order given (the headers'). One sort for both: the wasm holds one copy.
pub fn sort_pairs(pairs: &mut [(String, String)], by_value: bool) {
    pairs.sort_by(|a, b| {
        let by_name = a.0.cmp(&b.0);
        match by_value {
            true => by_name.then_with(|| a.1.cmp(&b.1)),
            false => by_name,
        }
    });
}

/// A query component form-decoded (`+` and `%XX`; a `%` without two hex digits stays, bytes
/// that are not UTF-8 become U+FFFD), then percent-encoded.
fn reencode(component: &str) -> String {
    let bytes = component.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex_digit = |at: usize| bytes.get(at).and_then(|&b| (b as char).to_digit(16));
        let byte = match (bytes[i], hex_digit(i + 1), hex_digit(i + 2)) {
            (b'+', _, _) => b' ',
            (b'%', Some(high), Some(low)) => {
                i += 2;
                (high * 16 + low) as u8
            }
            (byte, _, _) => byte,
        };
        decoded.push(byte);
        i += 1;
    }
    let mut out = String::with_capacity(bytes.len());
    encode_into(&String::from_utf8_lossy(&decoded), false, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_drops_only_the_default_port() {
        let host = |url| split_url(url).unwrap().host;
        assert_eq!(host("https://h.example:443/x"), "h.example");
        assert_eq!(host("HTTP://h:80"), "h");
        assert_eq!(host("http://h:443/"), "h:443");
        assert_eq!(host("https://h:8443/"), "h:8443");
        assert_eq!(host("https://[::1]:443/"), "[::1]");
        assert_eq!(host("http://[::1]:4010/"), "[::1]:4010");
        for bad in ["", "/x", "https://", "https:///x", "://h/", "h/x?a"] {
            assert!(split_url(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn only_rfc_3986_characters_make_a_uri() {
        assert!(is_uri_text(
            "https://[::1]:8443/a-._~!$&'()*+,;=:@%20/x?q=1#f"
        ));
        for bad in [
            " ", "\"", "<", ">", "\\", "^", "`", "{", "|", "}", "\u{7f}", "\n", "é",
        ] {
            assert!(!is_uri_text(&format!("https://h/{bad}")), "{bad}");
        }
    }

    #[test]
    fn path_and_query_are_split_and_the_fragment_dropped() {
        let parts = split_url("https://h/a/b?x=1&y#frag?z").unwrap();
        assert_eq!((parts.path, parts.query), ("/a/b", "x=1&y"));
        let parts = split_url("https://h?q").unwrap();
        assert_eq!((parts.path, parts.query), ("", "q"));
    }

    #[test]
    fn canonical_uri_normalizes_and_double_encodes_as_asked() {
        assert_eq!(canonical_uri("", false, false), "/");
        assert_eq!(canonical_uri("/a//./b/../c/", true, false), "/a/c/");
        assert_eq!(
            canonical_uri("/a//./b/../c/", false, false),
            "/a//./b/../c/"
        );
        assert_eq!(canonical_uri("/../..", true, false), "/");
        assert_eq!(canonical_uri("/a/b/.", true, false), "/a/b/");
        assert_eq!(canonical_uri("/a/b/..", true, false), "/a/");
        assert_eq!(canonical_uri("/m/a%3A0/x", true, true), "/m/a%253A0/x");
        assert_eq!(canonical_uri("/m/a%3A0/x", true, false), "/m/a%3A0/x");
        assert_eq!(canonical_uri("/a@b=c", false, true), "/a%40b%3Dc");
    }

    #[test]
    fn canonical_query_decodes_reencodes_and_sorts() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("b=2&a=1&&a=0"), "a=0&a=1&b=2");
        assert_eq!(canonical_query("k&Param=v"), "Param=v&k=");
        assert_eq!(canonical_query("a+b=%2B%7e~&c=x=y"), "a%20b=%2B~~&c=x%3Dy");
        assert_eq!(canonical_query("p=%zz%4"), "p=%25zz%254");
        assert_eq!(canonical_query("%E1%88%B4=%ff"), "%E1%88%B4=%EF%BF%BD");
    }
}
