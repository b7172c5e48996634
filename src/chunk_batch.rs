//! The chunks of one streamed read as they cross into JS: one string and one `Uint32Array`
//! for the whole batch instead of one JSON text of chunk objects.
//!
//! Most chunks of a stream are plain deltas ([`AIMessageChunk::as_delta`]): for those the
//! batch holds only the delta's text, its kind and its index, and the package's JS
//! (`chunkBatch` in chat-models.js) builds the chunk objects from them, which costs far less
//! than writing their JSON here and parsing it there. A mapper that reads a delta in place
//! hands over its text alone ([`ChunkBatch::push_delta`]), so most frames of a Converse stream
//! never become a chunk in wasm at all. Every other chunk (a tool call's start,
//! a citation, the final chunk with usage) goes as JSON, all of one batch in one array.
//!
//! The string is the run id, then the deltas' texts one after another, then the JSON array
//! (absent when every chunk is a delta). The numbers are `[id length, JSON start]`, then per
//! chunk: `0` for the next chunk of the JSON array, or a delta's
//! [`DeltaKind`](crate::chat::output::DeltaKind) (plus 4 when it has an index, which follows)
//! and its text's length. Lengths and offsets count UTF-16 code units, as JS strings do.

use crate::chat::output::{AIMessageChunk, Delta};
use crate::Error;

/// Added to a delta's kind when its index follows.
const HAS_INDEX: u32 = 4;
/// The tag of a chunk that is in the JSON array.
const JSON_CHUNK: u32 = 0;

/// The chunks of one batch, encoded as they are pushed.
#[derive(Debug, Default)]
pub struct ChunkBatch {
    /// The run id, then the deltas' texts.
    text: String,
    /// The UTF-16 length of `text`.
    text_units: usize,
    /// The byte length of the run id at the start of `text`.
    id_len: usize,
    /// The header (`[id length, JSON start]`, filled in at the first chunk and at the end),
    /// then the chunks.
    layout: Vec<u32>,
    /// The other chunks: a JSON array without its closing bracket, empty when there are none.
    json: String,
    len: usize,
}

impl ChunkBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many chunks the batch holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the batch holds no chunk.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds the next chunk.
    pub fn push(&mut self, chunk: AIMessageChunk) -> Result<(), Error> {
        match chunk.as_delta() {
            Some(delta) => self.push_delta(&chunk.id, delta),
            None => self.push_json(&chunk),
        }
    }

    /// Adds the plain-delta chunk of run `id` that `delta` describes, from its text alone
    /// (as JSON when `id` is not the batch's, which no stream does).
    pub fn push_delta(&mut self, id: &str, delta: Delta) -> Result<(), Error> {
        if self.open(id) != id {
            return self.push_json(&AIMessageChunk::from_delta(id, delta));
        }
        let kind = delta.kind as u32;
        match delta.index {
            Some(index) => self.layout.extend([kind + HAS_INDEX, index]),
            None => self.layout.push(kind),
        }
        let units = self.append_text(delta.text);
        self.layout.push(units_u32(units));
        self.len += 1;
        Ok(())
    }

    fn push_json(&mut self, chunk: &AIMessageChunk) -> Result<(), Error> {
        self.open(&chunk.id);
        self.json.push(if self.json.is_empty() { '[' } else { ',' });
        let json = serde_json::to_string(chunk)
            .map_err(|e| Error::invalid_response(format!("not serialisable: {e}")))?;
        self.json.push_str(&json);
        self.layout.push(JSON_CHUNK);
        self.len += 1;
        Ok(())
    }

    /// The batch's run id: the first chunk's (every chunk of a stream has the same), which
    /// opens the batch.
    fn open(&mut self, id: &str) -> &str {
        if self.layout.is_empty() {
            self.append_text(id);
            self.id_len = id.len();
            self.layout.extend([units_u32(self.text_units), 0]);
        }
        &self.text[..self.id_len]
    }

    /// Appends `text` to the string; returns its UTF-16 length.
    fn append_text(&mut self, text: &str) -> usize {
        let units = utf16_len(text);
        self.text.push_str(text);
        self.text_units += units;
        units
    }

    /// The string and the numbers JS reads the batch from.
    pub fn into_parts(mut self) -> (String, Vec<u32>) {
        if let Some(json_start) = self.layout.get_mut(1) {
            *json_start = units_u32(self.text_units);
        }
        if !self.json.is_empty() {
            self.text.push_str(&self.json);
            self.text.push(']');
        }
        (self.text, self.layout)
    }

    /// The batch as the JS value `[string, Uint32Array]`.
    #[cfg(target_arch = "wasm32")]
    pub fn into_js(self) -> wasm_bindgen::JsValue {
        let (text, layout) = self.into_parts();
        js_sys::Array::of2(
            &wasm_bindgen::JsValue::from_str(&text),
            &js_sys::Uint32Array::from(layout.as_slice()),
        )
        .into()
    }
}

impl From<AIMessageChunk> for ChunkBatch {
    fn from(chunk: AIMessageChunk) -> Self {
        let mut batch = Self::new();
        // A chunk the mapper built always serialises; should it not, the batch is empty.
        let _ = batch.push(chunk);
        batch
    }
}

