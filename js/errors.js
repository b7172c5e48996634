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
// BedrockError, built here and only here. The wasm side rejects with a plain record
// `{ bedrockError: true, name, message, status, requestId, retryable, cause }`; anything else
// that gets here (a wasm trap, say) keeps its own name. An abort or a timeout has the
// signal's reason as its `cause`.
export function toPublicError(error, signal) {
  if (error instanceof BedrockError || error instanceof TypeError) return error;
  if (error !== null && typeof error === "object" && error.bedrockError === true) {
    const aborted = (error.name === "AbortError" || error.name === "TimeoutError") && signal?.aborted;
    return new BedrockError(error.message, {
      name: error.name,
      status: error.status,
      requestId: error.requestId,
      retryable: error.retryable === true,
      cause: aborted ? signal.reason : error.cause,
    });
  }
  if (error instanceof Error) {
    return new BedrockError(error.message, { name: error.name || "Error", cause: error });
  }
  return new BedrockError(String(error), { name: "Error", cause: error });
}

/** A BedrockError of one of the package's own kinds (TimeoutError, OutputParserException, …). */
export function localError(name, message, { cause } = {}) {
  return new BedrockError(message, { name, cause });
}
