// The one public error class, and the mapping of whatever the wasm side or a user's fetch throws
// onto it.

/**
 * Every failure other than bad input (a TypeError). `name` (and `code`, its alias as in the AWS
 * SDKs) is the AWS error type or a local kind.
 */
export class BedrockError extends Error {
  constructor(message, { name = "BedrockError", code, status, requestId, retryable = false, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.code = code ?? name;
    this.status = status;
    this.requestId = requestId;
    this.retryable = retryable;
  }
}

// Bad input stays a TypeError (thrown before anything is sent); anything else becomes a
// BedrockError. The wasm side marks its errors `bedrockError: true`; anything else that gets
// here (a DOMException from a user's fetch, a wasm trap) keeps its own name. An abort or a
// timeout has the signal's reason as its `cause`.
export function toPublicError(error, signal) {
  if (error instanceof BedrockError || error instanceof TypeError) return error;
  if (error instanceof Error) {
    const aborted = (error.name === "AbortError" || error.name === "TimeoutError") && signal?.aborted;
    return new BedrockError(error.message, {
      name: error.name || "Error",
      status: typeof error.status === "number" ? error.status : undefined,
      requestId: typeof error.requestId === "string" ? error.requestId : undefined,
      retryable: error.retryable === true,
      cause: aborted ? signal.reason : error.jsCause ?? error,
    });
  }
  return new BedrockError(String(error), { name: "Error", cause: error });
}
