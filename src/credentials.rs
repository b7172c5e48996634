//! Where a model's credentials come from, and how long a provider's credentials are kept.
//!
//! Precedence ([`choose_auth`]): the `apiKey` option, the `credentials` option, then the
//! environment (a Worker's `env` option, else `process.env`): `AWS_BEARER_TOKEN_BEDROCK`, then
//! `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`). Within the
//! environment this is the AWS SDK for JavaScript v3's order: a set `AWS_BEARER_TOKEN_BEDROCK`
//! makes it prefer bearer auth over the access keys.
//!
//! A credentials provider's answer is kept by [`CredentialCache`]: reused until
//! [`REFRESH_WINDOW_MS`] before its `expiration` (forever without one), shared by every call
//! that asks while the provider is still answering, never kept after a failure, and dropped
//! when the service says the token expired. Time is always passed in (`Date.now()` on wasm32).

use crate::header_text::check_header_text;
use crate::signing::Credentials;
use crate::Error;

/// How long before `expiration` a provider is asked again: 5 minutes, as in the AWS SDKs.
pub const REFRESH_WINDOW_MS: f64 = 5.0 * 60.0 * 1000.0;

/// Where the environment variables were read from, to name it in the missing-credentials error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvOrigin {
    /// The `env` option (a Worker's bindings, or any object).
    Option,
    /// Node's (or Bun's, Deno's) `process.env`.
    ProcessEnv,
    /// Neither: no `env` option and no `process.env`.
    None,
}

impl EnvOrigin {
    /// Where a variable was looked for, as messages say it after its name: ` in process.env`, ….
    pub fn place(self) -> &'static str {
        match self {
            EnvOrigin::Option => " in the env option",
            EnvOrigin::ProcessEnv => " in process.env",
            EnvOrigin::None => " in env, but there is no env option and no process.env",
        }
    }
}

