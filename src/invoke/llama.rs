//! Meta Llama 3 and later, natively: the conversation in the Llama 3 chat template as `prompt`,
//! with `max_gen_len`, `temperature` and `top_p`; replies and stream events `{generation,
//! prompt_token_count, generation_token_count, stop_reason}` (in a stream the prompt count comes
//! on the first event, the generation count is a running total, and the last event has the
//! invocation metrics).

use serde_json::{Map, Value};

use super::json_writer::JsonWriter;
use super::provider::{Identity, Provider, Request};
use super::reply::{
    count, json_object, message, put_set, take, take_string, text_block, TextPiece,
    INVOCATION_METRICS,
};
use super::{present, ProviderEvents, TextEvent, TextEvents};
use crate::chat::input::Role;
use crate::chat::output::{AIMessage, CallInfo};
use crate::chat::settings::Setting::{
    Betas, MaxTokens, StopSequences, Temperature, Thinking, Tools, TopK, TopP,
};
use crate::chat::usage::UsageMetadata;
use crate::Error;

/// Meta Llama 3 and later.
pub struct Llama;

impl Provider for Llama {
    fn identity(&self) -> &'static Identity {
        const IDENTITY: &Identity = &Identity::of(
            "meta",
            "Meta Llama models",
            &[TopK, StopSequences, Tools, Thinking, Betas],
        )
        .aliases(&["llama"]);
        IDENTITY
    }

    /// The prompt is `<|begin_of_text|>`, then per turn (the system text first)
    /// `<|start_header_id|>ROLE<|end_header_id|>\n\nTEXT<|eot_id|>`, then the assistant header;
    /// a conversation that ends with an AI message ends with its text instead, which the model
    /// continues.
    fn request_body(&self, mut request: Request, out: &mut JsonWriter) -> Result<(), Error> {
        let options = request.settings;
        let transcript = request.take_transcript();
        let mut prompt = String::from("<|begin_of_text|>");
        let system = transcript
            .system
            .as_deref()
            .map(|text| (Role::System, text));
        let turns = transcript.turns.iter().map(|t| (t.role, t.text.as_str()));
        for (role, text) in system.into_iter().chain(turns) {
            for part in [
                "<|start_header_id|>",
                role.as_str(),
                "<|end_header_id|>\n\n",
                text,
                "<|eot_id|>",
            ] {
                prompt.push_str(part);
            }
        }
        match transcript.turns.last() {
            Some(last) if last.role == Role::Assistant => {
                prompt.truncate(prompt.len() - "<|eot_id|>".len())
            }
            _ => prompt.push_str("<|start_header_id|>assistant<|end_header_id|>\n\n"),
        }
        out.text("prompt", &prompt).settings(
            options,
            &[
                ("max_gen_len", MaxTokens),
                ("temperature", Temperature),
                ("top_p", TopP),
            ],
        );
        Ok(())
    }

    fn map_reply(&self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        map_response(body, info)
    }

    fn events(&self) -> Box<dyn ProviderEvents> {
        Box::new(TextEvents::new(LlamaEvents::default()))
    }
}

/// A reply, or one stream event.
struct Generation {
    generation: Option<String>,
    prompt_token_count: Option<u64>,
    generation_token_count: Option<u64>,
    stop_reason: Option<Value>,
    metrics: Option<Value>,
}

impl Generation {
    fn parse(body: &[u8], what: &str) -> Result<Generation, Error> {
        let mut map = json_object(body, what)?;
        Ok(Generation {
            generation: take_string(&mut map, "generation"),
            prompt_token_count: count(&map, "prompt_token_count"),
            generation_token_count: count(&map, "generation_token_count"),
            stop_reason: take(&mut map, "stop_reason"),
            metrics: take(&mut map, INVOCATION_METRICS),
        })
    }

