//! The crate's one error type.
//!
//! [`Error`] carries a private kind. `name()` gives the stable name that JS sees as
//! `BedrockError.name`: the AWS error type (`ThrottlingException`, …) for service errors, or a
//! local kind (`InvalidEventStream`, `IncompleteStream`, `AbortError`, `ConfigError`,
//! `CredentialsProviderError`, …; all listed in [`LOCAL_ERROR_NAMES`]).
//!
//! [`AWS_ERRORS`] is the one table of AWS error facts: each type's name, HTTP status and
//! retry class. Retry decisions and the statuses of errors that arrive without one are
//! lookups in it.

use std::any::Any;
use std::fmt;
use std::rc::Rc;

/// Any failure of a Bedrock call, from bad input to a mid-stream exception frame.
///
/// One pointer wide (its kind, message and cause are boxed): every `Result<_, Error>` of the
/// crate is then moved and returned as a small value, which measured 6,044 B less wasm gzip -9
/// than the 24-byte error held inline.
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<Inner>);

/// What an [`Error`] holds.
#[derive(Debug, Clone, PartialEq)]
struct Inner {
    kind: Kind,
    cause: Cause,
}

/// What the runtime threw, when the error came from it (the JS error `fetch` rejected with):
/// held opaquely so that this layer stays plain Rust. It takes no part in equality.
#[derive(Clone, Default)]
struct Cause(Option<Rc<dyn Any>>);

impl fmt::Debug for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Cause(..)"
        } else {
            "None"
        })
    }
}

