//! Cohere on Bedrock. Command R and R+ take Cohere's chat body, `{message, chat_history,
//! preamble, max_tokens, temperature, p, k, stop_sequences}`, and answer `{response_id, text,
//! generation_id, finish_reason, meta}`; their stream events have an `event_type`
//! (`stream-start`, `text-generation`, `stream-end`). The legacy Command models
//! (`command-text`, `command-light`) take `{prompt, …}` and answer `{id, generations, prompt}`;
//! their stream chunks carry `text` (or `generations`) and `is_finished`.
//!
//! Usage comes from `meta.billed_units` when Command R reports it. Replies and events are told
//! apart by their members, whatever the model id says.

use serde_json::Value;

use super::chat_completions::{not_a_reply, parse, pick};
use super::json_writer::JsonWriter;
use super::provider::{Identity, Provider, Request};
use super::reply::{message, put, put_set, text_block, TextPiece, INVOCATION_METRICS};
use super::transcript::Transcript;
use super::{ProviderEvents, TextEvent, TextEvents};
use crate::chat::input::Role;
use crate::chat::output::{AIMessage, CallInfo};
use crate::chat::settings::Setting::{
    Betas, MaxTokens, StopSequences, Temperature, Thinking, Tools, TopK, TopP,
};
use crate::chat::settings::Settings;
use crate::chat::usage::UsageMetadata;
use crate::Error;

const WHAT: &str = "a Cohere Command reply";

/// Whether the model is a legacy Command text model; any other id (Command R, ARNs) gets the
/// chat body.
fn is_legacy(model_id: &str) -> bool {
    model_id.contains("command-text") || model_id.contains("command-light")
}

/// Cohere's Command models.
pub struct Cohere;

impl Provider for Cohere {
    fn identity(&self) -> &'static Identity {
        const IDENTITY: &Identity =
            &Identity::of("cohere", "Cohere Command models", &[Tools, Thinking, Betas]);
        IDENTITY
    }

    /// Cohere's chat body for Command R, a prompt for legacy Command.
    fn request_body(&self, mut request: Request, out: &mut JsonWriter) -> Result<(), Error> {
        let transcript = request.take_transcript();
        body(
            request.model_id,
            transcript,
            request.settings,
            self.identity().label,
            out,
        )
    }

    fn map_reply(&self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        map_response(body, info)
    }

    fn events(&self) -> Box<dyn ProviderEvents> {
        Box::new(TextEvents::new(CohereEvents))
    }
}

/// Cohere's chat body for Command R, the prompt body for legacy Command.
fn body(
    model_id: &str,
    mut transcript: Transcript,
    options: &Settings,
    label: &str,
    out: &mut JsonWriter,
) -> Result<(), Error> {
    if is_legacy(model_id) {
        out.text("prompt", &prompt(transcript));
    } else {
        let last = transcript
            .turns
            .pop()
            .filter(|t| t.role == Role::User)
            .ok_or_else(|| {
                Error::invalid_input(format!(
                    "messages: {label} need a human message last (Cohere's chat body answers one)"
                ))
            })?;
        out.text("message", &last.text);
        if !transcript.turns.is_empty() {
            out.key("chat_history").open_list();
            for turn in &transcript.turns {
                let role = if turn.role == Role::User {
                    "USER"
                } else {
                    "CHATBOT"
                };
                out.open()
                    .text("role", role)
                    .text("message", &turn.text)
                    .close();
            }
            out.close_list();
        }
        if let Some(system) = &transcript.system {
            out.text("preamble", system);
        }
    }
    out.settings(
        options,
        &[
            ("max_tokens", MaxTokens),
            ("temperature", Temperature),
            ("p", TopP),
            ("k", TopK),
            ("stop_sequences", StopSequences),
        ],
    );
    Ok(())
}

/// The legacy prompt: one human turn alone is sent as it is; anything more as `User:` and
/// `Chatbot:` lines after the system text, ending with `Chatbot:` for the answer (or with an
/// open last `Chatbot:` turn, for the model to continue).
fn prompt(transcript: Transcript) -> String {
    if let (None, [only]) = (&transcript.system, transcript.turns.as_slice()) {
        if only.role == Role::User {
            return only.text.clone();
        }
    }
    transcript.dialogue("User", "Chatbot")
}

