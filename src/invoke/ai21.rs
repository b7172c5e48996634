//! AI21 Jamba on Bedrock: the chat-completions body `{messages, max_tokens, temperature, top_p,
//! stop}` (no `top_k`), replies `{id, choices: [{message, finish_reason}], usage, meta, model}`
//! and stream chunks `{id, choices: [{delta, finish_reason}], usage?}`; see
//! [`chat_completions`].

use super::chat_completions::{self, parse};
use super::json_writer::JsonWriter;
use super::provider::{Identity, Provider, Request};
use super::reply::TextPiece;
use super::{ProviderEvents, TextEvent, TextEvents};
use crate::chat::output::{AIMessage, CallInfo};
use crate::chat::settings::Setting::{
    Betas, MaxTokens, StopSequences, Temperature, Thinking, Tools, TopK, TopP,
};
use crate::Error;

const WHAT: &str = "an AI21 Jamba reply";

/// AI21 Jamba.
pub struct Ai21;

impl Provider for Ai21 {
    fn identity(&self) -> &'static Identity {
        const IDENTITY: &Identity =
            &Identity::of("ai21", "AI21 Jamba models", &[TopK, Tools, Thinking, Betas]);
        IDENTITY
    }

    fn request_body(&self, mut request: Request, out: &mut JsonWriter) -> Result<(), Error> {
        let transcript = request.take_transcript();
        let settings = [
            ("max_tokens", MaxTokens),
            ("temperature", Temperature),
            ("top_p", TopP),
            ("stop", StopSequences),
        ];
        chat_completions::request_body(transcript, request.settings, &settings, out);
        Ok(())
    }

    /// The first choice's message; `finish_reason` as `stop_reason`.
    fn map_reply(&self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        chat_completions::map_reply(parse(body, WHAT)?, info, WHAT)
    }

    fn events(&self) -> Box<dyn ProviderEvents> {
        Box::new(TextEvents::new(Ai21Events))
    }
}

/// The events of a Jamba stream.
#[derive(Debug, Default)]
pub struct Ai21Events;

