//! Mistral on Bedrock. Mistral 7B Instruct, Mixtral 8x7B, Mistral Large 2402 and Mistral Small
//! take a text completion, `{prompt, max_tokens, stop, temperature, top_p, top_k}`, with the
//! prompt in Mistral's instruction template, and answer `{outputs: [{text, stop_reason}]}`.
//! Mistral Large 2 (`mistral-large-2407`, `-2411`) and Pixtral take a chat completion
//! (see [`chat_completions`]) without `top_k` and `stop`.
//!
//! Replies and stream events are told apart by their members (`outputs` or `choices`), whatever
//! the model id says.

use serde_json::Value;

use super::chat_completions::{self, not_a_reply, parse, pick};
use super::json_writer::JsonWriter;
use super::provider::{Identity, Provider, Request};
use super::reply::{message, text_block, TextPiece, INVOCATION_METRICS};
use super::transcript::Transcript;
use super::{ProviderEvents, TextEvent, TextEvents};
use crate::chat::input::Role;
use crate::chat::output::{AIMessage, CallInfo};
use crate::chat::settings::Setting::{
    Betas, MaxTokens, StopSequences, Temperature, Thinking, Tools, TopK, TopP,
};
use crate::Error;

const WHAT: &str = "a Mistral reply";

/// Whether the model takes a chat completion (Large 2 and Pixtral) rather than a text
/// completion (Mistral 7B Instruct, Mixtral 8x7B, Large 2402, Small, and unknown ids).
fn is_chat(model_id: &str) -> bool {
    ["mistral-large-2407", "mistral-large-2411", "pixtral"]
        .iter()
        .any(|name| model_id.contains(name))
}

/// Mistral's models.
pub struct Mistral;

impl Provider for Mistral {
    /// The chat models lack `top_k` and `stop` too.
    fn identity(&self) -> &'static Identity {
        const IDENTITY: &Identity =
            &Identity::of("mistral", "Mistral models", &[Tools, Thinking, Betas]).narrower((
                is_chat,
                "Mistral chat models (Large 2, Pixtral)",
                &[TopK, StopSequences, Tools, Thinking, Betas],
            ));
        IDENTITY
    }

    /// A chat completion for Large 2 and Pixtral, else a text completion.
    fn request_body(&self, mut request: Request, out: &mut JsonWriter) -> Result<(), Error> {
        let (options, transcript) = (request.settings, request.take_transcript());
        if is_chat(request.model_id) {
            let settings = [
                ("max_tokens", MaxTokens),
                ("temperature", Temperature),
                ("top_p", TopP),
            ];
            chat_completions::request_body(transcript, options, &settings, out);
            return Ok(());
        }
        out.text("prompt", &prompt(transcript)).settings(
            options,
            &[
                ("max_tokens", MaxTokens),
                ("stop", StopSequences),
                ("temperature", Temperature),
                ("top_p", TopP),
                ("top_k", TopK),
            ],
        );
        Ok(())
    }

    fn map_reply(&self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        map_response(body, info)
    }

    fn events(&self) -> Box<dyn ProviderEvents> {
        Box::new(TextEvents::new(MistralEvents))
    }
}

/// `<s>[INST] SYSTEM\n\nUSER [/INST] ASSISTANT</s>[INST] USER [/INST]`: a last assistant turn
/// is left open, for the model to continue.
fn prompt(transcript: Transcript) -> String {
    let mut system = transcript.system;
    let mut out = String::from("<s>");
    let last = transcript.turns.len().saturating_sub(1);
    for (i, turn) in transcript.turns.into_iter().enumerate() {
        if turn.role == Role::User {
            out.push_str("[INST] ");
            if let Some(system) = system.take() {
                out.push_str(&system);
                out.push_str("\n\n");
            }
            out.push_str(&turn.text);
            out.push_str(" [/INST]");
        } else {
            out.push(' ');
            out.push_str(&turn.text);
            if i < last {
                out.push_str("</s>");
            }
        }
    }
    out
}

/// Maps a Mistral reply: `outputs` (text completion) or `choices` (chat completion).
pub fn map_response(body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
    let reply = parse(body, WHAT)?;
    if reply.get("choices").is_some() {
        return chat_completions::map_reply(reply, info, WHAT);
    }
    let output = reply
        .get("outputs")
        .and_then(|o| o.get(0))
        .ok_or_else(|| not_a_reply(WHAT))?;
    let text = output
        .get("text")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let fields = pick(output, &["stop_reason"]);
    Ok(message(info, vec![text_block(text.into())], fields, None))
}

/// The events of a Mistral stream (either shape).
#[derive(Debug, Default)]
pub struct MistralEvents;

