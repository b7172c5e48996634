//! The wasm build in a real browser (`wasm-pack test --headless --chrome`): a signed call to
//! the local emulator through the page's `fetch`, streamed and decoded chunk by chunk.
//! `BEDROCK_EMULATOR_URL` is read at compile time; `make test` sets it.
#![cfg(target_arch = "wasm32")]

use bedrock_edge::api::{wasm_memory_bytes, ChatClass, ChatClient};
use js_sys::{Array, Function, JsString, Object, Reflect, Uint32Array, JSON};
use serde_json::{json, Value};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EMULATOR: Option<&str> = option_env!("BEDROCK_EMULATOR_URL");

/// A plain JS object, as a caller would pass.
fn js(value: Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap()
}

fn rust(value: &JsValue) -> Value {
    let text = js_sys::JSON::stringify(value).unwrap();
    serde_json::from_str(&String::from(text)).unwrap()
}

fn client(model: &str) -> ChatClient {
    let endpoint =
        EMULATOR.expect("BEDROCK_EMULATOR_URL must be set when building the browser tests");
    ChatClient::new(
        js(json!({
            "model": model,
            "region": "us-east-1",
            "endpoint": endpoint,
            "credentials": {
                "accessKeyId": "AKIDEXAMPLE",
                "secretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
            },
            "maxTokens": 256,
            "temperature": 0
        })),
        ChatClass::Converse,
    )
    .unwrap()
}

#[wasm_bindgen(inline_js = "
export function onePieceFetch() {
  return async (url, init) => {
    const reply = await fetch(url, init);
    const bytes = new Uint8Array(await reply.arrayBuffer());
    const body = new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } });
    return new Response(body, { status: reply.status, headers: reply.headers });
  };
}")]
extern "C" {
    /// A `fetch` that reads the whole reply, then hands its body on as one piece.
    #[wasm_bindgen(js_name = onePieceFetch)]
    fn one_piece_fetch() -> Function;
}

/// The chunks of one stream batch (`[string, Uint32Array]`, laid out as src/chunk_batch.rs
/// says), as JS values: the JSON-encoded chunks parsed, and each plain delta as an object with
/// its `text` (empty for tool-argument and reasoning deltas) and `index`. The texts stay JS
/// strings, so that reading them does not count in wasm memory.
fn batch_chunks(batch: &JsValue) -> Array {
    let parts = Array::from(batch);
    let string = JsString::from(parts.get(0));
    let layout = Uint32Array::from(parts.get(1)).to_vec();
    let (mut at, json_start) = (layout[0], layout[1]);
    let others = if json_start < string.length() {
        Array::from(&JSON::parse(&String::from(string.slice(json_start, string.length()))).unwrap())
    } else {
        Array::new()
    };
    let (chunks, mut other, mut i) = (Array::new(), 0, 2);
    while i < layout.len() {
        let tag = layout[i];
        i += 1;
        if tag == 0 {
            chunks.push(&others.get(other));
            other += 1;
            continue;
        }
        let chunk = Object::new();
        if tag & 4 != 0 {
            Reflect::set(&chunk, &"index".into(), &layout[i].into()).unwrap();
            i += 1;
        }
        let end = at + layout[i];
        i += 1;
        let text = if tag & 3 == 1 {
            string.slice(at, end)
        } else {
            JsString::from("")
        };
        Reflect::set(&chunk, &"text".into(), &text).unwrap();
        at = end;
        chunks.push(&chunk);
    }
    chunks
}