impl PartialEq for Cause {
    fn eq(&self, _: &Cause) -> bool {
        true
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A failure of this package's own making, and its message.
    Local(LocalKind, String),
    /// An error reported by Bedrock: HTTP error, exception frame or error frame.
    Service(ServiceError),
}

/// Declares the local kinds and their names in one list, so that every name can be listed
/// ([`LOCAL_ERROR_NAMES`]) and no kind lacks one.
macro_rules! local_kinds {
    ($($(#[doc = $doc:literal])* $kind:ident => $name:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum LocalKind {
            $($(#[doc = $doc])* $kind,)*
        }

        impl LocalKind {
            fn name(self) -> &'static str {
                match self {
                    $(LocalKind::$kind => $name,)*
                }
            }
        }

        /// The names JS sees for the errors that do not come from AWS, every local kind once.
        /// `TypeError` (bad input) is thrown as a JS `TypeError`, the others as `BedrockError`s.
        pub const LOCAL_ERROR_NAMES: &[&str] = &[$($name),*];
    };
}

local_kinds! {
    /// Bad options or messages from the caller (a `TypeError` in JS).
    InvalidInput => "TypeError",
    /// Missing or unusable configuration: no region, no credentials.
    Config => "ConfigError",
    /// The `credentials` provider threw, rejected, or gave no usable credentials.
    CredentialsProvider => "CredentialsProviderError",
    /// Bytes that are not a valid event stream (checksums, lengths, headers, frame cap).
    InvalidEventStream => "InvalidEventStream",
    /// The body ended inside a frame, or before the stream said it was done.
    IncompleteStream => "IncompleteStream",
    /// A response that is not what the protocol promises (bad JSON, missing members).
    InvalidResponse => "InvalidResponse",
    /// `fetch` itself failed (DNS, TCP, TLS, CORS).
    Network => "NetworkError",
    /// The caller aborted through an `AbortSignal`.
    Aborted => "AbortError",
    /// The call's `timeout`, or the stream's idle timeout, ran out.
    Timeout => "TimeoutError",
}

#[derive(Debug, Clone, PartialEq)]
struct ServiceError {
    name: String,
    status: u16,
    request_id: Option<String>,
    message: String,
    /// The response's `Date` header, for clock-skew correction.
    date: Option<String>,
}

impl Error {
    /// Bad caller input; thrown as a JS `TypeError` before anything is sent.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::local(LocalKind::InvalidInput, message)
    }

    /// Missing configuration (region, credentials).
    pub fn config(message: impl Into<String>) -> Self {
        Self::local(LocalKind::Config, message)
    }

    /// The `credentials` provider failed: it threw, rejected or gave no usable credentials.
    /// Never kept: the next call asks the provider again.
    pub fn credentials_provider(message: impl Into<String>) -> Self {
        Self::local(LocalKind::CredentialsProvider, message)
    }

    /// Malformed event-stream bytes.
    pub fn invalid_event_stream(message: impl Into<String>) -> Self {
        Self::local(LocalKind::InvalidEventStream, message)
    }

    /// A body that ended too early.
    pub fn incomplete_stream(message: impl Into<String>) -> Self {
        Self::local(LocalKind::IncompleteStream, message)
    }

    /// A response body that does not match the protocol.
    pub fn invalid_response(message: impl Into<String>) -> Self {
        Self::local(LocalKind::InvalidResponse, message)
    }

    /// An error reported by the service, named `name` as given.
    pub fn service(
        name: &str,
        status: u16,
        request_id: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Kind::Service(ServiceError {
            name: name.to_string(),
            status,
            request_id,
            message: message.into(),
            date: None,
        }))
    }

    /// The `Date` header of the response the error came with.
    pub fn with_server_date(mut self, date: Option<&str>) -> Self {
        if let Kind::Service(e) = &mut self.0.kind {
            e.date = date.map(str::to_string);
        }
        self
    }

    /// The `Date` header of the response the error came with, when there was one.
    pub fn server_date(&self) -> Option<&str> {
        match &self.0.kind {
            Kind::Service(e) => e.date.as_deref(),
            _ => None,
        }
    }

    /// The same error with each secret in its message replaced by `** redacted **`. Servers
    /// echo what they were sent (AWS's `InvalidSignatureException` quotes the canonical
    /// request, session token included), so service messages pass through here before anyone
    /// sees them. A secret of [`REDACT_ANYWHERE`] characters or more (every real key, secret
    /// and token) is replaced wherever it occurs; a shorter one (a test key) only where it
    /// stands alone, not inside a word, so that key `e` leaves "Too many requests" whole but
    /// not "Bearer e". Empty secrets are ignored.
    pub fn redacted(mut self, secrets: &[impl AsRef<str>]) -> Self {
        let message = match &mut self.0.kind {
            Kind::Local(_, message) => message,
            Kind::Service(e) => &mut e.message,
        };
        let mut found = false;
        for secret in secrets.iter().map(AsRef::as_ref).filter(|s| !s.is_empty()) {
            let mut out = String::new();
            let mut copied = 0;
            for (at, _) in message.match_indices(secret) {
                let end = at + secret.len();
                // A letter or digit next to it (a byte of a wider character never is one).
                let bytes = message.as_bytes();
                let word = |i: Option<usize>| {
                    i.and_then(|i| bytes.get(i))
                        .is_some_and(u8::is_ascii_alphanumeric)
                };
                let alone = !word(at.checked_sub(1)) && !word(Some(end));
                if secret.len() >= REDACT_ANYWHERE || alone {
                    out.push_str(&message[copied..at]);
                    out.push_str("** redacted **");
                    copied = end;
                }
            }
            if copied > 0 {
                out.push_str(&message[copied..]);
                *message = out;
                found = true;
            }
        }
        if found {
            // What the runtime threw holds the secret too: only the redacted text remains.
            self.0.cause = Cause::default();
        }
        self
    }

    /// `fetch` rejected.
    pub fn network(message: impl Into<String>) -> Self {
        Self::local(LocalKind::Network, message)
    }

    /// The caller aborted the call.
    pub fn aborted() -> Self {
        Self::local(LocalKind::Aborted, "the operation was aborted")
    }

    /// A time limit ran out.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::local(LocalKind::Timeout, message)
    }

    fn local(kind: LocalKind, message: impl Into<String>) -> Self {
        Self::new(Kind::Local(kind, message.into()))
    }

    fn new(kind: Kind) -> Self {
        Self(Box::new(Inner {
            kind,
            cause: Cause::default(),
        }))
    }

    /// The same error holding what the runtime threw, for the caller to see as `cause`.
    pub fn with_cause(mut self, cause: Rc<dyn Any>) -> Self {
        self.0.cause = Cause(Some(cause));
        self
    }

    /// What the runtime threw, when the error came from it.
    pub fn cause(&self) -> Option<&Rc<dyn Any>> {
        self.0.cause.0.as_ref()
    }

    /// The stable error name JS sees (`BedrockError.name`).
    pub fn name(&self) -> &str {
        match &self.0.kind {
            Kind::Local(kind, _) => kind.name(),
            Kind::Service(e) => &e.name,
        }
    }

