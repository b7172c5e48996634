//! The chat models' options, read from a JS object: the connection ([`ClientConfig`]) and each
//! API family's request settings ([`read_converse_options`], [`read_invoke_options`]).

use std::cell::{Cell, RefCell};
use std::fmt;

use js_sys::{Function, Promise, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};

use crate::chat::tools::{normalize_tools, Tool};
use crate::converse::request::ConverseOptions;
use crate::credentials::{choose_auth, AuthSource, CredentialCache, EnvOrigin};
use crate::endpoint::{normalize_endpoint, regional_endpoint, validate_model_id, validate_region};
use crate::invoke::InvokeOptions;
use crate::platform::json;
use crate::retry::DEFAULT_MAX_RETRIES;
use crate::signing::Credentials;
use crate::Error;

/// How requests are authorised.
pub enum Auth {
    /// SigV4 with fixed credentials.
    Static(Credentials),
    /// SigV4 with credentials from a JS function (sync or async), kept until shortly before
    /// they expire.
    Provider(Provider),
    /// A Bedrock API key sent as `Authorization: Bearer`.
    ApiKey(String),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Auth::Static(_) => "Auth::Static(** redacted **)",
            Auth::Provider(_) => "Auth::Provider",
            Auth::ApiKey(_) => "Auth::ApiKey(** redacted **)",
        })
    }
}

/// A credentials provider and what it last gave (see [`crate::credentials`]).
pub struct Provider {
    /// The caller's `credentials` function.
    pub function: Function,
    /// Its last answer, and its call under way (the promise of its result).
    pub cache: RefCell<CredentialCache<Promise>>,
}

/// Everything a client needs for its calls.
#[derive(Debug)]
pub struct ClientConfig {
    /// Model id, inference-profile id or ARN.
    pub model_id: String,
    /// Signing region.
    pub region: String,
    /// Endpoint base URL without a trailing `/`.
    pub base_url: String,
    /// Request authorisation.
    pub auth: Auth,
    /// A caller-supplied `fetch`.
    pub fetch: Option<Function>,
    /// Retries after a failed first attempt (AWS standard mode), unless a call says otherwise.
    pub max_retries: u32,
    /// How far the service's clock is ahead of ours, learnt from a clock-skew error.
    pub clock_offset_ms: Cell<f64>,
}

