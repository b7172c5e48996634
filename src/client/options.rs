//! The chat models' options, read from a JS object ([`JsOptions`], the core's
//! [`OptionSource`]): the connection ([`ClientConfig`]), after the check that every key is one
//! the class takes ([`crate::options::set`]).

use std::cell::{Cell, RefCell};
use std::fmt;

use js_sys::{Function, Promise};
use serde_json::{json, Map, Value};
use wasm_bindgen::{JsCast, JsValue};

use crate::credentials::{choose_auth, AuthSource, CredentialCache, EnvOrigin};
use crate::endpoint::{
    normalize_endpoint, refuse_clear_text, regional_endpoint, validate_model_id, validate_region,
};
use crate::gateway::{Gateway, TOKEN_VARIABLE};
use crate::header_text::check_header_text;
use crate::options::set::{check_keys, ModelClass, Scope};
use crate::options::source::OptionSource;
use crate::platform::property::get;
use crate::platform::{env, json, time};
use crate::retry::DEFAULT_MAX_RETRIES;
use crate::signing::Credentials;
use crate::Error;

/// How requests are authorised.
pub enum Auth {
    /// SigV4 with fixed credentials.
    Static(Credentials),
    /// SigV4 with credentials from the caller's function (sync or async, passed to each call
    /// in [`CallerFunctions`]), kept until shortly before they expire.
    Provider(Provider),
    /// A Bedrock API key sent as `Authorization: Bearer`.
    ApiKey(String),
    /// None: Cloudflare AI Gateway signs with the AWS keys stored in it (`aiGateway.byok`).
    Gateway,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Auth::Static(_) => "Auth::Static(** redacted **)",
            Auth::Provider(_) => "Auth::Provider",
            Auth::ApiKey(_) => "Auth::ApiKey(** redacted **)",
            Auth::Gateway => "Auth::Gateway",
        })
    }
}

/// What a credentials provider last gave (see [`crate::credentials`]); the provider itself is
/// passed to each call ([`CallerFunctions`]).
pub struct Provider {
    /// Its last answer, and its call under way (the promise of its result).
    pub cache: RefCell<CredentialCache<Promise>>,
}

/// The caller's functions among a model's options: `fetch`, and `credentials` when it is a
/// provider. They are read from the options object for each call, never kept by a client.
///
/// The package's JS model holds its options and passes them to each call, which holds them only
/// while it runs. What the wasm side holds is a root the JS garbage collector cannot see
/// through, so a kept function that can reach its model (any closure in the scope of a variable
/// holding the model) would keep that model, and its wasm memory, for ever.
pub struct CallerFunctions(pub JsValue);

impl CallerFunctions {
    /// The caller's `fetch` (checked to be a function when the client was made).
    pub fn fetch(&self) -> Option<Function> {
        get(&self.0, "fetch").map(JsCast::unchecked_into)
    }

    /// The credentials provider, when [`Auth::Provider`] chose it: calling anything else throws,
    /// which its caller reports as the provider's failure.
    pub fn credentials(&self) -> Function {
        get(&self.0, "credentials")
            .unwrap_or_default()
            .unchecked_into()
    }
}

/// Everything a client needs for its calls.
#[derive(Debug)]
pub struct ClientConfig {
    /// Model id, inference-profile id or ARN.
    pub model_id: String,
    /// Signing region.
    pub region: String,
    /// Where requests go: the endpoint's base URL without a trailing `/`.
    pub base_url: String,
    /// The base URL requests are signed for: `base_url`, but Bedrock's own regional endpoint
    /// when they go through AI Gateway.
    pub signing_base: String,
    /// Cloudflare AI Gateway, when requests go through one.
    pub gateway: Option<Gateway>,
    /// Request authorisation.
    pub auth: Auth,
    /// Retries after a failed first attempt (AWS standard mode), unless a call says otherwise.
    pub max_retries: u32,
    /// How far the service's clock is ahead of ours, learnt from a clock-skew error.
    pub clock_offset_ms: Cell<f64>,
}