/// A length as the `u32` the layout holds; a batch never nears 4 GiB.
fn units_u32(units: usize) -> u32 {
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// The number of UTF-16 code units of `text`: one per character, two for those above U+FFFF
/// (whose UTF-8 form starts with a byte from 0xF0).
fn utf16_len(text: &str) -> usize {
    if text.is_ascii() {
        // Checked a word at a time: the common case costs next to nothing.
        return text.len();
    }
    text.bytes()
        .map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::output::{Block, ReasoningExtras};
    use serde_json::{json, Value};

    fn chunk(block: Block) -> AIMessageChunk {
        AIMessageChunk {
            id: "run-é".into(),
            content: vec![block],
            ..Default::default()
        }
    }

    fn text(text: &str, index: Option<u32>) -> Block {
        Block::Text {
            text: text.into(),
            annotations: vec![],
            index,
        }
    }

    /// What JS's `string.slice(units)` gives.
    fn after_units(string: &str, units: u32) -> String {
        let units: Vec<u16> = string.encode_utf16().skip(units as usize).collect();
        String::from_utf16(&units).unwrap()
    }

    #[test]
    fn utf16_lengths_count_code_units() {
        assert_eq!(utf16_len(""), 0);
        assert_eq!(utf16_len("abc"), 3);
        assert_eq!(utf16_len("é€"), 2);
        assert_eq!(utf16_len("a😀b"), 4);
    }

    #[test]
    fn deltas_are_text_and_numbers() {
        let mut batch = ChunkBatch::new();
        batch.push(chunk(text("hé😀", Some(0)))).unwrap();
        batch
            .push(chunk(Block::ToolCallChunk {
                id: None,
                name: None,
                args: "{\"a\"".into(),
                index: Some(2),
            }))
            .unwrap();
        batch
            .push(chunk(Block::Reasoning {
                reasoning: "hm".into(),
                extras: ReasoningExtras::default(),
                index: None,
            }))
            .unwrap();
        assert_eq!(batch.len(), 3);
        let (string, layout) = batch.into_parts();
        assert_eq!(string, "run-éhé😀{\"a\"hm");
        assert_eq!(layout, vec![5, 15, 5, 0, 4, 6, 2, 4, 3, 2]);
    }

    #[test]
    fn other_chunks_are_one_json_array_after_the_texts() {
        let with_id = chunk(Block::ToolCallChunk {
            id: Some("t1".into()),
            name: Some("w".into()),
            args: String::new(),
            index: Some(1),
        });
        let mut other_run = chunk(text("x", Some(0)));
        other_run.id = "run-2".into();
        let mut batch = ChunkBatch::new();
        batch.push(with_id.clone()).unwrap();
        batch.push(chunk(text("ab", Some(0)))).unwrap();
        batch.push(other_run.clone()).unwrap();
        let (string, layout) = batch.into_parts();
        assert_eq!(layout, vec![5, 7, 0, 5, 0, 2, 0]);
        assert!(string.starts_with("run-éab["));
        let json: Value = serde_json::from_str(&after_units(&string, 7)).unwrap();
        assert_eq!(
            json,
            json!([
                serde_json::to_value(&with_id).unwrap(),
                serde_json::to_value(&other_run).unwrap()
            ])
        );
    }

    #[test]
    fn a_chunk_with_more_than_a_delta_goes_as_json() {
        let cited = chunk(Block::Text {
            text: "a".into(),
            annotations: vec![Default::default()],
            index: Some(0),
        });
        let signed = chunk(Block::Reasoning {
            reasoning: String::new(),
            extras: ReasoningExtras {
                signature: Some("s".into()),
                redacted_content: None,
            },
            index: Some(0),
        });
        let mut two_blocks = chunk(text("a", None));
        two_blocks.content.push(text("b", None));
        let mut with_usage = chunk(text("a", None));
        with_usage.usage = Some(crate::chat::usage::UsageMetadata::new(1, 2, None, 0, 0));
        for other in [
            cited,
            signed,
            two_blocks,
            with_usage,
            AIMessageChunk::default(),
        ] {
            assert_eq!(other.as_delta(), None);
            let (string, layout) = ChunkBatch::from(other.clone()).into_parts();
            assert_eq!(layout[2..], [JSON_CHUNK]);
            let json: Value = serde_json::from_str(&after_units(&string, layout[1])).unwrap();
            assert_eq!(json, json!([serde_json::to_value(&other).unwrap()]));
        }
    }

    #[test]
    fn a_pushed_delta_is_the_chunk_it_describes_and_another_runs_goes_as_json() {
        use crate::chat::output::{Delta, DeltaKind};
        let deltas = [
            ("run-é", DeltaKind::Text, "hé😀", Some(0)),
            ("run-é", DeltaKind::ToolArgs, "{", Some(1)),
            ("run-é", DeltaKind::Reasoning, "hm", None),
            ("run-other", DeltaKind::Text, "x", Some(2)),
        ];
        let (mut pushed, mut built) = (ChunkBatch::new(), ChunkBatch::new());
        for (id, kind, text, index) in deltas {
            let delta = Delta { kind, text, index };
            let chunk = AIMessageChunk::from_delta(id, delta);
            assert_eq!(chunk.as_delta(), Some(delta));
            pushed.push_delta(id, delta).unwrap();
            built.push(chunk).unwrap();
        }
        let (string, layout) = pushed.into_parts();
        assert_eq!((string.clone(), layout.clone()), built.into_parts());
        assert_eq!(layout.last(), Some(&JSON_CHUNK));
        let json: Value = serde_json::from_str(&after_units(&string, layout[1])).unwrap();
        assert_eq!(json[0]["id"], "run-other");
    }

    #[test]
    fn an_empty_batch_is_empty() {
        let batch = ChunkBatch::new();
        assert!(batch.is_empty());
        assert_eq!(batch.into_parts(), (String::new(), vec![]));
    }
}