/// The chunk texts of a `fault:bulk:<frames>` stream, through `fetch` when given, kept in JS
/// memory (a JS array), so that they do not count in wasm memory.
async fn bulk_texts(frames: u32, fetch: Option<Function>) -> Array {
    let endpoint = EMULATOR.expect("BEDROCK_EMULATOR_URL must be set");
    let options = js(json!({
        "model": format!("fault:bulk:{frames}"),
        "region": "us-east-1",
        "endpoint": endpoint,
        "credentials": {
            "accessKeyId": "AKIDEXAMPLE",
            "secretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        }
    }));
    if let Some(fetch) = fetch {
        Reflect::set(&options, &JsValue::from_str("fetch"), &fetch).unwrap();
    }
    // The model's functions go with each call (the client keeps none).
    let stream = ChatClient::new(options.clone(), ChatClass::Converse)
        .unwrap()
        .stream(js(json!("go")), JsValue::UNDEFINED, options)
        .unwrap();
    let texts = Array::new();
    loop {
        let batch = JsFuture::from(stream.next()).await.unwrap();
        if batch.is_undefined() {
            return texts;
        }
        for chunk in batch_chunks(&batch).iter() {
            texts.push(&Reflect::get(&chunk, &JsValue::from_str("text")).unwrap());
        }
    }
}

fn seed_messages() -> JsValue {
    js(json!([
        ["system", "You are a helpful assistant that translates English to French. Translate the user sentence."],
        ["human", "I love programming."]
    ]))
}

#[wasm_bindgen_test]
async fn seed_example_streams_in_the_browser() {
    let llm = client("anthropic.claude-3-5-sonnet-20240620-v1:0");
    let stream = llm
        .stream(seed_messages(), JsValue::UNDEFINED, JsValue::UNDEFINED)
        .unwrap();
    let mut chunks = Vec::new();
    let mut reads = 0;
    loop {
        let batch = JsFuture::from(stream.next()).await.unwrap();
        if batch.is_undefined() {
            break;
        }
        reads += 1;
        chunks.extend(batch_chunks(&batch).iter());
    }
    assert!(reads >= 1);
    let texts: Vec<String> = chunks
        .iter()
        .filter_map(|c| rust(c)["text"].as_str().map(str::to_string))
        .filter(|t| !t.is_empty())
        .collect();
    assert!(
        texts.len() > 1,
        "the reply arrives in several chunks: {texts:?}"
    );
    assert_eq!(texts.concat(), "J'adore la programmation.");

    let last = rust(chunks.last().unwrap());
    assert!(last["usage_metadata"]["total_tokens"].as_u64().unwrap() > 0);
    assert_eq!(last["response_metadata"]["stopReason"], json!("end_turn"));
    assert_eq!(
        last["response_metadata"]["ResponseMetadata"]["HTTPStatusCode"],
        json!(200)
    );
}

#[wasm_bindgen_test]
async fn seed_example_invokes_in_the_browser() {
    let llm = client("anthropic.claude-3-5-sonnet-20240620-v1:0");
    let message = JsFuture::from(llm.invoke(
        seed_messages(),
        JsValue::UNDEFINED,
        false,
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap();
    let message = rust(&message);
    assert_eq!(message["content"], json!("J'adore la programmation."));
    assert_eq!(message["type"], json!("ai"));
    assert!(message["response_metadata"]["ResponseMetadata"]["RequestId"].is_string());
    // CountTokens over the same request counts what invoke was charged.
    let counted = JsFuture::from(llm.invoke(
        seed_messages(),
        JsValue::UNDEFINED,
        true,
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap();
    assert_eq!(
        counted.as_f64(),
        message["usage_metadata"]["input_tokens"].as_f64()
    );
}

#[wasm_bindgen_test]
async fn throttling_rejects_with_a_named_error() {
    let llm = client("fault:throttle");
    let err = JsFuture::from(llm.invoke(
        seed_messages(),
        JsValue::UNDEFINED,
        false,
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap_err();
    let get = |k: &str| Reflect::get(&err, &JsValue::from_str(k)).unwrap();
    assert_eq!(
        get("name").as_string().as_deref(),
        Some("ThrottlingException")
    );
    assert_eq!(get("status").as_f64(), Some(429.0));
    assert_eq!(get("retryable").as_bool(), Some(true));
    assert!(get("requestId").as_string().is_some());
}

#[wasm_bindgen_test]
async fn a_midstream_exception_frame_fails_the_stream_after_the_first_chunks() {
    let llm = client("fault:exception-midstream");
    let stream = llm
        .stream(seed_messages(), JsValue::UNDEFINED, JsValue::UNDEFINED)
        .unwrap();
    let mut seen = 0;
    let err = loop {
        match JsFuture::from(stream.next()).await {
            Ok(batch) if batch.is_undefined() => panic!("the stream ended without its exception"),
            Ok(batch) => seen += batch_chunks(&batch).length(),
            Err(err) => break err,
        }
    };
    assert!(seen > 0, "text before the exception is delivered");
    let name = Reflect::get(&err, &JsValue::from_str("name")).unwrap();
    assert_eq!(
        name.as_string().as_deref(),
        Some("ModelStreamErrorException")
    );
}

#[wasm_bindgen_test]
fn bad_messages_throw_a_type_error_before_sending() {
    let llm = client("anthropic.claude-3-5-sonnet-20240620-v1:0");
    let err = llm
        .stream(
            js(json!([["wizard", "hi"]])),
            Object::new().into(),
            JsValue::UNDEFINED,
        )
        .err()
        .unwrap();
    assert!(err.is_instance_of::<js_sys::TypeError>());
}

#[wasm_bindgen_test]
async fn a_body_handed_over_in_one_piece_is_copied_into_wasm_memory_a_piece_at_a_time() {
    // 20,000 frames: a 4.7 MiB body, read from the network in pieces of at most 64 KiB.
    let expected = bulk_texts(20_000, None).await;
    assert_eq!(expected.length(), 20_001);
    let before = wasm_memory_bytes();
    let texts = bulk_texts(20_000, Some(one_piece_fetch())).await;
    let grown = wasm_memory_bytes() - before;
    assert_eq!(
        JsValue::from(texts.join("\n")),
        JsValue::from(expected.join("\n")),
        "the same chunks as from the network"
    );
    // The whole body in wasm memory at once would grow it by 4.7 MiB or more.
    assert!(
        grown < 1024.0 * 1024.0,
        "wasm memory grew by {grown} bytes for a body of one piece"
    );
}

/// A client keeps none of the caller's functions: each call uses the `fetch` and credentials
/// provider of the options it is given, so that a function reaching its model cannot keep the
/// model alive through wasm. A call given no options uses the global `fetch`.
#[wasm_bindgen_test]
async fn a_call_uses_the_functions_it_is_given_and_the_client_keeps_none() {
    let endpoint =
        EMULATOR.expect("BEDROCK_EMULATOR_URL must be set when building the browser tests");
    let counting = |name: &str, body: &str| {
        js_sys::Function::new_with_args(
            "url, init",
            &format!("globalThis.{name} = (globalThis.{name} ?? 0) + 1; {body}"),
        )
    };
    let options = js(json!({
        "model": "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "region": "us-east-1",
        "endpoint": endpoint,
        "apiKey": "emulator-api-key",
    }));
    let fetch = counting("__fetched", "return fetch(url, init);");
    Reflect::set(&options, &"fetch".into(), &fetch).unwrap();
    let llm = ChatClient::new(options.clone(), ChatClass::Converse).unwrap();
    let count = |name: &str| {
        Reflect::get(&js_sys::global(), &name.into())
            .unwrap()
            .as_f64()
    };
    let call = |model_options: &JsValue| {
        JsFuture::from(llm.invoke(
            seed_messages(),
            JsValue::UNDEFINED,
            false,
            model_options.clone(),
        ))
    };
    call(&options).await.unwrap();
    assert_eq!(count("__fetched"), Some(1.0));
    let message = rust(&call(&JsValue::UNDEFINED).await.unwrap());
    assert_eq!(message["content"], json!("J'adore la programmation."));
    assert_eq!(count("__fetched"), Some(1.0), "the client kept the fetch");

    // A credentials provider likewise: asked through the options of the call.
    let options = js(json!({
        "model": "anthropic.claude-3-5-sonnet-20240620-v1:0",
        "region": "us-east-1",
        "endpoint": endpoint,
    }));
    let provider = counting(
        "__asked",
        "return { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };",
    );
    Reflect::set(&options, &"credentials".into(), &provider).unwrap();
    let llm = ChatClient::new(options.clone(), ChatClass::Converse).unwrap();
    let stream = llm
        .stream(seed_messages(), JsValue::UNDEFINED, options)
        .unwrap();
    assert!(JsFuture::from(stream.next()).await.unwrap().is_object());
    assert_eq!(count("__asked"), Some(1.0));
}
