//! JSON text of a [`Value`]. `Value`'s `Display` (its `to_string()`) writes through
//! `std::io::Write`, which brings std's I/O error and its `Debug` (with the Unicode tables of
//! `char::escape_debug`) into the wasm; this goes through the one `Vec<u8>` writer that every
//! body is serialised with.

use serde_json::Value;

/// `value` as compact JSON text, as `value.to_string()` writes it.
pub fn json_text(value: &Value) -> String {
    // Serialising a `Value` cannot fail: its map keys are strings.
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_text_is_what_display_writes() {
        let value = json!({"b": [1, 2.5, "x\"y", null, true], "a": {"é": "\u{1}"}});
        assert_eq!(json_text(&value), value.to_string());
        assert_eq!(json_text(&json!("text")), "\"text\"");
    }
}