impl TextEvent for MistralEvents {
    fn piece(&mut self, event: &[u8]) -> Result<TextPiece, Error> {
        let event = serde_json::from_slice::<Value>(event)
            .map_err(|e| Error::invalid_response(format!("Mistral event is not valid: {e}")))?;
        if event.get("choices").is_some() {
            return Ok(chat_completions::piece(event));
        }
        let output = event.get("outputs").and_then(|o| o.get(0));
        let text = |key: &str| output.and_then(|o| o.get(key)).cloned();
        let piece = TextPiece {
            text: text("text")
                .and_then(|t| t.as_str().map(str::to_string))
                .unwrap_or_default(),
            stop_reason: text("stop_reason"),
            metrics: event.get(INVOCATION_METRICS).cloned(),
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
    use crate::invoke::test_support::build;
    use crate::invoke::test_support::{fold, refused};
    use serde_json::json;

    const SEVEN_B: &str = "mistral.mistral-7b-instruct-v0:2";
    const LARGE_2: &str = "mistral.mistral-large-2407-v1:0";

    fn body(model_id: &str, options: &Settings, input: Value) -> Result<Value, Error> {
        let messages = normalize_messages(input).unwrap();
        build(&Mistral, model_id, options, &messages)
            .map(|bytes| serde_json::from_slice(&bytes).unwrap())
    }

    fn info() -> CallInfo {
        CallInfo {
            run_id: "run-m".into(),
            model_name: SEVEN_B.into(),
            headers: vec![
                ("x-amzn-bedrock-input-token-count".into(), "9".into()),
                ("x-amzn-bedrock-output-token-count".into(), "4".into()),
            ],
            ..Default::default()
        }
    }

    fn stream(events: &[Value]) -> Vec<Value> {
        let events = events.iter().map(Value::to_string);
        fold(&mut TextEvents::new(MistralEvents), &info(), events)
    }

    #[test]
    fn the_model_id_picks_the_body() {
        for id in [
            SEVEN_B,
            "mistral.mixtral-8x7b-instruct-v0:1",
            "mistral.mistral-large-2402-v1:0",
            "eu.mistral.mistral-small-2402-v1:0",
        ] {
            assert!(!is_chat(id), "{id}");
        }
        for id in [
            LARGE_2,
            "mistral.mistral-large-2411-v1:0",
            "us.mistral.pixtral-large-2502-v1:0",
        ] {
            assert!(is_chat(id), "{id}");
        }
    }

    #[test]
    fn text_completions_use_the_instruction_template() {
        let options = Settings {
            max_tokens: Some(100),
            temperature: Some(0.1),
            top_k: Some(50),
            stop_sequences: Some(vec!["\n\n".into()]),
            ..Default::default()
        };
        let got = body(
            SEVEN_B,
            &options,
            json!([
                ["system", "Be brief."],
                ["human", "Hi"],
                ["ai", "Hello!"],
                ["human", "Who are you?"]
            ]),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&got).unwrap(),
            r#"{"prompt":"<s>[INST] Be brief.\n\nHi [/INST] Hello!</s>[INST] Who are you? [/INST]","max_tokens":100,"stop":["\n\n"],"temperature":0.1,"top_k":50}"#
        );
        let single = body(SEVEN_B, &Settings::default(), json!([["human", "Hi"]])).unwrap();
        assert_eq!(single, json!({"prompt": "<s>[INST] Hi [/INST]"}));
        let prefill = body(
            SEVEN_B,
            &Settings::default(),
            json!([["human", "Count"], ["ai", "1, 2,"]]),
        )
        .unwrap();
        assert_eq!(prefill["prompt"], json!("<s>[INST] Count [/INST] 1, 2,"));
    }

    #[test]
    fn large_2_and_pixtral_take_chat_completions_without_top_k_or_stop() {
        let options = Settings {
            max_tokens: Some(200),
            temperature: Some(0.7),
            top_p: Some(0.9),
            model_kwargs: Some(json!({"tool_choice": "none"}).as_object().unwrap().clone()),
            ..Default::default()
        };
        let got = body(
            "us.mistral.pixtral-large-2502-v1:0",
            &options,
            json!([["system", "Be brief."], ["human", "Hi"]]),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&got).unwrap(),
            r#"{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"max_tokens":200,"temperature":0.7,"top_p":0.9,"tool_choice":"none"}"#
        );
        for message in refused(
            |o| {
                let messages = normalize_messages(json!([["human", "Hi"]])).unwrap();
                build(&Mistral, LARGE_2, o, &messages)
            },
            &["topK", "stopSequences"],
        ) {
            assert!(
                message.contains("Mistral chat models (Large 2, Pixtral) have no"),
                "{message}"
            );
        }
        // Text-completion models take both.
        assert!(body(
            SEVEN_B,
            &Settings {
                top_k: Some(5),
                ..Default::default()
            },
            json!([["human", "Hi"]])
        )
        .is_ok());
    }