impl ClientConfig {
    /// Reads the options of a model of `class`; `TypeError`s for keys the class does not take
    /// and for wrong types, `ConfigError` for a missing region or missing credentials.
    pub fn from_js(class: ModelClass, options: &JsValue) -> Result<Self, Error> {
        if !options.is_object() {
            return Err(Error::invalid_input("options must be an object"));
        }
        check_keys(class, Scope::Model, &JsOptions(options).keys())?;
        let env = get(options, "env");
        let model_id = string(options, "model")?
            .or(string(options, "modelId")?)
            .ok_or_else(|| Error::invalid_input("model is required"))?;
        validate_model_id(&model_id)?;
        let origin = env_origin(&env);
        let place = origin.place();
        // An option, else the first of `variables` set in `env`, with the name to blame it on.
        let option_or_env = |key, variables: [&'static str; 2]| {
            Ok::<_, Error>(match string(options, key)? {
                Some(value) => Some(((key, ""), value)),
                None => variables
                    .into_iter()
                    .find_map(|name| Some(((name, place), env_var(&env, name)?))),
            })
        };
        let (what, region) = option_or_env("region", ["AWS_REGION", "AWS_DEFAULT_REGION"])?
            .ok_or_else(|| Error::config("region is required: pass region or set AWS_REGION"))?;
        validate_region(what, &region)?;
        // `http://` goes to this machine only, unless the caller opts in: for `endpoint`, and
        // for the gateway's `baseUrl`.
        let allow_insecure = match get(options, "allowInsecureEndpoint") {
            None => false,
            Some(allow) => allow
                .as_bool()
                .ok_or_else(|| Error::invalid_input("allowInsecureEndpoint must be a boolean"))?,
        };
        let gateway = match get(options, "aiGateway") {
            None => None,
            Some(value) => Some(Gateway::read(
                &json::from_js(&value, "aiGateway")?,
                allow_insecure,
                || env_var(&env, TOKEN_VARIABLE).map(|token| ((TOKEN_VARIABLE, place), token)),
            )?),
        };
        let regional = regional_endpoint(&region)?;
        let (base_url, signing_base) = match &gateway {
            // The gateway forwards to Bedrock's regional endpoint: signed for that, sent to it.
            // The endpoint variables of `env` are for direct calls.
            Some(gateway) => {
                if get(options, "endpoint").is_some() {
                    return Err(Error::invalid_input(
                        "aiGateway and endpoint cannot be used together: requests go to the gateway (aiGateway.baseUrl moves it)",
                    ));
                }
                (gateway.runtime_base(&region), regional)
            }
            None => {
                // The AWS SDKs' endpoint variables: the service-specific one first, then the
                // global one.
                let endpoint = option_or_env(
                    "endpoint",
                    ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL"],
                )?;
                let base_url = match endpoint {
                    Some((what, endpoint)) => {
                        let base_url = normalize_endpoint(what, &endpoint)?;
                        refuse_clear_text(what, &base_url, allow_insecure)?;
                        base_url
                    }
                    None => regional,
                };
                (base_url.clone(), base_url)
            }
        };
        let auth = match &gateway {
            Some(gateway) if gateway.byok() => {
                if ["apiKey", "credentials"]
                    .iter()
                    .any(|key| get(options, key).is_some())
                {
                    return Err(Error::invalid_input(
                        "apiKey and credentials cannot be used with aiGateway.byok: the gateway signs with the AWS keys stored in it",
                    ));
                }
                Auth::Gateway
            }
            _ => read_auth(options, &env, origin)?,
        };
        // Checked here, read by each call ([`CallerFunctions`]): the client does not keep it.
        if get(options, "fetch").is_some_and(|f| !f.is_function()) {
            return Err(Error::invalid_input("fetch must be a function"));
        }
        Ok(Self {
            model_id,
            region,
            base_url,
            signing_base,
            gateway,
            auth,
            max_retries: max_retries(options)?.unwrap_or(DEFAULT_MAX_RETRIES),
            clock_offset_ms: Cell::new(0.0),
        })
    }