impl ClientConfig {
    /// Reads options; `TypeError`s for wrong types, `ConfigError` for a missing region or
    /// missing credentials.
    pub fn from_js(options: &JsValue) -> Result<Self, Error> {
        if !options.is_object() {
            return Err(Error::invalid_input("options must be an object"));
        }
        let env = get(options, "env");
        let model_id = string(options, "model")?
            .or(string(options, "modelId")?)
            .ok_or_else(|| Error::invalid_input("model is required"))?;
        validate_model_id(&model_id)?;
        let region = match string(options, "region")? {
            Some(region) => region,
            None => env_var(&env, "AWS_REGION")
                .or_else(|| env_var(&env, "AWS_DEFAULT_REGION"))
                .ok_or_else(|| {
                    Error::config("region is required: pass region or set AWS_REGION")
                })?,
        };
        validate_region(&region)?;
        // The AWS SDKs' endpoint variables: the service-specific one first, then the global one.
        let endpoint = string(options, "endpoint")?
            .or_else(|| env_var(&env, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME"))
            .or_else(|| env_var(&env, "AWS_ENDPOINT_URL"));
        let base_url = match endpoint {
            Some(endpoint) => normalize_endpoint(&endpoint)?,
            None => regional_endpoint(&region)?,
        };
        let fetch = match get(options, "fetch") {
            None => None,
            Some(f) => Some(
                f.dyn_into::<Function>()
                    .map_err(|_| Error::invalid_input("fetch must be a function"))?,
            ),
        };
        Ok(Self {
            model_id,
            region,
            base_url,
            auth: read_auth(options, &env)?,
            fetch,
            max_retries: max_retries(options)?.unwrap_or(DEFAULT_MAX_RETRIES),
            clock_offset_ms: Cell::new(0.0),
        })
    }

    /// The configuration without secrets, for `toJSON`: the connection, then `settings`
    /// (the API family's request settings, those that are set).
    pub fn redacted_json(&self, settings: Vec<(&str, Option<Value>)>) -> Value {
        let mut out = json!({
            "model": self.model_id,
            "region": self.region,
            "endpoint": self.base_url,
            "maxRetries": self.max_retries,
            "auth": match self.auth {
                Auth::Static(_) | Auth::Provider(_) => "sigv4",
                Auth::ApiKey(_) => "apiKey",
            },
        });
        for (key, value) in settings {
            if let Some(value) = value {
                out[key] = value;
            }
        }
        out
    }
}

/// Converse settings for `toJSON`.
pub fn converse_settings(c: &ConverseOptions) -> Vec<(&'static str, Option<Value>)> {
    vec![
        ("temperature", c.temperature.map(|v| json!(v))),
        ("maxTokens", c.max_tokens.map(|v| json!(v))),
        ("topP", c.top_p.map(|v| json!(v))),
        ("stopSequences", c.stop_sequences.as_ref().map(|v| json!(v))),
        (
            "additionalModelRequestFields",
            c.additional_model_request_fields.clone(),
        ),
        ("toolChoice", c.tool_choice.as_ref().map(|v| json!(v))),
        ("tools", c.tools.as_deref().map(tool_summary)),
    ]
}

/// InvokeModel settings for `toJSON`.
pub fn invoke_settings(c: &InvokeOptions) -> Vec<(&'static str, Option<Value>)> {
    vec![
        ("temperature", c.temperature.map(|v| json!(v))),
        ("maxTokens", c.max_tokens.map(|v| json!(v))),
        ("topP", c.top_p.map(|v| json!(v))),
        ("topK", c.top_k.map(|v| json!(v))),
        ("stopSequences", c.stop_sequences.as_ref().map(|v| json!(v))),
        ("thinking", c.thinking.clone()),
        ("betas", c.betas.as_ref().map(|v| json!(v))),
        ("modelKwargs", c.model_kwargs.clone().map(Value::Object)),
        ("toolChoice", c.tool_choice.as_ref().map(|v| json!(v))),
        ("tools", c.tools.as_deref().map(tool_summary)),
    ]
}

/// Tools as their names (cache points and system tools as given).
fn tool_summary(tools: &[Tool]) -> Value {
    tools
        .iter()
        .map(|tool| match tool {
            Tool::ToolSpec(spec) => json!(spec.name),
            Tool::SystemTool(v) | Tool::CachePoint(v) => v.clone(),
        })
        .collect()
}

/// Authorisation from the first source set: the `apiKey` option, the `credentials` option,
/// `AWS_BEARER_TOKEN_BEDROCK`, then `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` in `env`.
fn read_auth(options: &JsValue, env: &Option<JsValue>) -> Result<Auth, Error> {
    let api_key = string(options, "apiKey")?;
    let credentials = get(options, "credentials");
    let source = choose_auth(
        api_key,
        credentials,
        |key| env_var(env, key),
        env_origin(env),
    )?;
    Ok(match source {
        AuthSource::ApiKeyOption(key) | AuthSource::EnvApiKey(key) => Auth::ApiKey(key),
        AuthSource::EnvCredentials(credentials) => Auth::Static(credentials),
        AuthSource::CredentialsOption(value) => match value.dyn_into::<Function>() {
            Ok(function) => Auth::Provider(Provider {
                function,
                cache: RefCell::new(CredentialCache::default()),
            }),
            Err(value) => Auth::Static(credentials_from_js(&value)?),
        },
    })
}

/// Whether `env` is the `env` option or `process.env` (the package's JS passes
/// `options.env ?? process.env`).
fn env_origin(env: &Option<JsValue>) -> EnvOrigin {
    let Some(env) = env else {
        return EnvOrigin::None;
    };
    let process_env = get(&js_sys::global().into(), "process").and_then(|p| get(&p, "env"));
    match process_env {
        Some(process_env) if js_sys::Object::is(env, &process_env) => EnvOrigin::ProcessEnv,
        _ => EnvOrigin::Option,
    }
}

/// Reads `expiration` (a `Date`, an ISO 8601 string or epoch milliseconds) as epoch
/// milliseconds; `None` when absent.
pub fn expiration_from_js(value: &JsValue) -> Result<Option<f64>, Error> {
    let Some(expiration) = get(value, "expiration") else {
        return Ok(None);
    };
    let ms = if let Some(date) = expiration.dyn_ref::<js_sys::Date>() {
        date.get_time()
    } else if let Some(text) = expiration.as_string() {
        js_sys::Date::parse(&text)
    } else {
        expiration.as_f64().unwrap_or(f64::NAN)
    };
    if ms.is_finite() {
        Ok(Some(ms))
    } else {
        Err(Error::invalid_input(
            "credentials.expiration must be a Date, an ISO 8601 string or epoch milliseconds",
        ))
    }
}

/// Reads `{ accessKeyId, secretAccessKey, sessionToken? }`.
pub fn credentials_from_js(value: &JsValue) -> Result<Credentials, Error> {
    if !value.is_object() {
        return Err(Error::invalid_input(
            "credentials must be an object or a function returning one",
        ));
    }
    let required = |key: &str| {
        string(value, key)?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::invalid_input(format!("credentials.{key} is required")))
    };
    Ok(Credentials {
        access_key_id: required("accessKeyId")?,
        secret_access_key: required("secretAccessKey")?,
        session_token: string(value, "sessionToken")?.filter(|s| !s.is_empty()),
    })
}

/// Reads the request members that both the model's options and a call's options may set.
pub fn read_converse_options(options: &JsValue) -> Result<ConverseOptions, Error> {
    let max_tokens = positive_int(options, "maxTokens")?;
    let tools = match get(options, "tools") {
        None => None,
        Some(tools) => Some(normalize_tools(&json::from_js(&tools, "tools")?)?),
    };
    let service_tier = match get(options, "serviceTier") {
        None => None,
        Some(tier) => match tier.as_string() {
            Some(kind) => Some(json!({ "type": kind })),
            None => json_object(options, "serviceTier")?,
        },
    };
    let converse = ConverseOptions {
        max_tokens,
        temperature: number(options, "temperature")?,
        top_p: number(options, "topP")?,
        stop_sequences: match string_list(options, "stopSequences")? {
            Some(list) => Some(list),
            None => string_list(options, "stop")?,
        },
        additional_model_request_fields: json_object(options, "additionalModelRequestFields")?,
        additional_model_response_field_paths: string_list(
            options,
            "additionalModelResponseFieldPaths",
        )?,
        guardrail_config: json_object(options, "guardrailConfig")?,
        performance_config: json_object(options, "performanceConfig")?,
        request_metadata: json_object(options, "requestMetadata")?,
        service_tier,
        prompt_variables: json_object(options, "promptVariables")?,
        output_config: json_object(options, "outputConfig")?,
        tools,
        tool_choice: string(options, "toolChoice")?,
    };
    Ok(converse)
}

/// Converse request members that InvokeModel bodies have no place for.
const CONVERSE_ONLY: [&str; 8] = [
    "additionalModelRequestFields",
    "additionalModelResponseFieldPaths",
    "guardrailConfig",
    "performanceConfig",
    "requestMetadata",
    "serviceTier",
    "promptVariables",
    "outputConfig",
];

/// Reads the InvokeModel settings that both the model's options and a call's options may set.
/// A Converse-only member is a `TypeError` rather than dropped.
pub fn read_invoke_options(options: &JsValue) -> Result<InvokeOptions, Error> {
    if let Some(key) = CONVERSE_ONLY.iter().find(|key| get(options, key).is_some()) {
        return Err(Error::invalid_input(format!(
            "{key}: a Converse option, which InvokeModel has no place for; use ChatBedrockConverse, or modelKwargs for the model's native members"
        )));
    }
    let tools = match get(options, "tools") {
        None => None,
        Some(tools) => Some(normalize_tools(&json::from_js(&tools, "tools")?)?),
    };
    Ok(InvokeOptions {
        max_tokens: positive_int(options, "maxTokens")?,
        temperature: number(options, "temperature")?,
        top_p: number(options, "topP")?,
        top_k: positive_int(options, "topK")?,
        stop_sequences: match string_list(options, "stopSequences")? {
            Some(list) => Some(list),
            None => string_list(options, "stop")?,
        },
        thinking: json_object(options, "thinking")?,
        betas: string_list(options, "betas")?,
        tools,
        tool_choice: string(options, "toolChoice")?,
        model_kwargs: match json_object(options, "modelKwargs")? {
            Some(Value::Object(map)) => Some(map),
            _ => None,
        },
    })
}

/// A whole number from 1 to `u32::MAX`.
fn positive_int(options: &JsValue, key: &str) -> Result<Option<u32>, Error> {
    match number(options, key)? {
        None => Ok(None),
        Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= u32::MAX as f64 => Ok(Some(n as u32)),
        Some(_) => Err(Error::invalid_input(format!(
            "{key} must be a positive integer"
        ))),
    }
}

/// `maxRetries`: a whole number from 0 to 10.
pub fn max_retries(options: &JsValue) -> Result<Option<u32>, Error> {
    match number(options, "maxRetries")? {
        None => Ok(None),
        Some(n) if (0.0..=10.0).contains(&n) && n.fract() == 0.0 => Ok(Some(n as u32)),
        Some(_) => Err(Error::invalid_input(
            "maxRetries must be a whole number from 0 to 10",
        )),
    }
}

/// A property that is neither `undefined` nor `null`.
pub fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

pub fn string(object: &JsValue, key: &str) -> Result<Option<String>, Error> {
    match get(object, key) {
        None => Ok(None),
        Some(v) => v
            .as_string()
            .map(Some)
            .ok_or_else(|| Error::invalid_input(format!("{key} must be a string"))),
    }
}

fn number(object: &JsValue, key: &str) -> Result<Option<f64>, Error> {
    match get(object, key) {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(Error::invalid_input(format!(
                "{key} must be a finite number"
            ))),
        },
    }
}

fn string_list(object: &JsValue, key: &str) -> Result<Option<Vec<String>>, Error> {
    match get(object, key) {
        None => Ok(None),
        Some(v) => match json::from_js(&v, key)? {
            Value::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s),
                    _ => Err(Error::invalid_input(format!(
                        "{key} must be an array of strings"
                    ))),
                })
                .collect::<Result<_, _>>()
                .map(Some),
            _ => Err(Error::invalid_input(format!(
                "{key} must be an array of strings"
            ))),
        },
    }
}

fn json_object(object: &JsValue, key: &str) -> Result<Option<Value>, Error> {
    match get(object, key) {
        None => Ok(None),
        Some(v) => match json::from_js(&v, key) {
            Ok(value @ Value::Object(_)) => Ok(Some(value)),
            _ => Err(Error::invalid_input(format!("{key} must be a JSON object"))),
        },
    }
}

fn env_var(env: &Option<JsValue>, key: &str) -> Option<String> {
    env.as_ref()
        .and_then(|env| get(env, key))
        .and_then(|v| v.as_string())
        .filter(|s| !s.is_empty())
}
