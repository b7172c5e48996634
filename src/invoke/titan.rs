//! Amazon Titan Text's native format: the conversation as one `User:`/`Bot:` prompt in
//! `inputText` with `textGenerationConfig`; replies `{inputTextTokenCount, results: [{tokenCount,
//! outputText, completionReason}]}`; stream events `{outputText, index, inputTextTokenCount,
//! totalOutputTextTokenCount, completionReason}`, the last with the invocation metrics.

use serde_json::Value;

use super::json_writer::JsonWriter;
use super::provider::{Identity, Provider, Request};
use super::reply::{
    count, json_object, message, take, take_string, text_block, TextPiece, INVOCATION_METRICS,
};
use super::transcript::Transcript;
use super::{present, ProviderEvents, TextEvent, TextEvents};
use crate::chat::output::{AIMessage, CallInfo};
use crate::chat::settings::Setting::{
    Betas, MaxTokens, StopSequences, Temperature, Thinking, Tools, TopK, TopP,
};
use crate::chat::settings::Settings;
use crate::chat::usage::UsageMetadata;
use crate::Error;

/// Amazon Titan Text.
pub struct Titan;

impl Provider for Titan {
    fn identity(&self) -> &'static Identity {
        const IDENTITY: &Identity = &Identity::of(
            "titan",
            "Amazon Titan Text models",
            &[TopK, Tools, Thinking, Betas],
        )
        .vendor("amazon", |model| {
            model.contains("titan-text") || model.contains("titan-tg1")
        });
        IDENTITY
    }

    /// The prompt is `[SYSTEM\n\n]User: …\nBot: …\nUser: …\nBot:`, one line per turn; a
    /// conversation that ends with an AI message ends with its text, which the model continues.
    fn request_body(&self, mut request: Request, out: &mut JsonWriter) -> Result<(), Error> {
        let transcript = request.take_transcript();
        body(transcript, request.settings, out);
        Ok(())
    }

    fn map_reply(&self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        map_response(body, info)
    }

    fn events(&self) -> Box<dyn ProviderEvents> {
        Box::new(TextEvents::new(TitanEvents::default()))
    }
}

/// The `inputText` prompt and `textGenerationConfig`.
fn body(transcript: Transcript, options: &Settings, out: &mut JsonWriter) {
    out.text("inputText", &transcript.dialogue("User", "Bot"));
    out.settings_object(
        "textGenerationConfig",
        options,
        &[
            ("maxTokenCount", MaxTokens),
            ("temperature", Temperature),
            ("topP", TopP),
            ("stopSequences", StopSequences),
        ],
    );
}

/// Maps a Titan Text InvokeModel reply: the first result's text as the model gave it.
pub fn map_response(body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
    let mut reply = json_object(body, "the Titan Text reply")?;
    let result = match take(&mut reply, "results") {
        Some(Value::Array(results)) => results.into_iter().next(),
        _ => None,
    };
    let Some(Value::Object(mut result)) = result else {
        return Err(Error::invalid_response(
            "the Titan Text reply has no results",
        ));
    };
    let Some(text) = take_string(&mut result, "outputText") else {
        return Err(Error::invalid_response(
            "the Titan Text result has no outputText",
        ));
    };
    let input = count(&reply, "inputTextTokenCount");
    let output = count(&result, "tokenCount");
    let usage = input.map(|input| UsageMetadata::new(input, output.unwrap_or(0), None, 0, 0));
    let fields = present(&mut [
        ("stop_reason", take(&mut result, "completionReason")),
        ("inputTextTokenCount", input.map(Value::from)),
        ("tokenCount", output.map(Value::from)),
    ]);
    Ok(message(info, vec![text_block(text)], fields, usage))
}

/// The state of one Titan Text stream: the input count from the first event until the last
/// brings the output total.
#[derive(Debug, Default)]
pub struct TitanEvents {
    input_tokens: Option<u64>,
}

