//! What a credential, an API key or an endpoint may hold: printable ASCII. They travel in HTTP
//! headers (or the URL), where `fetch` refuses a line feed or a character beyond Latin-1 and
//! SigV4 signs UTF-8 bytes that a Latin-1 header would not carry; no real one holds anything
//! else. [`check_header_text`] says which option is at fault before anything is sent, and
//! never repeats the value, which may be a secret.

use crate::Error;

/// An option's name as messages give it, in two parts that are joined: `("apiKey", "")`,
/// `("credentials.", "sessionToken")`, `("AWS_REGION", " in process.env")`. Two parts, so that
/// no caller formats a name that no message may need.
pub type Name<'a> = (&'a str, &'a str);

/// `Ok` when `value` is printable ASCII (space to `~`); else a `TypeError` that names `what`
/// and the kind of character found, but not the value.
pub fn check_header_text(what: Name, value: &str) -> Result<(), Error> {
    let Some(bad) = value.bytes().find(|b| !matches!(b, b' '..=b'~')) else {
        return Ok(());
    };
    let kind = match bad {
        b'\n' => "a line feed",
        b'\r' => "a carriage return",
        b'\t' => "a tab",
        ..0x80 => "a control character",
        _ => "a non-ASCII character",
    };
    Err(Error::invalid_input(format!(
        "{}{} contains {kind}; it must be printable ASCII",
        what.0, what.1
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_ascii_passes_and_anything_else_is_named_without_the_value() {
        for good in [
            "",
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "a b~!",
        ] {
            assert!(check_header_text(("apiKey", ""), good).is_ok(), "{good}");
        }
        for (bad, kind) in [
            ("secret\n", "a line feed"),
            ("sec\rret", "a carriage return"),
            ("\tsecret", "a tab"),
            ("secret\u{0}", "a control character"),
            ("secret\u{7f}", "a control character"),
            ("secrét", "a non-ASCII character"),
            ("秘密", "a non-ASCII character"),
        ] {
            let error = check_header_text(("credentials.", "sessionToken"), bad).unwrap_err();
            assert!(error.is_invalid_input());
            assert_eq!(
                error.message(),
                format!("credentials.sessionToken contains {kind}; it must be printable ASCII")
            );
        }
    }
}
