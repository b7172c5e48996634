// Encodes application/vnd.amazon.eventstream frames the way Bedrock sends them, using the AWS
// SDK's own codec (@smithy/eventstream-codec) so the bytes are independent of our Rust encoder.
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

export const codec = new EventStreamCodec(toUtf8, fromUtf8);

const PADDING_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Real Bedrock adds an unmodelled `"p"` member to every event payload: a prefix of the alphabet
 * above of random length (observed 1..62). Clients must ignore it; we vary its length
 * deterministically with the frame's position so responses stay reproducible.
 */
export function padding(seq) {
  return PADDING_ALPHABET.slice(0, 1 + ((seq * 37 + 11) % PADDING_ALPHABET.length));
}

const str = (value) => ({ type: 'string', value });

/**
 * An `event` frame. Real payloads have their top-level members in sorted order with `p` among
 * them (`{"contentBlockIndex":0,"delta":{…},"p":"abc"}`), so we do the same.
 */
export function eventFrame(eventType, payload, seq) {
  const padded = { ...payload, p: padding(seq) };
  const sorted = Object.fromEntries(Object.keys(padded).sort().map((k) => [k, padded[k]]));
  return rawEventFrame(eventType, fromUtf8(JSON.stringify(sorted)));
}

/** An `event` frame around payload bytes as given (valid CRCs even if the bytes are not JSON). */
export function rawEventFrame(eventType, body) {
  return codec.encode({
    headers: {
      ':event-type': str(eventType),
      ':content-type': str('application/json'),
      ':message-type': str('event'),
    },
    body,
  });
}

/** A modelled `exception` frame, e.g. `modelStreamErrorException` (header order as observed). */
export function exceptionFrame(exceptionType, payload) {
  return codec.encode({
    headers: {
      ':message-type': str('exception'),
      ':exception-type': str(exceptionType),
      ':content-type': str('application/json'),
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** An unmodelled `error` frame: code and message in headers, empty payload. */
export function errorFrame(errorCode, errorMessage) {
  return codec.encode({
    headers: {
      ':message-type': str('error'),
      ':error-code': str(errorCode),
      ':error-message': str(errorMessage),
    },
    body: new Uint8Array(0),
  });
}