/// Usage from Command R's `meta.billed_units`.
fn billed_usage(meta: Option<&Value>) -> Option<UsageMetadata> {
    let units = meta?.get("billed_units")?;
    let count = |key: &str| units.get(key).and_then(Value::as_f64).map(|n| n as u64);
    Some(UsageMetadata::new(
        count("input_tokens")?,
        count("output_tokens").unwrap_or(0),
        None,
        0,
        0,
    ))
}

/// Maps a Cohere reply: legacy `generations`, or Command R's `text`.
pub fn map_response(body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
    let reply = parse(body, WHAT)?;
    let invalid = || not_a_reply(WHAT);
    let (text, mut fields, usage) = match reply.get("generations") {
        Some(generations) => {
            let first = generations.get(0).ok_or_else(invalid)?;
            let mut fields = pick(&reply, &["id"]);
            if let Some(id) = first.get("id") {
                put(&mut fields, "generation_id", id.clone());
            }
            (first.get("text"), fields, None)
        }
        None if reply.get("text").or(reply.get("response_id")).is_some() => {
            let fields = pick(&reply, &["response_id", "generation_id", "meta"]);
            (reply.get("text"), fields, billed_usage(reply.get("meta")))
        }
        None => return Err(invalid()),
    };
    let text = text.and_then(Value::as_str).unwrap_or_default();
    let finish = reply
        .get("finish_reason")
        .or_else(|| reply.get("generations")?.get(0)?.get("finish_reason"));
    put_set(&mut fields, "stop_reason", finish.cloned());
    Ok(message(info, vec![text_block(text.into())], fields, usage))
}

/// The events of a Cohere stream (either shape).
#[derive(Debug, Default)]
pub struct CohereEvents;

