// Bedrock Runtime errors in the restJson1 wire format real Bedrock uses (PROTOCOL.md §3.9):
// status code, `x-amzn-ErrorType: <Name>:http://internal.amazon.com/coral/com.amazon.bedrock/`,
// `Content-Type: application/json`, body `{"message": "..."}`.

import { utf8Length } from './bytes.mjs';

const ERROR_TYPE_SUFFIX = ':http://internal.amazon.com/coral/com.amazon.bedrock/';

// HTTP status of every error shape the emulator can produce (the model's `httpError` traits, plus
// the auth/routing errors the AWS front end returns before a request reaches Bedrock).
const STATUS_BY_NAME = {
  ValidationException: 400,
  ServiceQuotaExceededException: 400,
  AccessDeniedException: 403,
  InvalidSignatureException: 403,
  ExpiredTokenException: 403,
  UnrecognizedClientException: 403,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

/** An error that is sent to the client as a Bedrock error response. */
export class BedrockError extends Error {
  /**
   * @param {string} name error shape name, e.g. "ValidationException"
   * @param {string} message human-readable message put in the body
   */
  constructor(name, message) {
    super(message);
    if (!(name in STATUS_BY_NAME)) throw new TypeError(`unknown Bedrock error shape ${name}`);
    this.name = name;
    this.status = STATUS_BY_NAME[name];
  }
}

export const validationError = (message) => new BedrockError('ValidationException', message);

/**
 * Writes `err` as a complete error response. Common headers (request id, CORS) are already set on
 * `res` by the router.
 */
export function sendError(res, err) {
  const body = JSON.stringify({ message: err.message });
  res.writeHead(err.status, {
    'x-amzn-ErrorType': `${err.name}${ERROR_TYPE_SUFFIX}`,
    'Content-Type': 'application/json',
    'Content-Length': utf8Length(body),
  });
  res.end(body);
}

/** Error shape name for a stream exception's `:exception-type` (lowerCamel → UpperCamel). */
export function errorNameForExceptionType(exceptionType) {
  const name = exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1);
  return name in STATUS_BY_NAME ? name : 'InternalServerException';
}
