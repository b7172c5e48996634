//! JSON text written straight into bytes: how every InvokeModel body (each provider's, and the
//! embedding models') is made. Members go out in the order they are written and strings are
//! escaped from where they lie, with no `Value` tree built, moved and serialised: one small
//! writer instead of a tree of map inserts in every provider, which kept the wasm larger.
//!
//! `modelKwargs` are merged as [`serde_json::Map::extend`] merges them into an object: a member
//! the body has takes the kwargs' value in its place, the other kwargs follow in their order.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::chat::settings::{Setting, Settings};

/// An object being written, with the members that override its own.
pub struct JsonWriter<'a> {
    out: Vec<u8>,
    /// Objects and arrays open, the outermost object counted.
    depth: u32,
    /// The members that replace the outermost object's own, and follow them.
    overrides: Option<&'a Map<String, Value>>,
    /// The outermost object's members written so far.
    keys: Vec<&'static str>,
    /// Where the body's own value of an overridden member starts, to be cut at the next member.
    cut: Option<usize>,
}

impl<'a> JsonWriter<'a> {
    /// An object, `overrides` (`modelKwargs`) merged into it; `capacity` bytes reserved.
    pub fn object(capacity: usize, overrides: Option<&'a Map<String, Value>>) -> Self {
        let mut out = Vec::with_capacity(capacity);
        out.push(b'{');
        JsonWriter {
            out,
            depth: 1,
            overrides,
            keys: Vec::new(),
            cut: None,
        }
    }

    /// An array, written apart from the object it goes into (with [`JsonWriter::raw`]).
    pub fn list() -> Self {
        let mut list = Self::object(0, None);
        list.out[0] = b'[';
        list
    }

    /// Whether nothing was written into the object or array yet.
    pub fn is_empty(&self) -> bool {
        self.out.len() == 1
    }

    /// The JSON text: the object, after the overrides it does not have, or the array, closed.
    pub fn finish(mut self) -> Vec<u8> {
        self.end_member();
        for (key, value) in self.overrides.into_iter().flatten() {
            if !self.keys.contains(&key.as_str()) {
                self.value(key.as_str());
                self.out.push(b':');
                self.value(value);
            }
        }
        let close = if self.out[0] == b'[' { b']' } else { b'}' };
        self.out.push(close);
        self.out
    }

    /// Drops the body's own value of an overridden member of the outermost object.
    fn end_member(&mut self) {
        if let Some(at) = self.cut.take() {
            self.out.truncate(at);
        }
    }

    /// A comma, unless a container or a member was just opened.
    fn separate(&mut self) {
        if !matches!(self.out.last(), Some(b'{' | b'[' | b':')) {
            self.out.push(b',');
        }
    }

    /// Starts member `key` (a plain name, written as it is): its value is written next.
    pub fn key(&mut self, key: &'static str) -> &mut Self {
        let outermost = self.depth == 1;
        if outermost {
            self.end_member();
            self.keys.push(key);
        }
        self.separate();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        if let Some(value) = self
            .overrides
            .and_then(|o| o.get(key))
            .filter(|_| outermost)
        {
            self.value(value);
            self.cut = Some(self.out.len());
        }
        self
    }

    /// A string value.
    pub fn str(&mut self, text: &str) -> &mut Self {
        self.value(text)
    }