    /// The configuration without secrets, for `toJSON`: the connection, then `settings`
    /// (the model's request settings that are set).
    pub fn redacted_json(&self, settings: Map<String, Value>) -> Value {
        let mut out = json!({
            "model": self.model_id,
            "region": self.region,
            "endpoint": self.base_url,
            "maxRetries": self.max_retries,
            "auth": match self.auth {
                Auth::Static(_) | Auth::Provider(_) => "sigv4",
                Auth::ApiKey(_) => "apiKey",
                Auth::Gateway => "aiGateway",
            },
        });
        if let Value::Object(out) = &mut out {
            out.extend(settings);
        }
        out
    }
}

/// A JS options object as the core reads options.
pub struct JsOptions<'a>(pub &'a JsValue);

impl OptionSource for JsOptions<'_> {
    fn keys(&self) -> Vec<String> {
        js_sys::Object::keys(self.0.unchecked_ref::<js_sys::Object>())
            .iter()
            .filter_map(|key| key.as_string())
            .filter(|key| get(self.0, key).is_some())
            .collect()
    }

    fn number(&self, key: &str) -> Result<Option<f64>, Error> {
        match get(self.0, key) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| Error::invalid_input(format!("{key} must be a finite number"))),
        }
    }

    fn string(&self, key: &str) -> Result<Option<String>, Error> {
        string(self.0, key)
    }

    fn json(&self, key: &str) -> Result<Option<Value>, Error> {
        get(self.0, key).map(|v| json::from_js(&v, key)).transpose()
    }
}

/// Authorisation from the first source set: the `apiKey` option, the `credentials` option,
/// `AWS_BEARER_TOKEN_BEDROCK`, then `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` in `env`.
fn read_auth(options: &JsValue, env: &Option<JsValue>, origin: EnvOrigin) -> Result<Auth, Error> {
    let api_key = string(options, "apiKey")?;
    let credentials = get(options, "credentials");
    let source = choose_auth(api_key, credentials, |key| env_var(env, key), origin)?;
    Ok(match source {
        AuthSource::ApiKeyOption(key) | AuthSource::EnvApiKey(key) => Auth::ApiKey(key),
        AuthSource::EnvCredentials(credentials) => Auth::Static(credentials),
        AuthSource::CredentialsOption(value) => match value.is_function() {
            true => Auth::Provider(Provider {
                cache: RefCell::new(CredentialCache::default()),
            }),
            false => Auth::Static(credentials_from_js(&value)?),
        },
    })
}

/// Whether `env` is the `env` option or `process.env` (the package's JS passes
/// `options.env ?? process.env`).
fn env_origin(env: &Option<JsValue>) -> EnvOrigin {
    let Some(env) = env else {
        return EnvOrigin::None;
    };
    match env::process_env() {
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
        time::parse_ms(&text).unwrap_or(f64::NAN)
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

/// Reads `{ accessKeyId, secretAccessKey, sessionToken? }`; each must be printable ASCII.
pub fn credentials_from_js(value: &JsValue) -> Result<Credentials, Error> {
    if !value.is_object() {
        return Err(Error::invalid_input(
            "credentials must be an object or a function returning one",
        ));
    }
    let member = |key: &str| {
        let text = string(value, key)?.filter(|s| !s.is_empty());
        if let Some(text) = &text {
            check_header_text(("credentials.", key), text)?;
        }
        Ok::<_, Error>(text)
    };
    let required = |key: &str| {
        member(key)?.ok_or_else(|| Error::invalid_input(format!("credentials.{key} is required")))
    };
    Ok(Credentials {
        access_key_id: required("accessKeyId")?,
        secret_access_key: required("secretAccessKey")?,
        session_token: member("sessionToken")?,
    })
}

/// `maxRetries`: a whole number from 0 to 10.
pub fn max_retries(options: &JsValue) -> Result<Option<u32>, Error> {
    match crate::options::source::finite(&JsOptions(options), "maxRetries")? {
        None => Ok(None),
        Some(n) if (0.0..=10.0).contains(&n) && n.fract() == 0.0 => Ok(Some(n as u32)),
        Some(_) => Err(Error::invalid_input(
            "maxRetries must be a whole number from 0 to 10",
        )),
    }
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

fn env_var(env: &Option<JsValue>, key: &str) -> Option<String> {
    env.as_ref().and_then(|env| env::var(env, key))
}