    #[test]
    fn tools_and_non_text_blocks_are_type_errors() {
        let tools = crate::chat::tools::normalize_tools(
            &json!([{"name": "w", "schema": {"type": "object"}}]),
        )
        .unwrap();
        let options = Settings {
            tools: Some(tools),
            ..Default::default()
        };
        let err = body(SEVEN_B, &options, json!([["human", "Hi"]])).unwrap_err();
        assert!(
            err.message()
                .starts_with("tools: Mistral models take no tools"),
            "{err}"
        );
        let err = body(
            LARGE_2,
            &Settings::default(),
            json!([["human", [{"type": "text", "text": "What?"},
                              {"type": "image", "mimeType": "image/png", "data": "iVBORw0KGgo="}]]]),
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "messages[0].content[1]: Mistral models take text only, not images"
        );
    }

    #[test]
    fn replies_of_both_shapes() {
        let text = map_response(
            br#"{"outputs":[{"text":" I am Mistral.","stop_reason":"stop"}]}"#,
            info(),
        )
        .unwrap();
        let got = serde_json::to_value(&text).unwrap();
        assert_eq!(got["content"], json!(" I am Mistral."));
        assert_eq!(got["response_metadata"]["stop_reason"], json!("stop"));
        assert_eq!(got["response_metadata"]["model_id"], json!(SEVEN_B));
        assert_eq!(got["usage_metadata"]["total_tokens"], json!(13));
        let chat = map_response(
            json!({"id": "cmpl-1", "object": "chat.completion", "model": null, "choices": [{"index": 0,
                   "message": {"role": "assistant", "content": "Hi!", "tool_calls": null},
                   "stop_reason": "stop"}],
                   "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}})
            .to_string()
            .as_bytes(),
            info(),
        )
        .unwrap();
        let got = serde_json::to_value(&chat).unwrap();
        assert_eq!(got["content"], json!("Hi!"));
        assert_eq!(got["usage_metadata"]["total_tokens"], json!(7));
        let meta = &got["response_metadata"];
        assert_eq!(meta["id"], json!("cmpl-1"));
        assert_eq!(meta["stop_reason"], json!("stop"));
        assert_eq!(meta["usage"]["prompt_tokens"], json!(5));
        assert!(meta.get("model").is_none());
        for bad in [&b"not json"[..], b"[]", b"{\"outputs\":[]}"] {
            assert_eq!(
                map_response(bad, info()).unwrap_err().name(),
                "InvalidResponse"
            );
        }
    }

    #[test]
    fn text_completion_streams() {
        let chunks = stream(&[
            json!({"outputs": [{"text": " Silicon", "stop_reason": null}]}),
            json!({"outputs": [{"text": " dreams", "stop_reason": "stop"}],
                   "amazon-bedrock-invocationMetrics": {"inputTokenCount": 12, "outputTokenCount": 3,
                       "invocationLatency": 300, "firstByteLatency": 100}}),
        ]);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0]["text"], json!(" Silicon"));
        assert_eq!(chunks[1]["text"], json!(" dreams"));
        assert_eq!(chunks[1]["usage_metadata"]["total_tokens"], json!(15));
        assert_eq!(chunks[1]["response_metadata"]["stop_reason"], json!("stop"));
        assert_eq!(
            chunks[1]["response_metadata"]["amazon-bedrock-invocationMetrics"]["invocationLatency"],
            json!(300)
        );
    }

    #[test]
    fn chat_completion_streams_take_message_or_delta() {
        let chunks = stream(&[
            json!({"id": "c1", "object": "chat.completion.chunk", "choices": [{"index": 0,
                   "message": {"role": "assistant", "content": "Hel"}, "stop_reason": null}]}),
            json!({"id": "c1", "choices": [{"index": 0, "delta": {"content": "lo"}, "stop_reason": null}]}),
            json!({"id": "c1", "choices": [{"index": 0, "message": {"role": "assistant", "content": ""},
                   "stop_reason": "stop"}],
                   "amazon-bedrock-invocationMetrics": {"inputTokenCount": 4, "outputTokenCount": 2}}),
        ]);
        let text: Vec<&Value> = chunks.iter().map(|c| &c["text"]).collect();
        assert_eq!(text, [&json!("Hel"), &json!("lo"), &json!("")]);
        let meta = &chunks[2]["response_metadata"];
        assert_eq!(meta["stop_reason"], json!("stop"));
        assert_eq!(meta["id"], json!("c1"));
        assert_eq!(chunks[2]["usage_metadata"]["total_tokens"], json!(6));
    }

    #[test]
    fn cut_streams_are_incomplete_and_bad_events_invalid() {
        let mut state = TextEvents::new(MistralEvents);
        state
            .map_event(
                br#"{"outputs":[{"text":"Hi","stop_reason":null}]}"#,
                &info(),
            )
            .unwrap();
        assert_eq!(
            state.finish(&info()).unwrap_err().name(),
            "IncompleteStream"
        );
        assert_eq!(
            state.map_event(b"{", &info()).unwrap_err().name(),
            "InvalidResponse"
        );
    }
}
