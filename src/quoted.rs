//! [`Quoted`]: a string as error messages quote it.
//!
//! The release wasm is built with `-Zfmt-debug=none`, which compiles every `Debug`
//! implementation down to nothing (smaller by several KiB), so messages never format with
//! `{:?}`: they quote names and values with this instead.

use std::fmt;

/// `"text"`, with `"`, `\` and control characters escaped as Rust's `{:?}` escapes them.
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c.is_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
                c => fmt::Write::write_char(f, c)?,
            }
        }
        f.write_str("\"")
    }
}

#[cfg(test)]
mod tests {
    use super::Quoted;

    #[test]
    fn quotes_as_debug_does() {
        for text in [
            "plain",
            "with \"quotes\" and \\",
            "line\nfeed\t\r",
            "bell\u{7}",
            "é ü 日本",
        ] {
            assert_eq!(Quoted(text).to_string(), format!("{text:?}"));
        }
    }
}