    /// The HTTP status, when the error came from an HTTP response or an exception frame.
    pub fn status(&self) -> Option<u16> {
        match &self.0.kind {
            Kind::Service(e) => Some(e.status),
            _ => None,
        }
    }

    /// The `x-amzn-RequestId` of the failed call, when known.
    pub fn request_id(&self) -> Option<&str> {
        match &self.0.kind {
            Kind::Service(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// How AWS standard retry mode classes this error: a network failure is transient, a
    /// service error is classed by [`service_retry_class`], anything else is never retried.
    pub fn retry_class(&self) -> RetryClass {
        match &self.0.kind {
            Kind::Local(LocalKind::Network, _) => RetryClass::Transient,
            Kind::Local(..) => RetryClass::Never,
            Kind::Service(e) => service_retry_class(&e.name, e.status, &e.message),
        }
    }

    /// Whether the same call may succeed if tried again after a backoff (throttling and
    /// transient errors). Clock skew and expired credentials need a fix first, so they are
    /// not retryable as they stand.
    pub fn retryable(&self) -> bool {
        self.retry_class().backs_off()
    }

    /// True for caller mistakes that JS reports as a `TypeError`.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self.0.kind, Kind::Local(LocalKind::InvalidInput, _))
    }

    /// The human-readable message, without the name.
    pub fn message(&self) -> String {
        match &self.0.kind {
            Kind::Local(_, message) => message.clone(),
            Kind::Service(e) => e.message.clone(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name(), self.message())
    }
}

impl std::error::Error for Error {}

/// How AWS standard retry mode classes an error type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryClass {
    /// The service is shedding load: retried with backoff.
    Throttling,
    /// A passing fault on the service's side: retried with backoff.
    Transient,
    /// The request was signed with a clock the service disagrees with: retried once, after
    /// the clock is corrected from the server's `Date`.
    ClockSkew,
    /// The credentials' session token expired: retried once, with fresh credentials.
    ExpiredCredentials,
    /// The request itself is at fault: never retried.
    Never,
}

impl RetryClass {
    /// Whether a retry only needs a wait (throttling, transient), not a fix first.
    pub fn backs_off(self) -> bool {
        matches!(self, RetryClass::Throttling | RetryClass::Transient)
    }
}

/// What is known of one AWS error type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwsErrorFact {
    /// The error type, e.g. `ThrottlingException`.
    pub name: &'static str,
    /// The HTTP status the service model gives it.
    pub status: u16,
    /// How AWS standard retry mode classes it.
    pub retry: RetryClass,
}

const fn fact(name: &'static str, status: u16, retry: RetryClass) -> AwsErrorFact {
    AwsErrorFact {
        name,
        status,
        retry,
    }
}

/// The name of an error Cloudflare AI Gateway answers itself (its JSON body, not AWS's): a
/// gateway authentication failure, a rate limit. Known by its body, never by a status alone.
pub const AI_GATEWAY_ERROR: &str = "AiGatewayError";

/// The one table of service error facts: Bedrock Runtime's error shapes (their `httpError`
/// traits), the front end's authentication errors, the transient, clock-skew and
/// expired-token names AWS standard retry mode knows, and AI Gateway's own error (retried by
/// its status: a gateway 429 is throttling). The first entry with a status is that status's
/// default name, AI Gateway's excepted.
pub const AWS_ERRORS: &[AwsErrorFact] = &[
    fact("ValidationException", 400, RetryClass::Never),
    fact("ServiceQuotaExceededException", 400, RetryClass::Never),
    fact("AccessDeniedException", 403, RetryClass::Never),
    fact("ExpiredTokenException", 403, RetryClass::ExpiredCredentials),
    fact("InvalidSignatureException", 403, RetryClass::Never),
    fact("UnrecognizedClientException", 403, RetryClass::Never),
    fact("ResourceNotFoundException", 404, RetryClass::Never),
    fact("ModelTimeoutException", 408, RetryClass::Transient),
    fact("RequestTimeout", 408, RetryClass::Transient),
    fact("RequestTimeoutException", 408, RetryClass::Transient),
    fact("ModelErrorException", 424, RetryClass::Never),
    fact("ModelStreamErrorException", 424, RetryClass::Never),
    fact("ThrottlingException", 429, RetryClass::Throttling),
    fact("ModelNotReadyException", 429, RetryClass::Throttling),
    fact("TooManyRequestsException", 429, RetryClass::Throttling),
    fact("InternalServerException", 500, RetryClass::Transient),
    fact("ServiceUnavailableException", 503, RetryClass::Transient),
    fact("ExpiredToken", 400, RetryClass::ExpiredCredentials),
    fact("RequestExpired", 400, RetryClass::ClockSkew),
    fact("RequestTimeTooSkewed", 403, RetryClass::ClockSkew),
    fact("RequestInTheFuture", 403, RetryClass::ClockSkew),
    fact(AI_GATEWAY_ERROR, 401, RetryClass::Never),
];

/// The length from which [`Error::redacted`] replaces a secret wherever it occurs: shorter
/// than any real credential (AWS secret keys have 40 characters, session tokens and Bedrock API
/// keys many more), longer than words it could be found inside.
pub const REDACT_ANYWHERE: usize = 16;

/// The status of an error whose type gives none: an error frame, or an exception of a type
/// the table does not know.
pub const DEFAULT_STATUS: u16 = 500;

/// The statuses AWS standard retry mode retries whatever the error's name (an unknown one,
/// or a proxy's HTML page), and how.
const RETRIED_STATUSES: &[(u16, RetryClass)] = &[
    (429, RetryClass::Throttling),
    (500, RetryClass::Transient),
    (502, RetryClass::Transient),
    (503, RetryClass::Transient),
    (504, RetryClass::Transient),
];

/// The facts for an error type, if it is a known one.
pub fn aws_error(name: &str) -> Option<&'static AwsErrorFact> {
    AWS_ERRORS.iter().find(|f| f.name == name)
}