impl TextEvent for CohereEvents {
    fn piece(&mut self, event: &[u8]) -> Result<TextPiece, Error> {
        let event = serde_json::from_slice::<Value>(event)
            .map_err(|e| Error::invalid_response(format!("Cohere event is not valid: {e}")))?;
        let generation = event.get("generations").and_then(|g| g.get(0));
        // Command R's `stream-end` repeats the whole answer in `response`; only
        // `text-generation` events (and legacy chunks, which have no type) add text.
        let text = match event.get("event_type").and_then(Value::as_str) {
            None | Some("text-generation") => event
                .get("text")
                .or_else(|| generation.and_then(|g| g.get("text"))),
            Some(_) => None,
        };
        let response = event.get("response").unwrap_or(&Value::Null);
        let mut fields = pick(&event, &["generation_id"]);
        fields.extend(pick(
            response,
            &["id", "response_id", "generation_id", "meta"],
        ));
        let piece = TextPiece {
            text: text.and_then(Value::as_str).unwrap_or_default().to_string(),
            stop_reason: event
                .get("finish_reason")
                .or_else(|| generation?.get("finish_reason"))
                .cloned(),
            usage: billed_usage(response.get("meta")),
            metrics: event.get(INVOCATION_METRICS).cloned(),
            fields,
            ..Default::default()
        };
        Ok(piece)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::input::normalize_messages;
    use crate::invoke::test_support::build;
    use crate::invoke::test_support::four_turns;
    use crate::invoke::test_support::{call_info, fold};
    use serde_json::json;

    const COMMAND: &str = "cohere.command-text-v14";
    const COMMAND_R: &str = "cohere.command-r-v1:0";

    fn body(model_id: &str, options: &Settings, input: Value) -> Result<String, Error> {
        let messages = normalize_messages(input).unwrap();
        build(&Cohere, model_id, options, &messages).map(|b| String::from_utf8(b).unwrap())
    }

    fn info() -> CallInfo {
        call_info("run-c", COMMAND_R)
    }

    fn stream(events: &[Value]) -> Vec<Value> {
        let events = events.iter().map(Value::to_string);
        fold(&mut TextEvents::new(CohereEvents), &info(), events)
    }

    #[test]
    fn the_recorded_legacy_request() {
        // should-handle-cohere-command-models.json sent exactly this body.
        let options = Settings {
            max_tokens: Some(100),
            temperature: Some(0.7),
            top_p: Some(0.9),
            top_k: Some(0),
            stop_sequences: Some(Vec::new()),
            ..Default::default()
        };
        assert_eq!(
            body(COMMAND, &options, json!([["human", "Hello, how are you?"]])).unwrap(),
            r#"{"prompt":"Hello, how are you?","max_tokens":100,"temperature":0.7,"p":0.9,"k":0,"stop_sequences":[]}"#
        );
        let longer = body(
            "cohere.command-light-text-v14",
            &Settings::default(),
            four_turns(),
        )
        .unwrap();
        assert_eq!(
            longer,
            r#"{"prompt":"Be brief.\n\nUser: Hi\nChatbot: Hello!\nUser: Bye\nChatbot:"}"#
        );
    }

    #[test]
    fn command_r_sends_message_history_and_preamble() {
        let options = Settings {
            max_tokens: Some(50),
            top_k: Some(10),
            stop_sequences: Some(vec!["END".into()]),
            model_kwargs: Some(json!({"seed": 7}).as_object().unwrap().clone()),
            ..Default::default()
        };
        assert_eq!(
            body(COMMAND_R, &options, four_turns()).unwrap(),
            r#"{"message":"Bye","chat_history":[{"role":"USER","message":"Hi"},{"role":"CHATBOT","message":"Hello!"}],"preamble":"Be brief.","max_tokens":50,"k":10,"stop_sequences":["END"],"seed":7}"#
        );
        assert_eq!(
            body(COMMAND_R, &Settings::default(), json!([["human", "Hi"]])).unwrap(),
            r#"{"message":"Hi"}"#
        );
    }

    #[test]
    fn type_errors_name_what_cannot_be_sent() {
        let err = body(
            COMMAND_R,
            &Settings::default(),
            json!([["human", "Hi"], ["ai", "Hello"]]),
        )
        .unwrap_err();
        assert!(err.is_invalid_input());
        assert!(err
            .message()
            .starts_with("messages: Cohere Command models need a human message last"));
        let options = Settings {
            thinking: Some(json!({"type": "enabled"})),
            ..Default::default()
        };
        let err = body(COMMAND, &options, json!([["human", "Hi"]])).unwrap_err();
        assert!(err
            .message()
            .starts_with("thinking: Cohere Command models have no thinking"));
        let err = body(
            COMMAND_R,
            &Settings::default(),
            json!([["human", [{"type": "file", "mimeType": "application/pdf", "data": "JVBERi0="}]]]),
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "messages[0].content[0]: Cohere Command models take text only, not documents"
        );
    }

    #[test]
    fn the_recorded_legacy_reply_maps() {
        // The response of should-handle-cohere-command-models.json.
        let recorded = br#"{"id":"bde031d0-0895-4cc8-baa6-c4d51c739cc2","generations":[{"id":"6043bc09-510a-4589-88bb-cc11783218c1","text":" Hi! I am an AI language model and I don't have feelings, so I can't say how I am, but I'm here to help. How about you? How are you feeling today? ","finish_reason":"COMPLETE"}],"prompt":"Hello, how are you?"}"#;
        let mut call = info();
        call.model_name = COMMAND.into();
        call.headers = vec![
            ("x-amzn-bedrock-input-token-count".into(), "6".into()),
            ("x-amzn-bedrock-output-token-count".into(), "39".into()),
        ];
        let got = serde_json::to_value(map_response(recorded, call).unwrap()).unwrap();
        assert!(got["content"]
            .as_str()
            .unwrap()
            .starts_with(" Hi! I am an AI language model"));
        let meta = &got["response_metadata"];
        assert_eq!(meta["stop_reason"], json!("COMPLETE"));
        assert_eq!(meta["id"], json!("bde031d0-0895-4cc8-baa6-c4d51c739cc2"));
        assert_eq!(
            meta["generation_id"],
            json!("6043bc09-510a-4589-88bb-cc11783218c1")
        );
        assert_eq!(meta["model_id"], json!(COMMAND));
        assert!(meta.get("prompt").is_none());
        assert_eq!(got["usage_metadata"]["total_tokens"], json!(45));
    }

    #[test]
    fn command_r_replies_map_with_billed_usage() {
        let reply = json!({"response_id": "r1", "text": "Hello!", "generation_id": "g1",
            "chat_history": [{"role": "USER", "message": "Hi"}], "finish_reason": "COMPLETE",
            "meta": {"api_version": {"version": "1"}, "billed_units": {"input_tokens": 3, "output_tokens": 2}}});
        let got = serde_json::to_value(map_response(reply.to_string().as_bytes(), info()).unwrap())
            .unwrap();
        assert_eq!(got["content"], json!("Hello!"));
        assert_eq!(got["usage_metadata"]["total_tokens"], json!(5));
        let meta = &got["response_metadata"];
        assert_eq!(meta["stop_reason"], json!("COMPLETE"));
        assert_eq!(
            (&meta["response_id"], &meta["generation_id"]),
            (&json!("r1"), &json!("g1"))
        );
        assert!(meta.get("chat_history").is_none());
        for bad in [&b"{"[..], b"{\"generations\":[]}", b"{\"message\":\"x\"}"] {
            assert_eq!(
                map_response(bad, info()).unwrap_err().name(),
                "InvalidResponse"
            );
        }
    }

    #[test]
    fn command_r_streams() {
        let chunks = stream(&[
            json!({"is_finished": false, "event_type": "stream-start", "generation_id": "g1"}),
            json!({"is_finished": false, "event_type": "text-generation", "text": "Machine"}),
            json!({"is_finished": false, "event_type": "text-generation", "text": " learning"}),
            json!({"is_finished": true, "event_type": "stream-end", "finish_reason": "COMPLETE",
                   "response": {"response_id": "r1", "text": "Machine learning", "generation_id": "g1",
                                "finish_reason": "COMPLETE",
                                "meta": {"billed_units": {"input_tokens": 5, "output_tokens": 2}}},
                   "amazon-bedrock-invocationMetrics": {"inputTokenCount": 70, "outputTokenCount": 2}}),
        ]);
        let text: Vec<&Value> = chunks.iter().map(|c| &c["text"]).collect();
        assert_eq!(text, [&json!("Machine"), &json!(" learning"), &json!("")]);
        let last = &chunks[2];
        assert_eq!(last["usage_metadata"]["input_tokens"], json!(5));
        let meta = &last["response_metadata"];
        assert_eq!(meta["stop_reason"], json!("COMPLETE"));
        assert_eq!(meta["generation_id"], json!("g1"));
        assert_eq!(meta["response_id"], json!("r1"));
    }

    #[test]
    fn legacy_streams_of_either_chunk_shape() {
        let chunks = stream(&[
            json!({"text": " Hi", "is_finished": false}),
            json!({"generations": [{"text": " there", "index": 0}], "is_finished": false}),
            json!({"is_finished": true, "finish_reason": "COMPLETE",
                   "amazon-bedrock-invocationMetrics": {"inputTokenCount": 6, "outputTokenCount": 2}}),
        ]);
        assert_eq!(chunks[0]["text"], json!(" Hi"));
        assert_eq!(chunks[1]["text"], json!(" there"));
        assert_eq!(chunks[2]["usage_metadata"]["total_tokens"], json!(8));
        assert_eq!(
            chunks[2]["response_metadata"]["stop_reason"],
            json!("COMPLETE")
        );
        let mut cut = TextEvents::new(CohereEvents);
        cut.map_event(br#"{"text":"Hi","is_finished":false}"#, &info())
            .unwrap();
        assert_eq!(cut.finish(&info()).unwrap_err().name(), "IncompleteStream");
        assert_eq!(
            cut.map_event(b"[", &info()).unwrap_err().name(),
            "InvalidResponse"
        );
    }
}