impl TextEvent for Ai21Events {
    fn piece(&mut self, event: &[u8]) -> Result<TextPiece, Error> {
        let event = serde_json::from_slice(event)
            .map_err(|e| Error::invalid_response(format!("AI21 event is not valid: {e}")))?;
        Ok(chat_completions::piece(event))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::input::normalize_messages;
    use crate::chat::settings::Settings;
    use crate::invoke::test_support::assert_usage;
    use crate::invoke::test_support::build;
    use crate::invoke::test_support::call_info;
    use crate::invoke::test_support::four_turns;
    use serde_json::{json, Value};

    const JAMBA: &str = "ai21.jamba-1-5-mini-v1:0";

    fn body(options: &Settings, input: Value) -> Result<String, Error> {
        let messages = normalize_messages(input).unwrap();
        build(&Ai21, "ai21.jamba-1-5-mini-v1:0", options, &messages)
            .map(|b| String::from_utf8(b).unwrap())
    }

    fn info() -> CallInfo {
        call_info("run-j", JAMBA)
    }

    #[test]
    fn the_recorded_request_comes_out_exactly() {
        // should-handle-ai21-jamba-models.json sent exactly this body.
        let options = Settings {
            max_tokens: Some(100),
            temperature: Some(0.7),
            ..Default::default()
        };
        assert_eq!(
            body(&options, json!([["human", "Hello, how are you?"]])).unwrap(),
            r#"{"messages":[{"role":"user","content":"Hello, how are you?"}],"max_tokens":100,"temperature":0.7}"#
        );
        let options = Settings {
            top_p: Some(0.5),
            stop_sequences: Some(vec!["END".into()]),
            model_kwargs: Some(json!({"n": 1}).as_object().unwrap().clone()),
            ..Default::default()
        };
        assert_eq!(
            body(&options, four_turns()).unwrap(),
            r#"{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},{"role":"user","content":"Bye"}],"top_p":0.5,"stop":["END"],"n":1}"#
        );
    }

    #[test]
    fn top_k_tools_and_images_are_type_errors() {
        let options = Settings {
            top_k: Some(3),
            ..Default::default()
        };
        let err = body(&options, json!([["human", "Hi"]])).unwrap_err();
        assert!(err.is_invalid_input());
        assert!(err
            .message()
            .starts_with("topK: AI21 Jamba models have no topK setting"));
        let options = Settings {
            betas: Some(vec!["x".into()]),
            ..Default::default()
        };
        let err = body(&options, json!([["human", "Hi"]])).unwrap_err();
        assert!(err.message().starts_with("betas: "), "{err}");
        let err = body(
            &Settings::default(),
            json!([["system", "x"], ["human", [{"type": "image", "mimeType": "image/png", "data": "iVBORw0KGgo="}]]]),
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "messages[1].content[0]: AI21 Jamba models take text only, not images"
        );
    }

    #[test]
    fn the_recorded_reply_maps() {
        // The response of should-handle-ai21-jamba-models.json.
        let recorded = br#"{"id":"chatcmpl-5a5e214e-2d38-4152-8496-b2eb301d7008","choices":[{"index":0,"message":{"role":"assistant","content":" Hello! I'm doing great, thank you. How can I assist you today?","tool_calls":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":16,"completion_tokens":19,"total_tokens":35},"meta":{"requestDurationMillis":307},"model":"jamba-1.5-mini"}"#;
        let got = serde_json::to_value(Ai21.map_reply(recorded, info()).unwrap()).unwrap();
        assert_eq!(
            got["content"],
            json!(" Hello! I'm doing great, thank you. How can I assist you today?")
        );
        assert_usage(&got["usage_metadata"], 16, 19);
        let meta = &got["response_metadata"];
        assert_eq!(meta["stop_reason"], json!("stop"));
        assert_eq!(
            meta["id"],
            json!("chatcmpl-5a5e214e-2d38-4152-8496-b2eb301d7008")
        );
        assert_eq!(meta["model"], json!("jamba-1.5-mini"));
        assert_eq!(meta["meta"], json!({"requestDurationMillis": 307}));
        assert_eq!(meta["model_id"], json!(JAMBA));
        assert!(meta.get("finish_reason").is_none());
        for bad in [&b"nope"[..], b"{\"choices\":[]}", b"{}"] {
            assert_eq!(
                Ai21.map_reply(bad, info()).unwrap_err().name(),
                "InvalidResponse"
            );
        }
    }

    #[test]
    fn streams_end_with_usage_and_metrics() {
        let mut state = TextEvents::new(Ai21Events);
        let mut chunks = Vec::new();
        for event in [
            json!({"id": "c1", "choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": null}], "usage": null}),
            json!({"id": "c1", "choices": [{"index": 0, "delta": {"content": "AI is"}, "finish_reason": null}], "usage": null}),
            json!({"id": "c1", "choices": [{"index": 0, "delta": {"content": " software."}, "finish_reason": null}]}),
            json!({"id": "c1", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 14, "completion_tokens": 4, "total_tokens": 18},
                   "amazon-bedrock-invocationMetrics": {"inputTokenCount": 14, "outputTokenCount": 4,
                       "invocationLatency": 250, "firstByteLatency": 90}}),
        ] {
            if let Some(chunk) = state
                .map_event(event.to_string().as_bytes(), &info())
                .unwrap()
            {
                chunks.push(serde_json::to_value(chunk).unwrap());
            }
        }
        assert_eq!(state.finish(&info()).unwrap(), None);
        let text: Vec<&Value> = chunks.iter().map(|c| &c["text"]).collect();
        assert_eq!(text, [&json!("AI is"), &json!(" software."), &json!("")]);
        let last = &chunks[2];
        assert_eq!(last["usage_metadata"]["total_tokens"], json!(18));
        let meta = &last["response_metadata"];
        assert_eq!(meta["stop_reason"], json!("stop"));
        assert_eq!(meta["id"], json!("c1"));
        assert_eq!(meta["usage"]["completion_tokens"], json!(4));
        assert_eq!(
            meta["amazon-bedrock-invocationMetrics"]["firstByteLatency"],
            json!(90)
        );
        let mut cut = TextEvents::new(Ai21Events);
        cut.map_event(
            br#"{"choices":[{"index":0,"delta":{"content":"AI"}}]}"#,
            &info(),
        )
        .unwrap();
        assert_eq!(cut.finish(&info()).unwrap_err().name(), "IncompleteStream");
        assert_eq!(
            cut.map_event(b"{]", &info()).unwrap_err().name(),
            "InvalidResponse"
        );
    }
}