impl TextEvent for TitanEvents {
    fn piece(&mut self, event: &[u8]) -> Result<TextPiece, Error> {
        let mut event = json_object(event, "a Titan Text event")?;
        let input = count(&event, "inputTextTokenCount");
        self.input_tokens = input.or(self.input_tokens);
        let output = count(&event, "totalOutputTextTokenCount");
        let piece = TextPiece {
            text: take_string(&mut event, "outputText").unwrap_or_default(),
            stop_reason: take(&mut event, "completionReason"),
            usage: self
                .input_tokens
                .zip(output)
                .map(|(input, output)| UsageMetadata::new(input, output, None, 0, 0)),
            metrics: take(&mut event, INVOCATION_METRICS),
            fields: present(&mut [
                ("inputTextTokenCount", input.map(Value::from)),
                ("totalOutputTextTokenCount", output.map(Value::from)),
            ]),
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
    use crate::invoke::test_support::refusal;
    use crate::invoke::test_support::{call_info, recorded_call, recorded_events, refused};
    use serde_json::json;

    fn info() -> CallInfo {
        call_info("run-t", "amazon.titan-text-express-v1")
    }

    fn body(options: &Settings, input: Value) -> Value {
        let messages = normalize_messages(input).unwrap();
        serde_json::from_slice(
            &build(&Titan, "amazon.titan-text-express-v1", options, &messages).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn the_recorded_request_settings_and_the_prompt_template() {
        // openinference-js should-handle-amazon-titan-models sent its text as the whole prompt;
        // a chat model sends the turn template around it, with the same settings.
        let (sent, _) = recorded_call("should-handle-amazon-titan-models.json");
        let options = Settings {
            max_tokens: Some(100),
            temperature: Some(0.7),
            ..Default::default()
        };
        let got = body(&options, sent["inputText"].clone());
        assert_eq!(
            got,
            json!({"inputText": "User: Hello, how are you?\nBot:",
                   "textGenerationConfig": sent["textGenerationConfig"]})
        );
        let got = body(
            &Settings {
                top_p: Some(0.9),
                stop_sequences: Some(vec!["User:".into()]),
                model_kwargs: Some(json!({"extra": 1}).as_object().unwrap().clone()),
                ..Default::default()
            },
            json!([
                ["system", "Be brief."],
                ["human", "Hi"],
                ["ai", "Hello!"],
                ["human", ["a", "b"]]
            ]),
        );
        assert_eq!(
            got,
            json!({"inputText": "Be brief.\n\nUser: Hi\nBot: Hello!\nUser: a\nb\nBot:",
                   "textGenerationConfig": {"topP": 0.9, "stopSequences": ["User:"]}, "extra": 1})
        );
        // A trailing AI message is continued.
        let got = body(
            &Settings::default(),
            json!([["human", "Hi"], ["ai", "Hello"]]),
        );
        assert_eq!(got, json!({"inputText": "User: Hi\nBot: Hello"}));
    }

    #[test]
    fn what_titan_cannot_take_is_a_type_error() {
        let messages = normalize_messages(json!("hi")).unwrap();
        refused(
            |o| build(&Titan, "amazon.titan-text-express-v1", o, &messages),
            &["topK", "tools", "toolChoice", "thinking", "betas"],
        );
        let image = normalize_messages(json!([["human", ["hi",
            {"type": "image", "mimeType": "image/png", "data": "iVBORw0KGgo="}]]]))
        .unwrap();
        let err = refusal(&Titan, "amazon.titan-text-express-v1", &image);
        assert_eq!(
            err.message(),
            "messages[0].content[1]: Amazon Titan Text models take text only, not images"
        );
    }

    #[test]
    fn recorded_replies_map_text_usage_and_completion_reason() {
        for name in [
            "should-handle-amazon-titan-models.json",
            "should-handle-non-anthropic-models.json",
        ] {
            let (_, reply) = recorded_call(name);
            let result = &reply["results"][0];
            let got =
                serde_json::to_value(map_response(reply.to_string().as_bytes(), info()).unwrap())
                    .unwrap();
            assert_eq!(got["content"], result["outputText"], "{name}");
            let meta = &got["response_metadata"];
            assert_eq!(meta["stop_reason"], json!("FINISH"));
            assert_eq!(meta["model_id"], json!("amazon.titan-text-express-v1"));
            assert_eq!(meta["tokenCount"], result["tokenCount"]);
            assert_eq!(meta["inputTextTokenCount"], reply["inputTextTokenCount"]);
            assert_eq!(
                got["usage_metadata"]["input_tokens"],
                reply["inputTextTokenCount"]
            );
            assert_eq!(got["usage_metadata"]["output_tokens"], result["tokenCount"]);
        }
        let headers = CallInfo {
            headers: vec![("x-amzn-bedrock-input-token-count".into(), "6".into())],
            ..info()
        };
        let got = map_response(br#"{"results":[{"outputText":"x"}]}"#, headers).unwrap();
        assert_eq!(got.usage.unwrap().input_tokens, 6);
        for bad in [&b"nope"[..], br#"{"results":[]}"#, br#"{"results":[{}]}"#] {
            assert_eq!(
                map_response(bad, info()).unwrap_err().name(),
                "InvalidResponse"
            );
        }
    }

    #[test]
    fn the_recorded_stream_carries_its_text_and_usage() {
        let events = recorded_events("openinference-js/should-handle-amazon-titan-streaming");
        let natives: Vec<Value> = events
            .iter()
            .map(|e| serde_json::from_str(e).unwrap())
            .collect();
        let want: String = natives
            .iter()
            .map(|e| e["outputText"].as_str().unwrap())
            .collect();
        let mut state = TextEvents::new(TitanEvents::default());
        let chunks: Vec<Value> = events
            .iter()
            .filter_map(|e| state.map_event(e.as_bytes(), &info()).unwrap())
            .map(|c| serde_json::to_value(c).unwrap())
            .collect();
        assert_eq!(state.finish(&info()).unwrap(), None);
        let text: String = chunks.iter().map(|c| c["text"].as_str().unwrap()).collect();
        assert_eq!(text, want);
        let last = chunks.last().unwrap();
        assert_usage(&last["usage_metadata"], 13, 100);
        let meta = &last["response_metadata"];
        assert_eq!(meta["stop_reason"], json!("LENGTH"));
        assert_eq!(meta["model_id"], json!("amazon.titan-text-express-v1"));
        assert_eq!(meta["inputTextTokenCount"], json!(13));
        assert_eq!(meta["totalOutputTextTokenCount"], json!(100));
        assert_eq!(meta[INVOCATION_METRICS], natives[1][INVOCATION_METRICS]);
        let mut cut = TextEvents::new(TitanEvents::default());
        cut.map_event(br#"{"outputText":"a","index":0}"#, &info())
            .unwrap();
        assert_eq!(cut.finish(&info()).unwrap_err().name(), "IncompleteStream");
        assert_eq!(
            cut.map_event(b"[", &info()).unwrap_err().name(),
            "InvalidResponse"
        );
    }
}