/// The authorisation source [`choose_auth`] picked.
#[derive(Debug, PartialEq)]
pub enum AuthSource<C> {
    /// The `apiKey` option.
    ApiKeyOption(String),
    /// The `credentials` option (an object or a provider), as given.
    CredentialsOption(C),
    /// `AWS_BEARER_TOKEN_BEDROCK` from the environment.
    EnvApiKey(String),
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` from the environment.
    EnvCredentials(Credentials),
}

/// Picks the first source that is set: the `apiKey` option, the `credentials` option,
/// `AWS_BEARER_TOKEN_BEDROCK`, then the access keys. `env` gives a variable's non-empty value.
/// With none, a `ConfigError` that says where it looked. A key, token or secret that is not
/// printable ASCII is a `TypeError` naming it ([`check_header_text`]); the `credentials`
/// option is its reader's to check.
pub fn choose_auth<C>(
    api_key: Option<String>,
    credentials: Option<C>,
    env: impl Fn(&str) -> Option<String>,
    origin: EnvOrigin,
) -> Result<AuthSource<C>, Error> {
    if let Some(key) = api_key {
        check_header_text(("apiKey", ""), &key)?;
        return Ok(AuthSource::ApiKeyOption(key));
    }
    if let Some(credentials) = credentials {
        return Ok(AuthSource::CredentialsOption(credentials));
    }
    let place = origin.place();
    let var = |name| {
        let value = env(name);
        if let Some(value) = &value {
            check_header_text((name, place), value)?;
        }
        Ok::<_, Error>(value)
    };
    if let Some(key) = var("AWS_BEARER_TOKEN_BEDROCK")? {
        return Ok(AuthSource::EnvApiKey(key));
    }
    let access_key_id = var("AWS_ACCESS_KEY_ID")?;
    let secret_access_key = var("AWS_SECRET_ACCESS_KEY")?;
    if let (Some(access_key_id), Some(secret_access_key)) = (&access_key_id, &secret_access_key) {
        return Ok(AuthSource::EnvCredentials(Credentials {
            access_key_id: access_key_id.clone(),
            secret_access_key: secret_access_key.clone(),
            session_token: var("AWS_SESSION_TOKEN")?,
        }));
    }
    let half = match (access_key_id.is_some(), secret_access_key.is_some()) {
        (true, false) => " (AWS_ACCESS_KEY_ID is set, AWS_SECRET_ACCESS_KEY is not)",
        (false, true) => " (AWS_SECRET_ACCESS_KEY is set, AWS_ACCESS_KEY_ID is not)",
        _ => "",
    };
    Err(Error::config(format!(
        "no credentials: looked at the apiKey and credentials options, then \
         AWS_BEARER_TOKEN_BEDROCK, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY{place}{half}"
    )))
}

/// Whether credentials expiring at `expires_at_ms` may still be used at `now_ms` without
/// asking the provider again: no expiration, or at least [`REFRESH_WINDOW_MS`] left.
pub fn is_fresh(expires_at_ms: Option<f64>, now_ms: f64) -> bool {
    expires_at_ms.is_none_or(|expires| expires - now_ms >= REFRESH_WINDOW_MS)
}

/// A credentials provider's last answer and its pending call, for one model.
///
/// `P` is the pending call's handle (a JS promise in the package), cloned for every caller
/// that joins it. Each provider call gets an id; the credentials keep the id of the call that
/// gave them, so that an expired-token error drops only the credentials it was signed with.
#[derive(Debug)]
pub struct CredentialCache<P> {
    entry: Option<Entry>,
    in_flight: Option<(u64, P)>,
    next_id: u64,
}

#[derive(Debug)]
struct Entry {
    id: u64,
    credentials: Credentials,
    expires_at_ms: Option<f64>,
}

/// What a caller who needs credentials does now.
#[derive(Debug, PartialEq)]
pub enum Lookup<P> {
    /// Use these; `id` names them for [`CredentialCache::invalidate`].
    Cached {
        /// The cached credentials.
        credentials: Credentials,
        /// The provider call that gave them.
        id: u64,
    },
    /// Wait for the provider call already under way, then [`CredentialCache::finish`] it.
    Join {
        /// The pending call's id.
        id: u64,
        /// Its handle.
        pending: P,
    },
    /// Call the provider and [`CredentialCache::start`] the call.
    Fetch,
}

impl<P> Default for CredentialCache<P> {
    fn default() -> Self {
        Self {
            entry: None,
            in_flight: None,
            next_id: 1,
        }
    }
}

impl<P: Clone> CredentialCache<P> {
    /// What to do at `now_ms`: fresh credentials are used, a pending call is joined, else the
    /// provider is called.
    pub fn lookup(&self, now_ms: f64) -> Lookup<P> {
        if let Some(entry) = &self.entry {
            if is_fresh(entry.expires_at_ms, now_ms) {
                return Lookup::Cached {
                    credentials: entry.credentials.clone(),
                    id: entry.id,
                };
            }
        }
        match &self.in_flight {
            Some((id, pending)) => Lookup::Join {
                id: *id,
                pending: pending.clone(),
            },
            None => Lookup::Fetch,
        }
    }

    /// Records a provider call just made; returns its id.
    pub fn start(&mut self, pending: P) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.in_flight = Some((id, pending));
        id
    }

    /// Records how call `id` ended: its credentials and expiration (epoch milliseconds), or
    /// `None` for a failure, which is not kept (the next caller asks the provider again).
    /// Every caller that waited on the call may report it; the first report counts.
    pub fn finish(&mut self, id: u64, outcome: Option<(Credentials, Option<f64>)>) {
        if !matches!(self.in_flight, Some((pending, _)) if pending == id) {
            return;
        }
        self.in_flight = None;
        if let Some((credentials, expires_at_ms)) = outcome {
            self.entry = Some(Entry {
                id,
                credentials,
                expires_at_ms,
            });
        }
    }

    /// Drops the credentials of call `id` (the service said their token expired); newer
    /// credentials, fetched meanwhile by another call, stay.
    pub fn invalidate(&mut self, id: u64) {
        if self.entry.as_ref().is_some_and(|entry| entry.id == id) {
            self.entry = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_800_000_000_000.0;
    const MINUTE: f64 = 60_000.0;

    fn keys(id: &str) -> Credentials {
        Credentials {
            access_key_id: id.to_string(),
            secret_access_key: "secret".to_string(),
            session_token: Some("token".to_string()),
        }
    }

    /// Looks up, fetching (with `answer`) when told to; returns the credentials and whether
    /// the provider was called.
    fn get(
        cache: &mut CredentialCache<&'static str>,
        now: f64,
        answer: (Credentials, Option<f64>),
    ) -> (Credentials, bool) {
        match cache.lookup(now) {
            Lookup::Cached { credentials, .. } => (credentials, false),
            Lookup::Join { .. } => panic!("nothing is pending"),
            Lookup::Fetch => {
                let id = cache.start("call");
                let credentials = answer.0.clone();
                cache.finish(id, Some(answer));
                (credentials, true)
            }
        }
    }

    #[test]
    fn fresh_credentials_are_reused_until_five_minutes_before_expiry() {
        let mut cache = CredentialCache::default();
        let expires = Some(NOW + 60.0 * MINUTE);
        assert_eq!(
            get(&mut cache, NOW, (keys("A"), expires)),
            (keys("A"), true)
        );
        assert_eq!(
            get(&mut cache, NOW + MINUTE, (keys("B"), expires)),
            (keys("A"), false)
        );
        assert_eq!(
            get(&mut cache, NOW + 55.0 * MINUTE, (keys("B"), expires)),
            (keys("A"), false),
            "exactly 5 minutes left is still fresh"
        );
        assert_eq!(
            get(
                &mut cache,
                NOW + 55.0 * MINUTE + 1.0,
                (keys("B"), Some(NOW + 120.0 * MINUTE))
            ),
            (keys("B"), true),
            "inside the window: the provider is asked again"
        );
        assert_eq!(
            get(&mut cache, NOW + 56.0 * MINUTE, (keys("C"), None)),
            (keys("B"), false)
        );
    }

    #[test]
    fn credentials_near_expiry_are_fetched_on_every_call() {
        let mut cache = CredentialCache::default();
        for k in 0..3 {
            let now = NOW + f64::from(k);
            let (_, called) = get(&mut cache, now, (keys("A"), Some(NOW + MINUTE)));
            assert!(
                called,
                "call {k}: 1 minute left is inside the refresh window"
            );
        }
        // Already expired when given: used once, never kept.
        let (_, called) = get(&mut cache, NOW, (keys("A"), Some(NOW - MINUTE)));
        assert!(called);
        assert!(matches!(cache.lookup(NOW), Lookup::Fetch));
    }

    #[test]
    fn credentials_without_expiry_are_kept_forever() {
        let mut cache = CredentialCache::default();
        assert!(get(&mut cache, NOW, (keys("A"), None)).1);
        for later in [NOW + MINUTE, NOW + 1e12, f64::MAX] {
            assert_eq!(
                get(&mut cache, later, (keys("B"), None)),
                (keys("A"), false)
            );
        }
        assert!(is_fresh(None, f64::MAX));
        assert!(!is_fresh(Some(NOW), NOW));
    }

    #[test]
    fn a_failure_is_not_kept_and_the_next_call_asks_again() {
        let mut cache: CredentialCache<&str> = CredentialCache::default();
        assert!(matches!(cache.lookup(NOW), Lookup::Fetch));
        let id = cache.start("call 1");
        cache.finish(id, None);
        assert!(
            matches!(cache.lookup(NOW), Lookup::Fetch),
            "no pending call, nothing cached"
        );
        let id = cache.start("call 2");
        cache.finish(id, Some((keys("A"), None)));
        assert_eq!(
            cache.lookup(NOW),
            Lookup::Cached {
                credentials: keys("A"),
                id
            }
        );
        // A failed refresh leaves nothing fresh behind either.
        let mut cache: CredentialCache<&str> = CredentialCache::default();
        let id = cache.start("call 1");
        cache.finish(id, Some((keys("A"), Some(NOW + 10.0 * MINUTE))));
        assert!(matches!(cache.lookup(NOW + 6.0 * MINUTE), Lookup::Fetch));
        let id = cache.start("refresh");
        cache.finish(id, None);
        assert!(matches!(cache.lookup(NOW + 6.0 * MINUTE), Lookup::Fetch));
    }

    #[test]
    fn concurrent_callers_share_one_pending_call() {
        let mut cache = CredentialCache::default();
        assert!(matches!(cache.lookup(NOW), Lookup::Fetch));
        let id = cache.start("the call");
        for _ in 0..4 {
            assert_eq!(
                cache.lookup(NOW),
                Lookup::Join {
                    id,
                    pending: "the call"
                }
            );
        }
        // Every waiter reports; the first report counts, the others change nothing.
        cache.finish(id, Some((keys("A"), None)));
        cache.finish(id, Some((keys("other"), None)));
        cache.finish(id, None);
        assert_eq!(
            cache.lookup(NOW),
            Lookup::Cached {
                credentials: keys("A"),
                id
            }
        );
        // A stale entry with a refresh under way: join the refresh.
        let mut cache = CredentialCache::default();
        let first = cache.start("first");
        cache.finish(first, Some((keys("A"), Some(NOW + MINUTE))));
        assert_eq!(cache.lookup(NOW), Lookup::Fetch);
        let second = cache.start("second");
        assert_eq!(
            cache.lookup(NOW),
            Lookup::Join {
                id: second,
                pending: "second"
            }
        );
        assert_ne!(first, second);
    }

    #[test]
    fn an_expired_token_drops_only_the_credentials_it_was_signed_with() {
        let mut cache = CredentialCache::default();
        let old = cache.start("old");
        cache.finish(old, Some((keys("OLD"), None)));
        cache.invalidate(old);
        assert!(
            matches!(cache.lookup(NOW), Lookup::Fetch),
            "dropped: the provider is asked again"
        );
        let new = cache.start("new");
        cache.finish(new, Some((keys("NEW"), None)));
        // A second call that was signed with the old credentials fails later: the new stay.
        cache.invalidate(old);
        assert_eq!(
            cache.lookup(NOW),
            Lookup::Cached {
                credentials: keys("NEW"),
                id: new
            }
        );
    }

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |key| {
            vars.iter()
                .find(|(k, v)| *k == key && !v.is_empty())
                .map(|(_, v)| v.to_string())
        }
    }

    const FULL_ENV: &[(&str, &str)] = &[
        ("AWS_BEARER_TOKEN_BEDROCK", "env-key"),
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ("AWS_SESSION_TOKEN", "envtoken"),
    ];

    #[test]
    fn options_come_first_then_the_bearer_token_then_access_keys() {
        let env = env_of(FULL_ENV);
        let origin = EnvOrigin::Option;
        assert_eq!(
            choose_auth(Some("opt-key".into()), Some("creds"), &env, origin).unwrap(),
            AuthSource::ApiKeyOption("opt-key".into())
        );
        assert_eq!(
            choose_auth(None, Some("creds"), &env, origin).unwrap(),
            AuthSource::CredentialsOption("creds")
        );
        assert_eq!(
            choose_auth::<()>(None, None, &env, origin).unwrap(),
            AuthSource::EnvApiKey("env-key".into())
        );
        let keys_only = env_of(&FULL_ENV[1..]);
        assert_eq!(
            choose_auth::<()>(None, None, keys_only, origin).unwrap(),
            AuthSource::EnvCredentials(Credentials {
                access_key_id: "AKIDENV".into(),
                secret_access_key: "envsecret".into(),
                session_token: Some("envtoken".into()),
            })
        );
        // An empty AWS_BEARER_TOKEN_BEDROCK counts as unset.
        let empty_token = env_of(&[
            ("AWS_BEARER_TOKEN_BEDROCK", ""),
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ]);
        assert!(matches!(
            choose_auth::<()>(None, None, empty_token, origin).unwrap(),
            AuthSource::EnvCredentials(Credentials {
                session_token: None,
                ..
            })
        ));
    }

    #[test]
    fn a_key_token_or_secret_that_cannot_be_sent_is_a_type_error_naming_it() {
        let error = choose_auth::<()>(Some("key\n".into()), None, env_of(&[]), EnvOrigin::None)
            .unwrap_err();
        assert!(error.is_invalid_input());
        assert_eq!(
            error.message(),
            "apiKey contains a line feed; it must be printable ASCII"
        );
        for (vars, name) in [
            (
                &[("AWS_BEARER_TOKEN_BEDROCK", "kéy")][..],
                "AWS_BEARER_TOKEN_BEDROCK",
            ),
            (
                &[
                    ("AWS_ACCESS_KEY_ID", "AKID\r"),
                    ("AWS_SECRET_ACCESS_KEY", "s"),
                ][..],
                "AWS_ACCESS_KEY_ID",
            ),
            (
                &[
                    ("AWS_ACCESS_KEY_ID", "AKID"),
                    ("AWS_SECRET_ACCESS_KEY", "secret\n"),
                ][..],
                "AWS_SECRET_ACCESS_KEY",
            ),
            (
                &[
                    ("AWS_ACCESS_KEY_ID", "AKID"),
                    ("AWS_SECRET_ACCESS_KEY", "s"),
                    ("AWS_SESSION_TOKEN", "tok\u{1}en"),
                ][..],
                "AWS_SESSION_TOKEN",
            ),
        ] {
            let error =
                choose_auth::<()>(None, None, env_of(vars), EnvOrigin::ProcessEnv).unwrap_err();
            assert!(error.is_invalid_input(), "{name}");
            let message = error.message();
            assert!(
                message.starts_with(&format!("{name} in process.env contains ")),
                "{message}"
            );
            assert!(
                !message.contains("secret") && !message.contains("tok"),
                "{message}"
            );
        }
        // The credentials option is checked by its reader, not here.
        assert!(choose_auth(None, Some("any\n"), env_of(&[]), EnvOrigin::None).is_ok());
    }

    #[test]
    fn the_missing_credentials_error_says_where_it_looked() {
        let none = env_of(&[]);
        for (origin, place) in [
            (EnvOrigin::Option, "in the env option"),
            (EnvOrigin::ProcessEnv, "in process.env"),
            (EnvOrigin::None, "there is no env option and no process.env"),
        ] {
            let error = choose_auth::<()>(None, None, &none, origin).unwrap_err();
            assert_eq!(error.name(), "ConfigError");
            let message = error.message();
            for part in [
                "no credentials",
                "apiKey and credentials options",
                "AWS_BEARER_TOKEN_BEDROCK",
                "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
                place,
            ] {
                assert!(message.contains(part), "{message:?} lacks {part:?}");
            }
        }
        let half = env_of(&[("AWS_ACCESS_KEY_ID", "AKIDENV")]);
        let message = choose_auth::<()>(None, None, half, EnvOrigin::ProcessEnv)
            .unwrap_err()
            .message();
        assert!(
            message.contains("AWS_SECRET_ACCESS_KEY is not"),
            "{message}"
        );
    }
}
