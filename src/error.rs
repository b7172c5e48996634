//! The crate's one error type.
//!
//! [`Error`] carries a private kind. `name()` gives the stable name that JS sees as
//! `BedrockError.name`: the AWS error type (`ThrottlingException`, …) for service errors, or a
//! local kind (`InvalidEventStream`, `IncompleteStream`, `AbortError`, `ConfigError`,
//! `CredentialsProviderError`, …).

use std::any::Any;
use std::fmt;
use std::rc::Rc;

/// Any failure of a Bedrock call, from bad input to a mid-stream exception frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
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
    /// Bad options or messages from the caller (a `TypeError` in JS).
    InvalidInput(String),
    /// Missing or unusable configuration: no region, no credentials.
    Config(String),
    /// The `credentials` provider threw, rejected, or gave no usable credentials.
    CredentialsProvider(String),
    /// Bytes that are not a valid event stream (checksums, lengths, headers, frame cap).
    InvalidEventStream(String),
    /// The body ended inside a frame, or before the stream said it was done.
    IncompleteStream(String),
    /// A response that is not what the protocol promises (bad JSON, missing members).
    InvalidResponse(String),
    /// An error reported by Bedrock: HTTP error, exception frame or error frame.
    Service(Box<ServiceError>),
    /// `fetch` itself failed (DNS, TCP, TLS, CORS).
    Network(String),
    /// The caller aborted through an `AbortSignal`.
    Aborted,
    /// The call's `timeout`, or the stream's idle timeout, ran out.
    Timeout(String),
    /// Request signing failed.
    Signing(String),
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
        Self::new(Kind::InvalidInput(message.into()))
    }

    /// Missing configuration (region, credentials).
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(Kind::Config(message.into()))
    }

    /// The `credentials` provider failed: it threw, rejected or gave no usable credentials.
    /// Never kept: the next call asks the provider again.
    pub fn credentials_provider(message: impl Into<String>) -> Self {
        Self::new(Kind::CredentialsProvider(message.into()))
    }

    /// Malformed event-stream bytes.
    pub fn invalid_event_stream(message: impl Into<String>) -> Self {
        Self::new(Kind::InvalidEventStream(message.into()))
    }

    /// A body that ended too early.
    pub fn incomplete_stream(message: impl Into<String>) -> Self {
        Self::new(Kind::IncompleteStream(message.into()))
    }

    /// A response body that does not match the protocol.
    pub fn invalid_response(message: impl Into<String>) -> Self {
        Self::new(Kind::InvalidResponse(message.into()))
    }

    /// An error reported by the service.
    ///
    /// `name` is sanitised as restJson1 requires: text after the first `#` and before the
    /// first `:` (`ValidationException:http://internal…` becomes `ValidationException`).
    pub fn service(
        name: &str,
        status: u16,
        request_id: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Kind::Service(Box::new(ServiceError {
            name: sanitize_error_type(name).to_string(),
            status,
            request_id,
            message: message.into(),
            date: None,
        })))
    }

    /// The `Date` header of the response the error came with.
    pub fn with_server_date(mut self, date: Option<&str>) -> Self {
        if let Kind::Service(e) = &mut self.kind {
            e.date = date.map(str::to_string);
        }
        self
    }

    /// The `Date` header of the response the error came with, when there was one.
    pub fn server_date(&self) -> Option<&str> {
        match &self.kind {
            Kind::Service(e) => e.date.as_deref(),
            _ => None,
        }
    }

    /// The same error with every occurrence of each secret in its message replaced by
    /// `** redacted **`. Servers echo what they were sent (AWS's `InvalidSignatureException`
    /// quotes the canonical request, session token included), so service messages pass
    /// through here before anyone sees them. Empty secrets are ignored.
    pub fn redacted(mut self, secrets: &[&str]) -> Self {
        let Some(message) = self.kind.text_mut() else {
            return self;
        };
        let mut found = false;
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            if message.contains(secret) {
                *message = message.replace(secret, "** redacted **");
                found = true;
            }
        }
        if found {
            // What the runtime threw holds the secret too: only the redacted text remains.
            self.cause = Cause::default();
        }
        self
    }

    /// `fetch` rejected.
    pub fn network(message: impl Into<String>) -> Self {
        Self::new(Kind::Network(message.into()))
    }

    /// The caller aborted the call.
    pub fn aborted() -> Self {
        Self::new(Kind::Aborted)
    }

    /// A time limit ran out.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::new(Kind::Timeout(message.into()))
    }

    /// Signing failed.
    pub fn signing(message: impl Into<String>) -> Self {
        Self::new(Kind::Signing(message.into()))
    }

    fn new(kind: Kind) -> Self {
        Self {
            kind,
            cause: Cause::default(),
        }
    }

    /// The same error holding what the runtime threw, for the caller to see as `cause`.
    pub fn with_cause(mut self, cause: Rc<dyn Any>) -> Self {
        self.cause = Cause(Some(cause));
        self
    }

    /// What the runtime threw, when the error came from it.
    pub fn cause(&self) -> Option<&Rc<dyn Any>> {
        self.cause.0.as_ref()
    }

    /// The stable error name JS sees (`BedrockError.name`).
    pub fn name(&self) -> &str {
        match &self.kind {
            Kind::InvalidInput(_) => "TypeError",
            Kind::Config(_) => "ConfigError",
            Kind::CredentialsProvider(_) => "CredentialsProviderError",
            Kind::InvalidEventStream(_) => "InvalidEventStream",
            Kind::IncompleteStream(_) => "IncompleteStream",
            Kind::InvalidResponse(_) => "InvalidResponse",
            Kind::Service(e) => &e.name,
            Kind::Network(_) => "NetworkError",
            Kind::Aborted => "AbortError",
            Kind::Timeout(_) => "TimeoutError",
            Kind::Signing(_) => "SigningError",
        }
    }

    /// The HTTP status, when the error came from an HTTP response or an exception frame.
    pub fn status(&self) -> Option<u16> {
        match &self.kind {
            Kind::Service(e) => Some(e.status),
            _ => None,
        }
    }

    /// The `x-amzn-RequestId` of the failed call, when known.
    pub fn request_id(&self) -> Option<&str> {
        match &self.kind {
            Kind::Service(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the same call may succeed if tried again (AWS standard retry mode's list).
    pub fn retryable(&self) -> bool {
        match &self.kind {
            Kind::Network(_) => true,
            Kind::Service(e) => {
                aws_error(&e.name).is_some_and(AwsErrorFact::retryable)
                    || matches!(e.status, 429 | 500 | 502 | 503 | 504)
            }
            _ => false,
        }
    }

    /// True for caller mistakes that JS reports as a `TypeError`.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self.kind, Kind::InvalidInput(_))
    }

    /// The human-readable message, without the name.
    pub fn message(&self) -> String {
        let mut kind = self.kind.clone();
        kind.text_mut()
            .map_or_else(|| "the operation was aborted".to_string(), |m| m.clone())
    }
}

impl Kind {
    /// The message text, for every kind that has one.
    fn text_mut(&mut self) -> Option<&mut String> {
        match self {
            Kind::Service(e) => Some(&mut e.message),
            Kind::InvalidInput(m)
            | Kind::Config(m)
            | Kind::CredentialsProvider(m)
            | Kind::InvalidEventStream(m)
            | Kind::IncompleteStream(m)
            | Kind::InvalidResponse(m)
            | Kind::Network(m)
            | Kind::Signing(m)
            | Kind::Timeout(m) => Some(m),
            Kind::Aborted => None,
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
    /// The request itself is at fault: never retried.
    Never,
}

/// What is known of one AWS error type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwsErrorFact {
    /// The error type, e.g. `ThrottlingException`.
    pub name: &'static str,
    /// The HTTP status the service model gives it.
    pub status: u16,
    /// Throttling, transient, or never retried.
    pub retry: RetryClass,
}

impl AwsErrorFact {
    /// Whether AWS standard retry mode retries it.
    pub fn retryable(&self) -> bool {
        self.retry != RetryClass::Never
    }
}

const fn fact(name: &'static str, status: u16, retry: RetryClass) -> AwsErrorFact {
    AwsErrorFact {
        name,
        status,
        retry,
    }
}

/// The one table of AWS error facts: Bedrock Runtime's error shapes (their `httpError`
/// traits), the front end's authentication errors, and the transient names AWS standard retry
/// mode knows. The first entry with a status is that status's default name.
pub const AWS_ERRORS: &[AwsErrorFact] = &[
    fact("ValidationException", 400, RetryClass::Never),
    fact("ServiceQuotaExceededException", 400, RetryClass::Never),
    fact("AccessDeniedException", 403, RetryClass::Never),
    fact("ExpiredTokenException", 403, RetryClass::Never),
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
];

/// The facts for an error type, if it is a known one.
pub fn aws_error(name: &str) -> Option<&'static AwsErrorFact> {
    AWS_ERRORS.iter().find(|f| f.name == name)
}

/// The error type a bare HTTP status stands for, when a response names none.
pub fn aws_error_for_status(status: u16) -> Option<&'static AwsErrorFact> {
    AWS_ERRORS.iter().find(|f| f.status == status)
}

/// restJson1 error-type sanitising: keep what is after `#` and before `:`.
fn sanitize_error_type(raw: &str) -> &str {
    let after_hash = raw.rsplit_once('#').map_or(raw, |(_, tail)| tail);
    after_hash.split(':').next().unwrap_or(after_hash).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_are_sanitised() {
        let e = Error::service(
            "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
            400,
            Some("r-1".into()),
            "bad",
        );
        assert_eq!(e.name(), "ValidationException");
        assert_eq!(e.status(), Some(400));
        assert_eq!(e.request_id(), Some("r-1"));
        let e = Error::service("aws.protocoltests#ThrottlingException", 429, None, "slow");
        assert_eq!(e.name(), "ThrottlingException");
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
    }
}