/// The error type a bare HTTP status stands for, when a response names none.
pub fn aws_error_for_status(status: u16) -> Option<&'static AwsErrorFact> {
    AWS_ERRORS
        .iter()
        .find(|f| f.status == status && f.name != AI_GATEWAY_ERROR)
}

/// The HTTP status the table gives error type `name`, else [`DEFAULT_STATUS`].
pub fn status_of(name: &str) -> u16 {
    aws_error(name).map_or(DEFAULT_STATUS, |f| f.status)
}

/// How a service error is retried: as its type's entry in the table says; a type that is
/// never retried (or unknown) is still retried when its status is one standard mode retries.
/// One case is read from the message: an `InvalidSignatureException` that says the signature
/// expired or is not yet current is clock skew (the front end's wording for a signing time
/// too far from its own).
pub fn service_retry_class(name: &str, status: u16, message: &str) -> RetryClass {
    let by_name = aws_error(name).map_or(RetryClass::Never, |f| f.retry);
    if by_name != RetryClass::Never {
        return by_name;
    }
    if name == "InvalidSignatureException"
        && (message.contains("Signature expired") || message.contains("not yet current"))
    {
        return RetryClass::ClockSkew;
    }
    RETRIED_STATUSES
        .iter()
        .find(|(retried, _)| *retried == status)
        .map_or(RetryClass::Never, |(_, class)| *class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_one_pointer_wide() {
        // What makes every `?` of the crate cheap in wasm: no result grows by more than a pointer.
        assert_eq!(size_of::<Error>(), size_of::<usize>());
        assert_eq!(size_of::<Result<(), Error>>(), size_of::<usize>());
    }

    #[test]
    fn service_names_are_kept_as_given() {
        // Cleaning a restJson1 error type is http_error.rs's; the event stream's names are plain.
        let e = Error::service("InternalFailure:a#b", 500, Some("r-1".into()), "bad");
        assert_eq!(e.name(), "InternalFailure:a#b");
        assert_eq!(e.status(), Some(500));
        assert_eq!(e.request_id(), Some("r-1"));
        let e = Error::service("ThrottlingException", 429, None, "slow");
        assert!(e.retryable());
    }

    #[test]
    fn secrets_are_redacted_from_messages() {
        let e = Error::service(
            "InvalidSignatureException",
            403,
            None,
            "x-amz-security-token:tok123\nauthorization: Bearer key456",
        )
        .redacted(&["tok123", "", "key456", "absent"]);
        assert_eq!(
            e.message(),
            "x-amz-security-token:** redacted **\nauthorization: Bearer ** redacted **"
        );
        assert_eq!(Error::timeout("late").name(), "TimeoutError");
        let with_cause = Error::network("failed with key456").with_cause(Rc::new(7u8));
        assert!(with_cause.cause().is_some());
        assert!(with_cause.clone().redacted(&["absent"]).cause().is_some());
        assert!(with_cause.redacted(&["key456"]).cause().is_none());
    }

    #[test]
    fn short_secrets_are_redacted_only_where_they_stand_alone() {
        let e = Error::service(
            "ThrottlingException",
            429,
            None,
            "Too many requests for key e (Bearer e), e.",
        )
        .redacted(&["e"]);
        assert_eq!(
            e.message(),
            "Too many requests for key ** redacted ** (Bearer ** redacted **), ** redacted **."
        );
        let untouched = Error::network("Too many requests").with_cause(Rc::new(1u8));
        let untouched = untouched.redacted(&["e", "test"]);
        assert_eq!(untouched.message(), "Too many requests");
        assert!(
            untouched.cause().is_some(),
            "nothing redacted: the cause stays"
        );
        // From 16 characters on, a secret goes wherever it is, inside words too.
        let long = "k".repeat(REDACT_ANYWHERE);
        let e = Error::network(format!("token%3D{long}x and {long}")).redacted(&[&long]);
        assert_eq!(e.message(), "token%3D** redacted **x and ** redacted **");
        let short = &long[1..];
        let e = Error::network(format!("a{short}b {short}")).redacted(&[short]);
        assert_eq!(e.message(), format!("a{short}b ** redacted **"));
    }

    #[test]
    fn local_kinds_have_stable_names() {
        assert_eq!(
            Error::invalid_event_stream("x").name(),
            "InvalidEventStream"
        );
        assert_eq!(Error::incomplete_stream("x").name(), "IncompleteStream");
        assert_eq!(Error::aborted().name(), "AbortError");
        assert_eq!(Error::config("x").name(), "ConfigError");
        assert_eq!(
            Error::credentials_provider("x").name(),
            "CredentialsProviderError"
        );
        assert!(!Error::credentials_provider("x").retryable());
        assert!(Error::invalid_input("x").is_invalid_input());
        assert!(!Error::config("x").retryable());
        assert_eq!(Error::aborted().message(), "the operation was aborted");
    }

    #[test]
    fn retry_classes_come_from_the_table_then_the_status() {
        use RetryClass::*;
        for (name, status, message, class) in [
            ("ThrottlingException", 400, "", Throttling),
            ("ModelTimeoutException", 408, "", Transient),
            ("ExpiredTokenException", 403, "", ExpiredCredentials),
            ("RequestTimeTooSkewed", 403, "", ClockSkew),
            (
                "InvalidSignatureException",
                403,
                "Signature expired: x",
                ClockSkew,
            ),
            ("InvalidSignatureException", 403, "does not match", Never),
            ("UnknownError", 429, "", Throttling),
            ("UnknownError", 502, "", Transient),
            ("ValidationException", 503, "", Transient),
            ("UnknownError", 501, "", Never),
        ] {
            let error = Error::service(name, status, None, message);
            assert_eq!(error.retry_class(), class, "{error}");
        }
        assert_eq!(Error::network("x").retry_class(), RetryClass::Transient);
        assert_eq!(Error::timeout("x").retry_class(), RetryClass::Never);
    }

    #[test]
    fn statuses_default_to_500_and_each_name_is_listed_once() {
        assert_eq!(status_of("ThrottlingException"), 429);
        assert_eq!(status_of("SomethingNew"), DEFAULT_STATUS);
        assert_eq!(
            aws_error_for_status(403).unwrap().name,
            "AccessDeniedException"
        );
        assert_eq!(
            aws_error_for_status(400).unwrap().name,
            "ValidationException"
        );
        assert_eq!(
            aws_error_for_status(401),
            None,
            "a bare 401 is not AI Gateway's"
        );
        let gateway = Error::service(AI_GATEWAY_ERROR, 429, None, "Rate limited");
        assert_eq!(gateway.retry_class(), RetryClass::Throttling);
        let gateway = Error::service(AI_GATEWAY_ERROR, 401, None, "Unauthorized");
        assert_eq!(gateway.retry_class(), RetryClass::Never);
        for (i, fact) in AWS_ERRORS.iter().enumerate() {
            assert_eq!(aws_error(fact.name), Some(&AWS_ERRORS[i]), "{}", fact.name);
        }
        for (i, name) in LOCAL_ERROR_NAMES.iter().enumerate() {
            assert!(!LOCAL_ERROR_NAMES[..i].contains(name), "{name}");
            assert!(aws_error(name).is_none(), "{name}");
        }
    }
}
