//! How deep the caller's JSON may nest: one limit and one message for the messages and every
//! JSON option (`tools`, `toolChoice`, `modelKwargs`, `additionalModelRequestFields`, …).
//! Deeper data, or data that refers to itself, is a `TypeError` rather than a walk that runs
//! the wasm stack into the heap.

/// Arrays and objects within one another, the outermost counted.
pub const MAX_DEPTH: u32 = 64;

/// What the `TypeError` says of data nested deeper than [`MAX_DEPTH`], or cyclic.
pub const TOO_DEEP: &str = "it nests more than 64 levels deep (or refers to itself)";

/// Whether JSON text nests at most [`MAX_DEPTH`] arrays and objects deep. A scan of the text
/// (brackets outside strings), so that no depth is walked before it is known to fit.
pub fn within_limit(json: &str) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0, false, false);
    for b in json.bytes() {
        if in_string {
            (in_string, escaped) = (escaped || b != b'"', !escaped && b == b'\\');
        } else if b == b'"' {
            in_string = true;
        } else if b == b'[' || b == b'{' {
            depth += 1;
            if depth > MAX_DEPTH {
                return false;
            }
        } else if b == b']' || b == b'}' {
            depth -= 1;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// `levels` arrays or objects within one another, alternating.
    fn nested(levels: u32) -> Value {
        (1..levels).fold(json!([1]), |inner, k| {
            if k % 2 == 0 {
                json!([inner])
            } else {
                json!({ "k": inner })
            }
        })
    }

    #[test]
    fn sixty_four_levels_fit_and_sixty_five_do_not() {
        let fits = |value: Value| within_limit(&value.to_string());
        assert!(fits(json!("scalar")));
        assert!(fits(json!({ "a": [], "b": {} })));
        assert!(fits(nested(MAX_DEPTH)));
        assert!(!fits(nested(MAX_DEPTH + 1)));
        assert!(!fits(json!({ "ok": 1, "deep": nested(MAX_DEPTH) })));
        assert!(fits(json!([[[1]], [[2]], {"a": [[3]]}])));
        assert!(TOO_DEEP.contains(&MAX_DEPTH.to_string()));
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        // An escaped quote does not end a string; an escaped backslash before a quote does.
        let quoted_brackets = format!("\\\"{}", "[{".repeat(100));
        assert!(within_limit(&json!({ "s": quoted_brackets }).to_string()));
        let after_backslash = json!(["a\\", nested(MAX_DEPTH)]).to_string();
        assert!(after_backslash.contains(r#""a\\","#));
        assert!(!within_limit(&after_backslash));
        let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert!(!within_limit(&deep));
        assert!(within_limit(&deep[1..deep.len() - 1]));
    }
}