    /// `response_metadata` members besides the stop reason: the non-null counts.
    fn counts(&self) -> Map<String, Value> {
        present(&mut [
            (
                "prompt_token_count",
                self.prompt_token_count.map(Value::from),
            ),
            (
                "generation_token_count",
                self.generation_token_count.map(Value::from),
            ),
        ])
    }
}

fn usage(prompt: Option<u64>, generation: Option<u64>) -> Option<UsageMetadata> {
    Some(UsageMetadata::new(prompt?, generation?, None, 0, 0))
}

/// Maps a Llama InvokeModel reply.
pub fn map_response(body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
    let mut reply = Generation::parse(body, "the reply")?;
    let Some(text) = reply.generation.take() else {
        return Err(Error::invalid_response("the Llama reply has no generation"));
    };
    let mut fields = reply.counts();
    put_set(&mut fields, "stop_reason", reply.stop_reason);
    let usage = usage(reply.prompt_token_count, reply.generation_token_count);
    Ok(message(info, vec![text_block(text)], fields, usage))
}

/// The state of one Llama stream: the prompt count from the first event.
#[derive(Debug, Default)]
pub struct LlamaEvents {
    prompt_tokens: Option<u64>,
}

impl TextEvent for LlamaEvents {
    fn piece(&mut self, event: &[u8]) -> Result<TextPiece, Error> {
        let event = Generation::parse(event, "a Llama event")?;
        self.prompt_tokens = event.prompt_token_count.or(self.prompt_tokens);
        let piece = TextPiece {
            fields: event.counts(),
            usage: usage(self.prompt_tokens, event.generation_token_count),
            text: event.generation.unwrap_or_default(),
            stop_reason: event.stop_reason,
            metrics: event.metrics,
            ..Default::default()
        };
        Ok(piece)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::input::normalize_messages;
    use crate::chat::settings::Settings;
    use crate::invoke::reply::INVOCATION_METRICS;
    use crate::invoke::test_support::assert_usage;
    use crate::invoke::test_support::build;
    use crate::invoke::test_support::four_turns;
    use crate::invoke::test_support::refusal;
    use crate::invoke::test_support::{call_info, recorded_call, recorded_events, refused};
    use serde_json::json;

    fn info() -> CallInfo {
        call_info("run-l", "meta.llama3-8b-instruct-v1:0")
    }

    fn body(options: &Settings, input: Value) -> Value {
        let messages = normalize_messages(input).unwrap();
        serde_json::from_slice(
            &build(&Llama, "meta.llama3-8b-instruct-v1:0", options, &messages).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn the_recorded_request_body() {
        // openinference-js should-handle-meta-llama-streaming.
        let (sent, _) = recorded_call("should-handle-meta-llama-streaming.json");
        let options = Settings {
            max_tokens: Some(120),
            temperature: Some(0.7),
            ..Default::default()
        };
        let got = body(
            &options,
            json!("Tell me a very short story about artificial intelligence in the future."),
        );
        assert_eq!(got, sent);
    }

    #[test]
    fn system_turns_prefill_top_p_and_kwargs() {
        let options = Settings {
            top_p: Some(0.9),
            model_kwargs: Some(json!({"max_gen_len": 9}).as_object().unwrap().clone()),
            ..Default::default()
        };
        let got = body(&options, four_turns());
        assert_eq!(
            got,
            json!({"prompt": "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>\
<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>\
<|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
                   "top_p": 0.9, "max_gen_len": 9})
        );
        let got = body(
            &Settings::default(),
            json!([["human", "Hi"], ["ai", "Sure:"]]),
        );
        assert_eq!(
            got["prompt"],
            json!(
                "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>\
<|start_header_id|>assistant<|end_header_id|>\n\nSure:"
            )
        );
    }

    #[test]
    fn what_llama_cannot_take_is_a_type_error() {
        let messages = normalize_messages(json!("hi")).unwrap();
        refused(
            |o| build(&Llama, "meta.llama3-8b-instruct-v1:0", o, &messages),
            &[
                "topK",
                "stopSequences",
                "tools",
                "toolChoice",
                "thinking",
                "betas",
            ],
        );
        let call = normalize_messages(json!([["human", "hi"],
            {"role": "ai", "content": "", "tool_calls": [{"id": "t", "name": "w", "args": {}}]}]))
        .unwrap();
        let err = refusal(&Llama, "meta.llama3-8b-instruct-v1:0", &call);
        assert!(
            err.message()
                .starts_with("messages[1].content[0]: Meta Llama models take text only"),
            "{err}"
        );
    }

    #[test]
    fn the_recorded_reply_maps_text_usage_and_stop_reason() {
        let (_, reply) = recorded_call("should-handle-meta-llama-models-invoke.json");
        let got = serde_json::to_value(map_response(reply.to_string().as_bytes(), info()).unwrap())
            .unwrap();
        assert_eq!(got["content"], reply["generation"]);
        assert_usage(&got["usage_metadata"], 6, 18);
        let meta = &got["response_metadata"];
        assert_eq!(meta["stop_reason"], json!("length"));
        assert_eq!(meta["model_id"], json!("meta.llama3-8b-instruct-v1:0"));
        assert_eq!(meta["prompt_token_count"], json!(6));
        assert_eq!(meta["generation_token_count"], json!(18));
        for bad in [&b"nope"[..], b"{}", br#"{"generation":1}"#] {
            assert_eq!(
                map_response(bad, info()).unwrap_err().name(),
                "InvalidResponse"
            );
        }
    }

    #[test]
    fn the_recorded_stream_carries_its_text_and_usage() {
        let events = recorded_events("openinference-js/should-handle-meta-llama-streaming");
        let natives: Vec<Value> = events
            .iter()
            .map(|e| serde_json::from_str(e).unwrap())
            .collect();
        let want: String = natives
            .iter()
            .map(|e| e["generation"].as_str().unwrap())
            .collect();
        let mut state = TextEvents::new(LlamaEvents::default());
        let chunks: Vec<Value> = events
            .iter()
            .filter_map(|e| state.map_event(e.as_bytes(), &info()).unwrap())
            .map(|c| serde_json::to_value(c).unwrap())
            .collect();
        assert_eq!(state.finish(&info()).unwrap(), None);
        assert_eq!(chunks.len(), natives.len());
        let text: String = chunks.iter().map(|c| c["text"].as_str().unwrap()).collect();
        assert_eq!(text, want);
        let last = chunks.last().unwrap();
        assert_usage(&last["usage_metadata"], 23, 120);
        let meta = &last["response_metadata"];
        assert_eq!(meta["stop_reason"], json!("length"));
        assert_eq!(meta["model_id"], json!("meta.llama3-8b-instruct-v1:0"));
        assert_eq!(meta["prompt_token_count"], json!(23));
        assert_eq!(meta["generation_token_count"], json!(120));
        assert_eq!(
            meta[INVOCATION_METRICS],
            natives.last().unwrap()[INVOCATION_METRICS]
        );
    }

    #[test]
    fn usage_falls_back_to_the_metrics_and_cut_streams_are_incomplete() {
        let mut state = TextEvents::new(LlamaEvents::default());
        state
            .map_event(
                br#"{"generation":"Hi","generation_token_count":1}"#,
                &info(),
            )
            .unwrap();
        let last = state
            .map_event(
                br#"{"generation":"","stop_reason":"stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":4,"outputTokenCount":1}}"#,
                &info(),
            )
            .unwrap()
            .unwrap();
        assert_eq!(last.usage.unwrap().total_tokens, 5);
        assert!(last.content.is_empty());
        let mut cut = TextEvents::new(LlamaEvents::default());
        cut.map_event(br#"{"generation":"Hi"}"#, &info()).unwrap();
        assert_eq!(cut.finish(&info()).unwrap_err().name(), "IncompleteStream");
        assert_eq!(
            cut.map_event(b"1", &info()).unwrap_err().name(),
            "InvalidResponse"
        );
    }
}