    /// Any serialisable value.
    pub fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        self.separate();
        // Writing into a `Vec` cannot fail, nor can the values written (their map keys are
        // strings).
        let _ = serde_json::to_writer(&mut self.out, value);
        self
    }

    /// A value that is JSON text already.
    pub fn raw(&mut self, json: &[u8]) -> &mut Self {
        self.separate();
        self.out.extend_from_slice(json);
        self
    }

    /// Member `key` with a string value.
    pub fn text(&mut self, key: &'static str, text: &str) -> &mut Self {
        self.key(key).str(text)
    }

    /// Opens an object value.
    pub fn open(&mut self) -> &mut Self {
        self.push_open(b'{')
    }

    /// Opens an array value.
    pub fn open_list(&mut self) -> &mut Self {
        self.push_open(b'[')
    }

    fn push_open(&mut self, bracket: u8) -> &mut Self {
        self.separate();
        self.out.push(bracket);
        self.depth += 1;
        self
    }

    /// Closes the object opened last.
    pub fn close(&mut self) -> &mut Self {
        self.push_close(b'}')
    }

    /// Closes the array opened last.
    pub fn close_list(&mut self) -> &mut Self {
        self.push_close(b']')
    }

    fn push_close(&mut self, bracket: u8) -> &mut Self {
        self.out.push(bracket);
        self.depth -= 1;
        self
    }

    /// Opens the object written last again, for another member.
    pub fn reopen(&mut self) -> &mut Self {
        self.out.pop();
        self.depth += 1;
        self
    }

    /// Where the writer is: [`JsonWriter::back_to`] goes back there.
    pub fn mark(&self) -> usize {
        self.out.len()
    }

    /// Drops what was written after `mark` (within the object or array open then).
    pub fn back_to(&mut self, mark: usize) {
        self.out.truncate(mark);
    }

    /// The settings of `names` that are set (and not JSON `null`), each under its native name,
    /// in that order.
    pub fn settings(&mut self, settings: &Settings, names: &[(&'static str, Setting)]) {
        for &(key, setting) in names {
            if let Some(value) = set(settings, setting) {
                self.key(key).value(&value);
            }
        }
    }

    /// Member `key`, an object of the settings of `names` as [`JsonWriter::settings`] writes
    /// them, when one of them is set; nothing otherwise.
    pub fn settings_object(
        &mut self,
        key: &'static str,
        settings: &Settings,
        names: &[(&'static str, Setting)],
    ) {
        if names
            .iter()
            .any(|&(_, setting)| set(settings, setting).is_some())
        {
            self.key(key).open().settings(settings, names);
            self.close();
        }
    }
}

/// A setting's value when it is set and not JSON `null`.
fn set(settings: &Settings, setting: Setting) -> Option<Value> {
    settings.value(setting).filter(|v| !v.is_null())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(writer: JsonWriter) -> String {
        String::from_utf8(writer.finish()).unwrap()
    }

    #[test]
    fn members_nest_and_strings_are_escaped() {
        let mut out = JsonWriter::object(0, None);
        out.text("a", "x\"y\n").key("b").open_list();
        out.open().key("c").value(&1).close();
        out.str("z").value(&json!({"d": [null, 2.5]})).close_list();
        out.key("e").open().close();
        assert_eq!(
            text(out),
            r#"{"a":"x\"y\n","b":[{"c":1},"z",{"d":[null,2.5]}],"e":{}}"#
        );
        assert_eq!(text(JsonWriter::object(0, None)), "{}");
    }

    #[test]
    fn settings_objects_are_written_only_when_a_setting_is_set() {
        use crate::chat::settings::Setting::{MaxTokens, Thinking, TopP};
        let names = [("max", MaxTokens), ("p", TopP), ("t", Thinking)];
        let write = |settings: &Settings| {
            let mut out = JsonWriter::object(0, None);
            out.text("a", "x")
                .settings_object("config", settings, &names);
            text(out)
        };
        let mut settings = Settings {
            thinking: Some(Value::Null),
            ..Default::default()
        };
        assert_eq!(write(&settings), r#"{"a":"x"}"#);
        settings.top_p = Some(0.5);
        assert_eq!(write(&settings), r#"{"a":"x","config":{"p":0.5}}"#);
    }

    #[test]
    fn overrides_take_their_members_place_and_the_others_follow() {
        let kwargs = json!({"b": {"k": [1]}, "new\"": true, "a": null});
        let mut out = JsonWriter::object(0, kwargs.as_object());
        out.text("a", "own")
            .key("b")
            .open()
            .text("inner", "own")
            .close();
        out.key("c").open_list().str("kept").close_list();
        let written = text(out);
        assert_eq!(
            written,
            r#"{"a":null,"b":{"k":[1]},"c":["kept"],"new\"":true}"#
        );
        // What the body's value was, as Map::extend writes it.
        let mut body = json!({"a": "own", "b": {"inner": "own"}, "c": ["kept"]});
        body.as_object_mut()
            .unwrap()
            .extend(kwargs.as_object().unwrap().clone());
        assert_eq!(written, body.to_string());
    }

    #[test]
    fn a_reopened_object_takes_another_member_and_settings_skip_the_unset() {
        let mut out = JsonWriter::object(0, None);
        out.key("list").open_list().open().text("a", "1").close();
        out.reopen().text("b", "2").close().close_list();
        let settings = Settings {
            max_tokens: Some(5),
            temperature: Some(0.7),
            thinking: Some(Value::Null),
            stop_sequences: Some(vec!["END".into()]),
            ..Default::default()
        };
        out.settings(
            &settings,
            &[
                ("max", Setting::MaxTokens),
                ("top_p", Setting::TopP),
                ("thinking", Setting::Thinking),
                ("stop", Setting::StopSequences),
                ("t", Setting::Temperature),
            ],
        );
        assert_eq!(
            text(out),
            r#"{"list":[{"a":"1","b":"2"}],"max":5,"stop":["END"],"t":0.7}"#
        );
    }
}
