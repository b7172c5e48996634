//! Scaffolding shared by the providers' tests: call info, native events folded through a
//! provider's stream state, and the recorded traffic in `../shared/vectors/recorded`.

use std::path::PathBuf;

use serde_json::Value;

use super::provider::Provider;
use super::registry::request_body;
use super::ProviderEvents;
use crate::chat::input::ChatMessage;
use crate::chat::output::CallInfo;
use crate::chat::settings::Settings;
use crate::chat::tools::normalize_tools;
use crate::Error;

/// Call info for model `model`, run id `run_id`.
pub(crate) fn call_info(run_id: &str, model: &str) -> CallInfo {
    CallInfo {
        run_id: run_id.into(),
        model_name: model.into(),
        ..Default::default()
    }
}

/// The chunks (as JSON) that `events` give through `state`, which must then end cleanly.
pub(crate) fn fold<P: ProviderEvents>(
    state: &mut P,
    info: &CallInfo,
    events: impl IntoIterator<Item = impl AsRef<[u8]>>,
) -> Vec<Value> {
    let mut out = Vec::new();
    for event in events {
        if let Some(chunk) = state.map_event(event.as_ref(), info).unwrap() {
            out.push(serde_json::to_value(chunk).unwrap());
        }
    }
    assert_eq!(state.finish(info).unwrap(), None);
    out
}

/// The request body of `provider` for `model`, through the shared steps.
pub(crate) fn build(
    provider: &dyn Provider,
    model: &str,
    settings: &Settings,
    messages: &[ChatMessage],
) -> Result<Vec<u8>, Error> {
    request_body(provider, model, settings, messages.to_vec())
}

/// A system message and four turns, the last a human one.
pub(crate) fn four_turns() -> Value {
    serde_json::json!([
        ["system", "Be brief."],
        ["human", "Hi"],
        ["ai", "Hello!"],
        ["human", "Bye"]
    ])
}

/// The `TypeError` `provider` gives for `messages`, with no settings.
pub(crate) fn refusal(provider: &dyn Provider, model: &str, messages: &[ChatMessage]) -> Error {
    let err = build(provider, model, &Settings::default(), messages).unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    err
}

/// Asserts `usage_metadata` with these counts and no cache tokens (a derived total).
pub(crate) fn assert_usage(usage: &Value, input: u64, output: u64) {
    assert_eq!(
        *usage,
        serde_json::json!({"input_tokens": input, "output_tokens": output,
            "total_tokens": input + output,
            "input_token_details": {"cache_read": 0, "cache_creation": 0}})
    );
}

/// Options with only the setting `name` set (`topK`, `topP`, `stopSequences`, `tools`,
/// `toolChoice`, `thinking`, `betas`).
pub(crate) fn only(name: &str) -> Settings {
    let mut options = Settings::default();
    match name {
        "topK" => options.top_k = Some(5),
        "topP" => options.top_p = Some(0.5),
        "stopSequences" => options.stop_sequences = Some(vec!["x".into()]),
        "tools" => {
            options.tools = Some(normalize_tools(&serde_json::json!([{"name": "w"}])).unwrap())
        }
        "toolChoice" => options.tool_choice = Some("auto".into()),
        "thinking" => options.thinking = Some(serde_json::json!({"type": "enabled"})),
        "betas" => options.betas = Some(vec!["x".into()]),
        other => panic!("no setting {other}"),
    }
    options
}

/// Asserts that `build` refuses each of `names`, set alone, with a `TypeError` that names it
/// first; returns the messages.
pub(crate) fn refused(
    build: impl Fn(&Settings) -> Result<Vec<u8>, Error>,
    names: &[&str],
) -> Vec<String> {
    names
        .iter()
        .map(|name| {
            let err = build(&only(name)).unwrap_err();
            assert!(err.is_invalid_input(), "{name}: {err}");
            assert!(err.message().starts_with(&format!("{name}:")), "{err}");
            err.message()
        })
        .collect()
}

/// A file under `recorded/`.
pub(crate) fn file(path: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vectors/recorded/"
    ))
    .join(path)
}

/// The native events of a recorded invoke stream (`chunk_bytes_decoded` of each frame).
pub(crate) fn recorded_events(name: &str) -> Vec<String> {
    std::fs::read_to_string(file(&format!("derived/{name}.events.jsonl")))
        .unwrap()
        .lines()
        .filter_map(|line| {
            let frame: Value = serde_json::from_str(line).unwrap();
            frame["chunk_bytes_decoded"].as_str().map(str::to_string)
        })
        .collect()
}

/// The request and the reply of the first `/invoke` call in an openinference-js recording.
pub(crate) fn recorded_call(name: &str) -> (Value, Value) {
    let calls: Value = serde_json::from_str(
        &std::fs::read_to_string(file(&format!("openinference-js/recordings/{name}"))).unwrap(),
    )
    .unwrap();
    let call = calls
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"].as_str().unwrap().contains("/invoke"))
        .unwrap();
    (call["body"].clone(), call["response"].clone())
}
